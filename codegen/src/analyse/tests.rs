//! Analysis on small spec snippets, asserting on the IR it builds.

use crate::ir::{
    Api, AuthScheme, BodyKind, EnumRepr, Generated, Method, ParamLocation, ParamStyle, PathPart, StatusKey, TypeKind,
    TypeRef,
};

/// A spec with `paths` and `components` given as YAML (indented two spaces).
fn analyse(paths: &str, components: &str) -> Api {
    let text =
        format!("openapi: 3.0.3\ninfo:\n  title: Test API\n  version: '1'\npaths:\n{paths}components:\n{components}");
    let document = crate::load::load(&text).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
    super::analyse(&document).unwrap_or_else(|d| panic!("{d:?}\n{text}"))
}

/// A whole spec given as YAML.
fn analyse_spec(text: &str) -> Api {
    let document = crate::load::load(text).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
    super::analyse(&document).unwrap_or_else(|d| panic!("{d:?}\n{text}"))
}

fn analyse_error(paths: &str, components: &str) -> String {
    let text =
        format!("openapi: 3.0.3\ninfo:\n  title: Test API\n  version: '1'\npaths:\n{paths}components:\n{components}");
    let document = crate::load::load(&text).unwrap_or_else(|d| panic!("{d:?}"));
    match super::analyse(&document) {
        Ok(_) => panic!("expected diagnostics for\n{text}"),
        Err(diagnostics) => diagnostics.iter().map(|d| format!("{:?}: {}", d.location, d.message)).collect(),
    }
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types.iter().find(|def| def.name == name).unwrap_or_else(|| panic!("no type {name}: {api:#?}")).kind
}

const PET: &str = "  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        tag: {type: string, nullable: true}
        status: {type: string, enum: [available, sold]}
        born: {type: string, format: date-time}
";

#[test]
fn operations_get_names_methods_paths_and_parameters() {
    let api = analyse(
        "  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getPet
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: fields, in: query, schema: {type: array, items: {type: string}}, explode: false}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: missing}
",
        PET,
    );
    let [operation] = api.operations.as_slice() else { panic!("{:#?}", api.operations) };
    assert_eq!((operation.name.as_str(), operation.type_name.as_str()), ("get_pet", "GetPet"));
    assert_eq!(operation.method, Method::Get);
    assert_eq!(operation.path, "/pets/{petId}");
    let names: Vec<(&str, &str, ParamLocation, bool)> =
        operation.params.iter().map(|p| (p.name.as_str(), p.wire.as_str(), p.location, p.required)).collect();
    assert_eq!(
        names,
        [
            ("pet_id", "petId", ParamLocation::Path, true),
            ("x_trace", "X-Trace", ParamLocation::Header, false),
            ("fields", "fields", ParamLocation::Query, false),
        ]
    );
    assert_eq!(operation.params[0].ty, TypeRef::Uuid);
    assert_eq!(operation.params[2].ty, TypeRef::Vec(Box::new(TypeRef::String)));
    assert!(!operation.params[2].explode);
    assert_eq!(
        operation.path_parts,
        [PathPart::Literal("/pets/".to_owned()), PathPart::Param(crate::ir::ParamIndex(0))]
    );
    let statuses: Vec<StatusKey> = operation.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [StatusKey::Code(200), StatusKey::Code(404)]);
    assert_eq!(operation.responses[0].body, BodyKind::Json(TypeRef::Named("Pet".to_owned())));
    assert_eq!(operation.responses[1].body, BodyKind::Empty);
}

