//! The emitted crate's public Rust API as text, one item per line, and the
//! semver bump between two such listings.
//!
//! The listing is read from the syntax trees of the emitted `src/` files, not
//! from the IR, so it cannot disagree with the code and it covers the runtime
//! items every spec gets. [`generate`](crate::generate) commits it as
//! `API.md`: its diff shows reviewers how a spec change changes the Rust API,
//! and [`diff`] compares two listings item by item.
//!
//! A line is the item's full path (the crate's name first) in its Rust
//! signature: `pub fn krate::client::Client::new(token: impl Into<String>) ->
//! Result<Self, Error>`, `pub krate::client::Polling::timeout: Duration` (a
//! field), `pub krate::types::Status::Other(String)` (a variant), `impl Clone
//! for krate::client::Client`, `pub use krate::Client = krate::client::Client`.
//! Markers that decide whether an addition is breaking are part of the line:
//! [`NON_EXHAUSTIVE`] before it, [`PRIVATE_FIELDS`] after a struct,
//! [`PROVIDED_BODY`] / [`PROVIDED_VALUE`] after a trait item with a default.

mod diff;
mod macros;
mod print;
mod qualify;
mod walk;

use std::collections::{BTreeMap, BTreeSet};

pub use diff::{ApiDiff, Change, ChangeKind, Semver, bump, diff};
pub use macros::KnownMacros;
pub use walk::FileListing;

/// The listing's file in the emitted crate.
pub const FILE_NAME: &str = "API.md";

/// Written before a `#[non_exhaustive]` struct, enum or variant.
pub const NON_EXHAUSTIVE: &str = "#[non_exhaustive]";
/// Written after a struct or union with at least one field that is not `pub`.
pub const PRIVATE_FIELDS: &str = " { /* private fields */ }";
/// Written after a trait method with a default body.
pub const PROVIDED_BODY: &str = " { ... }";
/// Written after a trait constant or type with a default.
pub const PROVIDED_VALUE: &str = " = ...";

/// One line of the listing, with the identity it is compared by.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiItem {
    /// What the item is and where: see [`key`].
    pub key: String,
    pub line: String,
}

impl ApiItem {
    pub fn new(line: impl Into<String>) -> Self {
        let line = line.into();
        Self { key: key(&line), line }
    }
}

/// An item's identity: its kind and full path, without the signature, so
/// that a changed signature is a change of the same item.
///
/// `pub fn krate::Client::new(...) -> ...` → `pub fn krate::Client::new`
/// (qualifiers such as `async` or `const` dropped), `pub krate::S::field: T`
/// → `pub krate::S::field`, `#[non_exhaustive] pub struct krate::S<T>` →
/// `pub struct krate::S`, `impl<T> From<T> for krate::S where ...` →
/// `impl From<T> for krate::S` (an impl is its trait and type). Any other
/// text is its own key.
pub fn key(line: &str) -> String {
    let mut text = line.trim();
    // Attributes (`#[non_exhaustive]`) are markers, not identity.
    while text.starts_with("#[") {
        let Some(end) = closing_bracket(text) else { break };
        text = text[end + 1..].trim_start();
    }
    let text = text.strip_prefix("unsafe ").filter(|rest| starts_with_word(rest, "impl")).unwrap_or(text);
    if starts_with_word(text, "impl") {
        return impl_key(text);
    }
    let Some(rest) = text.strip_prefix("pub ") else {
        return text.to_owned();
    };
    let words: Vec<&str> = rest.split(' ').filter(|word| !word.is_empty()).collect();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        let next = words.get(index + 1).copied().unwrap_or_default();
        let qualifier = matches!(*word, "async" | "unsafe" | "safe" | "extern" | "default")
            || word.starts_with('"')
            || (*word == "const" && (matches!(next, "fn" | "async" | "unsafe" | "extern") || next.starts_with('"')));
        if qualifier {
            index += 1;
            continue;
        }
        return match *word {
            "fn" | "mod" | "use" | "struct" | "enum" | "union" | "trait" | "type" | "const" | "static" => {
                // `static mut` and methods of `dyn Trait` have a word before the path.
                let skip = (*word == "static" && next == "mut") || (*word == "fn" && next == "dyn");
                let name = words.get(index + if skip { 2 } else { 1 });
                format!("pub {word} {}", path_prefix(name.copied().unwrap_or_default()))
            }
            member => format!("pub {}", path_prefix(member)),
        };
    }
    text.to_owned()
}

/// The index of the `]` closing the `[` at `text[1]`.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, character) in text.char_indices() {
        match character {
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '<']))
}

