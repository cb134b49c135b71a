//! Stage 2: checks across the document that the OpenAPI model does not make
//! on its own: unique operation ids, and path templates that match their
//! path parameters.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::Diagnostic;
use crate::ir::{Param, ParamIndex, ParamLocation, PathPart};
use crate::pointer::Pointer;

/// Every `operationId` must be unique.
pub fn operation_ids(api: &OpenAPI) -> Vec<Diagnostic> {
    let mut first_use: BTreeMap<&str, Pointer> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in item.iter() {
            let Some(id) = operation.operation_id.as_deref() else { continue };
            let at = Pointer::root().join("paths").join(path).join(method).join("operationId");
            match first_use.get(id) {
                Some(first) => diagnostics
                    .push(Diagnostic::at(&at, format!("duplicate operationId `{id}`: {first} uses it already"))),
                None => {
                    first_use.insert(id, at);
                }
            }
        }
    }
    diagnostics
}

/// Splits a path template into literal text and parameters, checking that
/// each `{name}` has a path parameter and each path parameter a `{name}`.
pub fn path_template(path: &str, params: &[Param], at: &Pointer) -> Result<Vec<PathPart>, Vec<Diagnostic>> {
    let mut parts = Vec::new();
    let mut diagnostics = Vec::new();
    let mut used = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let Some(close) = rest[open..].find('}') else {
            diagnostics.push(Diagnostic::at(at, format!("path `{path}` has a `{{` without its `}}`")));
            return Err(diagnostics);
        };
        let name = &rest[open + 1..open + close];
        match params.iter().position(|p| p.location == ParamLocation::Path && p.wire == name) {
            Some(index) => {
                parts.push(PathPart::Param(ParamIndex(index)));
                used.push(index);
            }
            None => diagnostics.push(Diagnostic::at(
                at,
                format!("path `{path}` has `{{{name}}}`, but the operation has no path parameter `{name}`"),
            )),
        }
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        diagnostics.push(Diagnostic::at(at, format!("path `{path}` has a `}}` without its `{{`")));
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    for (index, param) in params.iter().enumerate() {
        if param.location == ParamLocation::Path && !used.contains(&index) {
            diagnostics.push(Diagnostic::at(
                at,
                format!("path parameter `{}` does not appear in the path `{path}`", param.wire),
            ));
        }
    }
    if diagnostics.is_empty() { Ok(parts) } else { Err(diagnostics) }
}
