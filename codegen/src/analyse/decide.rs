//! Decisions the emitter needs that look across the finished IR, made once
//! here so that `emit/` only renders: the type a response header is read as,
//! the fields that summarise an error body, what each operation's `send`
//! returns and accepts, and the crate's dependencies.

use crate::ir::{
    Api, AuthScheme, BodyKind, Dependencies, EnumRepr, ExampleTest, Features, FilterType, Operation, Response,
    StatusKey, Success, SuccessHeader, SuccessShape, SuccessVariant, SummaryField, TypeDef, TypeKind, TypeRef, UuidUse,
};
use crate::names::{self, Namespace};

/// Fills in `ResponseHeader::read_as`, `Struct::summary`, `Operation::success`,
/// `Api::dependencies`, `Api::features` and `Api::examples`.
pub fn decide(api: &mut Api) {
    let types = Types(&api.types);
    let read_types: Vec<Vec<TypeRef>> = api
        .operations
        .iter()
        .flat_map(|op| op.responses.iter())
        .map(|response| response.headers.iter().map(|header| types.header_type(&header.ty)).collect())
        .collect();
    let summaries: Vec<Vec<SummaryField>> = api
        .types
        .iter()
        .map(|def| match def.kind {
            TypeKind::Struct(_) => types.summary_fields(&TypeRef::Named(def.name.clone())),
            _ => Vec::new(),
        })
        .collect();
    let responses = api.operations.iter_mut().flat_map(|op| op.responses.iter_mut());
    for (response, read_types) in responses.zip(read_types) {
        for (header, read_as) in response.headers.iter_mut().zip(read_types) {
            header.read_as = read_as;
        }
    }
    for (def, summary) in api.types.iter_mut().zip(summaries) {
        if let TypeKind::Struct(fields) = &mut def.kind {
            fields.summary = summary;
        }
    }
    for operation in &mut api.operations {
        operation.success = success(operation);
    }
    api.features = features(api);
    api.dependencies = dependencies(api);
    api.examples = example_tests(api);
}

/// The spec's JSON examples of response bodies and of schemas, each named
/// as a test: `<operation>_<status>_example`, `<type>_example`.
fn example_tests(api: &Api) -> Vec<ExampleTest> {
    let mut test_names = Namespace::new();
    let mut examples = Vec::new();
    for operation in &api.operations {
        for response in &operation.responses {
            let BodyKind::Json(ty) = &response.body else { continue };
            let status = match response.status {
                StatusKey::Code(code) => code.to_string(),
                StatusKey::Range(class) => format!("{class}xx"),
                StatusKey::Default => "default".to_owned(),
            };
            for json in &response.examples {
                examples.push(ExampleTest {
                    name: test_names.claim(names::snake_name(&format!("{} {status} example", operation.name))),
                    origin: response.origin.clone(),
                    ty: ty.clone(),
                    json: json.clone(),
                });
            }
        }
    }
    for def in &api.types {
        for json in &def.examples {
            examples.push(ExampleTest {
                name: test_names.claim(names::snake_name(&format!("{} example", def.name))),
                origin: def.origin.clone(),
                ty: TypeRef::Named(def.name.clone()),
                json: json.clone(),
            });
        }
    }
    examples
}

/// The responses `send` decodes, what it returns, and the `Accept` header.
fn success(operation: &Operation) -> Success {
    let documented: Vec<&Response> = operation.responses.iter().filter(|r| r.status.is_success()).collect();
    let responses = if documented.is_empty() {
        operation.responses.iter().filter(|r| r.status == StatusKey::Default).collect()
    } else {
        documented
    };
    let mut kinds: Vec<&BodyKind> = Vec::new();
    for response in &responses {
        if !kinds.contains(&&response.body) {
            kinds.push(&response.body);
        }
    }
    let shape = match kinds.as_slice() {
        [] => SuccessShape::Unit,
        [kind] => SuccessShape::One((*kind).clone()),
        _ => SuccessShape::Several(
            responses.iter().map(|r| SuccessVariant { status: r.status, name: variant_name(r.status) }).collect(),
        ),
    };
    let mut accept: Vec<&str> = Vec::new();
    for media in responses.iter().flat_map(|r| r.accepts.iter()) {
        if !accept.contains(&media.as_str()) {
            accept.push(media);
        }
    }
    let accept = Some(accept.join(", ")).filter(|joined| !joined.is_empty() && joined != "application/json");
    let mut fields = Namespace::new();
    let mut headers: Vec<SuccessHeader> = Vec::new();
    for header in responses.iter().flat_map(|r| r.headers.iter()) {
        if headers.iter().any(|known| known.wire.eq_ignore_ascii_case(&header.wire)) {
            continue;
        }
        headers.push(SuccessHeader {
            field: fields.claim(header.name.clone()),
            wire: header.wire.clone(),
            read_as: header.read_as.clone(),
            docs: header.docs.clone(),
        });
    }
    Success { statuses: responses.iter().map(|r| r.status).collect(), shape, accept, headers }
}

