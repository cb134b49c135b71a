//! Responses whose status the operation does not document.

use super::send::Reply;
use super::text::snippet;
use crate::error::{Error, UnexpectedStatus};

/// The error for a response whose status the operation does not document.
pub(crate) fn unexpected(reply: &Reply) -> Error {
    Error::UnexpectedStatus(UnexpectedStatus { status: reply.status, body_snippet: snippet(&reply.body) })
}
