//! Stage 5: tokens to formatted source text.
//!
//! prettyplease prints the syntax tree; two steps around it make the text read
//! as written by hand: every doc line becomes a `///` line (prettyplease prints
//! a doc string holding a newline as a `/** */` block), and items get a blank
//! line between them (`format/blank_lines.rs`).

mod blank_lines;
mod doc_lines;

use proc_macro2::{Delimiter, Group, Literal, Spacing, TokenStream, TokenTree};

use crate::error::Diagnostic;

/// A formatted Rust file, with what the API listing reads of its syntax
/// tree: its items without function bodies or trait impls' members (kept so
/// that the listing reads the same tree instead of parsing the text again).
pub struct RustFile {
    pub text: String,
    pub syntax: syn::File,
}

/// Items parsed and printed at a time: only a part's tokens are in syn's
/// buffer and only its syntax tree is whole at once, whatever the file's size.
const PART: usize = 64;

/// Formats one emitted Rust file with prettyplease, after its header line.
pub fn rust_file(path: &str, tokens: TokenStream, header: &str) -> Result<RustFile, Diagnostic> {
    format_items(path, tokens, Some(header))
}

/// Formats a later part of an emitted Rust file: items that follow other
/// items (not `use` or `mod` lines), so the text starts with a blank line.
/// The texts of a file's parts, joined, are the text of the file formatted
/// whole.
pub fn rust_file_part(path: &str, tokens: TokenStream) -> Result<RustFile, Diagnostic> {
    format_items(path, tokens, None)
}

fn format_items(path: &str, tokens: TokenStream, header: Option<&str>) -> Result<RustFile, Diagnostic> {
    let invalid = |error: syn::Error| {
        Diagnostic::file(format!(
            "internal error: the generator produced invalid Rust for {path} ({error}); please report this with the spec"
        ))
    };
    let (text, before) = match header {
        Some(header) => (format!("{header}\n"), blank_lines::Before::Start),
        None => (String::new(), blank_lines::Before::Item(None)),
    };
    let mut printer = Printer {
        text,
        before,
        part: syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: Vec::with_capacity(PART) },
        kept: syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: Vec::new() },
    };
    // The tokens are cut where an item surely ends (after a `;` or a `{...}`
    // not followed by one, at the top level): a part that still does not
    // parse on its own (a brace inside generic arguments) is parsed again
    // with the rest of the file, so the items are those of one parse.
    let mut trees = tokens.into_iter().peekable();
    let mut part = Vec::new();
    let mut ends = 0;
    while let Some(tree) = trees.next() {
        let end = match &tree {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(trees.peek(), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        part.push(tree);
        ends += usize::from(end);
        if ends < PART && trees.peek().is_some() {
            continue;
        }
        ends = 0;
        let tokens: TokenStream = std::mem::take(&mut part).into_iter().collect();
        if let Err(error) = printer.parse(tokens.clone()) {
            if trees.peek().is_none() {
                return Err(invalid(error));
            }
            let rest: TokenStream = tokens.into_iter().chain(trees.by_ref()).collect();
            printer.parse(rest).map_err(invalid)?;
        }
    }
    printer.print().map_err(invalid)?;
    Ok(RustFile { text: printer.text, syntax: printer.kept })
}

/// Appends files already formatted by hand (the runtime's, which rustfmt
/// keeps) to a formatted file, a blank line before each: their text as
/// written, and their items' outline (`outline`) to the tree the API listing
/// reads, taken from `outlines` when it holds them.
pub fn append_formatted(
    file: &mut RustFile,
    path: &str,
    sources: &[(&str, &str)],
    outlines: &mut Outlines,
) -> Result<(), Diagnostic> {
    for (name, text) in sources {
        let items = outlines.take(name, text).map_err(|error| {
            Diagnostic::file(format!(
                "internal error: the runtime file {name} placed in {path} is not valid rustfmt-formatted Rust ({error}); please report this"
            ))
        })?;
        file.syntax.items.extend(items);
        if !file.text.ends_with("\n\n") {
            file.text.push('\n');
        }
        file.text.push_str(text);
        if !text.ends_with('\n') {
            file.text.push('\n');
        }
    }
    Ok(())
}

/// The outlines of runtime files, parsed ahead of need: a worker parses them
/// while the spec is still being read, so appending those files later costs
/// no lexing or parsing. Syntax trees stay on the thread that made them:
/// each worker has its own.
#[derive(Default)]
pub struct Outlines {
    /// By file name; an outline is taken out when its file is appended.
    parsed: Vec<(String, Result<Vec<syn::Item>, String>)>,
}

impl Outlines {
    /// Parses the outline of the file `name` holding `text`, unless it is held already.
    pub fn prepare(&mut self, name: &str, text: &str) {
        if !self.parsed.iter().any(|(held, _)| held == name) {
            self.parsed.push((name.to_owned(), parse_outline(text)));
        }
    }

    /// The listed items of the file `name`'s outline: the one held (which
    /// is then gone), or parsed now.
    fn take(&mut self, name: &str, text: &str) -> Result<Vec<syn::Item>, String> {
        match self.parsed.iter().position(|(held, _)| held == name) {
            Some(index) => self.parsed.swap_remove(index).1,
            None => parse_outline(text),
        }
    }
}

/// The items of a rustfmt-formatted file's outline, as the listing reads them.
fn parse_outline(text: &str) -> Result<Vec<syn::Item>, String> {
    let outline = outline(text);
    let tokens = outline.parse::<TokenStream>().map_err(|error| error.to_string())?;
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| format!("{error}, in its outline:\n{outline}"))?;
    Ok(file.items.into_iter().map(listed).collect())
}

