//! Rustdoc from spec text.
//!
//! Spec descriptions are CommonMark written for people, not for rustdoc: code
//! fences would become doctests and `[x]` would become broken links. They are
//! made safe here, once, for every emitter.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = ...]` attributes for `docs`, with `fallback` when the spec says nothing.
pub fn doc_attrs(docs: &Docs, fallback: &str) -> TokenStream {
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
    if text.is_empty() {
        text.push_str(fallback);
    }
    lines(&sanitize(&text))
}

/// `#[doc = ...]` attributes for text written by the generator (already rustdoc-safe).
pub fn plain(text: &str) -> TokenStream {
    lines(text)
}

/// Inner `#![doc = ...]` attributes (for a crate or module), from rustdoc-safe text.
pub fn inner(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {}", line.trim_end()) };
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

fn lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {}", line.trim_end()) };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Makes spec Markdown safe for rustdoc: code blocks become `text` blocks,
/// link brackets and bare URLs are escaped, HTML-looking tags are escaped.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let indent = &line[..line.len() - trimmed.len()];
            let fence = &trimmed[..3];
            out.push_str(indent);
            if in_fence {
                out.push_str(fence);
            } else {
                out.push_str(fence);
                out.push_str("text");
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else if line.starts_with("    ") || line.starts_with('\t') {
            // An indented code block would be a doctest too.
            out.push_str(line.trim_start());
        } else {
            out.push_str(&escape_inline(line));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code {
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
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
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
    fn code_fences_become_text() {
        assert_eq!(sanitize("a\n```\nlet x;\n```"), "a\n```text\nlet x;\n```");
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```");
    }

    #[test]
    fn links_urls_and_tags_are_escaped() {
        assert_eq!(sanitize("see [x] at https://example.com/a."), "see \\[x\\] at <https://example.com/a>.");
        assert_eq!(sanitize("a <b> `[c]`"), "a &lt;b&gt; `[c]`");
    }
}
