//! Schema shapes, checked on the plain tree before `openapiv3` reads it.
//!
//! `openapiv3` reads schemas through untagged enums; on a malformed schema deep
//! inside others it backtracks at every level, which takes time exponential in
//! the depth (a 30-level spec with one bad leaf does not finish). Checking each
//! schema keyword's shape first means `openapiv3` only ever sees well-formed
//! schemas, and the user gets an error that names the keyword and its place.

use serde_json::Value;

use crate::error::Diagnostic;
use crate::pointer::Pointer;

/// Checks every schema in the document.
pub fn check(tree: &Value) -> Result<(), Diagnostic> {
    walk_document(tree, &Pointer::root())
}

/// Outside schemas: find the places that hold schemas.
fn walk_document(value: &Value, at: &Pointer) -> Result<(), Diagnostic> {
    match value {
        Value::Object(map) => {
            check_parameter_style(map, at)?;
            for (key, child) in map {
                if key.starts_with("x-") || key == "example" || key == "examples" || key == "default" {
                    continue;
                }
                let is_components_schemas = key == "schemas" && at.segments() == ["components"];
                if is_components_schemas {
                    if let Value::Object(schemas) = child {
                        let child_at = at.join(key);
                        for (name, schema) in schemas {
                            check_schema(schema, &child_at.join(name))?;
                        }
                    }
                } else if key == "schema" {
                    check_schema(child, &at.join(key))?;
                } else if holds_values(child) {
                    walk_document(child, &at.join(key))?;
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate().filter(|(_, child)| holds_values(child)) {
                walk_document(child, &at.join(index))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether a value is a map or a list: nothing else holds what the walk looks for.
fn holds_values(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Array(_))
}

/// A parameter's `style` must be one its location allows (OpenAPI 3.0
/// "Style Values"); said here, at the `style`, rather than by `openapiv3`'s
/// parser, which would only name the parameter.
fn check_parameter_style(map: &serde_json::Map<String, Value>, at: &Pointer) -> Result<(), Diagnostic> {
    let (Some(Value::String(location)), Some(Value::String(style))) = (map.get("in"), map.get("style")) else {
        return Ok(());
    };
    let allowed: &[&str] = match location.as_str() {
        "path" => &["simple", "label", "matrix"],
        "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        "header" => &["simple"],
        "cookie" => &["form"],
        _ => return Ok(()),
    };
    if allowed.contains(&style.as_str()) {
        return Ok(());
    }
    let list = allowed.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    Err(Diagnostic::at(
        &at.join("style"),
        format!("style `{style}` is not allowed for a {location} parameter; OpenAPI 3.0 allows {list} there"),
    ))
}

fn wrong(at: &Pointer, key: &str, expected: &str) -> Diagnostic {
    Diagnostic::at(&at.join(key), format!("`{key}` must be {expected}"))
}

fn check_schema(value: &Value, at: &Pointer) -> Result<(), Diagnostic> {
    let Value::Object(map) = value else {
        return Err(Diagnostic::at(at, "a schema must be a map (OpenAPI 3.0 has no boolean schemas)"));
    };
    if let Some(reference) = map.get("$ref") {
        return if reference.is_string() { Ok(()) } else { Err(wrong(at, "$ref", "a string")) };
    }
    for (key, child) in map {
        check_keyword(key, child, at)?;
    }
    Ok(())
}

fn check_keyword(key: &str, value: &Value, at: &Pointer) -> Result<(), Diagnostic> {
    let is = |ok: bool, expected: &str| if ok { Ok(()) } else { Err(wrong(at, key, expected)) };
    match key {
        "type" | "format" | "pattern" | "title" | "description" => is(value.is_string() || value.is_null(), "a string"),
        "multipleOf" | "minimum" | "maximum" => is(value.is_number() || value.is_null(), "a number"),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            is(value.is_u64() || value.is_null(), "a whole number, zero or more")
        }
        "exclusiveMinimum" | "exclusiveMaximum" | "uniqueItems" | "nullable" | "readOnly" | "writeOnly"
        | "deprecated" => is(value.is_boolean() || value.is_null(), "true or false"),
        "required" => is(
            value.is_null() || value.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
            "a list of property names",
        ),
        "enum" => is(value.is_array() || value.is_null(), "a list of values"),
        "properties" => match value {
            Value::Null => Ok(()),
            Value::Object(properties) => {
                for (name, schema) in properties {
                    check_schema(schema, &at.join(key).join(name))?;
                }
                Ok(())
            }
            _ => Err(wrong(at, key, "a map from property name to schema")),
        },
        "items" | "not" => match value {
            Value::Null => Ok(()),
            _ => check_schema(value, &at.join(key)),
        },
        "additionalProperties" => match value {
            Value::Null | Value::Bool(_) => Ok(()),
            _ => check_schema(value, &at.join(key)),
        },
        "allOf" | "oneOf" | "anyOf" => match value {
            Value::Null => Ok(()),
            Value::Array(members) => {
                for (index, member) in members.iter().enumerate() {
                    check_schema(member, &at.join(key).join(index))?;
                }
                Ok(())
            }
            _ => Err(wrong(at, key, "a list of schemas")),
        },
        "discriminator" => match value {
            Value::Null => Ok(()),
            Value::Object(discriminator) => {
                if !discriminator.get("propertyName").is_some_and(Value::is_string) {
                    return Err(wrong(&at.join(key), "propertyName", "a string"));
                }
                match discriminator.get("mapping") {
                    None | Some(Value::Null) => Ok(()),
                    Some(Value::Object(mapping)) if mapping.values().all(Value::is_string) => Ok(()),
                    Some(_) => Err(wrong(&at.join(key), "mapping", "a map from value to schema reference")),
                }
            }
            _ => Err(wrong(at, key, "a map with `propertyName`")),
        },
        "externalDocs" => {
            is(value.is_null() || value.get("url").is_some_and(Value::is_string), "a map with a `url` string")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_malformed_keywords_with_their_place() {
        let tree = json!({"components": {"schemas": {"A": {"type": "object", "properties": {
            "b": {"type": "object", "properties": {"$ref": "#/x"}}
        }}}}});
        let error = check(&tree).unwrap_err();
        assert_eq!(
            error.location,
            crate::error::Location::Pointer(
                Pointer::parse_local_ref("#/components/schemas/A/properties/b/properties/$ref").unwrap()
            )
        );
        let tree = json!({"paths": {"/a": {"get": {"parameters": [{"schema": {"required": "yes"}}]}}}});
        assert!(check(&tree).unwrap_err().message.contains("`required` must be a list"));
        let tree = json!({"paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"example": {"schema": 1}}}}}}}}});
        assert!(check(&tree).is_ok(), "examples are not schemas");
    }
}