/// What the API listing reads of rustfmt-formatted Rust: the text without
/// comments (doc comments too), with every function body emptied and every
/// function that is not `pub` left out (with the attributes on the lines
/// before it), which is a small part of the text to lex and parse. Functions
/// in a trait definition are kept whatever they are written with, and so is
/// everything in a `macro_rules!`. It follows rustfmt's layout: a body opens
/// at the end of its signature's last line and closes with a line of its own
/// starting `}` at the signature's indentation, and so do trait and macro
/// definitions.
pub(crate) fn outline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() / 4);
    // The indentation of a function whose signature is being read, then of
    // the one whose body is being skipped, with whether it is kept.
    let mut signature: Option<(&str, bool)> = None;
    let mut body: Option<(&str, bool)> = None;
    // The indentation of the trait or macro definition every function is
    // kept in, and of one whose header is being read.
    let mut keep_all: Option<&str> = None;
    let mut header: Option<&str> = None;
    // One-line attributes not yet written: they go with the next item.
    let mut attributes: Vec<&str> = Vec::new();
    // Whether the next item has an attribute of several lines, already
    // written, and the indentation of one being written.
    let mut attributed = false;
    let mut in_attribute: Option<&str> = None;
    let write = |out: &mut String, line: &str| {
        out.push_str(line);
        out.push('\n');
    };
    for line in text.lines() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        if let Some((open, kept)) = body {
            if indent == open && code.starts_with('}') {
                body = None;
                if kept {
                    write(&mut out, line);
                }
            }
            continue;
        }
        if code.starts_with("//") {
            continue;
        }
        if let Some((start, kept)) = signature {
            if kept {
                write(&mut out, line);
            }
            if code.ends_with('{') {
                (signature, body) = (None, Some((start, kept)));
            } else if code.ends_with(';') || code.ends_with('}') {
                signature = None;
            }
            continue;
        }
        if let Some(open) = in_attribute {
            write(&mut out, line);
            if indent == open && code.ends_with(']') {
                in_attribute = None;
            }
            continue;
        }
        if code.starts_with("#[") {
            if code.ends_with(']') {
                attributes.push(line);
            } else {
                attributes.drain(..).for_each(|attribute| write(&mut out, attribute));
                write(&mut out, line);
                (attributed, in_attribute) = (true, Some(indent));
            }
            continue;
        }
        if declares_function(code) {
            let kept = keep_all.is_some() || attributed || code.starts_with("pub ");
            attributed = false;
            if kept {
                attributes.drain(..).for_each(|attribute| write(&mut out, attribute));
                write(&mut out, line);
            } else {
                attributes.clear();
            }
            if code.ends_with('{') {
                body = Some((indent, kept));
            } else if !code.ends_with(';') && !code.ends_with('}') {
                signature = Some((indent, kept));
            }
            continue;
        }
        attributes.drain(..).for_each(|attribute| write(&mut out, attribute));
        attributed = false;
        write(&mut out, line);
        match keep_all {
            Some(open) if indent == open && code.starts_with('}') => keep_all = None,
            // A header of one line, or the `{` line of a longer one.
            None if code.ends_with('{') && (defines_trait_or_macro(code) || header == Some(indent)) => {
                keep_all = Some(indent);
            }
            None if defines_trait_or_macro(code) => header = Some(indent),
            _ => {}
        }
        if keep_all.is_some() {
            header = None;
        }
    }
    out
}

