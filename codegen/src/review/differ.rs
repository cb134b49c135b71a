//! The walk over two spec trees that collects HTTP contract changes.
//!
//! Both trees have passed the generator's checks. Each thing is compared
//! where it is written: an operation compares its inline parts, a component
//! is compared once under `components`, and a `$ref` that names the same
//! target on both sides is not followed (that target has its own comparison).
//! Every key the rules do not know is still compared, so no difference goes
//! unreported: descriptions and examples as docs-only, anything else as
//! compatible.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::{Area, Change, Severity};
use crate::pointer::Pointer;

/// Keys whose changes are documentation only.
const DOCS_KEYS: &[&str] =
    &["description", "summary", "title", "example", "examples", "externalDocs", "x-enum-descriptions", "tags"];

/// How many `$ref`s a chain may pass through; the generator rejects longer ones.
const MAX_CHAIN: usize = 64;

/// A value in one of the two trees, and where it is.
#[derive(Clone)]
pub(super) struct Place<'a> {
    pub value: &'a Value,
    pub at: Pointer,
}

impl<'a> Place<'a> {
    pub fn new(value: &'a Value, at: Pointer) -> Self {
        Self { value, at }
    }

    /// The member `key` of this object, if present.
    pub fn get(&self, key: &str) -> Option<Place<'a>> {
        self.value.get(key).map(|value| Place::new(value, self.at.join(key)))
    }

    /// The `$ref` string, when this value is a reference.
    pub fn reference(&self) -> Option<&'a str> {
        self.value.get("$ref").and_then(Value::as_str)
    }
}

/// In which direction a schema or part carries data, which decides whether
/// narrowing or widening it breaks callers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Directions {
    /// The client sends it (parameters, request bodies).
    pub request: bool,
    /// The client receives it (responses).
    pub response: bool,
}

impl Directions {
    pub const REQUEST: Self = Self { request: true, response: false };
    pub const RESPONSE: Self = Self { request: false, response: true };

    /// The severity of a change that is `request` for data the client sends
    /// and `response` for data it receives. A part nothing uses breaks no call.
    pub fn severity(self, request: Severity, response: Severity) -> Severity {
        let mut worst = None;
        if self.request {
            worst = worst.max(Some(request));
        }
        if self.response {
            worst = worst.max(Some(response));
        }
        worst.unwrap_or(request.max(response).min(Severity::Compatible))
    }

    /// Accepting fewer values: breaks senders, not receivers.
    pub fn narrowing(self) -> Severity {
        self.severity(Severity::Breaking, Severity::Compatible)
    }

    /// Accepting more values: breaks receivers, not senders.
    pub fn widening(self) -> Severity {
        self.severity(Severity::Compatible, Severity::Breaking)
    }
}

/// The two documents and the changes found so far.
pub(super) struct Differ<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    pub changes: Vec<Change>,
    old_usage: Usage,
    new_usage: Usage,
    /// Pairs of places being compared further up the walk (cycles end here).
    visiting: HashSet<(Pointer, Pointer)>,
}

impl<'a> Differ<'a> {
    pub fn new(old: &'a Value, new: &'a Value) -> Self {
        Self {
            old,
            new,
            changes: Vec::new(),
            old_usage: Usage::of(old),
            new_usage: Usage::of(new),
            visiting: HashSet::new(),
        }
    }

    /// Records one change.
    pub fn push(
        &mut self,
        severity: Severity,
        subject: &str,
        message: String,
        old: Option<&Pointer>,
        new: Option<&Pointer>,
    ) {
        self.changes.push(Change {
            severity,
            area: Area::Http,
            subject: subject.to_owned(),
            message,
            old: old.cloned(),
            new: new.cloned(),
            line: None,
            used_by: Vec::new(),
        });
    }