#[test]
fn schemas_become_structs_with_required_nullable_and_enums() {
    let api = analyse("  {}\n", PET);
    let TypeKind::Struct(pet) = type_named(&api, "Pet") else { panic!("Pet is not a struct") };
    let fields: Vec<(&str, &TypeRef, bool, bool)> =
        pet.fields.iter().map(|f| (f.name.as_str(), &f.ty, f.required, f.nullable)).collect();
    assert_eq!(fields[0], ("id", &TypeRef::I64, true, false));
    assert_eq!(fields[1], ("name", &TypeRef::String, true, false));
    assert_eq!((fields[2].0, fields[2].2, fields[2].3), ("tag", false, true));
    assert_eq!(fields[4], ("born", &TypeRef::DateTime, false, false));
    // The inline enum gets a type of its own, named after its owner and property.
    let TypeRef::Named(status) = fields[3].1 else { panic!("{:?}", fields[3]) };
    let TypeKind::Enum(values) = type_named(&api, status) else { panic!("{status} is not an enum") };
    assert_eq!(values.repr, EnumRepr::String);
    let variants: Vec<(&str, &str)> = values.variants.iter().map(|v| (v.name.as_str(), v.wire.as_str())).collect();
    assert_eq!(variants, [("Available", "available"), ("Sold", "sold")]);
    assert!(values.ignore_case, "values distinct ignoring case are matched ignoring it");
}

/// Values that differ only in case are matched exactly: ignoring case would
/// make `a` ambiguous. Integer enums have no case.
#[test]
fn enum_values_are_matched_ignoring_case_only_when_that_is_unambiguous() {
    let api = analyse(
        "  {}\n",
        "  schemas:
    Grade: {type: string, enum: [a, A, b]}
    Mode: {type: string, enum: [On, Off]}
    Level: {type: integer, enum: [1, 2]}
",
    );
    let ignore_case = |name: &str| match type_named(&api, name) {
        TypeKind::Enum(values) => values.ignore_case,
        other => panic!("{name} is not an enum: {other:?}"),
    };
    assert_eq!((ignore_case("Grade"), ignore_case("Mode"), ignore_case("Level")), (false, true, false));
}

#[test]
fn all_of_merges_properties_and_required() {
    let api = analyse(
        "  {}\n",
        "  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [bark]
          properties:
            bark: {type: boolean}
",
    );
    let TypeKind::Struct(dog) = type_named(&api, "Dog") else { panic!("Dog is not a struct") };
    let fields: Vec<(&str, bool)> = dog.fields.iter().map(|f| (f.name.as_str(), f.required)).collect();
    assert_eq!(fields, [("id", true), ("bark", true)]);
}

#[test]
fn names_that_collide_are_made_distinct() {
    let api = analyse(
        "  /a:
    get:
      operationId: list-items
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: list_items
      responses: {'204': {description: ok}}
",
        "  schemas:
    type:
      type: object
      properties:
        self: {type: string}
        Self: {type: string}
",
    );
    let names: Vec<&str> = api.operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names.len(), 2);
    assert_ne!(names[0], names[1], "{names:?}");
    let TypeKind::Struct(fields) = type_named(&api, "Type") else { panic!("{:#?}", api.types) };
    let field_names: Vec<&str> = fields.fields.iter().map(|f| f.name.as_str()).collect();
    assert_ne!(field_names[0], field_names[1], "{field_names:?}");
    assert!(field_names.iter().all(|name| crate::names::is_identifier(name)), "{field_names:?}");
}

#[test]
fn operations_named_like_by_value_prelude_methods_are_renamed() {
    // `client.into()` on an owned client would call `Into::into`.
    let api = analyse(
        "  /a:
    put:
      operationId: into
      responses: {'204': {description: ok}}
  /b:
    put:
      operationId: tryInto
      responses: {'204': {description: ok}}
  /c:
    put:
      operationId: from
      responses: {'204': {description: ok}}
",
        "  schemas: {}\n",
    );
    let names: Vec<&str> = api.operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names, ["into_2", "try_into_2", "from"]);
}

