//! `cargo xtask review`: what a spec change means, for a pull request.
//!
//! Loads and generates both versions exactly as `generate` does (a broken
//! spec is the usual diagnostic and exit status 2), compares them with
//! `codegen::review`, adds the Spectral findings on the new spec, and prints
//! Markdown, JSON or GitHub workflow commands. Exit status: 0, or 1 for a
//! breaking change without `--allow-breaking`, or 2 for usage errors and
//! broken specs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{Args, ValueEnum};
use codegen::review::{self, LintFinding, render};

use crate::display_path;

#[derive(Args)]
pub struct Review {
    /// Compare with the spec at this git revision. Default: the merge base
    /// with `origin/main` when that exists, else `HEAD`.
    #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
    base: Option<String>,
    /// The spec to review against `--base`. Default: spec/payouts.yaml.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["old", "new"])]
    spec: Option<PathBuf>,
    /// The old version of the spec (YAML or JSON); goes with `--new`.
    #[arg(long, value_name = "FILE", requires = "new")]
    old: Option<PathBuf>,
    /// The new version of the spec (YAML or JSON); goes with `--old`.
    #[arg(long, value_name = "FILE", requires = "old")]
    new: Option<PathBuf>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Exit 0 even when a change is breaking.
    #[arg(long)]
    allow_breaking: bool,
    /// Do not run the Spectral linter on the new spec.
    #[arg(long)]
    no_lint: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A pull-request comment.
    Markdown,
    /// The stable JSON form documented in README.md.
    Json,
    /// GitHub workflow commands (`::error file=...,line=...::...`).
    Github,
}

/// A failure that ends the review with exit status 2.
struct Failure(String);

/// One side of the comparison: the spec text and the crate it generates.
struct Side {
    name: String,
    /// `None` when the spec did not exist at the base revision.
    text: Option<String>,
    files: codegen::Files,
}

pub fn run(args: &Review, root: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match execute(args, root) {
        Ok((text, breaking)) => {
            let _ = out.write_all(text.as_bytes());
            if breaking && !args.allow_breaking {
                let _ = writeln!(err, "error: the spec change is breaking; pass --allow-breaking to accept it");
                1
            } else {
                0
            }
        }
        Err(Failure(message)) => {
            let _ = writeln!(err, "{message}");
            2
        }
    }
}

fn execute(args: &Review, root: &Path) -> Result<(String, bool), Failure> {
    let (old, new, new_path) = match (&args.old, &args.new) {
        (Some(old_path), Some(new_path)) => {
            let old = side_from_file(old_path, root)?;
            let new = side_from_file(new_path, root)?;
            (old, new, new_path.clone())
        }
        _ => {
            let spec = args.spec.clone().unwrap_or_else(|| root.join("spec/payouts.yaml"));
            let (old, new) = sides_from_git(&spec, args.base.as_deref(), root)?;
            (old, new, spec)
        }
    };
    let new_text = new.text.as_deref().unwrap_or_default();
    let new_tree = tree(&new.name, new_text)?;
    let old_tree = match &old.text {
        Some(text) => tree(&old.name, text)?,
        None => serde_json::json!({}),
    };
    let listing = |files: &codegen::Files| files.get(codegen::api_listing::FILE_NAME).cloned().unwrap_or_default();
    let (old_listing, new_listing) = (listing(&old.files), listing(&new.files));
    let crate_files_differ = old
        .files
        .iter()
        .filter(|(path, _)| path.as_str() != codegen::api_listing::FILE_NAME)
        .ne(new.files.iter().filter(|(path, _)| path.as_str() != codegen::api_listing::FILE_NAME));
    let mut result = review::review(&review::Inputs {
        old_tree: &old_tree,
        new_tree: &new_tree,
        new_text,
        old_listing: &old_listing,
        new_listing: &new_listing,
        crate_files_differ,
    });
    if args.no_lint {
        result.lint_skipped = None;
    } else {
        match lint(&new_path, root) {
            Ok(findings) => result.lint = findings,
            Err(why) => result.lint_skipped = Some(why),
        }
    }
    let target = render::Target { spec_path: &new.name };
    let text = match args.format {
        Format::Markdown => render::markdown(&result, &target),
        Format::Json => render::json(&result),
        Format::Github => render::github(&result, &target),
    };
    Ok((text, result.is_breaking()))
}

/// The tree of a spec that `generate` has already accepted.
fn tree(name: &str, text: &str) -> Result<serde_json::Value, Failure> {
    codegen::load::parse_tree(text)
        .map_err(|diagnostic| Failure(codegen::Error::new(name, vec![diagnostic]).to_string()))
}

/// Loads, checks and generates one spec, as `generate` does.
fn generated(name: &str, text: &str) -> Result<codegen::Files, Failure> {
    codegen::generate(text, &codegen::Options::new(name)).map_err(|error| {
        let count = error.diagnostics.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        Failure(format!("{error}\nerror: {name} has {count} {noun}; nothing was reviewed"))
    })
}

fn side_from_file(path: &Path, root: &Path) -> Result<Side, Failure> {
    let name = display_path(path, root);
    let text = std::fs::read_to_string(path).map_err(|error| Failure(format!("error: cannot read {name}: {error}")))?;
    let files = generated(&name, &text)?;
    Ok(Side { name, text: Some(text), files })
}

