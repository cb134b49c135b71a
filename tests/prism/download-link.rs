//! Calls every operation of `tests/fixtures/specs/download-link.yaml` (see
//! `common.rs` for how it is run): gets a report, whose `file` is a signed
//! link (`x-download-link`), and downloads with `Client::download`.
//!
//! The link Prism returns is its static example of a `format: uri` string,
//! `http://example.com`: a host Prism does not mock (a real one would be a
//! storage service), so it is checked as decoded, not fetched. What is
//! downloaded instead is a link on the mocked host (the report itself, which
//! Prism serves): the bytes must be the report as Prism serves it. A
//! download sends none of the client's headers, so Prism's verdict on it
//! (`sl-violations`) is not seen; its request is in the wire recording.

mod common;

use client::types::{Report, ReportPartsItem};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let http = common::http(&args);
    let client = client::Client::builder()
        .base_url(&args.base_url)
        .http_client(http.clone())
        .retry_policy(client::client::RetryPolicy::none())
        .build()
        .expect("client");
    let mut report = common::Report::default();

    let got = client.get_report("r1").send_with_response().await;
    let expected = Report {
        name: "string".to_owned(),
        file: "http://example.com".to_owned(),
        parts: Some(vec![ReportPartsItem { link: Some("string".to_owned()) }]),
    };
    if let Ok(response) = &got
        && response.body != expected
    {
        report.fail("getReport", format!("decoded as {:?}", response.body));
    }
    report.call("getReport", seen!(got));

    let mut bytes = Vec::new();
    let link = format!("{}/reports/r1", args.base_url);
    let download = client.download(link).http_client(http).to_writer(&mut bytes).await;
    // Prism serves the report as it serialized it for `getReport`.
    let served = r#"{"name":"string","file":"http://example.com","parts":[{"link":"string"}]}"#;
    match download {
        Ok(size) if bytes == served.as_bytes() => println!("download: {size} bytes, the report"),
        Ok(_) => report.fail("download", format!("downloaded {:?}", String::from_utf8_lossy(&bytes))),
        Err(error) => report.call("download", Err(error)),
    }
    report.finish()
}
