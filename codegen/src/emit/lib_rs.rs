//! The crate root: documentation, modules and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{inner, sanitize};
use super::{Emitter, Options};

pub fn lib_rs(emitter: &Emitter, options: &Options) -> TokenStream {
    let api = emitter.api;
    let mut text = sanitize(&format!("Client for the {} API (version {}).", api.title, api.version));
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
    let filter_modules = emitter.filter_modules().into_iter().map(|(name, _)| {
        let name = super::ident(&name);
        quote!(#[rustfmt::skip] pub mod #name;)
    });
    quote! {
        #docs
        #![allow(clippy::too_many_arguments)]

        #[rustfmt::skip]
        pub mod builders;
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod error;
        #(#filter_modules)*
        #[rustfmt::skip]
        pub mod types;

        #client_items
        pub use error::Error;
    }
}
