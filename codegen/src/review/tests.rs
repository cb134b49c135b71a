//! The HTTP contract rules on small documents, for the cases the payouts
//! spec does not have (the end-to-end table is in tests/review.rs).

use serde_json::{Value, json};

use super::{Severity, http_changes};

/// A document with one `POST /things` operation taking `request` and
/// answering 200 with `response`, plus `extra` merged at the top level.
fn document(request: Value, response: Value, extra: Value) -> Value {
    let mut document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {"/things/{id}": {"post": {
            "operationId": "makeThing",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": request}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}}
        }}},
        "components": {"schemas": {}}
    });
    if let (Some(target), Value::Object(extra)) = (document.as_object_mut(), extra) {
        target.extend(extra);
    }
    document
}

/// The changes as `(severity, message)`, messages with their subject.
fn changes(old: &Value, new: &Value) -> Vec<(Severity, String)> {
    let text = serde_json::to_string_pretty(new).unwrap_or_default();
    http_changes(old, new, &text).into_iter().map(|c| (c.severity, format!("{}: {}", c.subject, c.message))).collect()
}

fn has(found: &[(Severity, String)], severity: Severity, fragment: &str) -> bool {
    found.iter().any(|(s, message)| *s == severity && message.contains(fragment))
}

#[test]
fn identical_documents_have_no_change() {
    let doc = document(json!({"type": "object"}), json!({"type": "string"}), json!({}));
    assert_eq!(changes(&doc, &doc), vec![]);
}

#[test]
fn narrowing_breaks_requests_and_widening_breaks_responses() {
    let old = document(
        json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}}),
        json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}}),
        json!({}),
    );
    let new = document(
        json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}}),
        json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 20}}}),
        json!({}),
    );
    let found = changes(&old, &new);
    assert!(
        has(&found, Severity::Breaking, "request body (application/json), `n`: `maximum` changed from `10` to `5`"),
        "{found:?}"
    );
    assert!(
        has(&found, Severity::Breaking, "response `200` (application/json), `n`: `maximum` changed from `10` to `20`"),
        "{found:?}"
    );

    // The reverse edit is compatible on both sides.
    let found = changes(&new, &old);
    assert!(found.iter().all(|(s, _)| *s == Severity::Compatible), "{found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn type_widening_is_judged_by_direction() {
    let old = document(json!({"type": "integer"}), json!({"type": "integer"}), json!({}));
    let new = document(json!({"type": "number"}), json!({"type": "number"}), json!({}));
    let found = changes(&old, &new);
    assert!(has(
        &found,
        Severity::Compatible,
        "request body (application/json): type changed from `integer` to `number`"
    ));
    assert!(has(
        &found,
        Severity::Breaking,
        "response `200` (application/json): type changed from `integer` to `number`"
    ));
    let string = document(json!({"type": "string"}), json!({"type": "string"}), json!({}));
    let found = changes(&old, &string);
    assert_eq!(found.iter().filter(|(s, _)| *s == Severity::Breaking).count(), 2, "{found:?}");
}

#[test]
fn composition_members_add_choices_or_constraints() {
    let a = json!({"$ref": "#/components/schemas/A"});
    let b = json!({"$ref": "#/components/schemas/B"});
    let schemas = json!({"components": {"schemas": {"A": {"type": "string"}, "B": {"type": "integer"}}}});
    let old = document(json!({"oneOf": [a]}), json!({"oneOf": [a]}), schemas.clone());
    let new = document(json!({"oneOf": [a, b]}), json!({"oneOf": [a, b]}), schemas.clone());
    let found = changes(&old, &new);
    assert!(has(
        &found,
        Severity::Compatible,
        "request body (application/json): `oneOf` member `#/components/schemas/B` added"
    ));
    assert!(has(
        &found,
        Severity::Breaking,
        "response `200` (application/json): `oneOf` member `#/components/schemas/B` added"
    ));
    let old = document(json!({"allOf": [a]}), json!({"type": "object"}), schemas.clone());
    let new = document(json!({"allOf": [a, b]}), json!({"type": "object"}), schemas);
    assert!(has(&changes(&old, &new), Severity::Breaking, "`allOf` member `#/components/schemas/B` added"));
}

#[test]
fn component_schemas_are_compared_once_by_how_they_are_used() {
    let thing = json!({"$ref": "#/components/schemas/Thing"});
    let old = document(
        json!({"type": "object"}),
        thing.clone(),
        json!({"components": {"schemas": {"Thing": {"type": "object", "properties": {"a": {"type": "string"}}}, "Unused": {"type": "string"}}}}),
    );
    let new = document(
        json!({"type": "object"}),
        thing,
        json!({"components": {"schemas": {"Thing": {"type": "object", "properties": {"a": {"type": "string", "nullable": true}}}, "Unused": {"type": "integer"}}}}),
    );
    let found = changes(&old, &new);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(has(&found, Severity::Breaking, "schema `Thing`: `a`: became nullable"), "{found:?}");
    // Nothing uses `Unused`: no call can break.
    assert!(has(&found, Severity::Compatible, "schema `Unused`: type changed"), "{found:?}");
}

