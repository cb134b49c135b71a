//! The typed client: filters, retries, tokens, generated ids, waiting.
//!
//! Every test runs the generated client against a local wiremock server with
//! fast retry and polling settings, and checks exact values: what the server
//! received (`received_requests`) and what the client returned.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::StreamExt;
use payouts::client::{Page, Poller, Polling, RetryPolicy, Snapshot};
use payouts::error::WaitError;
use payouts::filter::{self, Filter, PayoutOrderType, ProgramName};
use payouts::types::{ExportStatus, PaymentsExportRequest};
use payouts::{Client, Error};
use payouts_tests::{CORRELATION_ID, REQUEST, REQUEST_ID, SAMPLE_FILTER, error_body, header_text};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A token distinctive enough that finding it in any output is a leak.
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.typed-client-test-token";
/// The same filter as the typed builder writes it: no redundant parentheses.
const TYPED_SAMPLE_FILTER: &str = "payoutStatusUpdateTS le 2019-09-25T23:11:55.647Z and enrollmentParticipantId eq 'XXXXXXX' and programName eq 'CSP Direct Bill Partner' and payoutOrderType eq 'REBATE' and paymentId eq '000000000000'";
const BLOB: &str = "https://payouts.blob.core.windows.net/exports/93c2b3cf.zip?sv=2021-08-06&sig=abc%3D";
const PAYMENTS: &str = "/payouts/payments";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Fast retries: three attempts, millisecond backoff, `Retry-After` up to 2 s.
fn fast() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(2),
    }
}

/// Fast polling: every 10 ms, for at most 300 ms.
fn polling() -> Polling {
    Polling::new(Duration::from_millis(10), Duration::from_millis(300))
}

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(retry)
        .build()
        .expect("the mock server's URI is a valid base URL")
}

/// A client for the mock server with the fast retry policy.
fn client(server: &MockServer) -> Client {
    client_with(server, fast())
}

/// The path of one export request.
fn export_path(id: Uuid) -> String {
    format!("{PAYMENTS}/{id}")
}

/// A `PaymentsExportRequestCollection` holding one request in `status`.
fn collection(id: Uuid, status: &str, blob: &str) -> Value {
    json!({
        "value": [{
            "requestId": id.to_string(),
            "requestDateTime": "2023-05-25T21:20:46.3727561Z",
            "requestPath": "/v1.0/payouts/payments",
            "requestQueryString": "paymentDate ge 2023-03-01 and paymentDate le 2023-04-12",
            "blobLocation": blob,
            "status": status
        }],
        "nextLink": null,
        "totalCount": 1
    })
}

fn ok(status: u16, id: Uuid, state: &str, blob: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(collection(id, state, blob))
}

fn failure(status: u16) -> ResponseTemplate {
    let (json, _) = error_body(&format!("{status}000"), &format!("Failure {status}."));
    ResponseTemplate::new(status).set_body_json(json)
}

/// Answers with each template in turn, then repeats the last one forever.
struct Sequence {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

fn sequence(responses: impl IntoIterator<Item = ResponseTemplate>) -> Sequence {
    let responses: Vec<ResponseTemplate> = responses.into_iter().collect();
    assert!(!responses.is_empty());
    Sequence { responses, next: AtomicUsize::new(0) }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[index.min(self.responses.len() - 1)].clone()
    }
}

/// Mounts `responder` for `verb path`.
async fn answer(server: &MockServer, verb: &str, at: &str, responder: impl Respond + 'static) {
    Mock::given(method(verb)).and(path(at)).respond_with(responder).mount(server).await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The value of a header that must be a version 4 UUID.
fn v4_header(request: &Request, name: &str) -> Uuid {
    let text = header_text(request, name).unwrap_or_else(|| panic!("no {name} header"));
    let id = Uuid::parse_str(text).unwrap_or_else(|error| panic!("{name}: {text:?} is not a UUID: {error}"));
    assert_eq!(id.get_version_num(), 4, "{name}: {text}");
    id
}

/// `METHOD path` of every request the server received, in order.
fn lines(requests: &[Request]) -> Vec<String> {
    requests.iter().map(|request| format!("{} {}", request.method, request.url.path())).collect()
}

fn wait_error(error: Error) -> WaitError {
    match error {
        Error::Wait(wait) => *wait,
        other => panic!("not a wait error: {other:?}"),
    }
}

/// A UTC timestamp.
fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, mo, d).and_then(|date| date.and_hms_nano_opt(h, mi, s, nanos)).expect("valid").and_utc()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// OData filter text as tokens: words, whole string literals (quotes
/// included, doubled quotes kept) and parentheses; spaces separate.
fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            ' ' => i += 1,
            '(' | ')' => {
                out.push(chars[i].to_string());
                i += 1;
            }
            '\'' => {
                let start = i;
                i += 1;
                loop {
                    assert!(i < chars.len(), "unterminated string literal in {text:?}");
                    if chars[i] == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
            _ => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], ' ' | '(' | ')' | '\'') {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
        }
    }
    out
}

/// The comparisons of a conjunction, in order, parentheses ignored. Fails
/// unless the text is `comparison and comparison and ...`.
fn conjunction(text: &str) -> Vec<String> {
    let words: Vec<String> = tokens(text).into_iter().filter(|token| token != "(" && token != ")").collect();
    let groups: Vec<String> = words.split(|word| word == "and").map(|group| group.join(" ")).collect();
    for group in words.split(|word| word == "and") {
        assert_eq!(group.len(), 3, "not a comparison: {group:?} in {text:?}");
    }
    groups
}

// ---------------------------------------------------------------------------
// 1. Filter builder
// ---------------------------------------------------------------------------

/// The seeds' sample filter, built with the typed constructors.
fn typed_sample() -> Filter {
    filter::payout_status_update_ts()
        .le(utc(2019, 9, 25, 23, 11, 55, 647_000_000))
        .and(filter::enrollment_participant_id().eq("XXXXXXX"))
        .and(filter::program_name().eq(ProgramName::CSP_DIRECT_BILL_PARTNER))
        .and(filter::payout_order_type().eq(PayoutOrderType::REBATE))
        .and(filter::payment_id().eq("000000000000"))
}

#[test]
fn the_typed_sample_filter_writes_the_exact_odata_text() {
    assert_eq!(typed_sample().to_string(), TYPED_SAMPLE_FILTER);
}

#[test]
fn the_typed_sample_filter_is_the_documented_sample_up_to_redundant_parentheses() {
    // The sample's parentheses each wrap a single comparison, so they are redundant.
    let sample = tokens(SAMPLE_FILTER);
    for (index, token) in sample.iter().enumerate() {
        if token == "(" {
            assert_eq!(sample[index + 4], ")", "{sample:?}");
        }
    }
    let expected = [
        "payoutStatusUpdateTS le 2019-09-25T23:11:55.647Z",
        "enrollmentParticipantId eq 'XXXXXXX'",
        "programName eq 'CSP Direct Bill Partner'",
        "payoutOrderType eq 'REBATE'",
        "paymentId eq '000000000000'",
    ];
    assert_eq!(conjunction(SAMPLE_FILTER), expected);
    assert_eq!(conjunction(&typed_sample().to_string()), expected);
}

#[test]
fn known_value_constants_have_the_documented_text_and_other_values_are_accepted() {
    assert_eq!(ProgramName::CSP_DIRECT_BILL_PARTNER, "CSP Direct Bill Partner");
    assert_eq!(ProgramName::CSP_INDIRECT_PROVIDER, "CSP Indirect Provider");
    assert_eq!(ProgramName::CSP_2T_INDIRECT_RESELLER, "CSP 2T Indirect Reseller");
    assert_eq!(PayoutOrderType::REBATE, "REBATE");
    assert_eq!(PayoutOrderType::SELL, "SELL");
    // The known values are not a closed set; owned strings work too.
    assert_eq!(filter::program_name().eq("CSP Future Program").to_string(), "programName eq 'CSP Future Program'");
    assert_eq!(filter::payout_order_type().eq(String::from("REFUND")).to_string(), "payoutOrderType eq 'REFUND'");
}

