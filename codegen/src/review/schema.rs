//! Schemas: types, formats, properties, required-ness, nullability, enums,
//! constraints and composition, judged by the direction the data travels.
//!
//! Narrowing (fewer accepted values: a new required property, a lower
//! maximum, an enum value removed) breaks senders, so it is breaking in a
//! request and compatible in a response; widening is the reverse.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Severity;
use super::differ::{Differ, Directions, Place, labelled, show};

/// Where in a schema the walk is, for messages.
#[derive(Clone)]
struct At<'s> {
    subject: &'s str,
    /// The part the schema belongs to: "request body (application/json)".
    label: &'s str,
    /// The path inside the schema: `value[].status`; empty at its root.
    path: String,
    directions: Directions,
}

impl At<'_> {
    fn message(&self, what: impl Into<String>) -> String {
        let what = what.into();
        match (self.label.is_empty(), self.path.is_empty()) {
            (_, true) => labelled(self.label, what),
            (true, false) => format!("`{}`: {what}", self.path),
            (false, false) => format!("{}, `{}`: {what}", self.label, self.path),
        }
    }

    fn child(&self, segment: &str) -> Self {
        let path = match (self.path.is_empty(), segment.starts_with('[') || segment.starts_with('{')) {
            (true, _) | (false, true) => format!("{}{segment}", self.path),
            (false, false) => format!("{}.{segment}", self.path),
        };
        Self { path, ..self.clone() }
    }
}

/// How a change of one value relates the old set of accepted values to the new.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    Narrowing,
    Widening,
    /// Neither contains the other: breaking both ways.
    Different,
}

impl Effect {
    fn severity(self, directions: Directions) -> Severity {
        match self {
            Effect::Narrowing => directions.narrowing(),
            Effect::Widening => directions.widening(),
            Effect::Different => directions.severity(Severity::Breaking, Severity::Breaking),
        }
    }
}

/// Keys the rules below handle; anything else goes to `other_keys`.
const HANDLED: &[&str] = &[
    "type",
    "format",
    "nullable",
    "enum",
    "default",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "discriminator",
    "readOnly",
    "writeOnly",
    "deprecated",
    "maxLength",
    "maximum",
    "maxItems",
    "maxProperties",
    "minLength",
    "minimum",
    "minItems",
    "minProperties",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "pattern",
    "multipleOf",
    "uniqueItems",
    "x-download-link",
];

impl<'a> Differ<'a> {
    /// Compares the `schema` of a part, when either side has one.
    pub(super) fn compare_schema_slot(
        &mut self,
        subject: &str,
        label: &str,
        directions: Directions,
        old: Option<Place<'a>>,
        new: Option<Place<'a>>,
    ) {
        let at = At { subject, label, path: String::new(), directions };
        match (old, new) {
            (Some(old), Some(new)) => self.compare_schema(&at, old, new),
            (None, Some(new)) => self.push(
                Effect::Narrowing.severity(directions),
                subject,
                at.message("schema added"),
                None,
                Some(&new.at),
            ),
            (Some(old), None) => self.push(
                Effect::Widening.severity(directions),
                subject,
                at.message("schema removed"),
                Some(&old.at),
                None,
            ),
            (None, None) => {}
        }
    }

    /// Compares a component schema, used in `directions`.
    pub(super) fn compare_component_schema(
        &mut self,
        subject: &str,
        label: &str,
        directions: Directions,
        old: Place<'a>,
        new: Place<'a>,
    ) {
        let at = At { subject, label, path: String::new(), directions };
        self.compare_schema(&at, old, new);
    }

    fn compare_schema(&mut self, at: &At<'_>, old: Place<'a>, new: Place<'a>) {
        if let (Some(a), Some(b)) = (old.reference(), new.reference()) {
            if a == b {
                return; // the same definition, compared where it is written
            }
        }
        let old = self.resolve(old, true);
        let new = self.resolve(new, false);
        if !self.enter(&old.at, &new.at) {
            return;
        }
        self.compare_type(at, &old, &new);
        self.compare_nullable(at, &old, &new);
        self.compare_enum(at, &old, &new);
        self.compare_default(at, &old, &new);
        self.compare_properties(at, &old, &new);
        self.compare_sub_schema(&at.child("[]"), old.get("items"), new.get("items"));
        self.compare_additional_properties(at, &old, &new);
        for key in ["allOf", "oneOf", "anyOf"] {
            self.compare_composition(at, key, &old, &new);
        }
        self.compare_sub_schema(
            &At { path: format!("{} (not)", at.path), ..at.clone() },
            old.get("not"),
            new.get("not"),
        );
        self.compare_discriminator(at, &old, &new);
        self.compare_constraints(at, &old, &new);
        self.compare_access(at, &old, &new);
        let label = at.message("");
        let label = label.trim_end_matches(": ");
        self.compare_deprecated(at.subject, label, &old, &new);
        self.compare_download_link(at.subject, label, &old, &new);
        self.other_keys(at.subject, label, &old, &new, HANDLED);
        self.leave(&old.at, &new.at);
    }

