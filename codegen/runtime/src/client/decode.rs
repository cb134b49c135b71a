//! Decoding JSON response bodies.

use super::send::Reply;
use super::text::snippet;
use crate::error::{DecodeError, Error};

/// Decodes a JSON body, or says which status and body could not be decoded.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(reply: &Reply) -> Result<T, Error> {
    serde_json::from_slice(&reply.body).map_err(|source| {
        Error::Decode(DecodeError { status: reply.status, body_snippet: snippet(&reply.body), source })
    })
}
