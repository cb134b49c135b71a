//! The `types` module: one Rust type per schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, plain};
use super::ident;
use super::type_ref::{Scope, rust_type};
use crate::ir::{Enum, EnumRepr, Field, Struct, TypeDef, TypeKind, Union};

pub fn types_module(types: &[TypeDef]) -> TokenStream {
    let items = types.iter().map(type_def);
    let deprecated = if any_deprecated(types) {
        quote!(#![allow(deprecated, reason = "the spec deprecates some schemas; the derives here still use them")])
    } else {
        quote!()
    };
    quote! {
        //! Data types from the spec's schemas.
        #deprecated
        #![allow(
            clippy::large_enum_variant,
            clippy::enum_variant_names,
            reason = "variants hold the spec's schemas and are named after its values, as they are"
        )]

        #(#items)*
    }
}

/// Whether the spec deprecates any schema, property or enum value.
pub fn any_deprecated(types: &[TypeDef]) -> bool {
    types.iter().any(|def| {
        def.docs.deprecated
            || match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| f.docs.deprecated),
                TypeKind::Enum(e) => e.variants.iter().any(|v| v.docs.deprecated),
                TypeKind::Union(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => false,
            }
    })
}

fn type_def(def: &TypeDef) -> TokenStream {
    let fallback = format!("`{}` in the spec.", def.origin);
    let docs = doc_attrs(&def.docs, &fallback);
    let deprecated = if def.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(fields) => struct_def(&name, fields, docs, deprecated),
        TypeKind::Enum(enumeration) => enum_def(&name, enumeration, docs, deprecated),
        TypeKind::Union(union) => union_def(&name, union, docs, deprecated),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, Scope::Types);
            quote! {
                #docs
                #deprecated
                pub type #name = #ty;
            }
        }
        TypeKind::Newtype(ty) => {
            let ty = rust_type(ty, Scope::Types);
            quote! {
                #docs
                #deprecated
                #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

fn struct_def(name: &proc_macro2::Ident, fields: &Struct, docs: TokenStream, deprecated: TokenStream) -> TokenStream {
    let all_optional = fields.fields.iter().all(|f| !f.required || f.nullable || f.read_only)
        && !fields.fields.iter().any(|f| f.flatten);
    let default = if all_optional { quote!(Default,) } else { quote!() };
    let field_tokens = fields.fields.iter().map(field);
    let additional = fields.additional.as_ref().map(|extra| {
        let ty = rust_type(&extra.ty, Scope::Types);
        let name = ident(&extra.field);
        quote! {
            /// Properties beyond the ones the spec names.
            #[serde(flatten)]
            pub #name: std::collections::BTreeMap<String, #ty>,
        }
    });
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, #default PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#field_tokens)*
            #additional
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let wire = &field.wire;
    if field.flatten {
        let ty = rust_type(&field.ty, Scope::Types);
        let ty = if field.boxed { quote!(Box<#ty>) } else { ty };
        let docs = doc_attrs(&field.docs, "Fields of one of several variants.");
        return quote! {
            #docs
            #[serde(flatten)]
            pub #name: #ty,
        };
    }
    let rename = if field.name != field.wire { quote!(#[serde(rename = #wire)]) } else { quote!() };
    let mut ty = rust_type(&field.ty, Scope::Types);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    let mut fallback = format!("`{wire}`");
    if field.read_only {
        fallback.push_str(" (read-only: set by the server)");
    }
    let docs = doc_attrs(&field.docs, &fallback);
    let default_note = field.default.as_ref().filter(|_| !field.required).map(|default| {
        let text = match default {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        plain(&format!("\nWhen absent, the server assumes `{}`.", text.replace('`', "'")))
    });
    let read_only = if field.read_only && field.docs.description.is_some() {
        plain("\nRead-only: set by the server.")
    } else {
        quote!()
    };
    let deprecated = if field.docs.deprecated { quote!(#[deprecated]) } else { quote!() };
    // A read-only field is set by the server: requests cannot supply it, so it is
    // optional even when the spec requires it in responses.
    let required = field.required && !field.read_only;
    let (ty, serde) = match (required, field.nullable) {
        (true, false) => (ty, quote!()),
        // Required but nullable: sent as `null`, and tolerated when missing.
        (true, true) => (quote!(Option<#ty>), quote!(#[serde(default)])),
        (false, _) => (quote!(Option<#ty>), quote!(#[serde(default, skip_serializing_if = "Option::is_none")])),
    };
    quote! {
        #docs
        #default_note
        #read_only
        #deprecated
        #rename
        #serde
        pub #name: #ty,
    }
}

fn enum_def(name: &proc_macro2::Ident, enumeration: &Enum, docs: TokenStream, deprecated: TokenStream) -> TokenStream {
    let unknown = ident(&enumeration.unknown);
    // The catch-all variant's doc says the set is open, and how values match.
    let unknown_doc = plain(if enumeration.ignore_case {
        "A value the spec does not list, kept as received; listed values match in any ASCII case."
    } else {
        "A value the spec does not list, kept as it was received."
    });
    let variants = enumeration.variants.iter().map(|variant| {
        let fallback = format!("`{}`", variant.wire);
        let docs = doc_attrs(&variant.docs, &fallback);
        let variant = ident(&variant.name);
        quote!(#docs #variant,)
    });
    let default_impl = enumeration.default.and_then(|index| enumeration.variants.get(index)).map(|variant| {
        let variant_name = ident(&variant.name);
        let doc = plain(&format!("{}, the spec's default.", code(&variant.wire)));
        quote! {
            impl Default for #name {
                #doc
                fn default() -> Self {
                    Self::#variant_name
                }
            }
        }
    });
    let tokens = match enumeration.repr {
        EnumRepr::String => {
            let to_wire = enumeration.variants.iter().map(|variant| {
                let name = ident(&variant.name);
                let wire = &variant.wire;
                quote!(Self::#name => #wire,)
            });
            let listed = enumeration.variants.iter().map(|variant| ident(&variant.name));
            let count = proc_macro2::Literal::usize_unsuffixed(enumeration.variants.len());
            let string_enum = super::runtime::item("string_enum");
            quote! {
                #docs
                #deprecated
                #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
                #[serde(from = "String")]
                pub enum #name {
                    #(#variants)*
                    #unknown_doc
                    #unknown(String),
                }

                impl #name {
                    /// The values the spec lists.
                    pub const LISTED: [Self; #count] = [#(Self::#listed),*];

                    /// The value as it is written on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#to_wire)*
                            Self::#unknown(value) => value,
                        }
                    }
                }

                #string_enum!(#name, #unknown);
            }
        }
        EnumRepr::Integer => {
            let to_wire = enumeration.variants.iter().map(|variant| {
                let name = ident(&variant.name);
                let wire = integer_literal(&variant.wire);
                quote!(Self::#name => #wire,)
            });
            let from_wire = enumeration.variants.iter().map(|variant| {
                let name = ident(&variant.name);
                let wire = integer_literal(&variant.wire);
                quote!(#wire => Self::#name,)
            });
            let integer_enum = super::runtime::item("integer_enum");
            quote! {
                #docs
                #deprecated
                #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
                #[serde(from = "i64")]
                pub enum #name {
                    #(#variants)*
                    #unknown_doc
                    #unknown(i64),
                }

                impl #name {
                    /// The value as it is written on the wire.
                    pub fn as_i64(self) -> i64 {
                        match self {
                            #(#to_wire)*
                            Self::#unknown(value) => value,
                        }
                    }
                }

                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #(#from_wire)*
                            other => Self::#unknown(other),
                        }
                    }
                }

                #integer_enum!(#name);
            }
        }
    };
    quote!(#tokens #default_impl)
}

/// Integer enum values were read from JSON integers, so they parse; anything
/// else falls back to zero rather than panicking.
fn integer_literal(wire: &str) -> proc_macro2::Literal {
    proc_macro2::Literal::i64_unsuffixed(wire.parse().unwrap_or_default())
}

fn union_def(name: &proc_macro2::Ident, union: &Union, docs: TokenStream, deprecated: TokenStream) -> TokenStream {
    let variant_type = |variant: &crate::ir::UnionVariant| {
        let ty = rust_type(&variant.ty, Scope::Types);
        if variant.boxed { quote!(Box<#ty>) } else { ty }
    };
    let Some(tag) = &union.discriminator else {
        let variants = union.variants.iter().map(|variant| {
            let variant_name = ident(&variant.name);
            let ty = variant_type(variant);
            let doc = plain(&format!("A value of the `{}` variant.", variant.name));
            quote!(#doc #variant_name(#ty),)
        });
        return quote! {
            #docs
            #deprecated
            ///
            /// The first variant that the value fits is chosen.
            #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        };
    };
    let unknown = ident(&union.unknown);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = variant_type(variant);
        let tags = variant.tags.iter().map(|tag| code(tag)).collect::<Vec<_>>().join(", ");
        let doc = plain(&format!("{} is {tags}.", code(tag)));
        quote!(#doc #variant_name(#ty),)
    });
    let arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let tags = &variant.tags;
        let wrap = if variant.boxed {
            quote!(|value| Self::#variant_name(Box::new(value)))
        } else {
            quote!(Self::#variant_name)
        };
        quote! {
            Some(#(#tags)|*) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),
        }
    });
    let serialize_arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        quote!(Self::#variant_name(value) => value.serialize(serializer),)
    });
    let tag_doc = plain(&format!("\nThe {} property says which variant a value is.", code(tag)));
    quote! {
        #docs
        #deprecated
        #tag_doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A value whose tag the spec does not list, kept as it was received.
            #unknown(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }
    }
}
