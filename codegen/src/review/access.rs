//! How callers reach the API: servers, security requirements and schemes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Severity;
use super::differ::{Differ, Place, labelled, show};
use super::operations::change_text;

/// One alternative of a security requirement list: schemes sent together,
/// each with its scopes. An empty map means "no authentication".
type Alternative = BTreeMap<String, BTreeSet<String>>;

fn alternatives(place: Option<&Place<'_>>) -> Vec<Alternative> {
    let list: Vec<Alternative> = place
        .and_then(|place| place.value.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|requirement| {
                    requirement
                        .iter()
                        .map(|(scheme, scopes)| {
                            let scopes = scopes
                                .as_array()
                                .map(|s| s.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                                .unwrap_or_default();
                            (scheme.clone(), scopes)
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    // No requirement at all is the same as one empty alternative: anyone may call.
    if list.is_empty() { vec![Alternative::new()] } else { list }
}

fn describe(alternative: &Alternative) -> String {
    if alternative.is_empty() {
        return "no authentication".to_owned();
    }
    let names: Vec<String> = alternative.keys().map(|name| format!("`{name}`")).collect();
    names.join(" and ")
}

fn schemes(alternative: &Alternative) -> BTreeSet<&String> {
    alternative.keys().collect()
}

impl<'a> Differ<'a> {
    /// The document's security, which every operation without its own inherits.
    pub(super) fn compare_document_security(&mut self, old: &Place<'a>, new: &Place<'a>) {
        let (before, after) = (old.get("security"), new.get("security"));
        if old.value.as_object().is_some_and(|map| map.is_empty()) {
            // A spec that did not exist before: nobody called it without authentication.
            if let Some(after) = after {
                self.push(
                    Severity::Compatible,
                    "security",
                    "security requirements added".to_owned(),
                    None,
                    Some(&after.at),
                );
            }
            return;
        }
        if before.as_ref().map(|p| p.value) != after.as_ref().map(|p| p.value) {
            let old_at = before.as_ref().map(|p| p.at.clone()).unwrap_or_else(|| old.at.clone());
            let new_at = after.as_ref().map(|p| p.at.clone()).unwrap_or_else(|| new.at.clone());
            self.compare_requirements(
                "security",
                "operations without their own `security`",
                before.as_ref(),
                after.as_ref(),
                (&old_at, &new_at),
            );
        }
    }

    /// An operation's own security, when either side sets one (otherwise the
    /// document-level comparison covers it).
    pub(super) fn compare_operation_security(&mut self, subject: &str, old: &Place<'a>, new: &Place<'a>) {
        let (before, after) = (old.get("security"), new.get("security"));
        if before.is_none() && after.is_none() {
            return;
        }
        let old_root = Place::new(self.old, Default::default());
        let new_root = Place::new(self.new, Default::default());
        let before = before.or_else(|| old_root.get("security"));
        let after = after.or_else(|| new_root.get("security"));
        if before.as_ref().map(|p| p.value) == after.as_ref().map(|p| p.value) {
            return;
        }
        let old_at = before.as_ref().map(|p| p.at.clone()).unwrap_or_else(|| old.at.clone());
        let new_at = after.as_ref().map(|p| p.at.clone()).unwrap_or_else(|| new.at.clone());
        self.compare_requirements(subject, "", before.as_ref(), after.as_ref(), (&old_at, &new_at));
    }

    fn compare_requirements(
        &mut self,
        subject: &str,
        label: &str,
        old: Option<&Place<'a>>,
        new: Option<&Place<'a>>,
        (old_at, new_at): (&crate::pointer::Pointer, &crate::pointer::Pointer),
    ) {
        let (before, after) = (alternatives(old), alternatives(new));
        for alternative in &before {
            if let Some(same) = after.iter().find(|other| schemes(other) == schemes(alternative)) {
                for (scheme, scopes) in same {
                    let previous = alternative.get(scheme).cloned().unwrap_or_default();
                    let added: Vec<&String> = scopes.difference(&previous).collect();
                    if !added.is_empty() {
                        let what = format!("`{scheme}` now requires scopes {added:?}: tokens without them are refused");
                        self.push(Severity::Breaking, subject, labelled(label, what), Some(old_at), Some(new_at));
                    }
                    let removed: Vec<&String> = previous.difference(scopes).collect();
                    if !removed.is_empty() {
                        let what = format!("`{scheme}` no longer requires scopes {removed:?}");
                        self.push(Severity::Compatible, subject, labelled(label, what), Some(old_at), Some(new_at));
                    }
                }
            } else if let Some(looser) = after.iter().find(|other| schemes(other).is_subset(&schemes(alternative))) {
                let what = format!("{} relaxed to {}", describe(alternative), describe(looser));
                self.push(Severity::Compatible, subject, labelled(label, what), Some(old_at), Some(new_at));
            } else if let Some(stricter) =
                after.iter().find(|other| !alternative.is_empty() && schemes(alternative).is_subset(&schemes(other)))
            {
                let extra: Vec<String> = stricter
                    .keys()
                    .filter(|scheme| !alternative.contains_key(*scheme))
                    .map(|scheme| format!("`{scheme}`"))
                    .collect();
                let what = format!(
                    "{} now also needs {}: callers without it fail",
                    describe(alternative),
                    extra.join(" and ")
                );
                self.push(Severity::Breaking, subject, labelled(label, what), Some(old_at), Some(new_at));
            } else {
                let what = if alternative.is_empty() {
                    "authentication is now required: anonymous calls fail".to_owned()
                } else {
                    format!("{} no longer accepted: callers using it fail", describe(alternative))
                };
                self.push(Severity::Breaking, subject, labelled(label, what), Some(old_at), Some(new_at));
            }
        }
        for alternative in &after {
            // Equal alternatives, and looser or stricter replacements of an
            // old one that is gone, were reported above.
            let kept = |old: &Alternative| after.iter().any(|other| schemes(other) == schemes(old));
            let reported = before.iter().any(|other| {
                schemes(other) == schemes(alternative)
                    || (!kept(other)
                        && (schemes(alternative).is_subset(&schemes(other))
                            || schemes(other).is_subset(&schemes(alternative))))
            });
            if !reported {
                let what = format!("{} now also accepted", describe(alternative));
                self.push(Severity::Compatible, subject, labelled(label, what), Some(old_at), Some(new_at));
            }
        }
    }

    /// A security scheme under `components/securitySchemes`.
    pub(super) fn compare_security_scheme(&mut self, subject: &str, old: &Place<'a>, new: &Place<'a>) {
        for key in ["type", "scheme", "in", "name", "openIdConnectUrl"] {
            let text = |place: &Place<'_>| place.value.get(key).and_then(Value::as_str).map(str::to_owned);
            let (before, after) = (text(old), text(new));
            if before != after {
                let what = format!(
                    "`{key}` {}: callers send credentials the old way",
                    change_text(before.as_deref(), after.as_deref())
                );
                self.push(Severity::Breaking, subject, what, Some(&old.at), Some(&new.at));
            }
        }
        let (old_flows, new_flows) = (old.get("flows"), new.get("flows"));
        self.each_key(old_flows.as_ref(), new_flows.as_ref(), |differ, flow, before, after| match (before, after) {
            (Some(before), Some(after)) => {
                for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                    let (a, b) = (before.value.get(key), after.value.get(key));
                    if a != b {
                        let what = format!("OAuth flow `{flow}`: `{key}` changed");
                        differ.push(Severity::Breaking, subject, what, Some(&before.at), Some(&after.at));
                    }
                }
                let scopes = |place: &Place<'_>| -> BTreeSet<String> {
                    place
                        .value
                        .get("scopes")
                        .and_then(Value::as_object)
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default()
                };
                let (a, b) = (scopes(&before), scopes(&after));
                for scope in a.difference(&b) {
                    let what = format!("OAuth flow `{flow}`: scope `{scope}` removed: tokens asked with it fail");
                    differ.push(Severity::Breaking, subject, what, Some(&before.at), Some(&after.at));
                }
                for scope in b.difference(&a) {
                    let what = format!("OAuth flow `{flow}`: scope `{scope}` added");
                    differ.push(Severity::Compatible, subject, what, Some(&before.at), Some(&after.at));
                }
            }
            (None, Some(after)) => {
                differ.push(Severity::Compatible, subject, format!("OAuth flow `{flow}` added"), None, Some(&after.at))
            }
            (Some(before), None) => differ.push(
                Severity::Breaking,
                subject,
                format!("OAuth flow `{flow}` removed: callers using it fail"),
                Some(&before.at),
                None,
            ),
            (None, None) => {}
        });
        let handled = ["type", "scheme", "in", "name", "openIdConnectUrl", "flows", "bearerFormat"];
        self.other_keys(subject, "", old, new, &handled);
        if old.value.get("bearerFormat") != new.value.get("bearerFormat") {
            self.push(Severity::DocsOnly, subject, "`bearerFormat` changed".to_owned(), Some(&old.at), Some(&new.at));
        }
    }

    /// A list of servers (the document's, a path's or an operation's).
    pub(super) fn compare_servers(&mut self, subject: &str, old: Option<&Place<'a>>, new: Option<&Place<'a>>) {
        let entries = |place: Option<&Place<'a>>| -> Vec<(String, Place<'a>)> {
            let Some(place) = place else { return Vec::new() };
            let Some(items) = place.value.as_array() else { return Vec::new() };
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let url = item.get("url").and_then(Value::as_str).unwrap_or_default().to_owned();
                    (url, Place::new(item, place.at.join(index)))
                })
                .collect()
        };
        let (before, after) = (entries(old), entries(new));
        if let (Some((first_old, old_place)), Some((first_new, new_place))) = (before.first(), after.first()) {
            if first_old != first_new && after.iter().any(|(url, _)| url == first_old) {
                let what = format!("default server changed from `{first_old}` to `{first_new}`");
                self.push(Severity::Compatible, subject, what, Some(&old_place.at), Some(&new_place.at));
            }
        }
        for (url, place) in &after {
            match before.iter().find(|(other, _)| other == url) {
                Some((_, previous)) => self.compare_server(subject, url, previous, place),
                None => {
                    self.push(Severity::Compatible, subject, format!("server `{url}` added"), None, Some(&place.at))
                }
            }
        }
        for (url, place) in &before {
            if !after.iter().any(|(other, _)| other == url) {
                let what = format!("server `{url}` removed: callers that use it fail");
                self.push(Severity::Breaking, subject, what, Some(&place.at), None);
            }
        }
    }

    fn compare_server(&mut self, subject: &str, url: &str, old: &Place<'a>, new: &Place<'a>) {
        let (old_vars, new_vars) = (old.get("variables"), new.get("variables"));
        self.each_key(old_vars.as_ref(), new_vars.as_ref(), |differ, name, before, after| {
            let label = format!("server `{url}` variable `{name}`");
            match (before, after) {
                (Some(before), Some(after)) => {
                    let (a, b) = (before.value.get("default"), after.value.get("default"));
                    if a != b {
                        let what = format!(
                            "default changed from {} to {}",
                            a.map(show).unwrap_or_default(),
                            b.map(show).unwrap_or_default()
                        );
                        differ.push(
                            Severity::Breaking,
                            subject,
                            labelled(&label, what),
                            Some(&before.at),
                            Some(&after.at),
                        );
                    }
                    let values = |place: &Place<'_>| {
                        place.value.get("enum").and_then(Value::as_array).cloned().unwrap_or_default()
                    };
                    let (a, b) = (values(&before), values(&after));
                    for value in a.iter().filter(|v| !b.contains(v)) {
                        let what = format!("value {} removed", show(value));
                        differ.push(
                            Severity::Breaking,
                            subject,
                            labelled(&label, what),
                            Some(&before.at),
                            Some(&after.at),
                        );
                    }
                    for value in b.iter().filter(|v| !a.contains(v)) {
                        let what = format!("value {} added", show(value));
                        differ.push(
                            Severity::Compatible,
                            subject,
                            labelled(&label, what),
                            Some(&before.at),
                            Some(&after.at),
                        );
                    }
                    differ.other_keys(subject, &label, &before, &after, &["default", "enum"]);
                }
                (None, Some(after)) => {
                    differ.push(Severity::Compatible, subject, format!("{label} added"), None, Some(&after.at))
                }
                (Some(before), None) => {
                    differ.push(Severity::Breaking, subject, format!("{label} removed"), Some(&before.at), None)
                }
                (None, None) => {}
            }
        });
        self.other_keys(subject, &format!("server `{url}`"), old, new, &["url", "variables"]);
    }
}
