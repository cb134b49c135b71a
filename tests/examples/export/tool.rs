//! The export tool: queue a payments export with a filter from the command
//! line, watch it until it completes, download the file, and read it.
//! `examples/export.rs` runs it; `tests/export_tool.rs` runs it with `--mock`.

use std::error::Error as StdError;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use payouts::Client;
use payouts::client::{Poller, Polling, Progress};
use payouts::filter::{self, Filter, ProgramName};
use payouts::types::{FileFormat, PaymentsExportRequest};

/// The variable the access token is read from (never the command line,
/// where other users of the machine can see it in `ps`).
pub const TOKEN_VARIABLE: &str = "PARTNER_CENTER_TOKEN";

/// Queue a Partner Center payments export, wait for it, download it and
/// summarise the files inside. The access token is read from
/// PARTNER_CENTER_TOKEN.
#[derive(Debug, Parser)]
#[command(name = "export")]
pub struct Args {
    /// Run everything against a local stand-in of the service (no token needed).
    #[arg(long)]
    pub mock: bool,
    /// The API's base URL.
    #[arg(long, value_name = "URL", default_value = payouts::DEFAULT_BASE_URL)]
    pub base_url: String,
    /// Partner program to export (`programName eq ...`).
    #[arg(long, default_value = ProgramName::CSP_DIRECT_BILL_PARTNER)]
    pub program: String,
    /// Only payments made on or after this date (`paymentDate ge`), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,
    /// Only payments made on or before this date (`paymentDate le`), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub until: Option<chrono::NaiveDate>,
    /// Only this enrollment participant (`enrollmentParticipantId eq`).
    #[arg(long, value_name = "ID")]
    pub participant: Option<String>,
    /// Format of the exported files.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Seconds between two status polls [default: the service's 30, or 1 with --mock].
    #[arg(long, value_name = "SECONDS")]
    pub poll_every: Option<u64>,
    /// Give up waiting for the export after this many hours.
    #[arg(long, value_name = "HOURS", default_value_t = 24)]
    pub timeout_hours: u64,
    /// Where to save the downloaded file.
    #[arg(long, short, value_name = "PATH", default_value = "payouts-export.zip")]
    pub output: PathBuf,
    /// No status line or progress bar (for logs).
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Tsv,
}

/// One data file of the export.
#[derive(Debug, PartialEq, Eq)]
pub struct FileSummary {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: u64,
}

type BoxError = Box<dyn StdError + Send + Sync>;

/// The whole job. `token` is the value of [`TOKEN_VARIABLE`]; what the
/// tool reports goes to `out`.
pub async fn run(args: Args, token: Option<String>, out: &mut impl Write) -> Result<Vec<FileSummary>, BoxError> {
    let mut _mock = None;
    let (base_url, token) = if args.mock {
        let mock = mock::Service::start().await?;
        writeln!(out, "mock service at {}", mock.base_url)?;
        let base_url = mock.base_url.clone();
        _mock = Some(mock);
        (base_url, "mock-token".to_owned())
    } else {
        let token = token.filter(|token| !token.trim().is_empty());
        let token =
            token.ok_or_else(|| format!("set {TOKEN_VARIABLE} to a Partner Center access token, or use --mock"))?;
        (args.base_url.clone(), token)
    };
    let client = Client::builder().base_url(base_url).bearer_token(token).build()?;

    let wanted = filter_of(&args);
    let format = match args.format {
        Format::Csv => FileFormat::Csv,
        Format::Tsv => FileFormat::Tsv,
    };
    writeln!(out, "queueing an export with $filter = {wanted}")?;
    let interval = Duration::from_secs(args.poll_every.unwrap_or(if args.mock { 1 } else { 30 }));
    let timeout = Duration::from_secs(args.timeout_hours.saturating_mul(3600));
    let poller = client
        .create_payments_export_request()
        .filter(wanted)
        .file_format(format)
        .send_and_poll(Polling::new(interval, timeout))
        .await?;
    let export = watch(poller, args.quiet, out).await?;
    writeln!(out, "export {} is {}", export.request_id, export.status)?;

    let bar = bar(args.quiet, "{spinner} downloading [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}");
    let shown = bar.clone();
    let size = client
        .download(&export.blob_location)
        .on_progress(move |Progress { received, total, .. }| {
            if let Some(total) = total {
                shown.set_length(total);
            }
            shown.set_position(received);
        })
        .to_file(&args.output)
        .await?;
    bar.finish_and_clear();
    writeln!(out, "downloaded {size} bytes to {}", args.output.display())?;

    let files = read_archive(&args.output)?;
    for file in &files {
        writeln!(out, "{}: {} rows; columns: {}", file.name, file.rows, file.columns.join(", "))?;
    }
    Ok(files)
}

/// The `$filter` the flags ask for.
fn filter_of(args: &Args) -> Filter {
    let mut wanted = filter::program_name().eq(&args.program);
    if let Some(since) = args.since {
        wanted = wanted.and(filter::payment_date().ge(since));
    }
    if let Some(until) = args.until {
        wanted = wanted.and(filter::payment_date().le(until));
    }
    if let Some(participant) = &args.participant {
        wanted = wanted.and(filter::enrollment_participant_id().eq(participant));
    }
    wanted
}

