//! Percent-encoding for paths, queries, cookies and form bodies.

/// Percent-encodes `text` onto `out`: everything but unreserved characters is
/// escaped, so a value can never change the structure of a URL or header.
pub(crate) fn push_encoded(out: &mut String, text: &str) {
    push_encoded_keeping(out, text, b"");
}

/// [`push_encoded`], leaving the bytes in `keep` as they are.
pub(super) fn push_encoded_keeping(out: &mut String, text: &str, keep: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}
