//! Stage 1: spec text to a document.
//!
//! The text is parsed (YAML, or JSON when it starts with `{`) into a plain JSON
//! tree while keeping track of where each value sits, so that duplicate keys and
//! non-JSON values are reported with a JSON pointer and a line and column.
//! The tree is then checked to be OpenAPI 3.0.x and read into `openapiv3`'s model.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{Diagnostic, Location};
use crate::pointer::Pointer;

/// Specs above this size are refused rather than parsed.
pub const MAX_SPEC_BYTES: usize = 64 * 1024 * 1024;

/// How many values (after YAML aliases are expanded) a spec may have. Real
/// specs have at most a few hundred thousand; this stops alias bombs early.
pub const MAX_VALUES: usize = 5_000_000;

/// A loaded spec: the plain tree (for references and extensions) and the model.
pub struct Document {
    pub tree: Value,
    pub api: openapiv3::OpenAPI,
}

/// Parses the text of a spec and checks that it is an OpenAPI 3.0.x document.
pub fn load(text: &str) -> Result<Document, Diagnostic> {
    let tree = parse_tree(text)?;
    check(&tree)?;
    let api = model(&tree)?;
    Ok(Document { tree, api })
}

/// Checks that a tree is an OpenAPI 3.0.x document whose schemas have the
/// right shapes (so that `openapiv3`'s parser cannot backtrack for ever).
pub fn check(tree: &Value) -> Result<(), Diagnostic> {
    check_version(tree)?;
    crate::shape::check(tree)
}

/// Reads a checked tree into `openapiv3`'s model. Only a tree that does not
/// read is read again with its path tracked, for the message's pointer, so
/// that a valid spec does not pay for tracking the path of every value.
pub fn model(tree: &Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    if let Ok(api) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(tree) {
        return Ok(api);
    }
    serde_path_to_error::deserialize(tree).map_err(|error| {
        let pointer = pointer_of(error.path());
        let message = error.inner().to_string();
        Diagnostic::at(&pointer, format!("not a valid OpenAPI 3.0 document: {message}"))
    })
}

/// Parses YAML or JSON text into a JSON tree, rejecting duplicate keys.
pub fn parse_tree(text: &str) -> Result<Value, Diagnostic> {
    if text.len() > MAX_SPEC_BYTES {
        return Err(Diagnostic::file(format!(
            "the spec is {} bytes; specs larger than {MAX_SPEC_BYTES} bytes are not supported",
            text.len()
        )));
    }
    let budget = Cell::new(MAX_VALUES);
    let seed = TreeSeed { at: At::Root, budget: &budget };
    if text.trim_start().starts_with('{') {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = seed
            .deserialize(&mut deserializer)
            .map_err(|error| syntax_error("JSON", &error.to_string(), error.line(), error.column()))?;
        deserializer.end().map_err(|error| syntax_error("JSON", &error.to_string(), error.line(), error.column()))?;
        Ok(value)
    } else {
        let deserializer = serde_yaml::Deserializer::from_str(text);
        seed.deserialize(deserializer).map_err(|error| match error.location() {
            Some(location) => syntax_error("YAML", &error.to_string(), location.line(), location.column()),
            None => Diagnostic::file(format!("invalid YAML: {error}")),
        })
    }
}

fn syntax_error(language: &str, message: &str, line: usize, column: usize) -> Diagnostic {
    // Both parsers append " at line L column C"; the location is shown separately.
    let message = match message.rfind(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    // serde_yaml puts its own dotted path first; ours (a JSON pointer) follows it.
    let message = match message.find(": #") {
        Some(index) => &message[index + 2..],
        None => message,
    };
    Diagnostic { location: Location::LineColumn { line, column }, message: format!("invalid {language}: {message}") }
}

fn check_version(tree: &Value) -> Result<(), Diagnostic> {
    let Value::Object(root) = tree else {
        return Err(Diagnostic::file(format!(
            "not an OpenAPI document: the top level is {}, expected a map with an `openapi` field",
            kind_of(tree)
        )));
    };
    if let Some(version) = root.get("swagger") {
        return Err(Diagnostic::at(
            &Pointer::root().join("swagger"),
            format!(
                "unsupported: this is a Swagger {} (OpenAPI 2.0) document; only OpenAPI 3.0.x is supported",
                scalar_text(version)
            ),
        ));
    }
    let at = Pointer::root().join("openapi");
    match root.get("openapi") {
        None => {
            let found = ["asyncapi", "jsonSchema", "$schema"]
                .into_iter()
                .find(|key| root.contains_key(*key))
                .map(|key| format!(" (it has `{key}`)"))
                .unwrap_or_default();
            Err(Diagnostic::file(format!(
                "not an OpenAPI document{found}: there is no top-level `openapi` field; only OpenAPI 3.0.x is supported"
            )))
        }
        Some(Value::String(version)) if is_openapi_30(version) => Ok(()),
        Some(Value::String(version)) => {
            Err(Diagnostic::at(&at, format!("unsupported: OpenAPI {version}; only OpenAPI 3.0.x is supported")))
        }
        Some(other) => Err(Diagnostic::at(
            &at,
            format!(
                "`openapi` must be a version string such as \"3.0.3\", found {} {}",
                kind_of(other),
                scalar_text(other)
            ),
        )),
    }
}

fn is_openapi_30(version: &str) -> bool {
    let mut parts = version.split('.');
    parts.next() == Some("3")
        && parts.next() == Some("0")
        && parts.next().is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
        && parts.next().is_none()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Turns serde_path_to_error's path into a JSON pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter().fold(Pointer::root(), |pointer, segment| match segment {
        Segment::Seq { index } => pointer.join(index),
        Segment::Map { key } => pointer.join(key),
        Segment::Enum { .. } | Segment::Unknown => pointer,
    })
}

