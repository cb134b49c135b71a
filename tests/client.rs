//! The generated client against a local mock server.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use payouts::client::{ErrorBody, RetryPolicy};
use payouts::filter::Filter;
use payouts::types::{ErrorResponse, ExportStatus, FileFormat};
use payouts::{Client, Error};
use payouts_tests::trace_capture::Capture;
use payouts_tests::{CORRELATION_ID, REQUEST, REQUEST_ID, SAMPLE_FILTER, error_body, header_text};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use uuid::Uuid;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A token distinctive enough that finding it in any output is a leak.
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payouts-test-token";

/// A client for the mock server, without retries: these tests look at one
/// exchange at a time (retries have tests of their own).
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the mock server's URI is a valid base URL")
}

/// The sample 202 response of the seeds (and of the spec).
fn sample() -> Value {
    json!({
        "value": [{
            "requestId": "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4",
            "requestDateTime": "2023-05-25T21:20:46.3727561Z",
            "requestPath": "/v1.0/payouts/payments",
            "requestQueryString": "paymentDate ge 2023-03-01 and paymentDate le 2023-04-12",
            "blobLocation": "",
            "status": "Queued"
        }],
        "nextLink": null,
        "totalCount": 1
    })
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("request recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

/// Answers `POST /payouts/payments` once with `template` and returns the error.
async fn create_error(template: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/payouts/payments")).respond_with(template).expect(1).mount(&server).await;
    client(&server).create_payments_export_request().send().await.expect_err("the status is an error")
}

/// An error response with the two tracking headers.
fn error_template(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(body)
        .insert_header("MS-CorrelationId", CORRELATION_ID.to_string().as_str())
        .insert_header("MS-RequestId", REQUEST_ID.to_string().as_str())
}

fn tracking() -> String {
    format!("MS-CorrelationId: {CORRELATION_ID}, MS-RequestId: {REQUEST_ID}")
}

// ---------------------------------------------------------------------------
// createPaymentsExportRequest
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_sends_post_with_query_auth_accept_and_no_body_and_decodes_the_202() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payouts/payments"))
        .and(query_param("$filter", "paymentDate ge 2023-03-01 and paymentDate le 2023-04-12"))
        .and(query_param("fileFormat", "tsv"))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("Accept", "application/json"))
        .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;

    let collection = client(&server)
        .create_payments_export_request()
        .filter(Filter::raw("paymentDate ge 2023-03-01 and paymentDate le 2023-04-12"))
        .file_format(FileFormat::Tsv)
        .send()
        .await
        .expect("202 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/payouts/payments");
    assert_eq!(
        request.url.query(),
        Some("$filter=paymentDate%20ge%202023-03-01%20and%20paymentDate%20le%202023-04-12&fileFormat=tsv")
    );
    assert_eq!(header_text(&request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header_text(&request, "accept"), Some("application/json"));
    assert_eq!(header_text(&request, "content-type"), None);
    assert!(request.body.is_empty(), "{:?}", request.body);
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(request.headers.get_all("accept").iter().count(), 1);

    assert_eq!(collection.value.len(), 1);
    assert_eq!(collection.next_link, None);
    assert_eq!(collection.total_count, Some(1));
    let export = &collection.value[0];
    assert_eq!(export.request_id, REQUEST);
    let requested = export.request_date_time.expect("requestDateTime is present");
    assert_eq!(requested.to_string(), "2023-05-25 21:20:46.372756100 UTC");
    assert_eq!(requested.timestamp(), 1_685_049_646);
    assert_eq!(requested.timestamp_subsec_nanos(), 372_756_100);
    assert_eq!(export.processing_start_date_time, None);
    assert_eq!(export.request_path.as_deref(), Some("/v1.0/payouts/payments"));
    assert_eq!(export.request_query_string.as_deref(), Some("paymentDate ge 2023-03-01 and paymentDate le 2023-04-12"));
    assert_eq!(export.blob_location.as_deref(), Some(""));
    assert_eq!(export.status, ExportStatus::Queued);
}

/// HTTP.sys (in front of IIS and Azure services) answers a POST with neither
/// `Content-Length` nor `Transfer-Encoding` with 411 Length Required.
struct LengthRequired;

impl wiremock::Match for LengthRequired {
    fn matches(&self, request: &Request) -> bool {
        request.method.as_str() == "POST"
            && !request.headers.contains_key("content-length")
            && !request.headers.contains_key("transfer-encoding")
    }
}

#[tokio::test]
async fn the_bodyless_create_is_accepted_by_a_server_that_requires_a_length() {
    let server = MockServer::start().await;
    Mock::given(LengthRequired).respond_with(ResponseTemplate::new(411)).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/payouts/payments"))
        .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server).create_payments_export_request().send().await.expect("not 411");
    assert_eq!(created.value[0].request_id, REQUEST);
    let request = only_request(&server).await;
    assert_eq!(header_text(&request, "content-length"), Some("0"));
}

