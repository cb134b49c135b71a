//! Doc attributes of several lines become one attribute per line, which
//! prettyplease prints as `///` (or `//!`) lines instead of a `/** */` block.
//! Rustdoc joins consecutive doc attributes with line breaks, so the
//! documentation is the same.
//!
//! This is the syntax-tree half: the attributes of items (at any depth of
//! modules, impls, traits and extern blocks), fields and variants, where the
//! emitter puts docs. [`may_hold_unsplit_docs`] tells from the printed text
//! whether a doc elsewhere was missed, and `format.rs` then splits the tokens.

use proc_macro2::Span;
use syn::{AttrStyle, Attribute, Expr, ExprLit, Fields, ForeignItem, ImplItem, Item, Lit, Meta, TraitItem};

/// Splits every multi-line doc attribute of the file's items, fields and variants.
pub fn split(file: &mut syn::File) {
    attrs(&mut file.attrs);
    items(&mut file.items);
}

/// Whether printed text may hold a doc that was not split: prettyplease
/// prints a doc holding a line break as a block comment, or, when it cannot
/// be one, as an attribute. Either text anywhere (even in a string) says
/// "maybe", which only costs a second formatting.
pub fn may_hold_unsplit_docs(printed: &str) -> bool {
    ["/**", "/*!", "#[doc", "#![doc"].iter().any(|text| printed.contains(text))
}

/// Whether a literal as written may hold a line break: written as itself, or
/// behind a backslash (`\n`, `\u{a}`, ...).
pub fn may_break_lines(written: &str) -> bool {
    written.contains(['\\', '\n', '\r'])
}

/// The doc lines of `text`, each starting with a space when any does not
/// (so `///` is followed by a space, and the lines keep their indentation
/// relative to each other).
pub fn lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let indent = lines.iter().any(|line| !line.is_empty() && !line.starts_with(' '));
    lines
        .into_iter()
        .map(|line| if indent && !line.is_empty() { format!(" {line}") } else { line.to_owned() })
        .collect()
}

fn items(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Struct(item) => {
                attrs(&mut item.attrs);
                fields(&mut item.fields);
            }
            Item::Enum(item) => {
                attrs(&mut item.attrs);
                for variant in item.variants.iter_mut() {
                    attrs(&mut variant.attrs);
                    fields(&mut variant.fields);
                }
            }
            Item::Union(item) => {
                attrs(&mut item.attrs);
                for field in item.fields.named.iter_mut() {
                    attrs(&mut field.attrs);
                }
            }
            Item::Mod(item) => {
                attrs(&mut item.attrs);
                if let Some((_, content)) = &mut item.content {
                    self::items(content);
                }
            }
            Item::Impl(item) => {
                attrs(&mut item.attrs);
                for member in &mut item.items {
                    match member {
                        ImplItem::Const(member) => attrs(&mut member.attrs),
                        ImplItem::Fn(member) => attrs(&mut member.attrs),
                        ImplItem::Type(member) => attrs(&mut member.attrs),
                        ImplItem::Macro(member) => attrs(&mut member.attrs),
                        _ => {}
                    }
                }
            }
            Item::Trait(item) => {
                attrs(&mut item.attrs);
                for member in &mut item.items {
                    match member {
                        TraitItem::Const(member) => attrs(&mut member.attrs),
                        TraitItem::Fn(member) => attrs(&mut member.attrs),
                        TraitItem::Type(member) => attrs(&mut member.attrs),
                        TraitItem::Macro(member) => attrs(&mut member.attrs),
                        _ => {}
                    }
                }
            }
            Item::ForeignMod(item) => {
                attrs(&mut item.attrs);
                for member in &mut item.items {
                    match member {
                        ForeignItem::Fn(member) => attrs(&mut member.attrs),
                        ForeignItem::Static(member) => attrs(&mut member.attrs),
                        ForeignItem::Type(member) => attrs(&mut member.attrs),
                        ForeignItem::Macro(member) => attrs(&mut member.attrs),
                        _ => {}
                    }
                }
            }
            Item::Const(item) => attrs(&mut item.attrs),
            Item::ExternCrate(item) => attrs(&mut item.attrs),
            Item::Fn(item) => attrs(&mut item.attrs),
            Item::Macro(item) => attrs(&mut item.attrs),
            Item::Static(item) => attrs(&mut item.attrs),
            Item::TraitAlias(item) => attrs(&mut item.attrs),
            Item::Type(item) => attrs(&mut item.attrs),
            Item::Use(item) => attrs(&mut item.attrs),
            _ => {}
        }
    }
}

fn fields(fields: &mut Fields) {
    for field in fields.iter_mut() {
        attrs(&mut field.attrs);
    }
}

/// Replaces each multi-line doc attribute by one attribute per line, in place.
fn attrs(attrs: &mut Vec<Attribute>) {
    if !attrs.iter().any(|attr| doc_text(attr).is_some()) {
        return;
    }
    let mut split = Vec::with_capacity(attrs.len() + 4);
    for attr in attrs.drain(..) {
        match doc_text(&attr) {
            Some(text) => split.extend(lines(&text).iter().map(|line| doc_attr(&attr, line))),
            None => split.push(attr),
        }
    }
    *attrs = split;
}

/// The text of a `doc = "..."` attribute when it holds a line break.
fn doc_text(attr: &Attribute) -> Option<String> {
    let Meta::NameValue(pair) = &attr.meta else { return None };
    let Expr::Lit(ExprLit { lit: Lit::Str(literal), attrs }) = &pair.value else { return None };
    if !attrs.is_empty() || !pair.path.is_ident("doc") || !may_break_lines(&literal.token().to_string()) {
        return None;
    }
    let text = literal.value();
    text.contains('\n').then_some(text)
}

/// A doc attribute of the same style as `like`, holding `line`.
fn doc_attr(like: &Attribute, line: &str) -> Attribute {
    let span = Span::call_site();
    let value = Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Str(syn::LitStr::new(line, span)) });
    Attribute {
        pound_token: Default::default(),
        style: match like.style {
            AttrStyle::Outer => AttrStyle::Outer,
            AttrStyle::Inner(_) => AttrStyle::Inner(Default::default()),
        },
        bracket_token: Default::default(),
        meta: Meta::NameValue(syn::MetaNameValue {
            path: syn::Path::from(syn::Ident::new("doc", span)),
            eq_token: Default::default(),
            value,
        }),
    }
}
