//! Download throughput and peak memory of the generated client's
//! `Client::download(..).to_file(..)`, next to a plain reqwest
//! stream-to-file loop, both against the same local server in the same run.
//! Prints figures, asserts nothing:
//!
//!     cargo bench -p payouts-tests --bench download
//!
//! `DOWNLOAD_BENCH_MB` sets the file size (default 200) and
//! `DOWNLOAD_BENCH_RUNS` the runs of each (default 3). Files go to a scratch
//! folder under the target directory and are removed.

use std::path::Path;
use std::time::{Duration, Instant};

use payouts::Client;
use payouts::reqwest;
use payouts_tests::blob_server::{Behaviour, BlobServer, Content};
use tokio::io::AsyncWriteExt;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// A `/proc/self/status` figure in KiB (Linux).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak resident memory to the current one (Linux `clear_refs` 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The plain way: reqwest's body chunks written to a file as they come.
async fn baseline(url: &str, path: &Path) -> Result<u64, BoxError> {
    let mut response = reqwest::Client::new().get(url).send().await?.error_for_status()?;
    let mut file = tokio::fs::File::create(path).await?;
    let mut written = 0;
    while let Some(chunk) = response.chunk().await? {
        file.write_all(&chunk).await?;
        written += chunk.len() as u64;
    }
    file.flush().await?;
    file.sync_all().await?;
    Ok(written)
}

async fn generated(client: &Client, url: &str, path: &Path) -> Result<u64, BoxError> {
    Ok(client.download(url).to_file(path).await?)
}

struct Figures {
    seconds: Vec<f64>,
    /// Peak resident memory of each run above the process's memory before
    /// any download (the server included).
    peak_above_start_kib: Vec<u64>,
}

impl Figures {
    fn print(&self, name: &str, bytes: u64) {
        let mut seconds = self.seconds.clone();
        seconds.sort_by(f64::total_cmp);
        let median = seconds[seconds.len() / 2];
        let mib = bytes as f64 / (1024.0 * 1024.0);
        let peak = self
            .peak_above_start_kib
            .iter()
            .max()
            .map_or("n/a".to_owned(), |kib| format!("{:.1}", *kib as f64 / 1024.0));
        println!(
            "{name:<28} {:>10.1} {:>10.1} {:>10.1} {:>18}",
            mib / median,
            mib / seconds[seconds.len() - 1],
            mib / seconds[0],
            peak
        );
    }
}

async fn measure<F, Fut>(runs: u64, bytes: u64, start: Option<u64>, mut once: F) -> Result<Figures, BoxError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<u64, BoxError>>,
{
    let mut figures = Figures { seconds: Vec::new(), peak_above_start_kib: Vec::new() };
    for _ in 0..runs {
        reset_peak();
        let started = Instant::now();
        let written = once().await?;
        let elapsed = started.elapsed().max(Duration::from_micros(1));
        if written != bytes {
            return Err(format!("wrote {written} bytes, expected {bytes}").into());
        }
        figures.seconds.push(elapsed.as_secs_f64());
        if let (Some(start), Some(peak)) = (start, status_kib("VmHWM:")) {
            figures.peak_above_start_kib.push(peak.saturating_sub(start));
        }
    }
    Ok(figures)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let bytes = setting("DOWNLOAD_BENCH_MB", 200) * 1024 * 1024;
    let runs = setting("DOWNLOAD_BENCH_RUNS", 3).max(1);
    let start = status_kib("VmRSS:");
    let server = BlobServer::start(Content::Pattern(bytes), Behaviour::default()).await?;
    let url = format!("{}/bench.bin?sv=2021-08-06&sig=benchmark-signature", server.url);
    let folder = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))?;
    let client = Client::builder().base_url(&server.url).bearer_token("benchmark-token").build()?;

    let plain_path = folder.path().join("plain.bin");
    let client_path = folder.path().join("client.bin");
    // One of each first, unmeasured, so neither pays for warming the page cache.
    baseline(&url, &plain_path).await?;
    generated(&client, &url, &client_path).await?;

    let plain = measure(runs, bytes, start, || baseline(&url, &plain_path)).await?;
    let ours = measure(runs, bytes, start, || generated(&client, &url, &client_path)).await?;

    println!("download of {} MiB from a local server, {runs} runs each", bytes / (1024 * 1024));
    println!("{:<28} {:>10} {:>10} {:>10} {:>18}", "", "MiB/s med", "MiB/s min", "MiB/s max", "peak MiB > start");
    plain.print("reqwest stream to file", bytes);
    ours.print("Client::download().to_file", bytes);
    let ratio = median(&plain.seconds) / median(&ours.seconds);
    println!(
        "client throughput: {:.0}% of the baseline's (goal: at least 90%); peak memory goal: under 32 MiB above start",
        ratio * 100.0
    );
    Ok(())
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}
