//! `cargo xtask corpus DIR`: the generator on every spec of a folder.
//!
//! Each spec is generated in memory (an error fails the check, with the spec's
//! diagnostics; so does an `API.md` that differs from a listing of the
//! crate's sources read whole), then all crates are written into one scratch workspace under
//! `target/corpus` and checked together with `cargo clippy -D warnings`, which
//! compiles each crate, its tests included. The scratch workspace reuses the
//! repository's lock file and target folder, so dependencies build once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Specs in `dir`, sorted by name.
fn specs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("error: cannot read {}: {error}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("error: no specs (*.yaml, *.yml, *.json) in {}", dir.display()));
    }
    Ok(specs)
}

pub fn run(dir: &Path, build: bool, root: &Path, out: &mut dyn Write) -> Result<(), String> {
    let specs = specs(dir)?;
    let workspace = root.join("target/corpus");
    let _ = std::fs::remove_dir_all(&workspace);
    let mut members = Vec::new();
    let mut failures = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name = format!("corpus-{}", crate::clean(Path::new(&stem)).replace(['.', ' '], "-").to_ascii_lowercase());
        let text = match std::fs::read_to_string(spec) {
            Ok(text) => text,
            Err(error) => {
                failures.push(format!("{}: cannot read: {error}", spec.display()));
                continue;
            }
        };
        let mut options = codegen::Options::new(spec.display().to_string());
        options.crate_name = Some(name.clone());
        options.command = format!("cargo xtask corpus {}", crate::clean(dir));
        let started = std::time::Instant::now();
        match codegen::generate(&text, &options) {
            Ok(files) => {
                let _ = writeln!(
                    out,
                    "generated {name} from {} ({} files) in {} ms",
                    spec.display(),
                    files.len(),
                    started.elapsed().as_millis()
                );
                // API.md is read from the files as they were formatted, in
                // parts for a long one; read whole, they must list the same.
                let listed = codegen::api_listing::listing_of_sources(&name, &files);
                let generated = files.get(codegen::api_listing::FILE_NAME);
                if listed.as_deref().map(codegen::api_listing::parse)
                    != generated.map(|md| codegen::api_listing::parse(md))
                {
                    failures.push(format!("{}: API.md differs from the listing of its sources", spec.display()));
                }
                codegen::output::write(&workspace.join(&name), &files).map_err(|error| format!("error: {error}"))?;
                members.push(name);
            }
            Err(error) => failures.push(error.to_string()),
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "error: the generator rejected {} of {} specs:\n{}",
            failures.len(),
            specs.len(),
            failures.join("\n")
        ));
    }
    if !build {
        let _ = writeln!(out, "all {} specs generated (not compiled: --no-build)", specs.len());
        return Ok(());
    }
    let manifest = format!(
        "# Scratch workspace of `cargo xtask corpus`; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(workspace.join("Cargo.toml"), manifest)
        .map_err(|error| format!("error: cannot write the corpus workspace: {error}"))?;
    let _ = std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"));
    let _ = writeln!(out, "checking {} crates with cargo clippy --all-targets -- -D warnings", members.len());
    let _ = out.flush();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["clippy", "--quiet", "--keep-going", "--workspace", "--all-targets", "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target"))
        .args(["--", "-D", "warnings"])
        .status()
        .map_err(|error| format!("error: cannot run cargo: {error}"))?;
    if !status.success() {
        return Err(format!(
            "error: the generated crates do not all pass clippy (see above); they are in {}",
            workspace.display()
        ));
    }
    let _ = writeln!(out, "all {} generated crates compile and pass clippy", members.len());
    Ok(())
}
