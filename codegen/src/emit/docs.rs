//! Rustdoc from spec text.
//!
//! Spec descriptions are CommonMark written for people, not for rustdoc: code
//! fences would become doctests and `[x]` would become broken links. They are
//! made safe here, once, for every emitter.

use std::borrow::Cow;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::Docs;

/// `#[doc = ...]` attributes for `docs`, with `fallback` when the spec says nothing.
pub fn doc_attrs(docs: &Docs, fallback: &str) -> TokenStream {
    let text = spec_text(docs);
    lines(&sanitize(if text.is_empty() { fallback } else { &text }))
}

/// The spec's summary and description, as one text (not yet sanitized).
fn spec_text(docs: &Docs) -> String {
    let mut text = String::new();
    if let Some(summary) = docs.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        text.push_str(summary);
    }
    if let Some(description) = docs.description.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if !text.is_empty() && description != text {
            text.push_str("\n\n");
            text.push_str(description);
        } else if text.is_empty() {
            text.push_str(description);
        }
    }
    text
}

/// Like [`doc_attrs`], with `note` (generator text, rustdoc-safe) joined to
/// the first line when the docs open with a one-line sentence (`Get a pet
/// (`GET /pets/{id}`).`), else as a paragraph of its own; `note` alone when
/// there are no docs.
pub fn doc_attrs_noted(docs: &Docs, note: &str) -> TokenStream {
    let text = spec_text(docs);
    if text.is_empty() {
        return lines(note);
    }
    let text = sanitize(&text);
    let (first, rest) = match text.split_once('\n') {
        Some((first, rest)) => (first, Some(rest)),
        None => (text.as_str(), None),
    };
    // One line, then nothing or a blank line: a title the note can join.
    let titled = rest.is_none_or(|rest| rest.starts_with('\n'));
    if !titled {
        return lines(&format!("{text}\n\n{note}"));
    }
    let (sentence, stop) = match first.strip_suffix('.') {
        Some(sentence) => (sentence, "."),
        None => (first, ""),
    };
    let joined = format!("{sentence} ({note}){stop}");
    match rest {
        Some(rest) => lines(&format!("{joined}\n{rest}")),
        None => lines(&joined),
    }
}

/// `#[doc = ...]` attributes for text written by the generator (already rustdoc-safe).
pub fn plain(text: &str) -> TokenStream {
    lines(text)
}

