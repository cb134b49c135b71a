//! Blank lines between items, as rust-analyzer's reformat step and people put
//! them; prettyplease prints none.
//!
//! The syntax tree decides where: before every item of a file, an inline
//! module, an `impl`, a trait or an `extern` block except the first (and the
//! first too when inner attributes such as `//!` docs come before it), but not
//! between `use` declarations of one group or between `mod name;` lines.
//! Nothing inside function bodies changes. Each chosen item gets a marker doc
//! line first, which prettyplease prints on a line of its own; the marker
//! lines then become empty lines.

use proc_macro2::Span;
use syn::{AttrStyle, Attribute, ForeignItem, ImplItem, Item, TraitItem, UseTree};

/// prettyplease's text for `file`, with a blank line between items. The
/// markers are taken out of `file` again before returning.
#[cfg(test)]
pub fn unparse(file: &mut syn::File) -> String {
    unparse_after(file, &mut Before::Start)
}

/// What comes before a file's items: nothing, or the items printed so far
/// (a file printed in parts, see `format::rust_file`).
#[derive(Clone)]
pub enum Before {
    Start,
    Item(Option<Group>),
}

/// Like [`unparse`], for `file` holding the items that follow `before` (its
/// inner attributes, if any, are the whole file's); `before` is then its last
/// item.
pub fn unparse_after(file: &mut syn::File, before: &mut Before) -> String {
    // The marker must be found nowhere else in the file, so that no line of a
    // string literal can be taken for a marker line. Every identifier and
    // literal is printed as written (escapes never touch `_` or letters), so
    // the printed text holds the marker once per inserted marker exactly when
    // the file holds none: one print, instead of printing the tokens first.
    let mut marker = "__blank_line__".to_owned();
    let first = match before {
        Before::Start => First::Blank(has_inner(&file.attrs)),
        Before::Item(group) => First::After(group.take()),
    };
    loop {
        let mut inserted = 0;
        walk_items(&mut file.items, &first, &mut |attrs| {
            attrs.insert(0, marker_attr(&marker));
            inserted += 1;
        });
        let printed = prettyplease::unparse(file);
        walk_items(&mut file.items, &first, &mut |attrs| {
            attrs.remove(0);
        });
        if printed.matches(marker.as_str()).count() == inserted {
            *before = match file.items.last() {
                Some(last) => Before::Item(group_of(last)),
                None => Before::Item(match first {
                    First::After(group) => group,
                    First::Blank(_) => None,
                }),
            };
            return without_marker_lines(&printed, &marker);
        }
        marker.push('_');
    }
}

/// Whether the first of a list of items gets a blank line before it: said
/// outright (at the start of a module), or by the item before it.
enum First {
    Blank(bool),
    After(Option<Group>),
}

/// `printed` with each marker line made empty.
fn without_marker_lines(printed: &str, marker: &str) -> String {
    let marker_line = format!("///{marker}");
    let mut text = String::with_capacity(printed.len() + printed.len() / 16);
    for line in printed.lines() {
        if line.trim_start() != marker_line {
            text.push_str(line);
        }
        text.push('\n');
    }
    text
}

