//! JSON pointers (RFC 6901) into the spec, the way every diagnostic names a place.

use std::fmt;

/// A location inside the spec document, written `#/paths/~1pets/get` when shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer {
    segments: Vec<String>,
}

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self::default()
    }

    /// This pointer extended by one segment (a map key or an array index).
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let mut segments = self.segments.clone();
        segments.push(segment.to_string());
        Self { segments }
    }

    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// Parses a local reference such as `#/components/schemas/Pet`.
    /// Returns `None` for anything that is not a local JSON pointer.
    pub fn parse_local_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if rest.is_empty() {
            return Some(Self::root());
        }
        let rest = rest.strip_prefix('/')?;
        let segments =
            rest.split('/').map(|segment| percent_decode(segment).map(unescape)).collect::<Option<Vec<_>>>()?;
        Some(Self { segments })
    }

    /// The value this pointer designates in `document`, if any.
    pub fn lookup<'a>(&self, document: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        let mut current = document;
        for segment in &self.segments {
            current = match current {
                serde_json::Value::Object(map) => map.get(segment)?,
                serde_json::Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// The last segment, e.g. the schema name of `#/components/schemas/Pet`.
    pub fn last(&self) -> Option<&str> {
        self.segments.last().map(String::as_str)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("#")?;
        for segment in &self.segments {
            write!(f, "/{}", segment.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

/// References in URI fragments may percent-encode characters such as `{` or spaces.
/// A segment with `~1` and `~0` read as `/` and `~` (RFC 6901), in that order.
fn unescape(segment: String) -> String {
    if segment.contains('~') { segment.replace("~1", "/").replace("~0", "~") } else { segment }
}

fn percent_decode(segment: &str) -> Option<String> {
    if !segment.contains('%') {
        return Some(segment.to_owned());
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = segment.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes() {
        let pointer = Pointer::root().join("paths").join("/pets/{id}").join("a~b");
        assert_eq!(pointer.to_string(), "#/paths/~1pets~1{id}/a~0b");
        assert_eq!(Pointer::parse_local_ref(&pointer.to_string()), Some(pointer));
        // `~01` is an escaped `~` then `1`, not a `/`; a percent-encoded `~1` is a `/`.
        let parsed = Pointer::parse_local_ref("#/a~01/%7E1/plain");
        assert_eq!(parsed.as_ref().and_then(|pointer| pointer.segments.first()).map(String::as_str), Some("a~1"));
        assert_eq!(parsed.as_ref().and_then(|pointer| pointer.segments.get(1)).map(String::as_str), Some("/"));
        assert_eq!(parsed.and_then(|pointer| pointer.segments.get(2).cloned()).as_deref(), Some("plain"));
    }

    #[test]
    fn parses_percent_encoded_references() {
        let pointer = Pointer::parse_local_ref("#/components/schemas/My%20Type").unwrap();
        assert_eq!(pointer.last(), Some("My Type"));
        assert_eq!(Pointer::parse_local_ref("other.yaml#/a"), None);
        assert_eq!(Pointer::parse_local_ref("#/a/%zz"), None);
    }

    #[test]
    fn looks_up_objects_and_arrays() {
        let doc = serde_json::json!({"a": [{"b": 1}]});
        let pointer = Pointer::parse_local_ref("#/a/0/b").unwrap();
        assert_eq!(pointer.lookup(&doc), Some(&serde_json::json!(1)));
        assert_eq!(Pointer::parse_local_ref("#/a/1").unwrap().lookup(&doc), None);
    }
}