    /// Follows `$ref`s from `place` in the old (`old_side`) or new tree.
    pub fn resolve(&self, place: Place<'a>, old_side: bool) -> Place<'a> {
        let tree = if old_side { self.old } else { self.new };
        let mut current = place;
        for _ in 0..MAX_CHAIN {
            let Some(target) = current.reference().and_then(Pointer::parse_local_ref) else { return current };
            let Some(value) = target.lookup(tree) else { return current };
            current = Place::new(value, target);
        }
        current
    }

    /// Starts comparing a pair of places; false when the pair is already being
    /// compared further up (a recursive schema) or the walk is too deep.
    pub fn enter(&mut self, old: &Pointer, new: &Pointer) -> bool {
        self.visiting.len() < 64 && self.visiting.insert((old.clone(), new.clone()))
    }

    pub fn leave(&mut self, old: &Pointer, new: &Pointer) {
        self.visiting.remove(&(old.clone(), new.clone()));
    }

    /// The directions in which the component at `pointer` is used, on either side.
    pub fn usage(&self, pointer: &Pointer) -> Directions {
        let key = pointer.to_string();
        Directions {
            request: self.old_usage.request.contains_key(&key) || self.new_usage.request.contains_key(&key),
            response: self.old_usage.response.contains_key(&key) || self.new_usage.response.contains_key(&key),
        }
    }

    /// The operations that use the component at `pointer`, on either side.
    pub fn users(&self, pointer: &Pointer) -> Vec<String> {
        let key = pointer.to_string();
        let mut users = BTreeSet::new();
        self.old_usage.users(&key, &mut users);
        self.new_usage.users(&key, &mut users);
        users.into_iter().collect()
    }

    /// Compares the members of two objects that the caller's rules do not
    /// handle: documentation keys are docs-only, anything else compatible.
    pub fn other_keys(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>, handled: &[&str]) {
        let (Some(old_map), Some(new_map)) = (old.value.as_object(), new.value.as_object()) else {
            if old.value != new.value {
                self.push(
                    Severity::Compatible,
                    subject,
                    labelled(label, "changed".to_owned()),
                    Some(&old.at),
                    Some(&new.at),
                );
            }
            return;
        };
        let keys: BTreeSet<&String> = old_map.keys().chain(new_map.keys()).collect();
        let mut ordered: Vec<&String> = new_map.keys().filter(|key| keys.contains(key)).collect();
        ordered.extend(old_map.keys().filter(|key| !new_map.contains_key(*key)));
        for key in ordered {
            if handled.contains(&key.as_str()) || key == "$ref" {
                continue;
            }
            let (before, after) = (old_map.get(key), new_map.get(key));
            if before == after {
                continue;
            }
            let severity = if DOCS_KEYS.contains(&key.as_str()) { Severity::DocsOnly } else { Severity::Compatible };
            let what = match (before, after) {
                (None, _) => format!("`{key}` added"),
                (_, None) => format!("`{key}` removed"),
                _ => format!("`{key}` changed"),
            };
            let old_at = before.map(|_| old.at.join(key));
            let new_at = after.map(|_| new.at.join(key));
            self.push(severity, subject, labelled(label, what), old_at.as_ref(), new_at.as_ref());
        }
    }

    /// Compares maps keyed by name: calls `added`, `removed` or `matched` for
    /// each key, new keys in the new document's order, then removed ones.
    pub fn each_key(
        &mut self,
        old: Option<&Place<'a>>,
        new: Option<&Place<'a>>,
        mut visit: impl FnMut(&mut Self, &str, Option<Place<'a>>, Option<Place<'a>>),
    ) {
        let old_map = old.and_then(|place| place.value.as_object());
        let new_map = new.and_then(|place| place.value.as_object());
        if let (Some(new), Some(map)) = (new, new_map) {
            for key in map.keys() {
                let before = old.and_then(|old| old.get(key));
                visit(self, key, before, new.get(key));
            }
        }
        if let (Some(old), Some(map)) = (old, old_map) {
            for key in map.keys() {
                if new_map.is_some_and(|new_map| new_map.contains_key(key)) {
                    continue;
                }
                visit(self, key, old.get(key), None);
            }
        }
    }
}

/// `label: what`, or just `what` without a label.
pub(super) fn labelled(label: &str, what: String) -> String {
    if label.is_empty() { what } else { format!("{label}: {what}") }
}

/// A JSON value as a reader sees it in a message.
pub(super) fn show(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        other => format!("`{other}`"),
    }
}

/// The places (as pointer text) reached from requests and from responses,
/// each with the operations (`POST /things`) that reach it.
#[derive(Default)]
struct Usage {
    request: HashMap<String, BTreeSet<String>>,
    response: HashMap<String, BTreeSet<String>>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Usage {
    fn of(tree: &Value) -> Self {
        let mut usage = Self::default();
        let Some(paths) = tree.get("paths").and_then(Value::as_object) else { return usage };
        for (path, item) in paths {
            let item = follow(tree, item);
            for method in METHODS {
                let Some(operation) = item.get(*method) else { continue };
                let title = format!("{} {path}", method.to_uppercase());
                let requests = [item.get("parameters"), operation.get("parameters"), operation.get("requestBody")];
                usage.reach(tree, &requests, true, &title);
                usage.reach(tree, &[operation.get("responses")], false, &title);
            }
        }
        usage
    }

    /// Marks every reference target reachable from `values`, transitively.
    fn reach(&mut self, tree: &Value, values: &[Option<&Value>], request: bool, operation: &str) {
        let uses = if request { &mut self.request } else { &mut self.response };
        let mut seen = HashSet::new();
        let mut pending: Vec<&Value> = values.iter().flatten().copied().collect();
        while let Some(value) = pending.pop() {
            match value {
                Value::Object(map) => {
                    let target = map.get("$ref").and_then(Value::as_str).and_then(Pointer::parse_local_ref);
                    if let Some(pointer) = target {
                        let key = pointer.to_string();
                        if seen.insert(key.clone()) {
                            uses.entry(key).or_default().insert(operation.to_owned());
                            pending.extend(pointer.lookup(tree));
                        }
                    }
                    pending.extend(map.values());
                }
                Value::Array(items) => pending.extend(items),
                _ => {}
            }
        }
    }

    fn users(&self, key: &str, into: &mut BTreeSet<String>) {
        for uses in [&self.request, &self.response] {
            into.extend(uses.get(key).into_iter().flatten().cloned());
        }
    }
}

/// A value with one level of `$ref` followed (path items may be references).
fn follow<'t>(tree: &'t Value, value: &'t Value) -> &'t Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(Pointer::parse_local_ref)
        .and_then(|pointer| pointer.lookup(tree))
        .unwrap_or(value)
}
