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

/// Why waiting for a long-running operation ended without success.
#[derive(Debug)]
pub enum WaitError {
    /// The polling timeout passed before the work reached a final state.
    TimedOut,
}
