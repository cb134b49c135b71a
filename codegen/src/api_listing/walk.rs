//! Reading the public items out of the emitted syntax trees.
//!
//! The walk starts at `src/lib.rs` and follows `pub mod` declarations only,
//! so private modules, `tests/` and anything else not reachable by path stay
//! out. Names are resolved just enough to write full paths: items declared in
//! the module, its `use` imports of the crate's own items, and `crate::`,
//! `self::` and `super::` paths. Anything else (std, dependencies, generic
//! parameters) is written as it appears in the source.
//!
//! Each file is read on its own ([`read_file`]), from its tree alone, into
//! owned text: the generator reads a file as soon as it is formatted (on any
//! thread) and drops its tree. What needs the whole crate waits for
//! [`combine`]: which modules are reachable, which impls are of private
//! items, and what the crate's macros expand to.
//!
//! The trees are consumed: the pieces of each item are moved into the dummy
//! items that are printed (syn's nodes cannot be cloned in this build).

use std::collections::{BTreeMap, BTreeSet};

use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, GenericParam, Generics, ImplItem, Item, Meta, TraitItem, UseTree, Visibility};

use super::macros::{self, Definition, Invocation, KnownMacros, Macros};
use super::print::{self, Batch, NAME, TRAIT};
use super::qualify;
use super::{NON_EXHAUSTIVE, PRIVATE_FIELDS, PROVIDED_BODY, PROVIDED_VALUE};

/// Traits std can derive: a derive and a hand-written `impl std::fmt::Debug`
/// must give the same line, or switching between them would look breaking.
const DERIVABLE: &[&str] = &["Clone", "Copy", "Debug", "Default", "Eq", "Hash", "Ord", "PartialEq", "PartialOrd"];

/// What one file adds to the listing.
pub struct FileListing {
    /// The file's module (for a file under `src/`) and the public inline
    /// modules in it.
    modules: Vec<ModuleListing>,
    /// Its `macro_rules!` definitions, wherever they are.
    macros: Vec<Definition>,
}

/// One module's part of the listing, before the crate is known whole.
struct ModuleListing {
    module: Module,
    segments: Vec<String>,
    /// Whether it is written inline in its parent (`pub mod a { ... }`).
    inline: bool,
    /// Whether it is a `mod.rs` file (`src/a/mod.rs`; `src/a.rs` comes first).
    mod_rs: bool,
    /// Its `pub` modules that are not test-only, each with whether it is inline.
    public_children: Vec<(String, bool)>,
    lines: Vec<Line>,
    /// Invocations of macros, expanded once every file's definitions are known.
    invocations: Vec<Invocation>,
}

impl ModuleListing {
    /// Adds what another part of the same file holds.
    fn merge(&mut self, part: ModuleListing) {
        self.module.declared.extend(part.module.declared);
        self.module.imports.extend(part.module.imports);
        self.module.external.extend(part.module.external);
        self.public_children.extend(part.public_children);
        self.lines.extend(part.lines);
        self.invocations.extend(part.invocations);
    }
}

/// A listing line, unless one of the named items is private (an impl of a
/// private type or trait is not API).
struct Line {
    text: String,
    unless_private: Vec<String>,
}

/// The listing's part from one file at `path` (relative to the crate root).
/// Invocations of the `known` macros are expanded at once; others when the
/// files are combined.
pub fn read_file(crate_ident: &str, path: &str, file: syn::File, known: &KnownMacros) -> FileListing {
    let macros = macros::definitions(&file.items);
    let mut modules = Vec::new();
    if let Some(segments) = module_segments(path) {
        let mod_rs = path.ends_with("/mod.rs");
        read_module(crate_ident, segments, (false, mod_rs), file.items, known, &mut modules);
    }
    FileListing { modules, macros }
}

/// The module a file under `src/` is: `src/lib.rs` the crate root,
/// `src/a/b.rs` and `src/a/b/mod.rs` module `a::b` (a keyword as a raw name).
fn module_segments(path: &str) -> Option<Vec<String>> {
    let below = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    if below == "lib" {
        return Some(Vec::new());
    }
    let mut segments: Vec<&str> = below.split('/').collect();
    if segments.len() > 1 && segments.last() == Some(&"mod") {
        segments.pop();
    }
    Some(
        segments
            .into_iter()
            .map(|segment| match syn::parse_str::<syn::Ident>(segment) {
                Ok(_) => segment.to_owned(),
                Err(_) => format!("r#{segment}"),
            })
            .collect(),
    )
}

