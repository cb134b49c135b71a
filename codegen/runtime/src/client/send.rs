//! The one send path every operation shares: a [`Request`] rendered by the
//! operation's builder goes out in attempts (fresh per-attempt values and a
//! current credential each time), is retried as the [`RetryPolicy`] says, and
//! its last response is read by the builder's status dispatch.

use std::future::Future;

use super::encoding::{push_encoded, push_encoded_keeping};
use super::retry::{backoff, is_retryable_status, retry_after};
use super::{Response, RetryPolicy};
use crate::error::Error;

/// `User-Agent` of every request: this crate's name and version.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Makes the value a parameter gets on each attempt (a fresh UUID, say).
pub(crate) type NewValue = fn() -> String;

/// A request ready to send, with its values already rendered as text.
#[derive(Default)]
pub(crate) struct Request {
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
    /// The content type and the encoded body.
    pub body: Option<(&'static str, Vec<u8>)>,
    pub accept: &'static str,
    /// Whether repeating the request cannot repeat a side effect.
    pub retry_safe: bool,
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
fn encoded_pair(name: &str, value: &str) -> (String, String) {
    let (mut encoded_name, mut encoded_value) = (String::new(), String::new());
    push_encoded_keeping(&mut encoded_name, name, b"$");
    push_encoded(&mut encoded_value, value);
    (encoded_name, encoded_value)
}

/// The last response to a request, before its body is decoded.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

/// A credential ready to put on a request.
// Which variants a crate builds depends on its spec's security schemes.
#[allow(dead_code)]
pub(crate) enum Credential<'a> {
    Bearer(String),
    Basic(&'a str, &'a str),
    Header(&'static str, &'a str),
    Query(&'static str, &'a str),
    Cookie(&'static str, &'a str),
}

/// The credentials a client holds, asked before every attempt so that a token
/// provider can refresh its token between retries and polls.
pub(crate) trait Authenticate {
    /// The spec's security schemes.
    type Scheme;

    /// The first credential among `schemes` that the client holds.
    fn credential(
        &self,
        schemes: &[Self::Scheme],
    ) -> impl Future<Output = Result<Option<Credential<'_>>, Error>> + Send;
}

/// Where requests go, how they are sent, and how they are retried.
pub(crate) struct Transport {
    /// The URL every request path is appended to, without a trailing `/`.
    pub(super) base_url: String,
    http: reqwest::Client,
    pub(super) retry: RetryPolicy,
}

impl Transport {
    /// Checks that the base URL is an `http` or `https` URL that paths and
    /// queries can be appended to; makes a `reqwest` client when none is given.
    pub(crate) fn new(base_url: String, http: Option<reqwest::Client>, retry: RetryPolicy) -> Result<Self, Error> {
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
            None => reqwest::Client::builder().build().map_err(Error::Transport)?,
        };
        Ok(Self { base_url: base_url.trim_end_matches('/').to_owned(), http, retry })
    }

    /// Sends `request` with a credential for one of `schemes`, and decodes the
    /// last response with `read`: the operation's decoding by status.
    pub(crate) async fn send<A, T>(
        &self,
        credentials: &A,
        schemes: &[A::Scheme],
        request: Request,
        read: impl FnOnce(&Reply) -> Result<T, Error>,
    ) -> Result<Response<T>, Error>
    where
        A: Authenticate,
    {
        let response = self.execute(credentials, schemes, &request).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?.into();
        let reply = Reply { status, headers, body };
        let body = read(&reply)?;
        Ok(Response { status, headers: reply.headers, body })
    }

    /// Sends a request, retrying as the [`RetryPolicy`] says, and returns the
    /// last response, whatever its status.
    async fn execute<A: Authenticate>(
        &self,
        credentials: &A,
        schemes: &[A::Scheme],
        request: &Request,
    ) -> Result<reqwest::Response, Error> {
        let policy = &self.retry;
        let mut attempt: u32 = 1;
        loop {
            let outcome = self.attempt(credentials.credential(schemes).await?, request).await;
            // `Some(wait)` when worth retrying; `Some(None)` waits by backoff.
            let retry = match &outcome {
                Ok(response) if is_retryable_status(response.status().as_u16()) => {
                    Some(retry_after(response.headers()).map(|wait| wait.min(policy.max_retry_after)))
                }
                Err(Error::Transport(error)) if error.is_timeout() || error.is_connect() => Some(None),
                _ => None,
            };
            match retry {
                Some(wait) if request.retry_safe && attempt < policy.max_attempts => {
                    tokio::time::sleep(wait.unwrap_or_else(|| backoff(policy, attempt))).await;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }

    /// One HTTP attempt: fresh per-attempt values and the current credential.
    async fn attempt(&self, credential: Option<Credential<'_>>, request: &Request) -> Result<reqwest::Response, Error> {
        let mut query = request.query.clone();
        for (name, make) in &request.per_attempt_query {
            query.push(encoded_pair(name, &make()));
        }
        if let Some(Credential::Query(name, key)) = &credential {
            query.push(encoded_pair(name, key));
        }
        let url = self.url(request.server.as_deref().unwrap_or(&self.base_url), &request.path, &query)?;

        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ACCEPT, header_value("Accept", request.accept)?);
        headers.insert(reqwest::header::USER_AGENT, reqwest::header::HeaderValue::from_static(USER_AGENT));
        let fresh = request.per_attempt_headers.iter().map(|(name, make)| (*name, make()));
        for (name, value) in request.headers.iter().cloned().chain(fresh) {
            headers.append(header_name(name)?, header_value(name, &value)?);
        }
        let cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
        if !cookies.is_empty() {
            headers.append(reqwest::header::COOKIE, header_value("Cookie", &cookies.join("; "))?);
        }

        let mut builder = self.http.request(request.method.clone(), url);
        match credential {
            Some(Credential::Bearer(token)) => {
                let mut value = header_value("Authorization", &format!("Bearer {token}"))?;
                value.set_sensitive(true);
                headers.insert(reqwest::header::AUTHORIZATION, value);
            }
            Some(Credential::Basic(user, password)) => builder = builder.basic_auth(user, Some(password)),
            Some(Credential::Header(name, key)) => {
                let mut value = header_value(name, key)?;
                value.set_sensitive(true);
                headers.insert(header_name(name)?, value);
            }
            Some(Credential::Cookie(name, key)) => {
                let mut value = header_value("Cookie", &format!("{name}={key}"))?;
                value.set_sensitive(true);
                headers.append(reqwest::header::COOKIE, value);
            }
            Some(Credential::Query(..)) | None => {}
        }
        builder = builder.headers(headers);
        match &request.body {
            Some((content_type, body)) => {
                builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(body.clone());
            }
            // A bodyless POST, PUT or PATCH would go out with neither
            // `Content-Length` nor `Transfer-Encoding`, which HTTP.sys (in
            // front of IIS and many Azure services) answers with 411.
            None if expects_body(&request.method) => {
                builder = builder.header(reqwest::header::CONTENT_LENGTH, "0").body(Vec::new());
            }
            None => {}
        }
        builder.send().await.map_err(Error::Transport)
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