/// Calls `visit` with the attributes of every item that gets a blank line
/// before it. The choice does not depend on attributes, so a second walk
/// visits the same items as the first.
fn walk_items(items: &mut [Item], first: &First, visit: &mut dyn FnMut(&mut Vec<Attribute>)) {
    let mut previous: Option<Group> = None;
    for (index, item) in items.iter_mut().enumerate() {
        let group = group_of(item);
        let blank = match (&previous, &group) {
            _ if index == 0 => match first {
                First::Blank(blank) => *blank,
                First::After(None) => true,
                First::After(Some(before)) => group.as_ref() != Some(before),
            },
            (Some(before), Some(now)) => before != now,
            _ => true,
        };
        previous = group;
        match item {
            Item::Mod(module) => {
                let inner = has_inner(&module.attrs);
                if let Some((_, content)) = &mut module.content {
                    walk_items(content, &First::Blank(inner), visit);
                }
            }
            Item::Impl(block) => {
                let inner = has_inner(&block.attrs);
                let attrs = block.items.iter_mut().filter_map(|item| match item {
                    ImplItem::Const(item) => Some(&mut item.attrs),
                    ImplItem::Fn(item) => Some(&mut item.attrs),
                    ImplItem::Type(item) => Some(&mut item.attrs),
                    ImplItem::Macro(item) => Some(&mut item.attrs),
                    _ => None,
                });
                walk_members(attrs, inner, visit);
            }
            Item::Trait(block) => {
                let inner = has_inner(&block.attrs);
                let attrs = block.items.iter_mut().filter_map(|item| match item {
                    TraitItem::Const(item) => Some(&mut item.attrs),
                    TraitItem::Fn(item) => Some(&mut item.attrs),
                    TraitItem::Type(item) => Some(&mut item.attrs),
                    TraitItem::Macro(item) => Some(&mut item.attrs),
                    _ => None,
                });
                walk_members(attrs, inner, visit);
            }
            Item::ForeignMod(block) => {
                let inner = has_inner(&block.attrs);
                let attrs = block.items.iter_mut().filter_map(|item| match item {
                    ForeignItem::Fn(item) => Some(&mut item.attrs),
                    ForeignItem::Static(item) => Some(&mut item.attrs),
                    ForeignItem::Type(item) => Some(&mut item.attrs),
                    ForeignItem::Macro(item) => Some(&mut item.attrs),
                    _ => None,
                });
                walk_members(attrs, inner, visit);
            }
            _ => {}
        }
        if let (true, Some(attrs)) = (blank, item_attrs(item)) {
            visit(attrs);
        }
    }
}

/// The members of an `impl`, trait or `extern` block: a blank line before each
/// but the first (and before the first too after inner attributes).
fn walk_members<'a>(
    members: impl Iterator<Item = &'a mut Vec<Attribute>>,
    inner_attrs: bool,
    visit: &mut dyn FnMut(&mut Vec<Attribute>),
) {
    for (index, attrs) in members.enumerate() {
        if index > 0 || inner_attrs {
            visit(attrs);
        }
    }
}

/// Items that sit together without blank lines: `use` declarations of one
/// group (standard library, other crates, this crate; re-exports apart), and
/// `mod name;` declarations.
#[derive(Clone, PartialEq)]
pub enum Group {
    Use { public: bool, root: u8 },
    ModDeclaration,
}

fn group_of(item: &Item) -> Option<Group> {
    match item {
        Item::Use(item) => {
            let public = !matches!(item.vis, syn::Visibility::Inherited);
            let root = match first_segment(&item.tree).as_deref() {
                Some("std" | "core" | "alloc") => 0,
                Some("crate" | "self" | "super") => 2,
                _ => 1,
            };
            Some(Group::Use { public, root })
        }
        Item::Mod(module) if module.content.is_none() => Some(Group::ModDeclaration),
        _ => None,
    }
}

fn first_segment(tree: &UseTree) -> Option<String> {
    match tree {
        UseTree::Path(path) => Some(path.ident.to_string()),
        UseTree::Name(name) => Some(name.ident.to_string()),
        UseTree::Rename(rename) => Some(rename.ident.to_string()),
        UseTree::Group(group) => group.items.first().and_then(first_segment),
        UseTree::Glob(_) => None,
    }
}

fn has_inner(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| matches!(attr.style, AttrStyle::Inner(_)))
}