fn read_module(
    crate_ident: &str,
    segments: Vec<String>,
    (inline, mod_rs): (bool, bool),
    items: Vec<Item>,
    known: &KnownMacros,
    out: &mut Vec<ModuleListing>,
) {
    let path = std::iter::once(crate_ident.to_owned()).chain(segments.iter().cloned()).collect::<Vec<_>>();
    let mut module = Module {
        crate_ident: crate_ident.to_owned(),
        path: path.join("::"),
        declared: declared(&items),
        imports: BTreeMap::new(),
        external: BTreeMap::new(),
    };
    (module.imports, module.external) = imports(&module, &items);
    let mut walker = Walker::default();
    let mut public_children = Vec::new();
    for item in items {
        if is_test_only(item_attrs(&item)) {
            continue;
        }
        match item {
            Item::Mod(child) if is_public(&child.vis) => {
                walker.text_line(format!("pub mod {}", module.child(&child.ident)));
                let name = child.ident.to_string();
                public_children.push((name.clone(), child.content.is_some()));
                if let Some((_, inline_items)) = child.content {
                    let mut child_segments = segments.clone();
                    child_segments.push(name);
                    read_module(crate_ident, child_segments, (true, false), inline_items, known, out);
                }
            }
            item => walker.item(&module, item),
        }
    }
    for invocation in std::mem::take(&mut walker.invocations) {
        match known.get().expand(&invocation) {
            Some(expanded) => walker.expanded(&module, expanded),
            None => walker.invocations.push(invocation),
        }
    }
    let (lines, invocations) = walker.finish();
    out.push(ModuleListing { module, segments, inline, mod_rs, public_children, lines, invocations });
}

/// Every listing line of the crate whose files' parts are `files`.
pub fn combine(files: Vec<FileListing>) -> BTreeSet<String> {
    let mut macros = Macros::default();
    // By path below the crate and whether inline; `src/a.rs` before `src/a/mod.rs`.
    let mut modules: BTreeMap<(Vec<String>, bool), ModuleListing> = BTreeMap::new();
    for file in files {
        macros.add(file.macros);
        for module in file.modules {
            let key = (module.segments.clone(), module.inline);
            match modules.get_mut(&key) {
                // Parts of one file, read on their own.
                Some(known) if known.mod_rs == module.mod_rs => known.merge(module),
                Some(known) if !known.mod_rs || module.mod_rs => {}
                _ => {
                    modules.insert(key, module);
                }
            }
        }
    }
    // The modules reachable from `src/lib.rs` through public modules.
    let mut reachable = Vec::new();
    let mut pending = vec![(Vec::new(), false)];
    while let Some(key) = pending.pop() {
        let Some(module) = modules.remove(&key) else { continue };
        for (child, inline) in &module.public_children {
            let mut segments = key.0.clone();
            segments.push(child.clone());
            pending.push((segments, *inline));
        }
        reachable.push(module);
    }
    let mut private = BTreeSet::new();
    for listing in &reachable {
        for (name, public) in &listing.module.declared {
            if !public {
                private.insert(format!("{}::{name}", listing.module.path));
            }
        }
    }
    let mut lines = BTreeSet::new();
    for listing in reachable {
        let mut walker = Walker::default();
        for invocation in &listing.invocations {
            walker.expanded(&listing.module, macros.expand(invocation).unwrap_or_default());
        }
        let (expanded, _) = walker.finish();
        for line in listing.lines.into_iter().chain(expanded) {
            if !line.unless_private.iter().any(|path| private.contains(path)) {
                lines.insert(line.text);
            }
        }
    }
    lines
}

/// Every listing line of the crate whose `src/` trees are in `files`.
pub(super) fn lines(crate_ident: &str, files: BTreeMap<String, syn::File>) -> BTreeSet<String> {
    let none = KnownMacros::default();
    combine(files.into_iter().map(|(path, file)| read_file(crate_ident, &path, file, &none)).collect())
}