/// The spec at the base revision and in the working tree.
fn sides_from_git(spec: &Path, base: Option<&str>, root: &Path) -> Result<(Side, Side), Failure> {
    let folder = spec.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let top = git(folder, &["rev-parse", "--show-toplevel"])
        .map_err(|why| Failure(format!("error: --base needs a git repository around {}: {why}", spec.display())))?;
    let top = PathBuf::from(top.trim_end());
    let absolute = std::fs::canonicalize(spec)
        .map_err(|error| Failure(format!("error: cannot read {}: {error}", display_path(spec, root))))?;
    let canonical_top = std::fs::canonicalize(&top).unwrap_or(top.clone());
    let relative = absolute.strip_prefix(&canonical_top).map_err(|_| {
        Failure(format!("error: {} is not inside the git repository {}", spec.display(), top.display()))
    })?;
    let relative = relative.to_string_lossy().replace('\\', "/");
    let base = match base {
        Some(rev) => rev.to_owned(),
        None => git(&top, &["merge-base", "HEAD", "origin/main"])
            .map(|sha| sha.trim().to_owned())
            .unwrap_or_else(|_| "HEAD".to_owned()),
    };
    let commit = git(&top, &["rev-parse", "--verify", "--quiet", &format!("{base}^{{commit}}")])
        .map_err(|_| Failure(format!("error: --base {base}: no such git revision")))?;
    let commit = commit.trim().to_owned();

    let new_text = std::fs::read_to_string(&absolute)
        .map_err(|error| Failure(format!("error: cannot read {relative}: {error}")))?;
    let new_files = generated(&relative, &new_text)?;
    let new = Side { name: relative.clone(), text: Some(new_text), files: new_files };

    let old_name = format!("{base}:{relative}");
    let old = match git(&top, &["show", &format!("{commit}:{relative}")]) {
        Ok(text) => {
            let mut files = generated(&old_name, &text)?;
            // The committed crate at the base shows what users of the crate
            // had, including changes that came from the generator itself.
            if let Some(committed) = committed_crate(&top, &commit, &absolute, root) {
                files = committed;
            }
            Side { name: old_name, text: Some(text), files }
        }
        Err(_) => Side { name: old_name, text: None, files: codegen::Files::new() },
    };
    Ok((old, new))
}

/// `generated/` at `commit`, when `spec` is this repository's own spec, with
/// its API listing read from its sources.
fn committed_crate(top: &Path, commit: &str, spec: &Path, root: &Path) -> Option<codegen::Files> {
    let own_spec = std::fs::canonicalize(root.join("spec/payouts.yaml")).ok()?;
    if spec != own_spec {
        return None;
    }
    let crate_dir = std::fs::canonicalize(root.join("generated")).ok()?;
    let prefix = crate_dir.strip_prefix(std::fs::canonicalize(top).ok()?).ok()?.to_string_lossy().replace('\\', "/");
    let listing = git(top, &["ls-tree", "-r", "--name-only", commit, "--", &format!("{prefix}/")]).ok()?;
    let mut files = codegen::Files::new();
    for path in listing.lines() {
        let text = git(top, &["show", &format!("{commit}:{path}")]).ok()?;
        let relative = path.strip_prefix(&format!("{prefix}/"))?;
        files.insert(relative.to_owned(), text);
    }
    // The committed crate is listed again from its sources, by this lister:
    // its own `API.md` (absent when it predates the listing) may have been
    // written by an older lister, whose way of writing a line is no API change.
    let manifest = files.get("Cargo.toml")?;
    let name = manifest.lines().find_map(|line| line.strip_prefix("name = \"")?.strip_suffix('"'))?;
    let listing = codegen::api_listing::listing_of_sources(name, &files)?;
    files.insert(codegen::api_listing::FILE_NAME.to_owned(), listing);
    Some(files)
}

/// Runs git in `dir`; its standard output, or why it failed.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output =
        Command::new("git").args(args).current_dir(dir).output().map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    String::from_utf8(output.stdout).map_err(|_| "git printed something that is not UTF-8".to_owned())
}

/// Spectral's findings on `spec`, through the project's lint script (which
/// installs the pinned Spectral on first use); why not, when it cannot run.
fn lint(spec: &Path, root: &Path) -> Result<Vec<LintFinding>, String> {
    let script = root.join("scripts/lint-spec.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg("--json")
        .arg(spec)
        .output()
        .map_err(|error| format!("cannot run {}: {error}", script.display()))?;
    // 0: no error-level findings, 1: some; anything else: the linter did not run.
    if !matches!(output.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no message");
        return Err(format!("scripts/lint-spec.sh failed ({why})"));
    }
    parse_spectral(&String::from_utf8_lossy(&output.stdout))
}

/// Reads Spectral's JSON output: a list of `{code, message, path, severity, range}`.
fn parse_spectral(text: &str) -> Result<Vec<LintFinding>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| format!("Spectral's output is not JSON ({error})"))?;
    let items = value.as_array().ok_or("Spectral's output is not a list of findings")?;
    let mut findings: Vec<LintFinding> = items
        .iter()
        .map(|item| {
            let severity = match item.get("severity").and_then(serde_json::Value::as_u64) {
                Some(0) => "error",
                Some(1) => "warning",
                Some(2) => "info",
                _ => "hint",
            };
            let pointer = item.get("path").and_then(serde_json::Value::as_array).map(|segments| {
                segments.iter().fold(codegen::pointer::Pointer::root(), |at, segment| match segment {
                    serde_json::Value::String(text) => at.join(text),
                    other => at.join(other),
                })
            });
            let line =
                item.pointer("/range/start/line").and_then(serde_json::Value::as_u64).map(|line| line as usize + 1);
            LintFinding {
                severity: severity.to_owned(),
                code: item
                    .get("code")
                    .map(|code| code.as_str().map(str::to_owned).unwrap_or_else(|| code.to_string()))
                    .unwrap_or_default(),
                message: item.get("message").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned(),
                pointer,
                line,
            }
        })
        .collect();
    findings.sort_by(|a, b| (a.line, &a.code, &a.message).cmp(&(b.line, &b.code, &b.message)));
    Ok(findings)
}
