//! `application/x-www-form-urlencoded` request bodies.

use super::encoding::push_encoded;
use crate::error::Error;

/// Encodes a value as `application/x-www-form-urlencoded`: one `name=value`
/// pair per field, one pair per item of a list, nothing for a null.
pub(crate) fn form_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    let json = serde_json::to_value(value)
        .map_err(|error| Error::InvalidRequest(format!("cannot encode the form body: {error}")))?;
    let serde_json::Value::Object(fields) = json else {
        return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
    };
    let mut out = String::new();
    let mut push = |name: &str, value: &serde_json::Value| {
        if !out.is_empty() {
            out.push('&');
        }
        push_encoded(&mut out, name);
        out.push('=');
        match value {
            serde_json::Value::String(text) => push_encoded(&mut out, text),
            other => push_encoded(&mut out, &other.to_string()),
        }
    };
    for (name, value) in &fields {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => items.iter().for_each(|item| push(name, item)),
            other => push(name, other),
        }
    }
    Ok(out.into_bytes())
}
