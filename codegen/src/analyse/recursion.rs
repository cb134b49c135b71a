//! Types that contain themselves need a `Box` (or, for aliases, a newtype),
//! or Rust cannot give them a size.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Marks fields and union variants that close a cycle of direct containment
/// as boxed, and turns self-containing aliases into newtypes.
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let direct: BTreeMap<String, BTreeSet<String>> =
        types.iter().map(|def| (def.name.clone(), direct_edges(&def.kind))).collect();
    let aliases: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Alias(ty) => Some((def.name.clone(), all_names(ty))),
            _ => None,
        })
        .collect();
    for def in types.iter_mut() {
        let name = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct(fields) => {
                for field in &mut fields.fields {
                    field.boxed = direct_names(&field.ty).iter().any(|next| reaches(&direct, next, &name));
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = direct_names(&variant.ty).iter().any(|next| reaches(&direct, next, &name));
                }
            }
            TypeKind::Alias(ty) => {
                if aliases[&name].iter().any(|next| reaches(&aliases, next, &name)) {
                    def.kind = TypeKind::Newtype(ty.clone());
                }
            }
            TypeKind::Enum(_) | TypeKind::Newtype(_) => {}
        }
    }
}

/// Whether `to` can be reached from `from` along `edges`.
fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(current) = stack.pop() {
        if current == to {
            return true;
        }
        if seen.insert(current.clone()) {
            if let Some(next) = edges.get(&current) {
                stack.extend(next.iter().cloned());
            }
        }
    }
    false
}

fn direct_edges(kind: &TypeKind) -> BTreeSet<String> {
    match kind {
        TypeKind::Struct(fields) => fields.fields.iter().flat_map(|f| direct_names(&f.ty)).collect(),
        TypeKind::Union(union) => union.variants.iter().flat_map(|v| direct_names(&v.ty)).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_names(ty),
        TypeKind::Enum(_) => BTreeSet::new(),
    }
}

/// Named types held inline (not behind a `Vec` or map, which are already on the heap).
fn direct_names(ty: &TypeRef) -> BTreeSet<String> {
    match ty {
        TypeRef::Named(name) => BTreeSet::from([name.clone()]),
        TypeRef::Option(inner) => direct_names(inner),
        _ => BTreeSet::new(),
    }
}

/// Every named type mentioned anywhere in `ty`.
fn all_names(ty: &TypeRef) -> BTreeSet<String> {
    match ty {
        TypeRef::Named(name) => BTreeSet::from([name.clone()]),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => all_names(inner),
        _ => BTreeSet::new(),
    }
}
