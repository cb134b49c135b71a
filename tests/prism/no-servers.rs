//! Calls every operation of `tests/fixtures/specs/no-servers.json` (see
//! `common.rs` for how it is run): a JSON spec without `servers`, so the
//! client must be given its base URL (building one without is refused, and
//! the recording keeps the message), operations without `operationId`, a
//! documented `301`, which must reach the caller with its `Location` (the
//! client follows no redirects), and a map response.

mod common;

use client::types::ShortenBody;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let http = common::http(&args);
    if args.proxy.is_some() {
        match client::Client::builder().http_client(http.clone()).build() {
            Err(error) => println!("built without base_url: {error}"),
            Ok(client) => println!("built without base_url: {}", client.base_url()),
        }
    }
    let client = client::Client::builder()
        .base_url(&args.base_url)
        .http_client(http)
        .retry_policy(client::client::RetryPolicy::none())
        .build()
        .expect("client");
    let mut report = common::Report::default();

    let body = ShortenBody {
        url: "https://example.com/a%20very/long?path=1&b=%C3%BC".into(),
        slug: Some("a-b".into()),
        expires: Some(3600),
    };
    report.call("shorten", seen!(client.shorten(body).send_with_response().await));
    // The documented 301 is an error variant that carries its `Location`.
    match client.get_links_by_slug("a b").send_with_response().await {
        Err(client::Error::MovedPermanently(moved)) => match moved.location {
            Some(location) => println!("GET /links/{{slug}}: 301 to {location}"),
            None => report.fail("GET /links/{slug}", "301 without its Location".to_owned()),
        },
        other => report.call("GET /links/{slug}", seen!(other)),
    }
    let call = client.delete_links_by_slug("a-b").force(true);
    report.call("DELETE /links/{slug}", seen!(call.send_with_response().await));
    report.call("GET /", seen!(client.get_root().send_with_response().await));
    report.call("GET /stats", seen!(client.get_stats().send_with_response().await));
    report.finish()
}
