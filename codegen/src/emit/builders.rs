//! The `builders` module: one request builder per operation. Required
//! parameters are arguments of the `Client` method; optional ones are setters;
//! `send` renders the request, sends it and decodes the response by status.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_attrs_noted, plain};
use super::errors::{body_type, read_call, several_body};
use super::type_ref::{Scope, rust_type};
use super::{Emitter, ident, runtime};
use crate::ir::{
    BodyKind, ErrorBody, ErrorHeader, ErrorVariant, Generated, Operation, Paging, Param, ParamLocation, ParamStyle,
    PathPart, RequestBody, Response, StatusKey, SuccessShape, TypeKind, TypeRef,
};
use crate::ir::{FieldStyle, FormEncoding, PartEncoding};

/// The type a parameter's setter (or `Client` method argument) takes.
pub fn setter_type(emitter: &Emitter, param: &Param) -> TokenStream {
    if takes_into(param) { quote!(impl Into<String>) } else { param_type(emitter, param) }
}

/// The type a builder keeps a parameter's value as.
pub fn param_type(emitter: &Emitter, param: &Param) -> TokenStream {
    match emitter.filter_module_of(param) {
        Some(module) => {
            let module = ident(&module);
            quote!(crate::#module::Filter)
        }
        None => rust_type(&param.ty, Scope::Crate),
    }
}

/// Whether the setter takes `impl Into<String>` (and so must call `.into()`).
pub fn takes_into(param: &Param) -> bool {
    param.ty == TypeRef::String && param.filter.is_none()
}

pub fn body_arg_type(body: &RequestBody) -> TokenStream {
    match &body.kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => rust_type(ty, Scope::Crate),
        BodyKind::Text => quote!(impl Into<String>),
        BodyKind::Bytes => quote!(impl Into<Vec<u8>>),
        BodyKind::Empty => quote!(()),
    }
}

fn body_takes_into(body: &RequestBody) -> bool {
    matches!(body.kind, BodyKind::Text | BodyKind::Bytes)
}

fn body_field_type(body: &RequestBody) -> TokenStream {
    match &body.kind {
        BodyKind::Text => quote!(String),
        BodyKind::Bytes => quote!(Vec<u8>),
        _ => body_arg_type(body),
    }
}

/// What the operations of a `builders` module name, which decides the
/// imports at its top.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mentions {
    /// The `types` module.
    pub types: bool,
    /// The runtime's parameter `Style`.
    pub style: bool,
}

impl Mentions {
    /// Every import an operation may need: what the API listing reads the
    /// operations with, before the module's own imports are known (an
    /// import that nothing names changes no path it resolves).
    pub const ALL: Mentions = Mentions { types: true, style: true };

    pub fn add(&mut self, other: Self) {
        self.types |= other.types;
        self.style |= other.style;
    }
}