#[test]
fn security_schemes_and_client_generated_parameters() {
    let api = analyse(
        "  /items:
    post:
      operationId: createItem
      security: [{key: []}]
      parameters:
        - {name: Request-Id, in: header, schema: {type: string, format: uuid}, x-client-generated: per-call}
      responses: {'201': {description: made}}
",
        "  securitySchemes:
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
",
    );
    assert!(matches!(&api.auth[0].scheme, AuthScheme::Bearer { key, .. } if key == "token"), "{:?}", api.auth);
    assert!(
        matches!(&api.auth[1].scheme, AuthScheme::ApiKey { key, name, .. } if key == "key" && name == "X-Key"),
        "{:?}",
        api.auth
    );
    // One scheme of each kind: the client's names are the plain ones.
    let names: Vec<(&str, &str)> = api.auth.iter().map(|a| (a.variant.as_str(), a.field.as_str())).collect();
    assert_eq!(names, [("Token", "bearer_token"), ("Key", "api_key")]);
    let operation = &api.operations[0];
    assert_eq!(requirements(operation), ([vec![1]].to_vec(), false));
    assert_eq!(operation.params[0].generated, Some(Generated::PerCall));
    // A POST with a per-call idempotency key may be retried.
    assert!(operation.retry_safe());
    let features =
        crate::ir::Features { credentials: true, bearer: true, secured_operations: true, ..Default::default() };
    assert_eq!(api.features, features, "secrets and a token for secured operations, nothing else");
}

/// An operation's security as scheme positions per requirement, and
/// whether it may go without credentials.
type Requirements = (Vec<Vec<usize>>, bool);

fn requirements(operation: &crate::ir::Operation) -> Requirements {
    let requirements = operation.security.requirements.iter();
    (requirements.map(|r| r.schemes.iter().map(|index| index.0).collect()).collect(), operation.security.anonymous)
}

const SCHEMES: &str = "  securitySchemes:
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
    query: {type: apiKey, in: query, name: key}
    login: {type: http, scheme: basic}
";

/// A spec whose document-level `security` is `global` (YAML, or none) and
/// whose one operation has `own` (YAML, or none).
fn secured(global: Option<&str>, own: Option<&str>) -> String {
    let global = global.map(|g| format!("security: {g}\n")).unwrap_or_default();
    let own = own.map(|o| format!("      security: {o}\n")).unwrap_or_default();
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{global}paths:\n  /x:\n    get:\n{own}      \
         responses: {{'200': {{description: ok}}}}\ncomponents:\n{SCHEMES}"
    )
}

#[test]
fn security_requirements_are_alternatives_of_schemes_sent_together() {
    let cases: &[(Option<&str>, Option<&str>, Requirements)] = &[
        // No security anywhere: anonymous.
        (None, None, (vec![], true)),
        // The document's applies; AND within one object, OR across.
        (Some("[{token: [], key: []}, {query: []}]"), None, (vec![vec![0, 1], vec![2]], false)),
        // An operation's own replaces the document's; `[]` allows anyone.
        (Some("[{token: []}]"), Some("[{login: [], query: []}]"), (vec![vec![3, 2]], false)),
        (Some("[{token: []}]"), Some("[]"), (vec![], true)),
        // `{}` anywhere allows anonymous access; the rest keep their order.
        (Some("[{token: []}]"), Some("[{}, {key: []}, {token: []}]"), (vec![vec![1], vec![0]], true)),
        (None, Some("[{token: []}, {}]"), (vec![vec![0]], true)),
        // A repeated requirement counts once; a scheme in two is in both.
        (None, Some("[{key: []}, {key: []}, {key: [], token: []}]"), (vec![vec![1], vec![1, 0]], false)),
    ];
    for (global, own, expected) in cases {
        let api = analyse_spec(&secured(*global, *own));
        assert_eq!(&requirements(&api.operations[0]), expected, "global {global:?}, operation {own:?}");
    }
}