/// Whether a line starts a trait or a `macro_rules!` definition.
fn defines_trait_or_macro(code: &str) -> bool {
    let rest = ["pub ", "pub(crate) ", "pub(super) ", "unsafe "]
        .iter()
        .fold(code, |rest, qualifier| rest.strip_prefix(qualifier).unwrap_or(rest));
    rest.starts_with("trait ") || rest.starts_with("unsafe trait ") || code.starts_with("macro_rules!")
}

/// Whether a line starts a function (`pub(crate) async fn name(`).
fn declares_function(code: &str) -> bool {
    const QUALIFIERS: &[&str] =
        &["pub ", "pub(crate) ", "pub(super) ", "const ", "async ", "unsafe ", "default ", "extern \"C\" "];
    let mut rest = code;
    while let Some(after) = QUALIFIERS.iter().find_map(|qualifier| rest.strip_prefix(qualifier)) {
        rest = after;
    }
    rest.starts_with("fn ")
}

/// A file printed part by part.
struct Printer {
    text: String,
    before: blank_lines::Before,
    /// The items parsed and not yet printed, after the file's inner
    /// attributes until the first part is printed.
    part: syn::File,
    kept: syn::File,
}

impl Printer {
    /// Parses a part's items, and prints them; nothing is kept of a part
    /// that does not parse.
    fn parse(&mut self, tokens: TokenStream) -> syn::Result<()> {
        let start = matches!(self.before, blank_lines::Before::Start);
        let parse = |input: syn::parse::ParseStream<'_>| -> syn::Result<syn::File> {
            // What `syn::File`'s parser does.
            let attrs = if start { input.call(syn::Attribute::parse_inner)? } else { Vec::new() };
            let mut items = Vec::with_capacity(PART);
            while !input.is_empty() {
                items.push(input.parse()?);
            }
            Ok(syn::File { shebang: None, frontmatter: None, attrs, items })
        };
        self.part = syn::parse::Parser::parse2(parse, tokens)?;
        self.print()
    }

    /// Prints the items parsed since the last part, and keeps what the
    /// listing reads of them.
    fn print(&mut self) -> syn::Result<()> {
        let start = matches!(self.before, blank_lines::Before::Start);
        if !start && self.part.items.is_empty() {
            return Ok(());
        }
        // Docs are split in the syntax tree where items, fields and
        // variants keep them, which costs far less than rebuilding every
        // token. A doc anywhere else (a macro's tokens, a function body)
        // still prints as a block comment or an attribute; then the part is
        // formatted again from its tokens, split everywhere.
        let mut before = self.before.clone();
        doc_lines::split(&mut self.part);
        let mut printed = blank_lines::unparse_after(&mut self.part, &mut before);
        if doc_lines::may_hold_unsplit_docs(&printed) {
            let tokens = quote::ToTokens::to_token_stream(&self.part);
            self.part = syn::parse2(split_doc_lines(tokens))?;
            before = self.before.clone();
            printed = blank_lines::unparse_after(&mut self.part, &mut before);
        }
        self.text.push_str(&printed);
        self.before = before;
        if start {
            self.kept.attrs = std::mem::take(&mut self.part.attrs);
        }
        self.kept.items.extend(self.part.items.drain(..).map(listed));
        Ok(())
    }
}

