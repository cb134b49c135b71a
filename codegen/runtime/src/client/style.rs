//! Parameter values written by their OpenAPI `style` and `explode`: the
//! serialization tables of OpenAPI 3.0 (section "Style Values"), which follow
//! RFC 6570. Any value goes through its serde form (a [`Tree`]), so one
//! function covers strings, numbers, lists and objects of every generated type.
//!
//! Where the tables say "n/a" (a `deepObject` list, a delimited primitive),
//! the value is written `form`-style, exploded: the reading most servers
//! accept. The `label` rows follow RFC 6570 (`.blue,black,brown` unexploded),
//! as OpenAPI 3.0.4 corrected the 3.0.3 table to.

use serde::Serialize;

use super::encoding::{push_encoded, push_encoded_keeping};
use super::send::Request;
use crate::error::Error;

/// Reserved characters (RFC 3986) that `allowReserved` leaves as they are,
/// except `#`, `&` and `+`, which would end the query, start another
/// parameter, or read as a space.
const RESERVED: &[u8] = b":/?[]@!$'()*,;=";

/// How a parameter's value is written: the spec's `style`, `explode` and
/// `allowReserved`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Style {
    kind: Kind,
    explode: bool,
    allow_reserved: bool,
}

#[allow(dead_code, reason = "which styles a crate uses depends on its spec")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

#[allow(dead_code, reason = "which styles a crate uses depends on its spec")]
impl Style {
    const fn new(kind: Kind, explode: bool) -> Self {
        Self { kind, explode, allow_reserved: false }
    }

    /// `form`: `color=blue,black` (or `color=blue&color=black` exploded).
    pub(crate) const fn form(explode: bool) -> Self {
        Self::new(Kind::Form, explode)
    }

    /// `spaceDelimited`: `color=blue%20black`.
    pub(crate) const fn space_delimited(explode: bool) -> Self {
        Self::new(Kind::SpaceDelimited, explode)
    }

    /// `pipeDelimited`: `color=blue|black`.
    pub(crate) const fn pipe_delimited(explode: bool) -> Self {
        Self::new(Kind::PipeDelimited, explode)
    }

    /// `deepObject`: `color[R]=100&color[G]=200`.
    pub(crate) const fn deep_object() -> Self {
        Self::new(Kind::DeepObject, true)
    }

    /// `simple`: `blue,black` (paths and headers).
    pub(crate) const fn simple(explode: bool) -> Self {
        Self::new(Kind::Simple, explode)
    }

    /// `label`: `.blue,black` (paths).
    pub(crate) const fn label(explode: bool) -> Self {
        Self::new(Kind::Label, explode)
    }

    /// `matrix`: `;color=blue,black` (paths).
    pub(crate) const fn matrix(explode: bool) -> Self {
        Self::new(Kind::Matrix, explode)
    }

    /// `allowReserved`: reserved characters in query values are sent as they are.
    pub(crate) const fn allow_reserved(self) -> Self {
        Self { allow_reserved: true, ..self }
    }
}

