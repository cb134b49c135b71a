//! Calls every operation of `tests/fixtures/specs/security.yaml` (see
//! `common.rs` for how it is run) with clients holding different
//! credentials, so the wire shows which requirement each one satisfies:
//! all schemes of one requirement together (AND), the first requirement
//! the client holds in full (OR, in the spec's order), none where `{}` or
//! `security: []` allows it. A call no held credentials satisfy fails before
//! it is sent: the driver prints its error, and nothing reaches the server.

mod common;

use client::client::{ClientBuilder, RetryPolicy};
use client::types::Note;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let mut report = common::Report::default();
    let client = |name: &str, builder: ClientBuilder| {
        println!("client {name}");
        builder
            .base_url(&args.base_url)
            .http_client(common::http(&args))
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client")
    };

    // Every credential: each operation sends its first requirement.
    let all = client(
        "with every credential",
        client::Client::builder()
            .oauth_bearer_token("oauth-token")
            .open_id_bearer_token("oidc-token")
            .bearer_auth_bearer_token("personal-token")
            .basic_auth("admin", "s3cret")
            .api_key_header_api_key("header-key")
            .api_key_query_api_key("query-key")
            .session_cookie_api_key("session-key"),
    );
    every_operation(&all, &mut report).await;

    // The script key alone: the global security's third alternative, and
    // the first of `extensionBatch` is only half held, so it is refused.
    let script = client("with the header key only", client::Client::builder().api_key_header_api_key("header-key"));
    report.call("listNotes", seen!(script.list_notes().send_with_response().await));
    report.call("createNote", seen!(script.create_note(note()).send_with_response().await));
    refused("adminExport", script.admin_export().send_with_response().await);
    refused("extensionBatch", script.extension_batch().send_with_response().await);

    // The query key and a personal token: the second requirement of
    // `extensionBatch`; `listPublicNotes` sends the token though `{}` is listed first.
    let legacy = client(
        "with the query key and a personal token",
        client::Client::builder().api_key_query_api_key("query-key").bearer_auth_bearer_token("personal-token"),
    );
    report.call("extensionBatch", seen!(legacy.extension_batch().theme("dark").send_with_response().await));
    report.call("listPublicNotes", seen!(legacy.list_public_notes().send_with_response().await));

    // No credentials: only what allows anonymous access goes out.
    let anonymous = client("without credentials", client::Client::builder());
    report.call("health", seen!(anonymous.health().send_with_response().await));
    report.call("listPublicNotes", seen!(anonymous.list_public_notes().send_with_response().await));
    refused("getNote", anonymous.get_note("n1").send_with_response().await);
    report.finish()
}

fn note() -> Note {
    Note { id: None, title: "Groceries".to_owned(), body: None, tags: None, public: None }
}

async fn every_operation(client: &client::Client, report: &mut common::Report) {
    report.call("health", seen!(client.health().send_with_response().await));
    report.call("listPublicNotes", seen!(client.list_public_notes().send_with_response().await));
    report.call("listNotes", seen!(client.list_notes().tag("home").send_with_response().await));
    report.call("createNote", seen!(client.create_note(note()).send_with_response().await));
    report.call("getNote", seen!(client.get_note("n1").send_with_response().await));
    report.call("deleteNote", seen!(client.delete_note("n1").send_with_response().await));
    #[allow(deprecated, reason = "the spec deprecates it; it is still called")]
    let legacy = client.legacy_list_notes();
    report.call("legacyListNotes", seen!(legacy.send_with_response().await));
    report.call("extensionSync", seen!(client.extension_sync().body(vec![note()]).send_with_response().await));
    report.call("adminListUsers", seen!(client.admin_list_users().send_with_response().await));
    report.call("adminExport", seen!(client.admin_export().send_with_response().await));
    let batch = client.extension_batch().theme("dark");
    report.call("extensionBatch", seen!(batch.send_with_response().await));
}

/// A call that must fail before it is sent; its error is part of the record.
fn refused<T: std::fmt::Debug>(name: &str, outcome: Result<T, client::Error>) {
    match outcome {
        Err(client::Error::InvalidRequest(message)) => println!("{name} refused: {message}"),
        other => {
            println!("{name}: expected a refusal, got {other:?}");
            std::process::exit(1)
        }
    }
}
