//! `multipart/form-data` request bodies (RFC 7578): one part per property of
//! the body's object, each with the content type the spec's `encoding`
//! object gives it (or OpenAPI 3.0's default for its schema, decided by the
//! generator), separated by a boundary made fresh for every call.
//!
//! The body is built as bytes once per call and sent again on each attempt,
//! so a retried request carries the same parts and boundary.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use super::style::Tree;
use crate::error::Error;

/// How one property of a multipart body is sent: its name on the wire, its
/// part's `Content-Type`, and whether it is a file (`format: binary`, held
/// as a `FileContent`) or a list of files, whose parts name a file name (the
/// property's name) in their `Content-Disposition`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PartEncoding {
    name: &'static str,
    content_type: &'static str,
    file: bool,
    list: bool,
}

#[allow(dead_code, reason = "which parts a crate has depends on its spec")]
impl PartEncoding {
    /// A part of a value: text, a number or JSON.
    pub(crate) const fn new(name: &'static str, content_type: &'static str) -> Self {
        Self { name, content_type, file: false, list: false }
    }

    /// A part of a file's content.
    pub(crate) const fn file(name: &'static str, content_type: &'static str) -> Self {
        Self { name, content_type, file: true, list: false }
    }

    /// A part per file of a list of files.
    pub(crate) const fn files(name: &'static str, content_type: &'static str) -> Self {
        Self { name, content_type, file: true, list: true }
    }
}

/// Encodes an object as `multipart/form-data`: the body's content type (with
/// its boundary) and bytes. Properties `parts` does not list are sent as text
/// (a string, number or boolean) or JSON (an object); a list gives one part
/// per item; a `null` gives none.
pub(crate) fn multipart_body<T: serde::Serialize>(
    value: &T,
    parts: &[PartEncoding],
) -> Result<(Cow<'static, str>, Vec<u8>), Error> {
    multipart_body_with(value, parts, new_boundary)
}

/// [`multipart_body`] with the boundaries from `boundary`: a fresh one is
/// asked for while the last one appears in the content.
fn multipart_body_with<T: serde::Serialize>(
    value: &T,
    parts: &[PartEncoding],
    mut boundary: impl FnMut() -> String,
) -> Result<(Cow<'static, str>, Vec<u8>), Error> {
    let Tree::Object(fields) = Tree::of("body", value)? else {
        return Err(Error::InvalidRequest("a multipart body must be an object".to_owned()));
    };
    let mut encoded = Vec::new();
    for (name, value) in &fields {
        let encoding = parts.iter().find(|part| part.name == name);
        let file = encoding.is_some_and(|part| part.file);
        let items = match value {
            Tree::Null => continue,
            // A file's bytes are written as a list of numbers: one part.
            _ if file && encoding.is_some_and(|part| !part.list) => vec![value],
            Tree::List(items) => items.iter().collect(),
            single => vec![single],
        };
        for item in items.into_iter().filter(|item| **item != Tree::Null) {
            let content_type = encoding.map_or_else(|| default_content_type(item), |part| part.content_type);
            let content = if file { file_content(item) } else { content(item) };
            encoded.push(Part { name, content_type, file, content });
        }
    }
    // 128 random bits collide with content only by accident; the check makes it certain.
    for _ in 0..8 {
        let boundary = boundary();
        let delimiter = format!("--{boundary}");
        if encoded.iter().all(|part| !contains(&part.content, delimiter.as_bytes())) {
            return Ok((format!("multipart/form-data; boundary={boundary}").into(), write(&encoded, &boundary)));
        }
    }
    Err(Error::InvalidRequest(
        "no multipart boundary could be found that the body's content does not contain".to_owned(),
    ))
}

/// One part, ready to write.
struct Part<'a> {
    name: &'a str,
    content_type: &'a str,
    file: bool,
    content: Vec<u8>,
}

fn default_content_type(value: &Tree) -> &'static str {
    match value {
        Tree::Object(_) | Tree::List(_) => "application/json",
        _ => "text/plain",
    }
}

/// A value's bytes: text as it is, anything else as JSON.
fn content(value: &Tree) -> Vec<u8> {
    match value {
        Tree::Scalar(text, _) => text.clone().into_bytes(),
        nested => nested.json().into_bytes(),
    }
}

/// A file's bytes: a `FileContent` is written as a list of byte values; a
/// string (a spec's example, a `String` field) is its UTF-8 bytes.
fn file_content(value: &Tree) -> Vec<u8> {
    if let Tree::List(items) = value {
        let bytes: Option<Vec<u8>> = items
            .iter()
            .map(|item| match item {
                Tree::Scalar(number, false) => number.parse::<u8>().ok(),
                _ => None,
            })
            .collect();
        if let Some(bytes) = bytes {
            return bytes;
        }
    }
    content(value)
}

