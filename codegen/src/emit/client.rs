//! The `client` module: configuration, credentials, and sending a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, plain};
use super::{Emitter, ident};
use crate::ir::{ApiKeyLocation, AuthScheme, BodyKind, ParamLocation};
use crate::names::{self, Namespace};

/// A credential the client can hold, with its builder method and field.
pub struct Credential<'a> {
    pub scheme: &'a AuthScheme,
    /// Variant of the private `Auth` enum naming the scheme.
    pub variant: String,
    /// Field in `Credentials`, and the `ClientBuilder` method that sets it.
    pub field: String,
}

pub fn credentials<'a>(emitter: &Emitter<'a>) -> Vec<Credential<'a>> {
    let single = |kind: fn(&AuthScheme) -> bool| emitter.api.auth.iter().filter(|s| kind(s)).count() == 1;
    let mut fields = Namespace::with_reserved(["base_url", "http_client", "build", "new"]);
    let mut variants = Namespace::new();
    emitter
        .api
        .auth
        .iter()
        .map(|scheme| {
            let (key, base) = match scheme {
                AuthScheme::Bearer { key, .. } => (key, "bearer_token"),
                AuthScheme::Basic { key, .. } => (key, "basic_auth"),
                AuthScheme::ApiKey { key, .. } => (key, "api_key"),
            };
            let is_single = match scheme {
                AuthScheme::Bearer { .. } => single(|s| matches!(s, AuthScheme::Bearer { .. })),
                AuthScheme::Basic { .. } => single(|s| matches!(s, AuthScheme::Basic { .. })),
                AuthScheme::ApiKey { .. } => single(|s| matches!(s, AuthScheme::ApiKey { .. })),
            };
            let key_name = names::snake_name(key);
            let candidate = if is_single {
                base.to_owned()
            } else if key_name.ends_with(base) {
                key_name
            } else {
                format!("{key_name}_{base}")
            };
            Credential { scheme, variant: variants.claim(names::type_name(key)), field: fields.claim(candidate) }
        })
        .collect()
}

