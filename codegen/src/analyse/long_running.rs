//! The `x-long-running-operation` extension: how to wait for the work an
//! operation starts. Read after every operation and type is known, because it
//! names another operation and walks the generated types. See `spec/README.md`.

use serde_json::Value;

use crate::error::Diagnostic;
use crate::ir::{
    BodyKind, LongRunning, Operation, OperationIndex, ParamIndex, ParamLocation, ResourceField, ResourceStep,
    ResultField, TypeDef, TypeKind, TypeRef,
};
use crate::names::Namespace;
use crate::pointer::Pointer;

pub const EXTENSION: &str = "x-long-running-operation";

const KEYS: &[&str] = &[
    "statusOperation",
    "resource",
    "idProperty",
    "idParameter",
    "statusProperty",
    "resultProperty",
    "successStates",
    "failureStates",
    "pollIntervalSeconds",
];

/// Reads the extension on every operation of `tree` that has it.
pub fn attach(
    tree: &Value,
    operations: &mut [Operation],
    types: &[TypeDef],
    method_names: &mut Namespace,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for index in 0..operations.len() {
        let at = operations[index].origin.join(EXTENSION);
        let Some(value) = at.lookup(tree) else { continue };
        match read(value, &at, index, operations, types, method_names) {
            Ok(long_running) => operations[index].long_running = Some(long_running),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    diagnostics
}

fn read(
    value: &Value,
    at: &Pointer,
    index: usize,
    operations: &[Operation],
    types: &[TypeDef],
    method_names: &mut Namespace,
) -> Result<LongRunning, Diagnostic> {
    let object = value.as_object().ok_or_else(|| Diagnostic::at(at, format!("`{EXTENSION}` must be a map")))?;
    if let Some(key) = object.keys().find(|key| !KEYS.contains(&key.as_str())) {
        return Err(Diagnostic::at(&at.join(key), format!("unknown key `{key}`; expected {}", KEYS.join(", "))));
    }
    let text = |key: &str| -> Result<String, Diagnostic> {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Diagnostic::at(&at.join(key), format!("`{key}` is required and must be a string")))
    };
    let status_id = text("statusOperation")?;
    let status_index =
        operations.iter().position(|op| op.operation_id.as_deref() == Some(status_id.as_str())).ok_or_else(|| {
            Diagnostic::at(&at.join("statusOperation"), format!("no operation has the operationId `{status_id}`"))
        })?;
    let start = &operations[index];
    let status = &operations[status_index];

    let pointer_text = text("resource")?;
    let steps_at = at.join("resource");
    let start_body = success_type(start).ok_or_else(|| {
        Diagnostic::at(&steps_at, "the operation needs one JSON success response to find the resource in")
    })?;
    let status_body = success_type(status).ok_or_else(|| {
        Diagnostic::at(&steps_at, format!("`{status_id}` needs one JSON success response to find the resource in"))
    })?;
    let (resource, resource_type) = walk(&pointer_text, &start_body, types, &steps_at)?;
    let (status_steps, status_resource) = walk(&pointer_text, &status_body, types, &steps_at)?;
    if status_steps != resource || status_resource != resource_type {
        return Err(Diagnostic::at(
            &steps_at,
            format!("`{pointer_text}` leads to different types in the two operations' responses"),
        ));
    }

    let id_property = text("idProperty")?;
    let id_field = field_of(&resource_type, &id_property, types).ok_or_else(|| {
        Diagnostic::at(&at.join("idProperty"), format!("the resource has no property `{id_property}`"))
    })?;
    let id_name = text("idParameter")?;
    let id_param =
        status.params.iter().position(|p| p.wire == id_name && p.location == ParamLocation::Path).ok_or_else(|| {
            Diagnostic::at(&at.join("idParameter"), format!("`{status_id}` has no path parameter `{id_name}`"))
        })?;
    if status.params.iter().enumerate().any(|(i, p)| p.required && i != id_param) || status.body.is_some() {
        return Err(Diagnostic::at(
            &at.join("statusOperation"),
            format!("`{status_id}` may need no input but its `{id_name}` path parameter"),
        ));
    }
    if status.params[id_param].ty != id_field.2 {
        return Err(Diagnostic::at(
            &at.join("idParameter"),
            format!("`{id_name}` and the resource's `{id_property}` have different types"),
        ));
    }
    let status_property = text("statusProperty")?;
    let status_field = field_of(&resource_type, &status_property, types).ok_or_else(|| {
        Diagnostic::at(&at.join("statusProperty"), format!("the resource has no property `{status_property}`"))
    })?;
    if !is_text(&status_field.2, types) {
        return Err(Diagnostic::at(
            &at.join("statusProperty"),
            format!("`{status_property}` must be a string or string enum"),
        ));
    }
    let states = |key: &str| -> Result<Vec<String>, Diagnostic> {
        let list = object.get(key).and_then(Value::as_array).filter(|l| !l.is_empty());
        let list =
            list.ok_or_else(|| Diagnostic::at(&at.join(key), format!("`{key}` must be a non-empty list of states")))?;
        list.iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Diagnostic::at(&at.join(key).join(i), "a state must be a string"))
            })
            .collect()
    };
    let result_field = match object.get("resultProperty") {
        None => None,
        Some(Value::String(property)) => {
            let (name, optional, ty) = field_of(&resource_type, property, types).ok_or_else(|| {
                Diagnostic::at(&at.join("resultProperty"), format!("the resource has no property `{property}`"))
            })?;
            Some(ResultField { name, optional, text: ty == TypeRef::String })
        }
        Some(_) => return Err(Diagnostic::at(&at.join("resultProperty"), "`resultProperty` must be a string")),
    };
    let success_states = states("successStates")?;
    let failure_states = states("failureStates")?;
    let interval_at = at.join("pollIntervalSeconds");
    let poll_interval_seconds = object
        .get("pollIntervalSeconds")
        .and_then(Value::as_u64)
        .filter(|seconds| (1..=86_400).contains(seconds))
        .ok_or_else(|| Diagnostic::at(&interval_at, "`pollIntervalSeconds` must be a whole number from 1 to 86400"))?;
    // Named after the status operation: `get_payments_export_request` waits as
    // `wait_for_payments_export_request`.
    let stem = status.name.strip_prefix("get_").filter(|rest| !rest.is_empty()).unwrap_or(&status.name).to_owned();
    Ok(LongRunning {
        status_operation: OperationIndex(status_index),
        wait_method: method_names.claim(format!("wait_for_{stem}")),
        poll_method: method_names.claim(format!("poll_{stem}")),
        resource_fn: method_names.claim(format!("{stem}_resource")),
        resource,
        resource_pointer: pointer_text,
        resource_type,
        id_field: ResourceField { name: id_field.0, optional: id_field.1 },
        id_param: ParamIndex(id_param),
        status_is_string: matches!(crate::ir::resolve_aliases(&status_field.2, super::named(types)), TypeRef::String),
        status_field: ResourceField { name: status_field.0, optional: status_field.1 },
        result_field,
        success_states,
        failure_states,
        poll_interval_seconds,
    })
}

