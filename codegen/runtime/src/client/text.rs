//! Text from the server made safe to show: one line, bounded, no passwords.

/// Text from the server on one line: runs of white space (line breaks
/// included) become one space, so `Display` stays one line.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of a body, as one line of text, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    const LIMIT: usize = 512;
    let text = one_line(&String::from_utf8_lossy(body));
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// A URL for `Debug` output, without any password it carries.
pub(crate) fn redacted_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Cannot fail: a URL with a password has a host.
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}
