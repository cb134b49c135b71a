//! `cargo xtask bench [SPEC|DIR]... [--synthetic N,...] [--build] [--write-specs DIR]`: how fast
//! the generator is, where the time goes, and how much memory it takes.
//! Prints figures; asserts nothing (timings are not tests).
//!
//! Each spec is generated `--iterations` times in this process: the minimum,
//! median and maximum wall time, the size of the output, the median time of
//! each stage, and the peak memory while generating it (Linux: the process's
//! high-water mark, reset before each spec). `--synthetic 10,100,1000` adds
//! built-in specs of that many resources (see `synthetic.rs`), so scaling is
//! measured without committed megabytes (`--write-specs DIR` also writes them
//! out, to time whole processes on them). `--build` also times a cold
//! `cargo build` of each generated crate, its dependencies already built.
//! Runs after the first in one process find the binary's run heap closed
//! once 16 MiB have been used (`allocator.rs`), so their memory comes from
//! mimalloc alone: a single run's whole-process time (README, "Speed") is
//! what a user of `cargo xtask generate` sees.
//! For figures that mean something, build optimised:
//! `cargo run --release -p xtask -- bench --synthetic 100,1000 ../shared/specs/public`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What to measure.
pub struct Plan {
    pub inputs: Vec<PathBuf>,
    pub synthetic: Vec<usize>,
    pub iterations: usize,
    pub build: bool,
    /// A folder to write the synthetic specs into.
    pub write_specs: Option<PathBuf>,
}

/// A spec to measure: its name and text.
struct Spec {
    name: String,
    text: String,
}

