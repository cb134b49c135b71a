//! Stage 4: the intermediate form to Rust tokens, one module per file.

mod builders;
mod cargo_toml;
mod client;
mod docs;
mod errors;
mod examples;
mod filter;
mod lib_rs;
mod lints;
mod runtime;
mod servers;
mod type_ref;
mod types;
mod waiting;

pub use builders::Mentions;
pub use runtime::{Needs as RuntimeNeeds, Tail, client_tails, macro_sources};

use std::collections::{BTreeSet, HashMap};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Filter, Param, TypeDef, TypeKind, TypeRef};

/// What the caller chooses about the emitted crate.
#[derive(Clone, Debug)]
pub struct Options {
    /// The package name of the emitted crate.
    pub crate_name: String,
    /// The command that regenerates the crate, quoted in every file's header.
    pub command: String,
}

/// A Rust file of the emitted crate, or a part of one, made on its own by
/// [`Crate::emit`].
pub enum Module<'a> {
    Types,
    Error,
    /// The top of `builders.rs`: its docs and imports, which depend on what
    /// its operations name.
    Builders,
    /// Operations of `builders.rs` (a range of the API's operations), after
    /// its top and the operations before them.
    Operations(std::ops::Range<usize>),
    Filter(String, &'a Filter),
    LibRs,
    Examples,
}

/// A piece of work for [`Crate::emit`]: a file, or one part of a long one
/// (the parts of a file are emitted and formatted on their own, then their
/// texts joined in order).
pub struct Piece<'a> {
    pub path: String,
    /// Its place in the file: 0 for a whole file or its first part.
    pub part: usize,
    pub module: Module<'a>,
}

/// Operations per part of `builders.rs`: parts keep every core busy on a
/// long module, and only a part's tokens and syntax are in memory at once.
const OPERATIONS_PER_PART: usize = 16;

/// A Rust file as emitted: its tokens, and the runtime files placed after
/// them as written (already formatted, so only the tokens are formatted).
pub struct Emitted {
    pub tokens: TokenStream,
    pub tail: Vec<Tail>,
}

/// The emitted crate, one file at a time, so that each Rust file can be
/// emitted, formatted and dropped on its own, on any thread: tokens cannot
/// cross threads, but the API they are made from can be shared.
pub struct Crate<'a> {
    emitter: Emitter<'a>,
    options: &'a Options,
    crate_ident: String,
}

impl Module<'_> {
    /// Whether the runtime a crate gets depends on what this module names.
    /// A filter module names none of it (the runtime's filter files are its
    /// own tail), so the client module does not wait for one.
    pub fn names_runtime(&self) -> bool {
        !matches!(self, Module::LibRs | Module::Examples | Module::Filter(..))
    }
}

impl<'a> Crate<'a> {
    pub fn crate_name(&self) -> &str {
        &self.options.crate_name
    }

    pub fn new(api: &'a Api, options: &'a Options) -> Self {
        Self { emitter: Emitter::new(api), options, crate_ident: options.crate_name.replace('-', "_") }
    }

