//! `cargo xtask`: the project's command line, as a library so that tests can
//! run it in-process exactly as `cargo xtask` does.
//!
//! `cargo xtask generate` rewrites `generated/` from `spec/payouts.yaml`;
//! `--check` only compares, and fails with a diff when they differ.
//! `cargo xtask review` tells what a spec change means for callers and for
//! users of the generated crate.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use clap::{Args, Parser, Subcommand};

pub mod allocator;
mod bench;
mod corpus;
mod prism;
mod review;
mod synthetic;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project tasks for the OpenAPI client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from an OpenAPI 3.0 spec (by default, rewrite generated/ from spec/payouts.yaml).
    Generate(Generate),
    /// Generate a crate from every spec in a folder and check that each compiles and passes clippy.
    Corpus(Corpus),
    /// Measure generation time and peak memory on specs (files or folders); prints figures.
    Bench(Bench),
    /// Generated clients on the wire: each request checked against a recording, then against Prism mocking the spec.
    Prism(Prism),
    /// Review a spec change: HTTP contract changes, the generated Rust API's changes and semver bump, lint findings.
    Review(review::Review),
}

#[derive(Args)]
struct Bench {
    /// Specs or folders of specs. Default: spec/payouts.yaml (unless --synthetic is given).
    #[arg(value_name = "SPEC")]
    specs: Vec<PathBuf>,
    /// Also measure built-in synthetic specs of these many resources (4 operations each), e.g. 10,100,1000.
    #[arg(long, value_name = "N,...", value_delimiter = ',')]
    synthetic: Vec<usize>,
    /// How many times to generate each spec.
    #[arg(long, default_value_t = 20)]
    iterations: usize,
    /// Also time a cold `cargo build` (debug) of each generated crate, its dependencies already built.
    #[arg(long)]
    build: bool,
    /// Also write the synthetic specs into this folder (as synthetic-N.json), to time whole processes on them.
    #[arg(long, value_name = "DIR")]
    write_specs: Option<PathBuf>,
}

#[derive(Args)]
struct Prism {
    /// Only the wire check against the recording server; skip Prism (which needs Node.js).
    #[arg(long)]
    no_prism: bool,
    /// Rewrite the recorded requests (tests/prism/*.wire) instead of comparing.
    #[arg(long)]
    update: bool,
}

#[derive(Args)]
struct Corpus {
    /// The folder of specs (*.yaml, *.yml, *.json). Default: $CORPUS_DIR.
    #[arg(value_name = "DIR", env = "CORPUS_DIR")]
    dir: PathBuf,
    /// Only generate (and parse) the crates; skip compiling them.
    #[arg(long)]
    no_build: bool,
}

#[derive(Args)]
struct Generate {
    /// The OpenAPI 3.0 spec (YAML or JSON). Default: spec/payouts.yaml in this repository.
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// The folder of the generated crate. Default: generated/ in this repository.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The generated crate's package name. Default: from the spec's title.
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// Write nothing; fail with a diff when the folder is not what the spec generates.
    #[arg(long)]
    check: bool,
}

/// Runs the command line `args` (without the program name), writing to `out`
/// and `err`. Returns the process exit code: 0 success, 1 failure, 2 usage.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = std::iter::once(OsString::from("cargo xtask")).chain(args.into_iter().map(Into::into));
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { 2 } else { 0 };
            let text = error.render().to_string();
            let _ = if code == 0 { out.write_all(text.as_bytes()) } else { err.write_all(text.as_bytes()) };
            return code;
        }
    };
    let result = match cli.command {
        Command::Generate(args) => generate(&args, out),
        Command::Corpus(args) => corpus::run(&args.dir, !args.no_build, &project_root(), out),
        Command::Prism(args) => {
            prism::run(&prism::Plan { prism: !args.no_prism, update: args.update }, &project_root(), out)
        }
        Command::Bench(args) => {
            let plan = bench::Plan {
                inputs: args.specs,
                synthetic: args.synthetic,
                iterations: args.iterations,
                build: args.build,
                write_specs: args.write_specs,
            };
            bench::run(&plan, &project_root(), out)
        }
        Command::Review(args) => return review::run(&args, &project_root(), out, err),
    };
    match result {
        Ok(()) => 0,
        Err(message) => {
            let _ = writeln!(err, "{message}");
            1
        }
    }
}

