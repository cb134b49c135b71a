// Placed in generated filter modules that have a number field.

/// A number literal, with OData's names for the values that are not numbers.
fn number_literal(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "INF".to_owned() } else { "-INF".to_owned() }
    } else {
        value.to_string()
    }
}