#[tokio::test]
async fn create_sends_the_documented_sample_filter_verbatim() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payouts/payments"))
        .and(query_param("$filter", SAMPLE_FILTER))
        .and(query_param("fileFormat", "csv"))
        .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .create_payments_export_request()
        .filter(Filter::raw(SAMPLE_FILTER))
        .file_format(FileFormat::Csv)
        .send()
        .await
        .expect("202 decodes");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(concat!(
            "$filter=payoutStatusUpdateTS%20le%202019-09-25T23%3A11%3A55.647Z",
            "%20and%20%28enrollmentParticipantId%20eq%20%27XXXXXXX%27%29",
            "%20and%20%28programName%20eq%20%27CSP%20Direct%20Bill%20Partner%27%29",
            "%20and%20%28payoutOrderType%20eq%20%27REBATE%27%29",
            "%20and%20%28paymentId%20eq%20%27000000000000%27%29",
            "&fileFormat=csv",
        ))
    );
    let decoded: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        decoded,
        [("$filter".to_owned(), SAMPLE_FILTER.to_owned()), ("fileFormat".to_owned(), "csv".to_owned())]
    );
}

#[tokio::test]
async fn create_percent_encodes_reserved_and_non_ascii_characters_in_query_values() {
    let filter = "paymentAmount ge 2000 and programName eq 'O''Brien & Söhne+Co=1#2%3/4?'";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payouts/payments"))
        .and(query_param("$filter", filter))
        .and(query_param("fileFormat", "x lsx&y=z"))
        .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .create_payments_export_request()
        .filter(Filter::raw(filter))
        .file_format(FileFormat::Unknown("x lsx&y=z".to_owned()))
        .send()
        .await
        .expect("202 decodes");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(concat!(
            "$filter=paymentAmount%20ge%202000%20and%20programName%20eq%20",
            "%27O%27%27Brien%20%26%20S%C3%B6hne%2BCo%3D1%232%253%2F4%3F%27",
            "&fileFormat=x%20lsx%26y%3Dz",
        ))
    );
    // No value escaped into a parameter of its own.
    assert_eq!(request.url.query_pairs().count(), 2);
}

#[tokio::test]
async fn create_without_options_sends_no_query_and_generated_tracking_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payouts/payments"))
        .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).create_payments_export_request().send().await.expect("202 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    let correlation = header_text(&request, "ms-correlationid").expect("a generated MS-CorrelationId");
    let request_id = header_text(&request, "ms-requestid").expect("a generated MS-RequestId");
    for value in [&correlation, &request_id] {
        let parsed = Uuid::parse_str(value).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 4, "{value}");
    }
    assert_ne!(correlation, request_id);
}

#[tokio::test]
async fn create_sends_the_correlation_and_request_id_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payouts/payments"))
        .and(header("MS-CorrelationId", CORRELATION_ID.to_string().as_str()))
        .and(header("MS-RequestId", REQUEST_ID.to_string().as_str()))
        .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .create_payments_export_request()
        .ms_correlation_id(CORRELATION_ID)
        .ms_request_id(REQUEST_ID)
        .send()
        .await
        .expect("202 decodes");

    let request = only_request(&server).await;
    assert_eq!(header_text(&request, "ms-correlationid"), Some("0f8fad5b-d9cb-469f-a165-70867728950e"));
    assert_eq!(header_text(&request, "ms-requestid"), Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"));
}

// ---------------------------------------------------------------------------
// getPaymentsExportRequest and deletePaymentsExportRequest
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_fetches_one_request_by_id_and_decodes_a_completed_export() {
    let blob = "https://payouts.blob.core.windows.net/exports/93c2b3cf.zip?sv=2021-08-06&sig=abc%3D";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4"))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("Accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{
                "requestId": "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4",
                "requestDateTime": "2023-05-25T21:20:46.3727561Z",
                "processingStartDateTime": "2023-05-26T08:00:00Z",
                "requestPath": "/v1.0/payouts/payments",
                "requestQueryString": "paymentDate ge 2023-03-01 and paymentDate le 2023-04-12",
                "blobLocation": blob,
                "status": "Completed"
            }],
            "nextLink": null,
            "totalCount": 1
        })))
        .expect(1)
        .mount(&server)
        .await;

    let collection = client(&server).get_payments_export_request(REQUEST).send().await.expect("200 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4");
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());

    assert_eq!(collection.value.len(), 1);
    assert_eq!(collection.total_count, Some(1));
    assert_eq!(collection.next_link, None);
    let export = &collection.value[0];
    assert_eq!(export.request_id, REQUEST);
    assert_eq!(export.status, ExportStatus::Completed);
    assert_eq!(export.blob_location.as_deref(), Some(blob));
    let started = export.processing_start_date_time.expect("processingStartDateTime is present");
    assert_eq!(started.to_string(), "2023-05-26 08:00:00 UTC");
    assert_eq!(started.timestamp(), 1_685_088_000);
}

#[tokio::test]
async fn delete_sends_delete_and_accepts_an_empty_200() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4"))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("MS-RequestId", REQUEST_ID.to_string().as_str()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let result: Result<(), Error> =
        client(&server).delete_payments_export_request(REQUEST).ms_request_id(REQUEST_ID).send().await;
    assert!(result.is_ok(), "{result:?}");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4");
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn delete_ignores_a_200_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json at all"))
        .expect(1)
        .mount(&server)
        .await;

    let result = client(&server).delete_payments_export_request(REQUEST).send().await;
    assert!(result.is_ok(), "{result:?}");
}