#[test]
fn recursive_schemas_end() {
    let node = json!({"components": {"schemas": {"Node": {"type": "object", "properties": {
        "next": {"$ref": "#/components/schemas/Node"}, "v": {"type": "string"}}}}}});
    let mut changed = node.clone();
    changed["components"]["schemas"]["Node"]["properties"]["v"]["type"] = json!("integer");
    changed["components"]["schemas"]["Other"] = changed["components"]["schemas"]["Node"].clone();
    changed["components"]["schemas"]["Other"]["properties"]["next"] = json!({"$ref": "#/components/schemas/Other"});
    let old = document(json!({"$ref": "#/components/schemas/Node"}), json!({"type": "string"}), node);
    let new = document(json!({"$ref": "#/components/schemas/Other"}), json!({"type": "string"}), changed);
    let found = changes(&old, &new);
    assert!(has(&found, Severity::Breaking, "request body (application/json), `v`: type changed"), "{found:?}");
}

#[test]
fn renamed_path_parameters_are_the_same_operation() {
    let old = document(json!({}), json!({}), json!({}));
    let mut new = old.clone();
    let item = new["paths"]["/things/{id}"].take();
    new["paths"] = json!({"/things/{thingId}": item});
    new["paths"]["/things/{thingId}"]["post"]["parameters"][0]["name"] = json!("thingId");
    let found = changes(&old, &new);
    assert!(!found.iter().any(|(_, m)| m.contains("operation")), "{found:?}");
    assert!(has(&found, Severity::Compatible, "path parameters renamed"), "{found:?}");
}

#[test]
fn security_requirements_or_and_scopes() {
    let with = |security: Value| {
        document(
            json!({}),
            json!({}),
            json!({"security": security, "components": {"securitySchemes": {
            "a": {"type": "http", "scheme": "bearer"}, "b": {"type": "apiKey", "in": "header", "name": "K"},
            "o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"r": "", "w": ""}}}}}}}),
        )
    };
    let found = changes(&with(json!([{"a": []}])), &with(json!([{"a": []}, {"b": []}])));
    assert!(has(&found, Severity::Compatible, "`b` now also accepted"), "{found:?}");
    let found = changes(&with(json!([{"a": []}, {"b": []}])), &with(json!([{"a": []}])));
    assert!(has(&found, Severity::Breaking, "`b` no longer accepted"), "{found:?}");
    let found = changes(&with(json!([{"a": [], "b": []}])), &with(json!([{"a": []}])));
    assert!(has(&found, Severity::Compatible, "relaxed"), "{found:?}");
    let found = changes(&with(json!([{"o": ["r"]}])), &with(json!([{"o": ["r", "w"]}])));
    assert!(has(&found, Severity::Breaking, "`o` now requires scopes"), "{found:?}");
    let found = changes(&with(json!([])), &with(json!([{"a": []}])));
    assert!(has(&found, Severity::Breaking, "authentication is now required"), "{found:?}");
    let found = changes(&with(json!([{"a": []}])), &with(json!([{"a": []}, {}])));
    assert!(has(&found, Severity::Compatible, "no authentication now also accepted"), "{found:?}");
}

#[test]
fn security_schemes_and_servers() {
    let with = |scheme: Value, servers: Value| {
        document(json!({}), json!({}), json!({"servers": servers, "components": {"securitySchemes": {"k": scheme}}}))
    };
    let servers = json!([{"url": "https://{region}.example.com", "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}}}]);
    let old = with(json!({"type": "apiKey", "in": "header", "name": "K"}), servers.clone());
    let mut new_servers = servers.clone();
    new_servers[0]["variables"]["region"] = json!({"default": "us", "enum": ["us"]});
    let new = with(json!({"type": "apiKey", "in": "query", "name": "K"}), new_servers);
    let found = changes(&old, &new);
    assert!(has(&found, Severity::Breaking, "security scheme `k`: `in` changed from `header` to `query`"), "{found:?}");
    assert!(has(&found, Severity::Breaking, "variable `region`: default changed from `eu` to `us`"), "{found:?}");
    assert!(has(&found, Severity::Breaking, "variable `region`: value `eu` removed"), "{found:?}");
    let added = with(json!({"type": "apiKey", "in": "header", "name": "K"}), json!([servers[0], {"url": "https://b"}]));
    assert!(has(&changes(&old, &added), Severity::Compatible, "server `https://b` added"));
}

#[test]
fn a_document_that_did_not_exist_is_all_additions() {
    let new = document(json!({}), json!({}), json!({"security": [{"a": []}]}));
    let found = changes(&json!({}), &new);
    assert!(found.iter().all(|(s, _)| *s != Severity::Breaking), "{found:?}");
    assert!(has(&found, Severity::Compatible, "POST /things/{id}: operation added (`makeThing`)"), "{found:?}");
}

#[test]
fn unknown_keys_are_still_reported() {
    let old = document(json!({}), json!({}), json!({}));
    let mut new = old.clone();
    new["paths"]["/things/{id}"]["post"]["x-rate-limit"] = json!(10);
    new["paths"]["/things/{id}"]["post"]["description"] = json!("Makes a thing.");
    let found = changes(&old, &new);
    assert!(has(&found, Severity::Compatible, "`x-rate-limit` added"), "{found:?}");
    assert!(has(&found, Severity::DocsOnly, "`description` added"), "{found:?}");
}