    /// The Rust files other than `src/client.rs`, or their parts, largest
    /// first, except that the top of `builders.rs` comes after the
    /// operations it imports for. The client module is emitted after all of
    /// them, from the runtime items they name.
    pub fn modules(&self) -> Vec<Piece<'a>> {
        let piece = |path: &str, part, module| Piece { path: path.to_owned(), part, module };
        let mut modules = vec![piece("src/types.rs", 0, Module::Types)];
        let operations = self.emitter.api.operations.len();
        let starts = (0..operations).step_by(OPERATIONS_PER_PART);
        modules.extend(starts.enumerate().map(|(index, start)| {
            let end = (start + OPERATIONS_PER_PART).min(operations);
            piece("src/builders.rs", index + 1, Module::Operations(start..end))
        }));
        modules.push(piece("src/error.rs", 0, Module::Error));
        for (module, filter) in self.emitter.filter_modules() {
            modules.push(piece(&format!("src/{module}.rs"), 0, Module::Filter(module, filter)));
        }
        modules.push(piece("src/builders.rs", 0, Module::Builders));
        modules.push(piece("src/lib.rs", 0, Module::LibRs));
        modules.push(piece("tests/examples.rs", 0, Module::Examples));
        modules
    }

    /// A module's tokens (`None` when the crate has no such file). The
    /// runtime items a library module names are added to `used`, and what
    /// operations name to `mentions` (the top of `builders.rs` is emitted
    /// from what all of them name), as the emitters noted them
    /// (`runtime::item`). `Err` (an internal error) names what was named
    /// and not noted or the other way round (checked in debug builds), or
    /// what a module that names no runtime item named.
    pub fn emit(
        &self,
        module: &Module<'a>,
        used: &mut BTreeSet<String>,
        mentions: &mut Mentions,
    ) -> Result<Option<Emitted>, String> {
        let emitter = &self.emitter;
        let errors = &emitter.api.errors;
        runtime::take_named();
        let (library, tail) = match module {
            Module::Types => (types::types_module(&emitter.api.types), Vec::new()),
            Module::Error => errors::error_module(emitter, errors),
            Module::Builders => (builders::header(emitter, errors, *mentions), Vec::new()),
            Module::Operations(range) => {
                let operations = emitter.api.operations.get(range.clone()).unwrap_or_default();
                (builders::operations(emitter, errors, operations), Vec::new())
            }
            Module::Filter(name, filter) => filter::filter_module(filter, &self.crate_ident, name),
            Module::LibRs => {
                return Ok(Some(Emitted { tokens: lib_rs::lib_rs(emitter, self.options), tail: Vec::new() }));
            }
            Module::Examples => {
                let tokens = examples::examples_test(emitter, &self.crate_ident);
                return Ok(tokens.map(|tokens| Emitted { tokens, tail: Vec::new() }));
            }
        };
        let named = runtime::take_named();
        let operations = matches!(module, Module::Operations(_));
        let tokens = runtime::check_named(library, &named, operations)?;
        // The runtime a crate gets follows from what the other modules name;
        // the imports at the top of `builders.rs`, from what its operations do.
        if !module.names_runtime() && !named.items.is_empty() {
            let items: Vec<&str> = named.items.into_iter().collect();
            return Err(format!(
                "`client::{}`, named by a module that names no runtime item",
                items.join("`, `client::")
            ));
        }
        used.extend(named.items.into_iter().map(str::to_owned));
        if operations {
            mentions.add(Mentions { types: named.types, style: named.style });
        }
        Ok(Some(Emitted { tokens, tail }))
    }

    /// What the API listing reads a part of a file after, as the part's
    /// own items cannot tell it: the imports at the file's top.
    pub fn listing_context(&self, module: &Module<'a>) -> Option<TokenStream> {
        match module {
            Module::Operations(_) => Some(builders::header(&self.emitter, &self.emitter.api.errors, Mentions::ALL)),
            _ => None,
        }
    }

    /// What the crate needs of the runtime, given the runtime items the
    /// modules name.
    pub fn runtime(&self, used: BTreeSet<String>) -> runtime::Needs {
        let api = self.emitter.api;
        runtime::Needs { features: api.features, used }
    }

    /// `src/client.rs`, after every module that names the runtime is
    /// emitted; `Err` as for [`Crate::emit`].
    pub fn client(&self, runtime: &mut runtime::Needs) -> Result<Emitted, String> {
        runtime::take_named();
        let client = client::client_module(&self.emitter, runtime);
        let named = runtime::take_named();
        let client = runtime::check_named(client, &named, false)?;
        // The client module may itself name runtime items by path (a parameter's text).
        let before = runtime.used.len();
        runtime.used.extend(named.items.into_iter().map(str::to_owned));
        let tokens = if runtime.used.len() != before { client::client_module(&self.emitter, runtime) } else { client };
        Ok(Emitted { tokens, tail: runtime.public_tail() })
    }

    /// The files that are text already: `Cargo.toml` and the runtime's modules.
    pub fn text_files(&self, runtime: &runtime::Needs) -> Vec<(String, String)> {
        let mut files = vec![("Cargo.toml".to_owned(), cargo_toml::manifest(&self.emitter, self.options))];
        files.extend(runtime.files(&self.options.command));
        files
    }
}

