//! Paths and operations: parameters by location, bodies by media type,
//! responses by status.

use openapiv3::{
    Header, MediaType, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, PathItem, PathStyle,
    QueryStyle, ReferenceOr, RequestBody as SpecRequestBody, Response as SpecResponse, StatusCode,
};

use serde_json::Value;

use super::Context;
use crate::error::Diagnostic;
use crate::ir::{
    BodyKind, Docs, FormEncoding, Generated, Method, Operation, Param, ParamLocation, ParamStyle, RequestBody,
    Response, ResponseHeader, StatusKey, TypeRef,
};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;
use crate::validate;

/// Names a request builder already uses for its own methods and fields.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "send",
    "send_with_response",
    "send_and_poll",
    "send_and_wait",
    "send_streaming",
    "send_paged",
    "next_link",
    "body",
    "new",
];

/// Header parameters OpenAPI says to ignore: the client sets them itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

impl Context<'_> {
    pub(super) fn analyse_operations(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Vec<Operation> {
        let mut operations = Vec::new();
        let paths: Vec<(String, ReferenceOr<PathItem>)> =
            self.api.paths.paths.iter().map(|(path, item)| (path.clone(), item.clone())).collect();
        for (path, item) in paths {
            let path_at = Pointer::root().join("paths").join(&path);
            let (item, item_at) = match self.resolver.item(&item, &path_at, "path item") {
                Ok(found) => found,
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let at = item_at.join(method);
                match self.operation(&path, &item, &item_at, method, operation, &at) {
                    Ok(operation) => operations.push(operation),
                    Err(mut found) => diagnostics.append(&mut found),
                }
            }
        }
        operations
    }

    fn operation(
        &mut self,
        path: &str,
        item: &PathItem,
        item_at: &Pointer,
        method: &str,
        spec: &SpecOperation,
        at: &Pointer,
    ) -> Result<Operation, Vec<Diagnostic>> {
        let method = parse_method(method);
        let raw_name = match &spec.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => derived_operation_name(method, path),
        };
        let name = self.method_names.claim(names::snake_name(&raw_name));
        let type_name = self.builder_names.claim(names::type_name(&raw_name));
        let response_enum = self.builder_names.claim(format!("{type_name}Response"));
        let headers_type = self.builder_names.claim(format!("{type_name}Headers"));

        let mut diagnostics = Vec::new();
        let mut param_names = Namespace::with_reserved(BUILDER_RESERVED.iter().copied());
        let params = self.parameters((item, item_at), (spec, at), &type_name, &mut param_names, &mut diagnostics);
        let path_parts = match validate::path_template(path, &params, at) {
            Ok(parts) => parts,
            Err(mut found) => {
                diagnostics.append(&mut found);
                Vec::new()
            }
        };
        let body = match &spec.request_body {
            Some(body) => match self.request_body(body, &at.join("requestBody"), &type_name) {
                Ok(body) => body,
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    None
                }
            },
            None => None,
        };
        let mut responses = Vec::new();
        let success_count = spec.responses.responses.keys().filter(|code| status_key(code).is_success()).count();
        let entries = spec
            .responses
            .responses
            .iter()
            .map(|(code, response)| (status_key(code), status_text(code), response))
            .chain(spec.responses.default.iter().map(|r| (StatusKey::Default, "default".to_owned(), r)));
        for (status, key_text, response) in entries {
            let response_at = at.join("responses").join(&key_text);
            let hint = match status {
                _ if status.is_success() && success_count == 1 => format!("{type_name} Response"),
                // With no 2xx documented, `default` is what a success decodes as.
                StatusKey::Default if success_count == 0 => format!("{type_name} Response"),
                _ if status.is_success() => format!("{type_name} Response {key_text}"),
                _ => format!("{type_name} Error {key_text}"),
            };
            match self.response(status, response, &response_at, &hint) {
                Ok(response) => responses.push(response),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let server_names = super::servers::VariableNames {
            setters: &mut param_names,
            setter_prefix: "server",
            types: &mut self.builder_names,
            type_prefix: &type_name,
        };
        let server = match super::servers::operation_server(
            self.api,
            (&spec.servers, at),
            (&item.servers, item_at),
            server_names,
        ) {
            Ok(server) => server,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                None
            }
        };
        let security = match self.operation_security(spec, at) {
            Ok(security) => security,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                Default::default()
            }
        };
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Operation {
            name,
            type_name,
            response_enum,
            headers_type,
            operation_id: spec.operation_id.clone(),
            method,
            path: path.to_owned(),
            path_parts,
            server,
            origin: at.clone(),
            docs: Docs {
                summary: spec.summary.clone().or_else(|| item.summary.clone()),
                description: spec.description.clone().or_else(|| item.description.clone()),
                deprecated: spec.deprecated,
            },
            params,
            body,
            responses,
            security,
            long_running: None,
            paging: None,
            // Decided once the responses are known (`decide.rs`).
            success: Default::default(),
        })
    }

    /// Path-level parameters, overridden by operation-level ones of the same
    /// name and location; their setters are named in `param_names`.
    fn parameters(
        &mut self,
        (item, item_at): (&PathItem, &Pointer),
        (spec, at): (&SpecOperation, &Pointer),
        type_name: &str,
        param_names: &mut Namespace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Param> {
        let mut resolved: Vec<(Parameter, Pointer)> = Vec::new();
        let declared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(index, p)| (p, item_at.join("parameters").join(index)))
            .chain(spec.parameters.iter().enumerate().map(|(index, p)| (p, at.join("parameters").join(index))));
        for (parameter, parameter_at) in declared {
            match self.resolver.item(parameter, &parameter_at, "parameter") {
                Ok((parameter, target)) => {
                    let key = parameter_key(&parameter);
                    match resolved.iter_mut().find(|(existing, _)| parameter_key(existing) == key) {
                        Some(slot) => *slot = (parameter, target),
                        None => resolved.push((parameter, target)),
                    }
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let mut params = Vec::new();
        for (parameter, parameter_at) in resolved {
            match self.parameter(&parameter, &parameter_at, type_name, param_names) {
                Ok(Some(param)) => params.push(param),
                Ok(None) => {}
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        params
    }

    fn parameter(
        &mut self,
        parameter: &Parameter,
        at: &Pointer,
        type_name: &str,
        param_names: &mut Namespace,
    ) -> Result<Option<Param>, Diagnostic> {
        let data = parameter.parameter_data_ref();
        let location = match parameter {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => {
                if IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str()) {
                    return Ok(None);
                }
                ParamLocation::Header
            }
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        let hint = format!("{type_name} {}", data.name);
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self.schema_type(schema, &at.join("schema"), &hint)?,
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, MediaType { schema: Some(schema), .. })) => {
                    self.schema_type(schema, &at.join("content").join(media).join("schema"), &hint)?
                }
                _ => TypeRef::String,
            },
        };
        let ty = match ty {
            TypeRef::Option(inner) => *inner,
            other => other,
        };
        let (style, allow_reserved) = match (parameter, &data.format) {
            (_, ParameterSchemaOrContent::Content(_)) => (ParamStyle::Content, false),
            (Parameter::Query { style, allow_reserved, .. }, _) => {
                let style = match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (style, *allow_reserved)
            }
            (Parameter::Path { style, .. }, _) => match style {
                PathStyle::Simple => (ParamStyle::Simple, false),
                PathStyle::Label => (ParamStyle::Label, false),
                PathStyle::Matrix => (ParamStyle::Matrix, false),
            },
            (Parameter::Header { .. }, _) => (ParamStyle::Simple, false),
            (Parameter::Cookie { .. }, _) => (ParamStyle::Form, false),
        };
        let default = match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema.schema_data.default.clone(),
            ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => self
                .resolver
                .target(reference, &at.join("schema"))
                .ok()
                .and_then(|target| target.lookup(self.resolver.tree()))
                .and_then(|schema| schema.get("default").cloned()),
            ParameterSchemaOrContent::Content(_) => None,
        };
        let filter = match data.extensions.get(super::filter::EXTENSION) {
            Some(value) => Some(super::filter::parse(value, &at.join(super::filter::EXTENSION), location, &ty)?),
            None => None,
        };
        let generated = match data.extensions.get(GENERATED_EXTENSION) {
            None => None,
            Some(value) => Some(generated(value, &at.join(GENERATED_EXTENSION), location, &ty)?),
        };
        Ok(Some(Param {
            generated,
            name: param_names.claim(names::snake_name(&data.name)),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            style,
            // OpenAPI: `explode` defaults to true for `form`, false otherwise.
            explode: data.explode.unwrap_or(style == ParamStyle::Form),
            allow_reserved,
            docs: Docs {
                summary: None,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            },
            default,
            filter,
        }))
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<SpecRequestBody>,
        at: &Pointer,
        type_name: &str,
    ) -> Result<Option<RequestBody>, Diagnostic> {
        let (body, body_at) = self.resolver.item(body, at, "request body")?;
        let Some((media_type, kind)) =
            self.content_kind(&body.content, &body_at.join("content"), &format!("{type_name} Body"), true)?
        else {
            return Ok(None);
        };
        let encoding = match kind {
            BodyKind::Form(_) => {
                let multipart = essence(&media_type) == "multipart/form-data";
                self.form_encoding(&body_at.join("content").join(&media_type), multipart)?
            }
            _ => FormEncoding::None,
        };
        Ok(Some(RequestBody {
            required: body.required,
            media_type,
            kind,
            docs: Docs { description: body.description.clone(), ..Docs::default() },
            encoding,
        }))
    }

    fn response(
        &mut self,
        status: StatusKey,
        response: &ReferenceOr<SpecResponse>,
        at: &Pointer,
        hint: &str,
    ) -> Result<Response, Diagnostic> {
        let (response, response_at) = self.resolver.item(response, at, "response")?;
        let (media_type, body) =
            match self.content_kind(&response.content, &response_at.join("content"), hint, false)? {
                Some((media_type, kind)) => (Some(media_type), kind),
                None => (None, BodyKind::Empty),
            };
        let accepts = match &media_type {
            Some(chosen) => response.content.keys().filter(|media| read_alike(media, chosen)).cloned().collect(),
            None => Vec::new(),
        };
        let mut header_names = Namespace::new();
        let mut headers = Vec::new();
        for (wire, header) in &response.headers {
            let header_at = response_at.join("headers").join(wire);
            let (header, header_at) = self.resolver.item::<Header>(header, &header_at, "header")?;
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.schema_type(schema, &header_at.join("schema"), &format!("{hint} {wire}"))?
                }
                ParameterSchemaOrContent::Content(_) => TypeRef::String,
            };
            headers.push(ResponseHeader {
                name: header_names.claim(names::snake_name(wire)),
                wire: wire.clone(),
                read_as: ty.clone(),
                ty,
                required: header.required,
                docs: Docs { description: header.description.clone(), ..Docs::default() },
            });
        }
        let mut examples = Vec::new();
        if let Some((_, media)) = response.content.iter().find(|(media, _)| is_json(media)) {
            examples.extend(media.example.iter().cloned());
            for (name, example) in &media.examples {
                let example_at = response_at.join("content").join("examples").join(name);
                let (example, _) = self.resolver.item(example, &example_at, "example")?;
                examples.extend(example.value);
            }
        }
        Ok(Response {
            status,
            docs: Docs {
                description: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
                ..Docs::default()
            },
            media_type,
            accepts,
            body,
            headers,
            examples,
            origin: response_at,
        })
    }

    /// Picks the media type the client will use: JSON when offered, then the
    /// forms (requests only: urlencoded, then multipart), text, and anything
    /// else as bytes.
    fn content_kind(
        &mut self,
        content: &openapiv3::Content,
        at: &Pointer,
        hint: &str,
        request: bool,
    ) -> Result<Option<(String, BodyKind)>, Diagnostic> {
        if let Some((media, spec)) = content.iter().find(|(media, _)| is_json(media)) {
            let ty = match &spec.schema {
                Some(schema) => self.schema_type(schema, &at.join(media).join("schema"), hint)?,
                None => TypeRef::Json,
            };
            return Ok(Some((media.clone(), BodyKind::Json(ty))));
        }
        if request {
            let form = |form: &str| content.iter().find(|(media, _)| essence(media) == form);
            if let Some((media, spec)) =
                form("application/x-www-form-urlencoded").or_else(|| form("multipart/form-data"))
            {
                let ty = match &spec.schema {
                    Some(schema) => self.schema_type(schema, &at.join(media).join("schema"), hint)?,
                    None => TypeRef::Map(Box::new(TypeRef::String)),
                };
                return Ok(Some((media.clone(), BodyKind::Form(ty))));
            }
        }
        Ok(content.keys().next().map(|media| (media.clone(), raw_kind(media))))
    }
}