/// A module reachable from the crate root through public modules.
struct Module {
    crate_ident: String,
    /// Its full path, the crate's name first.
    path: String,
    /// Names of the items declared in it, with whether each is `pub`.
    declared: BTreeMap<String, bool>,
    /// Names brought in by `use` of the crate's own items, with their full path.
    imports: BTreeMap<String, String>,
    /// Names brought in by `use` of other crates' items (`Duration` from
    /// `std::time::Duration`), with the path they were imported from.
    external: BTreeMap<String, String>,
}

fn declared(items: &[Item]) -> BTreeMap<String, bool> {
    let mut declared = BTreeMap::new();
    for item in items.iter().filter(|item| !is_test_only(item_attrs(item))) {
        let named = match item {
            Item::Struct(item) => Some((&item.ident, &item.vis)),
            Item::Enum(item) => Some((&item.ident, &item.vis)),
            Item::Union(item) => Some((&item.ident, &item.vis)),
            Item::Trait(item) => Some((&item.ident, &item.vis)),
            Item::TraitAlias(item) => Some((&item.ident, &item.vis)),
            Item::Type(item) => Some((&item.ident, &item.vis)),
            Item::Mod(item) => Some((&item.ident, &item.vis)),
            Item::Fn(item) => Some((&item.sig.ident, &item.vis)),
            Item::Const(item) => Some((&item.ident, &item.vis)),
            Item::Static(item) => Some((&item.ident, &item.vis)),
            _ => None,
        };
        if let Some((ident, vis)) = named {
            declared.insert(ident.to_string(), is_public(vis));
        }
    }
    declared
}

/// The module's imports of the crate's own items, and of other crates' items.
fn imports(module: &Module, items: &[Item]) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut imports = BTreeMap::new();
    let mut external = BTreeMap::new();
    for item in items.iter().filter(|item| !is_test_only(item_attrs(item))) {
        let Item::Use(item) = item else { continue };
        if item.leading_colon.is_some() {
            continue;
        }
        for (source, name) in flatten_use(&item.tree) {
            if name == "*" {
                continue;
            }
            if let Some(full) = module.resolve(&source) {
                imports.insert(name, full);
            } else if source.first().is_some_and(|first| !["crate", "self", "super"].contains(&first.as_str())) {
                external.insert(name, source.join("::"));
            }
        }
    }
    (imports, external)
}

/// A `use` tree as (source path, local name) pairs; a glob's name is `*`.
fn flatten_use(tree: &UseTree) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut pending = vec![(Vec::new(), tree)];
    while let Some((prefix, tree)) = pending.pop() {
        match tree {
            UseTree::Path(path) => {
                let mut prefix = prefix;
                prefix.push(path.ident.to_string());
                pending.push((prefix, &path.tree));
            }
            UseTree::Name(name) => out.push(imported(prefix, name.ident.to_string(), None)),
            UseTree::Rename(rename) => {
                out.push(imported(prefix, rename.ident.to_string(), Some(rename.rename.to_string())));
            }
            UseTree::Glob(_) => {
                let mut source = prefix;
                source.push("*".to_owned());
                out.push((source, "*".to_owned()));
            }
            UseTree::Group(group) => pending.extend(group.items.iter().map(|tree| (prefix.clone(), tree))),
        }
    }
    out
}

/// `use a::b::{self}` imports `a::b` under the name `b`.
fn imported(mut prefix: Vec<String>, ident: String, rename: Option<String>) -> (Vec<String>, String) {
    let own_name = if ident == "self" { prefix.last().cloned().unwrap_or_default() } else { ident.clone() };
    if ident != "self" {
        prefix.push(ident);
    }
    (prefix, rename.unwrap_or(own_name))
}

impl Module {
    /// The full path of a crate-local path; `None` for anything else.
    fn resolve(&self, segments: &[String]) -> Option<String> {
        let (first, mut rest) = segments.split_first()?;
        let mut base = match first.as_str() {
            "crate" => self.crate_ident.clone(),
            "self" => self.path.clone(),
            "super" => parent(&self.path)?,
            name if self.declared.contains_key(name) => format!("{}::{name}", self.path),
            name => self.imports.get(name)?.clone(),
        };
        while let Some((next, tail)) = rest.split_first() {
            if next != "super" {
                break;
            }
            base = parent(&base)?;
            rest = tail;
        }
        for segment in rest {
            base.push_str("::");
            base.push_str(segment);
        }
        Some(base)
    }

