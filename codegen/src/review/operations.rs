//! Operations and their parts: parameters, request bodies, responses, headers.

use serde_json::Value;

use super::Severity;
use super::differ::{Differ, Directions, Place, labelled};
use crate::pointer::Pointer;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One operation of a document, found by method and path.
struct Operation<'a> {
    /// `POST /payouts/payments`, with the path as written.
    title: String,
    /// The path with parameter names blanked (`/a/{}`): renaming a path
    /// parameter does not make another operation.
    key: (String, String),
    path_item: Place<'a>,
    operation: Place<'a>,
}

fn operations<'a>(differ: &Differ<'a>, old_side: bool) -> Vec<Operation<'a>> {
    let tree = if old_side { differ.old } else { differ.new };
    let mut found = Vec::new();
    let Some(paths) = tree.get("paths").and_then(Value::as_object) else { return found };
    for (path, item) in paths {
        let item = differ.resolve(Place::new(item, Pointer::root().join("paths").join(path)), old_side);
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            found.push(Operation {
                title: format!("{} {path}", method.to_uppercase()),
                key: (method.to_string(), blank_parameters(path)),
                path_item: item.clone(),
                operation,
            });
        }
    }
    found
}

fn blank_parameters(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push('{');
            }
            '}' => {
                in_name = false;
                out.push('}');
            }
            _ if in_name => {}
            _ => out.push(c),
        }
    }
    out
}

/// A parameter's identity: location and name (header names ignore case).
fn parameter_key(parameter: &Value) -> Option<(String, String)> {
    let location = parameter.get("in")?.as_str()?.to_owned();
    let name = parameter.get("name")?.as_str()?;
    let name = if location == "header" { name.to_ascii_lowercase() } else { name.to_owned() };
    Some((location, name))
}

/// The parameters that apply to an operation: the path item's, overridden by
/// the operation's own. Each as written (maybe a `$ref`) and resolved.
fn effective_parameters<'a>(
    differ: &Differ<'a>,
    op: &Operation<'a>,
    old_side: bool,
) -> Vec<((String, String), Place<'a>, Place<'a>)> {
    let mut found: Vec<((String, String), Place<'a>, Place<'a>)> = Vec::new();
    for holder in [&op.path_item, &op.operation] {
        let Some(list) = holder.get("parameters") else { continue };
        let Some(items) = list.value.as_array() else { continue };
        for (index, item) in items.iter().enumerate() {
            let written = Place::new(item, list.at.join(index));
            let resolved = differ.resolve(written.clone(), old_side);
            let Some(key) = parameter_key(resolved.value) else { continue };
            found.retain(|(existing, ..)| *existing != key);
            found.push((key, written, resolved));
        }
    }
    found
}

fn is_required(place: &Place<'_>) -> bool {
    place.value.get("required").and_then(Value::as_bool).unwrap_or(false)
}

fn parameter_label(key: &(String, String), resolved: &Place<'_>) -> String {
    let name = resolved.value.get("name").and_then(Value::as_str).unwrap_or(&key.1);
    format!("{} parameter `{name}`", key.0)
}

/// Both sides name the same `$ref` target: it is compared where it is defined.
fn same_reference(old: &Place<'_>, new: &Place<'_>) -> bool {
    matches!((old.reference(), new.reference()), (Some(a), Some(b)) if a == b)
}

impl<'a> Differ<'a> {
    /// Operations added, removed and changed, in the new document's order.
    pub(super) fn compare_operations(&mut self) {
        let old_ops = operations(self, true);
        let new_ops = operations(self, false);
        for new in &new_ops {
            match old_ops.iter().find(|old| old.key == new.key) {
                Some(old) => self.compare_operation(old, new),
                None => {
                    let id = operation_id(&new.operation).map(|id| format!(" (`{id}`)")).unwrap_or_default();
                    self.push(
                        Severity::Compatible,
                        &new.title,
                        format!("operation added{id}"),
                        None,
                        Some(&new.operation.at),
                    );
                }
            }
        }
        for old in &old_ops {
            if !new_ops.iter().any(|new| new.key == old.key) {
                let id = operation_id(&old.operation).map(|id| format!(" (`{id}`)")).unwrap_or_default();
                self.push(
                    Severity::Breaking,
                    &old.title,
                    format!("operation removed{id}: callers of it fail"),
                    Some(&old.operation.at),
                    None,
                );
            }
        }
    }

