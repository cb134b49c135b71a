//! The crate's own `macro_rules!` macros of one rule taking identifiers
//! (`($name:ident)`, `($name:ident, $other:ident)`), expanded so that what an invocation defines is listed like written items:
//! `string_enum!(Status);` implements `Display` for `Status`, and the listing
//! says so. Other macros are not expanded; what they define is not listed.

use std::collections::BTreeMap;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::Item;

/// Definitions by macro name. A name defined twice is left out: which one
/// an invocation means would take name resolution to tell.
#[derive(Default)]
pub(super) struct Macros(BTreeMap<String, Option<Expandable>>);

/// A listable rule as found in one file: plain text, so that files can be
/// read on any thread (tokens cannot cross threads).
pub(super) struct Definition {
    name: String,
    rule: Option<(Vec<String>, String)>,
}

struct Rule {
    /// The names of the rule's `$name:ident` parameters, in order.
    params: Vec<String>,
    body: TokenStream,
}

/// A rule ready to expand, as text (with its functions' blocks emptied), so
/// that the definitions are parsed once and shared by every thread (tokens
/// cannot cross threads); an expansion lexes it again.
struct Expandable {
    params: Vec<String>,
    body: String,
}

/// An invocation of a macro by its name, with its identifier arguments
/// (`None` when its body is not a list of identifiers).
pub(super) struct Invocation {
    name: String,
    arguments: Option<Vec<String>>,
}

impl Invocation {
    pub(super) fn of(invocation: &syn::Macro) -> Option<Self> {
        let name = invocation.path.segments.last()?.ident.to_string();
        let arguments = invocation
            .parse_body_with(syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated)
            .ok()
            .map(|arguments| arguments.iter().map(ToString::to_string).collect());
        Some(Self { name, arguments })
    }
}

/// Every listable definition in `items`, public modules or not: a public
/// type may get its impls from a macro defined in a private one.
pub(super) fn definitions(items: &[Item]) -> Vec<Definition> {
    let mut found = Vec::new();
    collect(items, &mut found);
    found
}

fn collect(items: &[Item], found: &mut Vec<Definition>) {
    for item in items {
        match item {
            Item::Macro(item) if item.mac.path.is_ident("macro_rules") => {
                let Some(name) = &item.ident else { continue };
                let rule = single_rule(item.mac.tokens.clone()).map(|rule| (rule.params, rule.body.to_string()));
                found.push(Definition { name: name.to_string(), rule });
            }
            Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect(items, found);
                }
            }
            _ => {}
        }
    }
}

/// The macros of Rust sources known before any file is read (the
/// runtime's), parsed once for every thread, when an invocation first needs
/// them or when [`KnownMacros::prepare`] says so.
#[derive(Default)]
pub struct KnownMacros {
    sources: Vec<&'static str>,
    parsed: std::sync::OnceLock<Macros>,
}

impl KnownMacros {
    pub fn new(sources: impl IntoIterator<Item = &'static str>) -> Self {
        Self { sources: sources.into_iter().collect(), parsed: std::sync::OnceLock::new() }
    }

    /// Parses the definitions now rather than when a file first invokes one.
    pub fn prepare(&self) {
        self.get();
    }

    /// The definitions (a source that does not parse adds none).
    pub(super) fn get(&self) -> &Macros {
        self.parsed.get_or_init(|| {
            let mut macros = Macros::default();
            for source in &self.sources {
                if let Ok(file) = syn::parse_file(source) {
                    macros.add(definitions(&file.items));
                }
            }
            macros
        })
    }
}

impl Macros {
    /// Adds definitions; a name met twice is no longer expanded.
    pub(super) fn add(&mut self, definitions: Vec<Definition>) {
        for Definition { name, rule } in definitions {
            // The body was printed from tokens, so it lexes again.
            let rule = rule.and_then(|(params, body)| {
                Some(Expandable { params, body: without_fn_bodies(body.parse().ok()?).to_string() })
            });
            self.0.entry(name).and_modify(|known| *known = None).or_insert(rule);
        }
    }

    /// The items an invocation such as `path::name!(Type)` defines, when
    /// `name` is one of the crate's listable macros.
    pub(super) fn expand(&self, invocation: &Invocation) -> Option<Vec<Item>> {
        let rule = self.0.get(&invocation.name)?.as_ref()?;
        let arguments = invocation.arguments.as_ref()?;
        if arguments.len() != rule.params.len() {
            return None;
        }
        let arguments: Vec<syn::Ident> = arguments.iter().map(|argument| ident(argument)).collect::<Option<_>>()?;
        let bound: Vec<(&str, &syn::Ident)> = rule.params.iter().map(String::as_str).zip(arguments.iter()).collect();
        let expanded = substitute(rule.body.parse().ok()?, &bound);
        syn::parse2::<syn::File>(expanded).ok().map(|file| file.items)
    }
}