/// A success enum's variant for a status (statuses are distinct, so are these).
fn variant_name(status: StatusKey) -> String {
    match status {
        StatusKey::Code(code) => format!("Status{code}"),
        StatusKey::Range(class) => format!("Status{class}xx"),
        StatusKey::Default => "Default".to_owned(),
    }
}

/// Look-ups over the named types.
struct Types<'a>(&'a [TypeDef]);

impl Types<'_> {
    fn def(&self, name: &str) -> Option<&TypeDef> {
        // Types are sorted by name (see `analyse`).
        self.0.binary_search_by(|def| def.name.as_str().cmp(name)).ok().and_then(|index| self.0.get(index))
    }

    /// The type behind any aliases.
    fn resolve<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        crate::ir::resolve_aliases(ty, |name| self.def(name))
    }

    /// A response header is read as its own type when that parses from
    /// text, otherwise as the text itself.
    fn header_type(&self, ty: &TypeRef) -> TypeRef {
        match self.resolve(ty) {
            TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::Uuid => ty.clone(),
            TypeRef::Date | TypeRef::DateTime => ty.clone(),
            TypeRef::Named(name) => match self.def(name).map(|def| &def.kind) {
                Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String => ty.clone(),
                _ => TypeRef::String,
            },
            _ => TypeRef::String,
        }
    }

    /// For an error body: the fields that best summarise it in one line (a
    /// code, then a message), each a string or integer.
    fn summary_fields(&self, ty: &TypeRef) -> Vec<SummaryField> {
        let TypeRef::Named(name) = self.resolve(ty) else { return Vec::new() };
        let Some(TypeKind::Struct(fields)) = self.def(name).map(|def| &def.kind) else { return Vec::new() };
        let pick = |candidates: &[&str]| {
            candidates.iter().find_map(|candidate| {
                fields.fields.iter().find(|f| {
                    f.wire.eq_ignore_ascii_case(candidate)
                        && !f.boxed
                        && matches!(self.resolve(&f.ty), TypeRef::String | TypeRef::I32 | TypeRef::I64)
                })
            })
        };
        let mut chosen = Vec::new();
        if let Some(code) = pick(&["code", "error_code", "errorCode", "error"]) {
            chosen.push(SummaryField { name: code.name.clone(), optional: !code.required || code.nullable });
        }
        if let Some(message) = pick(&["message", "description", "detail", "title", "error_description", "msg"]) {
            chosen.push(SummaryField { name: message.name.clone(), optional: !message.required || message.nullable });
        }
        chosen
    }
}

/// The optional crates the generated code needs.
fn dependencies(api: &Api) -> Dependencies {
    let uses = |wanted: &dyn Fn(&TypeRef) -> bool| mentions_anywhere(api, wanted);
    let filters_use_dates = api
        .operations
        .iter()
        .flat_map(|op| op.params.iter())
        .filter_map(|param| param.filter.as_ref())
        .any(|filter| filter.fields.iter().any(|f| matches!(f.ty, FilterType::Date | FilterType::DateTime)));
    let generates_ids = api.operations.iter().any(|op| op.params.iter().any(|p| p.generated.is_some()));
    let uuid = if generates_ids {
        UuidUse::Generated
    } else if uses(&|ty| matches!(ty, TypeRef::Uuid)) {
        UuidUse::Types
    } else {
        UuidUse::None
    };
    Dependencies {
        chrono: filters_use_dates || uses(&|ty| matches!(ty, TypeRef::Date | TypeRef::DateTime)),
        uuid,
        futures_core: api.features.long_running || api.features.paging,
    }
}