pub fn run(plan: &Plan, root: &Path, out: &mut dyn Write) -> Result<(), String> {
    let specs = collect(plan, root)?;
    let iterations = plan.iterations.max(1);
    let profile = if cfg!(debug_assertions) { "debug build: use --release for real figures" } else { "release build" };
    let _ = writeln!(out, "generation over {iterations} runs per spec ({profile})");
    let _ = writeln!(
        out,
        "{:<34} {:>9} {:>9} {:>9} {:>6} {:>9} {:>9}",
        "spec", "min ms", "median ms", "max ms", "files", "lines", "peak MiB"
    );
    let mut stage_rows = Vec::new();
    let mut built = Vec::new();
    for spec in &specs {
        reset_peak_memory();
        let options = codegen::Options::new(spec.name.clone());
        let mut totals: Vec<Duration> = Vec::with_capacity(iterations);
        let mut stages: Vec<(&'static str, Vec<Duration>)> = Vec::new();
        let mut files = codegen::Files::new();
        for _ in 0..iterations {
            let mut timings = codegen::Timings::default();
            let started = Instant::now();
            let result = codegen::generate_timed(&spec.text, &options, &mut timings);
            totals.push(started.elapsed());
            files = result.map_err(|error| format!("{error}"))?;
            for (stage, time) in timings.stages {
                match stages.iter_mut().find(|(name, _)| *name == stage) {
                    Some((_, times)) => times.push(time),
                    None => stages.push((stage, vec![time])),
                }
            }
        }
        // Writing the files is the last stage; into a scratch folder, once.
        let folder = root.join("target/bench").join(crate_folder(&spec.name));
        let started = Instant::now();
        codegen::output::write(&folder, &files).map_err(|error| format!("error: {error}"))?;
        stages.push(("output (write files)", vec![started.elapsed()]));
        let peak =
            peak_memory_kib().map(|kib| format!("{:.1}", kib as f64 / 1024.0)).unwrap_or_else(|| "n/a".to_owned());
        let lines: usize = files.values().map(|text| text.lines().count()).sum();
        let _ = writeln!(
            out,
            "{:<34} {:>9.2} {:>9.2} {:>9.2} {:>6} {:>9} {:>9}",
            spec.name,
            ms(min(&totals)),
            ms(median(&mut totals)),
            ms(max(&totals)),
            files.len(),
            lines,
            peak
        );
        let parts: Vec<String> =
            stages.iter_mut().map(|(stage, times)| format!("{stage} {:.2}", ms(median(times)))).collect();
        stage_rows.push(format!("{:<34} {}", spec.name, parts.join(", ")));
        if plan.build {
            built.push((spec.name.clone(), folder));
        }
    }
    let _ = writeln!(out, "\nmedian ms per stage");
    for row in stage_rows {
        let _ = writeln!(out, "{row}");
    }
    if !built.is_empty() {
        let _ = writeln!(out, "\ncold `cargo build` (debug) of each generated crate, dependencies already built");
        for (name, folder) in built {
            let seconds = cold_build(&folder, root)?;
            let _ = writeln!(out, "{name:<34} {seconds:>8.2} s");
        }
    }
    Ok(())
}

fn collect(plan: &Plan, root: &Path) -> Result<Vec<Spec>, String> {
    let mut paths = Vec::new();
    let inputs = if plan.inputs.is_empty() && plan.synthetic.is_empty() {
        vec![root.join("spec/payouts.yaml")]
    } else {
        plan.inputs.clone()
    };
    for input in inputs {
        if input.is_dir() {
            let entries =
                std::fs::read_dir(&input).map_err(|e| format!("error: cannot read {}: {e}", input.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
                .collect();
            found.sort();
            paths.extend(found);
        } else {
            paths.push(input);
        }
    }
    let mut specs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        specs.push(Spec { name, text });
    }
    for &resources in &plan.synthetic {
        let spec = Spec { name: format!("synthetic-{resources}.json"), text: crate::synthetic::spec(resources) };
        if let Some(folder) = &plan.write_specs {
            let path = folder.join(&spec.name);
            std::fs::create_dir_all(folder)
                .and_then(|()| std::fs::write(&path, &spec.text))
                .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
        }
        specs.push(spec);
    }
    Ok(specs)
}

/// A folder name for a spec's crate under `target/bench`.
fn crate_folder(spec_name: &str) -> String {
    let stem = spec_name.rsplit_once('.').map_or(spec_name, |(stem, _)| stem);
    let name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("bench-{name}")
}

/// Builds the crate once (dependencies), then again from a clean crate: the
/// seconds of the second build.
fn cold_build(folder: &Path, root: &Path) -> Result<f64, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = folder.join("Cargo.toml");
    // A workspace of its own, sharing the repository's lock file and target folder.
    let workspace = folder.parent().unwrap_or(folder).join(format!(
        "{}-workspace",
        folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).map_err(|e| format!("error: {e}"))?;
    let member = workspace.join("crate");
    copy_dir(folder, &member).map_err(|e| format!("error: cannot copy {}: {e}", manifest.display()))?;
    std::fs::write(workspace.join("Cargo.toml"), "[workspace]\nresolver = \"3\"\nmembers = [\"crate\"]\n")
        .map_err(|e| format!("error: {e}"))?;
    let _ = std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"));
    let target = root.join("target/bench/target");
    let build = |clean_first: bool| -> Result<Duration, String> {
        if clean_first {
            let package = package_name(&member.join("Cargo.toml"))?;
            Command::new(&cargo)
                .args(["clean", "--quiet", "--package", &package, "--manifest-path"])
                .arg(workspace.join("Cargo.toml"))
                .arg("--target-dir")
                .arg(&target)
                .status()
                .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        }
        let started = Instant::now();
        let status = Command::new(&cargo)
            .args(["build", "--quiet", "--manifest-path"])
            .arg(workspace.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .status()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("error: the crate in {} does not build", member.display()));
        }
        Ok(started.elapsed())
    };
    build(false)?;
    Ok(build(true)?.as_secs_f64())
}

fn package_name(manifest: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("error: cannot read {}: {e}", manifest.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("name = \"").and_then(|rest| rest.strip_suffix('"')))
        .map(str::to_owned)
        .ok_or_else(|| format!("error: no package name in {}", manifest.display()))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn min(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

fn max(times: &[Duration]) -> Duration {
    times.iter().copied().max().unwrap_or_default()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Resets the process's peak resident memory (Linux: `clear_refs` 5), so
/// that each spec's peak is its own.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory (`VmHWM`), in KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