    fn resolve_path(&self, path: &syn::Path) -> Option<String> {
        if path.leading_colon.is_some() {
            return None;
        }
        let segments: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
        self.resolve(&segments)
    }

    /// The full `crate::` path of a path written here, when it names one of
    /// the crate's own items.
    /// Other crates' names imported by `use` are written as imported.
    fn full_path(&self, path: &syn::Path) -> Option<String> {
        if let Some(full) = self.resolve_path(path) {
            let below = full.strip_prefix(self.crate_ident.as_str())?;
            return Some(format!("crate{below}"));
        }
        let mut segments = path.segments.iter().map(|segment| segment.ident.to_string());
        let first = segments.next()?;
        let imported = self.external.get(&first)?;
        Some(std::iter::once(imported.clone()).chain(segments).collect::<Vec<_>>().join("::"))
    }

    fn child(&self, name: &impl ToString) -> String {
        format!("{}::{}", self.path, name.to_string())
    }
}

fn parent(path: &str) -> Option<String> {
    path.rsplit_once("::").map(|(parent, _)| parent.to_owned())
}

/// A piece of a line: text, or a printed item with names put in the place
/// of its placeholders.
enum Part {
    Text(String),
    Printed(usize, Vec<(String, String)>),
}

#[derive(Default)]
struct Walker {
    batch: Batch,
    /// Each line's parts, with the items whose privacy hides it.
    lines: Vec<(Vec<Part>, Vec<String>)>,
    invocations: Vec<Invocation>,
}

fn text(text: impl Into<String>) -> Part {
    Part::Text(text.into())
}

/// A printed item with [`NAME`] replaced by `path`.
fn named(index: usize, path: &str) -> Part {
    Part::Printed(index, vec![(NAME.to_owned(), path.to_owned())])
}

fn printed(index: usize) -> Part {
    Part::Printed(index, Vec::new())
}

impl Walker {
    fn text_line(&mut self, line: String) {
        self.push(vec![Part::Text(line)]);
    }

    fn push(&mut self, parts: Vec<Part>) {
        self.lines.push((parts, Vec::new()));
    }

    fn finish(self) -> (Vec<Line>, Vec<Invocation>) {
        let printed = self.batch.finish();
        let mut lines = Vec::with_capacity(self.lines.len());
        for (parts, unless_private) in self.lines {
            let mut line = String::new();
            for part in parts {
                match part {
                    Part::Text(text) => line.push_str(&text),
                    Part::Printed(index, replacements) => {
                        let mut piece = printed.get(index).cloned().unwrap_or_default();
                        for (from, to) in replacements {
                            replace_first(&mut piece, &from, &to);
                        }
                        line.push_str(&piece);
                    }
                }
            }
            lines.push(Line { text: line, unless_private });
        }
        (lines, self.invocations)
    }

    /// What an expansion defines is listed; a macro it invokes in turn is
    /// not expanded, so a recursive macro cannot loop.
    fn expanded(&mut self, module: &Module, items: Vec<Item>) {
        for item in items {
            if !matches!(item, Item::Macro(_)) {
                self.item(module, item);
            }
        }
    }

