/// The body of a documented error response: the type the spec documents, or
/// the start of the body as text when it is not that type.
///
/// An error status keeps its own `Error` variant whatever its body: a gateway's
/// HTML page, an empty body or JSON of another shape gives
/// [`ErrorBody::Other`], never a decode error. Only a success status whose body
/// cannot be decoded is a decode error, [`crate::error::Error::Decode`].
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorBody<T> {
    /// The body, decoded as the spec documents it.
    Documented(T),
    /// A body that is not the documented one, as one line of text: at most its
    /// first KiB, cut on a character boundary and ending in `…` when longer;
    /// empty when the body was.
    Other(String),
}

impl<T> ErrorBody<T> {
    /// The decoded body, when the server sent the documented one.
    pub fn documented(&self) -> Option<&T> {
        match self {
            Self::Documented(body) => Some(body),
            Self::Other(_) => None,
        }
    }

    /// The text of a body that is not the documented one.
    pub fn other(&self) -> Option<&str> {
        match self {
            Self::Documented(_) => None,
            Self::Other(text) => Some(text),
        }
    }

    /// Maps a documented body, keeping any other text as it is.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ErrorBody<U> {
        match self {
            Self::Documented(body) => ErrorBody::Documented(f(body)),
            Self::Other(text) => ErrorBody::Other(text),
        }
    }

    /// The parts of a one-line summary: `parts` of a documented body, or the
    /// text of another one.
    pub(crate) fn summary<S: Into<Vec<Option<String>>>>(&self, parts: impl FnOnce(&T) -> S) -> Vec<Option<String>> {
        match self {
            Self::Documented(body) => parts(body).into(),
            Self::Other(text) if text.is_empty() => Vec::new(),
            Self::Other(text) => vec![Some(text.clone())],
        }
    }
}

impl<T: serde::de::DeserializeOwned> ErrorBody<T> {
    /// The documented JSON body of `reply`, or its snippet when it is not that.
    pub(crate) fn read(reply: &send::Reply) -> Self {
        match serde_json::from_slice(&reply.body) {
            Ok(body) => Self::Documented(body),
            Err(_) => Self::Other(text::snippet(&reply.body)),
        }
    }
}
