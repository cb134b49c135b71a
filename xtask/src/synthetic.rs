//! A synthetic OpenAPI spec of N resources, for measuring how generation
//! scales without committing megabytes of JSON.
//!
//! Each resource has `list`, `create`, `get` and `delete` operations; an
//! object schema of 8 properties (uuid, string, int64, number, date-time,
//! string array, an enum `$ref` and an object `$ref`); a 4-value string enum;
//! a small object; and shared 400/404/429 error responses.

use serde_json::{Value, json};

/// The spec, as JSON text.
pub fn spec(resources: usize) -> String {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for index in 0..resources {
        let name = format!("Resource{index}");
        let path = format!("/resources{index}");
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        schemas.insert(
            name.clone(),
            json!({
                "type": "object",
                "description": format!("Resource number {index}."),
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string", "format": "uuid", "description": "Identifier."},
                    "name": {"type": "string", "description": "Display name."},
                    "count": {"type": "integer", "format": "int64", "description": "How many."},
                    "score": {"type": "number", "description": "A score."},
                    "created": {"type": "string", "format": "date-time", "description": "Creation time."},
                    "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags."},
                    "kind": {"$ref": format!("#/components/schemas/{name}Kind")},
                    "detail": {"$ref": format!("#/components/schemas/{name}Detail")}
                }
            }),
        );
        schemas.insert(
            format!("{name}Kind"),
            json!({"type": "string", "description": "The kind.", "enum": ["alpha", "beta", "gamma", "delta"]}),
        );
        schemas.insert(
            format!("{name}Detail"),
            json!({
                "type": "object",
                "description": "Details.",
                "properties": {
                    "note": {"type": "string", "description": "A note."},
                    "level": {"type": "integer", "format": "int32", "description": "A level."}
                }
            }),
        );
        let ok = |status: &str, description: &str, schema: Value| json!({status: {"description": description, "content": {"application/json": {"schema": schema}}}});
        let errors = |codes: &[&str]| -> Value {
            let mut map = serde_json::Map::new();
            for code in codes {
                let component = match *code {
                    "400" => "BadRequest",
                    "404" => "NotFound",
                    _ => "TooManyRequests",
                };
                map.insert((*code).to_owned(), json!({"$ref": format!("#/components/responses/{component}")}));
            }
            Value::Object(map)
        };
        let merge = |a: Value, b: Value| {
            let mut merged = a.as_object().cloned().unwrap_or_default();
            merged.extend(b.as_object().cloned().unwrap_or_default());
            Value::Object(merged)
        };
        paths.insert(
            path.clone(),
            json!({
                "get": {
                    "operationId": format!("list{name}"),
                    "summary": format!("List resources {index}"),
                    "parameters": [{"name": "limit", "in": "query", "description": "At most this many.", "schema": {"type": "integer", "format": "int32"}}],
                    "responses": merge(ok("200", "The resources.", json!({"type": "array", "items": reference})), errors(&["400", "429"]))
                },
                "post": {
                    "operationId": format!("create{name}"),
                    "summary": format!("Create a resource {index}"),
                    "requestBody": {"required": true, "content": {"application/json": {"schema": reference}}},
                    "responses": merge(ok("201", "Created.", reference.clone()), errors(&["400", "429"]))
                }
            }),
        );
        paths.insert(
            format!("{path}/{{id}}"),
            json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "description": "Identifier.", "schema": {"type": "string", "format": "uuid"}}],
                "get": {
                    "operationId": format!("get{name}"),
                    "summary": format!("Get a resource {index}"),
                    "responses": merge(ok("200", "The resource.", reference.clone()), errors(&["404", "429"]))
                },
                "delete": {
                    "operationId": format!("delete{name}"),
                    "summary": format!("Delete a resource {index}"),
                    "responses": merge(json!({"204": {"description": "Deleted."}}), errors(&["404", "429"]))
                }
            }),
        );
    }
    schemas.insert(
        "Error".to_owned(),
        json!({
            "type": "object",
            "description": "An error.",
            "required": ["message"],
            "properties": {
                "code": {"type": "string", "description": "Error code."},
                "message": {"type": "string", "description": "What went wrong."}
            }
        }),
    );
    let error_response = |description: &str, retry_after: bool| {
        let mut response = json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        });
        if retry_after {
            response["headers"] =
                json!({"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}});
        }
        response
    };
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1.0.0", "description": format!("{resources} synthetic resources.")},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "BadRequest": error_response("The request is not valid.", false),
                "NotFound": error_response("No such resource.", false),
                "TooManyRequests": error_response("Too many requests.", true)
            }
        }
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    #[test]
    fn the_synthetic_spec_has_four_operations_and_three_schemas_a_resource_and_generates() {
        for resources in [1, 3] {
            let text = super::spec(resources);
            let document: Value = serde_json::from_str(&text).unwrap_or_default();
            let operations: usize = document["paths"]
                .as_object()
                .map(|paths| {
                    paths
                        .values()
                        .map(|item| item.as_object().map_or(0, |m| m.keys().filter(|k| *k != "parameters").count()))
                        .sum()
                })
                .unwrap_or(0);
            assert_eq!(operations, 4 * resources);
            assert_eq!(document["components"]["schemas"].as_object().map_or(0, |m| m.len()), 3 * resources + 1);
            codegen::generate(&text, &codegen::Options::new("synthetic.json"))
                .unwrap_or_else(|error| panic!("{error}"));
        }
    }
}