/// How a body that is neither JSON nor a form is read: `text/*` as text,
/// anything else as bytes.
fn raw_kind(media: &str) -> BodyKind {
    if essence(media).starts_with("text/") { BodyKind::Text } else { BodyKind::Bytes }
}

/// Whether a response of media type `a` is read as one of `b` is: both
/// JSON, or both read as the same raw kind (text or bytes).
fn read_alike(a: &str, b: &str) -> bool {
    match (is_json(a), is_json(b)) {
        (true, true) => true,
        (false, false) => raw_kind(a) == raw_kind(b),
        _ => false,
    }
}

const GENERATED_EXTENSION: &str = "x-client-generated";

/// Reads `x-client-generated` on a parameter.
fn generated(value: &Value, at: &Pointer, location: ParamLocation, ty: &TypeRef) -> Result<Generated, Diagnostic> {
    let generated = match value.as_str() {
        Some("per-attempt") => Generated::PerAttempt,
        Some("per-call") => Generated::PerCall,
        _ => {
            return Err(Diagnostic::at(
                at,
                format!("`{GENERATED_EXTENSION}` must be `per-attempt` or `per-call`, found {value}"),
            ));
        }
    };
    if *ty != TypeRef::Uuid || !matches!(location, ParamLocation::Header | ParamLocation::Query) {
        return Err(Diagnostic::at(
            at,
            format!(
                "`{GENERATED_EXTENSION}` belongs on an optional header or query parameter of type string, format uuid"
            ),
        ));
    }
    Ok(generated)
}