fn write(parts: &[Part<'_>], boundary: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let name = quoted(part.name);
        let disposition = if part.file {
            format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n")
        } else {
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n")
        };
        out.extend_from_slice(disposition.as_bytes());
        out.extend_from_slice(format!("Content-Type: {}\r\n\r\n", part.content_type).as_bytes());
        out.extend_from_slice(&part.content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// A name as a quoted-string of `Content-Disposition`: the escapes browsers
/// use (WHATWG HTML, multipart/form-data encoding), so no name can end the
/// quotes or the line.
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// A boundary no one can guess: 128 bits from the standard library's
/// randomly seeded hasher (seeded per process, varied per call by a counter).
fn new_boundary() -> String {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let state = RandomState::new();
    let mut halves = [0u64; 2];
    for (index, half) in halves.iter_mut().enumerate() {
        let mut hasher = state.build_hasher();
        hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
        hasher.write_usize(index);
        *half = hasher.finish();
    }
    format!("----client-boundary-{:016x}{:016x}", halves[0], halves[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Upload {
        title: String,
        count: u32,
        tags: Vec<String>,
        meta: Meta,
        file: String,
        note: Option<String>,
    }

    #[derive(serde::Serialize)]
    struct Meta {
        owner: String,
    }

    fn upload() -> Upload {
        Upload {
            title: "Q3 \"report\"".to_owned(),
            count: 2,
            tags: vec!["a".to_owned(), "b".to_owned()],
            meta: Meta { owner: "me".to_owned() },
            file: "line one\r\nline two".to_owned(),
            note: None,
        }
    }

    const PARTS: &[PartEncoding] =
        &[PartEncoding::file("file", "application/octet-stream"), PartEncoding::new("count", "text/plain")];

    #[test]
    fn parts_headers_and_crlfs_are_exact() {
        let (content_type, body) = multipart_body_with(&upload(), PARTS, || "XyZ".to_owned()).unwrap();
        assert_eq!(content_type, "multipart/form-data; boundary=XyZ");
        let expected = "--XyZ\r\n\
            Content-Disposition: form-data; name=\"title\"\r\nContent-Type: text/plain\r\n\r\nQ3 \"report\"\r\n\
            --XyZ\r\n\
            Content-Disposition: form-data; name=\"count\"\r\nContent-Type: text/plain\r\n\r\n2\r\n\
            --XyZ\r\n\
            Content-Disposition: form-data; name=\"tags\"\r\nContent-Type: text/plain\r\n\r\na\r\n\
            --XyZ\r\n\
            Content-Disposition: form-data; name=\"tags\"\r\nContent-Type: text/plain\r\n\r\nb\r\n\
            --XyZ\r\n\
            Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"owner\":\"me\"}\r\n\
            --XyZ\r\n\
            Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
            Content-Type: application/octet-stream\r\n\r\nline one\r\nline two\r\n\
            --XyZ--\r\n";
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn a_boundary_found_in_the_content_is_replaced() {
        let mut offered = vec!["second".to_owned(), "line".to_owned()];
        let value = serde_json::json!({ "text": "a\r\n--line\r\n" });
        let (content_type, body) = multipart_body_with(&value, &[], || offered.pop().unwrap()).unwrap();
        assert_eq!(content_type, "multipart/form-data; boundary=second");
        assert!(String::from_utf8(body).unwrap().starts_with("--second\r\n"));
    }

    #[test]
    fn a_boundary_always_in_the_content_is_an_error() {
        let value = serde_json::json!({ "text": "--same" });
        let error = multipart_body_with(&value, &[], || "same".to_owned()).unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(message) if message.contains("boundary")));
    }

    #[test]
    fn names_cannot_break_the_header() {
        let value = serde_json::json!({ "a\"b\r\nc": "x" });
        let (_, body) = multipart_body_with(&value, &[], || "B".to_owned()).unwrap();
        assert!(String::from_utf8(body).unwrap().contains("name=\"a%22b%0D%0Ac\"\r\n"));
    }

    #[test]
    fn boundaries_differ_per_call_and_are_valid() {
        let (first, second) = (new_boundary(), new_boundary());
        assert_ne!(first, second);
        // RFC 2046: at most 70 characters, here only letters, digits and `-`.
        assert!(first.len() <= 70);
        assert!(first.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-'));
    }

    #[test]
    fn a_body_that_is_not_an_object_is_an_error() {
        assert!(multipart_body(&vec![1, 2], &[]).is_err());
    }
}
