//! The `x-odata-filter` extension: the fields an OData `$filter` parameter
//! accepts, their value types and operators. See `spec/README.md`.

use serde_json::Value;

use crate::error::Diagnostic;
use crate::ir::{Filter, FilterField, FilterOperator, FilterType, KnownValue, Operation, ParamLocation, TypeRef};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

pub const EXTENSION: &str = "x-odata-filter";

const FIELD_KEYS: &[&str] = &["type", "operators", "description", "knownValues"];

/// Reads and checks the extension found at `at` on a parameter.
pub fn parse(value: &Value, at: &Pointer, location: ParamLocation, ty: &TypeRef) -> Result<Filter, Diagnostic> {
    if location != ParamLocation::Query || *ty != TypeRef::String {
        return Err(Diagnostic::at(at, format!("`{EXTENSION}` belongs on a query parameter of type string")));
    }
    let object = value
        .as_object()
        .ok_or_else(|| Diagnostic::at(at, format!("`{EXTENSION}` must be a map with a `fields` map")))?;
    if let Some(key) = object.keys().find(|key| *key != "fields") {
        return Err(Diagnostic::at(
            &at.join(key),
            format!("unknown key `{key}` in `{EXTENSION}`; expected only `fields`"),
        ));
    }
    let fields_at = at.join("fields");
    let fields =
        object.get("fields").and_then(Value::as_object).filter(|fields| !fields.is_empty()).ok_or_else(|| {
            Diagnostic::at(&fields_at, "`fields` must be a non-empty map from field name to its description")
        })?;
    // The filter module's own helpers share the namespaces of field
    // constructors and of field types.
    let mut names = FieldNames {
        functions: Namespace::with_reserved(["string_literal", "number_literal"]),
        types: Namespace::with_reserved(["Filter", "Expr", "Context"]),
    };
    let mut parsed = Vec::with_capacity(fields.len());
    for (wire, spec) in fields {
        let field_at = fields_at.join(wire);
        parsed.push(field(wire, spec, &field_at, &mut names)?);
    }
    // The module is named once every operation is known (`name_modules`).
    Ok(Filter { module: String::new(), fields: parsed })
}

/// Names the module of each distinct filter grammar, in operation order:
/// `filter`, `filter_2`, ...; parameters with equal fields share a module.
pub fn name_modules(operations: &mut [Operation]) {
    let mut grammars: Vec<Vec<FilterField>> = Vec::new();
    for filter in operations.iter_mut().flat_map(|op| op.params.iter_mut()).filter_map(|p| p.filter.as_mut()) {
        let index = match grammars.iter().position(|fields| *fields == filter.fields) {
            Some(index) => index,
            None => {
                grammars.push(filter.fields.clone());
                grammars.len() - 1
            }
        };
        filter.module = if index == 0 { "filter".to_owned() } else { format!("filter_{}", index + 1) };
    }
}

/// The names already taken in one filter module.
struct FieldNames {
    functions: Namespace,
    types: Namespace,
}

