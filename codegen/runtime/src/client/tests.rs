//! Tests of the runtime as ordinary Rust (not copied into generated crates).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::decode::decode_json;
use super::encoding::push_encoded;
use super::form::form_body;
use super::json::json_body;
use super::multipart::{PartEncoding, multipart_body};
use super::param_text::text_of;
use super::retry::{backoff, is_retryable_status, retry_after};
use super::secret::Secret;
use super::send::{Authenticate, Credential, Operation, Reply, Request, Timeouts, Transport};
use super::status::unexpected;
use super::style::Style;
use super::summary::write_summary;
use super::text::{RedactedUrl, SNIPPET_BYTES, one_line, redacted_url, snippet};
use super::token::Token;
use super::{BodyStream, ErrorBody, FileContent, Polling, RetryPolicy};
use crate::error::Error;
use crate::trace_capture::Capture;

fn encoded(text: &str) -> String {
    let mut out = String::new();
    push_encoded(&mut out, text);
    out
}

#[test]
fn encoding_escapes_everything_but_unreserved_characters() {
    assert_eq!(encoded("a-b.c_d~e09AZ"), "a-b.c_d~e09AZ");
    assert_eq!(encoded("a/b?c=d&e#f g%"), "a%2Fb%3Fc%3Dd%26e%23f%20g%25");
    assert_eq!(encoded("é"), "%C3%A9");
}

#[test]
fn backoff_doubles_up_to_the_maximum_with_jitter_in_the_upper_half() {
    let policy = RetryPolicy {
        max_attempts: 10,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(350),
        max_retry_after: Duration::from_secs(1),
    };
    for (attempt, full) in [(1, 100), (2, 200), (3, 350), (30, 350), (u32::MAX, 350)] {
        let wait = backoff(&policy, attempt);
        let full = Duration::from_millis(full);
        assert!(wait >= full / 2 && wait <= full, "attempt {attempt}: {wait:?}");
    }
    let zero = RetryPolicy { initial_backoff: Duration::ZERO, ..policy };
    assert_eq!(backoff(&zero, 1), Duration::ZERO);
}

#[test]
fn only_rate_limits_and_server_errors_are_retried() {
    let retried: Vec<u16> =
        [200, 400, 404, 408, 429, 499, 500, 503, 599, 600].into_iter().filter(|s| is_retryable_status(*s)).collect();
    assert_eq!(retried, [429, 500, 503, 599]);
}