pub fn client_module(emitter: &Emitter) -> TokenStream {
    let api = emitter.api;
    let credentials = credentials(emitter);
    let operations = &api.operations;
    let title_doc = plain(&format!(" A client for the {} API.", api.title.replace(['[', ']'], "")));
    let (default_base_url, base_url_init, base_url_doc) = match &api.base_url {
        Some(url) => (
            quote! {
                /// The server URL the spec names; [`ClientBuilder::base_url`] sets another.
                pub const DEFAULT_BASE_URL: &str = #url;
            },
            quote!(self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())),
            quote!(#[doc = " The URL every request path is appended to. Defaults to [`DEFAULT_BASE_URL`]."]),
        ),
        None => (
            quote!(),
            quote!(self.base_url.ok_or_else(|| Error::InvalidRequest(
                "no base URL: the spec names no server, so ClientBuilder::base_url must be called".to_owned()
            ))?),
            quote!(#[doc = " The URL every request path is appended to (required: the spec names no server)."]),
        ),
    };
    let has_bearer = credentials.iter().any(|c| matches!(c.scheme, AuthScheme::Bearer { .. }));
    let credential_fields = credentials.iter().map(|credential| {
        let field = ident(&credential.field);
        match credential.scheme {
            AuthScheme::Bearer { .. } => quote!(#field: Option<Token>,),
            AuthScheme::Basic { .. } => quote!(#field: Option<(String, Secret)>,),
            AuthScheme::ApiKey { .. } => quote!(#field: Option<Secret>,),
        }
    });
    let credential_setters = credentials.iter().map(credential_setter);
    let auth_variants = credentials.iter().map(|credential| {
        let variant = ident(&credential.variant);
        let doc = format!(" The `{}` security scheme.", scheme_key(credential.scheme));
        quote!(#[doc = #doc] #variant,)
    });
    let credential_arms = credentials.iter().map(apply_credential);
    let auth_enum = if credentials.is_empty() {
        quote! {
            /// The spec names no security schemes.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub(crate) enum Auth {}
        }
    } else {
        quote! {
            /// A security scheme from the spec (named as the spec names them).
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            #[allow(clippy::enum_variant_names)]
            pub(crate) enum Auth {
                #(#auth_variants)*
            }
        }
    };
    let credential_fn = if credentials.is_empty() {
        quote! {
            async fn credential(&self, schemes: &[Auth]) -> Result<Option<Credential<'_>>, Error> {
                match schemes.first() {
                    None => Ok(None),
                    Some(never) => match *never {},
                }
            }
        }
    } else {
        quote! {
            /// The first credential the operation accepts that the client holds.
            /// A token provider is asked on every call, so tokens can be refreshed.
            async fn credential(&self, schemes: &[Auth]) -> Result<Option<Credential<'_>>, Error> {
                let credentials = &self.inner.credentials;
                for scheme in schemes {
                    match scheme {
                        #(#credential_arms)*
                    }
                }
                Ok(None)
            }
        }
    };
    let token_items = if has_bearer { token_items() } else { quote!() };
    let new_fn = bearer_shortcut(emitter, &credentials);
    let methods = operations.iter().map(|operation| operation_method(emitter, operation));
    let resource_fns = operations.iter().filter_map(|operation| {
        operation
            .long_running
            .as_ref()
            .map(|long_running| super::waiting::resource_fn(emitter, operation, long_running))
    });
    let waits = operations.iter().filter_map(|operation| {
        operation
            .long_running
            .as_ref()
            .map(|long_running| super::waiting::client_methods(emitter, operation, long_running))
    });
    let has_waits = operations.iter().any(|op| op.long_running.is_some());
    let polling = if has_waits { super::waiting::polling_type() } else { quote!() };

    let uses_form = operations.iter().any(|op| op.body.as_ref().is_some_and(|b| matches!(b.kind, BodyKind::Form(_))));
    let form_body = if uses_form { form_body_helper() } else { quote!() };
    let uses_path = operations.iter().any(|op| op.params.iter().any(|p| p.location == ParamLocation::Path));
    let path_segment = if uses_path {
        quote! {
            /// A path segment, percent-encoded (a `/` in a value stays inside the segment).
            pub(crate) fn path_segment(text: &str) -> String {
                let mut out = String::with_capacity(text.len());
                encode(&mut out, text, b"");
                out
            }
        }
    } else {
        quote!()
    };
    let uses_json = operations.iter().any(|op| op.responses.iter().any(|r| matches!(r.body, BodyKind::Json(_))));
    let decode_json = if uses_json {
        quote! {
            /// Decodes a JSON body, or says which status and body could not be decoded.
            pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
                serde_json::from_slice(body).map_err(|source| Error::Decode(DecodeError { status, body_snippet: snippet(body), source }))
            }
        }
    } else {
        quote!()
    };
    let uses_headers = super::errors::collect(emitter).iter().any(|v| !v.headers.is_empty());
    let header = if uses_headers {
        quote! {
            /// A response header, parsed; `None` when absent or malformed.
            pub(crate) fn header<T: std::str::FromStr>(headers: &reqwest::header::HeaderMap, name: &str) -> Option<T> {
                headers.get(name)?.to_str().ok()?.trim().parse().ok()
            }
        }
    } else {
        quote!()
    };
    let uses_generated = emitter.generates_per_attempt();
    let fill_per_attempt = if uses_generated {
        quote! {
            for name in &request.per_attempt_query {
                query.push(((*name).to_owned(), vec![uuid::Uuid::new_v4().to_string()]));
            }
        }
    } else {
        quote!()
    };
    let fill_per_attempt_headers = if uses_generated {
        quote! {
            for name in &request.per_attempt_headers {
                headers.push(((*name).to_owned(), uuid::Uuid::new_v4().to_string()));
            }
        }
    } else {
        quote!()
    };
    let headers_init = if uses_generated {
        quote!(let mut headers = request.headers.clone();)
    } else {
        quote!(let headers = &request.headers;)
    };
    let per_attempt_fields = if uses_generated {
        quote! {
            /// Query parameters and headers given a fresh UUID on every attempt.
            pub per_attempt_query: Vec<&'static str>,
            pub per_attempt_headers: Vec<&'static str>,
        }
    } else {
        quote!()
    };
    let uses_cookies = operations.iter().any(|op| op.params.iter().any(|p| p.location == ParamLocation::Cookie));
    let cookie_header = if uses_cookies {
        quote! {
            /// The `Cookie` header for cookie parameters: `name=value` pairs, values
            /// percent-encoded so they cannot break the header's structure.
            pub(crate) fn cookie_header(cookies: &[(String, String)]) -> String {
                let mut out = String::new();
                for (name, value) in cookies {
                    if !out.is_empty() {
                        out.push_str("; ");
                    }
                    out.push_str(name);
                    out.push('=');
                    encode(&mut out, value, b"");
                }
                out
            }
        }
    } else {
        quote!()
    };
    let has_credentials = !credentials.is_empty();
    let credentials_struct = if has_credentials {
        quote! {
            /// Credentials, one per security scheme the spec defines.
            #[derive(Clone, Default)]
            struct Credentials {
                #(#credential_fields)*
            }

            /// A secret (token, password, key): never shown by `Debug` or `Display`.
            #[derive(Clone)]
            struct Secret(String);

            impl std::fmt::Debug for Secret {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("<redacted>")
                }
            }
        }
    } else {
        quote!()
    };
    let credentials_field = if has_credentials { quote!(credentials: Credentials,) } else { quote!() };
    let credentials_init = if has_credentials { quote!(credentials: self.credentials,) } else { quote!() };
    let use_decode_error = if uses_json {
        quote!(
            use crate::error::{DecodeError, Error};
        )
    } else {
        quote!(
            use crate::error::Error;
        )
    };
    let methods: Vec<TokenStream> = methods.collect();
    let waits: Vec<TokenStream> = waits.collect();
    let resource_fns: Vec<TokenStream> = resource_fns.collect();
    let mentions = methods.iter().chain(&waits).chain(&resource_fns).any(super::mentions_types);
    let use_types = if mentions {
        quote!(
            use crate::types;
        )
    } else {
        quote!()
    };

    quote! {
        //! The client: configuration, credentials, retries, and sending requests.
        #![allow(deprecated)]

        use std::sync::Arc;
        use std::time::Duration;

        use crate::builders;
        #use_decode_error
        #use_types

        #default_base_url

        #title_doc
        ///
        /// Cloning is cheap: clones share one connection pool and configuration.
        #[derive(Clone)]
        pub struct Client {
            inner: Arc<Inner>,
        }

        struct Inner {
            base_url: String,
            http: reqwest::Client,
            #credentials_field
            retry: RetryPolicy,
        }

        #credentials_struct

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &redacted_url(&self.inner.base_url))
                    .field("retry", &self.inner.retry)
                    .finish_non_exhaustive()
            }
        }

        #token_items

        /// When and how the client retries a request.
        ///
        /// A request is retried after a `429 Too Many Requests`, a `5xx` status, or a
        /// transport timeout or connection failure, if the operation is safe to repeat:
        /// its method is idempotent, or it carries an idempotency key the client sends
        /// unchanged on every attempt. The wait grows exponentially with random jitter;
        /// a `Retry-After` header from the server is honoured up to
        /// [`max_retry_after`](Self::max_retry_after). When the attempts run out, the
        /// last response is returned as the call's result.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct RetryPolicy {
            /// Attempts in all, the first included; `1` turns retries off.
            pub max_attempts: u32,
            /// The wait before the first retry; it doubles for each further retry.
            pub initial_backoff: Duration,
            /// The longest wait between two attempts.
            pub max_backoff: Duration,
            /// The longest `Retry-After` the client waits for; longer ones are cut to this.
            pub max_retry_after: Duration,
        }

        impl Default for RetryPolicy {
            /// Four attempts, waits from 500 ms up to 30 s, `Retry-After` up to 60 s.
            fn default() -> Self {
                Self {
                    max_attempts: 4,
                    initial_backoff: Duration::from_millis(500),
                    max_backoff: Duration::from_secs(30),
                    max_retry_after: Duration::from_secs(60),
                }
            }
        }

        impl RetryPolicy {
            /// No retries: every call makes exactly one attempt.
            pub fn none() -> Self {
                Self { max_attempts: 1, ..Self::default() }
            }

            /// The wait before attempt `attempt + 1`: exponential, with jitter in its upper half.
            fn backoff(&self, attempt: u32) -> Duration {
                let exponent = attempt.saturating_sub(1).min(20);
                let full = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
                let half = full / 2;
                let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
                let jitter = if nanos == 0 { 0 } else { random_u64() % nanos };
                half + Duration::from_nanos(jitter)
            }
        }

        #polling

        /// Configures a [`Client`].
        #[derive(Default)]
        #[must_use]
        pub struct ClientBuilder {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            #credentials_field
            retry: Option<RetryPolicy>,
        }

        impl std::fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url.as_deref().map(redacted_url))
                    .field("retry", &self.retry)
                    .finish_non_exhaustive()
            }
        }

        impl ClientBuilder {
            #base_url_doc
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.base_url = Some(base_url.into());
                self
            }

            /// The `reqwest` client to send requests with (for proxies, timeouts, TLS
            /// settings). By default a new one with reqwest's defaults.
            pub fn http_client(mut self, http: reqwest::Client) -> Self {
                self.http = Some(http);
                self
            }

            /// How to retry failed attempts; [`RetryPolicy::default`] unless set, and
            /// [`RetryPolicy::none`] turns retries off.
            pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
                self.retry = Some(retry);
                self
            }

            #(#credential_setters)*

            /// Builds the client. Fails when the base URL is not an `http` or `https` URL.
            pub fn build(self) -> Result<Client, Error> {
                let base_url: String = #base_url_init;
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
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder().build().map_err(Error::Transport)?,
                };
                Ok(Client {
                    inner: Arc::new(Inner {
                        base_url: base_url.trim_end_matches('/').to_owned(),
                        http,
                        #credentials_init
                        retry: self.retry.unwrap_or_default(),
                    }),
                })
            }
        }

        impl Client {
            #new_fn

            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The URL every request path is appended to.
            pub fn base_url(&self) -> &str {
                &self.inner.base_url
            }

            #(#methods)*

            #(#waits)*

            /// Sends a request, retrying as the [`RetryPolicy`] says, and returns the
            /// last response, whatever its status.
            pub(crate) async fn execute(&self, request: &Request) -> Result<reqwest::Response, Error> {
                let policy = &self.inner.retry;
                let mut attempt: u32 = 1;
                loop {
                    let outcome = self.attempt(request).await;
                    let retry = match &outcome {
                        Ok(response) if is_retryable_status(response.status().as_u16()) => {
                            Some(retry_after(response.headers()).map(|wait| wait.min(policy.max_retry_after)))
                        }
                        Err(Error::Transport(error)) if error.is_timeout() || error.is_connect() => Some(None),
                        _ => None,
                    };
                    match retry {
                        Some(wait) if request.retry_safe && attempt < policy.max_attempts => {
                            tokio::time::sleep(wait.unwrap_or_else(|| policy.backoff(attempt))).await;
                            attempt += 1;
                        }
                        _ => return outcome,
                    }
                }
            }

            /// One HTTP attempt: fresh per-attempt values and a current credential.
            async fn attempt(&self, request: &Request) -> Result<reqwest::Response, Error> {
                let credential = self.credential(request.auth).await?;
                let mut query = request.query.clone();
                #fill_per_attempt
                if let Some(Credential::Query(name, key)) = &credential {
                    query.push(((*name).to_owned(), vec![(*key).to_owned()]));
                }
                let url = self.url(&request.path, &query)?;
                #headers_init
                #fill_per_attempt_headers
                let mut header_map = reqwest::header::HeaderMap::new();
                header_map.insert(reqwest::header::ACCEPT, header_value("Accept", request.accept)?);
                header_map.insert(reqwest::header::USER_AGENT, reqwest::header::HeaderValue::from_static(USER_AGENT));
                for (name, value) in headers.iter() {
                    let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid HTTP header name")))?;
                    header_map.append(header_name, header_value(name, value)?);
                }
                let mut builder = self.inner.http.request(request.method.clone(), url);
                match credential {
                    Some(Credential::Bearer(token)) => {
                        let mut value = header_value("Authorization", &format!("Bearer {token}"))?;
                        value.set_sensitive(true);
                        header_map.insert(reqwest::header::AUTHORIZATION, value);
                    }
                    Some(Credential::Basic(user, password)) => builder = builder.basic_auth(user, Some(password)),
                    Some(Credential::Header(name, key)) => {
                        let mut value = header_value(name, key)?;
                        value.set_sensitive(true);
                        let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                            .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid HTTP header name")))?;
                        header_map.insert(header_name, value);
                    }
                    Some(Credential::Cookie(name, key)) => {
                        let mut value = header_value("Cookie", &format!("{name}={key}"))?;
                        value.set_sensitive(true);
                        header_map.append(reqwest::header::COOKIE, value);
                    }
                    Some(Credential::Query(..)) | None => {}
                }
                builder = builder.headers(header_map);
                if let Some((content_type, body)) = &request.body {
                    builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(body.clone());
                }
                builder.send().await.map_err(Error::Transport)
            }

            /// The URL for a path and query. A query value with several items is a
            /// comma-separated list (form style, not exploded): the items are
            /// encoded, the commas between them are not.
            fn url(&self, path: &str, query: &[(String, Vec<String>)]) -> Result<reqwest::Url, Error> {
                let mut url = String::with_capacity(self.inner.base_url.len() + path.len() + 64);
                url.push_str(&self.inner.base_url);
                url.push_str(path);
                for (index, (name, values)) in query.iter().enumerate() {
                    url.push(if index == 0 { '?' } else { '&' });
                    encode(&mut url, name, b"$");
                    url.push('=');
                    for (position, value) in values.iter().enumerate() {
                        if position > 0 {
                            url.push(',');
                        }
                        encode(&mut url, value, b"");
                    }
                }
                reqwest::Url::parse(&url).map_err(|error| Error::InvalidRequest(format!("cannot build a URL from `{url}`: {error}")))
            }

            #credential_fn
        }

        /// A successful response: the decoded body, with the status and headers.
        #[derive(Clone, Debug)]
        pub struct Response<T> {
            /// The HTTP status.
            pub status: u16,
            /// The response headers.
            pub headers: reqwest::header::HeaderMap,
            /// The decoded body.
            pub body: T,
        }

        impl<T> Response<T> {
            /// A header's value, when present and valid text.
            pub fn header(&self, name: &str) -> Option<&str> {
                self.headers.get(name)?.to_str().ok()
            }
        }

        /// `User-Agent` of every request: this crate's name and version.
        const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #auth_enum

        /// A credential ready to put on a request.
        #[allow(dead_code)]
        enum Credential<'a> {
            Bearer(String),
            Basic(&'a str, &'a str),
            Header(&'static str, &'a str),
            Query(&'static str, &'a str),
            Cookie(&'static str, &'a str),
        }

        /// A request ready to send, with its values already rendered as text.
        pub(crate) struct Request {
            pub method: reqwest::Method,
            /// The path, with parameters already percent-encoded.
            pub path: String,
            /// Query parameters: a name and its value, or the items of a list.
            pub query: Vec<(String, Vec<String>)>,
            pub headers: Vec<(String, String)>,
            #per_attempt_fields
            pub body: Option<(&'static str, Vec<u8>)>,
            pub accept: &'static str,
            pub auth: &'static [Auth],
            /// Whether repeating the request cannot repeat a side effect.
            pub retry_safe: bool,
        }

        /// Statuses worth another attempt: rate limiting and server errors.
        fn is_retryable_status(status: u16) -> bool {
            status == 429 || (500..=599).contains(&status)
        }

        /// The `Retry-After` header as a wait, when it is a number of seconds.
        fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
            let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
            text.trim().parse::<u64>().ok().map(Duration::from_secs)
        }

        /// A random number for backoff jitter, from the standard library's
        /// randomly seeded hasher.
        fn random_u64() -> u64 {
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(u64::from(std::process::id()));
            hasher.finish()
        }

        fn header_value(name: &str, value: &str) -> Result<reqwest::header::HeaderValue, Error> {
            reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidRequest(format!("the value of header `{name}` is not valid in HTTP")))
        }

        /// Percent-encodes `text` onto `out`: everything but unreserved characters
        /// (and `keep`) is escaped, so a value can never change the URL's structure.
        pub(crate) fn encode(out: &mut String, text: &str, keep: &[u8]) {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            for byte in text.bytes() {
                if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') || keep.contains(&byte) {
                    out.push(char::from(byte));
                } else {
                    out.push('%');
                    out.push(char::from(HEX[usize::from(byte >> 4)]));
                    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
                }
            }
        }

        #path_segment

        /// The start of a body, as one line of text, for error messages.
        pub(crate) fn snippet(body: &[u8]) -> String {
            const LIMIT: usize = 512;
            let text = one_line(&String::from_utf8_lossy(body));
            match text.char_indices().nth(LIMIT) {
                Some((end, _)) => format!("{}…", &text[..end]),
                None => text,
            }
        }

        /// A value as the text of a path segment, query value or header: strings
        /// as they are, anything else as JSON.
        #[allow(dead_code)]
        pub(crate) fn text_of<T: serde::Serialize>(value: &T) -> String {
            match serde_json::to_value(value) {
                Ok(serde_json::Value::String(text)) => text,
                Ok(other) => other.to_string(),
                Err(_) => String::new(),
            }
        }

        #cookie_header

        /// Text from the server on one line: runs of white space (line breaks
        /// included) become one space, so `Display` stays one line.
        pub(crate) fn one_line(text: &str) -> String {
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        }

        /// A URL for `Debug` output, without any password it carries.
        fn redacted_url(url: &str) -> String {
            match reqwest::Url::parse(url) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    let _ = parsed.set_password(Some("redacted"));
                    parsed.to_string()
                }
                _ => url.to_owned(),
            }
        }

        #decode_json

        #header

        #form_body

        #(#resource_fns)*
    }
}

