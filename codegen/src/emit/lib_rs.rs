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
    text.push_str(&format!(
        "\n\nGenerated from the API's OpenAPI description by `{}`; do not edit.",
        options.command
    ));
    let docs = inner(&text);
    let default_base_url = if api.base_url.is_some() { quote!(pub use client::DEFAULT_BASE_URL;) } else { quote!() };
    quote! {
        #docs
        #![allow(clippy::too_many_arguments)]

        pub mod builders;
        pub mod client;
        pub mod error;
        pub mod types;

        pub use client::{Client, ClientBuilder};
        #default_base_url
        pub use error::Error;
    }
}
