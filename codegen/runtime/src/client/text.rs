//! Text from the server made safe to show: one line, bounded, no secrets.

/// Text from the server on one line: runs of white space (line breaks
/// included) become one space, so `Display` stays one line.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The most of a body a snippet keeps, in bytes: enough for the message of
/// an HTML error page, small enough to log.
pub(crate) const SNIPPET_BYTES: usize = 1024;

/// The start of a body, as one line of text, for error messages: at most
/// [`SNIPPET_BYTES`] of it, cut on a character boundary and ending in `…`
/// when the body was longer.
pub(crate) fn snippet(body: &[u8]) -> String {
    if body.len() <= SNIPPET_BYTES {
        return one_line(&String::from_utf8_lossy(body));
    }
    let mut end = SNIPPET_BYTES;
    // Step back over a UTF-8 sequence the cut would split (at most 3 bytes).
    for start in (SNIPPET_BYTES.saturating_sub(3)..SNIPPET_BYTES).rev() {
        let byte = body[start];
        if byte & 0b1100_0000 != 0b1000_0000 {
            let length = match byte {
                0xf0..=0xf7 => 4,
                0xe0..=0xef => 3,
                0xc0..=0xdf => 2,
                _ => 1,
            };
            if start + length > SNIPPET_BYTES {
                end = start;
            }
            break;
        }
    }
    format!("{}…", one_line(&String::from_utf8_lossy(&body[..end])))
}

/// What a redacted secret is shown as.
const REDACTED: &str = "redacted";

/// A URL as it may be logged or shown: its password, its fragment and the
/// value of every query parameter not named in `shown` are replaced by
/// `redacted`, so that a credential a URL carries (an API key sent as a query
/// parameter, the `sig` of a SAS download link) never reaches logs or error
/// messages. Formatting does the work, so a `tracing` field holding one costs
/// nothing unless a subscriber records it.
pub(crate) struct RedactedUrl<'a> {
    pub url: &'a str,
    /// The query parameters whose values are shown (names compared after
    /// percent-decoding, exactly).
    pub shown: &'a [&'a str],
}

impl std::fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (rest, fragment) = match self.url.split_once('#') {
            Some((rest, _)) => (rest, true),
            None => (self.url, false),
        };
        let (base, query) = match rest.split_once('?') {
            Some((base, query)) => (base, Some(query)),
            None => (rest, None),
        };
        write_without_password(f, base)?;
        if let Some(query) = query {
            f.write_str("?")?;
            for (index, pair) in query.split('&').enumerate() {
                if index > 0 {
                    f.write_str("&")?;
                }
                match pair.split_once('=') {
                    Some((name, _)) if !self.shown.iter().any(|shown| percent_decoded(name) == shown.as_bytes()) => {
                        write!(f, "{name}={REDACTED}")?;
                    }
                    _ => f.write_str(pair)?,
                }
            }
        }
        if fragment {
            write!(f, "#{REDACTED}")?;
        }
        Ok(())
    }
}

/// `scheme://user:password@host/path` written with the password redacted.
fn write_without_password(f: &mut std::fmt::Formatter<'_>, base: &str) -> std::fmt::Result {
    let Some((scheme, after)) = base.split_once("://") else { return f.write_str(base) };
    let authority_end = after.find('/').unwrap_or(after.len());
    let (authority, path) = after.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split_once(':').map_or(user_info, |(user, _)| user);
            let password = if user_info.contains(':') { format!(":{REDACTED}") } else { String::new() };
            write!(f, "{scheme}://{user}{password}@{host}{path}")
        }
        None => f.write_str(base),
    }
}

/// A query name with its `%XX` escapes decoded.
fn percent_decoded(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes.get(index + 1..index + 3).filter(|hex| hex.iter().all(u8::is_ascii_hexdigit));
        let decoded = hex.and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (bytes[index], decoded) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    out
}

/// A URL for `Debug` output or logs: no password, fragment or query values.
pub(crate) fn redacted_url(url: &str) -> String {
    RedactedUrl { url, shown: &[] }.to_string()
}
