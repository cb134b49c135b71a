//! `application/x-www-form-urlencoded` request bodies.

use super::style::{Style, Tree, query_pairs};
use crate::error::Error;

/// Encodes an object as `application/x-www-form-urlencoded`: each property
/// written as a query parameter in the style the spec's `encoding` object
/// gives it in `styles`, or OpenAPI's default, `form` exploded (a list as one
/// pair per item, an object as one pair per field); a null gives nothing.
pub(crate) fn form_body<T: serde::Serialize>(value: &T, styles: &[(&str, Style)]) -> Result<Vec<u8>, Error> {
    let Tree::Object(fields) = Tree::of("body", value)? else {
        return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
    };
    let mut out = String::new();
    for (name, value) in &fields {
        if *value == Tree::Null {
            continue;
        }
        let style = styles.iter().find(|(styled, _)| styled == name).map_or(Style::form(true), |(_, style)| *style);
        for (name, value) in query_pairs(name, style, value) {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&name);
            out.push('=');
            out.push_str(&value);
        }
    }
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body as a generated crate's types write it: fields in declaration
    /// order, whatever features `serde_json` is built with.
    #[derive(serde::Serialize)]
    struct Body {
        name: Option<&'static str>,
        ids: Vec<u32>,
        color: Color,
        gone: Option<u32>,
    }

    #[derive(serde::Serialize)]
    #[allow(non_snake_case, reason = "the OpenAPI table's own property names")]
    struct Color {
        R: u32,
        G: u32,
    }

    fn form(value: &Body, styles: &[(&str, Style)]) -> String {
        String::from_utf8(form_body(value, styles).unwrap()).unwrap()
    }

    #[test]
    fn defaults_are_form_exploded() {
        let value = Body { name: Some("a b&c"), ids: vec![1, 2], color: Color { R: 1, G: 2 }, gone: None };
        assert_eq!(form(&value, &[]), "name=a%20b%26c&ids=1&ids=2&R=1&G=2");
    }

    #[test]
    fn encoding_styles_are_followed() {
        let value = Body { name: None, ids: vec![1, 2], color: Color { R: 1, G: 2 }, gone: None };
        let styles = [("ids", Style::form(false)), ("color", Style::deep_object())];
        assert_eq!(form(&value, &styles), "ids=1,2&color[R]=1&color[G]=2");
    }
}