/// Builds a JSON tree from any serde data format, knowing where it is.
struct TreeSeed<'a> {
    at: At<'a>,
    budget: &'a Cell<usize>,
}

/// Where a value of the tree being built is: made into a [`Pointer`] only
/// for a message, as most values never need one.
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn pointer(&self) -> Pointer {
        match self {
            At::Root => Pointer::root(),
            At::Key(parent, key) => parent.pointer().join(key),
            At::Index(parent, index) => parent.pointer().join(index),
        }
    }
}

impl<'de> DeserializeSeed<'de> for TreeSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl TreeSeed<'_> {
    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "the document has more than {MAX_VALUES} values (after expanding YAML aliases); refusing to go on"
            ))),
        }
    }
}

impl<'de> Visitor<'de> for TreeSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        self.spend()?;
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{}: {value} is not a number JSON can hold", self.at.pointer())))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(TreeSeed { at: At::Index(&self.at, items.len()), ..self })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed { at: &self.at })? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("{}: duplicate key `{key}`", self.at.pointer().join(&key))));
            }
            let value = map.next_value_seed(TreeSeed { at: At::Key(&self.at, &key), budget: self.budget })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, _) = data.variant::<String>()?;
        Err(de::Error::custom(format!("{}: YAML tags such as `!{tag}` are not supported in a spec", self.at.pointer())))
    }
}

/// Map keys: YAML allows numbers and booleans (`200:` in responses); JSON
/// trees need strings, so scalars are written out as they read.
struct KeySeed<'a> {
    at: &'a At<'a>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string, number or boolean as a map key at {}", self.at.pointer())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> Diagnostic {
        match load(text) {
            Ok(_) => panic!("expected an error"),
            Err(diagnostic) => diagnostic,
        }
    }

    #[test]
    fn reports_malformed_yaml_with_line_and_column() {
        let diagnostic = error_of("openapi: 3.0.3\ninfo:\n  title: [unclosed\n");
        assert!(matches!(diagnostic.location, Location::LineColumn { line: 4, .. }), "{diagnostic:?}");
        assert!(diagnostic.message.starts_with("invalid YAML"), "{diagnostic:?}");
    }

    #[test]
    fn reports_duplicate_keys_with_pointer_and_line() {
        let diagnostic = error_of("openapi: 3.0.3\ninfo:\n  title: a\n  title: b\n");
        assert!(diagnostic.message.contains("#/info/title: duplicate key `title`"), "{diagnostic:?}");
        assert!(matches!(diagnostic.location, Location::LineColumn { line: 3, .. }), "{diagnostic:?}");
        let diagnostic = error_of(r#"{"openapi": "3.0.3", "paths": {}, "paths": {}}"#);
        assert!(diagnostic.message.contains("#/paths: duplicate key `paths`"), "{diagnostic:?}");
    }

    #[test]
    fn rejects_other_versions_and_non_openapi_documents() {
        assert!(error_of("swagger: '2.0'\n").message.contains("Swagger 2.0"));
        assert!(error_of("openapi: 3.1.0\n").message.contains("unsupported: OpenAPI 3.1.0"));
        assert!(error_of("openapi: 3.0\n").message.contains("version string"));
        assert!(error_of("asyncapi: 2.0.0\n").message.contains("not an OpenAPI document (it has `asyncapi`)"));
        assert!(error_of("- a\n- b\n").message.contains("the top level is a list"));
    }

    #[test]
    fn stops_alias_bombs() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = level - 1;
            text.push_str(&format!(
                "a{level}: &a{level} [*a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}]\n"
            ));
        }
        let diagnostic = error_of(&text);
        assert!(diagnostic.message.contains("invalid YAML"), "{diagnostic:?}");
    }

    #[test]
    fn accepts_integer_status_keys() {
        let tree = parse_tree("responses:\n  200:\n    description: ok\n").unwrap();
        assert!(tree["responses"]["200"].is_object());
    }
}