#[test]
fn a_quote_in_a_string_value_is_doubled() {
    assert_eq!(filter::enrollment_participant_id().eq("O'Brien").to_string(), "enrollmentParticipantId eq 'O''Brien'");
    assert_eq!(filter::payment_id().eq("'").to_string(), "paymentId eq ''''");
    assert_eq!(filter::payment_id().eq("''").to_string(), "paymentId eq ''''''");
}

#[test]
fn an_injection_attempt_stays_one_string_literal() {
    let injected = filter::enrollment_participant_id().eq("x' or 1 eq 1 or 'a");
    assert_eq!(injected.to_string(), "enrollmentParticipantId eq 'x'' or 1 eq 1 or ''a'");
    assert_eq!(tokens(&injected.to_string()), ["enrollmentParticipantId", "eq", "'x'' or 1 eq 1 or ''a'"]);

    let combined = injected.and(filter::payment_id().eq("1') or (paymentId eq '2"));
    assert_eq!(
        conjunction(&combined.to_string()),
        ["enrollmentParticipantId eq 'x'' or 1 eq 1 or ''a'", "paymentId eq '1'') or (paymentId eq ''2'"]
    );
}

#[test]
fn non_ascii_and_empty_string_values_are_quoted_as_they_are() {
    assert_eq!(filter::program_name().eq("Zürich 東京").to_string(), "programName eq 'Zürich 東京'");
    assert_eq!(filter::payment_id().eq("").to_string(), "paymentId eq ''");
    assert_eq!(filter::payment_id().eq("  two  spaces ").to_string(), "paymentId eq '  two  spaces '");
}

fn a() -> Filter {
    filter::payment_id().eq("1")
}
fn b() -> Filter {
    filter::payment_id().eq("2")
}
fn c() -> Filter {
    filter::payout_order_type().eq(PayoutOrderType::FEE)
}

#[test]
fn or_inside_and_is_parenthesised() {
    assert_eq!(a().or(b()).and(c()).to_string(), "(paymentId eq '1' or paymentId eq '2') and payoutOrderType eq 'FEE'");
    assert_eq!(a().and(b().or(c())).to_string(), "paymentId eq '1' and (paymentId eq '2' or payoutOrderType eq 'FEE')");
    assert_eq!(
        a().or(b()).and(a().or(c())).to_string(),
        "(paymentId eq '1' or paymentId eq '2') and (paymentId eq '1' or payoutOrderType eq 'FEE')"
    );
}

#[test]
fn and_inside_or_needs_no_parentheses() {
    assert_eq!(a().and(b()).or(c()).to_string(), "paymentId eq '1' and paymentId eq '2' or payoutOrderType eq 'FEE'");
    assert_eq!(c().or(a().and(b())).to_string(), "payoutOrderType eq 'FEE' or paymentId eq '1' and paymentId eq '2'");
}

#[test]
fn chains_of_one_operator_are_flat() {
    assert_eq!(a().and(b()).and(c()).to_string(), "paymentId eq '1' and paymentId eq '2' and payoutOrderType eq 'FEE'");
    assert_eq!(a().and(b().and(c())).to_string(), "paymentId eq '1' and paymentId eq '2' and payoutOrderType eq 'FEE'");
    assert_eq!(a().or(b()).or(c()).to_string(), "paymentId eq '1' or paymentId eq '2' or payoutOrderType eq 'FEE'");
}

#[test]
fn not_wraps_its_operand_in_parentheses() {
    assert_eq!((!a()).to_string(), "not (paymentId eq '1')");
    assert_eq!((!(a().and(b()))).to_string(), "not (paymentId eq '1' and paymentId eq '2')");
    assert_eq!(
        (!(a().or(b()))).and(c()).to_string(),
        "not (paymentId eq '1' or paymentId eq '2') and payoutOrderType eq 'FEE'"
    );
    assert_eq!(c().or(!a()).to_string(), "payoutOrderType eq 'FEE' or not (paymentId eq '1')");
    assert_eq!((!!a()).to_string(), "not (not (paymentId eq '1'))");
}

#[test]
fn the_and_or_operators_equal_the_methods() {
    assert_eq!(a() & b() | c(), a().and(b()).or(c()));
    assert_eq!((a() & b() | c()).to_string(), "paymentId eq '1' and paymentId eq '2' or payoutOrderType eq 'FEE'");
    // `&` binds tighter than `|` in Rust, as `and` does in OData.
    assert_eq!(a() | b() & c(), a().or(b().and(c())));
    assert_eq!((a() | b() & c()).to_string(), "paymentId eq '1' or paymentId eq '2' and payoutOrderType eq 'FEE'");
    assert_eq!(((a() | b()) & c()).to_string(), "(paymentId eq '1' or paymentId eq '2') and payoutOrderType eq 'FEE'");
    assert_eq!((!a() & b()).to_string(), "not (paymentId eq '1') and paymentId eq '2'");
}

#[test]
fn a_raw_filter_is_parenthesised_when_combined_but_not_alone() {
    let raw = || Filter::raw("paymentAmount ge 1 or paymentAmount le 0");
    assert_eq!(raw().to_string(), "paymentAmount ge 1 or paymentAmount le 0");
    assert_eq!(raw().and(a()).to_string(), "(paymentAmount ge 1 or paymentAmount le 0) and paymentId eq '1'");
    assert_eq!(a().or(raw()).to_string(), "paymentId eq '1' or (paymentAmount ge 1 or paymentAmount le 0)");
    assert_eq!((!raw()).to_string(), "not (paymentAmount ge 1 or paymentAmount le 0)");
    assert_eq!(Filter::raw(SAMPLE_FILTER).to_string(), SAMPLE_FILTER);
}

#[test]
fn dates_are_unquoted_calendar_dates() {
    assert_eq!(filter::payment_date().ge(date(2023, 3, 1)).to_string(), "paymentDate ge 2023-03-01");
    assert_eq!(
        filter::payment_date().ge(date(2023, 3, 1)).and(filter::payment_date().le(date(2023, 4, 12))).to_string(),
        "paymentDate ge 2023-03-01 and paymentDate le 2023-04-12"
    );
    assert_eq!(filter::payment_date().eq(date(2024, 2, 29)).to_string(), "paymentDate eq 2024-02-29");
    assert_eq!(filter::payment_date().lt(date(999, 1, 9)).to_string(), "paymentDate lt 0999-01-09");
    assert_eq!(filter::payment_date().gt(date(2023, 12, 31)).to_string(), "paymentDate gt 2023-12-31");
}

#[test]
fn numbers_are_unquoted_and_whole_numbers_have_no_fraction() {
    assert_eq!(filter::payment_amount().ge(2000.0).to_string(), "paymentAmount ge 2000");
    assert_eq!(filter::payment_amount().ge(2000.5).to_string(), "paymentAmount ge 2000.5");
    assert_eq!(
        filter::payment_amount().ge(2000.0).and(filter::payment_amount().le(5000.0)).to_string(),
        "paymentAmount ge 2000 and paymentAmount le 5000"
    );
    assert_eq!(filter::payment_amount().eq(-12.25).to_string(), "paymentAmount eq -12.25");
    assert_eq!(filter::payment_amount().lt(0.1).to_string(), "paymentAmount lt 0.1");
    assert_eq!(filter::payment_amount().gt(0.0).to_string(), "paymentAmount gt 0");
    assert_eq!(filter::payment_amount().le(1e21).to_string(), "paymentAmount le 1000000000000000000000");
    assert_eq!(filter::payment_amount().ge(1e-7).to_string(), "paymentAmount ge 0.0000001");
    assert_eq!(filter::payment_amount().eq(f64::INFINITY).to_string(), "paymentAmount eq INF");
    assert_eq!(filter::payment_amount().eq(f64::NEG_INFINITY).to_string(), "paymentAmount eq -INF");
    assert_eq!(filter::payment_amount().eq(f64::NAN).to_string(), "paymentAmount eq NaN");
}