// ---------------------------------------------------------------------------
// Documented error statuses
// ---------------------------------------------------------------------------

/// Each documented error status without extra headers: its variant, its
/// one-line `Display`, and the body and tracking headers it carries.
#[tokio::test]
async fn each_documented_error_status_is_its_variant_with_body_and_tracking_headers() {
    type Unwrap = fn(Error) -> Option<payouts::error::ErrorResponseDetails>;
    let table: [(u16, &str, &str, &str, Unwrap); 5] = [
        (400, "Bad Request", "600012", "The filter is not valid.", |e| match e {
            Error::BadRequest(details) => Some(*details),
            _ => None,
        }),
        (401, "Unauthorized", "900401", "The access token has expired.", |e| match e {
            Error::Unauthorized(details) => Some(*details),
            _ => None,
        }),
        (403, "Forbidden", "900403", "The partner may not read payouts.", |e| match e {
            Error::Forbidden(details) => Some(*details),
            _ => None,
        }),
        (404, "Not Found", "600404", "No export request has this ID.", |e| match e {
            Error::NotFound(details) => Some(*details),
            _ => None,
        }),
        (500, "Internal Server Error", "500000", "A dependency failed.", |e| match e {
            Error::InternalServerError(details) => Some(*details),
            _ => None,
        }),
    ];
    for (status, reason, code, description, unwrap) in table {
        let (json, body) = error_body(code, description);
        let error = create_error(error_template(status, &json)).await;
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.to_string(), format!("HTTP {status} {reason}: {code}: {description} ({})", tracking()));
        let details = unwrap(error).unwrap_or_else(|| panic!("status {status} is not its own variant"));
        let expected = payouts::error::ErrorResponseDetails {
            status,
            body,
            ms_correlation_id: Some(CORRELATION_ID),
            ms_request_id: Some(REQUEST_ID),
        };
        assert_eq!(details, expected, "status {status}");
    }
}

#[tokio::test]
async fn status_429_is_too_many_requests_with_retry_after_seconds() {
    let (json, body) = error_body("600429", "Rate limit exceeded.");
    let error = create_error(error_template(429, &json).insert_header("Retry-After", "120")).await;
    assert_eq!(error.status(), Some(429));
    assert_eq!(
        error.to_string(),
        format!("HTTP 429 Too Many Requests: 600429: Rate limit exceeded. (Retry-After: 120, {})", tracking())
    );
    let Error::TooManyRequests(details) = error else { panic!("not TooManyRequests: {error:?}") };
    assert_eq!(
        *details,
        payouts::error::TooManyRequests {
            status: 429,
            body,
            retry_after: Some(120),
            ms_correlation_id: Some(CORRELATION_ID),
            ms_request_id: Some(REQUEST_ID),
        }
    );
}

#[tokio::test]
async fn status_429_with_an_http_date_retry_after_and_no_tracking_headers_keeps_the_body() {
    let (json, body) = error_body("600429", "Rate limit exceeded.");
    let template =
        ResponseTemplate::new(429).set_body_json(&json).insert_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
    let error = create_error(template).await;
    assert_eq!(error.to_string(), "HTTP 429 Too Many Requests: 600429: Rate limit exceeded.");
    let Error::TooManyRequests(details) = error else { panic!("not TooManyRequests: {error:?}") };
    assert_eq!(
        *details,
        payouts::error::TooManyRequests {
            status: 429,
            body,
            retry_after: None,
            ms_correlation_id: None,
            ms_request_id: None,
        }
    );
}

#[tokio::test]
async fn error_body_without_optional_fields_decodes() {
    let template = ResponseTemplate::new(404).set_body_json(json!({"code": "600404", "description": "Gone."}));
    let error = create_error(template).await;
    let Error::NotFound(details) = error else { panic!("not NotFound: {error:?}") };
    assert_eq!(
        details.body,
        ErrorBody::Documented(ErrorResponse {
            code: "600404".to_owned(),
            description: "Gone.".to_owned(),
            data: None,
            source: None
        })
    );
}

#[tokio::test]
async fn get_and_delete_map_every_documented_error_status() {
    let server = MockServer::start().await;
    let client = client(&server);
    for status in [400, 401, 403, 404, 429, 500] {
        server.reset().await;
        let (json, body) = error_body("600000", &format!("Failure {status}."));
        Mock::given(path("/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4"))
            .respond_with(error_template(status, &json).insert_header("Retry-After", "7"))
            .expect(2)
            .mount(&server)
            .await;

        let from_get = client.get_payments_export_request(REQUEST).send().await.expect_err("error status");
        let from_delete = client.delete_payments_export_request(REQUEST).send().await.expect_err("error status");
        for error in [from_get, from_delete] {
            assert_eq!(error.status(), Some(status), "{error:?}");
            let (decoded, correlation, request) = match (status, &error) {
                (400, Error::BadRequest(e)) => (&e.body, e.ms_correlation_id, e.ms_request_id),
                (401, Error::Unauthorized(e)) => (&e.body, e.ms_correlation_id, e.ms_request_id),
                (403, Error::Forbidden(e)) => (&e.body, e.ms_correlation_id, e.ms_request_id),
                (404, Error::NotFound(e)) => (&e.body, e.ms_correlation_id, e.ms_request_id),
                (429, Error::TooManyRequests(e)) => {
                    assert_eq!(e.retry_after, Some(7));
                    (&e.body, e.ms_correlation_id, e.ms_request_id)
                }
                (500, Error::InternalServerError(e)) => (&e.body, e.ms_correlation_id, e.ms_request_id),
                _ => panic!("status {status} gave {error:?}"),
            };
            assert_eq!(decoded, &body);
            assert_eq!(correlation, Some(CORRELATION_ID));
            assert_eq!(request, Some(REQUEST_ID));
        }
        server.verify().await;
    }
}

