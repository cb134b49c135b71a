//! Calls every operation of `tests/fixtures/specs/operations.yaml` (see
//! `common.rs` for how it is run) with every optional parameter set:
//! path- and operation-level parameters, query and header lists, dates, a
//! client-generated idempotency key (fixed here, so the recording does not
//! change), text, bytes, multipart and urlencoded bodies, and the operations
//! without an `operationId` (every method of the printer path, `HEAD` and
//! `OPTIONS` included). Where the spec has an example (`listJobs`'s first,
//! `getJobNotes`'), the decoded body must be it; elsewhere it must be Prism's
//! static example of the schema, and documented headers must be read.
//!
//! What Prism 5 cannot judge is kept to the wire recording and printed:
//! - `getJobsByIds` (a list in a path segment, `a,b`): Prism's path matcher
//!   hands its style reader a list where it expects text, and the mock
//!   process stops; the call is not made under Prism.
//! - `getProof`: Prism has no serializer for `image/png` (nor
//!   `application/pdf`) without an example, and answers 500 "Cannot find
//!   serializer" once the request has passed its validation; only that
//!   answer is let through.
//! - `addAttachment` with its `pages` list: a list in a multipart body is
//!   several parts, which Prism reads as one string ("must be array"); the
//!   same call without `pages` is judged.
//!
//! `listJobs` always sends its optional `X-Trace` header: Prism 5 stops (the
//! same style reader, handed nothing) on a request without an optional list
//! header.

mod common;

use client::builders::{CreateJobResponse, UpsertJobResponse};
use client::chrono::{NaiveDate, TimeZone, Utc};
use client::types::{
    AddAttachmentBody, CancelJobReason, Feedback, GetJobFieldsItem, Job, JobPage, JobStatus, JobSummary, NewJob,
    NewJobPaper, PostShopsByShopIdPrintersByPrinterIdBody, PostShopsByShopIdPrintersByPrinterIdBodyCommand,
    PostShopsByShopIdSearchBody, Printer,
};