/// Inner `#![doc = ...]` attributes (for a crate or module), from rustdoc-safe text.
pub fn inner(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = doc_literal(line);
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

/// `text` as a Markdown code span: fenced with more backticks than any run in
/// it, so names from the spec (header names, pointers, values) cannot end it.
pub fn code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space keeps a backtick at either end from joining the fence.
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = doc_literal(line);
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// One doc line's attribute value: a space before the text (so `///` is
/// followed by one), as a raw string literal. Its value is the text as
/// written, so syn reads it without unescaping it a character at a time
/// (twice: the formatter's doc check and prettyplease each read it), and
/// prettyplease prints the same `///` line as for an escaped literal.
fn doc_literal(line: &str) -> Literal {
    let line = line.trim_end();
    if line.is_empty() {
        return Literal::string("");
    }
    // A raw literal cannot hold a carriage return.
    if line.contains('\r') {
        return Literal::string(&format!(" {line}"));
    }
    // One `#` more than any run that follows a quote, so nothing in the text ends it.
    let mut hashes = 0;
    for (index, _) in line.match_indices('"') {
        let run = line[index + 1..].bytes().take_while(|byte| *byte == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\" {line}\"{fence}").parse().unwrap_or_else(|_| Literal::string(&format!(" {line}")))
}

/// Makes spec Markdown safe for rustdoc and clippy: code blocks become `text`
/// blocks (never doctests), tabs become spaces, list continuation lines are
/// indented under their item, stray brackets and angle brackets are escaped,
/// bare URLs become autolinks; Markdown links and autolinks are kept.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<String> = None;
    let mut list_indent: Option<usize> = None;
    for raw in text.lines() {
        let line = if raw.contains('\t') { Cow::Owned(raw.replace('\t', "    ")) } else { Cow::Borrowed(raw) };
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                out.push_str(marker);
                fence = None;
            } else {
                out.push_str(&line);
            }
            out.push('\n');
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker = trimmed[..3].to_owned();
            out.push_str(&marker);
            out.push_str("text");
            out.push('\n');
            fence = Some(marker);
            list_indent = None;
            continue;
        }
        if trimmed.is_empty() {
            list_indent = None;
            out.push('\n');
            continue;
        }
        let effective = match (list_item_width(trimmed), list_indent) {
            (Some(width), Some(outer)) => {
                // A nested item keeps its place; a sibling goes back to the outer level.
                let indent = indent.min(outer + 3);
                list_indent = Some(indent + width);
                indent
            }
            (Some(width), None) => {
                let indent = indent.min(3);
                list_indent = Some(indent + width);
                indent
            }
            // A continuation of a list item sits exactly under the item's text
            // (clippy rejects both less and more).
            (None, Some(outer)) => outer,
            // Four spaces would start a code block, which rustdoc runs as a test.
            (None, None) => indent.min(3),
        };
        out.extend(std::iter::repeat_n(' ', effective));
        out.push_str(&escape_inline(trimmed));
        out.push('\n');
    }
    if fence.is_some() {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// The width of a list marker (`- `, `* `, `+ `, `1. `, `2) `) starting `text`.
fn list_item_width(text: &str) -> Option<usize> {
    if let Some(rest) = text.strip_prefix(['-', '*', '+']) {
        return rest.starts_with(' ').then_some(2);
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &text[digits..];
    (rest.starts_with(". ") || rest.starts_with(") ")).then_some(digits + 2)
}

fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        // A run of characters that start nothing below is copied at once
        // (every such start is ASCII, so a byte search finds it).
        if !in_code {
            let plain = rest.bytes().position(|byte| matches!(byte, b'`' | b'[' | b']' | b'<' | b'>' | b'\\' | b'h'));
            let plain = plain.unwrap_or(rest.len());
            if plain > 0 {
                out.push_str(&rest[..plain]);
                rest = &rest[plain..];
                continue;
            }
        }
        if c == '`' {
            in_code = !in_code;
        }
        if in_code || c == '`' {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if let Some(len) = markdown_link_len(rest).or_else(|| autolink_len(rest)) {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if let Some(url_len) = bare_url_len(rest) {
            out.push('<');
            out.push_str(&rest[..url_len]);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        match c {
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' if rest[1..].starts_with(['[', ']', '<', '>', '`', '\\']) => {
                // An escape the spec already wrote: keep it as it is.
                out.push_str(&rest[..2]);
                rest = &rest[2..];
                continue;
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `[text](http...)` at the start of `text`: its length, when well formed.
fn markdown_link_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find("](")?;
    if inner[..close].contains(['[', ']']) {
        return None;
    }
    let target = &inner[close + 2..];
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let end = target.find(')')?;
    if target[..end].contains(char::is_whitespace) {
        return None;
    }
    Some(1 + close + 2 + end + 1)
}

/// `<http...>` at the start of `text`: its length.
fn autolink_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('<')?;
    if !(inner.starts_with("http://") || inner.starts_with("https://")) {
        return None;
    }
    let end = inner.find('>')?;
    if inner[..end].contains(char::is_whitespace) {
        return None;
    }
    Some(end + 2)
}

/// The length of a URL starting `text`, if one does.
fn bare_url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end =
        text.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']')).unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '\'']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_joins_a_one_line_title_or_stands_alone() {
        let text = |summary: Option<&str>, description: Option<&str>| {
            let docs = Docs {
                summary: summary.map(str::to_owned),
                description: description.map(str::to_owned),
                deprecated: false,
            };
            let tokens = doc_attrs_noted(&docs, "`GET /pets`");
            syn::parse2::<syn::File>(quote::quote!(#tokens fn f() {}))
                .map(|file| match &file.items[0] {
                    syn::Item::Fn(function) => function
                        .attrs
                        .iter()
                        .filter_map(|attr| match &attr.meta {
                            syn::Meta::NameValue(pair) => match &pair.value {
                                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(text.value()),
                                _ => None,
                            },
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                    _ => String::new(),
                })
                .unwrap_or_default()
        };
        assert_eq!(text(Some("List pets."), None), " List pets (`GET /pets`).");
        assert_eq!(text(Some("List pets"), Some("All of them.")), " List pets (`GET /pets`)\n\n All of them.");
        assert_eq!(text(None, None), " `GET /pets`");
        // A first paragraph of two lines is not a title: the note stands alone.
        assert_eq!(text(None, Some("Lists\nthe pets.")), " Lists\n the pets.\n\n `GET /pets`");
    }

    #[test]
    fn a_doc_line_reads_back_as_written_after_a_space() {
        let lines = [
            "plain",
            "a \"quote\" and \"# and \"### runs",
            r"back\slash \n",
            "carriage\rreturn",
            "ünïcödé ✓",
            "trailing  ",
        ];
        for line in lines {
            let literal = doc_literal(line);
            let value = syn::parse2::<syn::LitStr>(quote::quote!(#literal))
                .map(|literal| literal.value())
                .map_err(|e| e.to_string());
            assert_eq!(value, Ok(format!(" {}", line.trim_end())), "{literal}");
        }
        assert_eq!(doc_literal("   ").to_string(), "\"\"");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("MS-RequestId"), "`MS-RequestId`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("a\nb"), "`a b`");
    }

    #[test]
    fn code_fences_become_text() {
        assert_eq!(sanitize("a\n```\nlet x;\n```"), "a\n```text\nlet x;\n```");
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```");
    }

    #[test]
    fn lists_tabs_and_indented_code_stay_safe() {
        assert_eq!(sanitize("- item\ncontinued\n- next"), "- item\n  continued\n- next");
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(sanitize("text\n\n        code"), "text\n\n   code");
        assert_eq!(
            sanitize("see [docs](https://x.example/a) and <https://y.example>"),
            "see [docs](https://x.example/a) and <https://y.example>"
        );
    }

    #[test]
    fn links_urls_and_tags_are_escaped() {
        assert_eq!(sanitize("see [x] at https://example.com/a."), "see \\[x\\] at <https://example.com/a>.");
        assert_eq!(sanitize("a <b> `[c]`"), "a &lt;b&gt; `[c]`");
        // Plain runs end at every character that may start something: an `h`
        // that starts no URL or one inside a word, an escape already
        // written, non-ASCII text.
        assert_eq!(
            sanitize("héhé http:x hhttps://a.b \\[ok\\] `h <`>c ünïcode]"),
            "héhé http:x h<https://a.b> \\[ok\\] `h <`&gt;c ünïcode\\]"
        );
    }
}
