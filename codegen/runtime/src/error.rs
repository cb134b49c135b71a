//! Stand-in for a generated `error` module: the variants every generated
//! `Error` has, and the ones the runtime's optional files use (`Token` with a
//! bearer scheme, `Wait` with a long-running operation, `Download` with a
//! download link).

/// Everything that can go wrong when calling the API.
#[derive(Debug)]
pub enum Error {
    /// The server answered with a status the spec does not document.
    UnexpectedStatus(UnexpectedStatus),
    /// The response body could not be decoded as the documented type.
    Decode(DecodeError),
    /// The request could not be sent, or the response not received.
    Transport(reqwest::Error),
    /// The request could not be built from the given values.
    InvalidRequest(String),
    /// The token provider could not give a bearer token.
    Token(Box<dyn std::error::Error + Send + Sync>),
    /// Waiting for a long-running operation ended without success.
    Wait(Box<WaitError>),
    /// Following a paged operation's next links failed.
    Paging(String),
    /// A download failed.
    Download(Box<crate::client::DownloadError>),
}

/// A status the spec does not document.
#[derive(Debug)]
pub struct UnexpectedStatus {
    /// The HTTP status of the response.
    pub status: u16,
    /// The start of the response body, for diagnosis.
    pub body_snippet: String,
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

/// Why waiting for a long-running operation ended without success (the
/// generated crate's type, with its variants).
#[derive(Debug)]
pub enum WaitError {
    /// The work reached a failure state.
    Failed {
        /// The `operationId` that started the work.
        operation: &'static str,
        /// The id of the tracked resource.
        id: String,
        /// The final state, as the server wrote it.
        state: String,
        /// The tracked resource as last received.
        resource: serde_json::Value,
    },
    /// The polling timeout passed before the work reached a final state.
    TimedOut {
        /// The `operationId` that started the work.
        operation: &'static str,
        /// The id of the tracked resource.
        id: String,
        /// The last state seen.
        state: String,
        /// How long the client waited.
        waited: std::time::Duration,
    },
    /// A response did not hold the tracked resource where the spec says it is.
    MissingResource {
        /// The `operationId` that started the work.
        operation: &'static str,
        /// Where the resource should have been (a JSON pointer into the body).
        pointer: &'static str,
    },
    /// A poller was awaited after it had given its last item.
    Ended {
        /// The `operationId` that started the work.
        operation: &'static str,
    },
}

impl WaitError {
    pub(crate) fn missing(operation: &'static str, pointer: &'static str) -> Error {
        Error::Wait(Box::new(WaitError::MissingResource { operation, pointer }))
    }
}
