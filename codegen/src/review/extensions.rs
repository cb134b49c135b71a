//! This project's vendor extensions (spec/README.md documents them):
//! `x-long-running-operation`, `x-odata-filter`, `x-client-generated`,
//! `x-ms-pageable` and `x-download-link`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Severity;
use super::differ::{Differ, Place, labelled, show};

fn strings(place: &Place<'_>, key: &str) -> BTreeSet<String> {
    place
        .value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items.iter().map(|item| item.as_str().map(str::to_owned).unwrap_or_else(|| item.to_string())).collect()
        })
        .unwrap_or_default()
}

fn listed(values: &[&String]) -> String {
    let names: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
    names.join(", ")
}

impl<'a> Differ<'a> {
    pub(super) fn compare_long_running(&mut self, subject: &str, old: &Place<'a>, new: &Place<'a>) {
        const KEY: &str = "x-long-running-operation";
        let (before, after) = match (old.get(KEY), new.get(KEY)) {
            (None, None) => return,
            (None, Some(after)) => {
                let status = after.value.get("statusOperation").map(show).unwrap_or_default();
                let what = format!("now a long-running operation, polled with {status}");
                return self.push(Severity::Compatible, subject, what, None, Some(&after.at));
            }
            (Some(before), None) => {
                let what = "no longer marked long-running: clients stop offering to wait for it".to_owned();
                return self.push(Severity::Compatible, subject, what, Some(&before.at), None);
            }
            (Some(before), Some(after)) => (before, after),
        };
        let label = format!("`{KEY}`");
        // What the client polls and where it reads the state: a change sends
        // clients built before to the wrong place.
        for key in ["statusOperation", "resource", "idProperty", "idParameter", "statusProperty", "resultProperty"] {
            let (a, b) = (before.value.get(key), after.value.get(key));
            if a == b {
                continue;
            }
            let (severity, what) = match (a, b) {
                (Some(a), Some(b)) => (Severity::Breaking, format!("`{key}` changed from {} to {}", show(a), show(b))),
                (None, Some(b)) => (Severity::Compatible, format!("`{key}` {} added", show(b))),
                (Some(a), None) if key == "resultProperty" => {
                    (Severity::Compatible, format!("`{key}` {} removed", show(a)))
                }
                (Some(a), None) => (Severity::Breaking, format!("`{key}` {} removed", show(a))),
                (None, None) => continue,
            };
            let old_at = before.get(key).map(|p| p.at).unwrap_or_else(|| before.at.clone());
            let new_at = after.get(key).map(|p| p.at).unwrap_or_else(|| after.at.clone());
            self.push(severity, subject, labelled(&label, what), Some(&old_at), Some(&new_at));
        }
        // A state that changes meaning makes clients built before wait for
        // ever, or stop too early.
        for (key, meaning) in [("successStates", "success"), ("failureStates", "failure")] {
            let (a, b) = (strings(&before, key), strings(&after, key));
            let added: Vec<&String> = b.difference(&a).collect();
            let removed: Vec<&String> = a.difference(&b).collect();
            let old_at = before.get(key).map(|p| p.at).unwrap_or_else(|| before.at.clone());
            let new_at = after.get(key).map(|p| p.at).unwrap_or_else(|| after.at.clone());
            if !added.is_empty() {
                let what = format!(
                    "{} now end polling with {meaning}: clients built before keep polling on them",
                    listed(&added)
                );
                self.push(Severity::Breaking, subject, labelled(&label, what), Some(&old_at), Some(&new_at));
            }
            if !removed.is_empty() {
                let what = format!(
                    "{} no longer end polling with {meaning}: clients built before stop on them",
                    listed(&removed)
                );
                self.push(Severity::Breaking, subject, labelled(&label, what), Some(&old_at), Some(&new_at));
            }
        }
        let handled = [
            "statusOperation",
            "resource",
            "idProperty",
            "idParameter",
            "statusProperty",
            "resultProperty",
            "successStates",
            "failureStates",
        ];
        self.other_keys(subject, &label, &before, &after, &handled);
    }