    fn compare_sub_schema(&mut self, at: &At<'_>, old: Option<Place<'a>>, new: Option<Place<'a>>) {
        match (old, new) {
            (Some(old), Some(new)) => self.compare_schema(at, old, new),
            (None, Some(new)) => self.push(
                Effect::Narrowing.severity(at.directions),
                at.subject,
                at.message("schema added"),
                None,
                Some(&new.at),
            ),
            (Some(old), None) => self.push(
                Effect::Widening.severity(at.directions),
                at.subject,
                at.message("schema removed"),
                Some(&old.at),
                None,
            ),
            (None, None) => {}
        }
    }

    fn compare_type(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        let text = |place: &Place<'_>, key: &str| place.value.get(key).map(|v| v.as_str().unwrap_or("?").to_owned());
        let (old_type, new_type) = (text(old, "type"), text(new, "type"));
        if old_type != new_type {
            let effect = match (old_type.as_deref(), new_type.as_deref()) {
                (Some("integer"), Some("number")) | (Some(_), None) => Effect::Widening,
                (Some("number"), Some("integer")) | (None, Some(_)) => Effect::Narrowing,
                _ => Effect::Different,
            };
            let what = format!("type {}", super::operations::change_text(old_type.as_deref(), new_type.as_deref()));
            self.push(effect.severity(at.directions), at.subject, at.message(what), Some(&old.at), Some(&new.at));
            return; // a format belongs to its type; a new type explains it
        }
        let (old_format, new_format) = (text(old, "format"), text(new, "format"));
        if old_format != new_format {
            let effect = match (old_format.as_deref(), new_format.as_deref()) {
                (Some("int32"), Some("int64")) | (Some("float"), Some("double")) | (Some(_), None) => Effect::Widening,
                (Some("int64"), Some("int32")) | (Some("double"), Some("float")) | (None, Some(_)) => Effect::Narrowing,
                _ => Effect::Different,
            };
            let what =
                format!("format {}", super::operations::change_text(old_format.as_deref(), new_format.as_deref()));
            let (old_at, new_at) = (old.get("format").map(|p| p.at), new.get("format").map(|p| p.at));
            self.push(
                effect.severity(at.directions),
                at.subject,
                at.message(what),
                Some(old_at.as_ref().unwrap_or(&old.at)),
                Some(new_at.as_ref().unwrap_or(&new.at)),
            );
        }
    }

    fn compare_nullable(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        let flag = |place: &Place<'_>| place.value.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let (before, after) = (flag(old), flag(new));
        if before != after {
            let (effect, what) =
                if after { (Effect::Widening, "became nullable") } else { (Effect::Narrowing, "no longer nullable") };
            self.push(effect.severity(at.directions), at.subject, at.message(what), Some(&old.at), Some(&new.at));
        }
    }