/// An item as the API listing reads it: without function bodies or the
/// members of trait impls, which are most of a file's syntax tree.
fn listed(item: syn::Item) -> syn::Item {
    use syn::{ImplItem, Item, TraitItem};
    let empty = || syn::Block { brace_token: Default::default(), stmts: Vec::new() };
    match item {
        Item::Fn(mut function) => {
            *function.block = empty();
            Item::Fn(function)
        }
        Item::Impl(mut block) if block.trait_.is_some() => {
            block.items.clear();
            Item::Impl(block)
        }
        Item::Impl(mut block) => {
            for member in &mut block.items {
                if let ImplItem::Fn(function) = member {
                    function.block = empty();
                }
            }
            Item::Impl(block)
        }
        Item::Trait(mut definition) => {
            for member in &mut definition.items {
                if let TraitItem::Fn(function) = member {
                    if let Some(body) = &mut function.default {
                        *body = empty();
                    }
                }
            }
            Item::Trait(definition)
        }
        Item::Mod(mut module) => {
            if let Some((_, items)) = &mut module.content {
                *items = std::mem::take(items).into_iter().map(listed).collect();
            }
            Item::Mod(module)
        }
        other => other,
    }
}

/// Rewrites every `#[doc = "..."]` (and `#![doc = "..."]`) whose text holds
/// line breaks as one attribute per line, which prettyplease prints as `///`
/// (or `//!`) lines. Rustdoc joins consecutive doc attributes with line breaks,
/// so the documentation is the same.
fn split_doc_lines(tokens: TokenStream) -> TokenStream {
    // Tokens are moved, not cloned: an identifier's clone allocates, and a
    // group whose stream is still shared would be copied whole to iterate it.
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut rest = trees.into_iter();
    while let Some(tree) = rest.next() {
        // `#` then, for an inner attribute, `!`, then the bracketed body.
        let ahead = rest.as_slice();
        let bang = matches!(ahead.first(), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        if let Some(lines) = doc_attribute_lines(&tree, ahead.get(usize::from(bang))) {
            let bang = if bang { rest.next() } else { None };
            rest.next();
            for line in lines {
                out.push(tree.clone());
                out.extend(bang.clone());
                out.push(TokenTree::Group(Group::new(Delimiter::Bracket, quote::quote!(doc = #line))));
            }
            continue;
        }
        out.push(match tree {
            TokenTree::Group(group) => {
                let (delimiter, span, stream) = (group.delimiter(), group.span(), group.stream());
                // The stream is now this function's alone: iterating it copies nothing.
                drop(group);
                let mut inner = Group::new(delimiter, split_doc_lines(stream));
                inner.set_span(span);
                TokenTree::Group(inner)
            }
            other => other,
        });
    }
    out.into_iter().collect()
}

/// For `#` followed by a `[doc = "..."]` body whose text has more than one
/// line: the lines, each starting with a space when any does not (so `///` is
/// followed by a space, and the lines keep their indentation relative to each
/// other).
fn doc_attribute_lines(pound: &TokenTree, body: Option<&TokenTree>) -> Option<Vec<Literal>> {
    let (TokenTree::Punct(pound), Some(TokenTree::Group(body))) = (pound, body) else { return None };
    if pound.as_char() != '#' || body.delimiter() != Delimiter::Bracket {
        return None;
    }
    // Most attributes are not docs, and most docs are one line: both are
    // told apart without copying the body or parsing the literal.
    let text = doc_text(body.stream())?;
    Some(doc_lines::lines(&text).iter().map(|line| Literal::string(line)).collect())
}

/// The text of an attribute body `doc = "..."` when it holds a line break.
fn doc_text(body: TokenStream) -> Option<String> {
    let mut trees = body.into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(literal)), None) =
        (trees.next(), trees.next(), trees.next(), trees.next())
    else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' || eq.spacing() != Spacing::Alone {
        return None;
    }
    if !doc_lines::may_break_lines(&literal.to_string()) {
        return None;
    }
    let text = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal).into()).ok()?.value();
    text.contains('\n').then_some(text)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn format(tokens: TokenStream) -> String {
        match rust_file("test.rs", tokens, "// header") {
            Ok(file) => file.text,
            Err(error) => panic!("{}", error.message),
        }
    }

    #[test]
    fn multi_line_docs_become_doc_comment_lines() {
        let text = format(quote! {
            #![doc = " Module.\n\n Second paragraph."]
            #[doc = " First line\nsecond line\n\n    indented"]
            pub struct A;
        });
        assert_eq!(
            text,
            "// header\n//! Module.\n//!\n//! Second paragraph.\n\n\
             ///  First line\n/// second line\n///\n///     indented\npub struct A;\n"
        );
        assert!(!text.contains("/**") && !text.contains("/*!"));
    }

    #[test]
    fn docs_on_fields_variants_and_impl_items_are_split_too() {
        let text = format(quote! {
            pub enum E {
                #[doc = " a\n b"]
                V,
            }
            impl E {
                #[doc = " c\n d"]
                pub fn f() {}
            }
        });
        assert!(text.contains("    /// a\n    /// b\n    V,"), "{text}");
        assert!(text.contains("    /// c\n    /// d\n    pub fn f()"), "{text}");
    }

    #[test]
    fn docs_outside_items_fields_and_variants_are_split_too() {
        let text = format(quote! {
            pub fn f() {
                #[doc = " a\n b"]
                struct Local;
            }
            m! {
                #[doc = " c\n d"]
                pub struct S;
            }
        });
        assert!(text.contains("    /// a\n    /// b\n    struct Local;"), "{text}");
        assert!(text.contains("#[doc = \" c\"]") && text.contains("#[doc = \" d\"]"), "{text}");
        assert!(!text.contains("/**") && !text.contains("\\n"), "{text}");
    }

    #[test]
    fn a_file_printed_in_parts_reads_as_printed_whole() {
        // More items than a part, with a part ending inside generic arguments
        // (`{ 1 }` looks like an item's end), which is parsed again with the rest.
        let structs = (0..PART - 1).map(|index| {
            let name = quote::format_ident!("S{index}");
            quote!(pub struct #name;)
        });
        let tokens = quote! {
            #![doc = " Module."]
            #(#structs)*
            impl Foo<{ 1 }> for Bar {}
            use std::fmt;
            use std::io;
            pub struct Last;
        };
        let text = format(tokens.clone());
        let whole = match syn::parse2::<syn::File>(tokens) {
            Ok(mut file) => format!("// header\n{}", blank_lines::unparse(&mut file)),
            Err(error) => panic!("{error}"),
        };
        assert_eq!(text, whole);
        assert!(
            text.contains("pub struct S62;\n\nimpl Foo<{ 1 }> for Bar {}\n\nuse std::fmt;\nuse std::io;\n"),
            "{text}"
        );
    }

    #[test]
    fn a_file_formatted_in_parts_reads_as_formatted_whole() {
        let text = |formatted: Result<RustFile, Diagnostic>| formatted.map(|file| file.text).map_err(|e| e.message);
        let later = quote! {
            impl Client {
                #[doc = " G.\n\n More."]
                pub fn g() {}
            }
            pub struct B;
        };
        // A first part ending with `use` lines (the top of `builders.rs`), and one ending with an item.
        for first in [quote!(#![doc = " Top."] use a::b; use crate::c;), quote!(use a::b; pub struct A; impl A {})] {
            let whole = text(rust_file("t.rs", quote!(#first #later), "// h"));
            let first = text(rust_file("t.rs", first, "// h"));
            let joined = first.and_then(|first| Ok(first + &text(rust_file_part("t.rs", later.clone()))?));
            assert_eq!(joined, whole);
        }
    }

    #[test]
    fn the_kept_syntax_tree_has_no_blank_line_markers() {
        let tokens = quote! {
            use std::fmt;
            pub struct A;
            impl A {
                pub fn a() {}
                pub fn b() {}
            }
        };
        let file = rust_file("test.rs", tokens.clone(), "// header").map_err(|e| e.message);
        let kept = file.map(|file| quote::ToTokens::to_token_stream(&file.syntax).to_string());
        assert_eq!(kept, Ok(tokens.to_string()));
    }

    #[test]
    fn an_appended_file_is_copied_and_its_outline_read() {
        let appended = "/// A.\npub struct A;\n\nimpl A {\n    // Kept as written.\n    pub fn new(x: impl Into<u8>) -> Self {\n        let _ = { x.into() };\n        A\n    }\n}\n\nimpl<F: Fn() -> u8> Tr for F\nwhere\n    F: Send,\n{\n    fn go(&self) {\n        self();\n    }\n}\n\npub trait Tr {\n    /// Doc.\n    fn go(&self) {\n        let _ = fn_ptr();\n    }\n    fn must(&self);\n}\n\npub const C: S = S { f: 1 };\n";
        let mut file = rust_file(
            "test.rs",
            quote!(
                pub struct B;
            ),
            "// header",
        )
        .map_err(|e| e.message);
        let appended_ok = file
            .as_mut()
            .map(|file| append_formatted(file, "test.rs", &[("a.rs", appended)], &mut Outlines::default()));
        assert!(matches!(appended_ok, Ok(Ok(()))));
        let Ok(file) = file else { return };
        assert_eq!(file.text, format!("// header\npub struct B;\n\n{appended}"));
        let outline = outline(appended);
        assert!(!outline.contains("let") && !outline.contains("//") && outline.contains("S { f: 1 }"), "{outline}");
        // The trait impl's function is not `pub`: left out; the trait's own are kept.
        assert!(
            !outline.contains("fn go(&self) {\n    }\n}\n\npub trait") && outline.contains("    fn must(&self);"),
            "{outline}"
        );
        assert!(
            outline.contains("    pub fn new(x: impl Into<u8>) -> Self {\n    }\n")
                && outline.contains("fn must(&self);")
        );
        assert_eq!(file.syntax.items.len(), 6);
    }

    #[test]
    fn an_outline_leaves_out_functions_that_are_not_pub_with_their_attributes() {
        let text = "pub trait Long<T>\nwhere\n    T: Send,\n{\n    fn provided(&self) {\n        todo();\n    }\n}\n\nimpl A {\n    #[must_use]\n    pub fn kept(&self) -> u8 {\n        1\n    }\n\n    #[inline]\n    pub(crate) fn left(\n        &self,\n    ) -> u8 {\n        2\n    }\n\n    #[cfg_attr(\n        test,\n        allow(dead_code)\n    )]\n    fn attributed(&self) {}\n}\n\nmacro_rules! m {\n    () => {\n        fn in_macro() {}\n    };\n}\n\nfn free() {\n    body();\n}\n";
        let outline = outline(text);
        assert_eq!(
            outline,
            "pub trait Long<T>\nwhere\n    T: Send,\n{\n    fn provided(&self) {\n    }\n}\n\nimpl A {\n    #[must_use]\n    pub fn kept(&self) -> u8 {\n    }\n\n\n    #[cfg_attr(\n        test,\n        allow(dead_code)\n    )]\n    fn attributed(&self) {}\n}\n\nmacro_rules! m {\n    () => {\n        fn in_macro() {}\n    };\n}\n\n"
        );
        assert!(outline.parse::<TokenStream>().is_ok_and(|tokens| syn::parse2::<syn::File>(tokens).is_ok()));
    }

    #[test]
    fn a_prepared_outline_is_the_one_parsed_on_demand_and_is_used_once() {
        let text =
            "pub struct A {\n    pub a: u8,\n}\n\nimpl A {\n    pub fn new() -> Self {\n        A { a: 1 }\n    }\n}\n";
        let printed = |items: Result<Vec<syn::Item>, String>| {
            items.map(|items| {
                items.iter().map(|item| quote::ToTokens::to_token_stream(item).to_string()).collect::<Vec<_>>()
            })
        };
        let mut outlines = Outlines::default();
        outlines.prepare("a.rs", text);
        outlines.prepare("a.rs", "not Rust {");
        assert_eq!(outlines.parsed.len(), 1, "a file is prepared once");
        let prepared = printed(outlines.take("a.rs", text));
        assert!(outlines.parsed.is_empty());
        let on_demand = printed(outlines.take("a.rs", text));
        assert_eq!(prepared, on_demand);
        assert_eq!(on_demand.map(|items| items.len()), Ok(2));
        // A prepared outline that does not parse is an error when it is used.
        outlines.prepare("b.rs", "pub fn broken(\n");
        assert!(outlines.take("b.rs", "").is_err());
    }

    #[test]
    fn other_attributes_and_string_literals_are_left_alone() {
        let text = format(quote! {
            #[deprecated = "a\nb"]
            pub fn f() -> &'static str {
                "#[doc = \"x\ny\"]"
            }
        });
        assert!(text.contains("#[deprecated = \"a\\nb\"]"), "{text}");
        assert!(text.contains("\"#[doc = \\\"x\\ny\\\"]\""), "{text}");
    }
}
