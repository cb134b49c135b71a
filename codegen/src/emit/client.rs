//! The `client` module's spec-dependent half: `Client`, its builder, and the
//! credentials the spec's security schemes need. `Client`'s method for each
//! operation is in `builders.rs`; the rest of the module is the runtime
//! (`runtime.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, plain};
use super::runtime::Needs;
use super::{Emitter, ident, runtime};
use crate::ir::{ApiKeyLocation, Auth, AuthScheme, Security};

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
    let servers = servers(emitter);
    let base_url_init = match &servers.build {
        Some(from_variables) => quote! {
            match self.base_url {
                Some(url) => url,
                None => #from_variables,
            }
        },
        None => base_url_init,
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
    let holds_arms = credentials.iter().map(|credential| {
        let (variant, field) = (ident(&credential.variant), ident(&credential.field));
        quote!(Auth::#variant => self.#field.is_some(),)
    });
    let setter_arms = credentials.iter().map(|credential| {
        let (variant, field) = (ident(&credential.variant), &credential.field);
        quote!(Auth::#variant => #field,)
    });
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
    let authenticate_fns = if credentials.is_empty() {
        quote! {
            fn holds(&self, scheme: Auth) -> bool {
                match scheme {}
            }

            async fn credential(&self, scheme: Auth) -> Result<Option<Credential<'_>>, Error> {
                match scheme {}
            }

            fn setter(scheme: Auth) -> &'static str {
                match scheme {}
            }
        }
    } else {
        quote! {
            fn holds(&self, scheme: Auth) -> bool {
                match scheme {
                    #(#holds_arms)*
                }
            }

            /// A token provider is asked on every call, so tokens can be refreshed.
            async fn credential(&self, scheme: Auth) -> Result<Option<Credential<'_>>, Error> {
                Ok(match scheme {
                    #(#credential_arms)*
                })
            }

            fn setter(scheme: Auth) -> &'static str {
                match scheme {
                    #(#setter_arms)*
                }
            }
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
    let (request_binding, own_servers) = if servers.own {
        let operation_base = runtime::item("operation_base");
        (
            quote!(mut request),
            quote! {
                // An operation's own server, resolved against the base URL
                // unless the caller sends everything there.
                request.server = match request.server.take() {
                    Some(server) if !self.inner.ignore_operation_servers => {
                        Some(#operation_base(&self.inner.transport.base_url, &server)?)
                    }
                    _ => None,
                };
            },
        )
    } else {
        (quote!(request), quote!())
    };
    let send_fn = if operations.is_empty() {
        quote!()
    } else {
        quote! {
            /// Sends a request with the credentials of the first requirement of
            /// `security` (alternatives of schemes sent together; `&[]`: none
            /// needed) the client holds; `read` decodes the response by status.
            pub(crate) async fn send<T, H: ReadHeaders>(
                &self,
                #request_binding: Request,
                security: &[&[Auth]],
                read: impl FnOnce(&Reply) -> Result<T, Error>,
            ) -> Result<Response<T, H>, Error> {
                #own_servers
                self.inner.transport.send(&self.inner.credentials, security, request, read).await
            }
        }
    };
    let download_fn = if runtime.features.download {
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
    let use_secret = if runtime.features.credentials {
        quote!(
            use self::secret::Secret;
        )
    } else {
        quote!()
    };
    let use_token = if runtime.features.bearer {
        quote!(
            use self::token::Token;
        )
    } else {
        quote!()
    };
    let Servers { builder_fields, setters: server_setters, enums: server_enums, own, .. } = servers;
    let (inner_fields, inner_init) = if own {
        (
            vec![quote!(ignore_operation_servers: bool,)],
            vec![quote!(ignore_operation_servers: self.ignore_operation_servers)],
        )
    } else {
        (Vec::new(), Vec::new())
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
    let allow_deprecated = if emitter.api.features.deprecated {
        quote!(#![allow(deprecated, reason = "what the spec deprecates is still offered, and used here")])
    } else {
        quote!()
    };

    quote! {
        //! The client: configuration, credentials, and one method per operation.
        //! Sending, retrying and encoding are in the modules below, the same for
        //! every API.
        //!
        //! # Timeouts
        //!
        //! Every attempt is bounded: 10 s to connect and 60 s in all unless
        //! [`ClientBuilder::connect_timeout`] and [`ClientBuilder::timeout`] say
        //! otherwise (a `reqwest` client given with [`ClientBuilder::http_client`]
        //! keeps its own connect timeout). A timed-out attempt is retried as the
        //! [`RetryPolicy`] says, so no call waits forever.
        //!
        //! # Tracing
        //!
        //! Calls are traced with the `tracing` crate (target `<crate>::client::send`);
        //! with no subscriber installed this costs nothing.
        //!
        //! - Span `call` (`INFO`), one per call: `operation` (the spec's
        //!   `operationId`), `method`, `path` (the path template).
        //! - Span `attempt` (`INFO`) inside it, one per HTTP attempt: `attempt`
        //!   (1, 2, ...), `url`, `ids` (the values of the headers the spec marks
        //!   `x-client-generated`, such as correlation and request ids), `status`,
        //!   `elapsed_ms`, and when another attempt follows, `retry_in_ms` and
        //!   `retry_reason`.
        //! - Events: `response` or `no response` (`DEBUG`) end an attempt;
        //!   `retrying` (`INFO`) comes before the wait for the next one.
        //!
        //! Credentials are never recorded: no header values but the ids, and in
        //! `url` only the values of the operation's own query parameters; any
        //! other query value (an API key) reads `redacted`.
        #allow_deprecated

        #runtime_modules

        use std::sync::Arc;
        use std::time::Duration;

        #use_secret
        use self::send::{Authenticate, Credential, Timeouts, Transport};
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
            #(#inner_fields)*
        }

        /// Credentials, one per security scheme the spec defines.
        #[derive(Clone, Default)]
        struct Credentials {
            #(#credential_fields)*
        }

        /// Configures a [`Client`].
        #[derive(Default)]
        #[must_use]
        pub struct ClientBuilder {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            credentials: Credentials,
            retry: Option<RetryPolicy>,
            timeouts: Timeouts,
            #(#builder_fields)*
        }

        impl ClientBuilder {
            #base_url_doc
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.base_url = Some(base_url.into());
                self
            }

            #(#credential_setters)*

            #(#server_setters)*

            /// Builds the client. Fails when the base URL is not an `http` or `https` URL.
            pub fn build(self) -> Result<Client, Error> {
                let base_url: String = #base_url_init;
                let transport = Transport::new(base_url, self.http, self.retry.unwrap_or_default(), self.timeouts)?;
                let inner = Inner { transport, credentials: self.credentials #(, #inner_init)* };
                Ok(Client { inner: Arc::new(inner) })
            }
        }

        impl Client {
            #new_fn

            #(#waits)*

            #download_fn

            #send_fn
        }

        #(#server_enums)*

        #auth_enum

        impl Authenticate for Credentials {
            type Scheme = Auth;

            #authenticate_fns
        }

        #(#resource_fns)*
    }
}

/// An operation's security as `Client::send` takes it: its requirements in
/// the spec's order, each the `Auth` variants sent together, then `&[]` when
/// it may go without credentials (`&[]` alone: no security at all).
pub fn security(emitter: &Emitter, security: &Security) -> TokenStream {
    let requirements = security.requirements.iter().map(|requirement| {
        let variants = requirement.schemes.iter().filter_map(|index| emitter.api.auth(*index)).map(|credential| {
            let variant = ident(&credential.variant);
            quote!(Auth::#variant)
        });
        quote!(&[#(#variants),*])
    });
    let anonymous = (security.anonymous && !security.requirements.is_empty()).then(|| quote!(&[]));
    let all = requirements.chain(anonymous);
    quote!(&[#(#all),*])
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
    match &credential.scheme {
        // A provider's token is awaited, which a closure cannot do.
        AuthScheme::Bearer { .. } => quote! {
            Auth::#variant => match &self.#field {
                Some(secret) => Some(#make),
                None => None,
            },
        },
        _ => quote!(Auth::#variant => self.#field.as_ref().map(|secret| #make),),
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

/// What the spec's `servers` add to the client.
struct Servers {
    /// `ClientBuilder` fields: a value per server variable, and the switch
    /// that ignores operations' own servers.
    builder_fields: Vec<TokenStream>,
    setters: Vec<TokenStream>,
    /// The enums of variables with listed values.
    enums: Vec<TokenStream>,
    /// The base URL from the variables, when the server has any.
    build: Option<TokenStream>,
    /// Some operation has its own server.
    own: bool,
}

fn servers(emitter: &Emitter) -> Servers {
    let api = emitter.api;
    let own = api.features.operation_servers;
    let mut servers = Servers { builder_fields: Vec::new(), setters: Vec::new(), enums: Vec::new(), build: None, own };
    if own {
        servers.builder_fields.push(quote!(ignore_operation_servers: bool,));
        servers.setters.push(quote! {
            /// Sends every operation to the base URL, also those whose spec names a
            /// server of their own (for a test server or a proxy in front of all).
            pub fn ignore_operation_servers(mut self) -> Self {
                self.ignore_operation_servers = true;
                self
            }
        });
    }
    let Some(template) = &api.server else { return servers };
    let variables = super::servers::variables(template, "[`base_url`](Self::base_url) is set");
    servers.builder_fields.extend(variables.fields);
    servers.setters.extend(variables.setters);
    servers.enums.extend(variables.enums);
    servers.build = Some(variables.url);
    servers
}