#[test]
fn timestamps_are_utc_rfc3339_with_only_the_fraction_needed() {
    let ts = filter::payout_status_update_ts;
    assert_eq!(
        ts().le(utc(2019, 9, 25, 23, 11, 55, 647_000_000)).to_string(),
        "payoutStatusUpdateTS le 2019-09-25T23:11:55.647Z"
    );
    assert_eq!(ts().eq(utc(2019, 9, 25, 23, 11, 55, 0)).to_string(), "payoutStatusUpdateTS eq 2019-09-25T23:11:55Z");
    assert_eq!(
        ts().lt(utc(2019, 9, 25, 23, 11, 55, 123_456_000)).to_string(),
        "payoutStatusUpdateTS lt 2019-09-25T23:11:55.123456Z"
    );
    assert_eq!(
        ts().gt(utc(2023, 5, 25, 21, 20, 46, 372_756_100)).to_string(),
        "payoutStatusUpdateTS gt 2023-05-25T21:20:46.372756100Z"
    );
    assert_eq!(
        ts().ge(utc(2000, 1, 1, 0, 0, 0, 1)).to_string(),
        "payoutStatusUpdateTS ge 2000-01-01T00:00:00.000000001Z"
    );
    // A timestamp given with an offset is written in UTC.
    let offset: DateTime<Utc> = DateTime::parse_from_rfc3339("2019-09-26T01:11:55.647+02:00").expect("RFC 3339").into();
    assert_eq!(ts().le(offset).to_string(), "payoutStatusUpdateTS le 2019-09-25T23:11:55.647Z");
}

#[tokio::test]
async fn the_filter_is_sent_as_dollar_filter_and_decodes_to_its_text() {
    let server = MockServer::start().await;
    let filter = typed_sample().and(filter::program_name().eq("O'Brien & Söhne+Co=1#2%3/4? Zürich 東京"));
    let text = filter.to_string();
    Mock::given(method("POST"))
        .and(path(PAYMENTS))
        .and(query_param("$filter", text.as_str()))
        .respond_with(ok(202, REQUEST, "Queued", ""))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).create_payments_export_request().filter(filter).send().await.expect("202 decodes");

    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    let query = received[0].url.query().expect("a query");
    assert_eq!(
        query,
        concat!(
            "$filter=payoutStatusUpdateTS%20le%202019-09-25T23%3A11%3A55.647Z",
            "%20and%20enrollmentParticipantId%20eq%20%27XXXXXXX%27",
            "%20and%20programName%20eq%20%27CSP%20Direct%20Bill%20Partner%27",
            "%20and%20payoutOrderType%20eq%20%27REBATE%27",
            "%20and%20paymentId%20eq%20%27000000000000%27",
            "%20and%20programName%20eq%20%27O%27%27Brien%20%26%20S%C3%B6hne%2BCo%3D1%232%253%2F4%3F",
            "%20Z%C3%BCrich%20%E6%9D%B1%E4%BA%AC%27",
        )
    );
    let pairs: Vec<(String, String)> = received[0].url.query_pairs().into_owned().collect();
    assert_eq!(pairs, [("$filter".to_owned(), text)]);
}

// ---------------------------------------------------------------------------
// 2. Headers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn correlation_id_is_fresh_per_attempt_and_request_id_is_kept_across_retries() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, sequence([failure(503), ok(202, REQUEST, "Queued", "")])).await;
    answer(&server, "GET", &export_path(REQUEST), sequence([failure(503), ok(200, REQUEST, "Queued", "")])).await;
    answer(&server, "DELETE", &export_path(REQUEST), sequence([failure(503), ResponseTemplate::new(200)])).await;
    let client = client(&server);

    client.create_payments_export_request().send().await.expect("202 after a retry");
    client.get_payments_export_request(REQUEST).send().await.expect("200 after a retry");
    client.delete_payments_export_request(REQUEST).send().await.expect("200 after a retry");

    let received = requests(&server).await;
    let create_path = PAYMENTS.to_owned();
    let one_path = export_path(REQUEST);
    assert_eq!(
        lines(&received),
        [
            format!("POST {create_path}"),
            format!("POST {create_path}"),
            format!("GET {one_path}"),
            format!("GET {one_path}"),
            format!("DELETE {one_path}"),
            format!("DELETE {one_path}"),
        ]
    );
    let correlation: Vec<Uuid> = received.iter().map(|r| v4_header(r, "MS-CorrelationId")).collect();
    let request_ids: Vec<Uuid> = received.iter().map(|r| v4_header(r, "MS-RequestId")).collect();
    for call in 0..3 {
        let (first, retry) = (2 * call, 2 * call + 1);
        assert_ne!(correlation[first], correlation[retry], "call {call}: a retry has a fresh MS-CorrelationId");
        assert_eq!(request_ids[first], request_ids[retry], "call {call}: a retry keeps its MS-RequestId");
    }
    let mut distinct_correlation = correlation.clone();
    distinct_correlation.sort();
    distinct_correlation.dedup();
    assert_eq!(distinct_correlation.len(), 6, "{correlation:?}");
    let mut distinct_requests = request_ids.clone();
    distinct_requests.sort();
    distinct_requests.dedup();
    assert_eq!(distinct_requests.len(), 3, "one MS-RequestId per call: {request_ids:?}");
    for (correlation, request) in correlation.iter().zip(&request_ids) {
        assert_ne!(correlation, request);
    }
    for request in &received {
        assert_eq!(request.headers.get_all("MS-CorrelationId").iter().count(), 1);
        assert_eq!(request.headers.get_all("MS-RequestId").iter().count(), 1);
    }
}

#[tokio::test]
async fn two_calls_have_different_request_ids() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    let client = client(&server);

    client.create_payments_export_request().send().await.expect("202");
    client.create_payments_export_request().send().await.expect("202");

    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    assert_ne!(v4_header(&received[0], "MS-RequestId"), v4_header(&received[1], "MS-RequestId"));
    assert_ne!(v4_header(&received[0], "MS-CorrelationId"), v4_header(&received[1], "MS-CorrelationId"));
}

#[tokio::test]
async fn caller_supplied_ids_are_sent_as_given_on_every_attempt() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, sequence([failure(503), failure(500), ok(202, REQUEST, "Queued", "")])).await;
    answer(&server, "DELETE", &export_path(REQUEST), sequence([failure(429), ResponseTemplate::new(200)])).await;
    let client = client(&server);

    client
        .create_payments_export_request()
        .ms_correlation_id(CORRELATION_ID)
        .ms_request_id(REQUEST_ID)
        .send()
        .await
        .expect("202 on the third attempt");
    // Only one of the two given: the other is generated as usual.
    client.delete_payments_export_request(REQUEST).ms_request_id(REQUEST_ID).send().await.expect("200");

    let received = requests(&server).await;
    assert_eq!(received.len(), 5, "{:?}", lines(&received));
    for request in &received[..3] {
        assert_eq!(header_text(request, "MS-CorrelationId"), Some("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert_eq!(header_text(request, "MS-RequestId"), Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"));
    }
    for request in &received[3..] {
        assert_eq!(request.method.as_str(), "DELETE");
        assert_eq!(header_text(request, "MS-RequestId"), Some("7c9e6679-7425-40de-944b-e07fc1f90ae7"));
    }
    assert_ne!(v4_header(&received[3], "MS-CorrelationId"), v4_header(&received[4], "MS-CorrelationId"));
}

#[tokio::test]
async fn accept_and_user_agent_are_sent_on_every_operation() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/Cargo.toml"))
        .expect("the generated crate's manifest");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("a version line");
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Queued", "")).await;
    answer(&server, "DELETE", &export_path(REQUEST), ResponseTemplate::new(200)).await;
    let client = client(&server);

    client.create_payments_export_request().send().await.expect("202");
    client.get_payments_export_request(REQUEST).send().await.expect("200");
    client.delete_payments_export_request(REQUEST).send().await.expect("200");

    let received = requests(&server).await;
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(header_text(request, "Accept"), Some("application/json"), "{}", request.method);
        assert_eq!(request.headers.get_all("Accept").iter().count(), 1);
        let agent = header_text(request, "User-Agent").expect("a User-Agent");
        let sent_version = agent.strip_prefix("partner-center-payouts-client/").unwrap_or_else(|| panic!("{agent}"));
        assert_eq!(sent_version, version);
        let parts: Vec<&str> = sent_version.split('.').collect();
        assert_eq!(parts.len(), 3, "{agent}");
        assert!(parts.iter().all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())), "{agent}");
        assert_eq!(header_text(request, "Authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    }
}

// ---------------------------------------------------------------------------
// 3. Auth
// ---------------------------------------------------------------------------

/// A token provider that hands out `token-1`, `token-2`, … and counts calls.
fn counting_provider(
    calls: &Arc<AtomicUsize>,
) -> impl Fn() -> std::future::Ready<Result<String, std::io::Error>> + Send + Sync + 'static {
    let calls = Arc::clone(calls);
    move || {
        let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
        std::future::ready(Ok(format!("token-{call}")))
    }
}

