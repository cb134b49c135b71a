//! The `error` module: one error type for the whole client, with a variant
//! per documented error status carrying the parsed body and headers.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, plain};
use super::runtime::Tail;
use super::type_ref::{Scope, rust_type};
use super::{Emitter, ident, runtime};
use crate::ir::{
    BodyKind, ErrorBody, ErrorBodyKind, ErrorHeader, ErrorVariant, StatusKey, SummaryField, TypeRef, reason_phrase,
};

/// Whether reading a body of this kind can fail (it is decoded from JSON):
/// an error payload then holds it as a `client::ErrorBody`, which keeps the
/// text of a body that does not decode.
fn decodes(kind: &BodyKind) -> bool {
    matches!(kind, BodyKind::Json(_) | BodyKind::Form(_))
}

/// Whether a payload's body is a `client::ErrorBody`.
fn wrapped(body: &ErrorBody) -> bool {
    match body {
        ErrorBody::None => false,
        ErrorBody::One(kind) => decodes(kind),
        ErrorBody::Several { kinds, .. } => kinds.iter().any(|kind| decodes(&kind.kind)),
    }
}

/// The Rust type of a body.
pub fn body_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => rust_type(ty, Scope::Crate),
        BodyKind::Text => quote!(String),
        BodyKind::Bytes => quote!(Vec<u8>),
        BodyKind::Empty => quote!(()),
    }
}

