//! Pieces of syntax printed as one line of ordinary Rust.
//!
//! Each piece is put into a dummy item with an empty body and printed with
//! prettyplease, the printer of the emitted code, so the listing reads like
//! the source (`Option<String>`, not the token spacing `Option < String >`).
//! The printer's line breaks are then folded back into one line.

use proc_macro2::Span;
use quote::ToTokens;
use syn::parse::Parse;
use syn::punctuated::Punctuated;
use syn::{Expr, Fields, FnArg, Generics, Ident, Item, Pat, Signature, Type, Visibility};

/// Stands for an item's name while it is printed; the caller puts the item's
/// full path in its place afterwards.
pub(super) const NAME: &str = "__api_listing_name__";

/// Stands for a trait's name in a printed `impl`, like [`NAME`] for the type.
pub(super) const TRAIT: &str = "__api_listing_trait__";

/// Printed between the items of a batch, to cut the printed text apart.
const BREAK: &str = "__api_listing_break__";

pub(super) fn name_ident() -> Ident {
    Ident::new(NAME, Span::call_site())
}

pub(super) fn trait_ident() -> Ident {
    Ident::new(TRAIT, Span::call_site())
}

/// Items printed together, in one prettyplease call: setting the printer up
/// costs more than printing one small item, and a crate has hundreds.
#[derive(Default)]
pub(super) struct Batch {
    /// Each item, with the text to cut off the front of its printed line.
    items: Vec<(Item, String)>,
}

impl Batch {
    /// Queues an item; its line is at the returned index of [`Batch::finish`].
    pub(super) fn push(&mut self, item: Item) -> usize {
        self.push_after(item, String::new())
    }

    /// Queues an item whose printed line starts with `prefix`, cut off.
    fn push_after(&mut self, item: Item, prefix: String) -> usize {
        self.items.push((item, prefix));
        self.items.len() - 1
    }

    /// A type as written, e.g. `Option<Vec<String>>`.
    pub(super) fn type_text(&mut self, ty: Type) -> usize {
        let alias = syn::ItemType {
            attrs: Vec::new(),
            vis: Visibility::Inherited,
            modifiers: Default::default(),
            type_token: Default::default(),
            ident: name_ident(),
            generics: Generics::default(),
            eq_token: Default::default(),
            ty: Box::new(ty),
            semi_token: Default::default(),
            where_clause_placement: syn::WhereClausePlacement::Late,
        };
        self.push_after(Item::Type(alias), format!("type {NAME} = "))
    }

    /// An expression (an enum discriminant), e.g. `-1`.
    pub(super) fn expr_text(&mut self, expr: Expr) -> usize {
        let unit = Type::Tuple(syn::TypeTuple {
            attrs: Vec::new(),
            paren_token: Default::default(),
            elems: Punctuated::new(),
        });
        let constant = syn::ItemConst {
            attrs: Vec::new(),
            vis: Visibility::Inherited,
            modifiers: Default::default(),
            const_token: Default::default(),
            ident: name_ident(),
            generics: Generics::default(),
            colon_token: Default::default(),
            ty: Box::new(unit),
            eq_token: Default::default(),
            expr: Box::new(expr),
            semi_token: Default::default(),
        };
        self.push_after(Item::Const(constant), format!("const {NAME}: () = "))
    }

    /// A variant's fields as written after its name: `(A, B)` or ` { a: A }`.
    pub(super) fn variant_fields(&mut self, mut fields: Fields) -> usize {
        for field in fields.iter_mut() {
            field.attrs.clear();
        }
        let semi_token = if matches!(fields, Fields::Named(_)) { None } else { Some(Default::default()) };
        let shape = syn::ItemStruct {
            attrs: Vec::new(),
            vis: Visibility::Inherited,
            struct_token: Default::default(),
            ident: name_ident(),
            generics: Generics::default(),
            fields,
            semi_token,
        };
        self.push_after(Item::Struct(shape), format!("struct {NAME}"))
    }

    /// An associated type as `NAME<'a>: Bounds where ...`, printed as a trait
    /// header (the same shape) since prettyplease prints whole items only.
    pub(super) fn associated_type(&mut self, alias: syn::TraitItemType) -> usize {
        let shape = syn::ItemTrait {
            attrs: Vec::new(),
            vis: Visibility::Inherited,
            modifiers: Default::default(),
            unsafety: None,
            trait_token: Default::default(),
            ident: name_ident(),
            generics: alias.generics,
            colon_token: alias.colon_token,
            supertraits: alias.bounds,
            brace_token: Default::default(),
            items: Vec::new(),
        };
        self.push_after(Item::Trait(shape), "trait ".to_owned())
    }

    /// A function's signature as `pub fn NAME(...) -> ...`. Binding modes
    /// (`mut self`, `mut value`) are the body's business, not the API's, so
    /// they are left out: dropping one is not a change.
    pub(super) fn function(&mut self, mut sig: Signature) -> usize {
        sig.ident = name_ident();
        for input in sig.inputs.iter_mut() {
            match input {
                FnArg::Receiver(receiver) => receiver.mutability = None,
                FnArg::Typed(typed) => {
                    if let Pat::Ident(binding) = typed.pat.as_mut() {
                        binding.mutability = None;
                        binding.by_ref = None;
                    }
                }
            }
        }
        let function = syn::ItemFn {
            attrs: Vec::new(),
            vis: Visibility::Public(Default::default()),
            modifiers: Default::default(),
            sig,
            block: Box::new(syn::Block { brace_token: Default::default(), stmts: Vec::new() }),
        };
        self.push(Item::Fn(function))
    }