fn parameter_key(parameter: &Parameter) -> (String, u8) {
    let location = match parameter {
        Parameter::Path { .. } => 0,
        Parameter::Query { .. } => 1,
        Parameter::Header { .. } => 2,
        Parameter::Cookie { .. } => 3,
    };
    let name = parameter.parameter_data_ref().name.clone();
    // Header names are case-insensitive.
    let name = if location == 2 { name.to_ascii_lowercase() } else { name };
    (name, location)
}

/// The media type without parameters, lowercased: `application/json`.
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

pub(super) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

fn parse_method(method: &str) -> Method {
    match method {
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        "trace" => Method::Trace,
        _ => Method::Get,
    }
}

fn status_key(code: &StatusCode) -> StatusKey {
    match code {
        StatusCode::Code(code) => StatusKey::Code(*code),
        StatusCode::Range(class) => StatusKey::Range(*class),
    }
}

fn status_text(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(class) => format!("{class}XX"),
    }
}

/// A name for an operation without `operationId`: the method and the path's
/// words, parameters as `by_name` (`GET /pets/{id}` is `get_pets_by_id`).
fn derived_operation_name(method: Method, path: &str) -> String {
    let mut words = vec![method.as_str().to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_owned()),
        }
    }
    if words.len() == 1 {
        words.push("root".to_owned());
    }
    words.join(" ")
}
