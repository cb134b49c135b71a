// The generated `error` module's fixed payloads: a status the spec does not
// document, and a success body that does not decode. Every crate gets them;
// their items are placed in the generated `error.rs` itself.

/// A response whose status the spec does not document for the operation.
#[derive(Debug)]
pub struct UnexpectedStatus {
    /// The HTTP status of the response.
    pub status: u16,
    /// The start of the response body, for diagnosis.
    pub body_snippet: String,
}

impl std::fmt::Display for UnexpectedStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unexpected HTTP status {}", self.status)?;
        if !self.body_snippet.is_empty() {
            write!(f, ": {}", self.body_snippet)?;
        }
        Ok(())
    }
}

/// A response body that is not what the spec says it is.
#[derive(Debug)]
pub struct DecodeError {
    /// The HTTP status of the response.
    pub status: u16,
    /// The start of the response body, for diagnosis.
    pub body_snippet: String,
    /// Why decoding failed.
    pub source: serde_json::Error,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (status, source, snippet) = (self.status, &self.source, &self.body_snippet);
        write!(f, "cannot decode the HTTP {status} response body ({source}): {snippet}")
    }
}