/// The attributes of an item; `None` for tokens syn does not interpret.
fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::ExternCrate(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::ForeignMod(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::TraitAlias(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Union(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

/// `#[doc = "marker"]`, built directly: parsing it from tokens, once per
/// item, cost more than the rest of the walk.
fn marker_attr(marker: &str) -> Attribute {
    let span = Span::call_site();
    let value = syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(syn::LitStr::new(marker, span)) });
    Attribute {
        pound_token: Default::default(),
        style: AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: syn::Path::from(syn::Ident::new("doc", span)),
            eq_token: Default::default(),
            value,
        }),
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    fn format(tokens: TokenStream) -> String {
        match syn::parse2(tokens) {
            Ok(mut file) => super::unparse(&mut file),
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn items_are_separated_and_attributes_stay_on_their_item() {
        let text = format(quote! {
            //! Module docs.
            #![allow(dead_code)]
            use std::fmt;
            use std::io;
            use serde::Serialize;
            use crate::types;
            pub use crate::client::Client;
            #[rustfmt::skip]
            pub mod a;
            #[rustfmt::skip]
            pub mod b;
            /// A constant.
            #[doc(hidden)]
            pub const X: u8 = 1;
            /// A struct.
            #[derive(Debug)]
            pub struct S {
                /// A field.
                pub a: u8,
                pub b: u8,
            }
        });
        assert_eq!(
            text,
            "//! Module docs.\n#![allow(dead_code)]\n\n\
             use std::fmt;\nuse std::io;\n\nuse serde::Serialize;\n\nuse crate::types;\n\n\
             pub use crate::client::Client;\n\n\
             #[rustfmt::skip]\npub mod a;\n#[rustfmt::skip]\npub mod b;\n\n\
             /// A constant.\n#[doc(hidden)]\npub const X: u8 = 1;\n\n\
             /// A struct.\n#[derive(Debug)]\npub struct S {\n    /// A field.\n    pub a: u8,\n    pub b: u8,\n}\n"
        );
    }

    #[test]
    fn impl_trait_and_module_items_are_separated_but_not_function_bodies() {
        let text = format(quote! {
            impl S {
                /// One.
                pub fn one(&self) -> u8 {
                    fn helper() -> u8 { 1 }
                    const LOCAL: u8 = 2;
                    let add = |x: u8| {
                        let y = x + 1;
                        y
                    };
                    match helper() {
                        1 => add(LOCAL),
                        _ => 0,
                    }
                }
                #[inline]
                pub fn two(&self) {}
                const C: u8 = 1;
            }
            trait T {
                type A;
                fn f(&self);
            }
            mod inner {
                use super::S;
                impl S {
                    fn nested(&self) {
                        println!("{}", 1);
                    }
                    fn other(&self) {}
                }
                macro_rules! m {
                    () => {};
                }
            }
        });
        assert_eq!(
            text,
            r#"impl S {
    /// One.
    pub fn one(&self) -> u8 {
        fn helper() -> u8 {
            1
        }
        const LOCAL: u8 = 2;
        let add = |x: u8| {
            let y = x + 1;
            y
        };
        match helper() {
            1 => add(LOCAL),
            _ => 0,
        }
    }

    #[inline]
    pub fn two(&self) {}

    const C: u8 = 1;
}

trait T {
    type A;

    fn f(&self);
}

mod inner {
    use super::S;

    impl S {
        fn nested(&self) {
            println!("{}", 1);
        }

        fn other(&self) {}
    }

    macro_rules! m {
        () => {};
    }
}
"#
        );
    }

    #[test]
    fn a_string_holding_the_marker_is_kept() {
        // A raw string with a line that reads like a marker line.
        let source = "pub const A: &str = \"line\\n///__blank_line__\\nline\";\n\
                      pub const B: &str = r\"\n///__blank_line__\n\";\n";
        let text = match syn::parse_file(source) {
            Ok(mut file) => super::unparse(&mut file),
            Err(error) => panic!("{error}"),
        };
        assert_eq!(
            text,
            "pub const A: &str = \"line\\n///__blank_line__\\nline\";\n\npub const B: &str = r\"\n///__blank_line__\n\";\n"
        );
    }
}
