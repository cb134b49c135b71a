//! The one send path every operation shares: a [`Request`] rendered by the
//! operation's builder goes out in attempts (fresh per-attempt values and a
//! current credential each time), each bounded by the per-attempt timeout, is
//! retried as the [`RetryPolicy`] says, and its last response is read by the
//! builder's status dispatch.
//!
//! Traces (`tracing`, target `<crate>::client::send`): every call is an
//! `INFO` span `call` with `operation` (the `operationId`), `method` and
//! `path` (the template); each attempt is an `INFO` span `attempt` inside it
//! with `attempt` (1, 2, ...), `url` (query values redacted but for the
//! spec's own parameters), `ids` (the `x-client-generated` headers sent),
//! `status`, `elapsed_ms`, and, when another attempt follows, `retry_in_ms`
//! and `retry_reason`. Events: `response` and `no response` (`DEBUG`) end an
//! attempt, `retrying` (`INFO`) precedes the wait. Credentials never appear.
//! With no subscriber installed, `tracing`'s macros skip all of it.

use std::borrow::Cow;
use std::cell::Cell;
use std::future::Future;
use std::time::{Duration, Instant};

use tracing::Instrument;
use tracing::field::{Empty, display};

use super::encoding::{push_encoded, push_encoded_keeping};
use super::retry::{backoff, is_retryable_status, retry_after};
use super::text::RedactedUrl;
use super::{ReadHeaders, Response, RetryPolicy};
use crate::error::Error;

/// `User-Agent` of every request: this crate's name and version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Makes the value a parameter gets on each attempt (a fresh UUID, say).
pub(crate) type NewValue = fn() -> String;

/// The operation a request is for, as the spec names it: what traces show.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Operation {
    /// The spec's `operationId` (the client method's name when it has none).
    pub id: &'static str,
    /// The path template, as the spec writes it (`/things/{thingId}`).
    pub path: &'static str,
    /// The headers that identify a call or an attempt: the parameters the
    /// spec marks `x-client-generated`. Each attempt's span records the
    /// values it sent, made up by the client or given by the caller.
    pub id_headers: &'static [&'static str],
}

impl Operation {
    pub(crate) const fn new(id: &'static str, path: &'static str, id_headers: &'static [&'static str]) -> Self {
        Self { id, path, id_headers }
    }
}