    fn compare_enum(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        let values = |place: &Place<'_>| place.value.get("enum").and_then(Value::as_array).cloned();
        let (old_at, new_at) = (old.get("enum").map(|p| p.at), new.get("enum").map(|p| p.at));
        let (old_at, new_at) = (old_at.as_ref().unwrap_or(&old.at), new_at.as_ref().unwrap_or(&new.at));
        match (values(old), values(new)) {
            (None, None) => {}
            (None, Some(_)) => self.push(
                Effect::Narrowing.severity(at.directions),
                at.subject,
                at.message("now limited to an enum"),
                Some(old_at),
                Some(new_at),
            ),
            (Some(_), None) => self.push(
                Effect::Widening.severity(at.directions),
                at.subject,
                at.message("no longer limited to an enum"),
                Some(old_at),
                Some(new_at),
            ),
            (Some(before), Some(after)) => {
                let removed: Vec<String> = before.iter().filter(|v| !after.contains(v)).map(show).collect();
                let added: Vec<String> = after.iter().filter(|v| !before.contains(v)).map(show).collect();
                if !removed.is_empty() {
                    let what = format!("enum {} removed", plural_values(&removed));
                    let severity = Effect::Narrowing.severity(at.directions);
                    self.push(severity, at.subject, at.message(what), Some(old_at), Some(new_at));
                }
                if !added.is_empty() {
                    let extensible = is_extensible_enum(new.value);
                    let mut severity = Effect::Widening.severity(at.directions);
                    let mut what = format!("enum {} added", plural_values(&added));
                    if at.directions.response && !extensible {
                        what.push_str(": clients that reject unknown values fail");
                    } else if extensible {
                        severity = severity.min(Severity::Compatible);
                    }
                    self.push(severity, at.subject, at.message(what), Some(old_at), Some(new_at));
                }
            }
        }
    }

    fn compare_default(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        let (before, after) = (old.value.get("default"), new.value.get("default"));
        if before == after {
            return;
        }
        // A default says what the server assumes when a sender leaves the
        // value out: changing or dropping it changes what such calls do.
        let (severity, what) = match (before, after) {
            (Some(a), Some(b)) => (
                at.directions.severity(Severity::Breaking, Severity::Compatible),
                format!("default changed from {} to {}: calls that leave it out behave differently", show(a), show(b)),
            ),
            (Some(a), None) => (
                at.directions.severity(Severity::Breaking, Severity::Compatible),
                format!("default {} removed: calls that leave it out are no longer defined", show(a)),
            ),
            (None, Some(b)) => (Severity::Compatible, format!("default {} added", show(b))),
            (None, None) => return,
        };
        let (old_at, new_at) = (old.get("default").map(|p| p.at), new.get("default").map(|p| p.at));
        self.push(
            severity,
            at.subject,
            at.message(what),
            Some(old_at.as_ref().unwrap_or(&old.at)),
            Some(new_at.as_ref().unwrap_or(&new.at)),
        );
    }

    fn compare_properties(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        let required = |place: &Place<'_>| -> BTreeSet<String> {
            place
                .value
                .get("required")
                .and_then(Value::as_array)
                .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let (old_required, new_required) = (required(old), required(new));
        let (old_props, new_props) = (old.get("properties"), new.get("properties"));
        self.each_key(old_props.as_ref(), new_props.as_ref(), |differ, name, before, after| {
            let child = at.child(name);
            match (before, after) {
                (Some(before), Some(after)) => {
                    match (old_required.contains(name), new_required.contains(name)) {
                        (false, true) => differ.push(
                            Effect::Narrowing.severity(at.directions),
                            at.subject,
                            child.message("became required"),
                            Some(&old.at),
                            new.get("required").as_ref().map(|p| &p.at),
                        ),
                        (true, false) => {
                            let mut what = "became optional".to_owned();
                            if at.directions.response {
                                what.push_str(": clients that expect it can fail");
                            }
                            differ.push(
                                Effect::Widening.severity(at.directions),
                                at.subject,
                                child.message(what),
                                old.get("required").as_ref().map(|p| &p.at),
                                Some(&new.at),
                            )
                        }
                        _ => {}
                    }
                    differ.compare_schema(&child, before, after);
                }
                (None, Some(after)) => {
                    let (severity, what) = if new_required.contains(name) {
                        (
                            at.directions.severity(Severity::Breaking, Severity::Compatible),
                            format!("required property `{name}` added"),
                        )
                    } else {
                        (Severity::Compatible, format!("optional property `{name}` added"))
                    };
                    differ.push(severity, at.subject, at.message(what), None, Some(&after.at));
                }
                (Some(before), None) => {
                    let kind = if old_required.contains(name) { "required" } else { "optional" };
                    differ.push(
                        at.directions.severity(Severity::Breaking, Severity::Breaking),
                        at.subject,
                        at.message(format!("{kind} property `{name}` removed")),
                        Some(&before.at),
                        None,
                    );
                }
                (None, None) => {}
            }
        });
    }