// ---------------------------------------------------------------------------
// Undocumented statuses and undecodable bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_undocumented_status_is_unexpected_status_with_a_body_snippet() {
    let error = create_error(ResponseTemplate::new(418).set_body_string("  I'm a teapot  ")).await;
    assert_eq!(error.status(), Some(418));
    assert_eq!(error.to_string(), "unexpected HTTP status 418: I'm a teapot");
    let Error::UnexpectedStatus(details) = error else { panic!("not UnexpectedStatus: {error:?}") };
    assert_eq!(details.status, 418);
    assert_eq!(details.body_snippet, "I'm a teapot");

    let error = create_error(ResponseTemplate::new(503)).await;
    assert_eq!(error.to_string(), "unexpected HTTP status 503");
    let Error::UnexpectedStatus(details) = error else { panic!("not UnexpectedStatus: {error:?}") };
    assert_eq!(details.status, 503);
    assert_eq!(details.body_snippet, "");
}

#[tokio::test]
async fn a_success_status_the_operation_does_not_document_is_unexpected() {
    // create documents 202 only; delete documents 200 only.
    let error = create_error(ResponseTemplate::new(200).set_body_json(sample())).await;
    let Error::UnexpectedStatus(details) = error else { panic!("not UnexpectedStatus: {error:?}") };
    assert_eq!(details.status, 200);
    assert!(details.body_snippet.starts_with(r#"{"value":[{"requestId":"93c2b3cf"#), "{}", details.body_snippet);

    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).expect(1).mount(&server).await;
    let error = client(&server).delete_payments_export_request(REQUEST).send().await.expect_err("204 is undocumented");
    let Error::UnexpectedStatus(details) = error else { panic!("not UnexpectedStatus: {error:?}") };
    assert_eq!(details.status, 204);
}

#[tokio::test]
async fn a_long_body_snippet_is_cut_at_one_kib_on_a_character_boundary() {
    // 1 + 2 × 600 bytes: the 1 KiB cut falls inside an `é`, which is left out whole.
    let body = format!("x{}", "é".repeat(600));
    let error = create_error(ResponseTemplate::new(502).set_body_string(body)).await;
    let Error::UnexpectedStatus(details) = error else { panic!("not UnexpectedStatus: {error:?}") };
    assert_eq!(details.body_snippet, format!("x{}…", "é".repeat(511)));
}

#[tokio::test]
async fn malformed_json_in_a_202_is_a_decode_error_with_status_and_snippet() {
    let error =
        create_error(ResponseTemplate::new(202).set_body_raw(r#"{"value": [{"requestId": "#, "application/json")).await;
    assert_eq!(error.status(), Some(202));
    assert!(std::error::Error::source(&error).is_some(), "the serde error is the source");
    let display = error.to_string();
    assert!(display.starts_with("cannot decode the HTTP 202 response body ("), "{display}");
    assert!(display.ends_with(r#"): {"value": [{"requestId":"#), "{display}");
    assert!(!display.contains('\n'), "{display}");
    let Error::Decode(details) = error else { panic!("not Decode: {error:?}") };
    assert_eq!(details.status, 202);
    assert_eq!(details.body_snippet, r#"{"value": [{"requestId":"#);
}

#[tokio::test]
async fn json_of_the_wrong_shape_in_a_202_is_a_decode_error() {
    let shapes = [
        json!([]),
        json!({"value": {}}),
        json!({"items": []}),
        json!({"value": [{"status": "Queued"}]}),
        json!({"value": [{"requestId": "not-a-uuid", "status": "Queued"}]}),
        json!({"value": [{"requestId": "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4", "status": 3}]}),
        json!({"value": [{"requestId": "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4", "status": "Queued", "requestDateTime": "yesterday"}]}),
        json!({"value": [], "totalCount": "one"}),
    ];
    for shape in shapes {
        let text = shape.to_string();
        let error = create_error(ResponseTemplate::new(202).set_body_json(&shape)).await;
        let Error::Decode(details) = error else { panic!("{text} gave {error:?}") };
        assert_eq!(details.status, 202, "{text}");
        assert_eq!(details.body_snippet, text);
    }
}

#[tokio::test]
async fn an_empty_202_is_a_decode_error() {
    let error = create_error(ResponseTemplate::new(202)).await;
    let Error::Decode(details) = error else { panic!("not Decode: {error:?}") };
    assert_eq!(details.status, 202);
    assert_eq!(details.body_snippet, "");
}

/// The status a documented error variant stands for, and its body.
fn documented(error: &Error) -> Option<(u16, &ErrorBody<ErrorResponse>)> {
    match error {
        Error::BadRequest(e) => Some((400, &e.body)),
        Error::Unauthorized(e) => Some((401, &e.body)),
        Error::Forbidden(e) => Some((403, &e.body)),
        Error::NotFound(e) => Some((404, &e.body)),
        Error::TooManyRequests(e) => Some((429, &e.body)),
        Error::InternalServerError(e) => Some((500, &e.body)),
        _ => None,
    }
}

/// A gateway's error page, an empty body, and JSON that is not the
/// documented error shape: each keeps its status's variant, with the body as
/// one line of text.
#[tokio::test]
async fn a_documented_error_status_with_a_body_that_is_not_the_documented_json_keeps_its_variant() {
    let page = "<html>\r\n<head><title>500 Internal Server Error</title></head>\n<body>nginx</body></html>\n";
    let bodies: [(&str, &str, &str); 4] = [
        (page, "text/html", "<html> <head><title>500 Internal Server Error</title></head> <body>nginx</body></html>"),
        ("", "text/plain", ""),
        (
            r#"{"error": {"code": "InternalError", "message": "Try later."}}"#,
            "application/json",
            r#"{"error": {"code": "InternalError", "message": "Try later."}}"#,
        ),
        (r#"{"code": 600012}"#, "application/json", r#"{"code": 600012}"#),
    ];
    for status in [400, 401, 403, 404, 429, 500] {
        for (body, content_type, text) in bodies {
            let template = error_template(status, &json!(null)).set_body_raw(body, content_type);
            let error = create_error(template).await;
            assert_eq!(error.status(), Some(status), "{error:?}");
            let (variant, decoded) = documented(&error).unwrap_or_else(|| panic!("{status} {body:?}: {error:?}"));
            assert_eq!(variant, status, "{error:?}");
            assert_eq!(decoded, &ErrorBody::Other(text.to_owned()), "{status}");
            assert_eq!((decoded.documented(), decoded.other()), (None, Some(text)));
            let shown = error.to_string();
            let summary = if text.is_empty() { String::new() } else { format!(": {text}") };
            assert!(shown.starts_with(&format!("HTTP {status} ")), "{shown}");
            assert!(shown.ends_with(&format!("{summary} ({})", tracking())), "{shown}");
        }
    }
}

#[tokio::test]
async fn a_long_error_page_is_kept_as_a_bounded_snippet() {
    let page = format!("<html><body>{}</body></html>", "Service unavailable. ".repeat(500));
    let error = create_error(ResponseTemplate::new(500).set_body_raw(page.clone(), "text/html")).await;
    let Some((500, ErrorBody::Other(text))) = documented(&error) else { panic!("{error:?}") };
    assert!(text.len() <= 1024 + '…'.len_utf8() && text.ends_with('…'), "{} bytes", text.len());
    assert!(page.starts_with(text.trim_end_matches('…')), "{text}");
}

#[tokio::test]
async fn only_a_success_that_does_not_decode_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>OK</html>", "text/html"))
        .mount(&server)
        .await;
    let error = client(&server).get_payments_export_request(REQUEST).send().await.expect_err("not JSON");
    let Error::Decode(details) = error else { panic!("not Decode: {error:?}") };
    assert_eq!((details.status, details.body_snippet.as_str()), (200, "<html>OK</html>"));
}

// ---------------------------------------------------------------------------
// Open enums, unknown and missing fields
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_status_is_kept_and_unknown_fields_are_ignored() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{
                "requestId": "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4",
                "status": "Cancelled",
                "cancelledBy": {"user": "someone"},
                "retries": [1, 2, 3]
            }],
            "nextLink": "https://api.partner.microsoft.com/v1.0/payouts/payments?page=2",
            "totalCount": 2,
            "@odata.context": "$metadata#payments"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let collection = client(&server).get_payments_export_request(REQUEST).send().await.expect("decodes");
    let export = &collection.value[0];
    assert_eq!(export.status, ExportStatus::Unknown("Cancelled".to_owned()));
    assert_eq!(export.status.as_str(), "Cancelled");
    assert_eq!(export.status.to_string(), "Cancelled");
    assert_eq!(collection.next_link.as_deref(), Some("https://api.partner.microsoft.com/v1.0/payouts/payments?page=2"));
    assert_eq!(collection.total_count, Some(2));
}

#[tokio::test]
async fn optional_fields_may_be_missing_or_null() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [
                {"requestId": "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4", "status": "Processing"},
                {
                    "requestId": "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "status": "Failed",
                    "processingStartDateTime": null,
                    "nextLink": null
                }
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let collection = client(&server).get_payments_export_request(REQUEST).send().await.expect("decodes");
    assert_eq!(collection.next_link, None);
    assert_eq!(collection.total_count, None);
    assert_eq!(collection.value.len(), 2);
    for export in &collection.value {
        assert_eq!(export.request_date_time, None);
        assert_eq!(export.processing_start_date_time, None);
        assert_eq!(export.request_path, None);
        assert_eq!(export.request_query_string, None);
        assert_eq!(export.blob_location, None);
    }
    assert_eq!(collection.value[0].request_id, REQUEST);
    assert_eq!(collection.value[0].status, ExportStatus::Processing);
    assert_eq!(collection.value[1].request_id, CORRELATION_ID);
    assert_eq!(collection.value[1].status, ExportStatus::Failed);
}

// ---------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_token_never_appears_in_debug_output() {
    let server = MockServer::start().await;
    let client = client(&server);
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains(&server.uri()), "{shown}");

    let builder = Client::builder().base_url(server.uri()).bearer_token(TOKEN);
    let shown = format!("{builder:?}");
    assert!(!shown.contains(TOKEN), "{shown}");

    let request = client.create_payments_export_request().filter(Filter::raw(SAMPLE_FILTER));
    let shown = format!("{request:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    let shown = format!("{:?}", client.get_payments_export_request(REQUEST));
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn the_token_never_appears_in_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(418).set_body_string("no")).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{")).mount(&server).await;
    let client = client(&server);

    let unexpected = client.create_payments_export_request().send().await.expect_err("418");
    assert!(matches!(unexpected, Error::UnexpectedStatus(_)), "{unexpected:?}");
    let decode = client.get_payments_export_request(REQUEST).send().await.expect_err("`{` is not JSON");
    assert!(matches!(decode, Error::Decode(_)), "{decode:?}");
    for error in [unexpected, decode] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[tokio::test]
async fn a_token_that_is_not_a_valid_header_value_is_an_invalid_request_that_does_not_show_it() {
    let server = MockServer::start().await;
    let token = format!("{TOKEN}\nX-Injected: yes");
    let client = Client::builder().base_url(server.uri()).bearer_token(token.as_str()).build().expect("builds");

    let error = client.create_payments_export_request().send().await.expect_err("invalid header value");
    assert_eq!(error.status(), None);
    let Error::InvalidRequest(message) = &error else { panic!("not InvalidRequest: {error:?}") };
    assert_eq!(message, "the value of header `Authorization` is not valid in HTTP");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert_eq!(error.to_string(), "invalid request: the value of header `Authorization` is not valid in HTTP");
    assert_eq!(server.received_requests().await.expect("recording is on").len(), 0);
}

/// Every operation of the payouts API needs the bearer token: without one,
/// a call fails before anything is sent, saying which builder method is missing.
#[tokio::test]
async fn without_a_token_a_call_fails_before_it_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(202).set_body_json(sample())).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");

    match client.create_payments_export_request().send().await {
        Err(Error::InvalidRequest(message)) => assert_eq!(
            message,
            "`createPaymentsExportRequest` needs credentials the client does not hold: \
             set `bearer_token` on the ClientBuilder"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received_requests().await.expect("recording is on").len(), 0);
}

// ---------------------------------------------------------------------------
// Base URL and transport
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_base_url_path_prefix_is_kept_and_a_trailing_slash_is_not_doubled() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/payouts/payments"))
        .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample()))
        .expect(1)
        .mount(&server)
        .await;

    for base in [format!("{}/v1.0", server.uri()), format!("{}/v1.0/", server.uri())] {
        let client = Client::builder().base_url(&base).bearer_token(TOKEN).build().expect("builds");
        assert_eq!(client.base_url(), format!("{}/v1.0", server.uri()));
        client
            .create_payments_export_request()
            .filter(Filter::raw("paymentDate ge 2023-03-01"))
            .send()
            .await
            .expect("202");
    }
    let root = Client::builder().base_url(format!("{}/", server.uri())).bearer_token(TOKEN).build().expect("builds");
    assert_eq!(root.base_url(), server.uri());
    root.get_payments_export_request(REQUEST).send().await.expect("200");

    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .map(|request| format!("{} {}", request.url.path(), request.url.query().unwrap_or_default()))
        .collect();
    assert_eq!(
        paths,
        [
            "/v1.0/payouts/payments $filter=paymentDate%20ge%202023-03-01",
            "/v1.0/payouts/payments $filter=paymentDate%20ge%202023-03-01",
            "/payouts/payments/93c2b3cf-c6d8-4e7e-ade1-007768a6eba4 ",
        ]
    );
}

