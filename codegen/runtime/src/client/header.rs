//! Reading documented response headers.

/// A response header, parsed; `None` when absent or malformed.
pub(crate) fn header<T: std::str::FromStr>(headers: &reqwest::header::HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}
