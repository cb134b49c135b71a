//! Calls every operation of `tests/fixtures/specs/payouts-neighbour.yaml`
//! (see `common.rs` for how it is run): an export with a typed filter that
//! uses every field of its grammar, its status and its deletion, each
//! decoded and compared with the spec's example. Then the wait, bounded: a
//! poller with no interval and no timeout makes one status request, so it
//! gives the create example's `Queued`, then the status example's
//! `Processing` (Prism answers with the first of the two), then times out.
//!
//! The status requests of a wait carry fresh `MS-CorrelationId` and
//! `MS-RequestId` values, which the caller cannot fix, so
//! `wait_for_transaction_history_export_request` is called only under Prism:
//! its request is the recorded `getTransactionHistoryExportRequest` but for
//! those headers.

mod common;

use std::time::Duration;

use client::chrono::{TimeZone, Utc};
use client::client::Polling;
use client::error::{Error, WaitError};
use client::filter;
use client::types::{ExportStatus, FileFormat, TransactionHistoryExportRequestCollection};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).bearer_token("token").build().expect("client");
    let mut report = common::Report::default();
    let id = client::uuid::uuid!("5d4b0f0e-2b1f-4bd3-9a5f-3c2f9ad1e7c4");
    // Fixed, so that the recorded requests do not change from run to run.
    let correlation = client::uuid::uuid!("0f8fad5b-d9cb-469f-a165-70867728950e");
    let request_id = client::uuid::uuid!("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    let create = || {
        let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().expect("date");
        let filter = filter::earning_for_date()
            .ge(since)
            .and(filter::transaction_amount().gt(100.0).or(filter::earning_amount().lt(-0.5)))
            .and(filter::engagement_name().ne("Azure Partner's \"Growth\" Incentive"))
            .and(filter::payable_sub_type().eq("rebate"))
            .and(filter::payout_status().eq("On hold"))
            .and(filter::lever_code().eq("CSP-ICE"));
        client
            .create_transaction_history_export_request()
            .filter(filter)
            .file_format(FileFormat::Tsv)
            .ms_correlation_id(correlation)
            .ms_request_id(request_id)
    };

    let created = create().send_with_response().await;
    if let Ok(response) = &created {
        expect_example(&mut report, "createTransactionHistoryExportRequest", &response.body, ExportStatus::Queued);
    }
    report.call("createTransactionHistoryExportRequest", seen!(created));
    let call = client.get_transaction_history_export_request(id).ms_correlation_id(correlation);
    let got = call.ms_request_id(request_id).send_with_response().await;
    if let Ok(response) = &got {
        expect_example(&mut report, "getTransactionHistoryExportRequest", &response.body, ExportStatus::Processing);
    }
    report.call("getTransactionHistoryExportRequest", seen!(got));
    let call = client.delete_transaction_history_export_request(id).ms_correlation_id(correlation);
    let call = call.ms_request_id(request_id);
    report.call("deleteTransactionHistoryExportRequest", seen!(call.send_with_response().await));

    // No interval, no timeout: exactly one status request.
    let polling = Polling::new(Duration::ZERO, Duration::ZERO);
    match create().send_and_poll(polling).await {
        Err(error) => report.fail("send_and_poll", error.to_string()),
        Ok(mut poller) => {
            let mut seen = Vec::new();
            while let Some(item) = poller.next().await {
                seen.push(match item {
                    Ok(snapshot) => format!("{} after {} polls", snapshot.state, snapshot.polls),
                    Err(error) => timed_out(error),
                });
            }
            let expected = ["Queued after 0 polls", "Processing after 1 polls", "timed out in Processing"];
            if seen == expected {
                println!("send_and_poll: {}", seen.join(", "));
            } else {
                report.fail("send_and_poll", format!("gave {seen:?}, expected {expected:?}"));
            }
        }
    }
    if args.proxy.is_none() {
        let waited = client.wait_for_transaction_history_export_request(id, polling).await;
        match waited.map_err(timed_out) {
            Err(outcome) if outcome == "timed out in Processing" => {
                println!("wait_for_transaction_history_export_request: {outcome}");
            }
            other => report.fail("wait_for_transaction_history_export_request", format!("{other:?}")),
        }
    }
    report.finish()
}

/// The spec's example for the operation: one request in `status`.
fn expect_example(
    report: &mut common::Report,
    name: &str,
    body: &TransactionHistoryExportRequestCollection,
    status: ExportStatus,
) {
    let decoded: Vec<_> = body.value.iter().map(|request| (request.request_id.to_string(), &request.status)).collect();
    let expected = [("5d4b0f0e-2b1f-4bd3-9a5f-3c2f9ad1e7c4".to_owned(), &status)];
    if decoded != expected || body.total_count != Some(1) || body.next_link.is_some() {
        report.fail(name, format!("decoded {body:?}, not the spec's example"));
    }
}

/// A wait's error, told apart from the time-out it should be.
fn timed_out(error: Error) -> String {
    match error {
        Error::Wait(wait) => match *wait {
            WaitError::TimedOut { state, .. } => format!("timed out in {state}"),
            other => other.to_string(),
        },
        other => other.to_string(),
    }
}
