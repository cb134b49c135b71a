//! `tests/examples.rs` of the emitted crate: every JSON example in the spec
//! becomes a test that decodes it into the generated type and checks that
//! encoding and decoding again gives the same value.

use std::str::FromStr;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, plain};
use super::type_ref::{Scope, rust_type};
use super::{Emitter, ident};
use crate::ir::TypeRef;

/// The test file, or `None` when the spec has no JSON examples.
pub fn examples_test(emitter: &Emitter, crate_ident: &str) -> Option<TokenStream> {
    let examples = &emitter.api.examples;
    if examples.is_empty() {
        return None;
    }
    let crate_name = ident(crate_ident);
    let uses_types = examples.iter().any(|e| mentions_named(&e.ty));
    let use_types = if uses_types { quote!(use #crate_name::types;) } else { quote!() };
    let deprecated = if super::types::any_deprecated(&emitter.api.types) {
        quote!(#![allow(deprecated, reason = "the examples decode into types the spec deprecates")])
    } else {
        quote!()
    };
    let tests = examples.iter().map(|example| {
        let name = ident(&example.name);
        let ty = rust_type(&example.ty, Scope::Crate);
        let doc = plain(&format!("The example at {}.", code(&example.origin.to_string())));
        let json = raw_string(&serde_json::to_string_pretty(&example.json).unwrap_or_default());
        quote! {
            #doc
            #[test]
            fn #name() {
                let json = #json;
                let decoded: #ty = serde_json::from_str(json).expect("the spec's example decodes");
                let encoded = serde_json::to_value(&decoded).expect("the decoded example encodes");
                let again: #ty = serde_json::from_value(encoded).expect("the encoded example decodes");
                assert_eq!(decoded, again);
            }
        }
    });
    Some(quote! {
        //! The spec's examples, decoded into the generated types.

        #[rustfmt::skip]
        mod examples {
            #deprecated
            #use_types

            #(#tests)*
        }
    })
}

fn mentions_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => mentions_named(inner),
        _ => false,
    }
}

/// A raw string literal holding `text`, with enough `#`s to enclose it.
fn raw_string(text: &str) -> Literal {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    Literal::from_str(&format!("r{fence}\"{text}\"{fence}")).unwrap_or_else(|_| Literal::string(text))
}
