//! Calls every operation of `tests/fixtures/specs/servers.yaml` (see
//! `common.rs` for how it is run). Through the wire check's proxy, requests
//! keep their absolute URLs, so where each goes is seen: the document's
//! server with variables set, an operation's own host, a relative server.
//! Prism mocks one host, so there every operation goes to the base URL.

mod common;

use client::builders::GetArchiveTier;
use client::client::{Region, RetryPolicy};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let http = common::http(&args);
    let mut report = common::Report::default();

    if args.proxy.is_some() {
        // The spec's servers: variables set, and left at their defaults.
        let client = client::Client::builder()
            .region(Region::UsEast)
            .base_path("v3")
            .http_client(http.clone())
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client");
        println!("base URL: {}", client.base_url());
        calls(&client, &mut report).await;
        let defaults = client::Client::builder().http_client(http.clone()).build().expect("client");
        println!("default base URL: {}", defaults.base_url());
        report.call("listBuckets", seen!(defaults.list_buckets().send_with_response().await));
        // A base URL of the caller's: the document's servers give way, the
        // relative one resolves against it, the upload host stays.
        let client = client::Client::builder()
            .base_url(format!("{}/api", args.base_url))
            .http_client(http.clone())
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client");
        calls(&client, &mut report).await;
        // A variable value that would break the URL is refused at build time,
        // and an operation's when the request is sent.
        match client::Client::builder().base_path("v2?x").build() {
            Err(error) => println!("base_path(\"v2?x\"): {error}"),
            Ok(client) => println!("base_path(\"v2?x\") was accepted: {}", client.base_url()),
        }
        match client.get_archive("b1").server_version("v1#x").send().await {
            Err(error) => println!("server_version(\"v1#x\"): {error}"),
            Ok(_) => println!("server_version(\"v1#x\") was accepted"),
        }
    }
    // Everything to the base URL: how Prism (or a proxy in front of all) sees it.
    let client = client::Client::builder()
        .base_url(&args.base_url)
        .ignore_operation_servers()
        .http_client(http)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    calls(&client, &mut report).await;
    report.finish()
}

async fn calls(client: &client::Client, report: &mut common::Report) {
    report.call("listBuckets", seen!(client.list_buckets().send_with_response().await));
    report.call("listObjects", seen!(client.list_objects("b1").send_with_response().await));
    let call = client.upload_object("b1", b"bytes".to_vec());
    report.call("uploadObject", seen!(call.send_with_response().await));
    report.call("getReport", seen!(client.get_report().send_with_response().await));
    report.call("getArchive", seen!(client.get_archive("b1").send_with_response().await));
    let call = client.get_archive("b1").server_tier(GetArchiveTier::Deep).server_version("v2");
    report.call("getArchive (variables set)", seen!(call.send_with_response().await));
}