    fn item(&mut self, module: &Module, item: Item) {
        match item {
            Item::Use(item) if is_public(&item.vis) => self.reexports(module, &item),
            Item::Struct(item) if is_public(&item.vis) => self.structure(module, item),
            Item::Enum(item) if is_public(&item.vis) => self.enumeration(module, item),
            Item::Union(item) if is_public(&item.vis) => self.union(module, item),
            Item::Fn(mut item) if is_public(&item.vis) => {
                let path = module.child(&item.sig.ident);
                qualify::signature(&mut item.sig, &|path| module.full_path(path));
                let index = self.batch.function(item.sig);
                self.push(vec![named(index, &path)]);
            }
            Item::Const(mut item) if is_public(&item.vis) => {
                let path = module.child(&item.ident);
                qualify::ty(&mut item.ty, &|path| module.full_path(path));
                let index = self.batch.type_text(*item.ty);
                self.push(vec![text(format!("pub const {path}: ")), printed(index)]);
            }
            Item::Static(mut item) if is_public(&item.vis) => {
                qualify::ty(&mut item.ty, &|path| module.full_path(path));
                let mutable = if matches!(item.mutability, syn::StaticMutability::Mut(_)) { "mut " } else { "" };
                let path = module.child(&item.ident);
                let index = self.batch.type_text(*item.ty);
                self.push(vec![text(format!("pub static {mutable}{path}: ")), printed(index)]);
            }
            Item::Type(mut item) if is_public(&item.vis) => {
                let path = module.child(&item.ident);
                qualify::ty(&mut item.ty, &|path| module.full_path(path));
                item.attrs.clear();
                item.ident = print::name_ident();
                let index = self.batch.push(Item::Type(item));
                self.push(vec![named(index, &path)]);
            }
            Item::TraitAlias(mut item) if is_public(&item.vis) => {
                let path = module.child(&item.ident);
                item.attrs.clear();
                item.ident = print::name_ident();
                let index = self.batch.push(Item::TraitAlias(item));
                self.push(vec![named(index, &path)]);
            }
            Item::Trait(item) if is_public(&item.vis) => self.definition_of_trait(module, item),
            Item::Impl(item) => self.implementation(module, item),
            // Expanded at the end of the module, or by `combine` once every
            // file's macros are known.
            Item::Macro(item) => self.invocations.extend(Invocation::of(&item.mac)),
            _ => {}
        }
    }

    fn reexports(&mut self, module: &Module, item: &syn::ItemUse) {
        for (source, name) in flatten_use(&item.tree) {
            let target = match item.leading_colon {
                Some(_) => format!("::{}", source.join("::")),
                None => module.resolve(&source).unwrap_or_else(|| source.join("::")),
            };
            self.text_line(format!("pub use {} = {target}", module.child(&name)));
        }
    }

    fn structure(&mut self, module: &Module, mut item: syn::ItemStruct) {
        let path = module.child(&item.ident);
        let before = if is_non_exhaustive(&item.attrs) { format!("{NON_EXHAUSTIVE} ") } else { String::new() };
        let private = item.fields.iter().any(|field| !is_public(&field.vis));
        let after = if private { PRIVATE_FIELDS } else { "" };
        let derives = derives(&item.attrs);
        let derive_generics = if derives.is_empty() { None } else { print::copy_generics(&item.generics) };
        let fields = std::mem::replace(&mut item.fields, Fields::Unit);
        item.attrs.clear();
        item.ident = print::name_ident();
        item.semi_token = Some(Default::default());
        let index = self.batch.push(Item::Struct(item));
        self.push(vec![text(before), named(index, &path), text(after)]);
        self.public_fields(module, &path, fields);
        self.derived(derives, derive_generics, &path);
    }

    fn union(&mut self, module: &Module, mut item: syn::ItemUnion) {
        let path = module.child(&item.ident);
        let private = item.fields.named.iter().any(|field| !is_public(&field.vis));
        let after = if private { PRIVATE_FIELDS } else { "" };
        let derives = derives(&item.attrs);
        let derive_generics = if derives.is_empty() { None } else { print::copy_generics(&item.generics) };
        let fields = std::mem::take(&mut item.fields.named);
        item.attrs.clear();
        item.ident = print::name_ident();
        let index = self.batch.push(Item::Union(item));
        self.push(vec![named(index, &path), text(after)]);
        self.public_fields(module, &path, fields);
        self.derived(derives, derive_generics, &path);
    }

    fn public_fields(&mut self, module: &Module, owner: &str, fields: impl IntoIterator<Item = syn::Field>) {
        for (index, mut field) in fields.into_iter().enumerate() {
            if !is_public(&field.vis) || is_test_only(&field.attrs) {
                continue;
            }
            let name = field.ident.as_ref().map_or_else(|| index.to_string(), ToString::to_string);
            qualify::ty(&mut field.ty, &|path| module.full_path(path));
            let printed_type = self.batch.type_text(field.ty);
            self.push(vec![text(format!("pub {owner}::{name}: ")), printed(printed_type)]);
        }
    }