/// A request ready to send, with its values already rendered as text.
#[derive(Default)]
pub(crate) struct Request {
    pub operation: Operation,
    pub method: reqwest::Method,
    /// The operation's own server (`servers`), resolved by the client.
    pub server: Option<String>,
    /// The path, with parameters already percent-encoded.
    pub path: String,
    /// Query parameters as `name=value` pairs, both already percent-encoded
    /// (by [`Request::push_query`] or `style.rs`): one pair per item a style makes.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(&'static str, String)>,
    /// Cookie parameters as percent-encoded `name=value` pairs, sent in one `Cookie` header.
    pub cookies: Vec<(String, String)>,
    /// Query parameters and headers given a new value on every attempt, with
    /// the function that makes it.
    pub per_attempt_query: Vec<(&'static str, NewValue)>,
    pub per_attempt_headers: Vec<(&'static str, NewValue)>,
    /// The content type and the encoded body, sent again on every attempt
    /// (a multipart body's content type names its boundary, so it is made
    /// per call).
    pub body: Option<(Cow<'static, str>, Vec<u8>)>,
    /// Whether a successful response's body is left unread, for the caller
    /// to stream ([`Reply::live`]); other statuses are read in full.
    pub stream: bool,
    pub accept: &'static str,
    /// Whether repeating the request cannot repeat a side effect.
    pub retry_safe: bool,
    /// The link to a paged operation's next page, which replaces the path's
    /// query: it is resolved against the request's URL and must stay under
    /// the base URL.
    pub next_link: Option<String>,
    /// Whether a next page repeats this request's method and body on the
    /// link (`nextLinkVerb: POST`) instead of a `GET` on it.
    pub next_link_repeats: bool,
}

impl Request {
    /// A request for `path` with no parameters or body, accepting JSON;
    /// retried only when `retry_safe`.
    pub(crate) fn new(method: reqwest::Method, path: impl Into<String>, retry_safe: bool) -> Self {
        Self { method, path: path.into(), accept: "application/json", retry_safe, ..Self::default() }
    }

    /// Adds a query parameter of one value (`form` style), percent-encoding both.
    #[allow(dead_code, reason = "which parameters a crate has depends on its spec")]
    pub(crate) fn push_query(&mut self, name: &str, value: &str) {
        self.query.push(encoded_pair(name, value));
    }

    /// Adds a cookie parameter of one value, percent-encoding both.
    #[allow(dead_code, reason = "which parameters a crate has depends on its spec")]
    pub(crate) fn push_cookie(&mut self, name: &str, value: &str) {
        self.cookies.push(encoded_pair(name, value));
    }
}

/// A `name=value` pair percent-encoded; `$` stays readable in names such as
/// OData's `$filter`.
/// The query parameters whose values traces show: the spec's own (by their
/// names as sent, so an odd name is hidden rather than shown). Anything else
/// in the URL (a credential, a next link's own values) is redacted.
fn shown(request: &Request) -> Vec<&str> {
    let declared = request.query.iter().map(|(name, _)| name.as_str());
    declared.chain(request.per_attempt_query.iter().map(|(name, _)| *name)).collect()
}

fn encoded_pair(name: &str, value: &str) -> (String, String) {
    let (mut encoded_name, mut encoded_value) = (String::new(), String::new());
    push_encoded_keeping(&mut encoded_name, name, b"$");
    push_encoded(&mut encoded_value, value);
    (encoded_name, encoded_value)
}

/// The last response to a request, its body read in full, before it is decoded.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
    /// A successful response to a [`Request::stream`] request, its body
    /// unread (`body` is then empty): taken once by the reader.
    #[allow(dead_code, reason = "read only in crates whose operations stream a body")]
    pub live: Cell<Option<reqwest::Response>>,
}

/// How long an attempt may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    /// To open a connection; set on the `reqwest` client the transport makes.
    pub connect: Duration,
    /// For one attempt in all, connecting included, until the whole response
    /// body has arrived; set on every request, whoever made the client.
    pub attempt: Duration,
}

impl Default for Timeouts {
    /// 10 s to connect (a TCP and TLS handshake takes well under a second,
    /// even far away; 10 s leaves room for a slow network and fails a dead
    /// host fast enough to retry), 60 s per attempt (the API answers at once,
    /// queueing long work; gateways in front of services give up on a silent
    /// backend well before that, so a longer wait only delays the retry).
    fn default() -> Self {
        Self { connect: Duration::from_secs(10), attempt: Duration::from_secs(60) }
    }
}

/// A credential ready to put on a request. It has no `Debug`: it holds secrets.
#[allow(dead_code, reason = "which variants a crate builds depends on its spec's security schemes")]
pub(crate) enum Credential<'a> {
    Bearer(String),
    Basic(&'a str, &'a str),
    Header(&'static str, &'a str),
    Query(&'static str, &'a str),
    Cookie(&'static str, &'a str),
}

/// The credentials a client holds, asked before every attempt so that a token
/// provider can refresh its token between retries and polls.
pub(crate) trait Authenticate: Sync {
    /// The spec's security schemes.
    type Scheme: Copy + Sync;

    /// Whether the client holds a credential for `scheme` (no token is asked for).
    fn holds(&self, scheme: Self::Scheme) -> bool;

    /// The credential for `scheme`, `None` when the client holds none; a
    /// token provider is asked each time.
    fn credential(&self, scheme: Self::Scheme) -> impl Future<Output = Result<Option<Credential<'_>>, Error>> + Send;

    /// The `ClientBuilder` method that sets the credential for `scheme`, for errors.
    fn setter(scheme: Self::Scheme) -> &'static str;
}

/// The credentials to send for an operation whose security is `security`:
/// its requirements (OR) in the spec's order, each the schemes sent together
/// (AND), `&[]` standing for `{}` (anonymous access). All of the first
/// requirement the client holds in full are sent. Failing that, the request
/// goes without credentials when the operation allows it (no security, or
/// `{}` anywhere in the list: the last resort, whatever its place); otherwise
/// it is not sent at all: an error names the `ClientBuilder` methods that
/// would satisfy it, where a server would only answer 401.
async fn credentials<'a, A: Authenticate>(
    held: &'a A,
    security: &[&[A::Scheme]],
    operation: &str,
) -> Result<Vec<Credential<'a>>, Error> {
    let mut anonymous = security.is_empty();
    for requirement in security {
        if requirement.is_empty() {
            anonymous = true;
        } else if requirement.iter().all(|scheme| held.holds(*scheme)) {
            let mut credentials = Vec::with_capacity(requirement.len());
            for scheme in *requirement {
                credentials.extend(held.credential(*scheme).await?);
            }
            return Ok(credentials);
        }
    }
    if anonymous {
        return Ok(Vec::new());
    }
    let alternatives: Vec<String> = security
        .iter()
        .map(|requirement| {
            let setters: Vec<String> = requirement.iter().map(|scheme| format!("`{}`", A::setter(*scheme))).collect();
            setters.join(" and ")
        })
        .collect();
    Err(Error::InvalidRequest(format!(
        "`{operation}` needs credentials the client does not hold: set {} on the ClientBuilder",
        alternatives.join(", or ")
    )))
}