/// The path a word starts with: `krate::S::f:` → `krate::S::f`.
fn path_prefix(word: &str) -> &str {
    let end = word
        .char_indices()
        .find(|(_, character)| !(character.is_alphanumeric() || matches!(character, '_' | ':' | '#' | '*')))
        .map_or(word.len(), |(index, _)| index);
    word[..end].trim_end_matches(':')
}

/// `impl<T: Bound> Trait<T> for Type<T> where ...` → `impl Trait<T> for Type<T>`.
fn impl_key(text: &str) -> String {
    let mut rest = text.strip_prefix("impl").unwrap_or(text);
    if rest.starts_with('<') {
        let mut depth = 0usize;
        let mut previous = ' ';
        let mut end = rest.len();
        for (index, character) in rest.char_indices() {
            match character {
                '<' => depth += 1,
                // `->` inside a bound (`F: Fn() -> T`) closes nothing.
                '>' if previous != '-' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = index + 1;
                        break;
                    }
                }
                _ => {}
            }
            previous = character;
        }
        rest = &rest[end..];
    }
    let rest = rest.split(" where ").next().unwrap_or(rest);
    format!("impl {}", rest.trim())
}

/// The `API.md` text of a crate given as source files (for instance a
/// committed crate from before `API.md` existed), read the same way as
/// `generate` reads its own output. `None` when a Rust file does not parse.
pub fn listing_of_sources(crate_name: &str, files: &BTreeMap<String, String>) -> Option<String> {
    let mut trees = BTreeMap::new();
    for (path, text) in files {
        if path.starts_with("src/") && path.ends_with(".rs") {
            trees.insert(path.clone(), syn::parse_file(text).ok()?);
        }
    }
    Some(render(crate_name, "cargo xtask review", &listing(crate_name, trees)))
}

/// The public API of the crate whose `src/*.rs` syntax trees are in `files`
/// (keyed by path relative to the crate root, like [`crate::Files`]); other
/// paths, such as `tests/`, are ignored. Sorted by line, without duplicates.
/// The trees are consumed: their pieces are moved into what is printed.
pub fn listing(crate_name: &str, files: BTreeMap<String, syn::File>) -> Vec<ApiItem> {
    let crate_ident = crate_name.replace('-', "_");
    walk::lines(&crate_ident, files).into_iter().map(ApiItem::new).collect()
}

/// What one file of the crate adds to its listing (see [`listing`]), read
/// from its tree alone so that the tree can be dropped at once. Plain text:
/// it can be sent to another thread. Invocations of the `known` macros
/// (the crate's own, when they are known before its files are) are
/// expanded here, the others by [`combine`].
pub fn read_file(crate_name: &str, path: &str, file: syn::File, known: &KnownMacros) -> FileListing {
    walk::read_file(&crate_name.replace('-', "_"), path, file, known)
}

/// The lines of a crate's listing from what [`read_file`] read of each of
/// its files (in any order): the same lines as [`listing`] of their trees.
pub fn combine(files: Vec<FileListing>) -> BTreeSet<String> {
    walk::combine(files)
}

/// The text of `API.md`: a generated-file header, a title, a sentence on its
/// purpose, and the sorted lines in one fenced block.
pub fn render(crate_name: &str, command: &str, items: &[ApiItem]) -> String {
    render_lines(crate_name, command, items.iter().map(|item| item.line.as_str()).collect())
}

/// [`render`] of the lines alone.
pub fn render_lines(crate_name: &str, command: &str, lines: BTreeSet<&str>) -> String {
    let crate_ident = crate_name.replace('-', "_");
    let mut out = format!(
        "<!-- @generated by `{command}`. Do not edit by hand: change the spec and regenerate. -->\n\
         # Public API of `{crate_ident}`\n\n\
         Every public item of the generated crate, one per line with its full path and signature: \
         reviewers read this file's diff to see how a spec change changes the Rust API, and \
         `cargo xtask review` compares it with the previous version to decide the semver bump.\n\n\
         ```text\n"
    );
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

/// The items of an `API.md` text: the lines of its first ```` ```text ````
/// block, sorted, without duplicates. Text without such a block gives none;
/// an unterminated block runs to the end. Never fails.
pub fn parse(md: &str) -> Vec<ApiItem> {
    let mut lines = md.lines().map(str::trim);
    let mut items = BTreeSet::new();
    if lines.any(|line| line == "```text") {
        for line in lines.take_while(|line| *line != "```").filter(|line| !line.is_empty()) {
            items.insert(ApiItem::new(line));
        }
    }
    let mut items: Vec<ApiItem> = items.into_iter().collect();
    items.sort_by(|a, b| a.line.cmp(&b.line));
    items
}

#[cfg(test)]
mod tests;
