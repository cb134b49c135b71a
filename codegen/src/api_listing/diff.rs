//! Two listings compared item by item (by [`key`](super::key)), and the
//! semver bump the differences call for, after cargo's semver conventions.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{ApiItem, NON_EXHAUSTIVE, PRIVATE_FIELDS, PROVIDED_BODY, PROVIDED_VALUE};

/// A version bump, ordered from none to major.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Semver {
    None,
    Patch,
    Minor,
    Major,
}

impl Semver {
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::None => "none",
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference between two listings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    pub key: String,
    pub kind: ChangeKind,
    /// The line in the old listing (`None` when added).
    pub old: Option<String>,
    /// The line in the new listing (`None` when removed).
    pub new: Option<String>,
    /// Whether code using the old API may stop compiling.
    pub breaking: bool,
    /// One line for a human, saying what changed and, if breaking, why.
    pub message: String,
}

/// The differences between two listings, sorted by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiDiff {
    pub changes: Vec<Change>,
}

impl ApiDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Major if any change is breaking, minor if there is any change, else none.
    pub fn semver(&self) -> Semver {
        if self.changes.iter().any(|change| change.breaking) {
            Semver::Major
        } else if self.changes.is_empty() {
            Semver::None
        } else {
            Semver::Minor
        }
    }
}

/// The bump for a release: [`ApiDiff::semver`], or patch when the API is the
/// same but other generated files (docs, behaviour) differ.
pub fn bump(diff: &ApiDiff, other_files_differ: bool) -> Semver {
    match diff.semver() {
        Semver::None if other_files_differ => Semver::Patch,
        semver => semver,
    }
}

/// Compares two listings by key. A key with one line on each side whose line
/// differs is `Changed`; otherwise lines only in `old` are `Removed` and lines
/// only in `new` are `Added`.
pub fn diff(old: &[ApiItem], new: &[ApiItem]) -> ApiDiff {
    let old_lines = by_key(old);
    let new_lines = by_key(new);
    let keys: BTreeSet<&str> = old_lines.keys().chain(new_lines.keys()).copied().collect();
    let empty = BTreeSet::new();
    let mut changes = Vec::new();
    for key in keys {
        let before = old_lines.get(key).unwrap_or(&empty);
        let after = new_lines.get(key).unwrap_or(&empty);
        if before == after {
            continue;
        }
        if let (1, 1, Some(old_line), Some(new_line)) = (before.len(), after.len(), before.first(), after.first()) {
            changes.push(changed(key, old_line, new_line));
            continue;
        }
        for line in before.difference(after) {
            changes.push(Change {
                key: key.to_owned(),
                kind: ChangeKind::Removed,
                old: Some((*line).to_owned()),
                new: None,
                breaking: true,
                message: format!("removed `{line}`"),
            });
        }
        for line in after.difference(before) {
            changes.push(added(key, line, &old_lines));
        }
    }
    changes.sort();
    ApiDiff { changes }
}

fn by_key(items: &[ApiItem]) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut map: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for item in items {
        map.entry(item.key.as_str()).or_default().insert(item.line.as_str());
    }
    map
}

/// The markers of a line, and the line without them.
struct Marked<'a> {
    core: &'a str,
    non_exhaustive: bool,
    private_fields: bool,
    provided: bool,
}

impl<'a> Marked<'a> {
    fn new(line: &'a str) -> Self {
        let (non_exhaustive, rest) = match line.strip_prefix(NON_EXHAUSTIVE) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        let (private_fields, rest) = strip(rest, PRIVATE_FIELDS);
        let (body, rest) = strip(rest, PROVIDED_BODY);
        let (value, rest) = strip(rest, PROVIDED_VALUE);
        Self { core: rest, non_exhaustive, private_fields, provided: body || value }
    }

    /// Whether code outside the crate can build it with a literal or match
    /// it exhaustively with a struct pattern.
    fn constructible(&self) -> bool {
        !self.non_exhaustive && !self.private_fields
    }
}

fn strip<'a>(line: &'a str, suffix: &str) -> (bool, &'a str) {
    match line.strip_suffix(suffix) {
        Some(rest) => (true, rest),
        None => (false, line),
    }
}

fn changed(key: &str, old: &str, new: &str) -> Change {
    let before = Marked::new(old);
    let after = Marked::new(new);
    let is_struct = key.starts_with("pub struct ") || key.starts_with("pub union ");
    // Only the markers moved: breaking only in the restricting direction.
    let breaking = before.core != after.core
        || (is_struct && before.constructible() && !after.constructible())
        || (!is_struct && !before.non_exhaustive && after.non_exhaustive)
        || (before.provided && !after.provided);
    let label = if before.core == after.core { "markers changed" } else { "signature changed" };
    Change {
        key: key.to_owned(),
        kind: ChangeKind::Changed,
        old: Some(old.to_owned()),
        new: Some(new.to_owned()),
        breaking,
        message: format!("{label}: `{old}` -> `{new}`"),
    }
}

fn added(key: &str, line: &str, old: &BTreeMap<&str, BTreeSet<&str>>) -> Change {
    let reason = addition_breaks(key, line, old);
    let message = match &reason {
        Some(reason) => format!("added `{line}` (breaking: {reason})"),
        None => format!("added `{line}`"),
    };
    Change {
        key: key.to_owned(),
        kind: ChangeKind::Added,
        old: None,
        new: Some(line.to_owned()),
        breaking: reason.is_some(),
        message,
    }
}

/// Why adding this item breaks users of the old API, if it does: a field of
/// a struct they could build, a variant of an enum they could match
/// exhaustively, or a required item of a trait they could implement.
fn addition_breaks(key: &str, line: &str, old: &BTreeMap<&str, BTreeSet<&str>>) -> Option<String> {
    let old_line = |key: String| old.get(key.as_str()).and_then(|lines| lines.first().copied());
    let (kind, path) = key.strip_prefix("pub ")?.split_once(' ').unwrap_or(("", key.strip_prefix("pub ")?));
    let (parent, _) = path.rsplit_once("::")?;
    match kind {
        // A field or a variant.
        "" => {
            if let Some(owner) = old_line(format!("pub struct {parent}")) {
                if Marked::new(owner).constructible() {
                    return Some(format!(
                        "`{parent}` was an exhaustive struct without private fields: struct literals and patterns must now name the new field"
                    ));
                }
            }
            if let Some(owner) = old_line(format!("pub enum {parent}")) {
                if !Marked::new(owner).non_exhaustive {
                    return Some(format!("`{parent}` was an exhaustive enum: exhaustive matches miss the new variant"));
                }
            }
            None
        }
        "fn" | "const" | "type" => {
            let in_trait = old_line(format!("pub trait {parent}")).is_some();
            (in_trait && !Marked::new(line).provided)
                .then(|| format!("a required item of trait `{parent}`: its implementations must now provide it"))
        }
        _ => None,
    }
}