/// Where requests go, how they are sent, and how they are retried.
pub(crate) struct Transport {
    /// The URL every request path is appended to, without a trailing `/`.
    pub(super) base_url: String,
    http: reqwest::Client,
    pub(super) retry: RetryPolicy,
    pub(super) timeouts: Timeouts,
}

impl Transport {
    /// Checks that the base URL is an `http` or `https` URL that paths and
    /// queries can be appended to; makes a `reqwest` client with the connect
    /// timeout when none is given (a given one keeps its own), which follows
    /// no redirects: a `3xx` is an answer the spec documents (with its
    /// `Location`) or an unexpected status, never another resource's
    /// response decoded as this one's, nor a reason to send API-key headers
    /// (which `reqwest` keeps on a redirect) to another host.
    pub(crate) fn new(
        base_url: String,
        http: Option<reqwest::Client>,
        retry: RetryPolicy,
        timeouts: Timeouts,
    ) -> Result<Self, Error> {
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|error| Error::InvalidRequest(format!("base URL `{base_url}` is not a URL: {error}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(Error::InvalidRequest(format!("base URL `{base_url}` is not an http or https URL")));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::InvalidRequest(format!(
                "base URL `{base_url}` has a query or fragment; request paths and queries are appended to it, so it must have neither"
            )));
        }
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(timeouts.connect)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(Self { base_url: base_url.trim_end_matches('/').to_owned(), http, retry, timeouts })
    }

    /// Sends `request` with the credentials of the first requirement of
    /// `security` the client holds (see [`credentials`]), and decodes the
    /// last response with `read`: the operation's decoding by status.
    /// The headers its successful responses document are read into `H`.
    pub(crate) async fn send<A, T, H>(
        &self,
        credentials: &A,
        security: &[&[A::Scheme]],
        mut request: Request,
        read: impl FnOnce(&Reply) -> Result<T, Error>,
    ) -> Result<Response<T, H>, Error>
    where
        A: Authenticate,
        H: ReadHeaders,
    {
        if request.next_link.is_some() && !request.next_link_repeats {
            // A next page is a `GET` on its link, whatever the first page's
            // method (a `POST` list's included), as Azure's clients fetch it:
            // the link alone says what comes next, so no body is sent again.
            // (`nextLinkVerb: POST` says otherwise: the request is repeated.)
            request.method = reqwest::Method::GET;
            request.body = None;
            request.retry_safe = true;
        }
        let span = tracing::info_span!(
            "call",
            operation = request.operation.id,
            method = %request.method,
            path = request.operation.path,
        );
        let reply = self.execute(credentials, security, &request).instrument(span).await?;
        let body = read(&reply)?;
        let typed_headers = H::read(&reply.headers);
        Ok(Response { status: reply.status, headers: reply.headers, body, typed_headers })
    }

    /// Sends a request, retrying as the [`RetryPolicy`] says, and returns the
    /// last response, whatever its status.
    async fn execute<A: Authenticate>(
        &self,
        credentials: &A,
        security: &[&[A::Scheme]],
        request: &Request,
    ) -> Result<Reply, Error> {
        let policy = &self.retry;
        let mut attempt: u32 = 1;
        loop {
            let span = tracing::info_span!(
                "attempt",
                attempt,
                url = Empty,
                ids = Empty,
                status = Empty,
                elapsed_ms = Empty,
                retry_in_ms = Empty,
                retry_reason = Empty,
            );
            let chosen = self::credentials(credentials, security, request.operation.id);
            let chosen = chosen.instrument(span.clone()).await?;
            let outcome = self.attempt(chosen, request, &span).instrument(span.clone()).await;
            let reason = match &outcome {
                Ok(reply) => retry_reason(reply.status),
                Err(Error::Transport(error)) if error.is_timeout() => Some("timed out"),
                Err(Error::Transport(error)) if error.is_connect() => Some("could not connect"),
                _ => None,
            };
            match reason {
                Some(reason) if request.retry_safe && attempt < policy.max_attempts => {
                    let server_wait = match &outcome {
                        Ok(reply) => retry_after(&reply.headers).map(|wait| wait.min(policy.max_retry_after)),
                        Err(_) => None,
                    };
                    let wait = server_wait.unwrap_or_else(|| backoff(policy, attempt));
                    span.record("retry_in_ms", millis(wait));
                    span.record("retry_reason", reason);
                    tracing::info!(parent: &span, retry_in_ms = millis(wait), retry_reason = reason, "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }

    /// One HTTP attempt, its response body read in full: fresh per-attempt
    /// values and the current credentials, within the per-attempt timeout.
    /// What it sent and received is recorded on `span`.
    async fn attempt(
        &self,
        credentials: Vec<Credential<'_>>,
        request: &Request,
        span: &tracing::Span,
    ) -> Result<Reply, Error> {
        let mut query = Vec::new();
        for (name, make) in &request.per_attempt_query {
            query.push(encoded_pair(name, &make()));
        }
        // Traces and errors show the spec's own query values, never a key.
        let mut shown = shown(request);
        for credential in &credentials {
            if let Credential::Query(name, key) = credential {
                query.push(encoded_pair(name, key));
                shown.retain(|shown| shown != name);
            }
        }
        let base = request.server.as_deref().unwrap_or(&self.base_url);
        let url = match &request.next_link {
            Some(link) => self.next_link_url(base, &request.path, link, &query)?,
            None => self.url(base, &request.path, &[request.query.as_slice(), &query].concat())?,
        };

        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ACCEPT, header_value("Accept", request.accept)?);
        headers.insert(reqwest::header::USER_AGENT, reqwest::header::HeaderValue::from_static(USER_AGENT));
        let fresh = request.per_attempt_headers.iter().map(|(name, make)| (*name, make()));
        for (name, value) in request.headers.iter().cloned().chain(fresh) {
            headers.append(header_name(name)?, header_value(name, &value)?);
        }
        if !span.is_disabled() {
            span.record("url", display(RedactedUrl { url: url.as_str(), shown: &shown }));
            span.record("ids", display(Ids { names: request.operation.id_headers, headers: &headers }));
        }

        // Cookie parameters and cookie keys share the one `Cookie` header a
        // request may carry (RFC 6265, 5.4).
        let mut cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
        let mut secret_cookie = false;
        let mut basic = None;
        for credential in credentials {
            match credential {
                Credential::Bearer(token) => {
                    let mut value = header_value("Authorization", &format!("Bearer {token}"))?;
                    value.set_sensitive(true);
                    headers.insert(reqwest::header::AUTHORIZATION, value);
                }
                Credential::Basic(user, password) => basic = Some((user, password)),
                Credential::Header(name, key) => {
                    let mut value = header_value(name, key)?;
                    value.set_sensitive(true);
                    headers.insert(header_name(name)?, value);
                }
                Credential::Cookie(name, key) => {
                    cookies.push(format!("{name}={key}"));
                    secret_cookie = true;
                }
                Credential::Query(..) => {}
            }
        }
        if !cookies.is_empty() {
            let mut value = header_value("Cookie", &cookies.join("; "))?;
            value.set_sensitive(secret_cookie);
            headers.insert(reqwest::header::COOKIE, value);
        }

        let mut builder = self.http.request(request.method.clone(), url).timeout(self.timeouts.attempt);
        builder = builder.headers(headers);
        if let Some((user, password)) = basic {
            builder = builder.basic_auth(user, Some(password));
        }
        match &request.body {
            Some((content_type, body)) => {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type.as_ref()).body(body.clone());
            }
            // A bodyless POST, PUT or PATCH would go out with neither
            // `Content-Length` nor `Transfer-Encoding`, which HTTP.sys (in
            // front of IIS and many Azure services) answers with 411.
            None if expects_body(&request.method) => {
                builder = builder.header(reqwest::header::CONTENT_LENGTH, "0").body(Vec::new());
            }
            None => {}
        }

        let started = (!span.is_disabled()).then(Instant::now);
        let received = receive(builder, request.stream).await;
        if let Some(started) = started {
            span.record("elapsed_ms", millis(started.elapsed()));
        }
        match received {
            Ok(reply) => {
                span.record("status", reply.status);
                tracing::debug!(status = reply.status, "response");
                Ok(reply)
            }
            Err(mut error) => {
                // reqwest's errors show the URL: keep a query credential out of them.
                if let Some(url) = error.url_mut() {
                    let redacted = RedactedUrl { url: url.as_str(), shown: &shown }.to_string();
                    if let Ok(redacted) = reqwest::Url::parse(&redacted) {
                        *url = redacted;
                    }
                }
                tracing::debug!(error = %error, timeout = error.is_timeout(), "no response");
                Err(Error::Transport(error))
            }
        }
    }

    /// The URL for a path and query (pairs already encoded) on `base`.
    fn url(&self, base: &str, path: &str, query: &[(String, String)]) -> Result<reqwest::Url, Error> {
        let mut url = String::with_capacity(base.len() + path.len() + 64);
        url.push_str(base);
        url.push_str(path);
        for (index, (name, value)) in query.iter().enumerate() {
            url.push_str(&format!("{}{name}={value}", if index == 0 { '?' } else { '&' }));
        }
        reqwest::Url::parse(&url)
            .map_err(|error| Error::InvalidRequest(format!("cannot build a URL from `{url}`: {error}")))
    }
}

impl Transport {
    /// A paged operation's next link, resolved against the URL of `path` on
    /// `base`, with `extra` query pairs (per-attempt values, an API key) added.
    /// A link outside `base` is refused: the request would carry the client's
    /// credentials to another service.
    fn next_link_url(
        &self,
        base: &str,
        path: &str,
        link: &str,
        extra: &[(String, String)],
    ) -> Result<reqwest::Url, Error> {
        let refused = |why: &str| {
            let shown = link.split('?').next().unwrap_or_default();
            Error::InvalidRequest(format!("the next link `{shown}` {why}"))
        };
        let here = self.url(base, path, &[])?;
        let mut url = here.join(link).map_err(|_| refused("is not a URL"))?;
        let root = self.url(base, "", &[])?;
        let root_path = root.path().trim_end_matches('/');
        let under_base = url.origin() == root.origin()
            && url.path().starts_with(root_path)
            && matches!(url.path().as_bytes().get(root_path.len()), None | Some(b'/'));
        if !under_base {
            return Err(refused(&format!("is outside the base URL `{base}`; it is not followed")));
        }
        if !extra.is_empty() {
            let mut query = url.query().map(str::to_owned).unwrap_or_default();
            for (name, value) in extra {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&format!("{name}={value}"));
            }
            url.set_query(Some(&query));
        }
        Ok(url)
    }
}

fn header_name(name: &str) -> Result<reqwest::header::HeaderName, Error> {
    reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid HTTP header name")))
}

fn header_value(name: &str, value: &str) -> Result<reqwest::header::HeaderValue, Error> {
    reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest(format!("the value of header `{name}` is not valid in HTTP")))
}