/// The optional parts of the runtime and of `Error` that `api` needs.
fn features(api: &Api) -> Features {
    Features {
        credentials: !api.auth.is_empty(),
        bearer: api.auth.iter().any(|auth| matches!(auth.scheme, AuthScheme::Bearer { .. })),
        long_running: api.operations.iter().any(|op| op.long_running.is_some()),
        paging: api.operations.iter().any(|op| op.paging.is_some()),
        download: !api.download_links.is_empty(),
        operation_servers: api.operations.iter().any(|op| op.server.is_some()),
        secured_operations: api.operations.iter().any(|op| !op.security.requirements.is_empty()),
        deprecated: deprecates_anything(api),
    }
}

/// Whether the spec deprecates an operation, parameter, type or field.
fn deprecates_anything(api: &Api) -> bool {
    api.operations.iter().any(|op| op.docs.deprecated || op.params.iter().any(|p| p.docs.deprecated))
        || api.types.iter().any(|def| {
            def.docs.deprecated
                || matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.docs.deprecated))
        })
}

/// Whether any type the client uses mentions a type `wanted` accepts.
fn mentions_anywhere(api: &Api, wanted: &dyn Fn(&TypeRef) -> bool) -> bool {
    let check = |ty: &TypeRef| mentions(ty, wanted);
    let body_uses = |kind: &BodyKind| match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => check(ty),
        _ => false,
    };
    api.types.iter().any(|def| match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().any(|f| check(&f.ty)) || s.additional.as_ref().is_some_and(|extra| check(&extra.ty))
        }
        TypeKind::Union(u) => u.variants.iter().any(|v| check(&v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => check(ty),
        TypeKind::Enum(_) => false,
    }) || api.operations.iter().any(|op| {
        op.params.iter().any(|p| check(&p.ty))
            || op.body.as_ref().is_some_and(|b| body_uses(&b.kind))
            || op.responses.iter().any(|r| body_uses(&r.body) || r.headers.iter().any(|h| check(&h.read_as)))
    })
}

/// Whether `ty` is, or contains, a type `wanted` accepts.
fn mentions(ty: &TypeRef, wanted: &dyn Fn(&TypeRef) -> bool) -> bool {
    wanted(ty)
        || match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => mentions(inner, wanted),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use crate::ir::{SummaryField, TypeRef, UuidUse};

    fn analyse(text: &str) -> crate::ir::Api {
        let document = crate::load::load(text).unwrap_or_else(|d| panic!("{d:?}"));
        crate::analyse::analyse(&document).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn payouts_decisions() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/payouts.yaml")).unwrap();
        let api = analyse(&text);
        assert!(api.dependencies.chrono);
        assert_eq!(api.dependencies.uuid, UuidUse::Generated);
        assert!(api.dependencies.futures_core, "the export is long-running");
        let create = &api.operations[0];
        let too_many = create.responses.iter().find(|r| r.status == crate::ir::StatusKey::Code(429)).unwrap();
        let retry_after = too_many.headers.iter().find(|h| h.wire == "Retry-After").unwrap();
        assert_eq!(retry_after.read_as, TypeRef::I64);
        let correlation = too_many.headers.iter().find(|h| h.wire == "MS-CorrelationId").unwrap();
        assert_eq!(correlation.read_as, TypeRef::Uuid);
        let summary = |name: &str| match &api.types.iter().find(|def| def.name == name).unwrap().kind {
            crate::ir::TypeKind::Struct(fields) => fields.summary.clone(),
            _ => panic!("{name} is not a struct"),
        };
        assert_eq!(
            summary("ErrorResponse"),
            [
                SummaryField { name: "code".to_owned(), optional: false },
                SummaryField { name: "description".to_owned(), optional: false }
            ]
        );
        assert!(summary("PaymentsExportRequest").is_empty());
    }

    #[test]
    fn headers_that_do_not_parse_from_text_are_read_as_text_and_plain_specs_need_no_extra_crates() {
        let api = analyse(
            "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          headers:
            X-List: {schema: {type: array, items: {type: integer}}}
            X-Flag: {schema: {type: boolean}}
",
        );
        let headers = &api.operations[0].responses[0].headers;
        assert_eq!(headers[0].read_as, TypeRef::String);
        assert_eq!(headers[1].read_as, TypeRef::Bool);
        assert!(!api.dependencies.chrono);
        assert_eq!(api.dependencies.uuid, UuidUse::None);
        assert!(!api.dependencies.futures_core);
    }
}