    fn enumeration(&mut self, module: &Module, mut item: syn::ItemEnum) {
        let path = module.child(&item.ident);
        let before = if is_non_exhaustive(&item.attrs) { format!("{NON_EXHAUSTIVE} ") } else { String::new() };
        let derives = derives(&item.attrs);
        let derive_generics = if derives.is_empty() { None } else { print::copy_generics(&item.generics) };
        let variants = std::mem::take(&mut item.variants);
        item.attrs.clear();
        item.ident = print::name_ident();
        let index = self.batch.push(Item::Enum(item));
        self.push(vec![text(before), named(index, &path)]);
        for mut variant in variants {
            if is_test_only(&variant.attrs) {
                continue;
            }
            let before = if is_non_exhaustive(&variant.attrs) { format!("{NON_EXHAUSTIVE} ") } else { String::new() };
            let mut line = vec![text(format!("{before}pub {path}::{}", variant.ident))];
            if !matches!(variant.fields, Fields::Unit) {
                qualify::fields(&mut variant.fields, &|path| module.full_path(path));
                line.push(printed(self.batch.variant_fields(variant.fields)));
            }
            if let Some((_, discriminant)) = variant.discriminant {
                line.push(text(" = "));
                line.push(printed(self.batch.expr_text(discriminant)));
            }
            self.push(line);
        }
        self.derived(derives, derive_generics, &path);
    }

    fn definition_of_trait(&mut self, module: &Module, mut item: syn::ItemTrait) {
        let path = module.child(&item.ident);
        let trait_items = std::mem::take(&mut item.items);
        item.attrs.clear();
        item.ident = print::name_ident();
        let index = self.batch.push(Item::Trait(item));
        self.push(vec![named(index, &path)]);
        for trait_item in trait_items {
            let line = match trait_item {
                TraitItem::Fn(mut function) if !is_test_only(&function.attrs) => {
                    qualify::signature(&mut function.sig, &|path| module.full_path(path));
                    let item_path = format!("{path}::{}", function.sig.ident);
                    let provided = if function.default.is_some() { PROVIDED_BODY } else { "" };
                    vec![named(self.batch.function(function.sig), &item_path), text(provided)]
                }
                TraitItem::Const(mut constant) if !is_test_only(&constant.attrs) => {
                    qualify::ty(&mut constant.ty, &|path| module.full_path(path));
                    let provided = if constant.default.is_some() { PROVIDED_VALUE } else { "" };
                    vec![
                        text(format!("pub const {path}::{}: ", constant.ident)),
                        printed(self.batch.type_text(constant.ty)),
                        text(provided),
                    ]
                }
                TraitItem::Type(alias) if !is_test_only(&alias.attrs) => {
                    let item_path = format!("{path}::{}", alias.ident);
                    let provided = if alias.default.is_some() { PROVIDED_VALUE } else { "" };
                    vec![text("pub type "), named(self.batch.associated_type(alias), &item_path), text(provided)]
                }
                _ => continue,
            };
            self.push(line);
        }
    }

    fn implementation(&mut self, module: &Module, mut item: syn::ItemImpl) {
        let self_path = match item.self_ty.as_ref() {
            syn::Type::Path(ty) if ty.qself.is_none() => Some(&ty.path),
            _ => None,
        };
        let resolved_self = self_path.and_then(|path| module.resolve_path(path));
        let written_self = self_path
            .map(|path| path.segments.iter().map(|segment| segment.ident.to_string()).collect::<Vec<_>>().join("::"));
        // An impl of a private type or trait is not API; which items are
        // private is known once every module is read.
        let mut hidden_by: Vec<String> = resolved_self.iter().cloned().collect();
        let Some((trait_path, for_token)) = item.trait_.take() else {
            let owner = resolved_self.or(written_self).unwrap_or_else(|| trait_object(module, &item.self_ty));
            self.inherent_items(module, &owner, item.items, &hidden_by);
            return;
        };
        let resolved_trait = module.resolve_path(&trait_path);
        hidden_by.extend(resolved_trait.iter().cloned());
        let resolve = |path: &syn::Path| module.full_path(path);
        let mut trait_path = trait_path;
        qualify::arguments(&mut trait_path, &resolve);
        qualify::generics(&mut item.generics, &resolve);
        if let syn::Type::Path(ty) = item.self_ty.as_mut() {
            qualify::arguments(&mut ty.path, &resolve);
        }
        let mut replacements = Vec::new();
        // Crate-local names are written in full; others as in the source.
        if let Some(full) = resolved_self {
            if let syn::Type::Path(ty) = item.self_ty.as_mut() {
                renamed_last(&mut ty.path, print::name_ident());
                replacements.push((NAME.to_owned(), full));
            }
        }
        let trait_path = match resolved_trait {
            Some(full) => {
                replacements.push((TRAIT.to_owned(), full));
                renamed_last(&mut trait_path, print::trait_ident());
                trait_path
            }
            None => std_shortened(trait_path),
        };
        item.trait_ = Some((trait_path, for_token));
        item.attrs.clear();
        item.items.clear();
        let index = self.batch.push(Item::Impl(item));
        self.lines.push((vec![Part::Printed(index, replacements)], hidden_by));
    }

