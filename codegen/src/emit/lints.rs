//! `#[allow]` attributes for the emitted code: each only where its lint would
//! fire, with the reason in the attribute.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[allow(clippy::enum_variant_names)]` with `reason`, when clippy would
/// reject the variant names of enum `name`: a variant starting or ending with
/// the enum's name, or (from three variants on) a first or last word that all
/// variants share. Anything else gets no attribute.
pub fn enum_variant_names(name: &str, variants: &[&str], reason: &str) -> TokenStream {
    if !variant_names_lint(name, variants) {
        return quote!();
    }
    quote!(#[allow(clippy::enum_variant_names, reason = #reason)])
}

fn variant_names_lint(name: &str, variants: &[&str]) -> bool {
    let enum_words = words(name);
    let variant_words: Vec<Vec<&str>> = variants.iter().map(|variant| words(variant)).collect();
    if variant_words.iter().any(|words| words.starts_with(&enum_words) || words.ends_with(&enum_words)) {
        return true;
    }
    let firsts: Vec<Option<&str>> = variant_words.iter().map(|words| words.first().copied()).collect();
    let lasts: Vec<Option<&str>> = variant_words.iter().map(|words| words.last().copied()).collect();
    let shared = |picked: &[Option<&str>]| picked.first().is_some_and(|first| picked.iter().all(|p| p == first));
    variants.len() >= 3 && (shared(&firsts) || shared(&lasts))
}

/// The words of a CamelCase name (`InternalServerError`: `Internal`, `Server`, `Error`).
fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices() {
        if index > 0 && c.is_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::variant_names_lint;

    #[test]
    fn only_names_clippy_rejects_get_the_attribute() {
        assert!(variant_names_lint("Error", &["BadRequest", "InternalServerError"]));
        assert!(variant_names_lint("Error", &["ErrorResponse", "Other"]));
        assert!(!variant_names_lint("Error", &["BadRequest", "Errors", "Transport"]));
        assert!(variant_names_lint("Kind", &["FooBar", "BazBar", "QuxBar"]));
        assert!(variant_names_lint("Kind", &["Foo", "FooBar", "FooBaz"]));
        assert!(!variant_names_lint("Kind", &["FooBar", "BazBar"]));
        assert!(!variant_names_lint("Kind", &["FooBar", "BazBar", "Qux"]));
    }
}
