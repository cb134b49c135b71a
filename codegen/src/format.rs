//! Stage 5: tokens to formatted source text.
//!
//! prettyplease prints the syntax tree; two steps around it make the text read
//! as written by hand: every doc line becomes a `///` line (prettyplease prints
//! a doc string holding a newline as a `/** */` block), and items get a blank
//! line between them (`format/blank_lines.rs`).

mod blank_lines;

use proc_macro2::{Delimiter, Group, Literal, Spacing, TokenStream, TokenTree};

use crate::error::Diagnostic;

/// A formatted Rust file, with the syntax tree it was printed from (kept so
/// that the API listing reads the same tree instead of parsing the text again).
pub struct RustFile {
    pub text: String,
    pub syntax: syn::File,
}

/// Formats one emitted Rust file with prettyplease, after its header line.
pub fn rust_file(path: &str, tokens: TokenStream, header: &str) -> Result<RustFile, Diagnostic> {
    let mut file: syn::File = syn::parse2(split_doc_lines(tokens)).map_err(|error| {
        Diagnostic::file(format!(
            "internal error: the generator produced invalid Rust for {path} ({error}); please report this with the spec"
        ))
    })?;
    let body = blank_lines::unparse(&mut file);
    Ok(RustFile { text: format!("{header}\n{body}"), syntax: file })
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
    let trees: Vec<TokenTree> = body.stream().into_iter().collect();
    let [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(literal)] = trees.as_slice() else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' || eq.spacing() != Spacing::Alone {
        return None;
    }
    let text = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal.clone()).into()).ok()?.value();
    if !text.contains('\n') {
        return None;
    }
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let indent = lines.iter().any(|line| !line.is_empty() && !line.starts_with(' '));
    Some(
        lines
            .into_iter()
            .map(
                |line| {
                    if indent && !line.is_empty() {
                        Literal::string(&format!(" {line}"))
                    } else {
                        Literal::string(line)
                    }
                },
            )
            .collect(),
    )
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
