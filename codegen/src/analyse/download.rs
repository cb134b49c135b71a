//! The `x-download-link` extension: a string property whose value is a link
//! that carries its own authorization (a storage URL with a signature in its
//! query), so the client downloads it without credentials. Read from the
//! document tree after the types are known: each mark must sit on a string
//! property of a struct the crate emits. See `spec/README.md`.

use serde_json::Value;

use crate::error::Diagnostic;
use crate::ir::{DownloadLink, TypeDef, TypeKind};
use crate::pointer::Pointer;

pub const EXTENSION: &str = "x-download-link";

/// Keys whose values are data, not schemas: a mark inside them is not one.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum"];

/// Finds every mark in `tree`, checks it, records it, and notes on the
/// field's documentation how to download it.
pub fn collect(tree: &Value, types: &mut [TypeDef]) -> Result<Vec<DownloadLink>, Vec<Diagnostic>> {
    let mut marks = Vec::new();
    find(tree, &mut Vec::new(), &mut marks);
    let mut links = Vec::new();
    let mut diagnostics = Vec::new();
    for (at, schema) in marks {
        match read(&at, schema, types) {
            Ok(link) => links.push(link),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if diagnostics.is_empty() { Ok(links) } else { Err(diagnostics) }
}

/// Every object holding the extension, with its location. Data values and
/// other extensions' values are not searched. The depth is bounded by the
/// loader's nesting limit; the guard here only keeps this walk independent of it.
/// `path` is the way down to `value`; a pointer is only made for a mark, since
/// making one for every node of a large spec costs more than the walk.
fn find<'t>(value: &'t Value, path: &mut Vec<Segment<'t>>, out: &mut Vec<(Pointer, &'t Value)>) {
    if path.len() > 256 {
        return;
    }
    match value {
        Value::Object(map) => {
            if map.contains_key(EXTENSION) {
                let at = path.iter().fold(Pointer::root(), |at, segment| match segment {
                    Segment::Key(key) => at.join(key),
                    Segment::Index(index) => at.join(index),
                });
                out.push((at, value));
            }
            for (key, child) in map {
                if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                path.push(Segment::Key(key));
                find(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(Segment::Index(index));
                find(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// One step of the way from the document root to a node.
enum Segment<'t> {
    Key(&'t str),
    Index(usize),
}

fn read(at: &Pointer, schema: &Value, types: &mut [TypeDef]) -> Result<DownloadLink, Diagnostic> {
    let mark_at = at.join(EXTENSION);
    let media_type = match schema.get(EXTENSION) {
        Some(Value::Bool(true)) => None,
        Some(Value::Object(options)) => {
            if let Some(key) = options.keys().find(|key| key.as_str() != "mediaType") {
                return Err(Diagnostic::at(&mark_at.join(key), format!("unknown key `{key}`; expected mediaType")));
            }
            match options.get("mediaType") {
                None => None,
                Some(Value::String(media_type)) if is_media_type(media_type) => Some(media_type.clone()),
                Some(_) => {
                    return Err(Diagnostic::at(
                        &mark_at.join("mediaType"),
                        "`mediaType` must be a media type such as `application/zip`",
                    ));
                }
            }
        }
        _ => {
            return Err(Diagnostic::at(
                &mark_at,
                format!("`{EXTENSION}` must be `true` or a map with an optional `mediaType`"),
            ));
        }
    };
    let segments = at.segments();
    let (Some(wire), Some("properties")) =
        (segments.last(), segments.len().checked_sub(2).and_then(|i| segments.get(i)).map(String::as_str))
    else {
        return Err(Diagnostic::at(&mark_at, format!("`{EXTENSION}` belongs on a property of an object schema")));
    };
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return Err(Diagnostic::at(&mark_at, format!("`{EXTENSION}` belongs on a `type: string` property")));
    }
    match schema.get("format") {
        None => {}
        Some(Value::String(format)) if format == "uri" => {}
        Some(_) => {
            return Err(Diagnostic::at(&at.join("format"), format!("a `{EXTENSION}` property has no format or `uri`")));
        }
    }
    // The object schema the property belongs to, or the one whose `allOf` it is part of.
    let mut owner: Vec<String> = segments[..segments.len() - 2].to_vec();
    while owner.len() >= 2 && owner[owner.len() - 2] == "allOf" && owner[owner.len() - 1].parse::<usize>().is_ok() {
        owner.truncate(owner.len() - 2);
    }
    let owner = owner.iter().fold(Pointer::root(), |pointer, segment| pointer.join(segment));
    let field = types.iter_mut().find(|def| def.origin == owner).and_then(|def| {
        let type_name = def.name.clone();
        let TypeKind::Struct(fields) = &mut def.kind else { return None };
        let field = fields.fields.iter_mut().find(|field| field.wire == *wire)?;
        Some((type_name, field))
    });
    let Some((type_name, field)) = field else {
        return Err(Diagnostic::at(
            &mark_at,
            format!(
                "`{EXTENSION}` is on a property the crate has no struct field for; mark a property of an object schema"
            ),
        ));
    };
    let mut note = "A link that carries its own authorization: download it with\n`Client::download`, \
                    which sends no credentials and never shows the link's\nquery values."
        .to_owned();
    if let Some(media_type) = &media_type {
        note.push_str(&format!(" The file is `{media_type}`."));
    }
    let description = match field.docs.description.take().map(|text| text.trim_end().to_owned()) {
        Some(text) if !text.is_empty() => format!("{text}\n\n{note}"),
        _ => note,
    };
    field.docs.description = Some(description);
    Ok(DownloadLink { type_name, field: field.name.clone(), wire: wire.clone(), origin: at.clone(), media_type })
}

/// `type/subtype`, each part a non-empty token.
fn is_media_type(text: &str) -> bool {
    let token =
        |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c));
    matches!(text.split_once('/'), Some((kind, sub)) if token(kind) && token(sub))
}
