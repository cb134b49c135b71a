//! JSON request bodies.

use crate::error::Error;

/// Encodes a request body as JSON.
pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|error| Error::InvalidRequest(format!("cannot encode the request body: {error}")))
}
