//! Schemas to types: every component schema becomes a named type, inline
//! schemas that need a type of their own are named after where they appear.

use std::collections::HashMap;

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Context;
use crate::error::Diagnostic;
use crate::ir::{
    Additional, Docs, Enum, EnumRepr, EnumVariant, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;

/// How deep inline schemas may nest before analysis gives up.
const MAX_DEPTH: usize = 64;

/// Properties gathered from an object schema, or from all members of an `allOf`.
#[derive(Default)]
struct ObjectParts {
    properties: Vec<(String, ReferenceOr<Box<Schema>>, Pointer)>,
    required: Vec<String>,
    additional: Option<(AdditionalProperties, Pointer)>,
    /// `allOf` members that are unions: flattened into the struct as they are.
    flattened: Vec<(ReferenceOr<Schema>, Pointer)>,
}

impl Context<'_> {
    /// Registers the names of all component schemas, so references can be
    /// resolved before the schemas themselves are analysed.
    pub(super) fn register_component_schemas(&mut self) {
        let Some(components) = &self.api.components else { return };
        for name in components.schemas.keys() {
            let pointer = Pointer::root().join("components").join("schemas").join(name);
            let type_name = self.type_names.claim(names::type_name(name));
            self.named.insert(pointer, type_name);
        }
        self.find_subtypes();
    }

    /// Polymorphism: an object schema with a `discriminator` is the base of
    /// the component schemas that extend it (an `allOf` member that is a
    /// `$ref` to it) and of those its `mapping` names.
    fn find_subtypes(&mut self) {
        let Some(components) = &self.api.components else { return };
        let schemas_at = Pointer::root().join("components").join("schemas");
        let bases: Vec<(Pointer, &Schema)> = components
            .schemas
            .iter()
            .filter_map(|(name, schema)| match schema {
                ReferenceOr::Item(schema) if schema.schema_data.discriminator.is_some() && is_object(schema) => {
                    Some((schemas_at.join(name), schema))
                }
                _ => None,
            })
            .collect();
        // Each component schema's parents: the targets of its `allOf` references.
        let parents: HashMap<Pointer, Vec<Pointer>> = components
            .schemas
            .iter()
            .filter_map(|(name, schema)| {
                let ReferenceOr::Item(schema) = schema else { return None };
                let at = schemas_at.join(name);
                let targets = all_of_members(schema)
                    .iter()
                    .enumerate()
                    .filter_map(|(index, member)| match member {
                        ReferenceOr::Reference { reference } => {
                            self.resolver.target(reference, &at.join("allOf").join(index)).ok()
                        }
                        ReferenceOr::Item(_) => None,
                    })
                    .collect();
                Some((at, targets))
            })
            .collect();
        for (base_at, base) in bases {
            let mut found: Vec<(Pointer, String)> = Vec::new();
            for (name, schema) in &components.schemas {
                let ReferenceOr::Item(_) = schema else { continue };
                let at = schemas_at.join(name);
                // A subtype of a subtype is one too (`Lion` of `Mammal` of
                // `Animal`): its own tag says which it is.
                let extends = descends_from(&at, &base_at, &parents);
                let mapped = base.schema_data.discriminator.as_ref().is_some_and(|discriminator| {
                    discriminator.mapping.values().any(|target| {
                        target == name
                            || self.resolver.target(target, &base_at.join("discriminator")).is_ok_and(|t| t == at)
                    })
                });
                if at != base_at && (extends || mapped) {
                    found.push((at, name.clone()));
                }
            }
            if !found.is_empty() {
                self.subtypes.insert(base_at, found);
            }
        }
    }

    /// The tag of a subtype no `mapping` entry names: Azure's
    /// `x-ms-discriminator-value` on it when it has one, else its component name.
    fn own_tag(&self, subtype_at: &Pointer, name: &str) -> String {
        let schema = subtype_at.lookup(self.resolver.tree());
        let value = schema.and_then(|schema| schema.get("x-ms-discriminator-value"));
        value.and_then(serde_json::Value::as_str).unwrap_or(name).to_owned()
    }

    /// The base of a hierarchy as a union of its subtypes, tagged by the
    /// discriminator's value: a `mapping` entry gives a subtype its tags,
    /// otherwise its own (`x-ms-discriminator-value`, or its component name).
    fn polymorphic_base(&mut self, base: &Schema, subtypes: &[(Pointer, String)], at: &Pointer) -> TypeKind {
        let discriminator = base.schema_data.discriminator.as_ref();
        let mut variant_names = Namespace::new();
        let variants: Vec<UnionVariant> = subtypes
            .iter()
            .map(|(subtype_at, name)| {
                let mapped: Vec<String> = discriminator
                    .map(|discriminator| {
                        discriminator
                            .mapping
                            .iter()
                            .filter(|(_, target)| {
                                *target == name
                                    || self
                                        .resolver
                                        .target(target, &at.join("discriminator"))
                                        .is_ok_and(|t| t == *subtype_at)
                            })
                            .map(|(tag, _)| tag.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                UnionVariant {
                    name: variant_names.claim(names::variant_name(name)),
                    ty: TypeRef::Named(self.named.get(subtype_at).cloned().unwrap_or_else(|| names::type_name(name))),
                    tags: if mapped.is_empty() { vec![self.own_tag(subtype_at, name)] } else { mapped },
                    boxed: false,
                }
            })
            .collect();
        let unknown = variant_names.claim("Unknown".to_owned());
        TypeKind::Union(Union { variants, discriminator: discriminator.map(|d| d.property_name.clone()), unknown })
    }

    /// Analyses every component schema into a named type.
    pub(super) fn analyse_component_schemas(&mut self) -> Result<(), Diagnostic> {
        let Some(components) = &self.api.components else { return Ok(()) };
        for (name, schema) in &components.schemas {
            let pointer = Pointer::root().join("components").join("schemas").join(name);
            let type_name = self.named[&pointer].clone();
            let (schema, at) = match schema {
                ReferenceOr::Item(schema) => (schema.clone(), pointer.clone()),
                ReferenceOr::Reference { reference } => {
                    let ty = self.reference_type(reference, &pointer)?;
                    self.push_type(TypeDef {
                        name: type_name,
                        origin: pointer,
                        docs: Docs::default(),
                        kind: TypeKind::Alias(ty),
                        examples: Vec::new(),
                    });
                    continue;
                }
            };
            self.define_named(&type_name, &schema, &at)?;
        }
        Ok(())
    }

    /// The type for a schema that may be a reference.
    pub(super) fn schema_type(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_type(reference, at),
            ReferenceOr::Item(schema) => self.inline_type(schema, at, hint),
        }
    }

    fn boxed_schema_type(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_type(reference, at),
            ReferenceOr::Item(schema) => self.inline_type(schema, at, hint),
        }
    }

    /// The type a `$ref` stands for.
    pub(super) fn reference_type(&mut self, reference: &str, at: &Pointer) -> Result<TypeRef, Diagnostic> {
        let target = self.resolver.target(reference, at)?;
        if let Some(name) = self.named.get(&target) {
            let ty = TypeRef::Named(name.clone());
            let nullable = target
                .lookup(self.resolver.tree())
                .and_then(|schema| schema.get("nullable"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            return Ok(if nullable { TypeRef::Option(Box::new(ty)) } else { ty });
        }
        if let Some(ty) = self.memo.get(&target) {
            return Ok(ty.clone());
        }
        let schema: Schema = self.resolver.read(&target, "schema")?;
        let hint = target.last().unwrap_or("Value").to_owned();
        self.inline_type(&schema, &target, &hint)
    }

    /// The type of an inline schema found at `at`; `hint` names any type it needs.
    pub(super) fn inline_type(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<TypeRef, Diagnostic> {
        if let Some(ty) = self.memo.get(at) {
            return Ok(ty.clone());
        }
        if self.depth >= MAX_DEPTH {
            return Err(Diagnostic::at(at, format!("schemas nest more than {MAX_DEPTH} levels deep here")));
        }
        self.depth += 1;
        let result = self.inline_type_inner(schema, at, hint);
        self.depth -= 1;
        let ty = result?;
        let ty = if schema.schema_data.nullable && !matches!(ty, TypeRef::Option(_)) {
            TypeRef::Option(Box::new(ty))
        } else {
            ty
        };
        self.memo.insert(at.clone(), ty.clone());
        Ok(ty)
    }

    fn inline_type_inner(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<TypeRef, Diagnostic> {
        if self.needs_definition(schema) {
            let name = self.type_names.claim(names::type_name(hint));
            // Known before the definition is built, so recursive schemas end.
            self.memo.insert(at.clone(), TypeRef::Named(name.clone()));
            self.define_named(&name, schema, at)?;
            return Ok(TypeRef::Named(name));
        }
        self.structural_type(schema, at, hint)
    }

    /// Whether a schema needs a named Rust type (a struct, enum or union)
    /// rather than a built-in one.
    fn needs_definition(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.enumeration.iter().any(Option::is_some),
            SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.iter().any(Option::is_some),
            SchemaKind::Type(Type::Object(object)) => {
                !object.properties.is_empty()
                    || matches!(object.additional_properties, Some(AdditionalProperties::Any(false)))
            }
            SchemaKind::Type(_) | SchemaKind::Not { .. } => false,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => true,
            SchemaKind::Any(any) => {
                !any.properties.is_empty()
                    || !any.all_of.is_empty()
                    || !any.one_of.is_empty()
                    || !any.any_of.is_empty()
                    || enum_repr(&any.enumeration).is_some()
            }
        }
    }

    /// Types that need no definition of their own: primitives, arrays, maps.
    fn structural_type(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<TypeRef, Diagnostic> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string_type(&string.format),
            SchemaKind::Type(Type::Integer(integer)) => integer_type(&integer.format),
            SchemaKind::Type(Type::Number(number)) => number_type(&number.format),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(array)) => self.array_type(array.items.as_ref(), at, hint)?,
            SchemaKind::Type(Type::Object(object)) => {
                self.map_type(object.additional_properties.as_ref(), &at.join("additionalProperties"), hint)?
            }
            SchemaKind::Not { .. } => TypeRef::Json,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => TypeRef::Json,
            SchemaKind::Any(any) => self.any_structural_type(any, at, hint)?,
        })
    }

    /// A schema that `openapiv3` could not classify (no `type`, or keywords of
    /// several kinds): read what it has.
    fn any_structural_type(&mut self, any: &AnySchema, at: &Pointer, hint: &str) -> Result<TypeRef, Diagnostic> {
        Ok(match any.typ.as_deref() {
            _ if any.items.is_some() => self.array_type(any.items.as_ref(), at, hint)?,
            Some("array") => TypeRef::Vec(Box::new(TypeRef::Json)),
            Some("object") => {
                self.map_type(any.additional_properties.as_ref(), &at.join("additionalProperties"), hint)?
            }
            None if any.additional_properties.is_some() => {
                self.map_type(any.additional_properties.as_ref(), &at.join("additionalProperties"), hint)?
            }
            Some(typ) => primitive_type(typ, any.format.as_deref()),
            None => TypeRef::Json,
        })
    }

    fn array_type(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let item = match items {
            Some(items) => self.boxed_schema_type(items, &at.join("items"), &format!("{hint} Item"))?,
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => self.schema_type(schema, at, &format!("{hint} Value"))?,
            _ => TypeRef::Json,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// Builds and records the named type `name` for `schema`.
    fn define_named(&mut self, name: &str, schema: &Schema, at: &Pointer) -> Result<(), Diagnostic> {
        let data = &schema.schema_data;
        let subtypes = self.subtypes.get(at).cloned();
        let kind = match &schema.schema_kind {
            _ if subtypes.is_some() => self.polymorphic_base(schema, subtypes.as_deref().unwrap_or_default(), at),
            SchemaKind::Type(Type::String(string)) if string.enumeration.iter().any(Option::is_some) => {
                let values = string.enumeration.iter().flatten().map(|v| Value::String(v.clone())).collect::<Vec<_>>();
                TypeKind::Enum(enum_of(EnumRepr::String, &values, data))
            }
            SchemaKind::Type(Type::Integer(integer)) if integer.enumeration.iter().any(Option::is_some) => {
                let values = integer.enumeration.iter().flatten().map(|v| Value::from(*v)).collect::<Vec<_>>();
                TypeKind::Enum(enum_of(EnumRepr::Integer, &values, data))
            }
            // An object with no properties is a map: nothing the server sends is dropped.
            SchemaKind::Type(Type::Object(object))
                if object.properties.is_empty()
                    && !matches!(object.additional_properties, Some(AdditionalProperties::Any(false))) =>
            {
                TypeKind::Alias(self.map_type(
                    object.additional_properties.as_ref(),
                    &at.join("additionalProperties"),
                    name,
                )?)
            }
            SchemaKind::Type(Type::Object(object)) => {
                let parts = ObjectParts {
                    flattened: Vec::new(),
                    properties: object
                        .properties
                        .iter()
                        .map(|(key, schema)| (key.clone(), schema.clone(), at.join("properties").join(key)))
                        .collect(),
                    required: object.required.clone(),
                    additional: object
                        .additional_properties
                        .clone()
                        .map(|additional| (additional, at.join("additionalProperties"))),
                };
                TypeKind::Struct(self.struct_of(name, parts)?)
            }
            SchemaKind::AllOf { all_of } => self.all_of(name, all_of, None, at)?,
            SchemaKind::OneOf { one_of } => self.union_of(name, one_of, data, &at.join("oneOf"))?,
            SchemaKind::AnyOf { any_of } => self.union_of(name, any_of, data, &at.join("anyOf"))?,
            SchemaKind::Any(any) if !any.all_of.is_empty() => self.all_of(name, &any.all_of, Some(any), at)?,
            SchemaKind::Any(any) if !any.one_of.is_empty() => {
                self.union_of(name, &any.one_of, data, &at.join("oneOf"))?
            }
            SchemaKind::Any(any) if !any.any_of.is_empty() => {
                self.union_of(name, &any.any_of, data, &at.join("anyOf"))?
            }
            SchemaKind::Any(any) if !any.properties.is_empty() || any.typ.as_deref() == Some("object") => {
                let parts = self.any_object_parts(any, at);
                TypeKind::Struct(self.struct_of(name, parts)?)
            }
            SchemaKind::Any(any) if enum_repr(&any.enumeration).is_some() => {
                let repr = enum_repr(&any.enumeration).unwrap_or(EnumRepr::String);
                TypeKind::Enum(enum_of(repr, &any.enumeration, data))
            }
            _ => {
                let ty = self.structural_type(schema, at, name)?;
                TypeKind::Alias(ty)
            }
        };
        self.push_type(TypeDef {
            name: name.to_owned(),
            origin: at.clone(),
            docs: docs_of(data),
            kind,
            examples: data.example.iter().cloned().collect(),
        });
        Ok(())
    }

    fn any_object_parts(&self, any: &AnySchema, at: &Pointer) -> ObjectParts {
        ObjectParts {
            flattened: Vec::new(),
            properties: any
                .properties
                .iter()
                .map(|(key, schema)| (key.clone(), schema.clone(), at.join("properties").join(key)))
                .collect(),
            required: any.required.clone(),
            additional: any
                .additional_properties
                .clone()
                .map(|additional| (additional, at.join("additionalProperties"))),
        }
    }

    fn struct_of(&mut self, name: &str, parts: ObjectParts) -> Result<Struct, Diagnostic> {
        let mut field_names = Namespace::new();
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire, schema, at) in &parts.properties {
            let hint = format!("{name} {wire}");
            let ty = self.boxed_schema_type(schema, at, &hint)?;
            let (docs, read_only) = match schema {
                ReferenceOr::Item(schema) => (docs_of(&schema.schema_data), schema.schema_data.read_only),
                ReferenceOr::Reference { .. } => (Docs::default(), false),
            };
            let (ty, nullable) = match ty {
                TypeRef::Option(inner) => (*inner, true),
                other => (other, false),
            };
            fields.push(Field {
                name: field_names.claim(names::snake_name(wire)),
                wire: wire.clone(),
                ty,
                required: parts.required.contains(wire),
                nullable,
                read_only,
                default: match schema {
                    ReferenceOr::Item(schema) => schema.schema_data.default.clone(),
                    ReferenceOr::Reference { .. } => None,
                },
                docs,
                boxed: false,
                flatten: false,
            });
        }
        let additional = match &parts.additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Schema(schema), at)) => {
                Some(self.schema_type(schema, at, &format!("{name} Value"))?)
            }
        };
        for (member, at) in &parts.flattened {
            let ty = self.schema_type(member, at, &format!("{name} Variant"))?;
            let field_name = match &ty {
                TypeRef::Named(type_name) => names::snake_name(type_name),
                _ => "variant".to_owned(),
            };
            fields.push(Field {
                name: field_names.claim(field_name),
                wire: String::new(),
                ty,
                required: true,
                nullable: false,
                read_only: false,
                docs: Docs {
                    description: Some("Fields of one of several variants, beside the others.".to_owned()),
                    ..Docs::default()
                },
                boxed: false,
                flatten: true,
                default: None,
            });
        }
        let additional =
            additional.map(|ty| Additional { field: field_names.claim("additional_properties".to_owned()), ty });
        Ok(Struct { fields, additional, summary: Vec::new() })
    }

    /// `allOf`: the members' properties merged into one struct, or, for a single
    /// member with nothing beside it, that member's type.
    fn all_of(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        siblings: Option<&AnySchema>,
        at: &Pointer,
    ) -> Result<TypeKind, Diagnostic> {
        let has_siblings = siblings.is_some_and(|any| !any.properties.is_empty());
        // All members primitive (`allOf: [{type: string}, {maxLength: 3}]`): that primitive.
        if !has_siblings {
            if let Some(ty) = self.primitive_all_of(members, &at.join("allOf"))? {
                return Ok(TypeKind::Alias(ty));
            }
        }
        let extends_a_base = |member: &ReferenceOr<Schema>| match member {
            ReferenceOr::Reference { reference } => self
                .resolver
                .target(reference, &at.join("allOf"))
                .is_ok_and(|target| self.subtypes.contains_key(&target)),
            ReferenceOr::Item(_) => false,
        };
        // A subtype of a polymorphic base is its own struct, even with nothing
        // beside the base: as an alias it would be the union that holds it.
        if let ([only], false) = (members, has_siblings || members.first().is_some_and(extends_a_base)) {
            let ty = self.schema_type(only, &at.join("allOf").join(0), name)?;
            if !matches!(ty, TypeRef::Named(ref n) if n == name) {
                return Ok(TypeKind::Alias(ty));
            }
        }
        let mut parts = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_all_of(members, &at.join("allOf"), &mut parts, &mut visiting)?;
        if let Some(any) = siblings {
            let own = self.any_object_parts(any, at);
            merge_parts(&mut parts, own);
        }
        Ok(TypeKind::Struct(self.struct_of(name, parts)?))
    }

    fn collect_all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
        parts: &mut ObjectParts,
        visiting: &mut Vec<Pointer>,
    ) -> Result<(), Diagnostic> {
        for (index, member) in members.iter().enumerate() {
            let member_at = at.join(index);
            let (schema, schema_at) = self.resolver.item(member, &member_at, "schema")?;
            if visiting.contains(&schema_at) || visiting.len() > MAX_DEPTH {
                return Err(Diagnostic::at(&member_at, format!("`allOf` cycle: {schema_at} includes itself")));
            }
            visiting.push(schema_at.clone());
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => merge_parts(
                    parts,
                    ObjectParts {
                        flattened: Vec::new(),
                        properties: object
                            .properties
                            .iter()
                            .map(|(key, s)| (key.clone(), s.clone(), schema_at.join("properties").join(key)))
                            .collect(),
                        required: object.required.clone(),
                        additional: object
                            .additional_properties
                            .clone()
                            .map(|a| (a, schema_at.join("additionalProperties"))),
                    },
                ),
                SchemaKind::AllOf { all_of } => {
                    self.collect_all_of(all_of, &schema_at.join("allOf"), parts, visiting)?
                }
                SchemaKind::Any(any) => {
                    if !any.all_of.is_empty() {
                        self.collect_all_of(&any.all_of, &schema_at.join("allOf"), parts, visiting)?;
                    }
                    let own = self.any_object_parts(any, &schema_at);
                    merge_parts(parts, own);
                }
                // Members that add no properties (descriptions, `nullable`, ...) change nothing.
                // A union member: its fields sit beside the others (`#[serde(flatten)]`).
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                    parts.flattened.push((member.clone(), member_at.clone()));
                }
                SchemaKind::Type(_) | SchemaKind::Not { .. } => {
                    if !matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_))) && self.needs_members(&schema) {
                        return Err(Diagnostic::at(
                            &member_at,
                            "unsupported: `allOf` can only combine object schemas; this member is not an object",
                        ));
                    }
                }
            }
            visiting.pop();
        }
        Ok(())
    }

    /// The type of an `allOf` whose members are all primitives of one type (or
    /// carry no type at all), if it is one.
    fn primitive_all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<Option<TypeRef>, Diagnostic> {
        let mut found: Option<TypeRef> = None;
        for (index, member) in members.iter().enumerate() {
            let (schema, schema_at) = self.resolver.item(member, &at.join(index), "schema")?;
            let ty = match &schema.schema_kind {
                SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => string_type(&s.format),
                SchemaKind::Type(Type::Integer(i)) if i.enumeration.is_empty() => integer_type(&i.format),
                SchemaKind::Type(Type::Number(n)) => number_type(&n.format),
                SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
                SchemaKind::Any(any)
                    if any.typ.is_none()
                        && any.properties.is_empty()
                        && any.items.is_none()
                        && any.all_of.is_empty()
                        && any.one_of.is_empty()
                        && any.any_of.is_empty()
                        && any.enumeration.is_empty() =>
                {
                    continue;
                }
                _ => return Ok(None),
            };
            let _ = schema_at;
            match &found {
                Some(previous) if *previous != ty => return Ok(None),
                _ => found = Some(ty),
            }
        }
        Ok(found)
    }

    /// Whether an `allOf` member carries structure that merging would lose.
    fn needs_members(&self, schema: &Schema) -> bool {
        !matches!(&schema.schema_kind, SchemaKind::Any(any) if any.typ.is_none())
    }

    /// `oneOf` / `anyOf`: an enum with a variant per member.
    fn union_of(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        data: &SchemaData,
        at: &Pointer,
    ) -> Result<TypeKind, Diagnostic> {
        if let Some(enumeration) = self.string_enum_members(members, at)? {
            return Ok(TypeKind::Enum(enumeration));
        }
        let mut variant_names = Namespace::new();
        let mut variants = Vec::with_capacity(members.len());
        let mut tagged = data.discriminator.is_some();
        for (index, member) in members.iter().enumerate() {
            let member_at = at.join(index);
            let (variant_hint, tag) = match member {
                ReferenceOr::Reference { reference } => {
                    let target = self.resolver.target(reference, &member_at)?;
                    let schema_name = target.last().unwrap_or("Value").to_owned();
                    (schema_name.clone(), Some((schema_name, reference.clone())))
                }
                ReferenceOr::Item(schema) => {
                    let hint = schema.schema_data.title.clone().unwrap_or_else(|| format!("Variant {}", index + 1));
                    (hint, None)
                }
            };
            let ty = self.schema_type(member, &member_at, &format!("{name} {variant_hint}"))?;
            let tags = match (&data.discriminator, tag) {
                (Some(discriminator), Some((schema_name, reference))) => {
                    let mapped: Vec<String> = discriminator
                        .mapping
                        .iter()
                        .filter(|(_, target)| **target == reference || target.as_str() == schema_name)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if mapped.is_empty() { vec![schema_name] } else { mapped }
                }
                _ => {
                    tagged = false;
                    Vec::new()
                }
            };
            variants.push(UnionVariant {
                name: variant_names.claim(names::variant_name(&variant_hint)),
                ty,
                tags,
                boxed: false,
            });
        }
        let discriminator = if tagged { data.discriminator.as_ref().map(|d| d.property_name.clone()) } else { None };
        let mut variant_names = Namespace::with_reserved(variants.iter().map(|v: &UnionVariant| v.name.as_str()));
        let unknown = variant_names.claim("Unknown".to_owned());
        Ok(TypeKind::Union(Union { variants, discriminator, unknown }))
    }

    /// A `oneOf` whose members are all string enums (often one value each, with
    /// a description) is one enum with documented values.
    fn string_enum_members(
        &mut self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<Option<Enum>, Diagnostic> {
        let mut values = Vec::new();
        let mut docs = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let (schema, _) = self.resolver.item(member, &at.join(index), "schema")?;
            let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else { return Ok(None) };
            if string.enumeration.is_empty() {
                return Ok(None);
            }
            for value in string.enumeration.iter().flatten() {
                values.push(Value::String(value.clone()));
                docs.push(docs_of(&schema.schema_data));
            }
        }
        if values.is_empty() {
            return Ok(None);
        }
        let mut enumeration = enum_of(EnumRepr::String, &values, &SchemaData::default());
        for (variant, doc) in enumeration.variants.iter_mut().zip(docs) {
            variant.docs = doc;
        }
        Ok(Some(enumeration))
    }
}

