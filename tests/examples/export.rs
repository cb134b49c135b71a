//! Queue a payments export, show its progress until it ends, and print where
//! to download it.
//!
//! Against a local mock server that answers like the real service (queued,
//! processing, then completed):
//!
//!     cargo run -p payouts-tests --example export -- --mock
//!
//! Against any server:
//!
//!     cargo run -p payouts-tests --example export -- --base-url URL --token TOKEN [--program NAME] [--since YYYY-MM-DD]

use std::process::ExitCode;
use std::time::Duration;

use payouts::client::Polling;
use payouts::filter::{self, ProgramName};
use payouts::{Client, Error};

struct Options {
    base_url: Option<String>,
    token: String,
    program: String,
    since: Option<chrono::NaiveDate>,
    mock: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        base_url: None,
        token: String::new(),
        program: ProgramName::CSP_DIRECT_BILL_PARTNER.to_owned(),
        since: None,
        mock: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--mock" => options.mock = true,
            "--base-url" => options.base_url = Some(value("--base-url")?),
            "--token" => options.token = value("--token")?,
            "--program" => options.program = value("--program")?,
            "--since" => {
                let text = value("--since")?;
                let date = text.parse().map_err(|_| format!("--since `{text}` is not a date (YYYY-MM-DD)"))?;
                options.since = Some(date);
            }
            other => return Err(format!("unknown argument `{other}`; see the top of examples/export.rs")),
        }
    }
    if !options.mock && options.base_url.is_none() {
        return Err("give --base-url URL --token TOKEN, or --mock".to_owned());
    }
    Ok(options)
}

async fn run(options: Options) -> Result<(), Error> {
    let (_server, base_url) = match options.base_url {
        Some(url) => (None, url),
        None => {
            let server = mock::start().await;
            let url = server.uri();
            println!("mock server at {url}");
            (Some(server), url)
        }
    };
    let client = Client::builder().base_url(base_url).bearer_token(options.token).build()?;
    let mut wanted = filter::program_name().eq(&options.program);
    if let Some(since) = options.since {
        wanted = wanted.and(filter::payment_date().ge(since));
    }
    println!("queueing an export with $filter = {wanted}");
    let polling = Polling::new(Duration::from_secs(if options.mock { 1 } else { 30 }), Duration::from_secs(24 * 3600));
    // `send_and_wait(polling)` would only give the end; the poller shows the way there.
    let mut poller = client.create_payments_export_request().filter(wanted).send_and_poll(polling).await?;
    while let Some(snapshot) = poller.next().await {
        let snapshot = snapshot?;
        println!("{} after {} s ({} polls)", snapshot.state, snapshot.elapsed.as_secs(), snapshot.polls);
        if snapshot.succeeded {
            let export = snapshot.resource;
            println!("export {} is {}", export.request_id, export.status);
            println!("download: {}", export.blob_location.as_deref().unwrap_or_default());
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A local stand-in for the service: the create call answers `Queued`, then
/// the status call answers `Processing` once and `Completed` after that.
mod mock {
    use serde_json::json;
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const ID: &str = "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4";

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

    pub async fn start() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/payouts/payments"))
            .respond_with(ResponseTemplate::new(202).set_body_json(envelope("Queued", "")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("^/payouts/payments/[0-9a-f-]+$"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope("Processing", "")))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        let blob = format!("https://payouts.blob.example/{ID}.zip?sig=example");
        Mock::given(method("GET"))
            .and(path_regex("^/payouts/payments/[0-9a-f-]+$"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope("Completed", &blob)))
            .mount(&server)
            .await;
        server
    }
}