/// Token types and the provider trait, for specs with a bearer scheme.
fn token_items() -> TokenStream {
    quote! {
        /// Errors a [`TokenProvider`] can return.
        pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

        /// The future a [`TokenProvider`] returns.
        pub type TokenFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, BoxError>> + Send + 'a>>;

        /// A source of bearer tokens, asked before every HTTP attempt, so that a
        /// long wait or a retry always uses a current token.
        ///
        /// Any `Fn() -> impl Future<Output = Result<String, E>>` closure is one, for
        /// example `|| async { Ok::<_, std::io::Error>(fetch_token().await) }`.
        pub trait TokenProvider: Send + Sync + 'static {
            /// A current token. Its text is never logged or shown by this crate.
            fn token(&self) -> TokenFuture<'_>;
        }

        impl<F, Fut, E> TokenProvider for F
        where
            F: Fn() -> Fut + Send + Sync + 'static,
            Fut: std::future::Future<Output = Result<String, E>> + Send + 'static,
            E: Into<BoxError>,
        {
            fn token(&self) -> TokenFuture<'_> {
                let future = self();
                Box::pin(async move { future.await.map_err(Into::into) })
            }
        }

        /// A bearer token: fixed, or asked of a provider for every attempt.
        #[derive(Clone)]
        enum Token {
            Fixed(Secret),
            Provider(Arc<dyn TokenProvider>),
        }

        impl Token {
            async fn current(&self) -> Result<String, Error> {
                match self {
                    Token::Fixed(secret) => Ok(secret.0.clone()),
                    Token::Provider(provider) => provider.token().await.map_err(Error::Token),
                }
            }
        }
    }
}

