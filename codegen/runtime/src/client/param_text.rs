//! Parameters of structured types as text.

/// A value as the text of a path segment, query value or header: strings as
/// they are, anything else as JSON.
pub(crate) fn text_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        // Types generated from a spec always serialize; an empty value is the safe fallback.
        Err(_) => String::new(),
    }
}