    fn inherent_items(&mut self, module: &Module, owner: &str, items: Vec<ImplItem>, hidden_by: &[String]) {
        let resolve = |path: &syn::Path| module.full_path(path);
        for mut impl_item in items {
            match &mut impl_item {
                ImplItem::Fn(function) => qualify::signature(&mut function.sig, &resolve),
                ImplItem::Const(constant) => qualify::ty(&mut constant.ty, &resolve),
                ImplItem::Type(alias) => qualify::ty(&mut alias.ty, &resolve),
                _ => {}
            }
            let line = match impl_item {
                ImplItem::Fn(function) if is_public(&function.vis) && !is_test_only(&function.attrs) => {
                    let path = format!("{owner}::{}", function.sig.ident);
                    vec![named(self.batch.function(function.sig), &path)]
                }
                ImplItem::Const(constant) if is_public(&constant.vis) && !is_test_only(&constant.attrs) => {
                    vec![
                        text(format!("pub const {owner}::{}: ", constant.ident)),
                        printed(self.batch.type_text(constant.ty)),
                    ]
                }
                ImplItem::Type(alias) if is_public(&alias.vis) && !is_test_only(&alias.attrs) => {
                    vec![text(format!("pub type {owner}::{} = ", alias.ident)), printed(self.batch.type_text(alias.ty))]
                }
                _ => continue,
            };
            self.lines.push((line, hidden_by.to_vec()));
        }
    }

    /// `#[derive(Clone)]` on `X<T>` lists `impl<T> Clone for path::X<T>`:
    /// one impl printed for the type, each derived trait put in its place.
    fn derived(&mut self, derives: Vec<syn::Path>, generics: Option<Generics>, path: &str) {
        let Some(template) = generics.and_then(derive_template) else { return };
        let has_generics = !template.generics.params.is_empty();
        let index = self.batch.push(Item::Impl(template));
        for trait_path in derives {
            let trait_path = std_shortened(trait_path);
            let written = trait_path.segments.iter().map(|segment| segment.ident.to_string()).collect::<Vec<_>>();
            let mut replacements = vec![(NAME.to_owned(), path.to_owned())];
            if written.last().is_some_and(|last| last == "Deserialize") {
                // serde's derive implements `Deserialize<'de>` for every `'de`;
                // written as that impl, replacing the derive by a hand-written
                // impl is no change.
                let opening = if has_generics { ("impl<", "impl<'de, ") } else { ("impl ", "impl<'de> ") };
                replacements.push((opening.0.to_owned(), opening.1.to_owned()));
                replacements.push((TRAIT.to_owned(), format!("{}<'de>", written.join("::"))));
            } else {
                replacements.push((TRAIT.to_owned(), written.join("::")));
            }
            self.push(vec![Part::Printed(index, replacements)]);
        }
    }
}

/// The only other type with inherent impls, `dyn Trait`, as `dyn path::Trait`.
fn trait_object(module: &Module, ty: &syn::Type) -> String {
    let syn::Type::TraitObject(object) = ty else { return String::new() };
    let principal = object.bounds.iter().find_map(|bound| match bound {
        syn::TypeParamBound::Trait(bound) => Some(&bound.path),
        _ => None,
    });
    let path = principal.map(|path| {
        module.resolve_path(path).unwrap_or_else(|| {
            path.segments.iter().map(|segment| segment.ident.to_string()).collect::<Vec<_>>().join("::")
        })
    });
    format!("dyn {}", path.unwrap_or_default())
}

/// The traits of the item's `#[derive(...)]` attributes.
fn derives(attrs: &[Attribute]) -> Vec<syn::Path> {
    let mut derives = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        if let Ok(traits) = attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) {
            derives.extend(traits);
        }
    }
    derives
}