fn operation_method(emitter: &Emitter, operation: &crate::ir::Operation) -> TokenStream {
    let name = ident(&operation.name);
    let builder = ident(&operation.type_name);
    let docs = doc_attrs(&operation.docs, &format!("`{} {}`", operation.method.as_str(), operation.path));
    let deprecated = if operation.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
    let required: Vec<_> = operation.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|param| {
        let name = ident(&param.name);
        let ty = super::builders::setter_type(emitter, param);
        quote!(#name: #ty)
    });
    let arg_names = required.iter().map(|param| {
        let name = ident(&param.name);
        if super::builders::takes_into(param) { quote!(#name.into()) } else { quote!(#name) }
    });
    let body_arg = operation.body.as_ref().filter(|b| b.required).map(|body| {
        let ty = super::builders::body_arg_type(body);
        quote!(, body: #ty)
    });
    let body_pass = operation.body.as_ref().filter(|b| b.required).map(|body| {
        if matches!(body.kind, BodyKind::Text | BodyKind::Bytes) { quote!(, body.into()) } else { quote!(, body) }
    });
    let location = format!(" `{} {}`", operation.method.as_str(), operation.path);
    quote! {
        #docs
        ///
        #[doc = #location]
        #deprecated
        pub fn #name(&self #(, #args)* #body_arg) -> builders::#builder<'_> {
            builders::#builder::new(self #(, #arg_names)* #body_pass)
        }
    }
}

fn scheme_key(scheme: &AuthScheme) -> &str {
    match scheme {
        AuthScheme::Bearer { key, .. } | AuthScheme::Basic { key, .. } | AuthScheme::ApiKey { key, .. } => key,
    }
}

fn credential_setter(credential: &Credential) -> TokenStream {
    let field = ident(&credential.field);
    let key = scheme_key(credential.scheme);
    match credential.scheme {
        AuthScheme::Bearer { docs, .. } => {
            let docs = doc_attrs(docs, &format!("The `{key}` bearer token."));
            let provider_name = format!("{}_provider", credential.field);
            let provider = ident(&provider_name);
            let fixed_doc = plain(&format!(
                "\nA fixed token, sent as `Authorization: Bearer <token>`; never shown by\n`Debug`. For tokens that expire, use [`{provider_name}`](Self::{provider_name})."
            ));
            quote! {
                #docs
                #fixed_doc
                pub fn #field(mut self, token: impl Into<String>) -> Self {
                    self.credentials.#field = Some(Token::Fixed(Secret(token.into())));
                    self
                }

                /// A source of bearer tokens, asked before every HTTP attempt (retries and
                /// polls included), so a long wait survives token expiry.
                pub fn #provider(mut self, provider: impl TokenProvider) -> Self {
                    self.credentials.#field = Some(Token::Provider(Arc::new(provider)));
                    self
                }
            }
        }
        AuthScheme::Basic { docs, .. } => {
            let docs = doc_attrs(docs, &format!("The `{key}` user name and password."));
            quote! {
                #docs
                ///
                /// Sent as HTTP basic authentication; the password is never shown by `Debug`.
                pub fn #field(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                    self.credentials.#field = Some((user.into(), Secret(password.into())));
                    self
                }
            }
        }
        AuthScheme::ApiKey { docs, name, location, .. } => {
            let docs = doc_attrs(docs, &format!("The `{key}` API key."));
            let place = match location {
                ApiKeyLocation::Header => format!(" Sent in the `{name}` header; never shown by `Debug`."),
                ApiKeyLocation::Query => format!(" Sent as the `{name}` query parameter; never shown by `Debug`."),
                ApiKeyLocation::Cookie => format!(" Sent as the `{name}` cookie; never shown by `Debug`."),
            };
            quote! {
                #docs
                ///
                #[doc = #place]
                pub fn #field(mut self, key: impl Into<String>) -> Self {
                    self.credentials.#field = Some(Secret(key.into()));
                    self
                }
            }
        }
    }
}