fn field(wire: &str, spec: &Value, at: &Pointer, names_taken: &mut FieldNames) -> Result<FilterField, Diagnostic> {
    if wire.is_empty() || !wire.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '/') {
        return Err(Diagnostic::at(
            at,
            format!("`{wire}` is not an OData property name (letters, digits, `_`, and `/` for paths)"),
        ));
    }
    let object = spec
        .as_object()
        .ok_or_else(|| Diagnostic::at(at, "a filter field must be a map with `type` and `operators`"))?;
    if let Some(key) = object.keys().find(|key| !FIELD_KEYS.contains(&key.as_str())) {
        return Err(Diagnostic::at(
            &at.join(key),
            format!("unknown key `{key}`; a filter field has {}", FIELD_KEYS.join(", ")),
        ));
    }
    let type_at = at.join("type");
    let ty = match object.get("type").and_then(Value::as_str) {
        Some("string") => FilterType::String,
        Some("integer") => FilterType::Integer,
        Some("number") => FilterType::Number,
        Some("boolean") => FilterType::Boolean,
        Some("date") => FilterType::Date,
        Some("date-time") => FilterType::DateTime,
        Some(other) => {
            return Err(Diagnostic::at(
                &type_at,
                format!(
                    "unknown filter value type `{other}`; expected string, integer, number, boolean, date or date-time"
                ),
            ));
        }
        None => return Err(Diagnostic::at(&type_at, "each filter field needs a `type` (a string)")),
    };
    let operators_at = at.join("operators");
    let listed = object
        .get("operators")
        .and_then(Value::as_array)
        .filter(|list| !list.is_empty())
        .ok_or_else(|| Diagnostic::at(&operators_at, "each filter field needs a non-empty `operators` list"))?;
    let mut operators = Vec::new();
    for (index, operator) in listed.iter().enumerate() {
        let found = operator
            .as_str()
            .and_then(|text| FilterOperator::ALL.into_iter().find(|op| op.keyword() == text))
            .ok_or_else(|| {
                Diagnostic::at(
                    &operators_at.join(index),
                    format!("unknown operator {operator}; expected one of eq, ne, lt, le, gt, ge"),
                )
            })?;
        if operators.contains(&found) {
            return Err(Diagnostic::at(
                &operators_at.join(index),
                format!("operator `{}` is listed twice", found.keyword()),
            ));
        }
        operators.push(found);
    }
    let description = match object.get("description") {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => return Err(Diagnostic::at(&at.join("description"), "`description` must be a string")),
    };
    let known_at = at.join("knownValues");
    let listed_values = match object.get("knownValues") {
        None => Vec::new(),
        Some(_) if ty != FilterType::String => {
            return Err(Diagnostic::at(&known_at, "`knownValues` is only for fields of type string"));
        }
        Some(Value::Array(values)) => values
            .iter()
            .enumerate()
            .map(|(index, value)| {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Diagnostic::at(&known_at.join(index), "known values must be strings"))
            })
            .collect::<Result<Vec<String>, _>>()?,
        Some(_) => return Err(Diagnostic::at(&known_at, "`knownValues` must be a list of strings")),
    };
    let mut constants = Namespace::new();
    let known_values = listed_values
        .into_iter()
        .map(|value| KnownValue { constant: constants.claim(names::constant_name(&value)), value })
        .collect();
    Ok(FilterField {
        name: names_taken.functions.claim(names::snake_name(wire)),
        type_name: names_taken.types.claim(names::type_name(wire)),
        wire: wire.to_owned(),
        ty,
        operators,
        description,
        known_values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_json(value: Value) -> Result<Filter, Diagnostic> {
        parse(&value, &Pointer::root().join("x"), ParamLocation::Query, &TypeRef::String)
    }

    #[test]
    fn reads_fields() {
        let filter = parse_json(serde_json::json!({"fields": {
            "paymentDate": {"type": "date", "operators": ["ge", "le"]},
            "programName": {"type": "string", "operators": ["eq"], "knownValues": ["CSP"]},
        }}))
        .unwrap();
        assert_eq!(filter.fields[0].name, "payment_date");
        assert_eq!(filter.fields[0].operators, vec![FilterOperator::Ge, FilterOperator::Le]);
        assert_eq!(filter.fields[1].known_values, [KnownValue { value: "CSP".to_owned(), constant: "CSP".to_owned() }]);
        assert_eq!(filter.fields[1].type_name, "ProgramName");
    }

    #[test]
    fn rejects_bad_descriptions_with_a_pointer() {
        let cases = [
            (serde_json::json!({"fields": {"a": {"type": "date", "operators": ["like"]}}}), "#/x/fields/a/operators/0"),
            (serde_json::json!({"fields": {"a": {"type": "money", "operators": ["eq"]}}}), "#/x/fields/a/type"),
            (serde_json::json!({"fields": {"a": {"type": "date", "operators": []}}}), "#/x/fields/a/operators"),
            (
                serde_json::json!({"fields": {"a": {"type": "date", "operators": ["eq"], "knownValues": ["x"]}}}),
                "#/x/fields/a/knownValues",
            ),
            (
                serde_json::json!({"fields": {"a": {"type": "string", "operators": ["eq"], "oprators": []}}}),
                "#/x/fields/a/oprators",
            ),
            (serde_json::json!({"fields": {"a b": {"type": "string", "operators": ["eq"]}}}), "#/x/fields/a b"),
            (serde_json::json!({"fields": {}}), "#/x/fields"),
            (serde_json::json!({"field": {}}), "#/x/field"),
        ];
        for (value, pointer) in cases {
            let diagnostic = parse_json(value.clone()).unwrap_err();
            let crate::error::Location::Pointer(at) = &diagnostic.location else {
                panic!("{value}: no pointer in {diagnostic:?}")
            };
            assert_eq!(at.to_string(), pointer, "{value}: {diagnostic:?}");
        }
    }
}