/// `impl<generics> TRAIT for NAME<arguments> where ... {}`, what a derive emits.
fn derive_template(mut generics: Generics) -> Option<syn::ItemImpl> {
    let arguments: Vec<String> = generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Lifetime(param) => param.lifetime.to_string(),
            GenericParam::Type(param) => param.ident.to_string(),
            GenericParam::Const(param) => param.ident.to_string(),
        })
        .collect();
    let arguments = if arguments.is_empty() { String::new() } else { format!("<{}>", arguments.join(", ")) };
    let mut template: syn::ItemImpl = syn::parse_str(&format!("impl {TRAIT} for {NAME}{arguments} {{}}")).ok()?;
    // An impl's parameters take no defaults or attributes.
    for param in generics.params.iter_mut() {
        match param {
            GenericParam::Lifetime(param) => param.attrs.clear(),
            GenericParam::Type(param) => {
                param.attrs.clear();
                param.default = None;
            }
            GenericParam::Const(param) => {
                param.attrs.clear();
                param.default = None;
            }
        }
    }
    template.generics = generics;
    Some(template)
}

/// Keeps only the path's last segment (with its generic arguments), renamed.
fn renamed_last(path: &mut syn::Path, ident: syn::Ident) {
    if let Some(mut last) = path.segments.pop() {
        last.ident = ident;
        path.leading_colon = None;
        path.segments.clear();
        path.segments.push(last);
    }
}

/// `std::fmt::Debug` (or `core::`, `::std::`) as `Debug`, like its derive.
fn std_shortened(mut path: syn::Path) -> syn::Path {
    let from_std =
        path.segments.first().is_some_and(|first| ["std", "core", "alloc"].iter().any(|root| first.ident == root));
    let derivable = path.segments.last().map(|last| last.ident.to_string());
    if let Some(last) =
        derivable.filter(|last| from_std && path.segments.len() > 1 && DERIVABLE.contains(&last.as_str()))
    {
        renamed_last(&mut path, syn::Ident::new(&last, proc_macro2::Span::call_site()));
    }
    path
}

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn is_non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("non_exhaustive"))
}

/// `#[cfg(test)]` items are not part of the built crate.
fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| match &attr.meta {
        Meta::List(list) => list.path.is_ident("cfg") && list.tokens.to_string() == "test",
        _ => false,
    })
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(item) => &item.attrs,
        Item::Enum(item) => &item.attrs,
        Item::ExternCrate(item) => &item.attrs,
        Item::Fn(item) => &item.attrs,
        Item::ForeignMod(item) => &item.attrs,
        Item::Impl(item) => &item.attrs,
        Item::Macro(item) => &item.attrs,
        Item::Mod(item) => &item.attrs,
        Item::Static(item) => &item.attrs,
        Item::Struct(item) => &item.attrs,
        Item::Trait(item) => &item.attrs,
        Item::TraitAlias(item) => &item.attrs,
        Item::Type(item) => &item.attrs,
        Item::Union(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

/// `text` with the first `from` in it replaced by `to`, in place (an empty
/// `from` changes nothing). The
/// placeholders replaced are short and the printed items shorter than a
/// line or two, where finding the first byte and comparing beats setting up
/// a substring search (`str::replacen`) every time.
fn replace_first(text: &mut String, from: &str, to: &str) {
    let Some(&first) = from.as_bytes().first() else { return };
    let bytes = text.as_bytes();
    let found = (0..bytes.len()).find(|&start| bytes[start] == first && bytes[start..].starts_with(from.as_bytes()));
    if let Some(start) = found {
        text.replace_range(start..start + from.len(), to);
    }
}

#[cfg(test)]
mod replace_tests {
    use super::replace_first;

    #[test]
    fn only_the_first_placeholder_is_replaced_whatever_the_text_around_it() {
        let mut text = "impl «NAME» for ÄNAME NAME".to_owned();
        replace_first(&mut text, "NAME", "krate::Ä");
        assert_eq!(text, "impl «krate::Ä» for ÄNAME NAME");
        let mut text = "NANAME".to_owned();
        replace_first(&mut text, "NAME", "x");
        assert_eq!(text, "NAx");
        let mut text = "no placeholder".to_owned();
        replace_first(&mut text, "NAME", "x");
        assert_eq!(text, "no placeholder");
    }
}