    pub(super) fn compare_pageable(&mut self, subject: &str, old: &Place<'a>, new: &Place<'a>) {
        const KEY: &str = "x-ms-pageable";
        let (before, after) = match (old.get(KEY), new.get(KEY)) {
            (None, None) => return,
            (None, Some(after)) => {
                let what = "now paged: clients follow its next links".to_owned();
                return self.push(Severity::Compatible, subject, what, None, Some(&after.at));
            }
            (Some(before), None) => {
                let what = "no longer paged: clients stop following its next links".to_owned();
                return self.push(Severity::Compatible, subject, what, Some(&before.at), None);
            }
            (Some(before), Some(after)) => (before, after),
        };
        let label = format!("`{KEY}`");
        // Where the items and the next link are read: a change sends clients
        // built before to the wrong property.
        for (key, default) in [("itemName", Some("value")), ("nextLinkName", None)] {
            let read = |place: &Place<'_>| place.value.get(key).cloned().or_else(|| default.map(Value::from));
            let (a, b) = (read(&before), read(&after));
            if a == b {
                continue;
            }
            let shown = |value: &Option<Value>| value.as_ref().map(show).unwrap_or_else(|| "nothing".to_owned());
            let what = format!("`{key}` changed from {} to {}", shown(&a), shown(&b));
            let old_at = before.get(key).map(|p| p.at).unwrap_or_else(|| before.at.clone());
            let new_at = after.get(key).map(|p| p.at).unwrap_or_else(|| after.at.clone());
            self.push(Severity::Breaking, subject, labelled(&label, what), Some(&old_at), Some(&new_at));
        }
        self.other_keys(subject, &label, &before, &after, &["itemName", "nextLinkName"]);
    }

    /// `x-download-link` on a schema: whether clients download the value
    /// without credentials.
    pub(super) fn compare_download_link(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        const KEY: &str = "x-download-link";
        let media_type = |place: &Place<'_>| place.value.get("mediaType").and_then(Value::as_str).map(str::to_owned);
        let (severity, what, old_at, new_at) = match (old.get(KEY), new.get(KEY)) {
            (None, None) => return,
            (None, Some(after)) => (
                Severity::Compatible,
                format!("now a download link (`{KEY}`): clients download it without their credentials"),
                None,
                Some(after.at),
            ),
            // Clients built before keep downloading it without credentials,
            // which a link that no longer carries its own cannot serve.
            (Some(before), None) => (
                Severity::Breaking,
                format!(
                    "no longer a download link (`{KEY}` removed): clients built before download it without credentials"
                ),
                Some(before.at),
                None,
            ),
            (Some(before), Some(after)) => {
                let (a, b) = (media_type(&before), media_type(&after));
                if before.value == after.value || a == b {
                    return;
                }
                let what = format!("`{KEY}` media type {}", super::operations::change_text(a.as_deref(), b.as_deref()));
                (Severity::DocsOnly, what, Some(before.at), Some(after.at))
            }
        };
        self.push(severity, subject, labelled(label, what), old_at.as_ref(), new_at.as_ref());
    }

    pub(super) fn compare_parameter_extensions(
        &mut self,
        subject: &str,
        label: &str,
        old: &Place<'a>,
        new: &Place<'a>,
    ) {
        self.compare_client_generated(subject, label, old, new);
        self.compare_filter(subject, label, old, new);
    }

    fn compare_client_generated(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        const KEY: &str = "x-client-generated";
        let text = |place: &Place<'_>| place.value.get(KEY).and_then(Value::as_str).map(str::to_owned);
        let (before, after) = (text(old), text(new));
        if before == after {
            return;
        }
        let (severity, what) = match (before.as_deref(), after.as_deref()) {
            (None, Some(b)) => (Severity::Compatible, format!("now made up by the client when not given (`{b}`)")),
            (Some("per-call"), _) => (
                Severity::Breaking,
                format!(
                    "`{KEY}` {}: retries of a call no longer share one idempotency key, so the server cannot recognise a repeat",
                    super::operations::change_text(before.as_deref(), after.as_deref())
                ),
            ),
            (Some(_), Some("per-call")) => (
                Severity::Breaking,
                format!("`{KEY}` changed to `per-call`: the value now stays the same across retries"),
            ),
            _ => (
                Severity::Compatible,
                format!("`{KEY}` {}", super::operations::change_text(before.as_deref(), after.as_deref())),
            ),
        };
        let old_at = old.get(KEY).map(|p| p.at).unwrap_or_else(|| old.at.clone());
        let new_at = new.get(KEY).map(|p| p.at).unwrap_or_else(|| new.at.clone());
        self.push(severity, subject, labelled(label, what), Some(&old_at), Some(&new_at));
    }

