//! The `builders` module: one request builder per operation. Required
//! parameters are arguments of the `Client` method; optional ones are setters;
//! `send` renders the request, sends it and decodes the response by status.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::credentials;
use super::docs::{doc_attrs, plain};
use super::errors::{ErrorBody, ErrorVariant, body_type};
use super::type_ref::{Scope, rust_type};
use super::{Emitter, ident};
use crate::ir::{
    BodyKind, Generated, Operation, Param, ParamLocation, PathPart, RequestBody, Response, StatusKey, TypeRef,
};

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

pub fn builders_module(emitter: &Emitter, errors: &[ErrorVariant]) -> TokenStream {
    let builders: Vec<TokenStream> =
        emitter.api.operations.iter().map(|operation| builder(emitter, errors, operation)).collect();
    let use_types = if builders.iter().any(super::mentions_types) {
        quote!(
            use crate::types;
        )
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
        //! Request builders: set optional parameters, then `send`.
        #![allow(deprecated)]

        use crate::client::Client;
        #use_error
        #use_types

        #(#builders)*
    }
}

fn builder(emitter: &Emitter, errors: &[ErrorVariant], operation: &Operation) -> TokenStream {
    let name = ident(&operation.type_name);
    let location = format!("`{} {}`", operation.method.as_str(), operation.path);
    let docs = doc_attrs(&operation.docs, &location);
    let builder_doc = plain(&format!(
        "\nA request builder for {location}: made by [`Client::{}`], sent by [`{}::send`].",
        operation.name, operation.type_name
    ));
    let deprecated = if operation.docs.deprecated { quote!(#[deprecated]) } else { quote!() };

    let fields = operation.params.iter().map(|param| {
        let field = ident(&param.name);
        let ty = param_type(emitter, param);
        if param.required { quote!(#field: #ty,) } else { quote!(#field: Option<#ty>,) }
    });
    let body_field = operation.body.as_ref().map(|body| {
        let ty = body_field_type(body);
        if body.required { quote!(body: #ty,) } else { quote!(body: Option<#ty>,) }
    });
    let required: Vec<&Param> = operation.params.iter().filter(|p| p.required).collect();
    let new_args = required.iter().map(|param| {
        let field = ident(&param.name);
        let ty = param_type(emitter, param);
        quote!(#field: #ty)
    });
    let required_body = operation.body.as_ref().filter(|b| b.required);
    let new_body_arg = required_body.map(|body| {
        let ty = body_field_type(body);
        quote!(, body: #ty)
    });
    let init = operation.params.iter().map(|param| {
        let field = ident(&param.name);
        if param.required { quote!(#field,) } else { quote!(#field: None,) }
    });
    let body_init = operation.body.as_ref().map(|body| if body.required { quote!(body,) } else { quote!(body: None,) });
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
    let send_body = send(emitter, errors, operation);
    let send_and_wait = operation.long_running.as_ref().map(|lro| super::waiting::builder_method(emitter, lro));
    quote! {
        #docs
        #builder_doc
        #deprecated
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name<'a> {
            client: &'a Client,
            #(#fields)*
            #body_field
        }

        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a Client #(, #new_args)* #new_body_arg) -> Self {
                Self {
                    client,
                    #(#init)*
                    #body_init
                }
            }

            #(#setters)*
            #body_setter

            /// Sends the request and decodes the response.
            pub async fn send(self) -> Result<#return_type, Error> {
                self.send_with_response().await.map(|response| response.body)
            }

            /// Sends the request, and returns the decoded body with the response's
            /// status and headers (the service's request ids, for example).
            pub async fn send_with_response(self) -> Result<crate::client::Response<#return_type>, Error> {
                #send_body
            }

            #send_and_wait
        }

        #response_enum
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

/// The successful responses the client decodes: documented 2xx statuses, or
/// `default` when no 2xx status is documented.
fn success_responses(operation: &Operation) -> Vec<&Response> {
    let documented: Vec<&Response> = operation.responses.iter().filter(|r| r.status.is_success()).collect();
    if !documented.is_empty() {
        return documented;
    }
    operation.responses.iter().filter(|r| r.status == StatusKey::Default).collect()
}

/// The return type of `send`, and the enum it needs when responses differ.
fn success_type(operation: &Operation) -> (TokenStream, TokenStream) {
    let responses = success_responses(operation);
    let mut kinds: Vec<&BodyKind> = Vec::new();
    for response in &responses {
        if !kinds.contains(&&response.body) {
            kinds.push(&response.body);
        }
    }
    match kinds.as_slice() {
        [] => (quote!(()), quote!()),
        [kind] => (body_type(kind), quote!()),
        _ => {
            let name = ident(&operation.response_enum);
            let variants = responses.iter().map(|response| {
                let variant = ident(&response_variant(response.status));
                let ty = body_type(&response.body);
                let docs = doc_attrs(&response.docs, "");
                quote!(#docs #variant(#ty),)
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

fn response_variant(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => format!("Status{code}"),
        StatusKey::Range(class) => format!("Status{class}xx"),
        StatusKey::Default => "Default".to_owned(),
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

/// Decodes `body` (the response bytes) as `kind`.
fn decode(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(_) | BodyKind::Form(_) => quote!(crate::client::decode_json(status, &body)?),
        BodyKind::Text => quote!(String::from_utf8_lossy(&body).into_owned()),
        BodyKind::Bytes => quote!(body.to_vec()),
        BodyKind::Empty => quote!(()),
    }
}

fn send(emitter: &Emitter, errors: &[ErrorVariant], operation: &Operation) -> TokenStream {
    let path = path_expr(emitter, operation);
    let query = pairs(emitter, operation, ParamLocation::Query, quote!(query), quote!(per_attempt_query));
    let mut headers = pairs(emitter, operation, ParamLocation::Header, quote!(headers), quote!(per_attempt_headers));
    if operation.params.iter().any(|p| p.location == ParamLocation::Cookie) {
        let cookies = pairs(emitter, operation, ParamLocation::Cookie, quote!(cookies), quote!(per_attempt_cookies));
        headers = quote! {
            #headers
            #cookies
            let headers = {
                let mut all = headers;
                if !cookies.is_empty() {
                    all.push(("Cookie".to_owned(), crate::client::cookie_header(&cookies)));
                }
                all
            };
        };
    }
    let retry_safe = operation.retry_safe();
    let per_attempt_fields =
        if emitter.generates_per_attempt() { quote!(per_attempt_query, per_attempt_headers,) } else { quote!() };
    let body = match &operation.body {
        None => quote!(let body = None;),
        Some(request_body) => {
            let content_type = &request_body.media_type;
            let encode = match &request_body.kind {
                BodyKind::Json(_) => quote! {
                    serde_json::to_vec(value).map_err(|error| Error::InvalidRequest(format!("cannot encode the request body: {error}")))?
                },
                BodyKind::Form(_) => quote!(crate::client::form_body(value)?),
                BodyKind::Text => quote!(value.clone().into_bytes()),
                BodyKind::Bytes => quote!(value.clone()),
                BodyKind::Empty => quote!(Vec::new()),
            };
            if request_body.required {
                quote! {
                    let value = &self.body;
                    let body = Some((#content_type, #encode));
                }
            } else if matches!(request_body.kind, BodyKind::Json(_) | BodyKind::Form(_)) {
                // Encoding can fail here, so `?` needs a `match` rather than `map`.
                quote! {
                    let body = match &self.body {
                        Some(value) => Some((#content_type, #encode)),
                        None => None,
                    };
                }
            } else {
                quote!(let body = self.body.as_ref().map(|value| (#content_type, #encode));)
            }
        }
    };
    let successes = success_responses(operation);
    let mut accept: Vec<&str> = successes.iter().filter_map(|r| r.media_type.as_deref()).collect();
    accept.dedup();
    let accept = if accept.is_empty() { "application/json".to_owned() } else { accept.join(", ") };
    let method = ident(operation.method.as_str());
    let credentials = credentials(emitter);
    let auth = operation.auth.iter().filter_map(|index| credentials.get(*index)).map(|credential| {
        let variant = ident(&credential.variant);
        quote!(crate::client::Auth::#variant)
    });

    let (_, response_enum) = success_type(operation);
    let several = !response_enum.is_empty();
    let enum_name = ident(&operation.response_enum);
    let success_arms = successes.iter().map(|response| {
        let pattern = if response.status == StatusKey::Default {
            range_pattern(200, 299, operation)
        } else {
            status_pattern(response.status, operation)
        };
        let value = decode(&response.body);
        if several {
            let variant = ident(&response_variant(response.status));
            quote!(#pattern => Ok(#enum_name::#variant(#value)),)
        } else {
            quote!(#pattern => Ok(#value),)
        }
    });
    let no_success = if successes.is_empty() { quote!(200..=299 => Ok(()),) } else { quote!() };
    let mut error_arms = Vec::new();
    let mut has_catch_all = false;
    let default_is_success = successes.iter().any(|r| r.status == StatusKey::Default);
    for response in operation.responses.iter().filter(|r| !r.status.is_success()) {
        if response.status == StatusKey::Default && default_is_success {
            // Decoded as the success above; other statuses stay unexpected.
            continue;
        }
        let Some(variant) = errors.iter().find(|v| v.status == response.status) else { continue };
        let variant_name = ident(&variant.name);
        let pattern = status_pattern(response.status, operation);
        has_catch_all |= response.status == StatusKey::Default;
        let body_field = match &variant.body {
            ErrorBody::None => quote!(),
            ErrorBody::One(_) => {
                let value = decode(&response.body);
                quote!(body: #value,)
            }
            ErrorBody::Several { name, .. } => {
                let body_enum = ident(name);
                let kind_variant = ident(variant.body.variant_for(&response.body).unwrap_or("Json"));
                let value = decode(&response.body);
                quote!(body: error::#body_enum::#kind_variant(#value),)
            }
        };
        let header_fields = variant.headers.iter().map(|(field, wire, _)| {
            let field = ident(field);
            quote!(#field: crate::client::header(&headers, #wire),)
        });
        let arm = if matches!(variant.body, ErrorBody::Several { .. }) {
            quote! {
                #pattern => Err(Error::#variant_name(Box::new(error::#variant_name {
                    status,
                    #body_field
                    #(#header_fields)*
                }))),
            }
        } else {
            // Every operation reads this status the same way: one constructor in `error`.
            let headers_arg = if variant.headers.is_empty() { quote!() } else { quote!(&headers,) };
            quote!(#pattern => Err(error::#variant_name::read(status, #headers_arg &body)),)
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
    let catch_all = if has_catch_all {
        quote!()
    } else {
        quote! {
            _ => Err(Error::UnexpectedStatus(crate::error::UnexpectedStatus {
                status,
                body_snippet: crate::client::snippet(&body),
            })),
        }
    };
    let read_headers = quote!(let headers = response.headers().clone(););
    quote! {
        #path
        #query
        #headers
        #body
        let request = crate::client::Request {
            method: reqwest::Method::#method,
            path,
            query,
            headers,
            #per_attempt_fields
            body,
            accept: #accept,
            auth: &[#(#auth),*],
            retry_safe: #retry_safe,
        };
        let response = self.client.execute(&request).await?;
        let status = response.status().as_u16();
        #read_headers
        let body = response.bytes().await.map_err(Error::Transport)?;
        let value = match status {
            #(#success_arms)*
            #no_success
            #(#error_arms)*
            #catch_all
        };
        value.map(|value| crate::client::Response { status, headers, body: value })
    }
}

fn path_expr(emitter: &Emitter, operation: &Operation) -> TokenStream {
    let pushes = operation.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) if text.chars().count() == 1 => {
            let c = text.chars().next().unwrap_or('/');
            quote!(path.push(#c);)
        }
        PathPart::Literal(text) => quote!(path.push_str(#text);),
        PathPart::Param(index) => {
            let param = &operation.params[*index];
            let field = ident(&param.name);
            match emitter.resolve(&param.ty) {
                // Simple style: the items are encoded, the commas between them are not.
                TypeRef::Vec(item) => {
                    let text = emitter.to_text(item, quote!(item));
                    quote! {
                        let items: Vec<String> = self.#field.iter().map(|item| crate::client::path_segment(&#text)).collect();
                        path.push_str(&items.join(","));
                    }
                }
                _ => {
                    let text = emitter.to_text(&param.ty, quote!(self.#field));
                    quote!(path.push_str(&crate::client::path_segment(&#text));)
                }
            }
        }
    });
    quote! {
        let mut path = String::new();
        #(#pushes)*
    }
}

/// `let <target>: Vec<(String, String)> = ...;` for the parameters in
/// `location`, and `let <per_attempt> = ...;` naming those the client fills in
/// on every attempt.
fn pairs(
    emitter: &Emitter,
    operation: &Operation,
    location: ParamLocation,
    target: TokenStream,
    per_attempt: TokenStream,
) -> TokenStream {
    let params: Vec<&Param> = operation.params.iter().filter(|p| p.location == location).collect();
    let has_per_attempt = params.iter().any(|p| p.generated == Some(Generated::PerAttempt));
    let per_attempt_init = if has_per_attempt {
        quote!(let mut #per_attempt: Vec<&'static str> = Vec::new();)
    } else if emitter.generates_per_attempt() && location != ParamLocation::Cookie {
        quote!(let #per_attempt: Vec<&'static str> = Vec::new();)
    } else {
        quote!()
    };
    let pair_type =
        if location == ParamLocation::Query { quote!((String, Vec<String>)) } else { quote!((String, String)) };
    if params.is_empty() {
        return quote! {
            let #target: Vec<#pair_type> = Vec::new();
            #per_attempt_init
        };
    }
    let statements = params.iter().map(|param| {
        let field = ident(&param.name);
        let wire = &param.wire;
        let is_query = location == ParamLocation::Query;
        let push = match emitter.resolve(&param.ty) {
            TypeRef::Vec(item) if is_query && param.explode => {
                let text = emitter.to_text(item, quote!(item));
                quote! {
                    for item in value {
                        #target.push((#wire.to_owned(), vec![#text]));
                    }
                }
            }
            TypeRef::Vec(item) if is_query => {
                let text = emitter.to_text(item, quote!(item));
                quote!(#target.push((#wire.to_owned(), value.iter().map(|item| #text).collect()));)
            }
            _ if is_query => {
                let text = emitter.to_text(&param.ty, quote!(value));
                quote!(#target.push((#wire.to_owned(), vec![#text]));)
            }
            _ => {
                let text = emitter.to_text(&param.ty, quote!(value));
                quote!(#target.push((#wire.to_owned(), #text));)
            }
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
                    None => #per_attempt.push(#wire),
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
    });
    quote! {
        let mut #target: Vec<#pair_type> = Vec::new();
        #per_attempt_init
        #(#statements)*
    }
}
