//! The crate root: documentation, modules and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{inner, sanitize};
use super::{Emitter, Options};
use crate::ir::ResultField;

pub fn lib_rs(emitter: &Emitter, options: &Options) -> TokenStream {
    let api = emitter.api;
    let mut text = sanitize(&format!("Client for the {} API (version {}).", api.title, api.version));
    let crate_ident = options.crate_name.replace('-', "_");
    if let Some(example) = usage_example(emitter, &crate_ident) {
        text.push_str("\n\n```no_run\n");
        text.push_str(&example);
        text.push_str("```");
    }
    if let Some(description) = api.description.as_deref().filter(|d| !d.trim().is_empty()) {
        text.push_str("\n\n");
        text.push_str(&sanitize(description.trim()));
    }
    text.push_str(&format!("\n\nGenerated from the API's OpenAPI description by `{}`; do not edit.", options.command));
    let docs = inner(&text);
    let client_items = if api.base_url.is_some() {
        quote!(
            pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
        )
    } else {
        quote!(
            pub use client::{Client, ClientBuilder};
        )
    };
    // The crates the public API names, so that users need no matching versions.
    let chrono = api.dependencies.chrono.then(|| {
        quote!(
            /// The `chrono` crate this client's dates and timestamps come from.
            pub use chrono;
        )
    });
    let uuid = (api.dependencies.uuid != crate::ir::UuidUse::None).then(|| {
        quote!(
            /// The `uuid` crate this client's UUIDs come from.
            pub use uuid;
        )
    });
    let filter_modules = emitter.filter_modules().into_iter().map(|(name, _)| {
        let name = super::ident(&name);
        quote!(#[rustfmt::skip] pub mod #name;)
    });
    // An operation's method and builder take the client and every required
    // parameter and body; clippy allows at most seven arguments.
    let most_arguments = api
        .operations
        .iter()
        .map(|op| {
            1 + op.params.iter().filter(|p| p.required).count()
                + usize::from(op.body.as_ref().is_some_and(|b| b.required))
        })
        .max()
        .unwrap_or(0);
    let too_many_arguments = if most_arguments > 7 {
        quote!(#![allow(clippy::too_many_arguments, reason = "operations take every required parameter as an argument")])
    } else {
        quote!()
    };
    quote! {
        #docs
        #![warn(missing_docs)]
        #too_many_arguments

        #[rustfmt::skip]
        pub mod builders;
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod error;
        #(#filter_modules)*
        #[rustfmt::skip]
        pub mod types;

        // In rustfmt's order, so that `cargo fmt` leaves the file as generated.
        #chrono
        #client_items
        pub use error::Error;
        /// The `reqwest` crate this client sends requests with (for [`ClientBuilder::http_client`]).
        pub use reqwest;
        /// The `serde_json` crate of this client's free-form JSON values and decode errors.
        pub use serde_json;
        #uuid
    }
}

/// A short program for the crate documentation: start the first long-running
/// operation (with a filter when it takes one), wait, print the outcome.
fn usage_example(emitter: &Emitter, crate_ident: &str) -> Option<String> {
    let api = emitter.api;
    let operation = api.operations.iter().find(|op| {
        op.long_running.is_some()
            && op.body.as_ref().is_none_or(|b| !b.required)
            && op.params.iter().all(|p| !p.required)
    })?;
    let long_running = operation.long_running.as_ref()?;
    let credentials = &emitter.api.auth;
    let bearer: Vec<_> =
        credentials.iter().filter(|c| matches!(c.scheme, crate::ir::AuthScheme::Bearer { .. })).collect();
    let mut uses = vec![format!("use {crate_ident}::Client;"), format!("use {crate_ident}::client::Polling;")];
    let construct = match (&api.base_url, bearer.as_slice()) {
        (Some(_), [_]) => "let client = Client::new(\"<access token>\")?;".to_owned(),
        (Some(_), _) => "let client = Client::builder().build()?;".to_owned(),
        (None, _) => "let client = Client::builder().base_url(\"https://api.example.com\").build()?;".to_owned(),
    };
    let mut call = format!("let result = client\n    .{}()", operation.name);
    if let Some(param) = operation.params.iter().find(|p| p.filter.is_some()) {
        let module = emitter.filter_module_of(param)?;
        let filter = param.filter.as_ref()?;
        let field =
            filter.fields.iter().find(|f| f.ty == crate::ir::FilterType::String && !f.known_values.is_empty())?;
        let operator = field.operators.first()?.keyword();
        let type_name = &field.type_name;
        let constant = &field.known_values.first()?.constant;
        uses.push(format!("use {crate_ident}::{module}::{{self, {type_name}}};"));
        call.push_str(&format!(
            "\n    .{}({module}::{}().{operator}({type_name}::{constant}))",
            param.name, field.name
        ));
    }
    call.push_str("\n    .send_and_wait(Polling::default())\n    .await?;");
    let downloads = long_running.result_field.as_ref().is_some_and(|result| {
        api.download_links.iter().any(|link| {
            long_running.resource_type == crate::ir::TypeRef::Named(link.type_name.clone()) && link.field == result.name
        })
    });
    let print = match &long_running.result_field {
        // The outcome is a download link: fetch the file.
        Some(ResultField { name, .. }) if downloads => format!(
            "let bytes = client.download(&result.{name}).to_file(\"export.download\").await?;\nprintln!(\"{{bytes}} bytes\");"
        ),
        Some(ResultField { name, optional: false, text: true }) => format!("println!(\"{{}}\", result.{name});"),
        Some(ResultField { name, optional: true, text: true }) => {
            format!("println!(\"{{}}\", result.{name}.as_deref().unwrap_or_default());")
        }
        Some(ResultField { name, text: false, .. }) => format!("println!(\"{{:?}}\", result.{name});"),
        None => "println!(\"{result:?}\");".to_owned(),
    };
    uses.sort();
    Some(format!(
        "# async fn run() -> Result<(), {crate_ident}::Error> {{\n{}\n\n{construct}\n{call}\n{print}\n# Ok(())\n# }}\n",
        uses.join("\n")
    ))
}
