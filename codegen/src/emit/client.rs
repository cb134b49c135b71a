//! The `client` module's spec-dependent half: `Client`, its builder, and the
//! credentials the spec's security schemes need. `Client`'s method for each
//! operation is in `builders.rs`; the rest of the module is the runtime
//! (`runtime.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, plain};
use super::runtime::Needs;
use super::{Emitter, ident};
use crate::ir::{ApiKeyLocation, Auth, AuthScheme};

/// The credentials the client can hold: the spec's security schemes, named
/// in analysis.
pub fn credentials<'a>(emitter: &Emitter<'a>) -> &'a [Auth] {
    &emitter.api.auth
}

pub fn client_module(emitter: &Emitter, runtime: &Needs) -> TokenStream {
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
    let credential_fields = credentials.iter().map(|credential| {
        let field = ident(&credential.field);
        match &credential.scheme {
            AuthScheme::Bearer { .. } => quote!(#field: Option<Token>,),
            AuthScheme::Basic { .. } => quote!(#field: Option<(String, Secret)>,),
            AuthScheme::ApiKey { .. } => quote!(#field: Option<Secret>,),
        }
    });
    let credential_setters = credentials.iter().map(credential_setter);
    let auth_variants = credentials.iter().map(|credential| {
        let variant = ident(&credential.variant);
        let doc = format!(" The `{}` security scheme.", scheme_key(&credential.scheme));
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
            #[allow(clippy::enum_variant_names, reason = "the variants are the spec's names, which often share a suffix")]
            pub(crate) enum Auth {
                #(#auth_variants)*
            }
        }
    };
    let credential_body = if credentials.is_empty() {
        quote! {
            match schemes.first() {
                None => Ok(None),
                Some(never) => match *never {},
            }
        }
    } else {
        quote! {
            for scheme in schemes {
                match scheme {
                    #(#credential_arms)*
                }
            }
            Ok(None)
        }
    };
    let new_fn = bearer_shortcut(emitter, credentials);
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
    let send_fn = if operations.is_empty() {
        quote!()
    } else {
        quote! {
            /// Sends a request with a credential for one of `schemes`; `read` decodes
            /// the response by status.
            pub(crate) async fn send<T>(
                &self,
                request: Request,
                schemes: &[Auth],
                read: impl FnOnce(&Reply) -> Result<T, Error>,
            ) -> Result<Response<T>, Error> {
                self.inner.transport.send(&self.inner.credentials, schemes, request, read).await
            }
        }
    };
    let download_fn = if runtime.download {
        quote! {
            /// A download of the file at `link`, a link that carries its own
            /// authorization (a property the spec marks as a download link, such as
            /// a resource's field once its work completes). The request sends none
            /// of this client's credentials; it retries as this client does.
            /// Nothing is sent until [`Download::to_file`] or [`Download::to_writer`]
            /// is awaited.
            pub fn download(&self, link: impl DownloadLink) -> Download {
                Download::new(link.into_link(), self.inner.transport.retry.clone())
            }
        }
    } else {
        quote!()
    };
    let runtime_modules = runtime.declarations();
    let public_items = runtime.public_items();
    let use_secret = if runtime.credentials {
        quote!(
            use self::secret::Secret;
        )
    } else {
        quote!()
    };
    let use_token = if runtime.bearer {
        quote!(
            use self::token::Token;
        )
    } else {
        quote!()
    };
    let waits: Vec<TokenStream> = waits.collect();
    let resource_fns: Vec<TokenStream> = resource_fns.collect();
    let mentions = waits.iter().chain(&resource_fns).any(super::mentions_types);
    let use_types = if mentions {
        quote!(
            use crate::types;
        )
    } else {
        quote!()
    };
    let use_builders = if waits.iter().chain(&resource_fns).any(|tokens| super::mentions(tokens, "builders")) {
        quote!(
            use crate::builders;
        )
    } else {
        quote!()
    };
    let allow_deprecated = if emitter.uses_deprecated() {
        quote!(#![allow(deprecated, reason = "what the spec deprecates is still offered, and used here")])
    } else {
        quote!()
    };

    quote! {
        //! The client: configuration, credentials, and one method per operation.
        //! Sending, retrying and encoding are in the modules below, the same for
        //! every API.
        #allow_deprecated

        #runtime_modules

        use std::sync::Arc;
        use std::time::Duration;

        #use_secret
        use self::send::{Authenticate, Credential, Transport};
        use self::text::redacted_url;
        #use_token
        #use_builders
        use crate::error::Error;
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
            transport: Transport,
            credentials: Credentials,
        }

        /// Credentials, one per security scheme the spec defines.
        #[derive(Clone, Default)]
        struct Credentials {
            #(#credential_fields)*
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &redacted_url(&self.inner.transport.base_url))
                    .field("retry", &self.inner.transport.retry)
                    .finish_non_exhaustive()
            }
        }

        #public_items

        /// Configures a [`Client`].
        #[derive(Default)]
        #[must_use]
        pub struct ClientBuilder {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            credentials: Credentials,
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
                let transport = Transport::new(base_url, self.http, self.retry.unwrap_or_default())?;
                Ok(Client { inner: Arc::new(Inner { transport, credentials: self.credentials }) })
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
                &self.inner.transport.base_url
            }

            #(#waits)*

            #download_fn

            #send_fn
        }

        #auth_enum

        impl Authenticate for Credentials {
            type Scheme = Auth;

            /// The first credential the operation accepts that the client holds.
            /// A token provider is asked on every call, so tokens can be refreshed.
            async fn credential(&self, schemes: &[Auth]) -> Result<Option<Credential<'_>>, Error> {
                #credential_body
            }
        }

        #(#resource_fns)*
    }
}

fn scheme_key(scheme: &AuthScheme) -> &str {
    match scheme {
        AuthScheme::Bearer { key, .. } | AuthScheme::Basic { key, .. } | AuthScheme::ApiKey { key, .. } => key,
    }
}

fn credential_setter(credential: &Auth) -> TokenStream {
    let field = ident(&credential.field);
    let key = scheme_key(&credential.scheme);
    match &credential.scheme {
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

fn apply_credential(credential: &Auth) -> TokenStream {
    let field = ident(&credential.field);
    let variant = ident(&credential.variant);
    let make = match &credential.scheme {
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
            if let Some(secret) = &self.#field {
                return Ok(Some(#make));
            }
        }
    }
}

/// `Client::new(token)` when the spec has a server and exactly one bearer scheme.
fn bearer_shortcut(emitter: &Emitter, credentials: &[Auth]) -> TokenStream {
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