thread_local! {
    /// Names `ident` was asked for that are not identifiers (generator bugs).
    static INVALID_IDENTIFIERS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// An identifier. Every name reaching here was made by [`crate::names`] and
/// checked by `analyse::invariants`, so it is valid; anything else is a
/// generator bug: it is recorded, and `generate` fails with an internal error
/// (see [`take_invalid_identifiers`]) instead of panicking or emitting a
/// placeholder.
pub fn ident(name: &str) -> Ident {
    if crate::names::is_identifier(name) {
        Ident::new(name, Span::call_site())
    } else {
        INVALID_IDENTIFIERS.with(|invalid| invalid.borrow_mut().push(format!("`{name}`")));
        Ident::new("invalid_identifier", Span::call_site())
    }
}

/// The invalid names `ident` met on this thread since the last call.
pub fn take_invalid_identifiers() -> Vec<String> {
    INVALID_IDENTIFIERS.with(|invalid| std::mem::take(&mut *invalid.borrow_mut()))
}

/// Look-ups over the API that several emitters need.
pub struct Emitter<'a> {
    pub api: &'a Api,
    types: HashMap<&'a str, &'a TypeDef>,
}

impl<'a> Emitter<'a> {
    fn new(api: &'a Api) -> Self {
        Self { api, types: api.types.iter().map(|def| (def.name.as_str(), def)).collect() }
    }

    /// Whether any parameter gets a fresh UUID on every attempt.
    pub fn generates_per_attempt(&self) -> bool {
        self.api
            .operations
            .iter()
            .any(|op| op.params.iter().any(|p| p.generated == Some(crate::ir::Generated::PerAttempt)))
    }

    /// The distinct `x-odata-filter` grammars, with the module each is emitted
    /// as (named in analysis: `filter`, then `filter_2`, ...).
    pub fn filter_modules(&self) -> Vec<(String, &'a Filter)> {
        let mut modules: Vec<(String, &'a Filter)> = Vec::new();
        for filter in self.api.operations.iter().flat_map(|op| op.params.iter()).filter_map(|p| p.filter.as_ref()) {
            if !modules.iter().any(|(name, _)| *name == filter.module) {
                modules.push((filter.module.clone(), filter));
            }
        }
        modules
    }

    /// The module of a parameter's filter type, if it has one.
    pub fn filter_module_of(&self, param: &Param) -> Option<String> {
        param.filter.as_ref().map(|filter| filter.module.clone())
    }

    pub fn type_def(&self, name: &str) -> Option<&'a TypeDef> {
        self.types.get(name).copied()
    }

    /// The type behind any aliases.
    pub fn resolve<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        crate::ir::resolve_aliases(ty, |name| self.type_def(name))
    }

    /// The fields that summarise a value of `ty` in one line (decided in
    /// analysis; empty for anything but a struct that has them).
    pub fn summary_fields(&self, ty: &TypeRef) -> &'a [crate::ir::SummaryField] {
        let TypeRef::Named(name) = self.resolve(ty) else { return &[] };
        match self.type_def(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(fields)) => &fields.summary,
            _ => &[],
        }
    }

    /// An expression turning `value` (a reference to a value of `ty`) into the
    /// text sent in a path, query or header.
    pub fn to_text(&self, ty: &TypeRef, value: TokenStream) -> TokenStream {
        match self.resolve(ty) {
            TypeRef::DateTime => quote!(#value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            TypeRef::String
            | TypeRef::Uri
            | TypeRef::Base64
            | TypeRef::Binary
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::Date => quote!(#value.to_string()),
            TypeRef::Named(name) if matches!(self.type_def(name).map(|d| &d.kind), Some(TypeKind::Enum(_))) => {
                quote!(#value.to_string())
            }
            TypeRef::Option(inner) => {
                let inner = self.to_text(inner, quote!(inner));
                quote!(#value.as_ref().map(|inner| #inner).unwrap_or_default())
            }
            TypeRef::Vec(item) => {
                let item = self.to_text(item, quote!(item));
                quote!(#value.iter().map(|item| #item).collect::<Vec<_>>().join(","))
            }
            _ => {
                let text_of = runtime::item("text_of");
                quote!(#text_of(&#value))
            }
        }
    }
}

/// Whether emitted tokens name the `types` module (so it must be imported).
pub fn mentions_types(tokens: &TokenStream) -> bool {
    mentions(tokens, "types")
}

/// Whether `tokens` hold the identifier `name` at any depth.
pub fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}
