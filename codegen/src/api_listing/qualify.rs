//! Writing the crate's own names in types as `crate::` paths.
//!
//! A signature may spell a type as imported (`Response<T>`), through a module
//! (`types::Payment`) or in full (`crate::client::Response<T>`). The listing
//! writes every one of the crate's own names in full, so that how the source
//! spells a type never changes a line: only what the type is does.
//! Names from outside the crate (std, dependencies, generic parameters) stay
//! as written.

use syn::{GenericArgument, PathArguments, ReturnType, Signature, Type, TypeParamBound};

/// Finds the full path (`crate::a::B`) of a path written in the module the
/// item is in, when it names one of the crate's own items.
pub(super) type Resolve<'a> = dyn Fn(&syn::Path) -> Option<String> + 'a;

pub(super) fn signature(sig: &mut Signature, resolve: &Resolve<'_>) {
    for input in sig.inputs.iter_mut() {
        if let syn::FnArg::Typed(argument) = input {
            ty(&mut argument.ty, resolve);
        }
    }
    if let ReturnType::Type(_, output) = &mut sig.output {
        ty(output, resolve);
    }
    generics(&mut sig.generics, resolve);
}

/// The bounds of generic parameters and of a `where` clause.
pub(super) fn generics(generics: &mut syn::Generics, resolve: &Resolve<'_>) {
    for param in generics.params.iter_mut() {
        if let syn::GenericParam::Type(param) = param {
            bounds(param.bounds.iter_mut(), resolve);
        }
    }
    if let Some(clause) = &mut generics.where_clause {
        for predicate in clause.predicates.iter_mut() {
            if let syn::WherePredicate::Type(predicate) = predicate {
                ty(&mut predicate.bounded_ty, resolve);
                bounds(predicate.bounds.iter_mut(), resolve);
            }
        }
    }
}

pub(super) fn fields(fields: &mut syn::Fields, resolve: &Resolve<'_>) {
    for field in fields.iter_mut() {
        ty(&mut field.ty, resolve);
    }
}

pub(super) fn ty(ty: &mut Type, resolve: &Resolve<'_>) {
    match ty {
        Type::Path(type_path) => match &mut type_path.qself {
            Some(qself) => {
                self::ty(&mut qself.ty, resolve);
                arguments(&mut type_path.path, resolve);
            }
            None => path(&mut type_path.path, resolve),
        },
        Type::Reference(reference) => self::ty(&mut reference.elem, resolve),
        Type::Slice(slice) => self::ty(&mut slice.elem, resolve),
        Type::Array(array) => self::ty(&mut array.elem, resolve),
        Type::Ptr(pointer) => self::ty(&mut pointer.elem, resolve),
        Type::Paren(paren) => self::ty(&mut paren.elem, resolve),
        Type::Group(group) => self::ty(&mut group.elem, resolve),
        Type::Tuple(tuple) => tuple.elems.iter_mut().for_each(|elem| self::ty(elem, resolve)),
        Type::ImplTrait(implemented) => bounds(implemented.bounds.iter_mut(), resolve),
        Type::TraitObject(object) => bounds(object.bounds.iter_mut(), resolve),
        Type::FnPtr(function) => {
            function.inputs.iter_mut().for_each(|input| self::ty(&mut input.ty, resolve));
            if let ReturnType::Type(_, output) = &mut function.output {
                self::ty(output, resolve);
            }
        }
        _ => {}
    }
}

/// A path to a type or trait: in full when it is the crate's own, and its
/// generic arguments likewise.
pub(super) fn path(path: &mut syn::Path, resolve: &Resolve<'_>) {
    if let Some(full) = resolve(path) {
        if let Some(mut written) = plain_path(&full) {
            if let (Some(last), Some(new_last)) = (path.segments.pop(), written.segments.last_mut()) {
                new_last.arguments = last.arguments;
                *path = written;
            }
        }
    }
    arguments(path, resolve);
}

/// `a::b::C` as a path, built from its segments (parsing the text costs
/// several times more); `None` unless every segment is an identifier.
fn plain_path(text: &str) -> Option<syn::Path> {
    let mut path = syn::Path { leading_colon: None, segments: syn::punctuated::Punctuated::new() };
    for segment in text.split("::") {
        let ident = match segment.strip_prefix("r#") {
            Some(raw) if is_identifier(raw) && !matches!(raw, "crate" | "self" | "super" | "Self") => {
                syn::Ident::new_raw(raw, proc_macro2::Span::call_site())
            }
            None if is_identifier(segment) && !is_keyword(segment) => {
                syn::Ident::new(segment, proc_macro2::Span::call_site())
            }
            None if matches!(segment, "crate" | "self" | "super" | "Self") => {
                syn::Ident::new(segment, proc_macro2::Span::call_site())
            }
            _ => return syn::parse_str(text).ok(),
        };
        path.segments.push(syn::PathSegment::from(ident));
    }
    Some(path)
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|first| first == '_' || first.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && text != "_"
}

/// Words that are not identifiers (parsing decides for them as before).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// The generic arguments along a path.
pub(super) fn arguments(path: &mut syn::Path, resolve: &Resolve<'_>) {
    for segment in path.segments.iter_mut() {
        let PathArguments::AngleBracketed(arguments) = &mut segment.arguments else { continue };
        for argument in arguments.args.iter_mut() {
            match argument {
                GenericArgument::Type(argument) => ty(argument, resolve),
                GenericArgument::AssocType(assoc) => ty(&mut assoc.ty, resolve),
                _ => {}
            }
        }
    }
}

fn bounds<'b>(bounds: impl Iterator<Item = &'b mut TypeParamBound>, resolve: &Resolve<'_>) {
    for bound in bounds {
        if let TypeParamBound::Trait(bound) = bound {
            path(&mut bound.path, resolve);
        }
    }
}