/// The module's tokens, and the runtime files placed after them.
pub fn error_module(emitter: &Emitter, variants: &[ErrorVariant]) -> (TokenStream, Vec<Tail>) {
    let enum_variants = variants.iter().map(|variant| {
        let name = ident(&variant.name);
        let payload = ident(&variant.payload);
        let status = plain(&status_doc(variant.status));
        let docs = doc_attrs(&variant.docs, "");
        let separator = if docs.is_empty() { quote!() } else { plain("\n") };
        quote! {
            #status
            #separator
            #docs
            #name(Box<#payload>),
        }
    });
    let mut payloads: Vec<TokenStream> = Vec::new();
    for (index, variant) in variants.iter().enumerate() {
        if !variants[..index].iter().any(|earlier| earlier.payload == variant.payload) {
            payloads.push(payload(emitter, variants, variant));
        }
    }
    let payloads_read = variants.iter().any(|v| !matches!(v.body, ErrorBody::Several { .. }));
    let status_arms = variants.iter().map(|variant| {
        let name = ident(&variant.name);
        quote!(Self::#name(error) => Some(error.status),)
    });
    let display_arms = variants.iter().map(|variant| {
        let name = ident(&variant.name);
        quote!(Self::#name(error) => error.fmt(f),)
    });
    let features = emitter.api.features;
    let (token_variant, token_status, token_display, token_source) = if features.bearer {
        (
            quote! {
                /// The token provider could not give a bearer token.
                Token(Box<dyn std::error::Error + Send + Sync>),
            },
            quote!(Self::Token(_) => None,),
            quote!(Self::Token(error) => write!(f, "cannot get a bearer token: {error}"),),
            quote!(Self::Token(error) => Some(error.as_ref()),),
        )
    } else {
        (quote!(), quote!(), quote!(), quote!())
    };
    let (wait_variant, wait_status, wait_display) = if features.long_running {
        (
            quote! {
                /// Waiting for a long-running operation ended without success.
                Wait(Box<WaitError>),
            },
            quote!(Self::Wait(_) => None,),
            quote!(Self::Wait(error) => error.fmt(f),),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let tail = super::runtime::error_tail(features.long_running, payloads_read);
    let (paging_variant, paging_status, paging_display) = if features.paging {
        (
            quote! {
                /// A paged operation's next link was one already followed: the service's
                /// pages loop, so the stream ends here.
                Paging(String),
            },
            quote!(Self::Paging(_) => None,),
            quote!(Self::Paging(message) => write!(f, "paging: {message}"),),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let (download_variant, download_status, download_display, download_source) = if features.download {
        (
            quote! {
                /// A download failed.
                Download(Box<crate::client::DownloadError>),
            },
            quote!(Self::Download(error) => error.status(),),
            quote!(Self::Download(error) => error.fmt(f),),
            quote!(Self::Download(error) => Some(error.as_ref()),),
        )
    } else {
        (quote!(), quote!(), quote!(), quote!())
    };
    let use_reply = if payloads_read {
        runtime::note("Reply");
        quote!(
            use crate::client::Reply;
        )
    } else {
        quote!()
    };
    let use_types = if payloads.iter().any(super::mentions_types) {
        quote!(
            use crate::types;
        )
    } else {
        quote!()
    };
    let deprecated = if uses_deprecated(emitter, variants) {
        quote!(#![allow(deprecated, reason = "error bodies use types the spec marks deprecated")])
    } else {
        quote!()
    };
    let mut variant_names: Vec<&str> = variants.iter().map(|variant| variant.name.as_str()).collect();
    variant_names.extend([
        "UnexpectedStatus",
        "Decode",
        "Transport",
        "InvalidRequest",
        "Token",
        "Wait",
        "Paging",
        "Download",
    ]);
    let allow_names =
        super::lints::enum_variant_names("Error", &variant_names, "variants are named after HTTP statuses");
    let tokens = quote! {
        //! The client's error type.
        #deprecated

        #use_reply
        #use_types

        /// Everything that can go wrong when calling the API.
        ///
        /// Documented error statuses have a variant of their own, with the body
        /// and the documented response headers; a body that is not the documented
        /// one (a gateway's HTML page, say) is kept as text, and the variant stays
        /// the status's. `Display` gives one line.
        #[derive(Debug)]
        #[non_exhaustive]
        #allow_names
        pub enum Error {
            #(#enum_variants)*
            /// The server answered with a status the spec does not document for this operation.
            UnexpectedStatus(UnexpectedStatus),
            /// The body of a success response could not be decoded as the documented
            /// type.
            Decode(DecodeError),
            /// The request could not be sent, or the response not received (connection,
            /// TLS, timeout).
            Transport(reqwest::Error),
            /// The request could not be built from the given values (a header value that
            /// is not valid in HTTP, a base URL that is not a URL, a body that cannot be
            /// encoded).
            InvalidRequest(String),
            #token_variant
            #wait_variant
            #paging_variant
            #download_variant
        }

        impl Error {
            /// The HTTP status of the response, when there was one.
            pub fn status(&self) -> Option<u16> {
                match self {
                    #(#status_arms)*
                    Self::UnexpectedStatus(error) => Some(error.status),
                    Self::Decode(error) => Some(error.status),
                    Self::Transport(error) => error.status().map(|status| status.as_u16()),
                    Self::InvalidRequest(_) => None,
                    #token_status
                    #wait_status
                    #paging_status
                    #download_status
                }
            }
        }

        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#display_arms)*
                    Self::UnexpectedStatus(error) => error.fmt(f),
                    Self::Decode(error) => error.fmt(f),
                    Self::Transport(error) => write!(f, "request failed: {error}"),
                    Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
                    #token_display
                    #wait_display
                    #paging_display
                    #download_display
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::Decode(error) => Some(&error.source),
                    Self::Transport(error) => Some(error),
                    #token_source
                    #download_source
                    _ => None,
                }
            }
        }

        #(#payloads)*
    };
    (tokens, tail)
}

fn status_doc(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => match reason_phrase(code) {
            Some(reason) => format!("HTTP {code} {reason}."),
            None => format!("HTTP {code}."),
        },
        StatusKey::Range(class) => format!("Any HTTP {class}xx status the operation does not document by itself."),
        StatusKey::Default => "Any other status the operation documents as `default`.".to_owned(),
    }
}

/// A status as listed in a shared payload's docs (`404 Not Found`, `5xx`).
fn status_label(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => match reason_phrase(code) {
            Some(reason) => format!("{code} {reason}"),
            None => code.to_string(),
        },
        StatusKey::Range(class) => format!("{class}xx"),
        StatusKey::Default => "`default`".to_owned(),
    }
}

/// The payload struct of `variant` (and of every status sharing it): fields,
/// `Display` through the runtime's `write_summary`, and its `Payload` impl.
fn payload(emitter: &Emitter, variants: &[ErrorVariant], variant: &ErrorVariant) -> TokenStream {
    let name = ident(&variant.payload);
    let doc = if variant.is_shared() {
        let statuses: Vec<String> =
            variants.iter().filter(|other| other.payload == variant.payload).map(|v| status_label(v.status)).collect();
        plain(&format!("An error response with status {}.", statuses.join(", ")))
    } else {
        plain(&status_doc(variant.status))
    };
    // `summary` and `headers` are bound to locals (when there are any) so the
    // call to `write_summary` reads plainly.
    let (body_field, summary, extra) = match &variant.body {
        ErrorBody::None => (quote!(), None, quote!()),
        ErrorBody::One(kind) if decodes(kind) => {
            let ty = body_type(kind);
            let parts = summary_parts(emitter, kind, &quote!(body));
            let parts = if parts.is_empty() { quote!(|_| Vec::new()) } else { quote!(|body| [#(#parts),*]) };
            let error_body = runtime::item("ErrorBody");
            (
                quote!(/// The response body: the documented one, or the text of another.
                pub body: #error_body<#ty>,),
                Some(quote!(self.body.summary(#parts))),
                quote!(),
            )
        }
        ErrorBody::One(kind) => {
            let ty = body_type(kind);
            let parts = summary_parts(emitter, kind, &quote!(self.body));
            let summary = (!parts.is_empty()).then(|| quote!([#(#parts),*]));
            (
                quote!(/// The decoded response body.
                pub body: #ty,),
                summary,
                quote!(),
            )
        }
        ErrorBody::Several { name: body_name, kinds } => {
            let body_ident = ident(body_name);
            let body_variants = kinds.iter().map(|ErrorBodyKind { name: kind_name, kind }| {
                let kind_ident = ident(kind_name);
                let ty = body_type(kind);
                let doc = plain(&format!("The body of operations that document it as `{kind_name}`."));
                quote!(#doc #kind_ident(#ty),)
            });
            let summary_arms = kinds.iter().map(|ErrorBodyKind { name: kind_name, kind }| {
                let kind_ident = ident(kind_name);
                let parts = summary_parts(emitter, kind, &quote!(body));
                if parts.is_empty() {
                    quote!(#body_ident::#kind_ident(_) => Vec::new(),)
                } else {
                    quote!(#body_ident::#kind_ident(body) => vec![#(#parts),*],)
                }
            });
            let doc =
                plain(&format!("The body of a `{}` error: operations document different types for it.", variant.name));
            let kind_names: Vec<&str> = kinds.iter().map(|kind| kind.name.as_str()).collect();
            let allow_names =
                super::lints::enum_variant_names(body_name, &kind_names, "variants are named after the body types");
            let (body_field, summary) = if wrapped(&variant.body) {
                let error_body = runtime::item("ErrorBody");
                (
                    quote!(/// The response body: the documented one, or the text of another.
                        pub body: #error_body<#body_ident>,),
                    quote!(self.body.summary(|body| match body { #(#summary_arms)* })),
                )
            } else {
                (
                    quote!(/// The decoded response body.
                        pub body: #body_ident,),
                    quote!(match &self.body { #(#summary_arms)* }),
                )
            };
            (
                body_field,
                Some(summary),
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq)]
                    #allow_names
                    pub enum #body_ident {
                        #(#body_variants)*
                    }
                },
            )
        }
    };
    let header_fields = variant.headers.iter().map(|ErrorHeader { name: field, wire, ty }| {
        let field = ident(field);
        let ty = rust_type(ty, Scope::Crate);
        let doc = plain(&format!("The {} response header, when present and well formed.", code(wire)));
        quote!(#doc pub #field: Option<#ty>,)
    });
    let header_values = variant.headers.iter().map(|ErrorHeader { name: field, wire, .. }| {
        let field = ident(field);
        quote!((#wire, self.#field.as_ref().map(ToString::to_string)))
    });
    let header_values: Vec<TokenStream> = header_values.collect();
    let (summary_local, summary) = match summary {
        Some(value) => (quote!(let summary = #value;), quote!(&summary)),
        None => (quote!(), quote!(&[])),
    };
    let (headers_local, headers) = if header_values.is_empty() {
        (quote!(), quote!(&[]))
    } else {
        (quote!(let headers = [#(#header_values),*];), quote!(&headers))
    };
    let read = read_impl(variant);
    let write_summary = runtime::item("write_summary");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            /// The HTTP status of the response.
            pub status: u16,
            #body_field
            #(#header_fields)*
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #summary_local
                #headers_local
                #write_summary(f, self.status, #summary, #headers)
            }
        }

        #read

        #extra
    }
}

/// The `Payload` impl of a payload struct: how every operation that documents
/// its statuses reads it (not for bodies that differ between operations).
fn read_impl(variant: &ErrorVariant) -> TokenStream {
    let body_field = match &variant.body {
        ErrorBody::Several { .. } => return quote!(),
        ErrorBody::None | ErrorBody::One(BodyKind::Empty) => quote!(),
        ErrorBody::One(BodyKind::Json(_) | BodyKind::Form(_)) => {
            let error_body = runtime::item("ErrorBody");
            quote!(body: #error_body::read(reply),)
        }
        ErrorBody::One(BodyKind::Text) => quote!(body: String::from_utf8_lossy(&reply.body).into_owned(),),
        ErrorBody::One(BodyKind::Bytes) => quote!(body: reply.body.clone(),),
    };
    let name = ident(&variant.payload);
    let header_fields = variant.headers.iter().map(|ErrorHeader { name: field, wire, .. }| {
        let field = ident(field);
        let header = runtime::item("header");
        quote!(#field: #header(&reply.headers, #wire),)
    });
    quote! {
        impl Payload for #name {
            fn read(reply: &Reply) -> Self {
                Self {
                    status: reply.status,
                    #body_field
                    #(#header_fields)*
                }
            }
        }
    }
}

/// The `body` of `variant`'s payload (an enum of the bodies operations
/// document) for a response documented as `kind`, the enum's `kind_variant`.
pub fn several_body(variant: &ErrorVariant, body_enum: &TokenStream, kind: &BodyKind) -> TokenStream {
    let value = match kind {
        BodyKind::Json(_) | BodyKind::Form(_) => {
            let error_body = runtime::item("ErrorBody");
            return quote!(#error_body::read(reply).map(error::#body_enum));
        }
        BodyKind::Text => quote!(String::from_utf8_lossy(&reply.body).into_owned()),
        BodyKind::Bytes => quote!(reply.body.clone()),
        BodyKind::Empty => quote!(()),
    };
    if wrapped(&variant.body) {
        let error_body = runtime::item("ErrorBody");
        quote!(#error_body::Documented(error::#body_enum(#value)))
    } else {
        quote!(error::#body_enum(#value))
    }
}

/// The expression a builder returns for a response with `variant`'s status
/// (with `reply` in scope), for bodies every operation reads the same way.
pub fn read_call(variant: &ErrorVariant) -> TokenStream {
    let name = ident(&variant.name);
    quote!(error::read(reply, Error::#name))
}

/// The parts of a one-line summary of `body` (each an `Option<String>`): the
/// fields that carry an error code and message when the body type has them,
/// otherwise compact JSON.
fn summary_parts(emitter: &Emitter, kind: &BodyKind, body: &TokenStream) -> Vec<TokenStream> {
    match kind {
        BodyKind::Json(ty) => {
            let summary_fields = emitter.summary_fields(ty);
            if summary_fields.is_empty() {
                let snippet = runtime::item("snippet");
                return vec![quote!(serde_json::to_string(&#body).ok().map(|json| #snippet(json.as_bytes())))];
            }
            summary_fields
                .iter()
                .map(|SummaryField { name: field, optional }| {
                    let field = ident(field);
                    if *optional {
                        quote!(#body.#field.as_ref().map(ToString::to_string))
                    } else {
                        quote!(Some(#body.#field.to_string()))
                    }
                })
                .collect()
        }
        BodyKind::Text => {
            let snippet = runtime::item("snippet");
            vec![quote!(Some(#snippet(#body.as_bytes())))]
        }
        BodyKind::Form(_) | BodyKind::Bytes | BodyKind::Empty => Vec::new(),
    }
}

/// Whether the error module names a type, or reads a field, the spec marks deprecated.
fn uses_deprecated(emitter: &Emitter, variants: &[ErrorVariant]) -> bool {
    let deprecated_type = |ty: &TypeRef| {
        super::type_ref::mentions(
            ty,
            &|ty| matches!(ty, TypeRef::Named(name) if emitter.type_def(name).is_some_and(|def| def.docs.deprecated)),
        )
    };
    let deprecated_summary = |ty: &TypeRef| {
        let TypeRef::Named(name) = emitter.resolve(ty) else { return false };
        let Some(crate::ir::TypeKind::Struct(fields)) = emitter.type_def(name).map(|def| &def.kind) else {
            return false;
        };
        let summary = emitter.summary_fields(ty);
        fields.fields.iter().any(|f| f.docs.deprecated && summary.iter().any(|s| s.name == f.name))
    };
    let kind_uses = |kind: &BodyKind| match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => deprecated_type(ty) || deprecated_summary(ty),
        _ => false,
    };
    variants.iter().any(|variant| {
        let body = match &variant.body {
            ErrorBody::None => false,
            ErrorBody::One(kind) => kind_uses(kind),
            ErrorBody::Several { kinds, .. } => kinds.iter().any(|kind| kind_uses(&kind.kind)),
        };
        body || variant.headers.iter().any(|header| deprecated_type(&header.ty))
    })
}