/// An object schema: `type: object`, or properties without a type.
fn is_object(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => true,
        SchemaKind::Any(any) => {
            any.one_of.is_empty()
                && any.any_of.is_empty()
                && (any.typ.as_deref() == Some("object") || !any.properties.is_empty() || !any.all_of.is_empty())
        }
        SchemaKind::AllOf { .. } => true,
        _ => false,
    }
}

/// The members of a schema's `allOf`, if it has one.
/// Whether the schema at `at` extends `base` through a chain of `allOf`
/// references; a chain that loops ends the walk.
fn descends_from(at: &Pointer, base: &Pointer, parents: &HashMap<Pointer, Vec<Pointer>>) -> bool {
    let mut seen: Vec<&Pointer> = Vec::new();
    let mut todo: Vec<&Pointer> = parents.get(at).map(|p| p.iter().collect()).unwrap_or_default();
    while let Some(parent) = todo.pop() {
        if parent == base {
            return true;
        }
        if !seen.contains(&parent) {
            seen.push(parent);
            todo.extend(parents.get(parent).into_iter().flatten());
        }
    }
    false
}

fn all_of_members(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => &[],
    }
}

fn merge_parts(into: &mut ObjectParts, from: ObjectParts) {
    for (key, schema, at) in from.properties {
        match into.properties.iter_mut().find(|(existing, _, _)| *existing == key) {
            Some(slot) => *slot = (key, schema, at),
            None => into.properties.push((key, schema, at)),
        }
    }
    for key in from.required {
        if !into.required.contains(&key) {
            into.required.push(key);
        }
    }
    if from.additional.is_some() {
        into.additional = from.additional;
    }
    into.flattened.extend(from.flattened);
}