#[tokio::test]

async fn a_base_url_with_a_query_or_fragment_is_rejected_or_honoured() {
    let server = MockServer::start().await;
    let mut problems = Vec::new();
    for base in [format!("{}/v1.0?tenant=contoso", server.uri()), format!("{}/v1.0#top", server.uri())] {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(202).set_body_json(sample()))
            .mount(&server)
            .await;
        match Client::builder().base_url(&base).bearer_token(TOKEN).build() {
            Err(Error::InvalidRequest(message)) => assert!(message.contains(&base), "{message}"),
            Err(other) => panic!("{base}: {other:?}"),
            Ok(client) => {
                let sent = client
                    .create_payments_export_request()
                    .filter(Filter::raw("paymentDate ge 2023-03-01"))
                    .send()
                    .await;
                assert!(sent.is_ok(), "{sent:?}");
                let request = only_request(&server).await;
                let filter =
                    request.url.query_pairs().find(|(name, _)| name == "$filter").map(|(_, value)| value.into_owned());
                if request.url.path() != "/v1.0/payouts/payments"
                    || filter.as_deref() != Some("paymentDate ge 2023-03-01")
                {
                    problems.push(format!(
                        "base URL {base} was accepted, and the request went to path {:?} with query {:?}",
                        request.url.path(),
                        request.url.query()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn invalid_base_urls_are_rejected_by_build() {
    for base in ["not a url", "ftp://x", "mailto:payouts@example.com", "", "/payouts"] {
        let result = Client::builder().base_url(base).bearer_token(TOKEN).build();
        match result {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.starts_with(&format!("base URL `{base}` is not ")), "{message}");
                assert!(!message.contains(TOKEN), "{message}");
            }
            other => panic!("{base:?} gave {other:?}"),
        }
    }
}

#[test]
fn the_default_base_url_is_the_spec_server() {
    assert_eq!(payouts::DEFAULT_BASE_URL, "https://api.partner.microsoft.com/v1.0");
    let client = Client::new(TOKEN).expect("builds");
    assert_eq!(client.base_url(), "https://api.partner.microsoft.com/v1.0");
    assert!(!format!("{client:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_without_status_or_token() {
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.local_addr().expect("local address")
    };
    let client = Client::builder().base_url(format!("http://{address}")).bearer_token(TOKEN).build().expect("builds");

    let error = client.delete_payments_export_request(REQUEST).send().await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(error.to_string().starts_with("request failed: "), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

// ---------------------------------------------------------------------------
// `Display` is one line
// ---------------------------------------------------------------------------

#[tokio::test]

async fn display_of_a_documented_error_is_one_line_even_for_a_multi_line_description() {
    let (json, _) = error_body("600012", "The filter is not valid.\r\nLine 2: unexpected token ')'.");
    let error = create_error(error_template(400, &json)).await;
    let shown = error.to_string();
    assert!(!shown.contains(['\n', '\r']), "{shown:?}");
    assert!(shown.starts_with("HTTP 400 Bad Request: 600012: The filter is not valid."), "{shown:?}");
}

#[tokio::test]

async fn display_of_an_unexpected_status_or_decode_error_is_one_line_even_for_a_multi_line_body() {
    let page = "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n</html>\n";
    let unexpected = create_error(ResponseTemplate::new(503).set_body_raw(page, "text/html")).await;
    assert!(matches!(unexpected, Error::UnexpectedStatus(_)), "{unexpected:?}");
    let decode = create_error(ResponseTemplate::new(202).set_body_raw(page, "text/html")).await;
    assert!(matches!(decode, Error::Decode(_)), "{decode:?}");
    for error in [unexpected, decode] {
        let shown = error.to_string();
        assert!(!shown.contains('\n'), "{shown:?}");
        assert!(shown.contains("503 Service Temporarily Unavailable"), "{shown:?}");
    }
}

#[test]
fn a_password_in_the_base_url_never_appears_in_debug_output() {
    let builder = Client::builder().base_url("https://user:hunter2@payouts.example/v1.0").bearer_token(TOKEN);
    let shown = format!("{builder:?}");
    assert!(!shown.contains("hunter2") && shown.contains("user:redacted@"), "{shown}");
    let client = builder.build().expect("a valid base URL");
    let shown = format!("{client:?}");
    assert!(!shown.contains("hunter2") && shown.contains("user"), "{shown}");
}

/// The crates the public API names are re-exported, so a user needs no
/// version of their own: these types come from the client crate alone.
#[tokio::test]
async fn the_client_reexports_the_crates_its_api_uses() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(202).set_body_json(sample())).mount(&server).await;
    let http: payouts::reqwest::Client = payouts::reqwest::Client::builder().build().expect("a reqwest client");
    let client =
        Client::builder().base_url(server.uri()).http_client(http).bearer_token(TOKEN).build().expect("client");
    let id: payouts::uuid::Uuid = payouts::uuid::Uuid::nil();
    let created = client.create_payments_export_request().ms_request_id(id).send().await.expect("created");
    let when: Option<payouts::chrono::DateTime<payouts::chrono::Utc>> = created.value[0].request_date_time;
    assert!(when.is_some());
    assert_eq!(header_text(&only_request(&server).await, "ms-requestid"), Some("00000000-0000-0000-0000-000000000000"));
    // A decode error's cause is a `serde_json::Error`, named through the client crate.
    let undecodable = payouts::serde_json::from_str::<payouts::serde_json::Value>("{").expect_err("not JSON");
    let error = payouts::error::DecodeError { status: 200, body_snippet: "{".to_owned(), source: undecodable };
    assert!(error.to_string().starts_with("cannot decode the HTTP 200 response body (EOF"), "{error}");
}

// ---------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------

/// A server that accepts every connection, reads the request and never
/// answers, holding the connection open. Returns its URL and a count of the
/// requests it received.
async fn silent_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let address = listener.local_addr().expect("local address");
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                // Hold the connection until the client gives up on it.
                while matches!(socket.read(&mut buffer).await, Ok(read) if read > 0) {}
            });
        }
    });
    (format!("http://{address}"), received)
}

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        max_retry_after: Duration::from_millis(2),
    }
}