    fn compare_additional_properties(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        let (before, after) = (old.get("additionalProperties"), new.get("additionalProperties"));
        // Absent means any extra property is allowed.
        let allows =
            |place: &Option<Place<'_>>| place.as_ref().map(|p| p.value.as_bool().unwrap_or(true)).unwrap_or(true);
        let child = at.child("{}");
        match (&before, &after) {
            (Some(b), Some(a)) if b.value.is_object() && a.value.is_object() => {
                self.compare_schema(&child, b.clone(), a.clone())
            }
            _ if before.as_ref().map(|p| p.value) == after.as_ref().map(|p| p.value) => {}
            _ => {
                let effect = match (allows(&before), allows(&after)) {
                    (true, false) => Effect::Narrowing,
                    (false, true) => Effect::Widening,
                    _ if after.as_ref().is_some_and(|p| p.value.is_object()) => Effect::Narrowing,
                    _ => Effect::Widening,
                };
                let old_at = before.as_ref().map(|p| p.at.clone()).unwrap_or_else(|| old.at.clone());
                let new_at = after.as_ref().map(|p| p.at.clone()).unwrap_or_else(|| new.at.clone());
                self.push(
                    effect.severity(at.directions),
                    at.subject,
                    at.message("`additionalProperties` changed"),
                    Some(&old_at),
                    Some(&new_at),
                );
            }
        }
    }