#[tokio::test]
async fn the_token_provider_is_asked_before_every_attempt() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, sequence([failure(503), failure(429), ok(202, REQUEST, "Queued", "")])).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token_provider(counting_provider(&calls))
        .retry_policy(fast())
        .build()
        .expect("builds");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "building the client asks for no token");

    client.create_payments_export_request().send().await.expect("202 on the third attempt");

    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let received = requests(&server).await;
    let sent: Vec<&str> = received.iter().map(|r| header_text(r, "Authorization").expect("Authorization")).collect();
    assert_eq!(sent, ["Bearer token-1", "Bearer token-2", "Bearer token-3"]);
}

#[tokio::test]
async fn the_token_provider_is_asked_for_every_poll() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(
        &server,
        "GET",
        &export_path(REQUEST),
        sequence([ok(200, REQUEST, "Processing", ""), ok(200, REQUEST, "Completed", BLOB)]),
    )
    .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token_provider(counting_provider(&calls))
        .retry_policy(fast())
        .build()
        .expect("builds");

    let done = client.create_payments_export_request().send_and_wait(polling()).await.expect("completes");
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let received = requests(&server).await;
    let sent: Vec<&str> = received.iter().map(|r| header_text(r, "Authorization").expect("Authorization")).collect();
    assert_eq!(sent, ["Bearer token-1", "Bearer token-2", "Bearer token-3"]);
}

#[tokio::test]
async fn an_async_token_provider_works() {
    let server = MockServer::start().await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Queued", "")).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token_provider(|| async {
            tokio::task::yield_now().await;
            Ok::<_, std::io::Error>(TOKEN.to_owned())
        })
        .retry_policy(fast())
        .build()
        .expect("builds");

    client.get_payments_export_request(REQUEST).send().await.expect("200");
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(header_text(&received[0], "Authorization"), Some(format!("Bearer {TOKEN}").as_str()));
}

#[tokio::test]
async fn a_token_provider_error_is_error_token_and_nothing_is_sent() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token_provider(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            std::future::ready(Err::<String, _>(std::io::Error::other("vault unreachable")))
        })
        .retry_policy(fast())
        .build()
        .expect("builds");

    let error = client.create_payments_export_request().send().await.expect_err("no token");
    assert_eq!(error.status(), None);
    assert_eq!(error.to_string(), "cannot get a bearer token: vault unreachable");
    let source = std::error::Error::source(&error).expect("the provider's error is the source");
    assert_eq!(source.to_string(), "vault unreachable");
    let Error::Token(inner) = &error else { panic!("not Error::Token: {error:?}") };
    assert_eq!(inner.to_string(), "vault unreachable");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "a token failure is not retried");
    assert!(requests(&server).await.is_empty());

    let error = client.create_payments_export_request().send_and_wait(polling()).await.expect_err("no token");
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn the_token_never_appears_in_debug_or_display_of_the_client_or_errors() {
    let server = MockServer::start().await;
    let (json, _) = error_body("900401", "The access token has expired.");
    answer(&server, "POST", PAYMENTS, ResponseTemplate::new(401).set_body_json(json)).await;
    answer(&server, "GET", &export_path(REQUEST), failure(500)).await;
    answer(&server, "DELETE", &export_path(REQUEST), ResponseTemplate::new(418).set_body_string("teapot")).await;

    let fixed = client(&server);
    let provided = Client::builder()
        .base_url(server.uri())
        .bearer_token_provider(|| std::future::ready(Ok::<_, std::io::Error>(TOKEN.to_owned())))
        .retry_policy(fast())
        .build()
        .expect("builds");
    let builder = Client::builder().base_url(server.uri()).bearer_token(TOKEN).retry_policy(fast());
    let mut shown = vec![format!("{fixed:?}"), format!("{fixed:#?}"), format!("{provided:?}"), format!("{builder:?}")];
    shown.push(format!("{:?}", fixed.create_payments_export_request().filter(typed_sample())));

    for client in [&fixed, &provided] {
        let errors = [
            client.create_payments_export_request().send().await.expect_err("401"),
            client.get_payments_export_request(REQUEST).send().await.expect_err("500"),
            client.delete_payments_export_request(REQUEST).send().await.expect_err("418"),
            client.wait_for_payments_export_request(REQUEST, polling()).await.expect_err("500"),
        ];
        assert!(matches!(errors[0], Error::Unauthorized(_)), "{:?}", errors[0]);
        assert!(matches!(errors[1], Error::InternalServerError(_)), "{:?}", errors[1]);
        assert!(matches!(errors[2], Error::UnexpectedStatus(_)), "{:?}", errors[2]);
        for error in &errors {
            shown.push(format!("{error} {error:?} {error:#?}"));
        }
    }
    let failing = Client::builder()
        .base_url(server.uri())
        .bearer_token_provider(|| std::future::ready(Err::<String, _>(std::io::Error::other("expired"))))
        .build()
        .expect("builds");
    let error = failing.get_payments_export_request(REQUEST).send().await.expect_err("no token");
    shown.push(format!("{error} {error:?}"));

    for text in &shown {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
        assert!(!text.contains("typed-client-test-token"), "part of the token leaked: {text}");
    }
    // The requests themselves did carry it.
    let received = requests(&server).await;
    let bearer = format!("Bearer {TOKEN}");
    assert!(!received.is_empty());
    assert!(received.iter().all(|r| header_text(r, "Authorization") == Some(bearer.as_str())));
}

// ---------------------------------------------------------------------------
// 4. Retries
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_503_then_202_succeeds_after_two_requests() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, sequence([failure(503), ok(202, REQUEST, "Queued", "")])).await;

    let created = client(&server).create_payments_export_request().send().await.expect("202 after a retry");

    assert_eq!(created.value.len(), 1);
    assert_eq!(created.value[0].request_id, REQUEST);
    assert_eq!(created.value[0].status, ExportStatus::Queued);
    assert_eq!(lines(&requests(&server).await), [format!("POST {PAYMENTS}"), format!("POST {PAYMENTS}")]);
}

#[tokio::test]
async fn every_5xx_is_retried() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, sequence([failure(502), failure(504), ok(202, REQUEST, "Queued", "")])).await;

    client(&server).create_payments_export_request().send().await.expect("202 on the third attempt");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_one_second_is_retried_after_about_a_second() {
    let server = MockServer::start().await;
    let (json, _) = error_body("600429", "Rate limit exceeded.");
    let limited = ResponseTemplate::new(429).set_body_json(json).insert_header("Retry-After", "1");
    answer(&server, "POST", PAYMENTS, sequence([limited, ok(202, REQUEST, "Queued", "")])).await;
    let client = client_with(
        &server,
        RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
            max_retry_after: Duration::from_secs(2),
        },
    );

    let started = Instant::now();
    client.create_payments_export_request().send().await.expect("202 after waiting");
    let elapsed = started.elapsed();

    assert!(elapsed >= Duration::from_millis(900), "retried after only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_above_max_retry_after_is_capped() {
    let server = MockServer::start().await;
    let (json, _) = error_body("600429", "Rate limit exceeded.");
    let limited = ResponseTemplate::new(429).set_body_json(json).insert_header("Retry-After", "3600");
    let unavailable = failure(503).insert_header("Retry-After", "3600");
    answer(&server, "POST", PAYMENTS, sequence([limited, unavailable, ok(202, REQUEST, "Queued", "")])).await;
    let client = client_with(
        &server,
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
            max_retry_after: Duration::from_millis(50),
        },
    );

    let started = Instant::now();
    let sent = tokio::time::timeout(Duration::from_secs(10), client.create_payments_export_request().send())
        .await
        .expect("Retry-After: 3600 must be cut to max_retry_after");
    let elapsed = started.elapsed();
    sent.expect("202 after the capped wait");

    // The capped Retry-After (50 ms, twice) is waited, not the 1-2 ms backoff.
    assert!(elapsed >= Duration::from_millis(100), "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn a_refused_connection_is_retried() {
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        listener.local_addr().expect("local address")
    };
    // Nothing listens, so count attempts by the token requests made before each.
    let calls = Arc::new(AtomicUsize::new(0));
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .bearer_token_provider(counting_provider(&calls))
        .retry_policy(fast())
        .build()
        .expect("builds");

    let error = client.get_payments_export_request(REQUEST).send().await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 3, "max_attempts attempts");
}

