//! How form bodies' properties go on the wire: the `encoding` object of an
//! `application/x-www-form-urlencoded` or `multipart/form-data` media type,
//! and OpenAPI 3.0's defaults where it says nothing. Read from the document
//! tree, where the body's schema and its properties are, `$ref`s followed.

use serde_json::Value;

use super::Context;
use crate::error::Diagnostic;
use crate::ir::{FieldStyle, FormEncoding, ParamStyle, PartEncoding};
use crate::pointer::Pointer;

impl Context<'_> {
    /// The encoding of the form media type at `media_at`.
    pub(super) fn form_encoding(&self, media_at: &Pointer, multipart: bool) -> Result<FormEncoding, Diagnostic> {
        let tree = self.resolver.tree();
        let encoding_at = media_at.join("encoding");
        let encoding = encoding_at.lookup(tree).and_then(Value::as_object);
        if !multipart {
            let mut styles = Vec::new();
            for (wire, entry) in encoding.into_iter().flatten() {
                let at = encoding_at.join(wire);
                let style = match entry.get("style").and_then(Value::as_str) {
                    None | Some("form") => ParamStyle::Form,
                    Some("spaceDelimited") => ParamStyle::SpaceDelimited,
                    Some("pipeDelimited") => ParamStyle::PipeDelimited,
                    Some("deepObject") => ParamStyle::DeepObject,
                    Some(other) => {
                        return Err(Diagnostic::at(
                            &at.join("style"),
                            format!(
                                "`{other}` is not a style of a form body's property (form, spaceDelimited, pipeDelimited, deepObject)"
                            ),
                        ));
                    }
                };
                let explode = entry.get("explode").and_then(Value::as_bool).unwrap_or(style == ParamStyle::Form);
                let allow_reserved = entry.get("allowReserved").and_then(Value::as_bool).unwrap_or(false);
                if style != ParamStyle::Form || !explode || allow_reserved {
                    styles.push(FieldStyle { wire: wire.clone(), style, explode, allow_reserved });
                }
            }
            return Ok(FormEncoding::UrlEncoded(styles));
        }
        let mut parts = Vec::new();
        let schema_at = self.followed(&media_at.join("schema"))?;
        let properties_at = schema_at.join("properties");
        let properties = properties_at.lookup(tree).and_then(Value::as_object);
        for wire in properties.into_iter().flatten().map(|(wire, _)| wire) {
            let property_at = self.followed(&properties_at.join(wire))?;
            let (default, file) = self.part_default(&property_at, 0)?;
            let list =
                property_at.lookup(tree).and_then(|schema| schema.get("type")).and_then(Value::as_str) == Some("array");
            let given = encoding.and_then(|encoding| encoding.get(wire)).and_then(|entry| entry.get("contentType"));
            let content_type = match given.and_then(Value::as_str) {
                // A list of types means "any of these": the first is sent.
                Some(given) => given.split(',').next().unwrap_or(given).trim().to_owned(),
                None => default.to_owned(),
            };
            if content_type.is_empty() || content_type.bytes().any(|byte| byte.is_ascii_control()) {
                return Err(Diagnostic::at(
                    &encoding_at.join(wire).join("contentType"),
                    "a part's `contentType` must be a media type",
                ));
            }
            parts.push(PartEncoding { wire: wire.clone(), content_type, file, list });
        }
        Ok(FormEncoding::Multipart(parts))
    }

    /// The default content type of a multipart property's schema at `at`, and
    /// whether it is a file.
    fn part_default(&self, at: &Pointer, depth: usize) -> Result<(&'static str, bool), Diagnostic> {
        let tree = self.resolver.tree();
        let schema = at.lookup(tree);
        let field = |name: &str| schema.and_then(|schema| schema.get(name)).and_then(Value::as_str);
        Ok(match (field("type"), field("format")) {
            (Some("string"), Some("binary")) => ("application/octet-stream", true),
            (Some("string" | "number" | "integer" | "boolean"), _) => ("text/plain", false),
            // Lists of lists (bounded: `items` can lead back to the list) go as JSON.
            (Some("array"), _) if depth == 0 && schema.is_some_and(|schema| schema.get("items").is_some()) => {
                self.part_default(&self.followed(&at.join("items"))?, depth + 1)?
            }
            _ => ("application/json", false),
        })
    }

    /// `at`, or where its `$ref` leads.
    fn followed(&self, at: &Pointer) -> Result<Pointer, Diagnostic> {
        match at.lookup(self.resolver.tree()).and_then(|value| value.get("$ref")).and_then(Value::as_str) {
            Some(reference) => self.resolver.target(reference, at),
            None => Ok(at.clone()),
        }
    }
}