    /// `allOf` members add constraints; `oneOf`/`anyOf` members add choices.
    fn compare_composition(&mut self, at: &At<'_>, key: &str, old: &Place<'a>, new: &Place<'a>) {
        let members = |place: &Place<'a>| -> Vec<(String, Place<'a>)> {
            let Some(list) = place.get(key) else { return Vec::new() };
            let Some(items) = list.value.as_array() else { return Vec::new() };
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let name = item.get("$ref").and_then(Value::as_str).map(str::to_owned);
                    (name.unwrap_or_else(|| format!("#{index}")), Place::new(item, list.at.join(index)))
                })
                .collect()
        };
        let (before, after) = (members(old), members(new));
        if before.is_empty() && after.is_empty() {
            return;
        }
        let (added_effect, removed_effect) =
            if key == "allOf" { (Effect::Narrowing, Effect::Widening) } else { (Effect::Widening, Effect::Narrowing) };
        for (name, member) in &after {
            match before.iter().find(|(other, _)| other == name) {
                Some((_, previous)) => self.compare_schema(at, previous.clone(), member.clone()),
                None => self.push(
                    added_effect.severity(at.directions),
                    at.subject,
                    at.message(format!("`{key}` member {} added", member_name(name))),
                    None,
                    Some(&member.at),
                ),
            }
        }
        for (name, member) in &before {
            if !after.iter().any(|(other, _)| other == name) {
                self.push(
                    removed_effect.severity(at.directions),
                    at.subject,
                    at.message(format!("`{key}` member {} removed", member_name(name))),
                    Some(&member.at),
                    None,
                );
            }
        }
    }

    fn compare_discriminator(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        let (before, after) = (old.get("discriminator"), new.get("discriminator"));
        let property = |place: &Option<Place<'_>>| {
            place.as_ref().and_then(|p| p.value.get("propertyName")).and_then(Value::as_str).map(str::to_owned)
        };
        if property(&before) != property(&after) {
            let what = format!(
                "discriminator property {}",
                super::operations::change_text(property(&before).as_deref(), property(&after).as_deref())
            );
            self.push(Severity::Breaking, at.subject, at.message(what), Some(&old.at), Some(&new.at));
            return;
        }
        let mapping = |place: &Option<Place<'_>>| {
            place.as_ref().and_then(|p| p.value.get("mapping")).and_then(Value::as_object).cloned().unwrap_or_default()
        };
        let (old_map, new_map) = (mapping(&before), mapping(&after));
        for (tag, target) in &new_map {
            match old_map.get(tag) {
                None => self.push(
                    Effect::Widening.severity(at.directions),
                    at.subject,
                    at.message(format!("discriminator value `{tag}` added")),
                    Some(&old.at),
                    Some(&new.at),
                ),
                Some(previous) if previous != target => self.push(
                    Severity::Breaking,
                    at.subject,
                    at.message(format!("discriminator value `{tag}` now maps to {}", show(target))),
                    Some(&old.at),
                    Some(&new.at),
                ),
                Some(_) => {}
            }
        }
        for tag in old_map.keys().filter(|tag| !new_map.contains_key(*tag)) {
            self.push(
                Effect::Narrowing.severity(at.directions),
                at.subject,
                at.message(format!("discriminator value `{tag}` removed")),
                Some(&old.at),
                Some(&new.at),
            );
        }
    }

    /// Length, range, size, pattern, multiple and uniqueness constraints.
    fn compare_constraints(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        for (key, upper) in [
            ("maxLength", true),
            ("maximum", true),
            ("maxItems", true),
            ("maxProperties", true),
            ("minLength", false),
            ("minimum", false),
            ("minItems", false),
            ("minProperties", false),
        ] {
            let number = |place: &Place<'_>| place.value.get(key).and_then(Value::as_f64);
            let (before, after) = (number(old), number(new));
            let effect = match (before, after) {
                (Some(a), Some(b)) if a == b => continue,
                (None, None) => continue,
                (None, Some(_)) => Effect::Narrowing,
                (Some(_), None) => Effect::Widening,
                (Some(a), Some(b)) => {
                    if (b < a) == upper {
                        Effect::Narrowing
                    } else {
                        Effect::Widening
                    }
                }
            };
            self.push_value_change(at, key, old, new, effect);
        }
        for key in ["exclusiveMaximum", "exclusiveMinimum", "uniqueItems"] {
            let flag = |place: &Place<'_>| place.value.get(key).and_then(Value::as_bool).unwrap_or(false);
            if flag(old) != flag(new) {
                let effect = if flag(new) { Effect::Narrowing } else { Effect::Widening };
                self.push_value_change(at, key, old, new, effect);
            }
        }
        for key in ["pattern", "multipleOf"] {
            let effect = match (old.value.get(key), new.value.get(key)) {
                (a, b) if a == b => continue,
                (None, Some(_)) => Effect::Narrowing,
                (Some(_), None) => Effect::Widening,
                _ => Effect::Different,
            };
            self.push_value_change(at, key, old, new, effect);
        }
    }

    /// A property that becomes read-only can no longer be sent; one that
    /// becomes write-only is no longer returned.
    fn compare_access(&mut self, at: &At<'_>, old: &Place<'a>, new: &Place<'a>) {
        for (key, breaks) in [("readOnly", Directions::REQUEST), ("writeOnly", Directions::RESPONSE)] {
            let flag = |place: &Place<'_>| place.value.get(key).and_then(Value::as_bool).unwrap_or(false);
            if flag(old) != flag(new) {
                let applies = (breaks.request && at.directions.request) || (breaks.response && at.directions.response);
                let severity = if flag(new) && applies { Severity::Breaking } else { Severity::Compatible };
                self.push_value_change_with(at, key, old, new, severity);
            }
        }
    }

    fn push_value_change(&mut self, at: &At<'_>, key: &str, old: &Place<'a>, new: &Place<'a>, effect: Effect) {
        self.push_value_change_with(at, key, old, new, effect.severity(at.directions));
    }

    fn push_value_change_with(&mut self, at: &At<'_>, key: &str, old: &Place<'a>, new: &Place<'a>, severity: Severity) {
        let (before, after) = (old.value.get(key), new.value.get(key));
        let what = match (before, after) {
            (Some(a), Some(b)) => format!("`{key}` changed from {} to {}", show(a), show(b)),
            (None, Some(b)) => format!("`{key}` {} added", show(b)),
            (Some(a), None) => format!("`{key}` {} removed", show(a)),
            (None, None) => return,
        };
        let old_at = old.get(key).map(|p| p.at).unwrap_or_else(|| old.at.clone());
        let new_at = new.get(key).map(|p| p.at).unwrap_or_else(|| new.at.clone());
        self.push(severity, at.subject, at.message(what), Some(&old_at), Some(&new_at));
    }
}

/// An enum the spec marks as open to new values: receivers must expect more.
fn is_extensible_enum(schema: &Value) -> bool {
    schema.get("x-extensible-enum").and_then(Value::as_bool).unwrap_or(false)
        || schema.pointer("/x-ms-enum/modelAsString").and_then(Value::as_bool).unwrap_or(false)
}

fn plural_values(values: &[String]) -> String {
    if values.len() == 1 { format!("value {}", values[0]) } else { format!("values {}", values.join(", ")) }
}

fn member_name(name: &str) -> String {
    match name.strip_prefix('#') {
        Some(index) if !name.starts_with("#/") => format!("#{index}"),
        _ => format!("`{name}`"),
    }
}
