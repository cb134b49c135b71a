// Why a long-running operation's wait failed: placed in the generated
// `error.rs` of crates whose spec has long-running operations.

/// Why waiting for a long-running operation did not end in success.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
    /// A [`Poller`](crate::client::Poller) was awaited after it had given its last item.
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

impl std::fmt::Display for WaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Failed { operation, id, state, .. } => {
                write!(f, "`{operation}` {id} ended in the failure state `{state}`")
            }
            Self::TimedOut { operation, id, state, waited } => {
                let seconds = waited.as_secs();
                write!(f, "gave up waiting for `{operation}` {id} after {seconds} s; its last state was `{state}`")
            }
            Self::MissingResource { operation, pointer } => {
                write!(f, "a response for `{operation}` has nothing at `{pointer}`")
            }
            Self::Ended { operation } => {
                write!(f, "the wait for `{operation}` had already ended when it was awaited")
            }
        }
    }
}
