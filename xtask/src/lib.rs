//! `cargo xtask`: the project's command line, as a library so that tests can
//! run it in-process exactly as `cargo xtask` does.
//!
//! `cargo xtask generate` rewrites `generated/` from `spec/payouts.yaml`;
//! `--check` only compares, and fails with a diff when they differ.
//! `cargo xtask review` tells what a spec change means for callers and for
//! users of the generated crate.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

mod bench;
mod corpus;
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
        Command::Bench(args) => {
            let plan = bench::Plan {
                inputs: args.specs,
                synthetic: args.synthetic,
                iterations: args.iterations,
                build: args.build,
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
    let command = regenerate_command(args);
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
    let files = codegen::generate(&text, &options).map_err(|error| {
        let count = error.diagnostics.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        format!("{error}\nerror: {spec_name} has {count} {noun}; nothing was written")
    })?;
    let out_name = display_path(&out, &root);

    if args.check {
        let staleness = codegen::output::check(&out, &files).map_err(|error| format!("error: {error}"))?;
        if staleness.is_fresh() {
            let _ = writeln!(out_stream, "{out_name} is up to date with {spec_name}.");
            return Ok(());
        }
        for diff in &staleness.diffs {
            let _ = write!(out_stream, "{diff}");
        }
        return Err(format!(
            "error: {out_name} is stale: {} file(s) differ from what {spec_name} generates.\nRun `{command}` to update it.",
            staleness.diffs.len()
        ));
    }
    let summary = codegen::output::write(&out, &files).map_err(|error| format!("error: {error}"))?;
    let _ = writeln!(
        out_stream,
        "{out_name}: {} file(s) written, {} removed, {} unchanged.",
        summary.written.len(),
        summary.removed.len(),
        summary.unchanged
    );
    Ok(())
}

/// The command that reproduces this run, quoted in every generated file.
fn regenerate_command(args: &Generate) -> String {
    let mut command = codegen::DEFAULT_COMMAND.to_owned();
    if let Some(spec) = &args.spec {
        command.push_str(&format!(" --spec {}", clean(spec)));
    }
    if let Some(out) = &args.out {
        command.push_str(&format!(" --out {}", clean(out)));
    }
    if let Some(name) = &args.crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    command
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
