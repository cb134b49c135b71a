//! The `client` module: configuration, credentials, and sending a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, plain};
use super::{Emitter, ident};
use crate::ir::{ApiKeyLocation, AuthScheme, BodyKind};
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
            let candidate = if is_single { base.to_owned() } else { format!("{}_{base}", names::snake_name(key)) };
            Credential { scheme, variant: variants.claim(names::type_name(key)), field: fields.claim(candidate) }
        })
        .collect()
}

pub fn client_module(emitter: &Emitter) -> TokenStream {
    let api = emitter.api;
    let credentials = credentials(emitter);
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

    let credential_fields = credentials.iter().map(|credential| {
        let field = ident(&credential.field);
        match credential.scheme {
            AuthScheme::Basic { .. } => quote!(#field: Option<(String, Secret)>,),
            _ => quote!(#field: Option<Secret>,),
        }
    });
    let credential_setters = credentials.iter().map(credential_setter);
    let auth_variants = credentials.iter().map(|credential| {
        let variant = ident(&credential.variant);
        let doc = format!(" The `{}` security scheme.", scheme_key(credential.scheme));
        quote!(#[doc = #doc] #variant,)
    });
    let apply_arms = credentials.iter().map(apply_credential);
    let has_auth = !credentials.is_empty();
    let auth_enum = if has_auth {
        quote! {
            /// A security scheme from the spec.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub(crate) enum Auth {
                #(#auth_variants)*
            }
        }
    } else {
        quote! {
            /// The spec names no security schemes.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub(crate) enum Auth {}
        }
    };
    let apply = if has_auth {
        quote! {
            /// The first credential the operation accepts that the client holds.
            fn credential(&self, schemes: &[Auth]) -> Option<Credential<'_>> {
                let credentials = &self.inner.credentials;
                schemes.iter().find_map(|scheme| match scheme {
                    #(#apply_arms)*
                })
            }
        }
    } else {
        quote! {
            fn credential(&self, schemes: &[Auth]) -> Option<Credential<'_>> {
                match schemes.first() {
                    None => None,
                    Some(never) => match *never {},
                }
            }
        }
    };
    let new_fn = bearer_shortcut(emitter, &credentials);
    let operations = &emitter.api.operations;
    let uses_form = operations.iter().any(|op| op.body.as_ref().is_some_and(|b| matches!(b.kind, BodyKind::Form(_))));
    let form_body = if uses_form { form_body_helper() } else { quote!() };
    let uses_path = operations.iter().any(|op| op.params.iter().any(|p| p.location == crate::ir::ParamLocation::Path));
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
    let use_decode_error = if uses_json {
        quote!(
            use crate::error::{DecodeError, Error};
        )
    } else {
        quote!(
            use crate::error::Error;
        )
    };
    let methods = emitter.api.operations.iter().map(|operation| {
        let name = ident(&operation.name);
        let builder = ident(&operation.type_name);
        let docs = doc_attrs(&operation.docs, &format!("`{} {}`", operation.method.as_str(), operation.path));
        let deprecated = if operation.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
        let required: Vec<_> = operation.params.iter().filter(|p| p.required).collect();
        let args = required.iter().map(|param| {
            let name = ident(&param.name);
            let ty = super::builders::setter_type(param);
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
    });

    quote! {
        //! The client: configuration, credentials, and sending requests.
        #![allow(deprecated)]

        use std::sync::Arc;

        use crate::builders;
        #use_decode_error

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
            credentials: Credentials,
        }

        /// Credentials, one per security scheme the spec defines.
        #[derive(Clone, Default)]
        struct Credentials {
            #(#credential_fields)*
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client").field("base_url", &redacted_url(&self.inner.base_url)).finish_non_exhaustive()
            }
        }

        /// A secret (token, password, key): never shown by `Debug` or `Display`.
        #[derive(Clone)]
        struct Secret(String);

        impl std::fmt::Debug for Secret {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("<redacted>")
            }
        }

        /// Configures a [`Client`].
        #[derive(Default)]
        #[must_use]
        pub struct ClientBuilder {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            credentials: Credentials,
        }

        impl std::fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url.as_deref().map(redacted_url))
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
                        credentials: self.credentials,
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

            /// Sends one request and returns the response, whatever its status.
            pub(crate) async fn execute(&self, request: &Request) -> Result<reqwest::Response, Error> {
                let credential = self.credential(request.auth);
                let mut query = request.query.clone();
                if let Some(Credential::Query(name, key)) = &credential {
                    query.push(((*name).to_owned(), (*key).to_owned()));
                }
                let url = self.url(&request.path, &query)?;
                let mut headers = reqwest::header::HeaderMap::new();
                headers.insert(reqwest::header::ACCEPT, header_value("Accept", request.accept)?);
                for (name, value) in &request.headers {
                    let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid HTTP header name")))?;
                    headers.append(header_name, header_value(name, value)?);
                }
                let mut builder = self.inner.http.request(request.method.clone(), url);
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
                        let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                            .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid HTTP header name")))?;
                        headers.insert(header_name, value);
                    }
                    Some(Credential::Cookie(name, key)) => {
                        let mut value = header_value("Cookie", &format!("{name}={key}"))?;
                        value.set_sensitive(true);
                        headers.append(reqwest::header::COOKIE, value);
                    }
                    Some(Credential::Query(..)) | None => {}
                }
                builder = builder.headers(headers);
                if let Some((content_type, body)) = &request.body {
                    builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(body.clone());
                }
                builder.send().await.map_err(Error::Transport)
            }

            fn url(&self, path: &str, query: &[(String, String)]) -> Result<reqwest::Url, Error> {
                let mut url = String::with_capacity(self.inner.base_url.len() + path.len() + 64);
                url.push_str(&self.inner.base_url);
                url.push_str(path);
                for (index, (name, value)) in query.iter().enumerate() {
                    url.push(if index == 0 { '?' } else { '&' });
                    encode(&mut url, name, b"$");
                    url.push('=');
                    encode(&mut url, value, b"");
                }
                reqwest::Url::parse(&url).map_err(|error| Error::InvalidRequest(format!("cannot build a URL from `{url}`: {error}")))
            }

            #apply
        }

        #auth_enum

        /// A request ready to send, with its values already rendered as text.
        pub(crate) struct Request {
            pub method: reqwest::Method,
            /// The path, with parameters already percent-encoded.
            pub path: String,
            pub query: Vec<(String, String)>,
            pub headers: Vec<(String, String)>,
            pub body: Option<(&'static str, Vec<u8>)>,
            pub accept: &'static str,
            pub auth: &'static [Auth],
        }

        /// A credential ready to put on a request.
        #[allow(dead_code)]
        enum Credential<'a> {
            Bearer(&'a str),
            Basic(&'a str, &'a str),
            Header(&'static str, &'a str),
            Query(&'static str, &'a str),
            Cookie(&'static str, &'a str),
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
            quote! {
                #docs
                ///
                /// Sent as `Authorization: Bearer <token>`; never shown by `Debug`.
                pub fn #field(mut self, token: impl Into<String>) -> Self {
                    self.credentials.#field = Some(Secret(token.into()));
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
        AuthScheme::Bearer { .. } => quote!(|secret| Credential::Bearer(&secret.0)),
        AuthScheme::Basic { .. } => quote!(|(user, secret)| Credential::Basic(user, &secret.0)),
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Header, .. } => {
            quote!(|secret| Credential::Header(#name, &secret.0))
        }
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Query, .. } => {
            quote!(|secret| Credential::Query(#name, &secret.0))
        }
        AuthScheme::ApiKey { name, location: ApiKeyLocation::Cookie, .. } => {
            quote!(|secret| Credential::Cookie(#name, &secret.0))
        }
    };
    quote!(Auth::#variant => credentials.#field.as_ref().map(#make),)
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