const SHOP: &str = "berlin-mitte";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).build().expect("client");
    let mut report = common::Report::default();
    let prism = args.proxy.is_none();
    let job_id = client::uuid::uuid!("1c0c5dc4-9d3f-4b0e-8f8c-93c1d0a2e001");
    // Prism's static example of a `format: uuid` string.
    let static_id = client::uuid::uuid!("497f6eca-6276-4993-bfeb-53cbbbba6f08");
    let static_job = Job {
        id: static_id,
        status: JobStatus::Queued,
        copies: i32::MIN,
        document: "string".to_owned(),
        cost: Some(f64::MIN),
        printer_id: Some(i32::MIN),
    };
    let date = NaiveDate::from_ymd_opt(2024, 3, 1).expect("date");
    let flyer = NewJob {
        document: "flyer.pdf".to_owned(),
        copies: Some(500),
        duplex: Some(true),
        paper: Some(NewJobPaper::A4),
    };

    let call = client
        .list_jobs(SHOP, 5)
        .x_tenant("acme")
        .dry_run(false)
        .status(vec![JobStatus::Queued, JobStatus::Printing])
        .tags(vec!["rush".to_owned(), "a4".to_owned()])
        .pages(vec![1, 2])
        .min_cost(2.5)
        .created_after(Utc.with_ymd_and_hms(2024, 3, 1, 9, 30, 0).single().expect("time"))
        .due_before(date)
        .x_trace(vec!["edge".to_owned(), "api".to_owned()])
        .x_max_wait(30)
        .if_none_match("\"v1\"");
    let listed = call.send_with_response().await;
    if let Ok(response) = &listed {
        // The spec's first example, `empty`.
        if response.body != (JobPage { items: Vec::new(), total: 0 }) || response.typed_headers.e_tag.is_none() {
            report.fail("listJobs", format!("decoded as {:?}, {:?}", response.body, response.typed_headers));
        }
    }
    report.call("listJobs", seen!(listed));

    let call = client.create_job(SHOP, flyer.clone()).x_tenant("acme").limit(10).dry_run(true);
    let call = call.idempotency_key(client::uuid::uuid!("0f8fad5b-d9cb-469f-a165-70867728950e"));
    let created = call.send_with_response().await;
    if let Ok(response) = &created {
        // Prism answers the lowest success status it can, 200.
        if response.body != CreateJobResponse::Status200(JobSummary { id: static_id, status: JobStatus::Queued }) {
            report.fail("createJob", format!("decoded as {:?}", response.body));
        }
    }
    report.call("createJob", seen!(created));

    let call = client.get_job(SHOP, job_id).fields(vec![GetJobFieldsItem::Id, GetJobFieldsItem::Status]);
    let got = call.send_with_response().await;
    if let Ok(response) = &got
        && (response.body != static_job || response.typed_headers.x_request_id != Some(static_id))
    {
        report.fail("getJob", format!("decoded as {:?}, {:?}", response.body, response.typed_headers));
    }
    report.call("getJob", seen!(got));
    let upserted = client.upsert_job(SHOP, job_id, flyer).send_with_response().await;
    if let Ok(response) = &upserted
        && response.body != UpsertJobResponse::Status200(static_job.clone())
    {
        report.fail("upsertJob", format!("decoded as {:?}", response.body));
    }
    report.call("upsertJob", seen!(upserted));
    let call = client.cancel_job(SHOP, job_id).reason(CancelJobReason::TooSlow);
    report.call("cancelJob", seen!(call.send_with_response().await));

    let notes = client.get_job_notes(SHOP, job_id).send_with_response().await;
    if let Ok(response) = &notes
        && response.body != "Use heavy paper."
    {
        report.fail("getJobNotes", format!("decoded as {:?}", response.body));
    }
    report.call("getJobNotes", seen!(notes));
    let call = client.set_job_notes(SHOP, job_id, "Use heavy paper; no staples.");
    report.call("setJobNotes", seen!(call.send_with_response().await));

    let call = client.upload_document(SHOP, job_id, "aGVsbG8=".to_owned(), b"hello".to_vec()).content_length(5);
    report.call("uploadDocument", seen!(call.send_with_response().await));
    let document = client.download_document(SHOP, job_id).send_with_response().await;
    if let Ok(response) = &document
        && (response.body != b"string" || response.typed_headers.content_disposition.is_none())
    {
        report.fail("downloadDocument", format!("decoded as {:?}, {:?}", response.body, response.typed_headers));
    }
    report.call("downloadDocument", seen!(document));
    let streamed = client.download_document(SHOP, job_id).send_streaming().await;
    let streamed = streamed.map(|stream| (stream.status, stream.header("sl-violations").map(str::to_owned)));
    report.call("downloadDocument (streamed)", streamed);

    match client.get_proof(SHOP, job_id).send_with_response().await {
        Err(error) if prism && error.status() == Some(500) && error.to_string().contains("Cannot find serializer") => {
            println!("getProof: not answered by Prism (no serializer for an image without an example)");
        }
        proof => report.call("getProof", seen!(proof)),
    }

    let attachment = AddAttachmentBody { file: b"%PDF-1.7\n".into(), caption: Some("cover".to_owned()), pages: None };
    let attached = client.add_attachment(SHOP, job_id, attachment.clone()).send_with_response().await;
    if let Ok(response) = &attached
        && response.body.caption.as_deref() != Some("string")
    {
        report.fail("addAttachment", format!("decoded as {:?}", response.body));
    }
    report.call("addAttachment", seen!(attached));
    let attachment = AddAttachmentBody { pages: Some(vec![1, 2]), ..attachment };
    let outcome = seen!(client.add_attachment(SHOP, job_id, attachment).send_with_response().await);
    match (prism, outcome) {
        (true, Err(error)) => println!("addAttachment (pages): not judged by Prism: {error}"),
        (_, outcome) => report.call("addAttachment (pages)", outcome),
    }

    let feedback = Feedback { rating: 5, comment: Some("Fast & friendly".to_owned()), contact_me: Some(true) };
    report.call("sendFeedback", seen!(client.send_feedback(SHOP, feedback).send_with_response().await));
    let search = PostShopsByShopIdSearchBody { q: Some("flyer a4".to_owned()), page: Some(2) };
    let found = client.post_shops_by_shop_id_search(SHOP).body(search).send_with_response().await;
    if let Ok(response) = &found
        && response.body != [static_id]
    {
        report.fail("post_shops_by_shop_id_search", format!("decoded as {:?}", response.body));
    }
    report.call("post_shops_by_shop_id_search", seen!(found));

    printers(&client, &mut report).await;

    if prism {
        println!("getJobsByIds: not sent to Prism (a list in a path segment stops it)");
    } else {
        let call = client.get_jobs_by_ids(vec![job_id, static_id]);
        report.call("getJobsByIds", seen!(call.send_with_response().await));
    }
    let by_status = client.get_jobs_by_status(JobStatus::Printing).send_with_response().await;
    if let Ok(response) = &by_status
        && response.body != [static_job.clone()]
    {
        report.fail("getJobsByStatus", format!("decoded as {:?}", response.body));
    }
    report.call("getJobsByStatus", seen!(by_status));
    let daily = client.daily_report(date).send_with_response().await;
    if let Ok(response) = &daily
        && response.body != "string"
    {
        report.fail("dailyReport", format!("decoded as {:?}", response.body));
    }
    report.call("dailyReport", seen!(daily));
    let pong = client.ping().send_with_response().await;
    if let Ok(response) = &pong
        && response.body.pong != Some(true)
    {
        report.fail("ping", format!("decoded as {:?}", response.body));
    }
    report.call("ping", seen!(pong));
    let ranged = client.ping_ranges().send_with_response().await;
    if let Ok(response) = &ranged
        && response.body != (JobSummary { id: static_id, status: JobStatus::Queued })
    {
        report.fail("pingRanges", format!("decoded as {:?}", response.body));
    }
    report.call("pingRanges", seen!(ranged));
    report.finish()
}

