//! Calls every operation of `tests/fixtures/specs/payouts-combined.yaml`
//! (see `common.rs` for how it is run): both export families, each with a
//! typed filter from its own grammar (`filter` and `filter_2`, which share
//! the field names `programName` and `payoutStatus`), its status and its
//! deletion. The transaction history answers are compared with the spec's
//! examples; the payments operations have none, so Prism makes up values
//! from the schema, which must decode.
//!
//! Then both waits, bounded: with no interval and no timeout, a wait makes
//! one status request and times out in the state that request gave
//! (`Processing`, the first transaction history example; `Queued`, the first
//! value of the status enum, which Prism picks for the payments status). The
//! status requests of a wait carry fresh `MS-CorrelationId` and
//! `MS-RequestId` values, which the caller cannot fix, so the `wait_for_*`
//! methods are called only under Prism: their requests are the recorded
//! `get*ExportRequest` ones but for those headers.

mod common;

use std::time::Duration;

use client::chrono::{NaiveDate, TimeZone, Utc};
use client::client::Polling;
use client::error::{Error, WaitError};
use client::types::{ExportRequestCollection, ExportStatus, FileFormat};
use client::{filter, filter_2};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).bearer_token("token").build().expect("client");
    let mut report = common::Report::default();
    let id = client::uuid::uuid!("5d4b0f0e-2b1f-4bd3-9a5f-3c2f9ad1e7c4");
    // Fixed, so that the recorded requests do not change from run to run.
    let correlation = client::uuid::uuid!("0f8fad5b-d9cb-469f-a165-70867728950e");
    let request_id = client::uuid::uuid!("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    let payments = || {
        let since = NaiveDate::from_ymd_opt(2024, 1, 31).expect("date");
        let filter = filter::payment_date()
            .ge(since)
            .and(filter::payment_amount().lt(1e6))
            .and(filter::payment_id().eq("000000000000"))
            .and(filter::program_name().eq("CSP Indirect Provider"))
            .and(filter::payout_status().eq("Sent"));
        let call = client.create_payments_export_request().filter(filter).file_format(FileFormat::Csv);
        call.ms_correlation_id(correlation).ms_request_id(request_id)
    };
    let history = || {
        let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().expect("date");
        let filter = filter_2::earning_for_date()
            .ge(since)
            .and(filter_2::program_name().ne("Azure Partner Incentives"))
            .and(filter_2::payout_status().ne("Payment not due"))
            .and(filter_2::transaction_amount().gt(0.0).or(filter_2::earning_amount().le(-1.0)))
            .and(filter_2::engagement_name().eq("Partner's \"Growth\""))
            .and(filter_2::payable_sub_type().eq("fee"))
            .and(filter_2::lever_code().eq("1ae8ac0a-a2d1-4c84-b29d-d8d8f5d4b5a6"));
        let call = client.create_transaction_history_export_request().filter(filter).file_format(FileFormat::Tsv);
        call.ms_correlation_id(correlation).ms_request_id(request_id)
    };

    report.call("createPaymentsExportRequest", seen!(payments().send_with_response().await));
    let call = client.get_payments_export_request(id).ms_correlation_id(correlation).ms_request_id(request_id);
    report.call("getPaymentsExportRequest", seen!(call.send_with_response().await));
    let call = client.delete_payments_export_request(id).ms_correlation_id(correlation).ms_request_id(request_id);
    report.call("deletePaymentsExportRequest", seen!(call.send_with_response().await));

    let created = history().send_with_response().await;
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

    // No interval, no timeout: exactly one status request each.
    let polling = Polling::new(Duration::ZERO, Duration::ZERO);
    let waited = payments().send_and_wait(polling).await.map_err(timed_out);
    expect_timeout(&mut report, "createPaymentsExportRequest (send_and_wait)", waited, "Queued");
    let waited = history().send_and_wait(polling).await.map_err(timed_out);
    expect_timeout(&mut report, "createTransactionHistoryExportRequest (send_and_wait)", waited, "Processing");
    if args.proxy.is_none() {
        let waited = client.wait_for_payments_export_request(id, polling).await.map_err(timed_out);
        expect_timeout(&mut report, "wait_for_payments_export_request", waited, "Queued");
        let waited = client.wait_for_transaction_history_export_request(id, polling).await.map_err(timed_out);
        expect_timeout(&mut report, "wait_for_transaction_history_export_request", waited, "Processing");
    }
    report.finish()
}

/// The spec's transaction history example: one request in `status`.
fn expect_example(report: &mut common::Report, name: &str, body: &ExportRequestCollection, status: ExportStatus) {
    let decoded: Vec<_> = body.value.iter().map(|request| (request.request_id.to_string(), &request.status)).collect();
    let expected = [("5d4b0f0e-2b1f-4bd3-9a5f-3c2f9ad1e7c4".to_owned(), &status)];
    if decoded != expected || body.total_count != Some(1) || body.next_link.is_some() {
        report.fail(name, format!("decoded {body:?}, not the spec's example"));
    }
}

/// A wait that must have timed out in `state`.
fn expect_timeout<T: std::fmt::Debug>(
    report: &mut common::Report,
    name: &str,
    outcome: Result<T, String>,
    state: &str,
) {
    match outcome {
        Err(outcome) if outcome == format!("timed out in {state}") => println!("{name}: {outcome}"),
        Err(error) => report.fail(name, error),
        Ok(resource) => report.fail(name, format!("ended with {resource:?}")),
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
