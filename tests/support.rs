//! Helpers shared by the end-to-end tests.

pub mod blob_server;

use std::path::{Path, PathBuf};

use payouts::client::ErrorBody;
use payouts::types::ErrorResponse;
use serde_json::{Value, json};
use uuid::{Uuid, uuid};

/// A `tracing` subscriber recording spans and events for tests: the
/// runtime's own, shared so both test the same way.
#[path = "../codegen/runtime/src/trace_capture.rs"]
pub mod trace_capture;

/// The export request id of the seeds' sample.
pub const REQUEST: Uuid = uuid!("93c2b3cf-c6d8-4e7e-ade1-007768a6eba4");
/// A `MS-CorrelationId` a test sends or a server echoes.
pub const CORRELATION_ID: Uuid = uuid!("0f8fad5b-d9cb-469f-a165-70867728950e");
/// A `MS-RequestId` a test sends or a server echoes.
pub const REQUEST_ID: Uuid = uuid!("7c9e6679-7425-40de-944b-e07fc1f90ae7");
/// The seeds' sample filter, on one line.
pub const SAMPLE_FILTER: &str = "payoutStatusUpdateTS le 2019-09-25T23:11:55.647Z and (enrollmentParticipantId eq 'XXXXXXX') and (programName eq 'CSP Direct Bill Partner') and (payoutOrderType eq 'REBATE') and (paymentId eq '000000000000')";

/// A Partner Center error body and the value it decodes to.
pub fn error_body(code: &str, description: &str) -> (Value, ErrorBody<ErrorResponse>) {
    let json = json!({
        "code": code,
        "description": description,
        "data": ["paymentDate", "fileFormat"],
        "source": "PartnerFD"
    });
    let decoded = ErrorResponse {
        code: code.to_owned(),
        description: description.to_owned(),
        data: Some(vec!["paymentDate".to_owned(), "fileFormat".to_owned()]),
        source: Some("PartnerFD".to_owned()),
    };
    (json, ErrorBody::Documented(decoded))
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The feature and adversarial specs of `tests/fixtures/specs`, sorted.
pub fn fixture_specs() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures/specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    specs.retain(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"));
    specs.sort();
    specs
}

/// Output of one `cargo xtask` run, in-process.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cargo xtask ARGS` in-process, exactly as the command line does.
pub fn xtask(args: &[&str]) -> Run {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = xtask::run(args.iter().copied(), &mut stdout, &mut stderr);
    Run {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Every file under `dir`, with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.push((path.strip_prefix(dir).unwrap_or(&path).to_path_buf(), bytes));
            }
        }
    }
    files.sort();
    files
}

/// A request header as text, when present (test servers only see ASCII values).
pub fn header_text<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}