#[tokio::test]
async fn when_retries_run_out_the_last_error_is_returned_after_max_attempts_requests() {
    let server = MockServer::start().await;
    let (json, body) = error_body("500000", "A dependency failed.");
    let template = ResponseTemplate::new(500)
        .set_body_json(json)
        .insert_header("MS-CorrelationId", CORRELATION_ID.to_string().as_str())
        .insert_header("MS-RequestId", REQUEST_ID.to_string().as_str());
    answer(&server, "POST", PAYMENTS, template).await;

    let error = client(&server).create_payments_export_request().send().await.expect_err("always 500");

    assert_eq!(error.status(), Some(500));
    let Error::InternalServerError(details) = error else { panic!("not InternalServerError: {error:?}") };
    assert_eq!(
        *details,
        payouts::error::ErrorResponseDetails {
            status: 500,
            body,
            ms_correlation_id: Some(CORRELATION_ID),
            ms_request_id: Some(REQUEST_ID),
        }
    );
    let received = requests(&server).await;
    assert_eq!(received.len(), 3, "max_attempts requests");
    let first = v4_header(&received[0], "MS-RequestId");
    assert!(received.iter().all(|r| v4_header(r, "MS-RequestId") == first));
}

#[tokio::test]
async fn retry_policy_none_makes_exactly_one_request() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, failure(500)).await;
    answer(&server, "GET", &export_path(REQUEST), failure(503)).await;
    let client = client_with(&server, RetryPolicy::none());

    let error = client.create_payments_export_request().send().await.expect_err("500");
    assert!(matches!(error, Error::InternalServerError(_)), "{error:?}");
    let error = client.get_payments_export_request(REQUEST).send().await.expect_err("503");
    let Error::UnexpectedStatus(details) = error else { panic!("not UnexpectedStatus: {error:?}") };
    assert_eq!(details.status, 503);

    assert_eq!(lines(&requests(&server).await), [format!("POST {PAYMENTS}"), format!("GET {}", export_path(REQUEST))]);
    assert_eq!(RetryPolicy::none(), RetryPolicy { max_attempts: 1, ..RetryPolicy::default() });
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    let server = MockServer::start().await;
    let client = client(&server);
    for status in [400, 401, 403, 404] {
        server.reset().await;
        answer(&server, "POST", PAYMENTS, failure(status)).await;
        answer(&server, "GET", &export_path(REQUEST), failure(status)).await;
        answer(&server, "DELETE", &export_path(REQUEST), failure(status)).await;

        let errors = [
            client.create_payments_export_request().send().await.expect_err("error status"),
            client.get_payments_export_request(REQUEST).send().await.expect_err("error status"),
            client.delete_payments_export_request(REQUEST).send().await.expect_err("error status"),
        ];
        for error in &errors {
            assert_eq!(error.status(), Some(status), "{error:?}");
        }
        assert_eq!(
            lines(&requests(&server).await),
            [
                format!("POST {PAYMENTS}"),
                format!("GET {}", export_path(REQUEST)),
                format!("DELETE {}", export_path(REQUEST))
            ],
            "status {status}"
        );
    }
}

#[tokio::test]
async fn get_and_delete_are_retried_too() {
    let server = MockServer::start().await;
    answer(&server, "GET", &export_path(REQUEST), sequence([failure(500), ok(200, REQUEST, "Processing", "")])).await;
    answer(&server, "DELETE", &export_path(REQUEST), sequence([failure(503), ResponseTemplate::new(200)])).await;
    let client = client(&server);

    let got = client.get_payments_export_request(REQUEST).send().await.expect("200 after a retry");
    assert_eq!(got.value[0].status, ExportStatus::Processing);
    client.delete_payments_export_request(REQUEST).send().await.expect("200 after a retry");

    let one = export_path(REQUEST);
    assert_eq!(
        lines(&requests(&server).await),
        [format!("GET {one}"), format!("GET {one}"), format!("DELETE {one}"), format!("DELETE {one}")]
    );
}

#[test]
fn the_default_retry_policy_has_four_attempts() {
    assert_eq!(
        RetryPolicy::default(),
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    );
    assert_eq!(RetryPolicy::none().max_attempts, 1);
}

#[tokio::test]
async fn a_client_without_a_retry_policy_makes_four_attempts() {
    let server = MockServer::start().await;
    // `Retry-After: 0` keeps the default policy's half-second backoff out of the test.
    let (json, body) = error_body("600429", "Rate limit exceeded.");
    answer(&server, "POST", PAYMENTS, ResponseTemplate::new(429).set_body_json(json).insert_header("Retry-After", "0"))
        .await;
    let client = Client::builder().base_url(server.uri()).bearer_token(TOKEN).build().expect("builds");

    let error = client.create_payments_export_request().send().await.expect_err("always 429");
    let Error::TooManyRequests(details) = error else { panic!("not TooManyRequests: {error:?}") };
    assert_eq!(details.body, body);
    assert_eq!(details.retry_after, Some(0));
    assert_eq!(requests(&server).await.len(), 4);
}

// ---------------------------------------------------------------------------
// 5. Waiting for an export
// ---------------------------------------------------------------------------

#[tokio::test]
async fn send_and_wait_polls_the_created_request_until_completed() {
    let id = Uuid::new_v4();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PAYMENTS))
        .and(query_param("$filter", "paymentDate ge 2023-03-01"))
        .respond_with(ok(202, id, "Queued", ""))
        .expect(1)
        .mount(&server)
        .await;
    // Mounted first, so it answers the first poll; then the Completed one.
    Mock::given(method("GET"))
        .and(path(export_path(id)))
        .respond_with(ok(200, id, "Processing", ""))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(export_path(id)))
        .respond_with(ok(200, id, "Completed", BLOB))
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let done = client(&server)
        .create_payments_export_request()
        .filter(filter::payment_date().ge(date(2023, 3, 1)))
        .send_and_wait(polling())
        .await
        .expect("completes");
    let elapsed = started.elapsed();

    assert_eq!(done.request_id, id);
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.blob_location.as_deref(), Some(BLOB));
    assert_eq!(done.request_path.as_deref(), Some("/v1.0/payouts/payments"));
    assert_eq!(done.request_date_time.map(|t| t.timestamp_subsec_nanos()), Some(372_756_100));
    let one = export_path(id);
    assert_eq!(
        lines(&requests(&server).await),
        [format!("POST {PAYMENTS}"), format!("GET {one}"), format!("GET {one}")]
    );
    assert!(elapsed >= Duration::from_millis(20), "two polls 10 ms apart took only {elapsed:?}");
    server.verify().await;
}

#[tokio::test]
async fn a_request_created_completed_is_returned_without_polling() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Completed", BLOB)).await;

    let done = client(&server).create_payments_export_request().send_and_wait(polling()).await.expect("completed");
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.blob_location.as_deref(), Some(BLOB));
    assert_eq!(lines(&requests(&server).await), [format!("POST {PAYMENTS}")]);
}

