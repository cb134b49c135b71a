//! JSON request bodies.

use std::borrow::Cow;

use crate::error::Error;

/// A request body encoded as JSON, with its content type (`application/json`
/// or the spec's own JSON media type).
pub(crate) fn json_body<T: serde::Serialize>(
    content_type: &'static str,
    value: &T,
) -> Result<(Cow<'static, str>, Vec<u8>), Error> {
    match serde_json::to_vec(value) {
        Ok(bytes) => Ok((Cow::Borrowed(content_type), bytes)),
        Err(error) => Err(Error::InvalidRequest(format!("cannot encode the request body: {error}"))),
    }
}