/// An identifier as printed (`name` or `r#name`) back into one.
fn ident(text: &str) -> Option<syn::Ident> {
    syn::parse_str(text).ok()
}

/// `($name:ident) => { body }`, the only shape expanded.
fn single_rule(tokens: TokenStream) -> Option<Rule> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let (pattern, arrow_1, arrow_2, body) = match trees.as_slice() {
        [TokenTree::Group(pattern), TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Group(body)] => {
            (pattern, a, b, body)
        }
        [
            TokenTree::Group(pattern),
            TokenTree::Punct(a),
            TokenTree::Punct(b),
            TokenTree::Group(body),
            TokenTree::Punct(semi),
        ] if semi.as_char() == ';' => (pattern, a, b, body),
        _ => return None,
    };
    if arrow_1.as_char() != '=' || arrow_2.as_char() != '>' {
        return None;
    }
    // `$a:ident` parameters separated by commas.
    let pattern: Vec<TokenTree> = pattern.stream().into_iter().collect();
    let mut params = Vec::new();
    for (index, chunk) in pattern.chunks(5).enumerate() {
        let (dollar, param, colon, kind) = match chunk {
            [TokenTree::Punct(d), TokenTree::Ident(p), TokenTree::Punct(c), TokenTree::Ident(k)] => (d, p, c, k),
            [
                TokenTree::Punct(d),
                TokenTree::Ident(p),
                TokenTree::Punct(c),
                TokenTree::Ident(k),
                TokenTree::Punct(comma),
            ] if comma.as_char() == ',' => (d, p, c, k),
            _ => return None,
        };
        if dollar.as_char() != '$' || colon.as_char() != ':' || kind != "ident" || index != params.len() {
            return None;
        }
        params.push(param.to_string());
    }
    if params.is_empty() {
        return None;
    }
    Some(Rule { params, body: body.stream() })
}

/// The tokens with every function's block emptied: the listing reads
/// signatures only, and blocks are most of a rule's tokens, which every
/// invocation would otherwise substitute into and parse. A function is `fn`
/// before a name (not a `fn(..)` pointer type); its block is the first
/// brace group after that at the same depth, unless a `;` ends it first.
fn without_fn_bodies(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    let mut in_signature = false;
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(word) if word == "fn" => {
                in_signature = matches!(trees.peek(), Some(TokenTree::Ident(_)))
                    || matches!(trees.peek(), Some(TokenTree::Punct(dollar)) if dollar.as_char() == '$');
                out.push(TokenTree::Ident(word));
            }
            TokenTree::Group(group) if in_signature && group.delimiter() == Delimiter::Brace => {
                in_signature = false;
                let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
                empty.set_span(group.span());
                out.push(TokenTree::Group(empty));
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), without_fn_bodies(group.stream()));
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            TokenTree::Punct(punct) if punct.as_char() == ';' => {
                in_signature = false;
                out.push(TokenTree::Punct(punct));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The body with every `$param` replaced by its argument.
fn substitute(body: TokenStream, bound: &[(&str, &syn::Ident)]) -> TokenStream {
    let mut out = Vec::new();
    let mut trees = body.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(dollar) if dollar.as_char() == '$' => {
                let argument = match trees.peek() {
                    Some(TokenTree::Ident(name)) => bound.iter().find(|(param, _)| name == param).map(|(_, a)| *a),
                    _ => None,
                };
                match argument {
                    Some(argument) => {
                        trees.next();
                        out.push(TokenTree::Ident(argument.clone()));
                    }
                    None => out.push(TokenTree::Punct(dollar)),
                }
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), substitute(group.stream(), bound));
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> TokenStream {
        text.parse().unwrap()
    }

    #[test]
    fn function_blocks_are_emptied_and_nothing_else() {
        let rule = "impl A { pub fn f(&self, g: fn(u8) -> u8) -> u8 { let x = { 1 }; x } fn g(); const C: u8 = { 2 }; }
                    impl B for fn(u8) { fn h() { h() } }
                    fn $name<T>(t: T) where T: Clone { t; }";
        let expected = "impl A { pub fn f(&self, g: fn(u8) -> u8) -> u8 {} fn g(); const C: u8 = { 2 }; }
                        impl B for fn(u8) { fn h() {} }
                        fn $name<T>(t: T) where T: Clone {}";
        assert_eq!(without_fn_bodies(tokens(rule)).to_string(), tokens(expected).to_string());
    }
}
