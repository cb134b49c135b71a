//! Stand-in for a generated `error` module: the variants every generated
//! `Error` has, and the ones the runtime's optional files use (`Token` with a
//! bearer scheme, `Wait` with a long-running operation, `Download` with a
//! download link). The fixed payloads of a generated `error.rs` are real
//! files, `error/*.rs`, included here as the generator places them there.

use crate::client::Reply;

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

include!("error/failures.rs");
include!("error/wait_error.rs");
include!("error/payload.rs");

#[cfg(test)]
mod tests {
    use super::*;

    /// A documented 404 whose payload keeps just the status.
    #[derive(Debug)]
    struct NotFound {
        status: u16,
    }

    impl Payload for NotFound {
        fn read(reply: &Reply) -> Self {
            Self { status: reply.status }
        }
    }

    #[test]
    fn payloads_are_read_into_the_variant_given() {
        let reply = Reply { status: 404, headers: Default::default(), body: Vec::new(), live: Default::default() };
        let made = read(&reply, |payload: Box<NotFound>| Error::InvalidRequest(format!("status {}", payload.status)));
        assert!(matches!(made, Error::InvalidRequest(ref text) if text == "status 404"), "{made:?}");
    }

    #[test]
    fn fixed_payloads_display_one_line() {
        let unexpected = UnexpectedStatus { status: 418, body_snippet: String::new() };
        assert_eq!(unexpected.to_string(), "unexpected HTTP status 418");
        let unexpected = UnexpectedStatus { status: 502, body_snippet: "<html>bad gateway".to_owned() };
        assert_eq!(unexpected.to_string(), "unexpected HTTP status 502: <html>bad gateway");
        let source = serde_json::from_str::<u8>("[]").unwrap_err();
        let decode = DecodeError { status: 200, body_snippet: "[]".to_owned(), source };
        assert_eq!(
            decode.to_string(),
            "cannot decode the HTTP 200 response body (invalid type: sequence, expected u8 at line 1 column 0): []"
        );
    }

    #[test]
    fn wait_errors_name_the_operation_and_state() {
        let failed = WaitError::Failed {
            operation: "createExport",
            id: "r1".to_owned(),
            state: "Failed".to_owned(),
            resource: serde_json::Value::Null,
        };
        assert_eq!(failed.to_string(), "`createExport` r1 ended in the failure state `Failed`");
        let timed_out = WaitError::TimedOut {
            operation: "createExport",
            id: "r1".to_owned(),
            state: "Queued".to_owned(),
            waited: std::time::Duration::from_secs(90),
        };
        assert_eq!(
            timed_out.to_string(),
            "gave up waiting for `createExport` r1 after 90 s; its last state was `Queued`"
        );
        let Error::Wait(missing) = WaitError::missing("createExport", "/id") else { panic!("not a wait error") };
        assert_eq!(missing.to_string(), "a response for `createExport` has nothing at `/id`");
        assert_eq!(
            WaitError::Ended { operation: "x" }.to_string(),
            "the wait for `x` had already ended when it was awaited"
        );
    }
}