    fn compare_operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let subject = new.title.clone();
        if old.title != new.title {
            self.push(
                Severity::Compatible,
                &subject,
                format!("path parameters renamed (was `{}`); the URL is the same", old.title),
                Some(&old.path_item.at),
                Some(&new.path_item.at),
            );
        }
        match (operation_id(&old.operation), operation_id(&new.operation)) {
            (before, after) if before == after => {}
            (before, after) => self.push(
                Severity::Compatible,
                &subject,
                format!(
                    "operationId {} (no HTTP change; generated method names follow it)",
                    change_text(before, after)
                ),
                old.operation.get("operationId").as_ref().map(|p| &p.at),
                new.operation.get("operationId").as_ref().map(|p| &p.at),
            ),
        }
        self.compare_deprecated(&subject, "", &old.operation, &new.operation);
        self.compare_parameters(&subject, old, new);
        self.compare_request_body_slot(&subject, &old.operation, &new.operation);
        self.compare_responses(&subject, &old.operation, &new.operation);
        self.compare_operation_security(&subject, &old.operation, &new.operation);
        let old_servers = old.operation.get("servers").or_else(|| old.path_item.get("servers"));
        let new_servers = new.operation.get("servers").or_else(|| new.path_item.get("servers"));
        if old_servers.is_some() || new_servers.is_some() {
            self.compare_servers(&subject, old_servers.as_ref(), new_servers.as_ref());
        }
        self.compare_long_running(&subject, &old.operation, &new.operation);
        self.compare_pageable(&subject, &old.operation, &new.operation);
        let handled = [
            "operationId",
            "deprecated",
            "parameters",
            "requestBody",
            "responses",
            "security",
            "servers",
            "x-long-running-operation",
            "x-ms-pageable",
        ];
        self.other_keys(&subject, "", &old.operation, &new.operation, &handled);
    }

    /// A `required` flag that changed. Required data the client sends breaks
    /// calls that leave it out; optional data it receives breaks readers.
    fn compare_required(
        &mut self,
        subject: &str,
        label: &str,
        directions: Directions,
        old: &Place<'a>,
        new: &Place<'a>,
    ) {
        match (is_required(old), is_required(new)) {
            (false, true) => {
                let why = if directions.request { ": calls without it fail" } else { "" };
                self.push(
                    directions.narrowing(),
                    subject,
                    format!("{label} became required{why}"),
                    Some(&old.at),
                    new.get("required").as_ref().map(|p| &p.at),
                )
            }
            (true, false) => {
                let why = if directions.response { ": clients that read it can fail" } else { "" };
                self.push(
                    directions.widening(),
                    subject,
                    format!("{label} became optional{why}"),
                    old.get("required").as_ref().map(|p| &p.at),
                    Some(&new.at),
                )
            }
            _ => {}
        }
    }

    pub(super) fn compare_deprecated(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        let flag = |place: &Place<'_>| place.value.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
        match (flag(old), flag(new)) {
            (false, true) => self.push(
                Severity::Compatible,
                subject,
                labelled(label, "deprecated".to_owned()),
                Some(&old.at),
                new.get("deprecated").as_ref().map(|p| &p.at),
            ),
            (true, false) => self.push(
                Severity::Compatible,
                subject,
                labelled(label, "no longer deprecated".to_owned()),
                old.get("deprecated").as_ref().map(|p| &p.at),
                Some(&new.at),
            ),
            _ => {}
        }
    }

    fn compare_parameters(&mut self, subject: &str, old: &Operation<'a>, new: &Operation<'a>) {
        let old_params = effective_parameters(self, old, true);
        let new_params = effective_parameters(self, new, false);
        let mut removed = Vec::new();
        for (key, written, resolved) in &old_params {
            if !new_params.iter().any(|(other, ..)| other == key) {
                removed.push((key, written, resolved));
            }
        }
        for (key, new_written, new_resolved) in &new_params {
            let label = parameter_label(key, new_resolved);
            match old_params.iter().find(|(other, ..)| other == key) {
                Some((_, old_written, old_resolved)) => {
                    if !same_reference(old_written, new_written) {
                        self.compare_parameter(subject, &label, old_resolved, new_resolved);
                    }
                }
                None => {
                    let same_name = |old_key: &(String, String)| old_key.1.eq_ignore_ascii_case(&key.1);
                    if let Some(index) = removed.iter().position(|(old_key, ..)| same_name(old_key)) {
                        let (old_key, old_written, _) = removed.remove(index);
                        if same_reference(old_written, new_written) {
                            continue; // the shared component reports the move
                        }
                        self.push(
                            Severity::Breaking,
                            subject,
                            format!("parameter `{}` moved from {} to {}", key.1, old_key.0, key.0),
                            Some(&old_written.at),
                            Some(&new_written.at),
                        );
                        continue;
                    }
                    let (severity, what) = if is_required(new_resolved) {
                        (Severity::Breaking, format!("required {label} added: calls without it fail"))
                    } else {
                        (Severity::Compatible, format!("optional {label} added"))
                    };
                    self.push(severity, subject, what, None, Some(&new_written.at));
                }
            }
        }
        for (key, written, resolved) in removed {
            let label = parameter_label(key, resolved);
            self.push(
                Severity::Breaking,
                subject,
                format!("{label} removed: calls that send it lose its effect"),
                Some(&written.at),
                None,
            );
        }
    }

    /// Compares one parameter (inline, or a component under `components`).
    pub(super) fn compare_parameter(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        self.compare_required(subject, label, Directions::REQUEST, old, new);
        self.compare_deprecated(subject, label, old, new);
        let location = |place: &Place<'_>| place.value.get("in").and_then(Value::as_str).unwrap_or_default().to_owned();
        let (old_style, new_style) = (serialization(old.value), serialization(new.value));
        if location(old) != location(new) {
            self.push(
                Severity::Breaking,
                subject,
                format!("{label} moved from {} to {}: the server looks for it elsewhere", location(old), location(new)),
                old.get("in").as_ref().map(|p| &p.at),
                new.get("in").as_ref().map(|p| &p.at),
            );
        } else if old_style != new_style {
            self.push(
                Severity::Breaking,
                subject,
                format!(
                    "{label}: serialization changed from style `{}`{} to `{}`{}",
                    old_style.0,
                    if old_style.1 { " exploded" } else { "" },
                    new_style.0,
                    if new_style.1 { " exploded" } else { "" }
                ),
                Some(&old.at),
                Some(&new.at),
            );
        }
        // Taking either flag away narrows what the server accepts.
        for key in ["allowEmptyValue", "allowReserved"] {
            let flag = |place: &Place<'_>| place.value.get(key).and_then(Value::as_bool).unwrap_or(false);
            let (before, after) = (flag(old), flag(new));
            if before != after {
                let severity = if after { Severity::Compatible } else { Severity::Breaking };
                let what = if after { format!("now allows `{key}`") } else { format!("no longer allows `{key}`") };
                self.push(severity, subject, labelled(label, what), Some(&old.at), Some(&new.at));
            }
        }
        self.compare_schema_slot(subject, label, Directions::REQUEST, old.get("schema"), new.get("schema"));
        self.compare_content(subject, label, Directions::REQUEST, old, new);
        self.compare_parameter_extensions(subject, label, old, new);
        let handled = [
            "name",
            "in",
            "required",
            "deprecated",
            "style",
            "explode",
            "allowEmptyValue",
            "allowReserved",
            "schema",
            "content",
            "x-odata-filter",
            "x-client-generated",
        ];
        self.other_keys(subject, label, old, new, &handled);
    }

    fn compare_request_body_slot(&mut self, subject: &str, old: &Place<'a>, new: &Place<'a>) {
        match (old.get("requestBody"), new.get("requestBody")) {
            (None, None) => {}
            (None, Some(written)) => {
                let body = self.resolve(written.clone(), false);
                let (severity, what) = if is_required(&body) {
                    (Severity::Breaking, "required request body added: calls without it fail")
                } else {
                    (Severity::Compatible, "optional request body added")
                };
                self.push(severity, subject, what.to_owned(), None, Some(&written.at));
            }
            (Some(written), None) => self.push(
                Severity::Breaking,
                subject,
                "request body removed: calls that send one may be rejected".to_owned(),
                Some(&written.at),
                None,
            ),
            (Some(old_written), Some(new_written)) => {
                if !same_reference(&old_written, &new_written) {
                    let old_body = self.resolve(old_written, true);
                    let new_body = self.resolve(new_written, false);
                    self.compare_request_body(subject, "request body", &old_body, &new_body);
                }
            }
        }
    }

    /// Compares one request body (inline, or a component under `components`).
    pub(super) fn compare_request_body(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        self.compare_required(subject, label, Directions::REQUEST, old, new);
        self.compare_content(subject, label, Directions::REQUEST, old, new);
        self.other_keys(subject, label, old, new, &["required", "content"]);
    }

    /// Media types of a body (or a `content` parameter) and their schemas.
    fn compare_content(
        &mut self,
        subject: &str,
        label: &str,
        directions: Directions,
        old: &Place<'a>,
        new: &Place<'a>,
    ) {
        let (old_content, new_content) = (old.get("content"), new.get("content"));
        if old_content.is_none() && new_content.is_none() {
            return;
        }
        self.each_key(old_content.as_ref(), new_content.as_ref(), |differ, media_type, before, after| {
            match (before, after) {
                (Some(before), Some(after)) => {
                    let label = format!("{label} ({media_type})");
                    differ.compare_schema_slot(subject, &label, directions, before.get("schema"), after.get("schema"));
                    differ.other_keys(subject, &label, &before, &after, &["schema"]);
                }
                (None, Some(after)) => {
                    let severity = if directions.response { Severity::Breaking } else { Severity::Compatible };
                    let why = if directions.response { ": clients that do not accept it can fail" } else { "" };
                    differ.push(
                        severity,
                        subject,
                        format!("{label}: media type `{media_type}` added{why}"),
                        None,
                        Some(&after.at),
                    );
                }
                (Some(before), None) => differ.push(
                    Severity::Breaking,
                    subject,
                    format!("{label}: media type `{media_type}` removed"),
                    Some(&before.at),
                    None,
                ),
                (None, None) => {}
            }
        });
    }

    fn compare_responses(&mut self, subject: &str, old: &Place<'a>, new: &Place<'a>) {
        let (old_responses, new_responses) = (old.get("responses"), new.get("responses"));
        self.each_key(old_responses.as_ref(), new_responses.as_ref(), |differ, status, before, after| {
            let success = status.starts_with('2');
            match (before, after) {
                (Some(before), Some(after)) => {
                    if !same_reference(&before, &after) {
                        let before = differ.resolve(before, true);
                        let after = differ.resolve(after, false);
                        differ.compare_response(subject, &format!("response `{status}`"), &before, &after);
                    }
                }
                (None, Some(after)) => {
                    let (severity, what) = if success {
                        (
                            Severity::Breaking,
                            format!(
                                "success response `{status}` added: clients that handle only the documented successes can fail"
                            ),
                        )
                    } else {
                        (Severity::Compatible, format!("response `{status}` documented"))
                    };
                    differ.push(severity, subject, what, None, Some(&after.at));
                }
                (Some(before), None) => {
                    let (severity, what) = if success {
                        (
                            Severity::Breaking,
                            format!("success response `{status}` removed: clients that rely on it fail"),
                        )
                    } else {
                        (Severity::Compatible, format!("response `{status}` no longer documented"))
                    };
                    differ.push(severity, subject, what, Some(&before.at), None);
                }
                (None, None) => {}
            }
        });
    }

    /// Compares one response (inline, or a component under `components`).
    pub(super) fn compare_response(&mut self, subject: &str, label: &str, old: &Place<'a>, new: &Place<'a>) {
        let (old_headers, new_headers) = (old.get("headers"), new.get("headers"));
        // Header names ignore case; matching is by the name as written, which
        // is how specs keep them.
        self.each_key(old_headers.as_ref(), new_headers.as_ref(), |differ, name, before, after| {
            let header_label = format!("{label} header `{name}`");
            match (before, after) {
                (Some(before), Some(after)) => {
                    if !same_reference(&before, &after) {
                        let before = differ.resolve(before, true);
                        let after = differ.resolve(after, false);
                        differ.compare_header(subject, &header_label, Directions::RESPONSE, &before, &after);
                    }
                }
                (None, Some(after)) => {
                    differ.push(Severity::Compatible, subject, format!("{header_label} added"), None, Some(&after.at))
                }
                (Some(before), None) => differ.push(
                    Severity::Breaking,
                    subject,
                    format!("{header_label} removed: clients that read it fail"),
                    Some(&before.at),
                    None,
                ),
                (None, None) => {}
            }
        });
        self.compare_content(subject, label, Directions::RESPONSE, old, new);
        self.other_keys(subject, label, old, new, &["headers", "content"]);
    }

    /// Compares one header (in a response, or a component under `components`).
    pub(super) fn compare_header(
        &mut self,
        subject: &str,
        label: &str,
        directions: Directions,
        old: &Place<'a>,
        new: &Place<'a>,
    ) {
        self.compare_required(subject, label, directions, old, new);
        self.compare_deprecated(subject, label, old, new);
        self.compare_schema_slot(subject, label, directions, old.get("schema"), new.get("schema"));
        self.compare_content(subject, label, directions, old, new);
        self.other_keys(subject, label, old, new, &["required", "deprecated", "schema", "content"]);
    }
}

fn operation_id<'v>(operation: &Place<'v>) -> Option<&'v str> {
    operation.value.get("operationId").and_then(Value::as_str)
}

/// `from `a` to `b``, `added (`b`)` or `removed (was `a`)`.
pub(super) fn change_text(before: Option<&str>, after: Option<&str>) -> String {
    match (before, after) {
        (Some(a), Some(b)) => format!("changed from `{a}` to `{b}`"),
        (None, Some(b)) => format!("added (`{b}`)"),
        (Some(a), None) => format!("removed (was `{a}`)"),
        (None, None) => "unchanged".to_owned(),
    }
}

/// A parameter's effective style and explode, with OpenAPI's defaults.
fn serialization(parameter: &Value) -> (String, bool) {
    let location = parameter.get("in").and_then(Value::as_str).unwrap_or("query");
    let default_style = if matches!(location, "query" | "cookie") { "form" } else { "simple" };
    let style = parameter.get("style").and_then(Value::as_str).unwrap_or(default_style).to_owned();
    let explode = parameter.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
    (style, explode)
}
