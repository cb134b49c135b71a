//! What the emitter relies on, checked once the IR is complete: every name
//! is a Rust identifier and every integer enum value is an integer. A
//! failure here is a generator bug, reported as an internal error at the
//! spec location it came from, never turned into placeholder code.

use crate::error::Diagnostic;
use crate::ir::{Api, EnumRepr, TypeKind};
use crate::names::is_identifier;
use crate::pointer::Pointer;

/// Every broken invariant of `api`, as internal-error diagnostics.
pub fn check(api: &Api) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut name = |at: &Pointer, what: &str, name: &str| {
        if !is_identifier(name) {
            problems.push(internal(at, format!("the name chosen for {what}, `{name}`, is not a Rust identifier")));
        }
    };
    for def in &api.types {
        name(&def.origin, "a type", &def.name);
        match &def.kind {
            TypeKind::Struct(fields) => {
                for field in &fields.fields {
                    name(&def.origin.join("properties").join(&field.wire), "a field", &field.name);
                }
            }
            TypeKind::Enum(values) => {
                for variant in &values.variants {
                    name(&def.origin, "an enum variant", &variant.name);
                }
            }
            TypeKind::Union(union) => {
                for variant in &union.variants {
                    name(&def.origin, "a union variant", &variant.name);
                }
            }
            TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
        }
    }
    for operation in &api.operations {
        name(&operation.origin, "an operation's method", &operation.name);
        name(&operation.origin, "an operation's builder", &operation.type_name);
        name(&operation.origin, "an operation's response enum", &operation.response_enum);
        name(&operation.origin, "an operation's success headers struct", &operation.headers_type);
        for header in &operation.success.headers {
            name(&operation.origin.join("responses"), "a success header field", &header.field);
        }
        for param in &operation.params {
            name(&operation.origin.join("parameters"), "a parameter", &param.name);
        }
        if let Some(waiting) = &operation.long_running {
            let at = operation.origin.join("x-long-running-operation");
            for method in [&waiting.wait_method, &waiting.poll_method, &waiting.resource_fn] {
                name(&at, "a waiting method", method);
            }
        }
    }
    for operation in &api.operations {
        let mut schemes = operation.security.requirements.iter().flat_map(|requirement| &requirement.schemes);
        if schemes.any(|index| api.auth(*index).is_none()) {
            problems.push(internal(&operation.origin, "a security requirement names a missing scheme".to_owned()));
        }
    }
    for operation in &api.operations {
        let Some(waiting) = &operation.long_running else { continue };
        if api.operation(waiting.status_operation).and_then(|status| status.param(waiting.id_param)).is_none() {
            let at = operation.origin.join("x-long-running-operation");
            problems.push(internal(&at, "the status operation or its id parameter is missing".to_owned()));
        }
    }
    for def in &api.types {
        if let TypeKind::Enum(values) = &def.kind {
            if values.repr == EnumRepr::Integer {
                for variant in values.variants.iter().filter(|v| v.wire.parse::<i64>().is_err()) {
                    problems.push(internal(
                        &def.origin.join("enum"),
                        format!("the integer enum value `{}` is not a 64-bit integer", variant.wire),
                    ));
                }
            }
        }
    }
    problems
}

fn internal(at: &Pointer, what: String) -> Diagnostic {
    Diagnostic::at(at, format!("internal error: {what}; please report this with the spec"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_a_bad_name_at_its_origin() {
        let mut api = crate::ir::Api {
            title: "t".to_owned(),
            version: "1".to_owned(),
            description: None,
            base_url: None,
            server: None,
            types: Vec::new(),
            operations: Vec::new(),
            auth: Vec::new(),
            dependencies: Default::default(),
            features: Default::default(),
            errors: Vec::new(),
            examples: Vec::new(),
            download_links: Vec::new(),
        };
        api.types.push(crate::ir::TypeDef {
            name: "Bad Name".to_owned(),
            origin: Pointer::root().join("components").join("schemas").join("Bad"),
            docs: Default::default(),
            kind: TypeKind::Alias(crate::ir::TypeRef::String),
            examples: Vec::new(),
        });
        let problems = check(&api);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.starts_with("internal error: the name chosen for a type, `Bad Name`"));
        assert_eq!(problems[0].location, crate::error::Location::Pointer(api.types[0].origin.clone()));
    }
}
