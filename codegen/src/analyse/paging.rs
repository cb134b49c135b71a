//! The `x-ms-pageable` extension: an operation whose response is one page of
//! a list, with a link to the next page. Read after every operation and type
//! is known, because it walks the response's type. See `spec/README.md`.
//!
//! The shape is Azure's: `{itemName: value, nextLinkName: nextLink}`, with
//! `itemName` defaulting to `value`; a `nextLinkName` of `null` says the
//! list comes in one page, so the operation is not paged.

use serde_json::Value;

use crate::error::Diagnostic;
use crate::ir::{BodyKind, Method, Operation, Paging, TypeDef, TypeKind, TypeRef, resolve_aliases};

use crate::pointer::Pointer;

pub const EXTENSION: &str = "x-ms-pageable";

const KEYS: &[&str] = &["itemName", "nextLinkName", "operationName", "nextLinkVerb"];

/// Reads the extension on every operation of `tree` that has it.
pub fn attach(tree: &Value, operations: &mut [Operation], types: &[TypeDef]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    // Each operation's id and method, for the `operationName` check.
    let names: Vec<(String, Method)> =
        operations.iter().filter_map(|op| Some((op.operation_id.clone()?, op.method))).collect();
    for operation in operations.iter_mut() {
        let at = operation.origin.join(EXTENSION);
        let Some(value) = at.lookup(tree) else { continue };
        match read(value, &at, operation, &names, types) {
            Ok(paging) => operation.paging = paging,
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    diagnostics
}

fn read(
    value: &Value,
    at: &Pointer,
    operation: &Operation,
    operations: &[(String, Method)],
    types: &[TypeDef],
) -> Result<Option<Paging>, Diagnostic> {
    let object = value.as_object().ok_or_else(|| Diagnostic::at(at, format!("`{EXTENSION}` must be a map")))?;
    if let Some(key) = object.keys().find(|key| !KEYS.contains(&key.as_str())) {
        return Err(Diagnostic::at(&at.join(key), format!("unknown key `{key}`; expected {}", KEYS.join(", "))));
    }
    let name = |key: &str, default: Option<&str>| -> Result<Option<String>, Diagnostic> {
        match object.get(key) {
            None => Ok(default.map(str::to_owned)),
            Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if !text.is_empty() => Ok(Some(text.clone())),
            Some(_) => Err(Diagnostic::at(&at.join(key), format!("`{key}` must be a property name (a string)"))),
        }
    };
    next_operation(object.get("operationName"), &at.join("operationName"), operations)?;
    let next_link_post = match object.get("nextLinkVerb") {
        None => false,
        Some(Value::String(verb)) if verb.eq_ignore_ascii_case("GET") => false,
        Some(Value::String(verb)) if verb.eq_ignore_ascii_case("POST") => true,
        Some(_) => return Err(Diagnostic::at(&at.join("nextLinkVerb"), "`nextLinkVerb` must be `GET` or `POST`")),
    };
    let items_name = name("itemName", Some("value"))?.unwrap_or_default();
    let Some(next_name) = name("nextLinkName", None)? else {
        if object.contains_key("nextLinkName") {
            // `nextLinkName: null`: every item comes in the one response.
            return Ok(None);
        }
        return Err(Diagnostic::at(at, "`nextLinkName` is required: the property that links to the next page"));
    };

    let page_type = page_type(operation)
        .ok_or_else(|| Diagnostic::at(at, "a paged operation needs one JSON success response: the page, an object"))?;
    let fields = match resolve_aliases(&page_type, super::named(types)) {
        TypeRef::Named(name) => match types.iter().find(|def| def.name == *name).map(|def| &def.kind) {
            Some(TypeKind::Struct(fields)) => &fields.fields,
            _ => return Err(Diagnostic::at(at, "the success response of a paged operation must be an object")),
        },
        _ => return Err(Diagnostic::at(at, "the success response of a paged operation must be an object")),
    };
    let items = fields
        .iter()
        .find(|field| field.wire == items_name)
        .ok_or_else(|| Diagnostic::at(&at.join("itemName"), format!("the page has no property `{items_name}`")))?;
    let item_type = match resolve_aliases(&items.ty, super::named(types)) {
        TypeRef::Vec(item) => (**item).clone(),
        _ => {
            return Err(Diagnostic::at(&at.join("itemName"), format!("the page's `{items_name}` must be an array")));
        }
    };
    let next = fields
        .iter()
        .find(|field| field.wire == next_name)
        .ok_or_else(|| Diagnostic::at(&at.join("nextLinkName"), format!("the page has no property `{next_name}`")))?;
    let next_is_text = match resolve_aliases(&next.ty, super::named(types)) {
        TypeRef::String => true,
        TypeRef::Option(inner) => matches!(resolve_aliases(inner, super::named(types)), TypeRef::String),
        _ => false,
    };
    if !next_is_text || next.flatten {
        return Err(Diagnostic::at(&at.join("nextLinkName"), format!("the page's `{next_name}` must be a string")));
    }
    Ok(Some(Paging {
        page_type,
        items_field: items.name.clone(),
        items_wire: items.wire.clone(),
        items_optional: items.optional(),
        item_type,
        next_link_field: next.name.clone(),
        next_link_wire: next.wire.clone(),
        next_link_optional: next.optional() || matches!(next.ty, TypeRef::Option(_)),
        next_link_post,
    }))
}

/// Checks Azure's `operationName`: the operation that fetches the next pages.
/// Azure's own clients synthesize it as a `GET` on the next link, which is
/// what the pager does, so the name is accepted as documentation; it names
/// no operation of the spec in Azure specs. One that names an operation of
/// this spec with another method cannot be honoured.
fn next_operation(value: Option<&Value>, at: &Pointer, operations: &[(String, Method)]) -> Result<(), Diagnostic> {
    match value {
        None => Ok(()),
        Some(Value::String(name)) if !name.is_empty() => match operations.iter().find(|(id, _)| id == name) {
            Some((_, method)) if *method != Method::Get => Err(Diagnostic::at(
                at,
                format!(
                    "`{name}` is a {} operation; next pages are fetched with `GET` on the next link",
                    method.as_str()
                ),
            )),
            _ => Ok(()),
        },
        Some(_) => Err(Diagnostic::at(at, "`operationName` must be an operation name (a string)")),
    }
}

/// The one JSON body type of the operation's successful responses.
fn page_type(operation: &Operation) -> Option<TypeRef> {
    let mut bodies = operation.responses.iter().filter(|r| r.status.is_success()).map(|r| &r.body);
    let first = bodies.next()?;
    let BodyKind::Json(ty) = first else { return None };
    bodies.all(|other| other == first).then(|| ty.clone())
}