#[tokio::test]
async fn a_failed_export_is_a_wait_error_with_id_state_and_resource() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(
        &server,
        "GET",
        &export_path(REQUEST),
        sequence([ok(200, REQUEST, "Processing", ""), ok(200, REQUEST, "Failed", "")]),
    )
    .await;

    let error = client(&server).create_payments_export_request().send_and_wait(polling()).await.expect_err("fails");
    assert_eq!(error.status(), None);
    let shown = error.to_string();
    assert!(shown.contains("93c2b3cf-c6d8-4e7e-ade1-007768a6eba4"), "{shown}");
    assert!(shown.contains("Failed"), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
    match wait_error(error) {
        WaitError::Failed { operation, id, state, resource } => {
            assert_eq!(operation, "createPaymentsExportRequest");
            assert_eq!(id, "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4");
            assert_eq!(state, "Failed");
            assert_eq!(resource["requestId"], "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4");
            assert_eq!(resource["status"], "Failed");
            assert_eq!(resource["requestPath"], "/v1.0/payouts/payments");
        }
        other => panic!("not Failed: {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 3, "no poll after the failure state");
}

#[tokio::test]
async fn polling_gives_up_at_the_deadline_with_the_last_state() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Processing", "")).await;

    let started = Instant::now();
    let error = client(&server).create_payments_export_request().send_and_wait(polling()).await.expect_err("times out");
    let elapsed = started.elapsed();

    let shown = error.to_string();
    assert!(shown.contains("93c2b3cf-c6d8-4e7e-ade1-007768a6eba4") && shown.contains("Processing"), "{shown}");
    match wait_error(error) {
        WaitError::TimedOut { operation, id, state, waited } => {
            assert_eq!(operation, "createPaymentsExportRequest");
            assert_eq!(id, "93c2b3cf-c6d8-4e7e-ade1-007768a6eba4");
            assert_eq!(state, "Processing");
            // The last poll is at the 300 ms deadline.
            assert!(waited >= Duration::from_millis(300), "{waited:?}");
            assert!(waited < Duration::from_secs(2), "{waited:?}");
        }
        other => panic!("not TimedOut: {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(3), "{elapsed:?}");
    let received = requests(&server).await;
    let polls = received.iter().filter(|r| r.method.as_str() == "GET").count();
    assert!(polls >= 2, "{polls} polls");
    assert!(polls <= 30, "at most one poll per 10 ms interval in 300 ms, got {polls}");
    assert_eq!(received.len(), polls + 1);
}

/// One rule for status values, in decoding and in waiting alike: a listed
/// value is recognised in any ASCII case and written back as the spec spells
/// it; an unlisted one is kept as received.
#[tokio::test]
async fn status_values_are_recognised_in_any_case_when_decoding_and_waiting() {
    assert_eq!(ExportStatus::from("completed"), ExportStatus::Completed);
    assert_eq!(serde_json::from_str::<ExportStatus>("\"PROCESSING\"").ok(), Some(ExportStatus::Processing));
    assert_eq!(serde_json::to_string(&ExportStatus::from("queued")).ok().as_deref(), Some("\"Queued\""));
    assert_eq!(ExportStatus::from("Archived"), ExportStatus::Unknown("Archived".to_owned()));
    assert_eq!("failed".parse::<ExportStatus>().map(|status| status.to_string()).ok().as_deref(), Some("Failed"));

    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "QUEUED", "")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "completed", BLOB)).await;
    let client = client(&server);

    let done = client.create_payments_export_request().send_and_wait(polling()).await.expect("`completed` is final");
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.blob_location.as_deref(), Some(BLOB));
    assert_eq!(requests(&server).await.len(), 2);

    server.reset().await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "FAILED", "")).await;
    let error = client.wait_for_payments_export_request(REQUEST, polling()).await.expect_err("`FAILED` is final");
    match wait_error(error) {
        WaitError::Failed { state, .. } => assert_eq!(state, "Failed"),
        other => panic!("not Failed: {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_unknown_state_means_still_running() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Archived", "")).await;
    answer(
        &server,
        "GET",
        &export_path(REQUEST),
        sequence([ok(200, REQUEST, "Validating", ""), ok(200, REQUEST, "Completed", BLOB)]),
    )
    .await;

    let done = client(&server).create_payments_export_request().send_and_wait(polling()).await.expect("completes");
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn an_empty_value_array_is_a_missing_resource() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ResponseTemplate::new(202).set_body_json(json!({"value": [], "totalCount": 0})))
        .await;
    answer(&server, "GET", &export_path(REQUEST), ResponseTemplate::new(200).set_body_json(json!({"value": []}))).await;
    let client = client(&server);

    let error = client.create_payments_export_request().send_and_wait(polling()).await.expect_err("nothing to track");
    assert_eq!(error.status(), None);
    assert!(error.to_string().contains("/value/0"), "{error}");
    assert_eq!(
        wait_error(error),
        WaitError::MissingResource { operation: "createPaymentsExportRequest", pointer: "/value/0" }
    );
    assert_eq!(lines(&requests(&server).await), [format!("POST {PAYMENTS}")], "no poll without an id");

    let error = client.wait_for_payments_export_request(REQUEST, polling()).await.expect_err("nothing to track");
    assert!(matches!(wait_error(error), WaitError::MissingResource { pointer: "/value/0", .. }));
}

#[tokio::test]
async fn wait_for_resumes_from_an_id() {
    let id = Uuid::new_v4();
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        &export_path(id),
        sequence([ok(200, id, "Queued", ""), ok(200, id, "Processing", ""), ok(200, id, "Completed", BLOB)]),
    )
    .await;

    let done = client(&server).wait_for_payments_export_request(id, polling()).await.expect("completes");

    assert_eq!(done.request_id, id);
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.blob_location.as_deref(), Some(BLOB));
    let one = export_path(id);
    assert_eq!(lines(&requests(&server).await), [format!("GET {one}"), format!("GET {one}"), format!("GET {one}")]);
}

#[tokio::test]
async fn a_500_while_polling_is_retried_and_waiting_continues() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(
        &server,
        "GET",
        &export_path(REQUEST),
        sequence([
            ok(200, REQUEST, "Processing", ""),
            failure(500),
            failure(503),
            ok(200, REQUEST, "Processing", ""),
            ok(200, REQUEST, "Completed", BLOB),
        ]),
    )
    .await;

    let done = client(&server).create_payments_export_request().send_and_wait(polling()).await.expect("completes");

    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.blob_location.as_deref(), Some(BLOB));
    let received = requests(&server).await;
    assert_eq!(received.len(), 6, "{:?}", lines(&received));
    // The 500 and 503 were retries of one poll: same MS-RequestId on its three attempts.
    let ids: Vec<Uuid> = received.iter().map(|r| v4_header(r, "MS-RequestId")).collect();
    assert_eq!(ids[2], ids[3]);
    assert_eq!(ids[3], ids[4]);
    assert_ne!(ids[1], ids[2]);
    assert_ne!(ids[4], ids[5]);
}

#[tokio::test]
async fn a_poll_that_keeps_failing_ends_waiting_with_that_error() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), failure(500)).await;

    let error = client(&server).create_payments_export_request().send_and_wait(polling()).await.expect_err("500s");
    let Error::InternalServerError(details) = error else { panic!("not InternalServerError: {error:?}") };
    assert_eq!(details.body.documented().map(|body| body.code.as_str()), Some("500000"));
    assert_eq!(requests(&server).await.len(), 1 + 3);
}

/// `(state, polls, succeeded)` of a snapshot.
fn progress(snapshot: &Snapshot<PaymentsExportRequest>) -> (String, u32, bool) {
    (snapshot.state.clone(), snapshot.polls, snapshot.succeeded)
}

/// Every item of a poller, read as a `Stream`, until it ends.
async fn stream_items(poller: Poller<PaymentsExportRequest>) -> Vec<Result<Snapshot<PaymentsExportRequest>, Error>> {
    let items: Vec<_> = poller.collect().await;
    assert!(!items.is_empty());
    items
}

