//! Downloads of an `x-download-link` (`blobLocation`) with the generated
//! client, against a local storage stand-in that drops connections, honours
//! or ignores `Range`, and records every request's headers.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use payouts::Client;
use payouts::client::{DownloadError, Progress, RetryPolicy};
use payouts::error::Error;
use payouts_tests::blob_server::{Behaviour, BlobServer, Content, pattern_byte};

/// A few megabytes, so the body spans many chunks.
const SIZE: u64 = 5 * 1024 * 1024 + 123;
/// Where the first connection drops.
const DROP_AT: u64 = 1_500_000;
const SIGNATURE: &str = "c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1zaG93";

fn retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(5),
    }
}

/// A client with a bearer token, which must never reach the storage host.
fn client(max_attempts: u32) -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token("api-token-for-the-payouts-service")
        .retry_policy(retries(max_attempts))
        .build()
        .expect("a valid client")
}

/// A storage-style link: the signature is in the query.
fn link(server: &BlobServer) -> String {
    format!("{}/exports/payouts.zip?sv=2021-08-06&se=2030-01-01T00%3A00%3A00Z&sp=r&sig={SIGNATURE}", server.url)
}

fn expected(len: u64) -> Vec<u8> {
    (0..len).map(pattern_byte).collect()
}

/// The names in a folder, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("readable folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn recorder() -> (Arc<Mutex<Vec<Progress>>>, impl FnMut(Progress) + Send + 'static) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    (seen, move |progress| log.lock().expect("unpoisoned").push(progress))
}

fn download_error(error: Error) -> DownloadError {
    match error {
        Error::Download(error) => *error,
        other => panic!("expected a download error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_connection_resumes_with_range_and_no_credential_is_sent() {
    let behaviour = Behaviour { drop_first_at: Some(DROP_AT), ..Behaviour::default() };
    let server = BlobServer::start(Content::Pattern(SIZE), behaviour).await.expect("server");
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("payouts.zip");
    let (progress, report) = recorder();

    let written =
        client(4).download(link(&server).as_str()).on_progress(report).to_file(&path).await.expect("downloaded");

    assert_eq!(written, SIZE);
    assert!(std::fs::read(&path).expect("the file") == expected(SIZE), "the file differs from what was served");
    assert_eq!(names(folder.path()), ["payouts.zip"], "no temporary file is left");
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].range, None);
    assert_eq!(seen[1].range.as_deref(), Some(format!("bytes={DROP_AT}-").as_str()));
    assert_eq!(seen[1].if_range.as_deref(), Some("\"blob-1\""), "resumes only the same file");
    assert!(seen.iter().all(|request| !request.authorization && !request.cookie), "{seen:?}");
    assert!(seen.iter().all(|request| request.target.contains(SIGNATURE)), "the link is sent as given");

    let progress = progress.lock().expect("unpoisoned").clone();
    assert!(progress.windows(2).all(|pair| pair[0].received < pair[1].received), "progress only grows");
    assert!(progress.iter().all(|step| step.total == Some(SIZE)));
    assert_eq!(progress.last().map(|step| step.received), Some(SIZE));
    assert!(progress.iter().any(|step| step.received == DROP_AT), "the first attempt's bytes are kept");
}

#[tokio::test]
async fn a_writer_receives_the_whole_file_across_a_dropped_connection() {
    let behaviour = Behaviour { drop_first_at: Some(DROP_AT), ..Behaviour::default() };
    let server = BlobServer::start(Content::Pattern(SIZE), behaviour).await.expect("server");
    let mut out: Vec<u8> = Vec::new();

    let written = client(4).download(link(&server)).to_writer(&mut out).await.expect("downloaded");

    assert_eq!(written, SIZE);
    assert!(out == expected(SIZE), "the bytes differ from what was served");
    assert_eq!(server.seen()[1].range.as_deref(), Some(format!("bytes={DROP_AT}-").as_str()));
}

