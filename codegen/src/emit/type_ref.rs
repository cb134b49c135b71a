//! Rust types for [`TypeRef`]s.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::TypeRef;

/// How to name a type from the `types` module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside the `types` module: bare names.
    Types,
    /// Anywhere else in the crate: `types::Name`.
    Crate,
}

pub fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::Uri | TypeRef::Base64 => quote!(String),
        TypeRef::Binary => super::runtime::item("FileContent"),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Crate => {
                    super::runtime::note_types();
                    quote!(types::#name)
                }
            }
        }
        TypeRef::Vec(item) => {
            let item = rust_type(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(inner, scope);
            quote!(Option<#inner>)
        }
    }
}

/// Whether values of the type can be compared with `==` only (floats inside).
pub fn mentions(ty: &TypeRef, wanted: &dyn Fn(&TypeRef) -> bool) -> bool {
    if wanted(ty) {
        return true;
    }
    match ty {
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => mentions(inner, wanted),
        _ => false,
    }
}
