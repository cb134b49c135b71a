//! Spec review: what a change of the spec means for callers of the HTTP API
//! and for users of the generated crate.
//!
//! [`review`] compares two versions of a spec. The HTTP contract is compared
//! on the two documents' trees (`differ.rs` and the modules beside it); the
//! Rust API is compared on the two crates' `API.md` listings
//! ([`crate::api_listing`]). Both are pure: the caller loads, generates and
//! lints, and [`render`] turns the result into Markdown, JSON or GitHub
//! workflow commands.

mod access;
mod differ;
mod document;
mod extensions;
pub mod lines;
mod operations;
pub mod render;
mod schema;

use serde_json::Value;

use crate::api_listing::{self, Semver};
use crate::pointer::Pointer;

/// How much a change matters to the people who call the API or use the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Descriptions, summaries, examples: nothing that runs changes.
    DocsOnly,
    /// Everything that worked before still works.
    Compatible,
    /// Code or calls that worked before can fail now.
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::DocsOnly => "docs-only",
            Severity::Compatible => "compatible",
            Severity::Breaking => "breaking",
        }
    }
}

/// What a change is about: the HTTP contract or the generated Rust API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    Http,
    Rust,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Http => "http",
            Area::Rust => "rust",
        }
    }
}

/// One change between the two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    pub area: Area,
    /// What it belongs to, for grouping: `POST /payouts/payments`,
    /// ``schema `ExportStatus` ``, `document`, `Rust API`.
    pub subject: String,
    /// One line, without the subject.
    pub message: String,
    /// Where it is in the old document (absent for additions and Rust changes).
    pub old: Option<Pointer>,
    /// Where it is in the new document (absent for removals and Rust changes).
    pub new: Option<Pointer>,
    /// The line in the new file: of `new`, or for a removal of the nearest
    /// place the new file still has.
    pub line: Option<usize>,
    /// For a change to a component: the operations that use it (`POST /things`).
    pub used_by: Vec<String>,
}

/// The most severe change, or `None` when nothing changed at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    None,
    DocsOnly,
    Compatible,
    Breaking,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::None => "none",
            Verdict::DocsOnly => "docs-only",
            Verdict::Compatible => "compatible",
            Verdict::Breaking => "breaking",
        }
    }
}

/// One finding of the spec linter on the new spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintFinding {
    /// `error`, `warning`, `info` or `hint`.
    pub severity: String,
    /// The rule's name.
    pub code: String,
    pub message: String,
    pub pointer: Option<Pointer>,
    pub line: Option<usize>,
}

/// Everything a reviewer is told about a spec change.
#[derive(Clone, Debug)]
pub struct Review {
    /// HTTP changes first, in document order, then Rust API changes.
    pub changes: Vec<Change>,
    /// The Rust API listing's changed lines: (old line, new line).
    pub listing_diff: Vec<(Option<String>, Option<String>)>,
    /// The version bump the generated crate needs.
    pub semver: Semver,
    /// The linter's findings on the new spec.
    pub lint: Vec<LintFinding>,
    /// Set when the linter could not run, saying why.
    pub lint_skipped: Option<String>,
}

impl Review {
    pub fn verdict(&self) -> Verdict {
        match self.changes.iter().map(|change| change.severity).max() {
            None => Verdict::None,
            Some(Severity::DocsOnly) => Verdict::DocsOnly,
            Some(Severity::Compatible) => Verdict::Compatible,
            Some(Severity::Breaking) => Verdict::Breaking,
        }
    }

    pub fn is_breaking(&self) -> bool {
        self.verdict() == Verdict::Breaking
    }
}

/// The two versions, as the caller loaded and generated them.
pub struct Inputs<'a> {
    /// The old document's tree; an empty object when the spec did not exist.
    pub old_tree: &'a Value,
    pub new_tree: &'a Value,
    /// The new spec's text, for line numbers.
    pub new_text: &'a str,
    /// The old and new crates' `API.md`.
    pub old_listing: &'a str,
    pub new_listing: &'a str,
    /// Whether any other file of the two generated crates differs.
    pub crate_files_differ: bool,
}

/// Compares two versions of a spec. Pure: lint findings are added by the caller.
pub fn review(inputs: &Inputs<'_>) -> Review {
    let mut changes = http_changes(inputs.old_tree, inputs.new_tree, inputs.new_text);
    let mut old_listing = inputs.old_listing.to_owned();
    let mut renamed = false;
    // A renamed crate (a new `info.title`) changes every item's path: say it
    // once, then compare the items under the new name.
    if let (Some(old_name), Some(new_name)) = (crate_of(inputs.old_listing), crate_of(inputs.new_listing)) {
        if old_name != new_name {
            changes.push(Change {
                severity: Severity::Breaking,
                area: Area::Rust,
                subject: "Rust API".to_owned(),
                message: format!(
                    "the crate is renamed from `{old_name}` to `{new_name}`: dependents change their manifest and every path"
                ),
                old: None,
                new: None,
                line: None,
                used_by: Vec::new(),
            });
            old_listing = old_listing.replace(&format!("{old_name}::"), &format!("{new_name}::"));
            renamed = true;
        }
    }
    let old_items = api_listing::parse(&old_listing);
    let new_items = api_listing::parse(inputs.new_listing);
    let diff = api_listing::diff(&old_items, &new_items);
    let mut listing_diff = Vec::new();
    for change in &diff.changes {
        changes.push(Change {
            severity: if change.breaking { Severity::Breaking } else { Severity::Compatible },
            area: Area::Rust,
            subject: "Rust API".to_owned(),
            message: change.message.clone(),
            old: None,
            new: None,
            line: None,
            used_by: Vec::new(),
        });
        listing_diff.push((change.old.clone(), change.new.clone()));
    }
    let semver = if renamed { Semver::Major } else { api_listing::bump(&diff, inputs.crate_files_differ) };
    if changes.is_empty() && semver == Semver::Patch {
        // Say what the bump is for: the spec's contract is the same (say,
        // properties were reordered) or the generator itself changed.
        changes.push(Change {
            severity: Severity::Compatible,
            area: Area::Rust,
            subject: "Rust API".to_owned(),
            message: "the generated code changes but its public API does not (a patch release)".to_owned(),
            old: None,
            new: None,
            line: None,
            used_by: Vec::new(),
        });
    }
    Review { changes, listing_diff, semver, lint: Vec::new(), lint_skipped: None }
}

/// The crate an `API.md` text lists (its title names it).
fn crate_of(listing: &str) -> Option<&str> {
    listing.lines().find_map(|line| line.strip_prefix("# Public API of `")?.strip_suffix('`'))
}

/// The HTTP contract changes between two document trees, with the line of
/// each in the new text.
pub fn http_changes(old: &Value, new: &Value, new_text: &str) -> Vec<Change> {
    let mut differ = differ::Differ::new(old, new);
    differ.compare_document();
    let mut changes = differ.changes;
    let index = lines::LineIndex::new(new_text);
    for change in &mut changes {
        change.line = match (&change.new, &change.old) {
            (Some(new), _) => index.line(new).or_else(|| index.nearest_line(new)),
            (None, Some(old)) => index.nearest_line(old),
            (None, None) => None,
        };
    }
    changes
}

#[cfg(test)]
mod tests;
