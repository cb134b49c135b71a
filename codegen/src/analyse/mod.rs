//! Stage 3: the OpenAPI model to the intermediate form ([`crate::ir`]).

mod bodies;
mod decide;
mod download;
pub mod errors;
mod filter;
pub mod invariants;
mod long_running;
mod operations;
mod paging;
mod recursion;
mod schemas;
mod security;
mod servers;

use std::collections::HashMap;

use openapiv3::OpenAPI;

use crate::error::Diagnostic;
use crate::ir::{Api, TypeDef, TypeRef};
use crate::load::Document;
use crate::names::Namespace;
use crate::pointer::Pointer;
use crate::resolve::Resolver;

/// Methods of the generated `Client` that operations must not be named after.
/// `into` and `try_into` are here because their prelude traits take `self`
/// by value: on an owned `Client`, `client.into()` finds `Into::into` before
/// an inherent `into(&self)`, and does not compile.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "http_client",
    "clone",
    "fmt",
    "send",
    "execute",
    "auth",
    "url",
    "attempt",
    "credential",
    "into",
    "try_into",
];

/// Analyses a loaded document. Reports every problem it can find, not just the first.
pub fn analyse(document: &Document) -> Result<Api, Vec<Diagnostic>> {
    let mut context = Context::new(document);
    let mut diagnostics = crate::validate::operation_ids(&document.api);
    context.register_component_schemas();
    if let Err(diagnostic) = context.analyse_component_schemas() {
        diagnostics.push(diagnostic);
    }
    let auth = match context.security_schemes() {
        Ok(auth) => auth,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            Vec::new()
        }
    };
    let taken: Vec<String> = auth.iter().map(|auth| auth.field.clone()).collect();
    let (base_url, server) = match servers::document_server(&document.api, &taken) {
        Ok(found) => found,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            (None, None)
        }
    };
    let mut operations = context.analyse_operations(&mut diagnostics);
    context.check_unused_components(&mut diagnostics);
    if diagnostics.is_empty() {
        diagnostics.extend(long_running::attach(
            &document.tree,
            &mut operations,
            &context.types,
            &mut context.method_names,
        ));
        diagnostics.extend(paging::attach(&document.tree, &mut operations, &context.types));
    }
    let download_links = match download::collect(&document.tree, &mut context.types) {
        Ok(links) => links,
        Err(found) => {
            diagnostics.extend(found);
            Vec::new()
        }
    };
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    filter::name_modules(&mut operations);
    let mut types = context.types;
    recursion::box_recursive_fields(&mut types);
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let info = &document.api.info;
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        base_url,
        server,
        types,
        operations,
        auth,
        dependencies: Default::default(),
        features: Default::default(),
        errors: Vec::new(),
        examples: Vec::new(),
        download_links,
    };
    decide::decide(&mut api);
    api.errors = errors::collect(&api);
    let broken = invariants::check(&api);
    if broken.is_empty() { Ok(api) } else { Err(broken) }
}

/// Finds a type by name among `types` (unsorted while analysis runs), for
/// `ir::resolve_aliases`.
pub(crate) fn named<'t>(types: &'t [TypeDef]) -> impl Fn(&str) -> Option<&'t TypeDef> + 't {
    move |name| types.iter().find(|def| def.name == name)
}

/// Shared state of one analysis.
pub(crate) struct Context<'a> {
    api: &'a OpenAPI,
    resolver: Resolver<'a>,
    /// Names of every type in the `types` module.
    type_names: Namespace,
    /// Names of the client's methods.
    method_names: Namespace,
    /// Names of the request builders.
    builder_names: Namespace,
    /// Component schemas (and anything else given a name early), by location.
    named: HashMap<Pointer, String>,
    /// Inline schemas already analysed, by location.
    memo: HashMap<Pointer, TypeRef>,
    /// Object schemas with a `discriminator` that other component schemas
    /// extend with `allOf` (or that name them in its `mapping`): each with its
    /// subtypes' locations and component names, in the spec's order.
    subtypes: HashMap<Pointer, Vec<(Pointer, String)>>,
    types: Vec<TypeDef>,
    /// Security scheme names, in the order of `Api::auth`.
    auth_keys: Vec<String>,
    /// Where each scheme's credential goes (`security.rs`), in the same order.
    auth_places: Vec<String>,
    depth: usize,
}

impl<'a> Context<'a> {
    fn new(document: &'a Document) -> Self {
        Self {
            api: &document.api,
            resolver: Resolver::new(&document.tree),
            type_names: Namespace::new(),
            method_names: Namespace::with_reserved(CLIENT_METHODS.iter().copied()),
            // A builder named `New` would have a `new` constructor, which
            // clippy rejects; the others are imported into `builders.rs`.
            builder_names: Namespace::with_reserved([
                "New",
                "Auth",
                "Client",
                "Reply",
                "Request",
                "Error",
                "Response",
                "Polling",
                "Method",
                "Operation",
                "Style",
            ]),
            named: HashMap::new(),
            memo: HashMap::new(),
            subtypes: HashMap::new(),
            types: Vec::new(),
            auth_keys: Vec::new(),
            auth_places: Vec::new(),
            depth: 0,
        }
    }

    fn push_type(&mut self, def: TypeDef) {
        self.types.push(def);
    }

    /// Components that no operation uses must still be sound: a broken
    /// reference in one is reported, not silently dropped.
    fn check_unused_components(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let Some(components) = &self.api.components else { return };
        let at = Pointer::root().join("components");
        let mut check = |kind: &str, names: Vec<(&String, Option<&str>)>| {
            for (name, reference) in names {
                if let Some(reference) = reference {
                    if let Err(diagnostic) = self.resolver.target(reference, &at.join(kind).join(name)) {
                        diagnostics.push(diagnostic);
                    }
                }
            }
        };
        fn reference_of<T>(item: &openapiv3::ReferenceOr<T>) -> Option<&str> {
            match item {
                openapiv3::ReferenceOr::Reference { reference } => Some(reference),
                openapiv3::ReferenceOr::Item(_) => None,
            }
        }
        check("parameters", components.parameters.iter().map(|(n, i)| (n, reference_of(i))).collect());
        check("responses", components.responses.iter().map(|(n, i)| (n, reference_of(i))).collect());
        check("requestBodies", components.request_bodies.iter().map(|(n, i)| (n, reference_of(i))).collect());
        check("headers", components.headers.iter().map(|(n, i)| (n, reference_of(i))).collect());
        check("examples", components.examples.iter().map(|(n, i)| (n, reference_of(i))).collect());
    }
}

#[cfg(test)]
mod tests;