/// The top of the `builders` module: its docs and imports. The operations
/// ([`operations`]) follow it.
pub fn header(emitter: &Emitter, errors: &[ErrorVariant], mentions: Mentions) -> TokenStream {
    let use_types = if mentions.types {
        quote!(
            use crate::types;
        )
    } else {
        quote!()
    };
    let auth = if emitter.api.features.secured_operations { quote!(Auth,) } else { quote!() };
    let style = if mentions.style {
        runtime::note("Style");
        quote!(, Style)
    } else {
        quote!()
    };
    let use_client = if emitter.api.operations.is_empty() {
        quote!()
    } else {
        ["Operation", "Reply", "Request"].into_iter().for_each(runtime::note);
        quote!(
            use reqwest::Method;

            use crate::client::{#auth Client, Operation, Reply, Request, Response #style};
        )
    };
    let allow_deprecated = if emitter.api.features.deprecated {
        quote!(#![allow(deprecated, reason = "what the spec deprecates is still offered, and used here")])
    } else {
        quote!()
    };
    let use_error = if errors.is_empty() {
        quote!(
            use crate::error::Error;
        )
    } else {
        quote!(
            use crate::error::{self, Error};
        )
    };
    quote! {
        //! `Client`'s method for each operation, and the request builder it
        //! returns: set optional parameters, then `send`.
        #allow_deprecated

        #use_client
        #use_error
        #use_types
    }
}

/// Operations of the `builders` module, each as `Client`'s method for it
/// followed by the request builder that method returns. Each operation's
/// items stand alone, so a long module is emitted and formatted in parts.
pub fn operations(emitter: &Emitter, errors: &[ErrorVariant], operations: &[Operation]) -> TokenStream {
    operations
        .iter()
        .map(|operation| {
            let method = client_method(emitter, operation);
            let builder = builder(emitter, errors, operation);
            quote! {
                impl Client {
                    #method
                }

                #builder
            }
        })
        .collect()
}

fn builder(emitter: &Emitter, errors: &[ErrorVariant], operation: &Operation) -> TokenStream {
    let name = ident(&operation.type_name);
    let location = format!("`{} {}`", operation.method.as_str(), operation.path);
    // The operation's own docs are on `Client`'s method, which this links to.
    let builder_doc = plain(&format!(
        "A request builder for {location}: made by [`Client::{}`], sent by [`{}::send`].",
        operation.name, operation.type_name
    ));
    let deprecated = if operation.docs.deprecated { quote!(#[deprecated]) } else { quote!() };

    // The fields are the crate's: `Client`'s method for the operation fills them.
    let fields = operation.params.iter().map(|param| {
        let field = ident(&param.name);
        let ty = param_type(emitter, param);
        if param.required { quote!(pub(crate) #field: #ty,) } else { quote!(pub(crate) #field: Option<#ty>,) }
    });
    let body_field = operation.body.as_ref().map(|body| {
        let ty = body_field_type(body);
        if body.required { quote!(pub(crate) body: #ty,) } else { quote!(pub(crate) body: Option<#ty>,) }
    });
    let setters = operation.params.iter().filter(|p| !p.required).map(|param| setter(emitter, param));
    let body_setter = operation.body.as_ref().filter(|b| !b.required).map(|body| {
        let ty = body_arg_type(body);
        let value = if body_takes_into(body) { quote!(body.into()) } else { quote!(body) };
        let docs = doc_attrs(&body.docs, "The request body.");
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.body = Some(#value);
                self
            }
        }
    });
    let (return_type, response_enum) = success_type(operation);
    let response_type = if operation.success.headers.is_empty() {
        quote!(Response<#return_type>)
    } else {
        let headers_type = ident(&operation.headers_type);
        quote!(Response<#return_type, #headers_type>)
    };
    let headers_struct = headers_struct(operation);
    let next_link_field = operation.paging.as_ref().map(|_| {
        quote! {
            /// The link to the page this request fetches, when not the first.
            pub(crate) next_link: Option<String>,
        }
    });
    let pager = operation.paging.as_ref().map(|paging| pager_method(operation, paging));
    let send_body = send(emitter, errors, operation, false);
    let send_streaming = streams(operation).then(|| {
        let send_body = send(emitter, errors, operation, true);
        let body_stream = runtime::item("BodyStream");
        quote! {
            /// Sends the request and gives the body of a successful response as it
            /// arrives, chunk by chunk, without holding it whole. The request is
            /// retried like [`Self::send`] until a response's headers arrive; a
            /// failure while the body streams is not retried.
            pub async fn send_streaming(self) -> Result<#body_stream, Error> {
                #send_body
            }
        }
    });
    let send_and_wait = operation.long_running.as_ref().map(|lro| super::waiting::builder_method(emitter, lro));
    let server = server_variables(operation);
    let (server_fields, server_setters, server_enums) = match server {
        Some(variables) => (variables.fields, variables.setters, variables.enums),
        None => Default::default(),
    };
    quote! {
        #builder_doc
        #deprecated
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name<'a> {
            pub(crate) client: &'a Client,
            #(#fields)*
            #body_field
            #next_link_field
            #(#server_fields)*
        }

        impl #name<'_> {
            #(#setters)*
            #body_setter
            #(#server_setters)*

            /// Sends the request and decodes the response.
            pub async fn send(self) -> Result<#return_type, Error> {
                self.send_with_response().await.map(|response| response.body)
            }

            /// Sends the request; the decoded body comes with the response's status and headers.
            pub async fn send_with_response(self) -> Result<#response_type, Error> {
                #send_body
            }

            #send_streaming
            #send_and_wait
        }

        #pager

        #response_enum

        #headers_struct

        #(#server_enums)*
    }
}

/// The variables of the operation's own server, which its builder sets.
fn server_variables(operation: &Operation) -> Option<super::servers::Variables> {
    let template = operation.server.as_ref()?.template.as_ref()?;
    let ignored_when = "the client is built with\n[`ignore_operation_servers`](crate::client::ClientBuilder::ignore_operation_servers)";
    Some(super::servers::variables(template, ignored_when))
}

/// `send_paged`: the items of every page, following the next links.
fn pager_method(operation: &Operation, paging: &Paging) -> TokenStream {
    let name = ident(&operation.type_name);
    let item = rust_type(&paging.item_type, Scope::Crate);
    let items_field = ident(&paging.items_field);
    let next_field = ident(&paging.next_link_field);
    let items =
        if paging.items_optional { quote!(page.#items_field.unwrap_or_default()) } else { quote!(page.#items_field) };
    let next_link = if paging.next_link_optional { quote!(page.#next_field) } else { quote!(Some(page.#next_field)) };
    let doc = plain(&format!(
        "Sends the request and follows each page's `{}`: the items (`{}`) of every\n\
         page, as a stream.\n\n\
         A page is requested when the items before it have been taken; dropping\n\
         the pager stops it. [`Pager::into_pages`](crate::client::Pager::into_pages)\n\
         gives whole pages, and [`Pager::starting_at`](crate::client::Pager::starting_at)\n\
         resumes from a page's next link.",
        paging.next_link_wire, paging.items_wire
    ));
    quote! {
        impl<'a> #name<'a> {
            #doc
            pub fn send_paged(self) -> crate::client::Pager<'a, #item> {
                crate::client::Pager::new(Box::new(move |next_link| {
                    let request = Self { next_link, ..self.clone() };
                    Box::pin(async move {
                        let page = request.send().await?;
                        Ok(crate::client::Page { items: #items, next_link: #next_link })
                    })
                }))
            }
        }
    }
}

fn setter(emitter: &Emitter, param: &Param) -> TokenStream {
    let field = ident(&param.name);
    let ty = setter_type(emitter, param);
    let value = if takes_into(param) { quote!(value.into()) } else { quote!(value) };
    let mut docs = doc_attrs(&param.docs, &format!("The `{}` parameter.", param.wire));
    if let Some(generated) = param.generated {
        let note = match generated {
            Generated::PerAttempt => "\nWhen not set, the client sends a fresh random UUID on every attempt.",
            Generated::PerCall => {
                "\nWhen not set, the client makes up one random UUID for this call and sends it\nunchanged on every retry, so the server can recognise a repeated request."
            }
        };
        let note = plain(note);
        docs = quote!(#docs #note);
    }
    if let Some(default) = &param.default {
        let text = match default {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let note = plain(&format!("\nWhen not set, the server uses `{}`.", text.replace('`', "'")));
        docs = quote!(#docs #note);
    }
    let deprecated = if param.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
    quote! {
        #docs
        #deprecated
        pub fn #field(mut self, value: #ty) -> Self {
            self.#field = Some(#value);
            self
        }
    }
}

/// The successful responses the client decodes (decided in analysis).
fn success_responses(operation: &Operation) -> Vec<&Response> {
    operation.responses.iter().filter(|r| operation.success.statuses.contains(&r.status)).collect()
}

/// The return type of `send`, and the enum it needs when responses differ.
fn success_type(operation: &Operation) -> (TokenStream, TokenStream) {
    match &operation.success.shape {
        SuccessShape::Unit => (quote!(()), quote!()),
        SuccessShape::One(kind) => (body_type(kind), quote!()),
        SuccessShape::Several(variants) => {
            let name = ident(&operation.response_enum);
            let variants = variants.iter().filter_map(|variant| {
                let response = operation.responses.iter().find(|r| r.status == variant.status)?;
                let name = ident(&variant.name);
                let ty = body_type(&response.body);
                let docs = doc_attrs(&response.docs, "");
                Some(quote!(#docs #name(#ty),))
            });
            let doc = plain(&format!("The successful responses of [`{}::send`].", operation.type_name));
            (
                quote!(#name),
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq)]
                    pub enum #name {
                        #(#variants)*
                    }
                },
            )
        }
    }
}

/// The name of the success enum's variant for `status`.
fn success_variant(operation: &Operation, status: StatusKey) -> Option<&str> {
    match &operation.success.shape {
        SuccessShape::Several(variants) => {
            variants.iter().find(|variant| variant.status == status).map(|variant| variant.name.as_str())
        }
        _ => None,
    }
}

/// The `match` pattern for a status. A range leaves out the codes the
/// operation documents by themselves, so no two arms overlap.
fn status_pattern(status: StatusKey, operation: &Operation) -> TokenStream {
    match status {
        StatusKey::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusKey::Range(class) => range_pattern(class * 100, class * 100 + 99, operation),
        StatusKey::Default => quote!(_),
    }
}

fn range_pattern(low: u16, high: u16, operation: &Operation) -> TokenStream {
    let exact: Vec<u16> = operation
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Code(code) if (low..=high).contains(&code) => Some(code),
            _ => None,
        })
        .collect();
    let mut pieces = Vec::new();
    let mut start = low;
    for code in low..=high {
        if exact.contains(&code) {
            if start < code {
                pieces.push((start, code - 1));
            }
            start = code + 1;
        }
    }
    if start <= high {
        pieces.push((start, high));
    }
    let patterns = pieces.into_iter().map(|(a, b)| {
        let a_lit = proc_macro2::Literal::u16_unsuffixed(a);
        let b_lit = proc_macro2::Literal::u16_unsuffixed(b);
        if a == b { quote!(#a_lit) } else { quote!(#a_lit..=#b_lit) }
    });
    quote!(#(#patterns)|*)
}

/// Decodes `reply`'s body as `kind`: an expression giving a `Result` when
/// decoding can fail, otherwise the value itself.
fn decode(kind: &BodyKind) -> (TokenStream, bool) {
    match kind {
        BodyKind::Json(_) | BodyKind::Form(_) => {
            let decode_json = runtime::item("decode_json");
            (quote!(#decode_json(reply)), true)
        }
        BodyKind::Text => (quote!(String::from_utf8_lossy(&reply.body).into_owned()), false),
        BodyKind::Bytes => (quote!(reply.body.clone()), false),
        BodyKind::Empty => (quote!(()), false),
    }
}

/// Whether an operation documents `default` as an error: it then reads every
/// status, and none is unexpected.
pub fn has_catch_all(operation: &Operation) -> bool {
    let default_is_success = success_responses(operation).iter().any(|r| r.status == StatusKey::Default);
    !default_is_success && operation.responses.iter().any(|r| r.status == StatusKey::Default)
}

/// Whether an operation's successes are bytes or text, which `send_streaming`
/// gives as they arrive.
fn streams(operation: &Operation) -> bool {
    matches!(operation.success.shape, SuccessShape::One(BodyKind::Bytes | BodyKind::Text))
}

/// The body of `send_with_response` (or, `streaming`, of `send_streaming`):
/// the request rendered from the builder's fields, sent by the client's one
/// send path, and the response read by status.
fn send(emitter: &Emitter, errors: &[ErrorVariant], operation: &Operation, streaming: bool) -> TokenStream {
    let (path, path_value) = path_expr(emitter, operation);
    let params = [ParamLocation::Query, ParamLocation::Header, ParamLocation::Cookie]
        .into_iter()
        .flat_map(|location| operation.params.iter().filter(move |p| p.location == location))
        .map(|param| param_push(emitter, param))
        .collect::<Vec<_>>();
    let body = operation.body.as_ref().map(|request_body| {
        let content_type = &request_body.media_type;
        let encode = |value: TokenStream, owned: bool| {
            let bytes = match (&request_body.kind, owned) {
                // The content type comes back with the bytes: one short line.
                (BodyKind::Json(_), _) => {
                    let json_body = runtime::item("json_body");
                    return quote!(#json_body(#content_type, #value)?);
                }
                (BodyKind::Form(_), _) => match &request_body.encoding {
                    FormEncoding::Multipart(parts) => return multipart_call(&value, parts),
                    FormEncoding::UrlEncoded(styles) => form_call(&value, styles),
                    FormEncoding::None => form_call(&value, &[]),
                },
                (BodyKind::Text, true) => quote!(#value.into_bytes()),
                (BodyKind::Text, false) => quote!(#value.clone().into_bytes()),
                (BodyKind::Bytes, true) => quote!(#value),
                (BodyKind::Bytes, false) => quote!(#value.clone()),
                (BodyKind::Empty, _) => quote!(Vec::new()),
            };
            quote!((#content_type.into(), #bytes))
        };
        if request_body.required {
            let owned = matches!(request_body.kind, BodyKind::Text | BodyKind::Bytes);
            let encode = encode(if owned { quote!(self.body) } else { quote!(&self.body) }, owned);
            quote!(request.body = Some(#encode);)
        } else {
            let encode = encode(quote!(value), false);
            quote! {
                if let Some(value) = &self.body {
                    request.body = Some(#encode);
                }
            }
        }
    });
    let accept = match &operation.success.accept {
        Some(accept) => quote!(request.accept = #accept;),
        None => quote!(),
    };
    let method = ident(operation.method.as_str());
    let retry_safe = operation.retry_safe();
    let security = super::client::security(emitter, &operation.security);

    let successes = success_responses(operation);
    let enum_name = ident(&operation.response_enum);
    let success_arms = successes.iter().map(|response| {
        let pattern = if response.status == StatusKey::Default {
            range_pattern(200, 299, operation)
        } else {
            status_pattern(response.status, operation)
        };
        let (value, fallible) = if streaming {
            let body_stream = runtime::item("BodyStream");
            (quote!(#body_stream::new(reply)), false)
        } else {
            decode(&response.body)
        };
        match (success_variant(operation, response.status).map(ident), fallible) {
            (None, true) => quote!(#pattern => #value,),
            (None, false) => quote!(#pattern => Ok(#value),),
            (Some(variant), true) => quote!(#pattern => #value.map(#enum_name::#variant),),
            (Some(variant), false) => quote!(#pattern => Ok(#enum_name::#variant(#value)),),
        }
    });
    let no_success = if successes.is_empty() { quote!(200..=299 => Ok(()),) } else { quote!() };
    let mut error_arms = Vec::new();
    let default_is_success = successes.iter().any(|r| r.status == StatusKey::Default);
    for response in operation.responses.iter().filter(|r| !r.status.is_success()) {
        if response.status == StatusKey::Default && default_is_success {
            // Decoded as the success above; other statuses stay unexpected.
            continue;
        }
        let Some(variant) = errors.iter().find(|v| v.status == response.status) else { continue };
        let variant_name = ident(&variant.name);
        let pattern = status_pattern(response.status, operation);
        let arm = match &variant.body {
            ErrorBody::Several { name, .. } => {
                // Operations disagree on this status's body: built here, not by `read`.
                let body_enum = ident(name);
                let kind_variant = ident(variant.body.variant_for(&response.body).unwrap_or("Json"));
                let header_fields = variant.headers.iter().map(|ErrorHeader { name: field, wire, .. }| {
                    let field = ident(field);
                    let header = runtime::item("header");
                    quote!(#field: #header(&reply.headers, #wire),)
                });
                let body = several_body(variant, &quote!(#body_enum::#kind_variant), &response.body);
                quote! {
                    #pattern => Err(Error::#variant_name(Box::new(error::#variant_name {
                        status: reply.status,
                        body: #body,
                        #(#header_fields)*
                    }))),
                }
            }
            // Every operation reads this status the same way: one constructor in `error`.
            _ => {
                let read = read_call(variant);
                quote!(#pattern => Err(#read),)
            }
        };
        error_arms.push((response.status, arm));
    }
    // Exact codes first, then ranges, then `default`.
    error_arms.sort_by_key(|(status, _)| match status {
        StatusKey::Code(_) => 0,
        StatusKey::Range(_) => 1,
        StatusKey::Default => 2,
    });
    let error_arms = error_arms.into_iter().map(|(_, arm)| arm);
    let catch_all = if has_catch_all(operation) {
        quote!()
    } else {
        let unexpected = runtime::item("unexpected");
        quote!(_ => Err(#unexpected(reply)),)
    };
    let next_link = operation.paging.as_ref().map(|paging| {
        let post = paging.next_link_post.then(|| quote!(request.next_link_repeats = true;));
        quote!(request.next_link = self.next_link; #post)
    });
    let operation_id = operation.operation_id.as_deref().unwrap_or(&operation.name);
    let template = &operation.path;
    let id_headers = operation.params.iter().filter(|p| p.generated.is_some() && p.location == ParamLocation::Header);
    let id_headers = id_headers.map(|param| &param.wire);
    let server = match (&operation.server, server_variables(operation)) {
        (Some(_), Some(variables)) => {
            let url = variables.url;
            quote!(request.server = Some(#url);)
        }
        (Some(server), None) => {
            let url = &server.url;
            quote!(request.server = Some(#url.to_owned());)
        }
        (None, _) => quote!(),
    };
    let (stream, sent) = if streaming {
        (
            quote!(request.stream = true;),
            quote!(self.client.send::<_, ()>(request, #security, read).await.map(|response| response.body)),
        )
    } else {
        (quote!(), quote!(self.client.send(request, #security, read).await))
    };
    quote! {
        #path
        let mut request = Request::new(Method::#method, #path_value, #retry_safe);
        #stream
        request.operation = Operation::new(#operation_id, #template, &[#(#id_headers),*]);
        #next_link
        #server
        #accept
        #(#params)*
        #body
        let read = |reply: &Reply| match reply.status {
            #(#success_arms)*
            #no_success
            #(#error_arms)*
            #catch_all
        };
        #sent
    }
}

/// The struct of the headers an operation's successful responses document.
fn headers_struct(operation: &Operation) -> TokenStream {
    if operation.success.headers.is_empty() {
        return quote!();
    }
    let name = ident(&operation.headers_type);
    let doc = plain(&format!(
        "The headers a successful [`{}::send_with_response`] documents, each `None` when absent or not valid.",
        operation.type_name
    ));
    let fields = operation.success.headers.iter().map(|header| {
        let field = ident(&header.field);
        let ty = rust_type(&header.read_as, Scope::Crate);
        let docs = doc_attrs(&header.docs, &format!("`{}`", header.wire));
        quote!(#docs pub #field: Option<#ty>,)
    });
    let reads = operation.success.headers.iter().map(|header| {
        let field = ident(&header.field);
        let wire = &header.wire;
        let header = runtime::item("header");
        quote!(#field: #header(headers, #wire),)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl crate::client::ReadHeaders for #name {
            fn read(headers: &reqwest::header::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}

/// The statements that build the path with its parameters percent-encoded,
/// and the path to give `Request::new`: the literal itself when the path has
/// no parameters.
fn path_expr(emitter: &Emitter, operation: &Operation) -> (TokenStream, TokenStream) {
    let mut parts = operation.path_parts.as_slice();
    let start = match parts {
        [PathPart::Literal(text)] => return (quote!(), quote!(#text)),
        [PathPart::Literal(text), rest @ ..] => {
            parts = rest;
            quote!(String::from(#text))
        }
        _ => quote!(String::new()),
    };
    let pushes = parts.iter().map(|part| match part {
        PathPart::Literal(text) => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => quote!(path.push(#c);),
                _ => quote!(path.push_str(#text);),
            }
        }
        PathPart::Param(index) => {
            let Some(param) = operation.param(*index) else { return quote!() };
            let field = ident(&param.name);
            if is_styled(emitter, param) {
                let (wire, style) = (&param.wire, style_expr(param));
                let push_path = runtime::item("push_path");
                quote!(#push_path(&mut path, #wire, #style, &self.#field)?;)
            } else {
                let text = emitter.to_text(&param.ty, quote!(self.#field));
                let push_encoded = runtime::item("push_encoded");
                quote!(#push_encoded(&mut path, &#text);)
            }
        }
    });
    let statements = quote! {
        let mut path = #start;
        #(#pushes)*
    };
    (statements, quote!(path))
}

/// Puts one parameter's value on `request`: in the query, a header or a
/// cookie, as the spec says; a value the client makes when none is set.
fn param_push(emitter: &Emitter, param: &Param) -> TokenStream {
    let field = ident(&param.name);
    let wire = &param.wire;
    let push = if is_styled(emitter, param) {
        let style = style_expr(param);
        match param.location {
            ParamLocation::Query => quote!(request.query_as(#wire, #style, value)?;),
            ParamLocation::Cookie => quote!(request.cookie_as(#wire, #style, value)?;),
            _ => quote!(request.header_as(#wire, #style, value)?;),
        }
    } else {
        let text = if param.style == ParamStyle::Content {
            let text_of = runtime::item("text_of");
            quote!(#text_of(&value))
        } else {
            emitter.to_text(&param.ty, quote!(value))
        };
        match param.location {
            ParamLocation::Query => quote!(request.push_query(#wire, &#text);),
            ParamLocation::Cookie => quote!(request.push_cookie(#wire, &#text);),
            _ => quote!(request.headers.push((#wire, #text));),
        }
    };
    let per_attempt = if param.location == ParamLocation::Query {
        quote!(request.per_attempt_query)
    } else {
        quote!(request.per_attempt_headers)
    };
    match (param.generated, param.required) {
        (Some(Generated::PerCall), _) => quote! {
            {
                let value = self.#field.unwrap_or_else(uuid::Uuid::new_v4);
                #push
            }
        },
        (Some(Generated::PerAttempt), _) => quote! {
            match &self.#field {
                Some(value) => { #push }
                None => #per_attempt.push((#wire, || uuid::Uuid::new_v4().to_string())),
            }
        },
        (None, true) => quote! {
            {
                let value = &self.#field;
                #push
            }
        },
        (None, false) => quote! {
            if let Some(value) = &self.#field {
                #push
            }
        },
    }
}

/// Whether a parameter is written by the runtime's `Style` (a list or an
/// object, a `label` or `matrix` path segment, a query value that keeps
/// reserved characters) rather than as one value's text, the common case.
fn is_styled(emitter: &Emitter, param: &Param) -> bool {
    if param.style == ParamStyle::Content {
        return false;
    }
    let single = match emitter.resolve(&param.ty) {
        TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json => false,
        TypeRef::Named(name) => matches!(emitter.type_def(name).map(|def| &def.kind), Some(TypeKind::Enum(_))),
        _ => true,
    };
    !single || param.allow_reserved || matches!(param.style, ParamStyle::Label | ParamStyle::Matrix)
}

/// A urlencoded body: its properties in the styles the spec gives them.
fn form_call(value: &TokenStream, styles: &[FieldStyle]) -> TokenStream {
    let styles = styles.iter().map(|field| {
        let wire = &field.wire;
        let style = style_tokens(field.style, field.explode, field.allow_reserved);
        quote!((#wire, #style))
    });
    let form_body = runtime::item("form_body");
    quote!(#form_body(#value, &[#(#styles),*])?)
}

/// A multipart body (its content type names the boundary): each property's part.
fn multipart_call(value: &TokenStream, parts: &[PartEncoding]) -> TokenStream {
    let parts = parts.iter().map(|part| {
        let (wire, content_type) = (&part.wire, &part.content_type);
        let make = match (part.file, part.list) {
            (true, true) => quote!(files),
            (true, false) => quote!(file),
            (false, _) => quote!(new),
        };
        let part_encoding = runtime::item("PartEncoding");
        quote!(#part_encoding::#make(#wire, #content_type))
    });
    let multipart_body = runtime::item("multipart_body");
    quote!(#multipart_body(#value, &[#(#parts),*])?)
}

/// The runtime `Style` the analysis chose for a parameter: `Style::form(true)`.
fn style_expr(param: &Param) -> TokenStream {
    style_tokens(param.style, param.explode, param.allow_reserved)
}

fn style_tokens(style: ParamStyle, explode: bool, allow_reserved: bool) -> TokenStream {
    runtime::note_style();
    let style = match style {
        ParamStyle::Form | ParamStyle::Content => quote!(Style::form(#explode)),
        ParamStyle::SpaceDelimited => quote!(Style::space_delimited(#explode)),
        ParamStyle::PipeDelimited => quote!(Style::pipe_delimited(#explode)),
        ParamStyle::DeepObject => quote!(Style::deep_object()),
        ParamStyle::Simple => quote!(Style::simple(#explode)),
        ParamStyle::Label => quote!(Style::label(#explode)),
        ParamStyle::Matrix => quote!(Style::matrix(#explode)),
    };
    if allow_reserved { quote!(#style.allow_reserved()) } else { style }
}

/// `Client`'s method for an operation: the required parameters as arguments,
/// the optional ones unset.
fn client_method(emitter: &Emitter, operation: &crate::ir::Operation) -> TokenStream {
    let name = ident(&operation.name);
    let builder = ident(&operation.type_name);
    let location = format!("`{} {}`", operation.method.as_str(), operation.path);
    let docs = doc_attrs_noted(&operation.docs, &location);
    let deprecated = if operation.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
    let required: Vec<_> = operation.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|param| {
        let name = ident(&param.name);
        let ty = setter_type(emitter, param);
        quote!(#name: #ty)
    });
    // Every field of the builder: the required ones from the arguments, the
    // optional ones unset.
    let fields = operation.params.iter().map(|param| {
        let name = ident(&param.name);
        match (param.required, takes_into(param)) {
            (false, _) => quote!(#name: None),
            (true, true) => quote!(#name: #name.into()),
            (true, false) => quote!(#name),
        }
    });
    let body_arg = operation.body.as_ref().filter(|b| b.required).map(|body| {
        let ty = body_arg_type(body);
        quote!(, body: #ty)
    });
    let body_field = operation.body.as_ref().map(|body| match (body.required, &body.kind) {
        (false, _) => quote!(, body: None),
        (true, BodyKind::Text | BodyKind::Bytes) => quote!(, body: body.into()),
        (true, _) => quote!(, body),
    });
    let next_link = operation.paging.as_ref().map(|_| quote!(, next_link: None));
    let server_variables = operation.server.iter().flat_map(|server| server.template.iter());
    let server_fields = server_variables.flat_map(|template| &template.variables).map(|variable| {
        let field = ident(&variable.name);
        quote!(, #field: None)
    });
    quote! {
        #docs
        #deprecated
        pub fn #name(&self #(, #args)* #body_arg) -> #builder<'_> {
            #builder { client: self #(, #fields)* #body_field #next_link #(#server_fields)* }
        }
    }
}
