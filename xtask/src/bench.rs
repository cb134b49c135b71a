//! `cargo xtask bench [SPEC|DIR]...`: how fast the generator is, and how much
//! memory it takes. Prints figures; asserts nothing (timings are not tests).
//!
//! Each spec is generated `--iterations` times in this process; the minimum,
//! median and maximum wall time are shown with the size of the output. Peak
//! memory is the process's high-water mark after all runs (Linux only). For
//! figures that mean something, build optimised:
//! `cargo run --release -p xtask -- bench ../shared/specs/public`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub fn run(inputs: &[PathBuf], iterations: usize, root: &Path, out: &mut dyn Write) -> Result<(), String> {
    let mut specs = Vec::new();
    let inputs = if inputs.is_empty() { vec![root.join("spec/payouts.yaml")] } else { inputs.to_vec() };
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
            specs.extend(found);
        } else {
            specs.push(input);
        }
    }
    let iterations = iterations.max(1);
    let profile = if cfg!(debug_assertions) { "debug build: use --release for real figures" } else { "release build" };
    let _ = writeln!(out, "generation time over {iterations} runs per spec ({profile})");
    let _ = writeln!(
        out,
        "{:<40} {:>9} {:>9} {:>9} {:>7} {:>10}",
        "spec", "min ms", "median ms", "max ms", "files", "bytes out"
    );
    for spec in &specs {
        let text = std::fs::read_to_string(spec).map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
        let options = codegen::Options::new(spec.display().to_string());
        let mut times: Vec<Duration> = Vec::with_capacity(iterations);
        let mut output = (0, 0);
        for _ in 0..iterations {
            let started = Instant::now();
            let result = codegen::generate(&text, &options);
            times.push(started.elapsed());
            match result {
                Ok(files) => output = (files.len(), files.values().map(String::len).sum::<usize>()),
                Err(error) => return Err(format!("{error}")),
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<40} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>10}",
            name,
            ms(times[0]),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1]),
            output.0,
            output.1
        );
    }
    match peak_memory_kib() {
        Some(kib) => {
            let _ = writeln!(out, "peak memory of this process: {:.1} MiB", kib as f64 / 1024.0);
        }
        None => {
            let _ = writeln!(out, "peak memory: not available on this platform");
        }
    }
    Ok(())
}

/// The process's peak resident memory (`VmHWM`), in KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
