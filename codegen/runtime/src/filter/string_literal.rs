// Placed in generated filter modules that have a string field.

/// A string literal: in single quotes, with each quote doubled.
fn string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