/// A serialized value with its object keys in the order they were written
/// (a `serde_json::Value` sorts them, unless a crate feature says otherwise).
#[derive(Debug, PartialEq)]
pub(crate) enum Tree {
    Null,
    /// A string, number or boolean: its text, and whether it was a string.
    Scalar(String, bool),
    List(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl Tree {
    /// `value` as the tree serde writes for it.
    pub(crate) fn of<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Self, Error> {
        serde_json::to_string(value)
            .and_then(|json| serde_json::from_str(&json))
            .map_err(|error| Error::InvalidRequest(format!("parameter `{name}` cannot be written: {error}")))
    }

    /// The text of one item: strings and numbers as they are, lists and
    /// objects as JSON (the tables do not go deeper), `null` as nothing.
    fn text(&self) -> String {
        match self {
            Tree::Null => String::new(),
            Tree::Scalar(text, _) => text.clone(),
            nested => nested.json(),
        }
    }

    /// The value as JSON text.
    pub(crate) fn json(&self) -> String {
        match self {
            Tree::Null => "null".to_owned(),
            Tree::Scalar(text, true) => serde_json::Value::from(text.as_str()).to_string(),
            Tree::Scalar(text, false) => text.clone(),
            Tree::List(items) => format!("[{}]", items.iter().map(Tree::json).collect::<Vec<_>>().join(",")),
            Tree::Object(pairs) => {
                let members: Vec<String> = pairs
                    .iter()
                    .map(|(key, value)| format!("{}:{}", serde_json::Value::from(key.as_str()), value.json()))
                    .collect();
                format!("{{{}}}", members.join(","))
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Tree, E> {
        Ok(Tree::Scalar(value.to_string(), false))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Tree, E> {
        Ok(Tree::Scalar(value.to_string(), false))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Tree, E> {
        Ok(Tree::Scalar(value.to_string(), false))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Tree, E> {
        // As JSON writes it (`100.0`, not Rust's `100`).
        Ok(Tree::Scalar(serde_json::Value::from(value).to_string(), false))
    }

    fn visit_str<E>(self, value: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar(value.to_owned(), true))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry()? {
            pairs.push(pair);
        }
        Ok(Tree::Object(pairs))
    }
}

/// A value as the tables see it: undefined, a primitive, a list or an
/// object, each item already as text.
enum Shape {
    Undefined,
    Primitive(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

fn shape(value: &Tree) -> Shape {
    match value {
        Tree::Null => Shape::Undefined,
        Tree::List(items) => Shape::List(items.iter().map(Tree::text).collect()),
        // Absent optional fields serialize as `null`: left out, as RFC 6570
        // leaves out undefined values.
        Tree::Object(pairs) => Shape::Object(
            pairs
                .iter()
                .filter(|(_, value)| *value != Tree::Null)
                .map(|(key, value)| (key.clone(), value.text()))
                .collect(),
        ),
        scalar => Shape::Primitive(scalar.text()),
    }
}

/// How text is escaped where it goes.
#[derive(Clone, Copy)]
enum Escape {
    /// Percent-encoded but for unreserved characters.
    All,
    /// Percent-encoded but for unreserved and (most) reserved characters.
    KeepReserved,
    /// As it is (header values).
    None,
}

fn escaped(text: &str, escape: Escape) -> String {
    let mut out = String::with_capacity(text.len());
    match escape {
        Escape::All => push_encoded(&mut out, text),
        Escape::KeepReserved => push_encoded_keeping(&mut out, text, RESERVED),
        Escape::None => out.push_str(text),
    }
    out
}

/// Items joined by `separator`, each escaped; the separators are not.
fn joined<'a>(items: impl IntoIterator<Item = &'a str>, separator: &str, escape: Escape) -> String {
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push_str(separator);
        }
        out.push_str(&escaped(item, escape));
    }
    out
}

/// An object's keys and values in one flat list (`R,100,G,200`).
fn flat(pairs: &[(String, String)]) -> impl Iterator<Item = &str> {
    pairs.iter().flat_map(|(key, value)| [key.as_str(), value.as_str()])
}

/// `key=value` items of an object, each side escaped.
fn assignments(pairs: &[(String, String)], separator: &str, escape: Escape) -> String {
    let items: Vec<String> =
        pairs.iter().map(|(key, value)| format!("{}={}", escaped(key, escape), escaped(value, escape))).collect();
    items.join(separator)
}

/// The `name=value` pairs of a query (or cookie) parameter, both sides
/// percent-encoded, in order.
pub(crate) fn query_pairs(name: &str, style: Style, value: &Tree) -> Vec<(String, String)> {
    let escape = if style.allow_reserved { Escape::KeepReserved } else { Escape::All };
    // `$` stays readable in names such as OData's `$filter`.
    let mut encoded_name = String::new();
    push_encoded_keeping(&mut encoded_name, name, b"$");
    let separator = match style.kind {
        Kind::SpaceDelimited if !style.explode => "%20",
        Kind::PipeDelimited if !style.explode => "|",
        _ => ",",
    };
    let one = |value: String| vec![(encoded_name.clone(), value)];
    match (style.kind, shape(value)) {
        (_, Shape::Undefined) => one(String::new()),
        (Kind::DeepObject, Shape::Object(_)) => {
            let mut pairs = Vec::new();
            deep_pairs(&encoded_name, value, escape, &mut pairs);
            pairs
        }
        (_, Shape::Primitive(text)) => one(escaped(&text, escape)),
        // Exploded (and deepObject lists, which the tables leave undefined): the name repeated.
        (_, Shape::List(items)) if style.explode || style.kind == Kind::DeepObject => {
            items.iter().map(|item| (encoded_name.clone(), escaped(item, escape))).collect()
        }
        (_, Shape::List(items)) => one(joined(items.iter().map(String::as_str), separator, escape)),
        (_, Shape::Object(pairs)) if style.explode => pairs
            .iter()
            .map(|(key, value)| {
                let mut encoded_key = String::new();
                push_encoded_keeping(&mut encoded_key, key, b"$");
                (encoded_key, escaped(value, escape))
            })
            .collect(),
        (_, Shape::Object(pairs)) => one(joined(flat(&pairs), separator, escape)),
    }
}

/// `deepObject` pairs, `name[key]=value`; nested objects nest the brackets
/// and lists are indexed (`name[key][0]`), as bracket-reading servers expect.
fn deep_pairs(prefix: &str, value: &Tree, escape: Escape, out: &mut Vec<(String, String)>) {
    let mut child = |key: &str, value: &Tree| {
        let mut name = format!("{prefix}[");
        push_encoded(&mut name, key);
        name.push(']');
        deep_pairs(&name, value, escape, out);
    };
    match value {
        Tree::Object(pairs) => {
            for (key, value) in pairs.iter().filter(|(_, value)| *value != Tree::Null) {
                child(key, value);
            }
        }
        Tree::List(items) => {
            for (index, item) in items.iter().enumerate() {
                child(&index.to_string(), item);
            }
        }
        other => out.push((prefix.to_owned(), escaped(&other.text(), escape))),
    }
}

/// A path parameter's text, percent-encoded: `simple`, `label` or `matrix`.
pub(crate) fn path_text(name: &str, style: Style, value: &Tree) -> String {
    let escape = Escape::All;
    let shape = shape(value);
    match style.kind {
        Kind::Label => {
            let separator = if style.explode { "." } else { "," };
            let body = match &shape {
                Shape::Undefined => String::new(),
                Shape::Primitive(text) => escaped(text, escape),
                Shape::List(items) => joined(items.iter().map(String::as_str), separator, escape),
                Shape::Object(pairs) if style.explode => assignments(pairs, ".", escape),
                Shape::Object(pairs) => joined(flat(pairs), ",", escape),
            };
            format!(".{body}")
        }
        Kind::Matrix => {
            let name = escaped(name, escape);
            match &shape {
                Shape::Undefined => format!(";{name}"),
                Shape::Primitive(text) => format!(";{name}={}", escaped(text, escape)),
                Shape::List(items) if style.explode => {
                    items.iter().map(|item| format!(";{name}={}", escaped(item, escape))).collect()
                }
                Shape::List(items) => format!(";{name}={}", joined(items.iter().map(String::as_str), ",", escape)),
                Shape::Object(pairs) if style.explode => format!(";{}", assignments(pairs, ";", escape)),
                Shape::Object(pairs) => format!(";{name}={}", joined(flat(pairs), ",", escape)),
            }
        }
        _ => simple_text(&shape, style.explode, escape),
    }
}

/// `simple` style: `blue,black` and `R,100,G,200` (`R=100,G=200` exploded).
fn simple_text(shape: &Shape, explode: bool, escape: Escape) -> String {
    match shape {
        Shape::Undefined => String::new(),
        Shape::Primitive(text) => escaped(text, escape),
        Shape::List(items) => joined(items.iter().map(String::as_str), ",", escape),
        Shape::Object(pairs) if explode => assignments(pairs, ",", escape),
        Shape::Object(pairs) => joined(flat(pairs), ",", escape),
    }
}

/// A header parameter's value: `simple` style, not percent-encoded (the
/// send path rejects a value that is not valid in a header).
pub(crate) fn header_text(style: Style, value: &Tree) -> String {
    simple_text(&shape(value), style.explode, Escape::None)
}

#[allow(dead_code, reason = "which parameters a crate has depends on its spec")]
impl Request {
    /// Adds a query parameter written in `style`.
    pub(crate) fn query_as<T: Serialize + ?Sized>(&mut self, name: &str, style: Style, value: &T) -> Result<(), Error> {
        let value = Tree::of(name, value)?;
        self.query.extend(query_pairs(name, style, &value));
        Ok(())
    }

    /// Adds a header parameter written in `style` (`simple`).
    pub(crate) fn header_as<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: Style,
        value: &T,
    ) -> Result<(), Error> {
        let value = Tree::of(name, value)?;
        self.headers.push((name, header_text(style, &value)));
        Ok(())
    }

    /// Adds a cookie parameter written in `style` (`form`): each pair is one
    /// `name=value` of the `Cookie` header.
    pub(crate) fn cookie_as<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        style: Style,
        value: &T,
    ) -> Result<(), Error> {
        let value = Tree::of(name, value)?;
        self.cookies.extend(query_pairs(name, style, &value));
        Ok(())
    }
}

/// Appends a path parameter written in `style` to `path`.
#[allow(dead_code, reason = "which parameters a crate has depends on its spec")]
pub(crate) fn push_path<T: Serialize + ?Sized>(
    path: &mut String,
    name: &str,
    style: Style,
    value: &T,
) -> Result<(), Error> {
    let value = Tree::of(name, value)?;
    path.push_str(&path_text(name, style, &value));
    Ok(())
}