    /// Every queued item on one line, without its (empty) body or final `;`.
    pub(super) fn finish(self) -> Vec<String> {
        let count = self.items.len();
        let mut prefixes = Vec::with_capacity(count);
        let mut items = Vec::with_capacity(count * 2);
        for (item, prefix) in self.items {
            items.push(item);
            items.push(separator());
            prefixes.push(prefix);
        }
        let file = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items };
        let text = prettyplease::unparse(&file);
        let separator_line = format!("struct {BREAK};");
        let mut chunks = Vec::with_capacity(count);
        let mut chunk = String::new();
        for line in text.lines() {
            if line == separator_line {
                chunks.push(std::mem::take(&mut chunk));
            } else {
                chunk.push_str(line);
                chunk.push('\n');
            }
        }
        if chunks.len() != count {
            // Cannot happen (each separator prints as that line alone), but
            // printing one by one is always right.
            chunks = file.items.into_iter().step_by(2).map(unparse_one).collect();
        }
        chunks.iter().zip(prefixes).map(|(chunk, prefix)| strip(&one_line(chunk), &prefix)).collect()
    }
}

fn separator() -> Item {
    Item::Struct(syn::ItemStruct {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        struct_token: Default::default(),
        ident: Ident::new(BREAK, Span::call_site()),
        generics: Generics::default(),
        fields: Fields::Unit,
        semi_token: Some(Default::default()),
    })
}

fn unparse_one(item: Item) -> String {
    prettyplease::unparse(&syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: vec![item] })
}

fn strip(line: &str, prefix: &str) -> String {
    line.strip_prefix(prefix).unwrap_or(line).to_owned()
}

/// Folds a printed item into one line, without its empty body or `;`.
fn one_line(text: &str) -> String {
    let text = fold_lines(text);
    let text = text.trim_end();
    let text = text.strip_suffix("{}").or_else(|| text.strip_suffix(';')).unwrap_or(text);
    // A where clause printed on its own lines keeps a trailing comma.
    text.trim_end().trim_end_matches(',').trim_end().to_owned()
}

/// Joins the printer's lines: no space inside brackets it opened or before
/// the ones it closes, and no trailing comma before a closing bracket.
fn fold_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        if line.starts_with([')', '>', ']', '}']) && out.ends_with(',') {
            out.pop();
        }
        let closes = line.starts_with([')', '>', ']']);
        let opens = out.ends_with(['(', '<', '[']);
        if !out.is_empty() && !opens && !closes {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A copy of a syntax node, made by printing and parsing it again: this
/// build of syn has no `Clone` (its `clone-impls` feature is off). A node syn
/// parsed prints as tokens that parse back to it, so `None` does not happen.
fn copy<T: Parse + ToTokens>(node: &T) -> Option<T> {
    syn::parse2(node.to_token_stream()).ok()
}

/// A copy of generics (needed twice for a type with derives); their tokens
/// are the parameters only, so the where clause is copied on its own.
pub(super) fn copy_generics(generics: &Generics) -> Option<Generics> {
    if generics.params.is_empty() && generics.where_clause.is_none() {
        return Some(Generics::default());
    }
    let mut copied: Generics = copy(generics)?;
    copied.where_clause = match &generics.where_clause {
        Some(clause) => Some(copy(clause)?),
        None => None,
    };
    Some(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_signatures_fold_into_one_line_without_trailing_commas() {
        let parsed: syn::ItemFn = syn::parse_str(
            "pub async fn f<'a, T>(mut self, mut first_argument_with_a_long_name: std::collections::BTreeMap<String, Vec<T>>, second_argument_with_a_long_name: &'a str) -> Result<Option<T>, Box<dyn std::error::Error + Send + Sync + 'static>> where T: Clone + Send + Sync + 'static, { todo!() }",
        )
        .unwrap();
        let mut batch = Batch::default();
        batch.function(parsed.sig);
        assert_eq!(
            batch.finish(),
            [
                "pub async fn __api_listing_name__<'a, T>(self, first_argument_with_a_long_name: std::collections::BTreeMap<String, Vec<T>>, second_argument_with_a_long_name: &'a str) -> Result<Option<T>, Box<dyn std::error::Error + Send + Sync + 'static>> where T: Clone + Send + Sync + 'static"
            ]
        );
    }

    #[test]
    fn a_batch_gives_each_piece_its_own_line_in_order() {
        let mut batch = Batch::default();
        let ty = batch.type_text(syn::parse_str("Option < Vec < & 'static str > >").unwrap());
        let expr = batch.expr_text(syn::parse_str("- 1").unwrap());
        let tuple = batch.variant_fields(Fields::Unnamed(syn::parse_str("(/// doc\n u8, String)").unwrap()));
        let named = batch.variant_fields(Fields::Named(syn::parse_str("{ a: u8, b: Vec<u8> }").unwrap()));
        let lines = batch.finish();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[ty], "Option<Vec<&'static str>>");
        assert_eq!(lines[expr], "-1");
        assert_eq!(lines[tuple], "(u8, String)");
        assert_eq!(lines[named], " { a: u8, b: Vec<u8> }");
    }
}