/// The type of an operation's one JSON success body.
fn success_type(operation: &Operation) -> Option<TypeRef> {
    let mut bodies = operation.responses.iter().filter(|r| r.status.is_success()).map(|r| &r.body);
    match (bodies.next(), bodies.next()) {
        (Some(BodyKind::Json(ty)), None) => Some(ty.clone()),
        _ => None,
    }
}

fn definition<'t>(ty: &TypeRef, types: &'t [TypeDef]) -> Option<&'t TypeDef> {
    match ty {
        TypeRef::Named(name) => types.iter().find(|def| &def.name == name),
        _ => None,
    }
}

/// Follows aliases.
fn resolved(ty: &TypeRef, types: &[TypeDef]) -> TypeRef {
    crate::ir::resolve_aliases(ty, super::named(types)).clone()
}

/// A struct field by wire name: its Rust name, whether it is optional, its type.
fn field_of(ty: &TypeRef, wire: &str, types: &[TypeDef]) -> Option<(String, bool, TypeRef)> {
    let resolved = resolved(ty, types);
    let TypeKind::Struct(fields) = &definition(&resolved, types)?.kind else { return None };
    let field = fields.fields.iter().find(|f| f.wire == wire && !f.boxed)?;
    // Optional as the emitted field is (a read-only field included).
    Some((field.name.clone(), field.optional(), resolved_type(&field.ty, types)))
}

fn resolved_type(ty: &TypeRef, types: &[TypeDef]) -> TypeRef {
    match resolved(ty, types) {
        TypeRef::Option(inner) => resolved(&inner, types),
        other => other,
    }
}

fn is_text(ty: &TypeRef, types: &[TypeDef]) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Named(_) => {
            matches!(definition(ty, types).map(|d| &d.kind), Some(TypeKind::Enum(e)) if e.repr == crate::ir::EnumRepr::String)
        }
        _ => false,
    }
}

/// Resolves a JSON pointer against a type, step by step.
fn walk(
    pointer: &str,
    body: &TypeRef,
    types: &[TypeDef],
    at: &Pointer,
) -> Result<(Vec<ResourceStep>, TypeRef), Diagnostic> {
    let parsed = Pointer::parse_local_ref(&format!("#{pointer}"))
        .ok_or_else(|| Diagnostic::at(at, format!("`{pointer}` is not a JSON pointer (it must start with `/`)")))?;
    let mut steps = Vec::new();
    let mut current = resolved_type(body, types);
    for segment in parsed.segments() {
        match &current {
            TypeRef::Vec(item) => {
                let index: usize = segment
                    .parse()
                    .map_err(|_| Diagnostic::at(at, format!("`{segment}` in `{pointer}` must index a list")))?;
                steps.push(ResourceStep::Index(index));
                current = resolved_type(item, types);
            }
            _ => {
                let (name, optional, ty) = field_of(&current, segment, types)
                    .ok_or_else(|| Diagnostic::at(at, format!("`{pointer}`: there is no property `{segment}` here")))?;
                steps.push(ResourceStep::Field { name, optional });
                current = ty;
            }
        }
    }
    if definition(&current, types).is_none_or(|def| !matches!(def.kind, TypeKind::Struct(_))) {
        return Err(Diagnostic::at(at, format!("`{pointer}` must lead to an object")));
    }
    Ok((steps, current))
}
