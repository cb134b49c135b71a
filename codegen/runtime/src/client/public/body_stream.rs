/// A successful response whose body is read as it arrives, chunk by chunk,
/// never held whole: what an operation's `send_streaming` returns.
///
/// The request was retried as the client's [`RetryPolicy`] says until its
/// headers arrived; once they have, nothing is retried: an error while
/// reading the body ends the stream with that error, and the caller decides
/// whether to send the request again. The client's per-attempt timeout
/// covers the whole body, so raise it for a body that takes longer to arrive.
#[derive(Debug)]
pub struct BodyStream {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    body: StreamBody,
}

#[derive(Debug)]
enum StreamBody {
    Live(reqwest::Response),
    /// A body already read (the send path reads it when it does not stream).
    Read(Option<Vec<u8>>),
}

impl BodyStream {
    /// Takes the unread body of `reply`, or the body it holds.
    #[allow(dead_code, reason = "only operations with byte or text responses stream")]
    pub(crate) fn new(reply: &self::send::Reply) -> Self {
        let body = match reply.live.take() {
            Some(response) => StreamBody::Live(response),
            None => StreamBody::Read((!reply.body.is_empty()).then(|| reply.body.clone())),
        };
        Self { status: reply.status, headers: reply.headers.clone(), body }
    }

    /// A header's value, when present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The next chunk of the body, as it arrives; `None` once it has all
    /// arrived.
    pub async fn chunk(&mut self) -> Result<Option<Vec<u8>>, Error> {
        match &mut self.body {
            StreamBody::Live(response) => {
                Ok(response.chunk().await.map_err(Error::Transport)?.map(|chunk| chunk.to_vec()))
            }
            StreamBody::Read(body) => Ok(body.take()),
        }
    }
}