/// The repository root (this crate's parent folder).
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn generate(args: &Generate, out_stream: &mut dyn Write) -> Result<(), String> {
    let root = project_root();
    let spec = args.spec.clone().unwrap_or_else(|| root.join("spec/payouts.yaml"));
    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    // Files quote the command with portable paths; messages give the one to run here.
    let current = std::env::current_dir().ok();
    let command = regenerate_command(args, |path| portable_path(path, &root, current.as_deref()));
    let rerun = regenerate_command(args, clean);
    let spec_name = display_path(&spec, &root);

    let text = std::fs::read_to_string(&spec).map_err(|error| format!("error: cannot read {spec_name}: {error}"))?;
    let mut options = codegen::Options::new(spec_name.clone());
    options.crate_name = args.crate_name.clone();
    options.command = command.clone();
    if let Some(name) = &args.crate_name {
        if !codegen::names::is_package_name(name) {
            return Err(format!(
                "error: --crate-name `{name}` is not a valid package name (letters, digits, `-` and `_`, starting with a letter)"
            ));
        }
    }
    // The folder is read while the crate is generated, by a generator
    // thread that would otherwise wait.
    let (files, existing) = codegen::generate_alongside(&text, &options, || codegen::output::read_owned(&out));
    let files = files.map_err(|error| {
        let count = error.diagnostics.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        format!("{error}\nerror: {spec_name} has {count} {noun}; nothing was written")
    })?;
    let existing = existing.map_err(|error| format!("error: {error}"))?;
    let out_name = display_path(&out, &root);

    if args.check {
        let staleness = codegen::output::check_against(&existing, &files);
        if staleness.is_fresh() {
            let _ = writeln!(out_stream, "{out_name} is up to date with {spec_name}.");
            return Ok(());
        }
        for diff in &staleness.diffs {
            let _ = write!(out_stream, "{diff}");
        }
        return Err(format!(
            "error: {out_name} is stale: {} file(s) differ from what {spec_name} generates.\nRun `{rerun}` to update it.",
            staleness.diffs.len()
        ));
    }
    let summary = codegen::output::write_over(&out, &existing, &files).map_err(|error| format!("error: {error}"))?;
    let _ = writeln!(
        out_stream,
        "{out_name}: {} file(s) written, {} removed, {} unchanged.",
        summary.written.len(),
        summary.removed.len(),
        summary.unchanged
    );
    Ok(())
}

/// The command that reproduces this run, with its paths shown by `show`
/// ([`portable_path`] for the files, so that no machine's folders end up in
/// them).
fn regenerate_command(args: &Generate, show: impl Fn(&Path) -> String) -> String {
    let mut command = codegen::DEFAULT_COMMAND.to_owned();
    if let Some(spec) = &args.spec {
        command.push_str(&format!(" --spec {}", show(spec)));
    }
    if let Some(out) = &args.out {
        command.push_str(&format!(" --out {}", show(out)));
    }
    if let Some(name) = &args.crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    command
}

/// A path for the regenerate command. A relative path stays as it was written.
/// An absolute one becomes relative to the repository root when inside it;
/// otherwise relative to the current folder when that takes at most two `..`;
/// otherwise only its file name (the command then names the file, and whoever
/// reruns it knows where theirs is).
fn portable_path(path: &Path, root: &Path, current: Option<&Path>) -> String {
    if path.is_relative() {
        return clean(path);
    }
    if let Some(relative) = relative_path(path, root).filter(|relative| ups(relative) == 0) {
        return clean(&relative);
    }
    if let Some(relative) = current.and_then(|current| relative_path(path, current)).filter(|r| ups(r) <= 2) {
        return clean(&relative);
    }
    path.file_name().map(|name| clean(Path::new(name))).unwrap_or_default()
}

/// `path` relative to `base` (both absolute), compared by components without
/// touching the disk; `None` when they share no root (another drive).
fn relative_path(path: &Path, base: &Path) -> Option<PathBuf> {
    let path = normalize(path);
    let base = normalize(base);
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut relative: PathBuf = base[common..].iter().map(|_| Component::ParentDir).collect();
    relative.extend(&path[common..]);
    if relative.as_os_str().is_empty() {
        relative.push(Component::CurDir);
    }
    Some(relative)
}

/// The components of an absolute path with `.` dropped and `..` applied.
fn normalize(path: &Path) -> Vec<Component<'_>> {
    let mut components = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(components.last(), Some(Component::Normal(_))) {
                    components.pop();
                }
            }
            other => components.push(other),
        }
    }
    components
}

/// How many `..` a relative path starts with.
fn ups(path: &Path) -> usize {
    path.components().take_while(|component| *component == Component::ParentDir).count()
}

/// A path as the user wrote it, without a leading `./`, with `/` separators.
fn clean(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// A path for messages: relative to the repository when inside it.
fn display_path(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) => clean(relative),
        Err(_) => clean(path),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::portable_path;

    #[test]
    fn regenerate_paths_name_no_machine_folders() {
        let root = Path::new("/home/me/repo");
        let here = Some(Path::new("/home/me/repo/tests"));
        let portable = |path: &str, current: Option<&Path>| portable_path(Path::new(path), root, current);
        assert_eq!(portable("./specs/a.yaml", here), "specs/a.yaml");
        assert_eq!(portable("/home/me/repo/specs/./a.yaml", here), "specs/a.yaml");
        assert_eq!(portable("/home/me/repo/x/../generated", None), "generated");
        assert_eq!(portable("/home/me/other/a.yaml", here), "../../other/a.yaml");
        assert_eq!(portable("/home/me/other/a.yaml", Some(Path::new("/home/me/other"))), "a.yaml");
        assert_eq!(portable("/tmp/build/client", here), "client");
        assert_eq!(portable("/tmp/build/client", None), "client");
    }
}