/// Follows the client's stream of status snapshots until the export
/// completes, with a live status line (status, time waited, polls). The
/// stream ends with an error for a failed export or when the timeout passes.
async fn watch(
    mut poller: Poller<PaymentsExportRequest>,
    quiet: bool,
    out: &mut impl Write,
) -> Result<PaymentsExportRequest, BoxError> {
    let line = bar(quiet, "{spinner} export {msg}");
    line.enable_steady_tick(Duration::from_millis(120));
    let mut last = None;
    while let Some(snapshot) = poller.next().await {
        let snapshot = match snapshot {
            Ok(snapshot) => snapshot,
            Err(error) => {
                line.finish_and_clear();
                return Err(error.into());
            }
        };
        if snapshot.polls == 0 {
            writeln!(out, "export {} is {}", snapshot.resource.request_id, snapshot.state)?;
        }
        let waited = snapshot.elapsed.as_secs();
        line.set_message(format!("{} · waited {waited} s · {} polls", snapshot.state, snapshot.polls));
        last = Some(snapshot.resource);
    }
    line.finish_and_clear();
    last.ok_or_else(|| "the wait ended without a status".into())
}

/// A progress line on standard error, or nothing with `--quiet`.
fn bar(quiet: bool, template: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::no_length();
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Every CSV or TSV file in the zip archive at `path`: its name, header and
/// row count. Entries are read in memory, never extracted, so names in the
/// archive cannot point outside any folder.
pub fn read_archive(path: &std::path::Path) -> Result<Vec<FileSummary>, BoxError> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index(index)?;
        let name = entry.name().to_owned();
        let lower = name.to_ascii_lowercase();
        let delimiter = if lower.ends_with(".csv") {
            b','
        } else if lower.ends_with(".tsv") {
            b'\t'
        } else {
            continue;
        };
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(entry);
        let columns = reader.headers()?.iter().map(str::to_owned).collect();
        let mut rows = 0;
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            rows += 1;
        }
        files.push(FileSummary { name, columns, rows });
    }
    Ok(files)
}

/// A local stand-in for the service and its storage host: the create call
/// answers `Queued`, the status call `Processing` once and then `Completed`
/// with a signed link to a zip (built here) holding a CSV file.
pub mod mock {
    use std::io::Write;
    use std::sync::Arc;

    use payouts_tests::blob_server::{Behaviour, BlobServer, Content};
    use serde_json::json;
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::BoxError;

    const ID: &str = "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4";
    /// Rows of the CSV file in the archive.
    pub const ROWS: u64 = 250;
    pub const COLUMNS: [&str; 6] =
        ["paymentId", "enrollmentParticipantId", "programName", "paymentAmount", "currencyCode", "paymentDate"];

    pub struct Service {
        pub base_url: String,
        _api: MockServer,
        _storage: BlobServer,
    }

    fn envelope(status: &str, blob: &str) -> serde_json::Value {
        json!({
            "value": [{
                "requestId": ID,
                "requestDateTime": "2023-05-25T21:20:46.3727561Z",
                "requestPath": "/v1.0/payouts/payments",
                "requestQueryString": "programName eq 'CSP Direct Bill Partner'",
                "blobLocation": blob,
                "status": status
            }],
            "nextLink": null,
            "totalCount": 1
        })
    }

    /// A zip archive holding `payments.csv`, deflated.
    pub fn archive() -> Result<Vec<u8>, BoxError> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("payments.csv", options)?;
        writeln!(zip, "{}", COLUMNS.join(","))?;
        for row in 0..ROWS {
            writeln!(
                zip,
                "{:012},{},CSP Direct Bill Partner,{}.{:02},USD,2023-03-{:02}",
                700_000 + row,
                1_000 + row % 7,
                100 + row * 3,
                row % 100,
                1 + row % 28
            )?;
        }
        Ok(zip.finish()?.into_inner())
    }

    impl Service {
        pub async fn start() -> Result<Self, BoxError> {
            let storage = BlobServer::start(Content::Bytes(Arc::new(archive()?)), Behaviour::default()).await?;
            let blob = format!(
                "{}/exports/{ID}.zip?sv=2021-08-06&se=2030-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=mock-signature",
                storage.url
            );
            let api = MockServer::start().await;
            Mock::given(method("POST"))
                .and(path("/payouts/payments"))
                .respond_with(ResponseTemplate::new(202).set_body_json(envelope("Queued", "")))
                .mount(&api)
                .await;
            Mock::given(method("GET"))
                .and(path_regex("^/payouts/payments/[0-9a-f-]+$"))
                .respond_with(ResponseTemplate::new(200).set_body_json(envelope("Processing", "")))
                .up_to_n_times(1)
                .mount(&api)
                .await;
            Mock::given(method("GET"))
                .and(path_regex("^/payouts/payments/[0-9a-f-]+$"))
                .respond_with(ResponseTemplate::new(200).set_body_json(envelope("Completed", &blob)))
                .mount(&api)
                .await;
            Ok(Self { base_url: api.uri(), _api: api, _storage: storage })
        }
    }
}