fn apply_credential(credential: &Credential) -> TokenStream {
    let field = ident(&credential.field);
    let variant = ident(&credential.variant);
    let make = match credential.scheme {
        AuthScheme::Bearer { .. } => quote!(Credential::Bearer(secret.current().await?)),
        AuthScheme::Basic { .. } => quote!(Credential::Basic(&secret.0, &secret.1.0)),
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Header, .. } => {
            quote!(Credential::Header(#name, &secret.0))
        }
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Query, .. } => quote!(Credential::Query(#name, &secret.0)),
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Cookie, .. } => {
            quote!(Credential::Cookie(#name, &secret.0))
        }
    };
    quote! {
        Auth::#variant => {
            if let Some(secret) = &credentials.#field {
                return Ok(Some(#make));
            }
        }
    }
}

/// `Client::new(token)` when the spec has a server and exactly one bearer scheme.
fn bearer_shortcut(emitter: &Emitter, credentials: &[Credential]) -> TokenStream {
    let bearer: Vec<_> = credentials.iter().filter(|c| matches!(c.scheme, AuthScheme::Bearer { .. })).collect();
    match (&emitter.api.base_url, bearer.as_slice()) {
        (Some(_), [credential]) => {
            let field = ident(&credential.field);
            quote! {
                /// A client for [`DEFAULT_BASE_URL`] that authenticates with a bearer token.
                pub fn new(token: impl Into<String>) -> Result<Self, Error> {
                    Self::builder().#field(token).build()
                }
            }
        }
        (Some(_), []) if credentials.is_empty() => quote! {
            /// A client for [`DEFAULT_BASE_URL`].
            pub fn new() -> Result<Self, Error> {
                Self::builder().build()
            }
        },
        _ => quote!(),
    }
}

fn form_body_helper() -> TokenStream {
    quote! {
        /// Encodes a value as `application/x-www-form-urlencoded`.
        pub(crate) fn form_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
            let json = serde_json::to_value(value).map_err(|error| Error::InvalidRequest(format!("cannot encode the form body: {error}")))?;
            let serde_json::Value::Object(fields) = json else {
                return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
            };
            let mut out = String::new();
            let mut push = |name: &str, value: &serde_json::Value| {
                if !out.is_empty() {
                    out.push('&');
                }
                encode(&mut out, name, b"");
                out.push('=');
                match value {
                    serde_json::Value::String(text) => encode(&mut out, text, b""),
                    other => encode(&mut out, &other.to_string(), b""),
                }
            };
            for (name, value) in &fields {
                match value {
                    serde_json::Value::Null => {}
                    serde_json::Value::Array(items) => items.iter().for_each(|item| push(name, item)),
                    other => push(name, other),
                }
            }
            Ok(out.into_bytes())
        }
    }
}