#[tokio::test]
async fn a_server_that_ignores_range_makes_a_clean_restart() {
    let behaviour = Behaviour { drop_first_at: Some(DROP_AT), ignore_range: true, ..Behaviour::default() };
    let server = BlobServer::start(Content::Pattern(SIZE), behaviour).await.expect("server");
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("out.bin");
    let (progress, report) = recorder();

    // A file starts over from the first byte.
    let written = client(4).download(link(&server)).on_progress(report).to_file(&path).await.expect("downloaded");
    assert_eq!(written, SIZE);
    assert!(std::fs::read(&path).expect("the file") == expected(SIZE), "the file differs from what was served");
    assert_eq!(names(folder.path()), ["out.bin"]);
    let progress = progress.lock().expect("unpoisoned").clone();
    assert!(progress.iter().any(|step| step.received == 0), "the restart is reported");
    assert_eq!(progress.last().map(|step| step.received), Some(SIZE));

    // A writer, which cannot be rewound, skips what it already has.
    let server = BlobServer::start(
        Content::Pattern(SIZE),
        Behaviour { drop_first_at: Some(DROP_AT), ignore_range: true, ..Behaviour::default() },
    )
    .await
    .expect("server");
    let mut out: Vec<u8> = Vec::new();
    let written = client(4).download(link(&server)).to_writer(&mut out).await.expect("downloaded");
    assert_eq!(written, SIZE);
    assert!(out == expected(SIZE), "the bytes differ from what was served");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn a_size_mismatch_is_an_error_and_leaves_no_file() {
    let behaviour = Behaviour { drop_first_at: Some(DROP_AT), short_resume: true, ..Behaviour::default() };
    let server = BlobServer::start(Content::Pattern(SIZE), behaviour).await.expect("server");
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("payouts.zip");

    let error = client(4).download(link(&server)).to_file(&path).await.expect_err("the body is short");

    let message = error.to_string();
    match download_error(error) {
        DownloadError::SizeMismatch { expected, received } => {
            assert_eq!((expected, received), (SIZE, SIZE - 1000));
        }
        other => panic!("expected a size mismatch, got {other:?}"),
    }
    assert!(message.contains(&format!("received {} bytes", SIZE - 1000)), "{message}");
    assert!(names(folder.path()).is_empty(), "nothing under the final name, no temporary file");
}

#[tokio::test]
async fn a_connection_that_always_drops_gives_up_after_the_policy_s_attempts() {
    let behaviour = Behaviour { always_short: true, ..Behaviour::default() };
    let server = BlobServer::start(Content::Pattern(SIZE), behaviour).await.expect("server");
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("payouts.zip");

    let error = client(3).download(link(&server)).to_file(&path).await.expect_err("never complete");

    let message = error.to_string();
    match download_error(error) {
        DownloadError::Interrupted { attempts, total, received, .. } => {
            assert_eq!((attempts, total), (3, Some(SIZE)));
            assert!(received < SIZE);
        }
        other => panic!("expected an interrupted download, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 3);
    assert!(!message.contains(SIGNATURE), "{message}");
    assert!(names(folder.path()).is_empty(), "nothing under the final name, no temporary file");
}

#[tokio::test]
async fn errors_and_debug_output_never_show_the_signature() {
    let body = format!("<Error><Code>AuthenticationFailed</Code><Detail>sig={SIGNATURE} expired</Detail></Error>");
    let behaviour = Behaviour { status: Some((403, body)), ..Behaviour::default() };
    let server = BlobServer::start(Content::Pattern(10), behaviour).await.expect("server");
    let download = client(3).download(link(&server));
    let debug = format!("{download:?}");
    assert!(!debug.contains(SIGNATURE) && debug.contains("sig=redacted") && debug.contains("sp=r"), "{debug}");

    let mut out = Vec::new();
    let error = download.to_writer(&mut out).await.expect_err("forbidden");

    assert_eq!(error.status(), Some(403));
    let message = error.to_string();
    assert!(!message.contains(SIGNATURE), "{message}");
    assert!(message.contains("sig=redacted") && message.contains("AuthenticationFailed"), "{message}");
    assert!(!format!("{error:?}").contains(SIGNATURE));
    assert_eq!(server.seen().len(), 1, "403 is not retried");
}

#[tokio::test]
async fn a_resource_without_a_link_yet_is_a_clear_error() {
    let empty: Option<String> = Some(String::new());
    let error = client(1).download(&empty).to_writer(&mut Vec::new()).await.expect_err("no link");
    assert!(matches!(download_error(error), DownloadError::NoLink));

    let error = client(1).download("ftp://host/file?sig=secret-value").to_writer(&mut Vec::new()).await;
    let message = error.expect_err("not http").to_string();
    assert!(message.contains("is not an http or https URL") && !message.contains("secret-value"), "{message}");
}
