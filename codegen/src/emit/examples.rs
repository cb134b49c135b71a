//! `tests/examples.rs` of the emitted crate: every JSON example in the spec
//! becomes a test that decodes it into the generated type and checks that
//! encoding and decoding again gives the same value.

use std::str::FromStr;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, plain};
use super::type_ref::{Scope, rust_type};
use super::{Emitter, ident};
use crate::ir::{BodyKind, StatusKey, TypeRef};
use crate::names::{self, Namespace};

struct Example<'a> {
    name: String,
    origin: String,
    ty: TypeRef,
    json: &'a serde_json::Value,
}

fn collect<'a>(emitter: &'a Emitter) -> Vec<Example<'a>> {
    let mut test_names = Namespace::new();
    let mut examples = Vec::new();
    for operation in &emitter.api.operations {
        for response in &operation.responses {
            let BodyKind::Json(ty) = &response.body else { continue };
            let status = match response.status {
                StatusKey::Code(code) => code.to_string(),
                StatusKey::Range(class) => format!("{class}xx"),
                StatusKey::Default => "default".to_owned(),
            };
            for json in &response.examples {
                examples.push(Example {
                    name: test_names.claim(names::snake_name(&format!("{} {status} example", operation.name))),
                    origin: response.origin.to_string(),
                    ty: ty.clone(),
                    json,
                });
            }
        }
    }
    for def in &emitter.api.types {
        for json in &def.examples {
            examples.push(Example {
                name: test_names.claim(names::snake_name(&format!("{} example", def.name))),
                origin: def.origin.to_string(),
                ty: TypeRef::Named(def.name.clone()),
                json,
            });
        }
    }
    examples
}

/// The test file, or `None` when the spec has no JSON examples.
pub fn examples_test(emitter: &Emitter, crate_ident: &str) -> Option<TokenStream> {
    let examples = collect(emitter);
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
        let json = raw_string(&serde_json::to_string_pretty(example.json).unwrap_or_default());
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