#[test]
fn retry_after_is_read_as_seconds_only() {
    let mut headers = reqwest::header::HeaderMap::new();
    assert_eq!(retry_after(&headers), None);
    headers.insert(reqwest::header::RETRY_AFTER, " 7 ".parse().unwrap());
    assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
    headers.insert(reqwest::header::RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
    assert_eq!(retry_after(&headers), None);
}

#[test]
fn server_text_is_one_line_cut_on_a_character_boundary() {
    assert_eq!(one_line(" a\r\n\tb  c "), "a b c");
    assert_eq!(snippet(b"\xff ok"), "\u{fffd} ok");
    let exact = "a".repeat(SNIPPET_BYTES);
    assert_eq!(snippet(exact.as_bytes()), exact);
    // Characters of 1 to 4 bytes, placed so that the cut falls in each one.
    for character in ["a", "é", "€", "😀"] {
        for offset in 0..4 {
            let body = format!("{}{}", "x".repeat(offset), character.repeat(SNIPPET_BYTES + 1));
            let short = snippet(body.as_bytes());
            assert!(short.ends_with('…'), "{character} {offset}");
            let kept = short.trim_end_matches('…');
            assert!(kept.len() <= SNIPPET_BYTES && kept.len() > SNIPPET_BYTES - 4, "{character} {offset}");
            assert!(!kept.contains('\u{fffd}') && body.starts_with(kept), "{character} {offset}");
        }
    }
}

#[test]
fn urls_are_shown_without_passwords_fragments_or_query_values_unless_allowed() {
    assert_eq!(redacted_url("https://user:hunter2@example.com/v1"), "https://user:redacted@example.com/v1");
    assert_eq!(redacted_url("https://user@example.com/v1"), "https://user@example.com/v1");
    assert_eq!(redacted_url("https://example.com/v1"), "https://example.com/v1");
    assert_eq!(redacted_url("not a url"), "not a url");
    let sas = "https://x.blob.core.windows.net/c/f.zip?sv=2022-11-02&se=2030-01-01&sp=r&sig=SECRET%2Bsig%3D#frag";
    assert_eq!(
        redacted_url(sas),
        "https://x.blob.core.windows.net/c/f.zip?sv=redacted&se=redacted&sp=redacted&sig=redacted#redacted"
    );
    let shown = RedactedUrl { url: sas, shown: &["sv", "se", "$filter"] }.to_string();
    assert_eq!(
        shown,
        "https://x.blob.core.windows.net/c/f.zip?sv=2022-11-02&se=2030-01-01&sp=redacted&sig=redacted#redacted"
    );
    // Names match after percent-decoding; a name without a value is kept.
    let query = "http://h/p?%24filter=a%20b&api_key=k&flag&sig=a=b";
    let shown = RedactedUrl { url: query, shown: &["$filter"] }.to_string();
    assert_eq!(shown, "http://h/p?%24filter=a%20b&api_key=redacted&flag&sig=redacted");
}

#[test]
fn error_bodies_decode_as_documented_or_keep_a_snippet() {
    let documented: ErrorBody<Vec<u32>> = ErrorBody::read(&reply(500, b"[1, 2]"));
    assert_eq!(documented.documented(), Some(&vec![1, 2]));
    assert_eq!(documented.summary(|body| [Some(body.len().to_string())]), [Some("2".to_owned())]);
    for (body, text) in [
        (&b"<html>\n<b>Bad gateway</b></html>"[..], "<html> <b>Bad gateway</b></html>"),
        (b"", ""),
        (b"{\"a\": 1}", "{\"a\": 1}"),
    ] {
        let other: ErrorBody<Vec<u32>> = ErrorBody::read(&reply(502, body));
        assert_eq!(other, ErrorBody::Other(text.to_owned()));
        assert_eq!(other.other(), Some(text));
        let summary = other.summary(|_| Vec::new());
        assert_eq!(summary, if text.is_empty() { Vec::new() } else { vec![Some(text.to_owned())] });
    }
    assert_eq!(ErrorBody::<u8>::Documented(2).map(u16::from), ErrorBody::Documented(2u16));
}

fn reply(status: u16, body: &[u8]) -> Reply {
    Reply { status, headers: reqwest::header::HeaderMap::new(), body: body.to_vec(), live: Default::default() }
}

#[test]
fn json_that_does_not_decode_names_the_status_and_body() {
    let decoded: Result<Vec<u32>, Error> = decode_json(&reply(200, b"[1, 2]"));
    assert_eq!(decoded.ok(), Some(vec![1, 2]));
    match decode_json::<Vec<u32>>(&reply(502, b"<html>bad\ngateway</html>")) {
        Err(Error::Decode(error)) => {
            assert_eq!(error.status, 502);
            assert_eq!(error.body_snippet, "<html>bad gateway</html>");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_bodies_are_encoded_and_unencodable_ones_are_invalid_requests() {
    assert_eq!(json_body("application/json", &[1, 2]).unwrap(), ("application/json".into(), b"[1,2]".to_vec()));
    let key_not_text = std::collections::BTreeMap::from([((1, 2), 3)]);
    assert!(matches!(json_body("application/json", &key_not_text), Err(Error::InvalidRequest(_))));
}

#[test]
fn requests_accept_json_and_are_retried_only_when_safe() {
    let request = Request::new(reqwest::Method::GET, "/a", false);
    assert_eq!((request.path.as_str(), request.accept, request.retry_safe), ("/a", "application/json", false));
    assert!(Request::new(reqwest::Method::GET, "/a", true).retry_safe);
}

#[test]
fn documented_headers_are_parsed_or_absent() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-count", " 12 ".parse().unwrap());
    headers.insert("x-word", "twelve".parse().unwrap());
    assert_eq!(super::header::header::<u32>(&headers, "x-count"), Some(12));
    assert_eq!(super::header::header::<u32>(&headers, "x-word"), None);
    assert_eq!(super::header::header::<u32>(&headers, "x-missing"), None);
}

#[test]
fn structured_parameters_are_sent_as_json_and_strings_as_they_are() {
    assert_eq!(text_of(&"plain text"), "plain text");
    assert_eq!(text_of(&serde_json::json!({"a": [1, true]})), r#"{"a":[1,true]}"#);
}

#[test]
fn form_bodies_encode_fields_lists_and_skip_nulls() {
    let body = form_body(&serde_json::json!({"a": 1.5, "name": "a b&c", "none": null, "tags": ["x", 2]}), &[]).unwrap();
    assert_eq!(String::from_utf8(body).unwrap(), "a=1.5&name=a%20b%26c&tags=x&tags=2");
    assert!(matches!(form_body(&[1, 2], &[]), Err(Error::InvalidRequest(_))));
}

#[test]
fn polling_defaults_to_the_spec_interval_and_a_day() {
    assert_eq!(Polling::default(), Polling { interval: None, timeout: Duration::from_secs(86_400) });
    let every = Polling::new(Duration::from_secs(1), Duration::from_secs(5));
    assert_eq!(every.interval, Some(Duration::from_secs(1)));
}

#[tokio::test]
async fn secrets_never_show_and_providers_are_asked_each_time() {
    let fixed = Token::Fixed(Secret("s3cret".to_owned()));
    assert_eq!(format!("{:?}", Secret("s3cret".to_owned())), "<redacted>");
    assert_eq!(fixed.current().await.unwrap(), "s3cret");
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let provider = Token::Provider(Arc::new(move || {
        let call = counter.fetch_add(1, Ordering::SeqCst);
        async move { if call == 0 { Ok(format!("token-{call}")) } else { Err(std::io::Error::other("expired")) } }
    }));
    assert_eq!(provider.current().await.unwrap(), "token-0");
    assert!(matches!(provider.current().await, Err(Error::Token(_))));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn base_urls_must_be_http_without_query_or_fragment() {
    let make = |url: &str| Transport::new(url.to_owned(), None, RetryPolicy::none(), Timeouts::default());
    assert_eq!(make("https://example.com/v1/").unwrap().base_url, "https://example.com/v1");
    for bad in ["example.com", "ftp://example.com", "https://example.com/?a=1", "https://example.com/#top"] {
        assert!(matches!(make(bad), Err(Error::InvalidRequest(_))), "{bad}");
    }
}

/// A client's credentials as a generated crate holds them: the `held`
/// schemes of five, counting how often a credential is asked for (a bearer
/// token is new on every ask, as from a provider).
struct Keys {
    asked: AtomicUsize,
    held: Vec<Scheme>,
}

impl Keys {
    /// Holds every scheme.
    fn all() -> Self {
        Self::holding(&[Scheme::Bearer, Scheme::QueryKey, Scheme::HeaderKey, Scheme::CookieKey, Scheme::Basic])
    }

    fn holding(held: &[Scheme]) -> Self {
        Self { asked: AtomicUsize::new(0), held: held.to_vec() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Scheme {
    Bearer,
    QueryKey,
    HeaderKey,
    CookieKey,
    Basic,
}

impl Authenticate for Keys {
    type Scheme = Scheme;

    fn holds(&self, scheme: Scheme) -> bool {
        self.held.contains(&scheme)
    }

    async fn credential(&self, scheme: Scheme) -> Result<Option<Credential<'_>>, Error> {
        if !self.holds(scheme) {
            return Ok(None);
        }
        let asked = self.asked.fetch_add(1, Ordering::SeqCst);
        Ok(Some(match scheme {
            Scheme::Bearer => Credential::Bearer(format!("token-{asked}")),
            Scheme::QueryKey => Credential::Query("api_key", "k&y"),
            Scheme::HeaderKey => Credential::Header("X-Key", "h-key"),
            Scheme::CookieKey => Credential::Cookie("sid", "c-key"),
            Scheme::Basic => Credential::Basic("ann", "pa55"),
        }))
    }

    fn setter(scheme: Scheme) -> &'static str {
        match scheme {
            Scheme::Bearer => "bearer_token",
            Scheme::QueryKey => "query_api_key",
            Scheme::HeaderKey => "header_api_key",
            Scheme::CookieKey => "cookie_api_key",
            Scheme::Basic => "basic_auth",
        }
    }
}

fn fast(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        max_retry_after: Duration::from_millis(5),
    }
}

fn request(retry_safe: bool) -> Request {
    let mut request = Request {
        method: reqwest::Method::POST,
        path: "/things/a%2Fb".to_owned(),
        headers: vec![("X-Fixed", "same".to_owned())],
        per_attempt_headers: vec![("X-Attempt", || format!("{:?}", std::time::Instant::now()))],
        body: Some(("text/plain".into(), b"hello".to_vec())),
        accept: "application/json",
        retry_safe,
        ..Request::default()
    };
    request.push_query("$filter", "x eq 'y'");
    request.query_as("ids", Style::form(false), &["1", "2,3"]).unwrap();
    request.push_cookie("session", "a b;c");
    request
}

/// Reads 200 as its body's text; every other status is undocumented.
fn read_ok(reply: &Reply) -> Result<String, Error> {
    match reply.status {
        200 => Ok(String::from_utf8_lossy(&reply.body).into_owned()),
        _ => Err(unexpected(reply)),
    }
}

#[tokio::test]
async fn retry_safe_requests_are_retried_with_fresh_credentials_and_values() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/things/a%2Fb"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "100"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_string("done").insert_header("x-id", "7"))
        .mount(&server)
        .await;
    let transport = Transport::new(format!("{}/v1/", server.uri()), None, fast(3), Timeouts::default()).unwrap();
    let keys = Keys::all();
    let response = transport.send::<_, _, ()>(&keys, &[&[Scheme::Bearer]], request(true), read_ok).await.unwrap();
    assert_eq!((response.status, response.body.as_str(), response.header("x-id")), (200, "done", Some("7")));

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    let first = &received[0];
    assert_eq!(first.url.query(), Some("$filter=x%20eq%20%27y%27&ids=1,2%2C3"));
    assert_eq!(first.headers["x-fixed"], "same");
    assert_eq!(first.headers["cookie"], "session=a%20b%3Bc");
    assert_eq!(first.headers["content-type"], "text/plain");
    assert_eq!(first.headers["accept"], "application/json");
    assert!(first.headers["user-agent"].to_str().unwrap().starts_with("client-runtime/"));
    assert_eq!(first.body, b"hello");
    let attempts: Vec<_> = received.iter().map(|r| r.headers["x-attempt"].clone()).collect();
    assert!(attempts[0] != attempts[1] && attempts[1] != attempts[2], "{attempts:?}");
    assert_eq!(keys.asked.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn unsafe_requests_are_sent_once_and_undocumented_statuses_are_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy\nnow"))
        .mount(&server)
        .await;
    let transport = Transport::new(server.uri(), None, fast(4), Timeouts::default()).unwrap();
    let keys = Keys::all();
    match transport.send::<_, _, ()>(&keys, &[&[Scheme::QueryKey]], request(false), read_ok).await {
        Err(Error::UnexpectedStatus(error)) => {
            assert_eq!((error.status, error.body_snippet.as_str()), (503, "busy now"))
        }
        other => panic!("{other:?}"),
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].url.query(), Some("$filter=x%20eq%20%27y%27&ids=1,2%2C3&api_key=k%26y"));
    assert!(!received[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn redirects_are_answers_not_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/links/a"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/target"))
        .mount(&server)
        .await;
    Mock::given(path("/target")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = Transport::new(server.uri(), None, fast(1), Timeouts::default()).unwrap();
    let request = Request { method: reqwest::Method::GET, path: "/links/a".to_owned(), ..Request::default() };
    // As an operation documenting a 301 with its `Location` reads it.
    let read = |reply: &Reply| match reply.status {
        301 => Ok(reply.headers.get("location").and_then(|value| value.to_str().ok()).map(str::to_owned)),
        _ => Err(unexpected(reply)),
    };
    let response = transport.send::<_, _, ()>(&Keys::all(), &[&[]], request, read).await.unwrap();
    assert_eq!((response.status, response.body.as_deref()), (301, Some("/target")));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn invalid_header_values_fail_before_sending() {
    let transport = Transport::new("http://127.0.0.1:9".to_owned(), None, fast(1), Timeouts::default()).unwrap();
    let keys = Keys::all();
    let bad = Request { headers: vec![("X-Bad", "line\nbreak".to_owned())], ..request(true) };
    assert!(matches!(transport.send::<_, _, ()>(&keys, &[], bad, read_ok).await, Err(Error::InvalidRequest(_))));
}

/// Like HTTP.sys: a POST, PUT or PATCH with neither `Content-Length` nor
/// `Transfer-Encoding` gets 411 Length Required.
struct NoLength;

impl wiremock::Match for NoLength {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let has_body_method = matches!(request.method.as_str(), "POST" | "PUT" | "PATCH");
        has_body_method
            && !request.headers.contains_key("content-length")
            && !request.headers.contains_key("transfer-encoding")
    }
}

#[tokio::test]
async fn bodyless_posts_puts_and_patches_send_a_zero_content_length() {
    let server = MockServer::start().await;
    Mock::given(NoLength).respond_with(ResponseTemplate::new(411)).mount(&server).await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = Transport::new(server.uri(), None, fast(1), Timeouts::default()).unwrap();
    let keys = Keys::all();
    for verb in [reqwest::Method::POST, reqwest::Method::PUT, reqwest::Method::PATCH, reqwest::Method::DELETE] {
        let bodyless = Request { method: verb.clone(), body: None, ..request(true) };
        let sent = transport.send::<_, _, ()>(&keys, &[], bodyless, read_ok).await;
        assert!(sent.is_ok(), "{verb}: {sent:?}");
    }
    let received = server.received_requests().await.unwrap();
    for request in &received[..3] {
        assert_eq!(request.headers["content-length"], "0", "{}", request.method);
        assert!(request.body.is_empty());
    }
    // A method whose semantics carry no body gets no length (RFC 9110, 8.6).
    assert!(!received[3].headers.contains_key("content-length"), "{:?}", received[3].headers);
}

#[tokio::test]
async fn a_next_page_is_a_get_on_its_link_without_the_first_pages_body() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = Transport::new(server.uri(), None, fast(1), Timeouts::default()).unwrap();
    let next = Request { next_link: Some("/things?page=2".to_owned()), ..request(false) };
    let sent = transport.send::<_, _, ()>(&Keys::all(), &[], next, read_ok).await;
    assert!(sent.is_ok(), "{sent:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!((received[0].method.as_str(), received[0].url.path()), ("GET", "/things"));
    assert_eq!(received[0].url.query(), Some("page=2"));
    assert!(received[0].body.is_empty() && !received[0].headers.contains_key("content-type"));
}

/// `nextLinkVerb: POST`: the next page repeats the first request, its method
/// and body, on the link.
#[tokio::test]
async fn a_next_page_of_a_post_link_verb_repeats_the_request_on_its_link() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = Transport::new(server.uri(), None, fast(1), Timeouts::default()).unwrap();
    let next = Request { next_link: Some("/things?page=2".to_owned()), next_link_repeats: true, ..request(false) };
    let sent = transport.send::<_, _, ()>(&Keys::all(), &[], next, read_ok).await;
    assert!(sent.is_ok(), "{sent:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!((received[0].method.as_str(), received[0].url.path()), ("POST", "/things"));
    assert_eq!(received[0].url.query(), Some("page=2"));
    assert_eq!(received[0].body, b"hello");
}

/// A payload shown through `write_summary`.
struct Shown(u16, Vec<Option<String>>, Vec<(&'static str, Option<String>)>);

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_summary(f, self.0, &self.1, &self.2)
    }
}

#[test]
fn error_summaries_are_one_line_with_reason_parts_and_present_headers() {
    let shown = Shown(
        429,
        vec![Some("600429".to_owned()), None, Some("Slow\n  down.".to_owned())],
        vec![("Retry-After", Some("7".to_owned())), ("MS-RequestId", None)],
    );
    assert_eq!(shown.to_string(), "HTTP 429 Too Many Requests: 600429: Slow down. (Retry-After: 7)");
    assert_eq!(Shown(599, Vec::new(), Vec::new()).to_string(), "HTTP 599");
}

/// An open string enum as a generated crate writes it, with the conversions
/// `string_enum!` adds.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(from = "String")]
enum Shade {
    Light,
    Dark,
    Shouted,
    Other(String),
}

impl Shade {
    const LISTED: [Self; 3] = [Self::Light, Self::Dark, Self::Shouted];

    fn as_str(&self) -> &str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Shouted => "DARK",
            Self::Other(value) => value,
        }
    }
}

super::string_enum::string_enum!(Shade, Other);

#[test]
fn a_string_enum_converts_displays_and_serializes_by_its_wire_value() {
    assert_eq!(Shade::from("light".to_owned()), Shade::Light);
    // Any ASCII case names a listed value, unless two listed values differ only in case.
    assert_eq!(Shade::from("LIGHT"), Shade::Light);
    assert_eq!(Shade::from("DARK"), Shade::Shouted);
    assert_eq!(Shade::from("Dark"), Shade::Other("Dark".to_owned()));
    assert_eq!("grey".parse::<Shade>(), Ok(Shade::Other("grey".to_owned())));
    assert_eq!(Shade::from("lIgHt").to_string(), "light");
    assert_eq!(serde_json::to_string(&Shade::Other("grey".to_owned())).ok().as_deref(), Some("\"grey\""));
    assert_eq!(serde_json::from_str::<Shade>("\"Light\"").ok(), Some(Shade::Light));
}

/// An open integer enum as a generated crate writes it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Deserialize)]
#[serde(from = "i64")]
enum Level {
    One,
    Other(i64),
}

impl Level {
    fn as_i64(self) -> i64 {
        match self {
            Self::One => 1,
            Self::Other(value) => value,
        }
    }
}

impl From<i64> for Level {
    fn from(value: i64) -> Self {
        match value {
            1 => Self::One,
            other => Self::Other(other),
        }
    }
}

super::integer_enum::integer_enum!(Level);

#[test]
fn an_integer_enum_displays_and_serializes_by_its_wire_value() {
    assert_eq!(Level::One.to_string(), "1");
    assert_eq!(serde_json::to_string(&Level::Other(7)).ok().as_deref(), Some("7"));
    assert_eq!(serde_json::from_str::<Level>("1").ok(), Some(Level::One));
}

#[tokio::test]
async fn calls_and_attempts_are_traced_without_credentials() {
    let capture = Capture::start();
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_string("done")).mount(&server).await;
    let transport = Transport::new(server.uri(), None, fast(3), Timeouts::default()).unwrap();
    let keys = Keys::all();
    let operation = Operation::new("makeThing", "/things/{id}", &["X-Fixed", "X-Attempt"]);
    let traced = || Request { operation, ..request(true) };
    transport.send::<_, _, ()>(&keys, &[&[Scheme::QueryKey]], traced(), read_ok).await.unwrap();
    transport.send::<_, _, ()>(&keys, &[&[Scheme::Bearer]], traced(), read_ok).await.unwrap();

    let trace = capture.trace();
    let calls = trace.spans_named("call");
    assert_eq!(calls.len(), 2);
    for call in &calls {
        let fields = [call.field("operation"), call.field("method"), call.field("path")];
        assert_eq!(fields, [Some("makeThing"), Some("POST"), Some("/things/{id}")]);
    }
    let attempts = trace.spans_named("attempt");
    assert_eq!(attempts.len(), 3, "{attempts:#?}");
    let call = trace.spans.iter().position(|span| span.name == "call");
    assert!(attempts[..2].iter().all(|attempt| attempt.parent == call));
    let (first, second) = (attempts[0], attempts[1]);
    assert_eq!([first.field("attempt"), first.field("status")], [Some("1"), Some("503")]);
    assert_eq!(first.field("retry_reason"), Some("server error"));
    assert!(first.field("retry_in_ms").is_some() && first.field("elapsed_ms").is_some(), "{first:?}");
    assert_eq!(
        [second.field("attempt"), second.field("status"), second.field("retry_in_ms")],
        [Some("2"), Some("200"), None]
    );
    // The spec's own query parameters are shown; the API key is not.
    let url = format!("{}/things/a%2Fb?$filter=x%20eq%20%27y%27&ids=1,2%2C3&api_key=redacted", server.uri());
    assert_eq!(first.field("url"), Some(url.as_str()));
    let ids = first.field("ids").unwrap_or_default();
    assert!(ids.starts_with("X-Fixed=same X-Attempt=") && ids != second.field("ids").unwrap_or_default(), "{ids}");
    let retrying = trace.events_saying("retrying");
    assert_eq!(retrying.len(), 1);
    assert_eq!(retrying[0].field("retry_reason"), Some("server error"));
    assert_eq!(trace.events_saying("response").len(), 3);

    let text = trace.all_text();
    for secret in ["k&y", "k%26y", "token-", "Bearer"] {
        assert!(!text.contains(secret), "{secret} in:\n{text}");
    }
}

#[tokio::test]
async fn transport_errors_do_not_show_a_query_credential() {
    let capture = Capture::start();
    // Nothing listens on port 9 (discard) on a test machine: the connection is refused.
    let transport = Transport::new("http://127.0.0.1:9".to_owned(), None, fast(1), Timeouts::default()).unwrap();
    let keys = Keys::all();
    let error = transport.send::<_, _, ()>(&keys, &[&[Scheme::QueryKey]], request(true), read_ok).await.unwrap_err();
    let Error::Transport(error) = error else { panic!("{error:?}") };
    let url = error.url().map(ToString::to_string).unwrap_or_default();
    assert!(url.ends_with("api_key=redacted"), "{url}");
    assert!(!format!("{error} {error:?}").contains("k%26y"));
    let text = capture.trace().all_text();
    assert!(text.contains("no response") && !text.contains("k%26y"), "{text}");
}

/// What one request carried of each credential: the query, `Authorization`,
/// `X-Key` and `Cookie` (as sent, `None` when absent).
fn carried(request: &wiremock::Request) -> [Option<String>; 4] {
    let header = |name: &str| request.headers.get(name).map(|value| value.to_str().unwrap_or("?").to_owned());
    let cookies: Vec<_> = request.headers.get_all("cookie").iter().map(|v| v.to_str().unwrap_or("?")).collect();
    [request.url.query().map(str::to_owned), header("authorization"), header("x-key"), Some(cookies.join(" | "))]
}

/// A transport to a server answering 200 to everything, and what each
/// security (OR of ANDs) made one request carry, or the error it gave.
async fn sent_with(keys: &Keys, security: &[&[Scheme]]) -> Result<[Option<String>; 4], Error> {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = Transport::new(server.uri(), None, fast(1), Timeouts::default()).unwrap();
    let bare = Request { cookies: vec![("theme".to_owned(), "dark".to_owned())], ..Request::default() };
    let bare = Request { method: reqwest::Method::GET, path: "/p".to_owned(), ..bare };
    transport.send::<_, _, ()>(keys, security, bare, read_ok).await?;
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    Ok(carried(&received[0]))
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[tokio::test]
async fn all_schemes_of_a_requirement_are_sent_together() {
    use Scheme::*;
    let keys = Keys::all();
    // Basic, a header key, a query key and a cookie key at once; the cookie
    // key joins the cookie parameter in the one `Cookie` header.
    let sent = sent_with(&keys, &[&[Basic, HeaderKey, QueryKey, CookieKey]]).await.unwrap();
    let basic = "Basic YW5uOnBhNTU="; // ann:pa55
    assert_eq!(sent, [some("api_key=k%26y"), some(basic), some("h-key"), some("theme=dark; sid=c-key")]);
    let sent = sent_with(&keys, &[&[Bearer, HeaderKey]]).await.unwrap();
    assert_eq!(sent, [None, some("Bearer token-4"), some("h-key"), some("theme=dark")]);
}

#[tokio::test]
async fn the_first_requirement_held_in_full_is_sent_in_the_spec_order() {
    use Scheme::*;
    let security: &[&[Scheme]] = &[&[Bearer, HeaderKey], &[QueryKey], &[HeaderKey]];
    // Only the header key: the first two need what the client lacks.
    let keys = Keys::holding(&[HeaderKey]);
    let sent = sent_with(&keys, security).await.unwrap();
    assert_eq!(sent, [None, None, some("h-key"), some("theme=dark")]);
    assert_eq!(keys.asked.load(Ordering::SeqCst), 1, "only what is sent is asked for");
    // A bearer token without the header key: the first is not half sent.
    let keys = Keys::holding(&[Bearer, QueryKey]);
    assert_eq!(sent_with(&keys, security).await.unwrap(), [some("api_key=k%26y"), None, None, some("theme=dark")]);
    assert_eq!(keys.asked.load(Ordering::SeqCst), 1, "no token is asked for a requirement not sent");
    // Everything held: the first requirement only.
    let sent = sent_with(&Keys::all(), security).await.unwrap();
    assert_eq!(sent, [None, some("Bearer token-0"), some("h-key"), some("theme=dark")]);
}

#[tokio::test]
async fn anonymous_access_is_the_last_resort_wherever_the_spec_lists_it() {
    use Scheme::*;
    let security: &[&[Scheme]] = &[&[], &[Bearer]];
    let sent = sent_with(&Keys::holding(&[Bearer]), security).await.unwrap();
    assert_eq!(sent[1], some("Bearer token-0"));
    let none = [None, None, None, some("theme=dark")];
    assert_eq!(sent_with(&Keys::holding(&[HeaderKey]), security).await.unwrap(), none);
    // No security at all.
    assert_eq!(sent_with(&Keys::all(), &[]).await.unwrap(), none);
}

#[tokio::test]
async fn a_request_no_held_credentials_satisfy_fails_before_it_is_sent() {
    use Scheme::*;
    let server = MockServer::start().await;
    let transport = Transport::new(server.uri(), None, fast(1), Timeouts::default()).unwrap();
    let keys = Keys::holding(&[Bearer]);
    let request = Request { operation: Operation::new("makeThing", "/things", &[]), ..request(true) };
    let security: &[&[Scheme]] = &[&[Bearer, HeaderKey], &[Basic]];
    match transport.send::<_, _, ()>(&keys, security, request, read_ok).await {
        Err(Error::InvalidRequest(message)) => assert_eq!(
            message,
            "`makeThing` needs credentials the client does not hold: set `bearer_token` and `header_api_key`, \
             or `basic_auth` on the ClientBuilder"
        ),
        other => panic!("{other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    assert_eq!(keys.asked.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn combined_credentials_stay_out_of_traces_and_errors() {
    use Scheme::*;
    let capture = Capture::start();
    let keys = Keys::all();
    sent_with(&keys, &[&[Basic, HeaderKey, QueryKey, CookieKey]]).await.unwrap();
    let transport = Transport::new("http://127.0.0.1:9".to_owned(), None, fast(1), Timeouts::default()).unwrap();
    let security: &[&[Scheme]] = &[&[Bearer, QueryKey, CookieKey]];
    let error = transport.send::<_, _, ()>(&keys, security, request(true), read_ok).await.unwrap_err();
    let text = format!("{error:?} {}", capture.trace().all_text());
    assert!(text.contains("api_key=redacted"), "{text}");
    for secret in ["k&y", "k%26y", "token-", "Bearer", "h-key", "c-key", "pa55", "YW5uOnBhNTU"] {
        assert!(!text.contains(secret), "{secret} in:\n{text}");
    }
}

#[test]
fn operation_servers_resolve_against_the_base_url_as_a_folder() {
    use super::server::operation_base;
    let base = "http://h.example/api/v1";
    assert_eq!(operation_base(base, "https://upload.example/v2/").unwrap(), "https://upload.example/v2");
    assert_eq!(operation_base(base, "/files").unwrap(), "http://h.example/files");
    assert_eq!(operation_base(base, "files").unwrap(), "http://h.example/api/v1/files");
    assert_eq!(operation_base(base, "../v2").unwrap(), "http://h.example/api/v2");
    assert_eq!(operation_base(base, ".").unwrap(), "http://h.example/api/v1");
}

#[test]
fn server_variables_fill_the_template_and_reject_what_breaks_a_url() {
    use super::server::server_url;
    let template = "https://{region}.example.com/{base}";
    let url = server_url(template, &[("region", "eu"), ("base", "v2/beta")]).unwrap();
    assert_eq!(url, "https://eu.example.com/v2/beta");
    for bad in ["a?b", "a#b", "a b", "a\nb"] {
        match server_url(template, &[("region", bad)]) {
            Err(Error::InvalidRequest(message)) => assert!(message.contains("`region`"), "{message}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[test]
fn download_links_are_shown_without_their_signature() {
    use super::transfer::redacted_link;
    let link = "https://store.example/c/f.zip?sv=2021-08-06&se=2030-01-01&sp=r&sig=abc%2Bdef%3D&other=x#frag";
    let shown = redacted_link(link);
    assert_eq!(
        shown,
        "https://store.example/c/f.zip?sv=2021-08-06&se=2030-01-01&sp=r&sig=redacted&other=redacted#redacted"
    );
    assert_eq!(redacted_link("https://user:pw@store.example/f"), "https://user:redacted@store.example/f");
    assert_eq!(redacted_link("not a url?sig=secret"), "not a url?sig=redacted");
}

#[tokio::test]
async fn a_download_without_a_link_fails_before_sending() {
    let client = super::Client::builder().retry_policy(RetryPolicy::none()).build().expect("client");
    let error = client.download(&None::<String>).to_writer(&mut Vec::new()).await;
    assert!(matches!(error, Err(Error::Download(error)) if matches!(*error, super::DownloadError::NoLink)));
}

#[tokio::test]
async fn a_download_streams_the_body_and_sends_no_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/file"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 100_000]))
        .mount(&server)
        .await;
    let client = super::Client::builder().retry_policy(RetryPolicy::none()).build().expect("client");
    let mut out = Vec::new();
    let written = client.download(format!("{}/file?sig=secret", server.uri())).to_writer(&mut out).await;
    assert_eq!(written.ok(), Some(100_000));
    assert_eq!(out, vec![7u8; 100_000]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.iter().all(|request| !request.headers.contains_key("authorization")));
}

/// Reads 200 as a stream of its body; every other status is undocumented.
fn read_stream(reply: &Reply) -> Result<BodyStream, Error> {
    match reply.status {
        200 => Ok(BodyStream::new(reply)),
        _ => Err(unexpected(reply)),
    }
}

#[tokio::test]
async fn streamed_bodies_arrive_in_chunks_after_retries_before_the_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    let content = vec![7u8; 300_000];
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(content.clone()))
        .mount(&server)
        .await;
    let transport = Transport::new(server.uri(), None, fast(3), Timeouts::default()).unwrap();
    let keys = Keys::all();
    let mut streamed = Request { stream: true, ..request(true) };
    streamed.body = Some(("application/octet-stream".into(), vec![1, 2, 3]));
    let response = transport.send::<_, _, ()>(&keys, &[&[Scheme::Bearer]], streamed, read_stream).await.unwrap();
    let mut stream = response.body;
    assert_eq!(stream.status, 200);
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(received, content);
    assert!(chunks > 1, "the body came in one piece");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|request| request.body == [1, 2, 3]));
    assert_eq!(requests[1].headers["content-type"], "application/octet-stream");
}

#[tokio::test]
async fn a_streamed_error_status_is_read_in_full() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(404).set_body_string("gone")).mount(&server).await;
    let transport = Transport::new(server.uri(), None, fast(1), Timeouts::default()).unwrap();
    let keys = Keys::all();
    let streamed = Request { stream: true, ..request(true) };
    match transport.send::<_, _, ()>(&keys, &[], streamed, read_stream).await {
        Err(Error::UnexpectedStatus(error)) => assert_eq!((error.status, error.body_snippet.as_str()), (404, "gone")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn debug_output_of_the_client_and_its_builder_hides_url_credentials() {
    let builder = super::Client::builder().base_url("https://user:secret@api.example.com/v1");
    let shown = format!("{builder:?}");
    assert!(shown.starts_with("ClientBuilder {") && !shown.contains("secret"), "{shown}");
    let client = builder.timeout(Duration::from_secs(5)).build().expect("client");
    let shown = format!("{client:?}");
    assert!(shown.contains("api.example.com/v1") && !shown.contains("secret"), "{shown}");
    assert!(shown.contains("attempt: 5s"), "the timeout set is the one kept: {shown}");
    assert_eq!(client.base_url(), "https://user:secret@api.example.com/v1");
}

/// A `format: binary` property is a `FileContent`: its part carries the
/// bytes unchanged, whatever they are; a list of files gives a part each.
#[test]
fn file_parts_carry_any_bytes() {
    #[derive(serde::Serialize)]
    struct Upload {
        title: String,
        file: FileContent,
        attachments: Vec<FileContent>,
        empty: FileContent,
    }
    let png = [0x89, b'P', b'N', b'G', 0, 0xff, b'\r', b'\n'];
    let upload = Upload {
        title: "scan".to_owned(),
        file: FileContent::from(&png),
        attachments: vec![FileContent::from("a"), FileContent::from(vec![0xfe])],
        empty: FileContent::default(),
    };
    let parts = [
        PartEncoding::file("file", "image/png"),
        PartEncoding::files("attachments", "application/octet-stream"),
        PartEncoding::file("empty", "application/octet-stream"),
    ];
    let (content_type, body) = multipart_body(&upload, &parts).expect("encodes");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("boundary");
    let part = |name: &str, content_type: &str, content: &[u8]| {
        let mut part = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .into_bytes();
        part.extend_from_slice(content);
        part.extend_from_slice(b"\r\n");
        part
    };
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\nContent-Type: text/plain\r\n\r\nscan\r\n"
    )
    .into_bytes();
    expected.extend(part("file", "image/png", &png));
    expected.extend(part("attachments", "application/octet-stream", b"a"));
    expected.extend(part("attachments", "application/octet-stream", &[0xfe]));
    expected.extend(part("empty", "application/octet-stream", b""));
    expected.extend(format!("--{boundary}--\r\n").into_bytes());
    assert_eq!(String::from_utf8_lossy(&body), String::from_utf8_lossy(&expected));
    assert_eq!(body, expected);
}

#[test]
fn file_content_reads_strings_bytes_and_arrays_and_hides_itself_in_debug() {
    let from_text: FileContent = serde_json::from_str("\"PDF-1.7\"").expect("a string");
    assert_eq!(from_text.as_bytes(), b"PDF-1.7");
    let from_array: FileContent = serde_json::from_str("[0, 255]").expect("an array of bytes");
    assert_eq!(from_array.as_bytes(), [0, 255]);
    assert!(serde_json::from_str::<FileContent>("[256]").is_err());
    assert_eq!(format!("{from_text:?}"), "FileContent(7 bytes)");
    assert_eq!(from_text.to_string(), "PDF-1.7");
}