#[tokio::test]
async fn an_attempt_that_gets_no_answer_times_out_and_is_retried() {
    let (url, received) = silent_server().await;
    let client = Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries(3))
        .build()
        .expect("builds");
    let error = client.get_payments_export_request(REQUEST).send().await.expect_err("the server never answers");
    let Error::Transport(transport) = &error else { panic!("not Transport: {error:?}") };
    assert!(transport.is_timeout(), "{transport:?}");
    assert_eq!(received.load(Ordering::SeqCst), 3, "one request per attempt");
}

#[tokio::test]
async fn the_attempt_timeout_applies_to_a_callers_reqwest_client_too() {
    let (url, received) = silent_server().await;
    let http = payouts::reqwest::Client::builder().build().expect("a reqwest client without a timeout");
    let client = Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .http_client(http)
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries(2))
        .build()
        .expect("builds");
    let error = client.create_payments_export_request().send().await.expect_err("the server never answers");
    assert!(matches!(&error, Error::Transport(transport) if transport.is_timeout()), "{error:?}");
    assert_eq!(received.load(Ordering::SeqCst), 2);
}

#[test]
fn timeouts_have_defaults_and_can_be_set() {
    let shown = format!("{:?}", Client::builder());
    assert!(shown.contains("timeouts: Timeouts { connect: 10s, attempt: 60s }"), "{shown}");
    let builder = Client::builder().connect_timeout(Duration::from_secs(3)).timeout(Duration::from_secs(20));
    let shown = format!("{:?}", builder.bearer_token(TOKEN).build().expect("builds"));
    assert!(shown.contains("timeouts: Timeouts { connect: 3s, attempt: 20s }"), "{shown}");
}

