//! `servers`: the document's base URL and its variables (setters on the
//! client builder), and the servers of paths and operations that override it.
//!
//! A relative document server (`/api/v1`) names a path on whatever host
//! served the spec, which a client cannot know: the caller then gives the
//! whole base URL, and there is no default. A relative path or operation
//! server is resolved at run time against the client's base URL (runtime
//! `server.rs`).

use openapiv3::{OpenAPI, Server};

use crate::error::Diagnostic;
use crate::ir::{OperationServer, ServerEnum, ServerTemplate, ServerVariable};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

/// Methods and fields of the generated `ClientBuilder` that are not variables.
const BUILDER_NAMES: &[&str] = &[
    "base_url",
    "http",
    "http_client",
    "retry",
    "retry_policy",
    "build",
    "new",
    "credentials",
    "ignore_operation_servers",
];

/// Items of the generated `client` module that a variable's enum must not be named.
const CLIENT_ITEMS: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Inner",
    "Credentials",
    "Auth",
    "Arc",
    "Duration",
    "Error",
    "RetryPolicy",
    "Response",
    "TokenProvider",
    "Polling",
    "Token",
    "Secret",
    "Transport",
    "Authenticate",
    "Credential",
    "Request",
    "Reply",
];

/// The document's base URL (variables at their defaults) and, when it is
/// absolute and has variables, the template the builder fills in.
/// `taken` are the builder's credential setters, which variables must not shadow.
pub(super) fn document_server(
    api: &OpenAPI,
    taken: &[String],
) -> Result<(Option<String>, Option<ServerTemplate>), Diagnostic> {
    let Some(server) = api.servers.first() else { return Ok((None, None)) };
    let at = Pointer::root().join("servers").join(0);
    let url = with_defaults(server, &at)?;
    // A relative server URL depends on where the spec was fetched from.
    if !url.contains("://") {
        return Ok((None, None));
    }
    let template = match &server.variables {
        Some(variables) if !variables.is_empty() => {
            let mut setters = Namespace::with_reserved(BUILDER_NAMES.iter().copied());
            for name in taken {
                setters.claim(name.clone());
                setters.claim(format!("{name}_provider"));
            }
            let mut types = Namespace::with_reserved(CLIENT_ITEMS.iter().copied());
            let names = VariableNames { setters: &mut setters, setter_prefix: "", types: &mut types, type_prefix: "" };
            Some(template(server, names))
        }
        _ => None,
    };
    Ok((Some(url.trim_end_matches('/').to_owned()), template))
}

/// The server an operation names for itself (its own `servers`, else its
/// path's), variables at their defaults, when it is not the document's.
/// Its variables become setters of the operation's request builder, named
/// `server_<variable>` among its parameters' setters (`names.setters`), and
/// their enums are named after the operation among the builders' types.
pub(super) fn operation_server(
    api: &OpenAPI,
    operation: (&[Server], &Pointer),
    path: (&[Server], &Pointer),
    names: VariableNames<'_>,
) -> Result<Option<OperationServer>, Diagnostic> {
    let (server, at) = match (operation.0.first(), path.0.first()) {
        (Some(server), _) => (server, operation.1.join("servers").join(0)),
        (None, Some(server)) => (server, path.1.join("servers").join(0)),
        (None, None) => return Ok(None),
    };
    let url = with_defaults(server, &at)?.trim_end_matches('/').to_owned();
    let document = match api.servers.first() {
        Some(document) => Some(with_defaults(document, &Pointer::root().join("servers").join(0))?),
        None => None,
    };
    if document.as_deref().map(|document| document.trim_end_matches('/')) == Some(url.as_str()) {
        return Ok(None);
    }
    let template =
        server.variables.as_ref().is_some_and(|variables| !variables.is_empty()).then(|| template(server, names));
    Ok(Some(OperationServer { url, template }))
}

/// Where the names of a server's variables are claimed: their setters (with
/// a prefix) and the enums of listed values (named with a prefix).
pub(super) struct VariableNames<'a> {
    pub setters: &'a mut Namespace,
    pub setter_prefix: &'a str,
    pub types: &'a mut Namespace,
    pub type_prefix: &'a str,
}

/// `server`'s URL template and its variables, each named in `names`.
fn template(server: &Server, names: VariableNames<'_>) -> ServerTemplate {
    let VariableNames { setters, setter_prefix, types, type_prefix } = names;
    let variables = server
        .variables
        .iter()
        .flatten()
        .map(|(wire, variable)| {
            let values = (!variable.enumeration.is_empty()).then(|| {
                let mut values = variable.enumeration.clone();
                // A default outside the list (3.0 only says it SHOULD be in
                // it) is one more value, so the default stays expressible.
                if !values.contains(&variable.default) {
                    values.insert(0, variable.default.clone());
                }
                let mut variants = Namespace::new();
                let default = values.iter().position(|v| *v == variable.default).unwrap_or(0);
                ServerEnum {
                    name: types.claim(names::type_name(&format!("{type_prefix} {wire}"))),
                    variants: values.into_iter().map(|v| (variants.claim(names::variant_name(&v)), v)).collect(),
                    default,
                }
            });
            ServerVariable {
                name: setters.claim(names::snake_name(&format!("{setter_prefix} {wire}"))),
                wire: wire.clone(),
                default: variable.default.clone(),
                description: variable.description.clone(),
                values,
            }
        })
        .collect();
    ServerTemplate { url: server.url.trim_end_matches('/').to_owned(), variables }
}

/// A server's URL with each `{variable}` at its default; a variable the
/// server does not define is an error at its URL.
fn with_defaults(server: &Server, at: &Pointer) -> Result<String, Diagnostic> {
    let mut url = String::with_capacity(server.url.len());
    let mut rest = server.url.as_str();
    while let Some(start) = rest.find('{') {
        url.push_str(&rest[..start]);
        let Some(length) = rest[start..].find('}') else {
            return Err(Diagnostic::at(&at.join("url"), format!("server URL `{}` has an unclosed `{{`", server.url)));
        };
        let name = &rest[start + 1..start + length];
        match server.variables.as_ref().and_then(|variables| variables.get(name)) {
            Some(variable) => url.push_str(&variable.default),
            None => {
                return Err(Diagnostic::at(
                    &at.join("url"),
                    format!("server URL `{}` uses variable `{name}`, which its `variables` do not define", server.url),
                ));
            }
        }
        rest = &rest[start + length + 1..];
    }
    url.push_str(rest);
    Ok(url)
}
