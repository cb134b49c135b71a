//! Decoding JSON response bodies.

use super::text::snippet;
use crate::error::{DecodeError, Error};

/// Decodes a JSON body, or says which status and body could not be decoded.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body)
        .map_err(|source| Error::Decode(DecodeError { status, body_snippet: snippet(body), source }))
}