// ---------------------------------------------------------------------------
// Tracing
// ---------------------------------------------------------------------------

#[tokio::test]
async fn calls_and_attempts_are_traced_with_ids_and_without_the_token() {
    let capture = Capture::start();
    let server = MockServer::start().await;
    let (json, _) = error_body("500000", "A dependency failed.");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(202).set_body_json(sample())).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries(2))
        .build()
        .expect("builds");
    client
        .create_payments_export_request()
        .filter(Filter::raw("paymentDate ge 2023-03-01"))
        .ms_request_id(REQUEST_ID)
        .send()
        .await
        .expect("202 after one retry");

    let trace = capture.trace();
    let calls = trace.spans_named("call");
    assert_eq!(calls.len(), 1);
    let call = calls[0];
    assert_eq!(call.field("operation"), Some("createPaymentsExportRequest"));
    assert_eq!((call.field("method"), call.field("path")), (Some("POST"), Some("/payouts/payments")));
    let attempts = trace.spans_named("attempt");
    assert_eq!(attempts.len(), 2);
    let call_index = trace.spans.iter().position(|span| span.name == "call");
    let received = server.received_requests().await.expect("recording is on");
    for (number, (attempt, request)) in attempts.iter().zip(&received).enumerate() {
        assert_eq!(attempt.parent, call_index);
        assert_eq!(attempt.field("attempt"), Some((number + 1).to_string().as_str()));
        // The ids the attempt sent: a fresh correlation id, the caller's request id.
        let correlation = header_text(request, "MS-CorrelationId").unwrap_or_default();
        let ids = format!("MS-CorrelationId={correlation} MS-RequestId={REQUEST_ID}");
        assert_eq!(attempt.field("ids"), Some(ids.as_str()));
        let url = format!("{}/payouts/payments?$filter=paymentDate%20ge%202023-03-01", server.uri());
        assert_eq!(attempt.field("url"), Some(url.as_str()));
        assert!(attempt.field("elapsed_ms").is_some());
    }
    assert_eq!(attempts[0].field("status"), Some("500"));
    assert_eq!(attempts[0].field("retry_reason"), Some("server error"));
    assert_eq!(attempts[0].field("retry_in_ms"), Some("0"), "Retry-After: 0");
    assert_eq!((attempts[1].field("status"), attempts[1].field("retry_in_ms")), (Some("202"), None));
    assert_eq!(trace.events_saying("retrying").len(), 1);
    assert_eq!(trace.events_saying("response").len(), 2);

    let text = trace.all_text();
    assert!(!text.contains(TOKEN) && !text.contains("Bearer"), "{text}");
}

#[tokio::test]
async fn a_timed_out_attempt_is_traced_as_such() {
    let capture = Capture::start();
    let (url, _) = silent_server().await;
    let client = Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries(2))
        .build()
        .expect("builds");
    client.delete_payments_export_request(REQUEST).send().await.expect_err("the server never answers");
    let trace = capture.trace();
    let attempts = trace.spans_named("attempt");
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0].field("retry_reason"), Some("timed out"));
    assert_eq!(attempts[0].field("status"), None);
    let failures = trace.events_saying("no response");
    assert_eq!(failures.len(), 2);
    assert!(failures.iter().all(|event| event.field("timeout") == Some("true")), "{failures:?}");
    assert!(!trace.all_text().contains(TOKEN));
}
