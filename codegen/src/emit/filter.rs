//! The `filter` module: typed OData `$filter` expressions from the spec's
//! `x-odata-filter` extension. One constructor per field, with only the
//! operators the spec allows for it and values of the field's type; string
//! literals are escaped, so no value can change the expression's structure.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime::Tail;

use super::docs::{code, inner, plain, sanitize};
use super::ident;
use crate::ir::{Filter, FilterField, FilterOperator, FilterType};

/// Rust type of a field's values.
fn value_type(ty: FilterType) -> TokenStream {
    match ty {
        FilterType::String => quote!(impl AsRef<str>),
        FilterType::Integer => quote!(i64),
        FilterType::Number => quote!(f64),
        FilterType::Boolean => quote!(bool),
        FilterType::Date => quote!(chrono::NaiveDate),
        FilterType::DateTime => quote!(chrono::DateTime<chrono::Utc>),
    }
}

/// Code that turns `value` into an OData literal.
fn literal(ty: FilterType) -> TokenStream {
    match ty {
        FilterType::String => quote!(string_literal(value.as_ref())),
        FilterType::Integer | FilterType::Boolean | FilterType::Date => quote!(value.to_string()),
        FilterType::Number => quote!(number_literal(value)),
        FilterType::DateTime => quote!(value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
    }
}

fn type_label(ty: FilterType) -> &'static str {
    match ty {
        FilterType::String => "string",
        FilterType::Integer => "integer",
        FilterType::Number => "number",
        FilterType::Boolean => "boolean",
        FilterType::Date => "date",
        FilterType::DateTime => "date-time",
    }
}

/// The module's tokens: its docs and a constructor per field. The fixed
/// half (the `Filter` type, how filters combine, their text) is the
/// runtime's, placed after them as written.
pub fn filter_module(filter: &Filter, crate_ident: &str, module: &str) -> (TokenStream, Vec<Tail>) {
    let constructors = filter.fields.iter().map(field_items);
    let uses_strings = filter.fields.iter().any(|f| f.ty == FilterType::String);
    let uses_numbers = filter.fields.iter().any(|f| f.ty == FilterType::Number);
    let docs = inner(&module_docs(filter, crate_ident, module));
    let tokens = quote! {
        #docs

        #(#constructors)*
    };
    (tokens, super::runtime::filter_tail(uses_strings, uses_numbers))
}

fn field_items(field: &FilterField) -> TokenStream {
    let constructor = ident(&field.name);
    let type_ident = ident(&field.type_name);
    let wire = &field.wire;
    let operators: Vec<&str> = field.operators.iter().map(|op| op.keyword()).collect();
    let mut doc = format!("`{wire}` ({}): ", type_label(field.ty));
    doc.push_str(
        &field.description.as_deref().map(|d| sanitize(d.trim())).unwrap_or_else(|| "a filter field.".to_owned()),
    );
    doc.push_str(&format!(
        "\n\nOperators: {}.",
        operators.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
    ));
    let docs = plain(&doc);
    let value_type = value_type(field.ty);
    let literal = literal(field.ty);
    let methods = field.operators.iter().map(|operator| {
        let method = ident(operator_method(*operator));
        let keyword = operator.keyword();
        let doc = plain(&code(&format!("{wire} {keyword} <value>")));
        quote! {
            #doc
            pub fn #method(self, value: #value_type) -> Filter {
                Filter::comparison(#wire, #keyword, #literal)
            }
        }
    });
    let constants = field.known_values.iter().map(|known| {
        let name = ident(&known.constant);
        let value = &known.value;
        let doc = plain(&code(value));
        quote!(#doc pub const #name: &'static str = #value;)
    });
    let known_doc = (!field.known_values.is_empty())
        .then(|| plain("\nKnown values are associated constants; the set is not closed, any string is accepted."));
    let type_doc = plain(&format!("The {} field: made by [`{}`].", code(wire), field.name));
    quote! {
        #docs
        pub fn #constructor() -> #type_ident {
            #type_ident(())
        }

        #type_doc
        #known_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct #type_ident(());

        impl #type_ident {
            #(#constants)*
            #(#methods)*
        }
    }
}

fn operator_method(operator: FilterOperator) -> &'static str {
    operator.keyword()
}

/// The module's documentation, with an example that runs as a doctest.
fn module_docs(filter: &Filter, crate_ident: &str, module: &str) -> String {
    let mut text = String::from(
        "Typed `$filter` expressions, from the spec's `x-odata-filter` extension.\n\n\
         Each field has a constructor whose methods are the comparison operators the\n\
         spec allows for it, taking values of the field's type. String values are\n\
         quoted and escaped (`'` is doubled), so no value can change the structure\n\
         of the expression. [`Filter::raw`] is the escape hatch for anything else.",
    );
    if let Some(example) = example(filter, crate_ident, module) {
        text.push_str("\n\n```\n");
        text.push_str(&example);
        text.push_str("```");
    }
    text
}

fn example(filter: &Filter, crate_ident: &str, module: &str) -> Option<String> {
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut uses = vec![format!("use {crate_ident}::{module};")];
    for field in &filter.fields {
        let Some(operator) = field.operators.first() else { continue };
        let type_name = &field.type_name;
        let (value_code, literal) = match field.ty {
            FilterType::String => match field.known_values.first() {
                Some(known) => {
                    uses.push(format!("use {crate_ident}::{module}::{type_name};"));
                    (format!("{type_name}::{}", known.constant), format!("'{}'", known.value.replace('\'', "''")))
                }
                None => ("\"O'Brien\"".to_owned(), "'O''Brien'".to_owned()),
            },
            FilterType::Number => ("2000.5".to_owned(), "2000.5".to_owned()),
            FilterType::Integer => ("42".to_owned(), "42".to_owned()),
            FilterType::Boolean => ("true".to_owned(), "true".to_owned()),
            _ => continue,
        };
        parts.push((
            format!("{module}::{}().{}({value_code})", field.name, operator_method(*operator)),
            format!("{} {} {literal}", field.wire, operator.keyword()),
        ));
        if parts.len() == 2 {
            break;
        }
    }
    let (code, expected) = match parts.as_slice() {
        [] => return None,
        [(code, text)] => (code.clone(), text.clone()),
        [(a, a_text), (b, b_text), ..] => (format!("{a}\n    .and({b})"), format!("{a_text} and {b_text}")),
    };
    uses.sort();
    uses.dedup();
    Some(format!("{}\n\nlet filter = {code};\nassert_eq!(filter.to_string(), {expected:?});\n", uses.join("\n")))
}
