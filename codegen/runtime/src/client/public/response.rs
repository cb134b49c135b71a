/// A successful response: the decoded body, with the status and headers.
///
/// `typed_headers` holds the headers the operation's successful responses
/// document, read into a struct of typed fields (each `None` when absent or
/// not valid); `()` for operations that document none.
#[derive(Clone, Debug)]
pub struct Response<T, H = ()> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub body: T,
    /// The documented headers, typed.
    pub typed_headers: H,
}

impl<T, H> Response<T, H> {
    /// A header's value, when present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

/// The headers an operation's successful responses document, read into typed
/// fields from a response's headers.
pub(crate) trait ReadHeaders {
    /// Reads the fields; an absent or invalid header is `None`, never an error.
    fn read(headers: &reqwest::header::HeaderMap) -> Self;
}

/// Operations that document no success headers.
impl ReadHeaders for () {
    fn read(_: &reqwest::header::HeaderMap) -> Self {}
}