#[tokio::test]
async fn the_poller_streams_each_state_in_order_then_ends_with_the_result() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    let states = sequence([ok(200, REQUEST, "Processing", ""), ok(200, REQUEST, "Completed", BLOB)]);
    answer(&server, "GET", &export_path(REQUEST), states).await;

    let poller = client(&server).create_payments_export_request().send_and_poll(polling()).await.expect("202");
    assert_eq!(requests(&server).await.len(), 1, "nothing is polled until the poller is read");
    let items = stream_items(poller).await;

    let snapshots: Vec<&Snapshot<PaymentsExportRequest>> =
        items.iter().map(|item| item.as_ref().expect("a snapshot")).collect();
    let seen: Vec<(String, u32, bool)> = snapshots.iter().map(|snapshot| progress(snapshot)).collect();
    assert_eq!(
        seen,
        [("Queued".to_owned(), 0, false), ("Processing".to_owned(), 1, false), ("Completed".to_owned(), 2, true)]
    );
    assert!(snapshots.windows(2).all(|pair| pair[0].elapsed <= pair[1].elapsed));
    assert_eq!(snapshots[0].resource.status, ExportStatus::Queued);
    assert_eq!(snapshots[2].resource.blob_location.as_deref(), Some(BLOB));
    let one = export_path(REQUEST);
    assert_eq!(
        lines(&requests(&server).await),
        [format!("POST {PAYMENTS}"), format!("GET {one}"), format!("GET {one}")]
    );
}

#[tokio::test]
async fn awaiting_the_poller_gives_the_final_resource() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    let states = sequence([ok(200, REQUEST, "Processing", ""), ok(200, REQUEST, "Completed", BLOB)]);
    answer(&server, "GET", &export_path(REQUEST), states).await;

    let poller = client(&server).create_payments_export_request().send_and_poll(polling()).await.expect("202");
    let done = poller.await.expect("completes");
    assert_eq!(done.request_id, REQUEST);
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.blob_location.as_deref(), Some(BLOB));
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn dropping_the_poller_sends_no_further_request() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Processing", "")).await;
    let client = client(&server);

    // Dropped after the created state: no poll at all.
    let mut poller = client.create_payments_export_request().send_and_poll(polling()).await.expect("202");
    assert_eq!(poller.next().await.expect("an item").expect("a snapshot").polls, 0);
    drop(poller);
    // Ten polling intervals: time for polls, were any still scheduled.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(lines(&requests(&server).await), [format!("POST {PAYMENTS}")]);

    // Dropped after the first poll: no second one.
    server.reset().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Processing", "")).await;
    let mut poller = client.create_payments_export_request().send_and_poll(polling()).await.expect("202");
    let first = StreamExt::next(&mut poller).await.expect("an item").expect("a snapshot");
    let second = StreamExt::next(&mut poller).await.expect("an item").expect("a snapshot");
    assert_eq!(
        (progress(&first), progress(&second)),
        (("Queued".to_owned(), 0, false), ("Processing".to_owned(), 1, false))
    );
    drop(poller);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let one = export_path(REQUEST);
    assert_eq!(lines(&requests(&server).await), [format!("POST {PAYMENTS}"), format!("GET {one}")]);
}

#[tokio::test]
async fn a_failure_state_ends_the_stream_and_the_awaited_poller_with_failed() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    let states = || sequence([ok(200, REQUEST, "Processing", ""), ok(200, REQUEST, "Failed", "")]);
    answer(&server, "GET", &export_path(REQUEST), states()).await;
    let client = client(&server);

    let poller = client.create_payments_export_request().send_and_poll(polling()).await.expect("202");
    let mut items = stream_items(poller).await;
    assert_eq!(items.len(), 3, "created, processing, the failure");
    let Some(Err(error)) = items.pop() else { panic!("the last item is not an error") };
    assert!(matches!(wait_error(error), WaitError::Failed { ref state, .. } if state == "Failed"));
    assert!(items.iter().all(Result::is_ok));

    server.reset().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), states()).await;
    let poller = client.create_payments_export_request().send_and_poll(polling()).await.expect("202");
    match wait_error(poller.await.expect_err("fails")) {
        WaitError::Failed { operation, id, state, .. } => {
            assert_eq!((operation, id, state.as_str()), ("createPaymentsExportRequest", REQUEST.to_string(), "Failed"));
        }
        other => panic!("not Failed: {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 3, "no poll after the failure state");
}

#[tokio::test]
async fn the_timeout_ends_the_stream_and_the_awaited_poller_with_timed_out() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Processing", "")).await;
    let client = client(&server);
    let short = Polling::new(Duration::from_millis(10), Duration::from_millis(50));

    let poller = client.create_payments_export_request().send_and_poll(short).await.expect("202");
    let mut items = stream_items(poller).await;
    let Some(Err(error)) = items.pop() else { panic!("the last item is not an error") };
    let last = items.last().expect("snapshots before the timeout").as_ref().expect("a snapshot");
    assert_eq!(last.state, "Processing");
    match wait_error(error) {
        WaitError::TimedOut { state, waited, .. } => {
            assert_eq!(state, "Processing");
            assert_eq!(waited, last.elapsed, "timed out at the last poll");
            assert!(waited >= Duration::from_millis(50), "{waited:?}");
        }
        other => panic!("not TimedOut: {other:?}"),
    }
    let polls: Vec<u32> = items.iter().map(|item| item.as_ref().expect("a snapshot").polls).collect();
    assert_eq!(polls, (0..polls.len() as u32).collect::<Vec<_>>(), "one more poll per snapshot");

    let poller = client.create_payments_export_request().send_and_poll(short).await.expect("202");
    let error = poller.await.expect_err("times out");
    assert!(matches!(wait_error(error), WaitError::TimedOut { .. }));
}

#[tokio::test]
async fn the_created_responses_retry_after_is_the_first_pause() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "").insert_header("Retry-After", "0")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Completed", BLOB)).await;
    // A 30 s interval that the create response's `Retry-After: 0` overrides.
    let polling = Polling::new(Duration::from_secs(30), Duration::from_secs(60));
    let export = tokio::time::timeout(Duration::from_secs(10), async {
        client(&server).create_payments_export_request().send_and_wait(polling).await
    })
    .await
    .expect("Retry-After: 0 is followed")
    .expect("completes");
    assert_eq!(export.status, ExportStatus::Completed);
    assert_eq!(requests(&server).await.len(), 2);
}

#[test]
fn polling_settings() {
    assert_eq!(polling(), Polling { interval: Some(Duration::from_millis(10)), timeout: Duration::from_millis(300) });
    assert_eq!(Polling::default(), Polling { interval: None, timeout: Duration::from_secs(24 * 60 * 60) });
}

// ---------------------------------------------------------------------------
// 6. Responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_request_date_time_with_seven_fractional_digits_parses() {
    let server = MockServer::start().await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Queued", "")).await;

    let got = client(&server).get_payments_export_request(REQUEST).send().await.expect("200 decodes");
    let export: &PaymentsExportRequest = &got.value[0];
    let requested = export.request_date_time.expect("requestDateTime");
    assert_eq!(requested.timestamp(), 1_685_049_646);
    assert_eq!(requested.timestamp_subsec_nanos(), 372_756_100);
    assert_eq!(requested, utc(2023, 5, 25, 21, 20, 46, 372_756_100));
    assert_eq!(export.status, ExportStatus::Queued);
}

#[tokio::test]
async fn an_unknown_export_status_is_kept() {
    let server = MockServer::start().await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Archived", "")).await;

    let got = client(&server).get_payments_export_request(REQUEST).send().await.expect("200 decodes");
    let status = &got.value[0].status;
    assert_eq!(*status, ExportStatus::Unknown("Archived".to_owned()));
    assert_eq!(status.as_str(), "Archived");
    assert_eq!(status.to_string(), "Archived");
    assert_eq!(ExportStatus::from("Completed"), ExportStatus::Completed);
    assert_eq!(serde_json::to_value(status).expect("serialises"), json!("Archived"));
}