    fn compare_filter(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        const KEY: &str = "x-odata-filter";
        let (before, after) = match (old.get(KEY), new.get(KEY)) {
            (None, None) => return,
            (None, Some(after)) => {
                let what = format!("`{KEY}` added: the filter's fields are now documented");
                return self.push(Severity::Compatible, subject, labelled(label, what), None, Some(&after.at));
            }
            (Some(before), None) => {
                let what = format!("`{KEY}` removed: the filter's fields are no longer documented");
                return self.push(Severity::Compatible, subject, labelled(label, what), Some(&before.at), None);
            }
            (Some(before), Some(after)) => (before, after),
        };
        let (old_fields, new_fields) = (before.get("fields"), after.get("fields"));
        self.each_key(old_fields.as_ref(), new_fields.as_ref(), |differ, name, a, b| {
            let field = format!("{label}: filter field `{name}`");
            match (a, b) {
                (Some(a), Some(b)) => differ.compare_filter_field(subject, &field, &a, &b),
                (None, Some(b)) => {
                    differ.push(Severity::Compatible, subject, format!("{field} added"), None, Some(&b.at))
                }
                (Some(a), None) => differ.push(
                    Severity::Breaking,
                    subject,
                    format!("{field} removed: filters that use it are refused"),
                    Some(&a.at),
                    None,
                ),
                (None, None) => {}
            }
        });
        self.other_keys(subject, &format!("{label}: `{KEY}`"), &before, &after, &["fields"]);
    }

    fn compare_filter_field(&mut self, subject: &str, field: &str, old: &Place<'a>, new: &Place<'a>) {
        let (a, b) = (old.value.get("type"), new.value.get("type"));
        if a != b {
            let what = format!(
                "{field}: type changed from {} to {}: literals are written differently",
                a.map(show).unwrap_or_default(),
                b.map(show).unwrap_or_default()
            );
            self.push(Severity::Breaking, subject, what, Some(&old.at), Some(&new.at));
        }
        let (a, b) = (strings(old, "operators"), strings(new, "operators"));
        let removed: Vec<&String> = a.difference(&b).collect();
        let added: Vec<&String> = b.difference(&a).collect();
        let (old_at, new_at) = (
            old.get("operators").map(|p| p.at).unwrap_or_else(|| old.at.clone()),
            new.get("operators").map(|p| p.at).unwrap_or_else(|| new.at.clone()),
        );
        if !removed.is_empty() {
            let what = format!("{field}: operators {} removed: filters that use them are refused", listed(&removed));
            self.push(Severity::Breaking, subject, what, Some(&old_at), Some(&new_at));
        }
        if !added.is_empty() {
            let what = format!("{field}: operators {} added", listed(&added));
            self.push(Severity::Compatible, subject, what, Some(&old_at), Some(&new_at));
        }
        // Known values are documentation and constants, not a closed set.
        let (a, b) = (strings(old, "knownValues"), strings(new, "knownValues"));
        let removed: Vec<&String> = a.difference(&b).collect();
        let added: Vec<&String> = b.difference(&a).collect();
        let (old_at, new_at) = (
            old.get("knownValues").map(|p| p.at).unwrap_or_else(|| old.at.clone()),
            new.get("knownValues").map(|p| p.at).unwrap_or_else(|| new.at.clone()),
        );
        if !added.is_empty() {
            let what = format!("{field}: known values {} added", listed(&added));
            self.push(Severity::Compatible, subject, what, Some(&old_at), Some(&new_at));
        }
        if !removed.is_empty() {
            let what = format!("{field}: known values {} no longer listed", listed(&removed));
            self.push(Severity::Compatible, subject, what, Some(&old_at), Some(&new_at));
        }
        self.other_keys(subject, field, old, new, &["type", "operators", "knownValues"]);
    }
}