/// Methods whose requests carry a body by their nature, so servers expect its length.
fn expects_body(method: &reqwest::Method) -> bool {
    matches!(*method, reqwest::Method::POST | reqwest::Method::PUT | reqwest::Method::PATCH)
}

/// Sends a request and reads the whole response body, unless `stream` asks
/// for a successful one to be left unread.
async fn receive(builder: reqwest::RequestBuilder, stream: bool) -> Result<Reply, reqwest::Error> {
    let response = builder.send().await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    if stream && response.status().is_success() {
        return Ok(Reply { status, headers, body: Vec::new(), live: Cell::new(Some(response)) });
    }
    let body = response.bytes().await?.into();
    Ok(Reply { status, headers, body, live: Cell::new(None) })
}

/// Why a response is worth another attempt, if it is.
fn retry_reason(status: u16) -> Option<&'static str> {
    match status {
        429 => Some("rate limited"),
        status if is_retryable_status(status) => Some("server error"),
        _ => None,
    }
}

/// A duration in whole milliseconds, for traces.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The identifying headers an attempt sent, as `Name=value` pairs, for traces.
struct Ids<'a> {
    names: &'a [&'a str],
    headers: &'a reqwest::header::HeaderMap,
}

impl std::fmt::Display for Ids<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for name in self.names {
            for value in self.headers.get_all(*name) {
                let separator = if first { "" } else { " " };
                first = false;
                let value = value.to_str().unwrap_or("<not text>");
                write!(f, "{separator}{name}={value}")?;
            }
        }
        Ok(())
    }
}