#[test]
fn a_requirement_of_two_schemes_in_one_place_or_of_an_unknown_scheme_is_rejected() {
    let rejected = |own: &str| {
        let text = secured(None, Some(own));
        let document = crate::load::load(&text).unwrap_or_else(|d| panic!("{d:?}"));
        match super::analyse(&document) {
            Ok(_) => panic!("expected diagnostics for\n{text}"),
            Err(diagnostics) => {
                diagnostics.iter().map(|d| format!("{:?}: {}", d.location, d.message)).collect::<String>()
            }
        }
    };
    let both = rejected("[{key: []}, {token: [], login: []}]");
    assert!(both.contains(r#"["paths", "/x", "get", "security", "1"]"#), "{both}");
    assert!(
        both.contains("needs `token` and `login` together, but both are sent as the `authorization` header"),
        "{both}"
    );
    let unknown = rejected("[{nobody: []}]");
    assert!(unknown.contains(r#""security", "0", "nobody"]"#) && unknown.contains("not in #/components"), "{unknown}");
}

#[test]
fn long_running_operations_are_resolved_against_the_types() {
    let api = analyse(
        "  /jobs:
    post:
      operationId: startJob
      responses:
        '202': {description: queued, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
      x-long-running-operation:
        statusOperation: getJob
        resource: ''
        idProperty: id
        idParameter: jobId
        statusProperty: state
        successStates: [Done]
        failureStates: [Failed]
        pollIntervalSeconds: 5
  /jobs/{jobId}:
    get:
      operationId: getJob
      parameters: [{name: jobId, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
",
        "  schemas:
    Job:
      type: object
      required: [id, state]
      properties:
        id: {type: string}
        state: {type: string, enum: [Running, Done, Failed]}
",
    );
    let waiting = api.operations[0].long_running.as_ref().expect("x-long-running-operation");
    assert!(api.features.long_running && !api.features.paging, "{:?}", api.features);
    assert_eq!(api.operation(waiting.status_operation).map(|op| op.name.as_str()), Some("get_job"));
    assert_eq!(waiting.id_field, crate::ir::ResourceField { name: "id".to_owned(), optional: false });
    assert_eq!(waiting.status_field, crate::ir::ResourceField { name: "state".to_owned(), optional: false });
    assert_eq!(
        (waiting.success_states.as_slice(), waiting.failure_states.as_slice()),
        (&["Done".to_owned()][..], &["Failed".to_owned()][..])
    );
    assert_eq!(waiting.poll_interval_seconds, 5);
}

#[test]
fn mistakes_are_reported_with_their_pointer() {
    let problems = analyse_error(
        "  /jobs:
    post:
      operationId: startJob
      responses: {'202': {description: queued}}
      x-long-running-operation:
        statusOperation: noSuchOperation
        resource: ''
        idProperty: id
        idParameter: jobId
        statusProperty: state
        successStates: [Done]
        failureStates: [Failed]
        pollIntervalSeconds: 5
",
        "  schemas: {}\n",
    );
    assert!(problems.contains("x-long-running-operation"), "{problems}");
}

/// A `discriminator` on an object schema that others extend with `allOf` (or
/// that its `mapping` names) makes the base a union of its subtypes, tagged by
/// the discriminator: mapped tags where the mapping gives them, the schema
/// name otherwise. Each subtype stays a struct with the base's properties.
#[test]
fn a_discriminator_on_a_base_schema_makes_it_a_union_of_its_subtypes() {
    let api = analyse(
        "  {}\n",
        "  schemas:
    Pet:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        name: {type: string}
      discriminator:
        propertyName: petType
        mapping:
          cat: Cat
          kitten: '#/components/schemas/Cat'
          lizard: '#/components/schemas/Lizard'
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {type: object, properties: {purrs: {type: boolean}}}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
    Lizard:
      type: object
      properties:
        petType: {type: string}
        scales: {type: integer}
    Tiger:
      allOf:
        - $ref: '#/components/schemas/Cat'
        - {type: object, required: [stripes], properties: {stripes: {type: integer}}}
      x-ms-discriminator-value: Microsoft.Zoo/tiger
    Owner:
      type: object
      properties:
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
",
    );
    let TypeKind::Union(pet) = type_named(&api, "Pet") else { panic!("Pet is not a union") };
    assert_eq!(pet.discriminator.as_deref(), Some("petType"));
    let variants: Vec<(&str, &TypeRef, Vec<&str>)> =
        pet.variants.iter().map(|v| (v.name.as_str(), &v.ty, v.tags.iter().map(String::as_str).collect())).collect();
    assert_eq!(
        variants,
        [
            ("Cat", &TypeRef::Named("Cat".to_owned()), vec!["cat", "kitten"]),
            ("Dog", &TypeRef::Named("Dog".to_owned()), vec!["Dog"]),
            ("Lizard", &TypeRef::Named("Lizard".to_owned()), vec!["lizard"]),
            // A subtype of a subtype is a variant of the base too; Azure's
            // `x-ms-discriminator-value` is its tag when no mapping names it.
            ("Tiger", &TypeRef::Named("Tiger".to_owned()), vec!["Microsoft.Zoo/tiger"]),
        ]
    );
    assert_eq!(pet.unknown, "Unknown");
    // A subtype with nothing beside the base is still a struct of its own.
    for subtype in ["Cat", "Dog"] {
        let TypeKind::Struct(fields) = type_named(&api, subtype) else { panic!("{subtype} is not a struct") };
        let names: Vec<&str> = fields.fields.iter().map(|f| f.name.as_str()).collect();
        assert!(names.starts_with(&["pet_type", "name"]), "{subtype}: {names:?}");
    }
    let TypeKind::Struct(owner) = type_named(&api, "Owner") else { panic!("Owner is not a struct") };
    assert_eq!(owner.fields[0].ty, TypeRef::Vec(Box::new(TypeRef::Named("Pet".to_owned()))));
}

/// A page envelope for the paging tests: `items` and `next` as given.
fn paged_spec(extension: &str, envelope: &str) -> String {
    format!(
        "  /things:
    get:
      operationId: listThings
      x-ms-pageable: {extension}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Page'}}}}}}}}
"
    ) + &format!(
        "components:\n  schemas:\n    Page: {envelope}\n    Thing: {{type: object, properties: {{id: {{type: string}}}}}}\n"
    )
}

fn analyse_paged(extension: &str, envelope: &str) -> Result<Api, String> {
    let spec = paged_spec(extension, envelope);
    let (paths, components) = spec.split_once("components:\n").unwrap_or_default();
    let text =
        format!("openapi: 3.0.3\ninfo:\n  title: Test API\n  version: '1'\npaths:\n{paths}components:\n{components}");
    let document = crate::load::load(&text).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
    super::analyse(&document).map_err(|diagnostics| {
        diagnostics
            .iter()
            .map(|d| match &d.location {
                crate::error::Location::Pointer(pointer) => format!("{pointer}: {}", d.message),
                other => format!("{other:?}: {}", d.message),
            })
            .collect()
    })
}

const PAGE: &str = "{type: object, required: [items], properties: {items: {type: array, items: {$ref: '#/components/schemas/Thing'}}, next: {type: string, nullable: true}}}";

/// `x-ms-pageable` names the page's items and next-link properties (Azure's
/// shape, `itemName` defaulting to `value`); `nextLinkName: null` is a list
/// in one page. Mistakes are reported at the extension's pointer.
#[test]
fn paged_operations_name_their_items_and_next_link_and_mistakes_have_pointers() {
    let api = analyse_paged("{itemName: items, nextLinkName: next}", PAGE).unwrap_or_else(|e| panic!("{e}"));
    let paging = api.operations[0].paging.as_ref().expect("paged");
    assert_eq!((paging.items_field.as_str(), paging.items_optional), ("items", false));
    assert_eq!((paging.next_link_field.as_str(), paging.next_link_optional), ("next", true));
    assert_eq!(paging.item_type, TypeRef::Named("Thing".to_owned()));
    assert!(api.dependencies.futures_core, "the pager is a Stream");
    assert!(api.features.paging && !api.features.long_running && !api.features.credentials, "{:?}", api.features);

    // Azure's `operationName` names the synthesized `GET` on the next link.
    let named = analyse_paged("{itemName: items, nextLinkName: next, operationName: listThingsNext}", PAGE);
    assert!(named.unwrap_or_else(|e| panic!("{e}")).operations[0].paging.is_some());

    // One that names an operation of the spec that is not a `GET` cannot be honoured.
    let spec = paged_spec("{itemName: items, nextLinkName: next, operationName: searchThings}", PAGE);
    let (paths, components) = spec.split_once("components:\n").unwrap_or_default();
    let paths =
        format!("{paths}    post:\n      operationId: searchThings\n      responses: {{'204': {{description: ok}}}}\n");
    let problems = analyse_error(&paths, components);
    assert!(problems.contains("`searchThings` is a POST operation"), "{problems}");

    // `nextLinkVerb`: `GET` (the default) or `POST`, which repeats the request on the link.
    let verb = |verb: &str| {
        let api = analyse_paged(&format!("{{itemName: items, nextLinkName: next, nextLinkVerb: {verb}}}"), PAGE);
        api.unwrap_or_else(|e| panic!("{e}")).operations[0].paging.as_ref().map(|paging| paging.next_link_post)
    };
    assert_eq!((verb("GET"), verb("POST"), verb("post")), (Some(false), Some(true), Some(true)));
    assert!(!paging.next_link_post, "a GET on the link unless the extension says otherwise");

    let one_page = analyse_paged("{itemName: items, nextLinkName: null}", PAGE).unwrap_or_else(|e| panic!("{e}"));
    assert!(one_page.operations[0].paging.is_none());

    let at = "#/paths/~1things/get/x-ms-pageable";
    for (extension, envelope, expected) in [
        ("{nextLinkName: next}", PAGE, format!("{at}/itemName: the page has no property `value`")),
        ("{itemName: items}", PAGE, format!("{at}: `nextLinkName` is required")),
        ("{itemName: next, nextLinkName: next}", PAGE, format!("{at}/itemName: the page's `next` must be an array")),
        (
            "{itemName: items, nextLinkName: items}",
            PAGE,
            format!("{at}/nextLinkName: the page's `items` must be a string"),
        ),
        (
            "{itemName: items, nextLinkName: 3}",
            PAGE,
            format!("{at}/nextLinkName: `nextLinkName` must be a property name"),
        ),
        ("{itemName: items, nextLinkName: next, pageSize: 5}", PAGE, format!("{at}/pageSize: unknown key `pageSize`")),
        (
            "{itemName: items, nextLinkName: next, operationName: [listMore]}",
            PAGE,
            format!("{at}/operationName: `operationName` must be an operation name"),
        ),
        (
            "{itemName: items, nextLinkName: next, nextLinkVerb: PUT}",
            PAGE,
            format!("{at}/nextLinkVerb: `nextLinkVerb` must be `GET` or `POST`"),
        ),
        ("[next]", PAGE, format!("{at}: `x-ms-pageable` must be a map")),
        (
            "{nextLinkName: next}",
            "{type: array, items: {type: string}}",
            format!("{at}: the success response of a paged operation must be an object"),
        ),
    ] {
        let problems = analyse_paged(extension, envelope).err().unwrap_or_else(|| panic!("{extension} is accepted"));
        assert!(problems.starts_with(&expected), "{extension}:\n{problems}\nexpected: {expected}");
    }
}

#[test]
fn parameter_styles_and_their_defaults_are_decided_by_location() {
    let api = analyse_spec(
        r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a/{id}:
    get:
      operationId: get
      parameters:
        - {name: id, in: path, required: true, style: matrix, explode: true, schema: {type: array, items: {type: string}}}
        - {name: q, in: query, schema: {type: string}}
        - {name: deep, in: query, style: deepObject, schema: {type: object}}
        - {name: next, in: query, allowReserved: true, schema: {type: string}}
        - {name: X-H, in: header, schema: {type: string}}
        - {name: c, in: cookie, schema: {type: string}}
        - {name: j, in: query, content: {application/json: {schema: {type: object}}}}
      responses: {'204': {description: ok}}
"#,
    );
    let styles: Vec<(ParamStyle, bool, bool)> =
        api.operations[0].params.iter().map(|p| (p.style, p.explode, p.allow_reserved)).collect();
    assert_eq!(
        styles,
        [
            (ParamStyle::Matrix, true, false),
            (ParamStyle::Form, true, false),
            (ParamStyle::DeepObject, false, false),
            (ParamStyle::Form, true, true),
            (ParamStyle::Simple, false, false),
            (ParamStyle::Form, true, false),
            (ParamStyle::Content, false, false),
        ]
    );
}

#[test]
fn servers_of_paths_and_operations_override_the_document_and_variables_become_setters() {
    let api = analyse_spec(
        r#"
openapi: 3.0.3
info: {title: T, version: '1'}
servers:
  - url: 'https://{region}.example.com/{base}/'
    variables:
      region: {default: eu, enum: [us, ap]}
      base: {default: v1}
paths:
  /a:
    servers: [{url: 'https://upload.example.com'}]
    get: {operationId: a, responses: {'204': {description: ok}}}
    put:
      operationId: b
      servers: [{url: /relative}]
      responses: {'204': {description: ok}}
  /c:
    get:
      operationId: c
      servers: [{url: 'https://{region}.example.com/{base}', variables: {region: {default: eu}, base: {default: v1}}}]
      responses: {'204': {description: ok}}
"#,
    );
    assert_eq!(api.base_url.as_deref(), Some("https://eu.example.com/v1"));
    let servers: Vec<Option<&str>> =
        api.operations.iter().map(|op| op.server.as_ref().map(|server| server.url.as_str())).collect();
    assert_eq!(servers, [Some("https://upload.example.com"), Some("/relative"), None]);
    assert!(api.features.operation_servers, "{:?}", api.features);
    let template = api.server.expect("variables");
    assert_eq!(template.url, "https://{region}.example.com/{base}");
    let region = &template.variables[0];
    assert_eq!((region.name.as_str(), region.wire.as_str(), region.default.as_str()), ("region", "region", "eu"));
    let values = region.values.as_ref().expect("enum");
    // The default is kept as a value even though the list leaves it out.
    assert_eq!(values.name, "Region");
    assert_eq!(values.variants[values.default], ("Eu".to_owned(), "eu".to_owned()));
    assert_eq!(values.variants.len(), 3);
    assert!(template.variables[1].values.is_none());
}
#[test]
fn download_links_are_recorded_with_their_field_also_through_all_of() {
    let components = "  schemas:
    Base:
      type: object
      properties:
        plain: {type: string}
    Export:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            blob:
              type: string
              description: Where the file is.
              x-download-link: {mediaType: application/zip}
    Direct:
      type: object
      properties:
        link: {type: string, format: uri, x-download-link: true}
        example_only:
          type: object
          example: {x-download-link: 'not a mark'}
";
    let api = analyse("  {}\n", components);
    let links: Vec<(&str, &str, Option<&str>)> = api
        .download_links
        .iter()
        .map(|link| (link.type_name.as_str(), link.field.as_str(), link.media_type.as_deref()))
        .collect();
    assert_eq!(links, [("Export", "blob", Some("application/zip")), ("Direct", "link", None)]);
    let TypeKind::Struct(export) = type_named(&api, "Export") else { panic!("Export is a struct") };
    let blob = export.fields.iter().find(|field| field.wire == "blob").expect("the blob field");
    let docs = blob.docs.description.as_deref().unwrap_or_default();
    assert!(docs.starts_with("Where the file is.\n\n") && docs.contains("`Client::download`"), "{docs}");
    assert!(docs.ends_with("The file is `application/zip`."), "{docs}");
}

#[test]
fn a_download_link_on_anything_but_a_string_property_is_refused() {
    let components = "  schemas:
    Thing:
      type: object
      properties:
        when: {type: string, format: date-time, x-download-link: true}
        off: {type: string, x-download-link: false}
        extra: {type: string, x-download-link: {mediaType: application/zip, signed: true}}
";
    let errors = analyse_error("  {}\n", components);
    assert!(errors.contains(r#""when", "format""#) && errors.contains("no format or `uri`"), "{errors}");
    assert!(errors.contains(r#""off", "x-download-link""#) && errors.contains("must be `true`"), "{errors}");
    assert!(
        errors.contains(r#""extra", "x-download-link", "signed""#) && errors.contains("unknown key `signed`"),
        "{errors}"
    );
}

/// An operation's own server with variables: setters on its request builder
/// (`server_` and the variable, distinct from its parameters' setters) and
/// an enum of listed values named after the operation.
#[test]
fn operation_server_variables_become_request_builder_setters() {
    let api = analyse(
        "  /archives:
    get:
      operationId: getArchive
      servers:
        - url: https://{tier}.archive.example.com/{version}
          variables:
            tier: {default: cold, enum: [cold, deep]}
            version: {default: v1}
      parameters:
        - {name: server_tier, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
",
        "  schemas: {}\n",
    );
    let server = api.operations[0].server.as_ref().expect("own server");
    assert_eq!(server.url, "https://cold.archive.example.com/v1");
    let template = server.template.as_ref().expect("variables");
    assert_eq!(template.url, "https://{tier}.archive.example.com/{version}");
    let names: Vec<(&str, &str)> = template.variables.iter().map(|v| (v.name.as_str(), v.wire.as_str())).collect();
    assert_eq!(names, [("server_tier_2", "tier"), ("server_version", "version")]);
    let tier = template.variables[0].values.as_ref().expect("listed values");
    assert_eq!(tier.name, "GetArchiveTier");
    assert_eq!(tier.variants[tier.default], ("Cold".to_owned(), "cold".to_owned()));
    assert_eq!(api.operations[0].params[0].name, "server_tier");
}

/// `Accept` offers every media type a success response is read as: all the
/// non-text ones of a bytes body, never one the client could not decode.
#[test]
fn accept_lists_every_media_type_read_the_same_way() {
    let api = analyse(
        "  /proof:
    get:
      operationId: getProof
      responses:
        '200':
          description: image or PDF
          content: {image/png: {}, application/pdf: {}}
        '202':
          description: JSON, or a PNG the JSON body's type cannot hold
          content: {application/json: {schema: {type: object}}, image/png: {}}
  /report:
    get:
      operationId: getReport
      responses:
        '200':
          description: text in two flavours
          content: {text/csv: {}, text/plain: {}, application/octet-stream: {}}
",
        "  schemas: {}\n",
    );
    assert_eq!(api.operations[0].success.accept.as_deref(), Some("image/png, application/pdf, application/json"));
    assert_eq!(api.operations[1].success.accept.as_deref(), Some("text/csv, text/plain"));
}

/// With no 2xx documented, `default` is the success: its inline body type is
/// named as a response, not an error.
#[test]
fn a_default_only_response_body_is_named_as_the_response() {
    let api = analyse(
        "  /ping:
    get:
      operationId: ping
      responses:
        default:
          description: pong
          content: {application/json: {schema: {type: object, properties: {pong: {type: boolean}}}}}
",
        "  schemas: {}\n",
    );
    let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
    assert_eq!(names, ["PingResponse"]);
}

/// Parameters named like the request builder's own methods and fields get
/// other setter names, on any operation.
#[test]
fn parameters_named_like_builder_members_are_renamed() {
    let api = analyse(
        "  /things:
    get:
      operationId: listThings
      parameters:
        - {name: nextLink, in: query, schema: {type: string}}
        - {name: send_with_response, in: query, schema: {type: string}}
        - {name: sendPaged, in: query, schema: {type: string}}
        - {name: body, in: header, schema: {type: string}}
      responses: {'204': {description: ok}}
",
        "  schemas: {}\n",
    );
    let names: Vec<&str> = api.operations[0].params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["next_link_2", "send_with_response_2", "send_paged_2", "body_2"]);
}