#[tokio::test]
async fn send_with_response_gives_the_status_and_headers_of_a_success() {
    let server = MockServer::start().await;
    let correlation = Uuid::new_v4();
    Mock::given(method("POST"))
        .and(path("/payouts/payments"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(serde_json::json!({"value": [], "totalCount": 0}))
                .insert_header("MS-CorrelationId", correlation.to_string().as_str())
                .insert_header("MS-RequestId", "not-a-uuid"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).bearer_token("t").build().expect("client");

    let response = client.create_payments_export_request().send_with_response().await.expect("202");

    assert_eq!(response.status, 202);
    assert_eq!(response.header("ms-correlationid"), Some(correlation.to_string().as_str()));
    assert_eq!(response.body.total_count, Some(0));
    assert!(response.body.value.is_empty());
    // The headers the spec documents on the success are typed fields; one
    // that does not parse as its type is `None`, not an error.
    assert_eq!(response.typed_headers.ms_correlation_id, Some(correlation));
    assert_eq!(response.typed_headers.ms_request_id, None);
}

#[tokio::test]
async fn a_wait_shorter_than_the_interval_still_polls_once_at_the_deadline() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Completed", BLOB)).await;
    let polling = Polling::new(Duration::from_secs(30), Duration::from_millis(50));
    let started = Instant::now();
    let export = client(&server).create_payments_export_request().send_and_wait(polling).await.expect("one poll");
    assert_eq!(export.status, ExportStatus::Completed);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    let polls = requests(&server).await.iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(polls, 1);
}

#[tokio::test]
async fn polling_follows_the_status_responses_retry_after() {
    let server = MockServer::start().await;
    answer(&server, "POST", PAYMENTS, ok(202, REQUEST, "Queued", "")).await;
    let status = sequence([
        ok(200, REQUEST, "Processing", "").insert_header("Retry-After", "0"),
        ok(200, REQUEST, "Processing", "").insert_header("Retry-After", "0"),
        ok(200, REQUEST, "Completed", BLOB),
    ]);
    answer(&server, "GET", &export_path(REQUEST), status).await;
    // A 30 s interval that the server's `Retry-After: 0` overrides: it ends
    // long before one interval could pass.
    let polling = Polling::new(Duration::from_secs(30), Duration::from_secs(60));
    let started = tokio::time::Instant::now();
    let export = tokio::time::timeout(Duration::from_secs(40), async {
        client(&server).wait_for_payments_export_request(REQUEST, polling).await
    })
    .await
    .expect("Retry-After: 0 is followed")
    .expect("completes");
    assert_eq!(export.status, ExportStatus::Completed);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    let polls = requests(&server).await.iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(polls, 3, "the wait's first fetch, then one poll per Retry-After: 0");
}

// ---------------------------------------------------------------------------
// Paging (`x-ms-pageable` on the status operation's envelope)

/// An envelope page holding requests with these ids, linking to `next`.
fn page(ids: &[Uuid], next: Option<&str>) -> ResponseTemplate {
    let mut body = collection(REQUEST, "Completed", BLOB);
    let items: Vec<Value> = ids
        .iter()
        .map(|id| {
            let mut item = body["value"][0].clone();
            item["requestId"] = json!(id.to_string());
            item
        })
        .collect();
    body["value"] = json!(items);
    body["nextLink"] = json!(next);
    ResponseTemplate::new(200).set_body_json(body)
}

/// Serves page `n` (1-based; the first has no `page` query) of the status
/// operation's envelope.
async fn serve_page(server: &MockServer, n: Option<&str>, template: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path(export_path(REQUEST)));
    match n {
        Some(n) => mock.and(query_param("page", n)).respond_with(template).mount(server).await,
        None => mock.and(wiremock::matchers::query_param_is_missing("page")).respond_with(template).mount(server).await,
    }
}

#[tokio::test]
async fn a_paged_operation_streams_the_items_of_every_page_following_absolute_and_relative_links() {
    let server = MockServer::start().await;
    let ids: Vec<Uuid> = (0..5).map(|_| Uuid::new_v4()).collect();
    let absolute = format!("{}{}?page=2", server.uri(), export_path(REQUEST));
    serve_page(&server, None, page(&ids[..2], Some(&absolute))).await;
    // Relative to the first request's URL, as a service may write it.
    serve_page(&server, Some("2"), page(&ids[2..3], Some("?page=3"))).await;
    serve_page(&server, Some("3"), page(&ids[3..], None)).await;

    let items: Vec<Uuid> = client(&server)
        .get_payments_export_request(REQUEST)
        .send_paged()
        .map(|item| item.expect("every page decodes").request_id)
        .collect()
        .await;

    assert_eq!(items, ids);
    let received = requests(&server).await;
    let queries: Vec<Option<&str>> = received.iter().map(|request| request.url.query()).collect();
    assert_eq!(queries, [None, Some("page=2"), Some("page=3")]);
    // Every page is a request of the operation: same credentials and ids.
    for request in &received {
        assert_eq!(header_text(request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
        v4_header(request, "MS-CorrelationId");
    }
}

#[tokio::test]
async fn pages_come_whole_with_their_next_link_and_a_kept_link_resumes_the_stream() {
    let server = MockServer::start().await;
    let ids: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
    serve_page(&server, None, page(&ids[..1], Some("?page=2"))).await;
    serve_page(&server, Some("2"), page(&ids[1..], None)).await;
    let client = client(&server);

    let pages: Vec<Page<_>> = client
        .get_payments_export_request(REQUEST)
        .send_paged()
        .into_pages()
        .map(|page| page.expect("decodes"))
        .collect()
        .await;
    let shape: Vec<(usize, Option<&str>)> = pages.iter().map(|p| (p.items.len(), p.next_link.as_deref())).collect();
    assert_eq!(shape, [(1, Some("?page=2")), (2, None)]);

    server.reset().await;
    serve_page(&server, Some("2"), page(&ids[1..], None)).await;
    let resumed: Vec<Uuid> = client
        .get_payments_export_request(REQUEST)
        .send_paged()
        .starting_at("?page=2")
        .map(|item| item.expect("decodes").request_id)
        .collect()
        .await;
    assert_eq!(resumed, ids[1..]);
    assert_eq!(requests(&server).await.len(), 1, "the first page is not requested again");
}

#[tokio::test]
async fn a_null_next_link_ends_the_stream_after_one_page() {
    let server = MockServer::start().await;
    answer(&server, "GET", &export_path(REQUEST), ok(200, REQUEST, "Completed", BLOB)).await;
    let items: Vec<_> = client(&server).get_payments_export_request(REQUEST).send_paged().collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_next_link_seen_before_ends_the_stream_with_an_error_not_a_loop() {
    let server = MockServer::start().await;
    serve_page(&server, None, page(&[Uuid::new_v4()], Some("?page=2"))).await;
    serve_page(&server, Some("2"), page(&[Uuid::new_v4()], Some("?page=2&token=secret"))).await;
    // `page=2&token=secret` differs from `page=2`, so it is followed once; it
    // links to itself, so the next step would loop.
    let client = client(&server);
    let mut stream = client.get_payments_export_request(REQUEST).send_paged().into_pages();
    let mut outcomes = Vec::new();
    while let Some(page) = stream.next().await {
        outcomes.push(page.map(|page| page.items.len()).map_err(|error| error.to_string()));
        assert!(outcomes.len() < 10, "the pager loops: {outcomes:?}");
    }
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    assert!(outcomes[..3].iter().all(Result::is_ok), "{outcomes:?}");
    let error = outcomes[3].as_ref().expect_err("the loop is an error");
    assert!(error.contains("already followed"), "{error}");
    assert!(!error.contains("secret"), "the link's query is not shown: {error}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn a_next_link_outside_the_base_url_is_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = "https://elsewhere.example/v1.0/payouts/payments?page=2&sig=secret";
    // Same host, but not under a base URL with a path.
    let based = Client::builder()
        .base_url(format!("{}/api", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(fast())
        .build()
        .expect("client");
    let outside_path = format!("{}/other?page=2", server.uri());
    let cases = [
        (client(&server), export_path(REQUEST), elsewhere.to_owned()),
        (based, format!("/api{}", export_path(REQUEST)), outside_path),
    ];

    for (client, first_page, link) in cases {
        server.reset().await;
        let template = page(&[Uuid::new_v4()], Some(&link));
        Mock::given(method("GET")).and(path(first_page)).respond_with(template).mount(&server).await;
        let items: Vec<Result<_, Error>> = client.get_payments_export_request(REQUEST).send_paged().collect().await;
        assert_eq!(items.len(), 2, "one item, then the refusal");
        match &items[1] {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("outside the base URL"), "{message}");
                assert!(!message.contains("secret"), "{message}");
            }
            other => panic!("not refused: {other:?}"),
        }
        assert_eq!(requests(&server).await.len(), 1, "nothing requested for {link}");
    }
}
