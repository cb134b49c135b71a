//! Calls every operation of `spec/payouts.yaml` (see `common.rs` for how it
//! is run): an export with a typed filter and a file format, its status, and
//! its deletion.

mod common;

use client::filter;
use client::types::FileFormat;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).bearer_token("token").build().expect("client");
    let mut report = common::Report::default();
    let id = client::uuid::uuid!("93c2b3cf-c6d8-4e7e-ade1-007768a6eba4");
    // Fixed, so that the recorded requests do not change from run to run.
    let correlation = client::uuid::uuid!("0f8fad5b-d9cb-469f-a165-70867728950e");
    let request_id = client::uuid::uuid!("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    let filter = filter::program_name().eq("CSP Direct Bill Partner").and(filter::payment_id().eq("000000000000"));
    let call = client.create_payments_export_request().filter(filter).file_format(FileFormat::Tsv);
    let call = call.ms_correlation_id(correlation).ms_request_id(request_id);
    report.call("createPaymentsExportRequest", seen!(call.send_with_response().await));
    let call = client.get_payments_export_request(id).ms_correlation_id(correlation).ms_request_id(request_id);
    report.call("getPaymentsExportRequest", seen!(call.send_with_response().await));
    let call = client.delete_payments_export_request(id).ms_correlation_id(correlation).ms_request_id(request_id);
    report.call("deletePaymentsExportRequest", seen!(call.send_with_response().await));
    report.finish()
}