fn enum_repr(values: &[Value]) -> Option<EnumRepr> {
    let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if values.is_empty() {
        None
    } else if values.iter().all(|v| v.is_string()) {
        Some(EnumRepr::String)
    } else if values.iter().all(|v| v.is_i64()) {
        Some(EnumRepr::Integer)
    } else {
        None
    }
}

/// An open enum of the given values; `x-enum-varnames` and
/// `x-enum-descriptions` name and document the values when present.
fn enum_of(repr: EnumRepr, values: &[Value], data: &SchemaData) -> Enum {
    let var_names = string_list(data.extensions.get("x-enum-varnames"));
    let descriptions = string_list(data.extensions.get("x-enum-descriptions"));
    let mut variant_names = Namespace::new();
    let mut seen = Vec::new();
    let mut variants = Vec::new();
    for (index, value) in values.iter().enumerate() {
        let wire = match value {
            Value::String(text) => text.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        if seen.contains(&wire) {
            continue;
        }
        seen.push(wire.clone());
        let raw_name = var_names.get(index).cloned().unwrap_or_else(|| wire.clone());
        let name = match (repr, raw_name.starts_with('-')) {
            (EnumRepr::Integer, true) => format!("Minus{}", raw_name.trim_start_matches('-')),
            _ => names::variant_name(&raw_name),
        };
        variants.push(EnumVariant {
            name: variant_names.claim(name),
            wire,
            docs: Docs { description: descriptions.get(index).cloned(), ..Docs::default() },
        });
    }
    let default = data.default.as_ref().and_then(|default| {
        let wire = match default {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        variants.iter().position(|variant| variant.wire == wire)
    });
    // The catch-all gets the first of these names no listed value took.
    let unknown = ["Unknown", "Other", "UnknownValue"]
        .into_iter()
        .find(|candidate| !variant_names.contains(candidate))
        .map(str::to_owned)
        .unwrap_or_else(|| variant_names.claim("Unknown".to_owned()));
    let folded: std::collections::BTreeSet<String> =
        variants.iter().map(|variant| variant.wire.to_ascii_lowercase()).collect();
    let ignore_case = repr == EnumRepr::String && folded.len() == variants.len();
    Enum { repr, variants, default, unknown, ignore_case }
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().map(|item| item.as_str().unwrap_or_default().to_owned()).collect())
        .unwrap_or_default()
}

pub(super) fn docs_of(data: &SchemaData) -> Docs {
    Docs { summary: data.title.clone(), description: data.description.clone(), deprecated: data.deprecated }
}

/// The text of a string format as written in the spec.
fn string_format_text(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    primitive_type("string", string_format_text(format))
}

fn integer_type(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
        VariantOrUnknownOrEmpty::Unknown(text) => primitive_type("integer", Some(text)),
        _ => TypeRef::I64,
    }
}

fn number_type(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
        _ => TypeRef::F64,
    }
}

/// The Rust type for a JSON Schema primitive `type` and `format`.
pub(super) fn primitive_type(typ: &str, format: Option<&str>) -> TypeRef {
    match (typ, format) {
        ("string", Some("date")) => TypeRef::Date,
        ("string", Some("date-time")) => TypeRef::DateTime,
        ("string", Some("uuid")) => TypeRef::Uuid,
        ("string", Some("uri")) => TypeRef::Uri,
        ("string", Some("byte")) => TypeRef::Base64,
        ("string", Some("binary")) => TypeRef::Binary,
        ("string", _) => TypeRef::String,
        ("integer", Some("int32")) => TypeRef::I32,
        ("integer", _) => TypeRef::I64,
        ("number", Some("float")) => TypeRef::F32,
        ("number", _) => TypeRef::F64,
        ("boolean", _) => TypeRef::Bool,
        _ => TypeRef::Json,
    }
}