/// The printer path's operations, none with an `operationId`.
async fn printers(client: &client::Client, report: &mut common::Report) {
    let printer = Printer {
        name: "Front desk".to_owned(),
        model: Some("LaserJet".to_owned()),
        colour: Some(false),
        online: None,
    };
    let got = client.get_shops_by_shop_id_printers_by_printer_id(SHOP, 7).send_with_response().await;
    if let Ok(response) = &got
        && response.body.name != "string"
    {
        report.fail("get printer", format!("decoded as {:?}", response.body));
    }
    report.call("get printer", seen!(got));
    let call = client.put_shops_by_shop_id_printers_by_printer_id(SHOP, 7).body(printer.clone());
    report.call("put printer", seen!(call.send_with_response().await));
    let command = PostShopsByShopIdPrintersByPrinterIdBody {
        command: PostShopsByShopIdPrintersByPrinterIdBodyCommand::Calibrate,
    };
    let call = client.post_shops_by_shop_id_printers_by_printer_id(SHOP, 7, command);
    report.call("post printer", seen!(call.send_with_response().await));
    let patch = Printer { colour: Some(true), model: None, ..printer };
    let call = client.patch_shops_by_shop_id_printers_by_printer_id(SHOP, 7).body(patch);
    report.call("patch printer", seen!(call.send_with_response().await));
    let headed = client.head_shops_by_shop_id_printers_by_printer_id(SHOP, 7).send_with_response().await;
    if let Ok(response) = &headed
        && response.typed_headers.x_printer_status.as_deref() != Some("string")
    {
        report.fail("head printer", format!("headers {:?}", response.typed_headers));
    }
    report.call("head printer", seen!(headed));
    let options = client.options_shops_by_shop_id_printers_by_printer_id(SHOP, 7).send_with_response().await;
    if let Ok(response) = &options
        && response.typed_headers.allow.is_none()
    {
        report.fail("options printer", format!("headers {:?}", response.typed_headers));
    }
    report.call("options printer", seen!(options));
    let call = client.get_shops_by_shop_id_printers_by_printer_id_queue_by_position(SHOP, 7, 2);
    report.call("printer queue", seen!(call.send_with_response().await));
    let call = client.delete_shops_by_shop_id_printers_by_printer_id(SHOP, 7);
    report.call("delete printer", seen!(call.send_with_response().await));
}
