//! Server URLs: the document's server with its variables filled in, and an
//! operation's own server resolved against the client's base URL.

use crate::error::Error;

/// `template` (a server URL of the spec) with each `{name}` replaced by its
/// value. A value must not contain what would change the URL's structure
/// beyond its place (`?`, `#`, whitespace, control characters); the URL
/// itself is checked when the client is built.
#[allow(dead_code, reason = "only specs whose server has variables use it")]
pub(crate) fn server_url(template: &str, values: &[(&str, &str)]) -> Result<String, Error> {
    let mut url = template.to_owned();
    for (name, value) in values {
        if let Some(bad) = value.chars().find(|c| matches!(c, '?' | '#') || c.is_whitespace() || c.is_control()) {
            return Err(Error::InvalidRequest(format!(
                "server variable `{name}` cannot be `{}`: it holds {bad:?}, which a server URL cannot take there",
                value.escape_debug()
            )));
        }
        url = url.replace(&format!("{{{name}}}"), value);
    }
    Ok(url)
}

/// The base URL of an operation that names its own server: an absolute URL
/// as it is; a relative one resolved against the client's base URL taken as
/// a folder (RFC 3986: `/upload` is a path on the same host, `upload` and
/// `../upload` are beside or above the base path). No trailing `/`.
#[allow(dead_code, reason = "only specs with operation-level servers use it")]
pub(crate) fn operation_base(base_url: &str, server: &str) -> Result<String, Error> {
    if server.contains("://") {
        return Ok(server.trim_end_matches('/').to_owned());
    }
    let base = reqwest::Url::parse(&format!("{base_url}/"))
        .map_err(|error| Error::InvalidRequest(format!("base URL `{base_url}` is not a URL: {error}")))?;
    let joined = base.join(server).map_err(|error| {
        Error::InvalidRequest(format!("server `{server}` cannot be resolved against `{base_url}`: {error}"))
    })?;
    Ok(joined.as_str().trim_end_matches('/').to_owned())
}
