/// A download of a file from a link that carries its own authorization (a
/// property the spec marks with `x-download-link`, such as a storage URL with a
/// shared access signature in its query). Made by [`Client::download`]; nothing
/// is sent until [`to_file`](Self::to_file) or [`to_writer`](Self::to_writer)
/// is awaited.
///
/// - **No credentials.** The request carries no `Authorization` header, cookie
///   or API key of the client: the link is its own authorization, and the
///   client's token must not reach another host.
/// - **Streamed.** The body is written chunk by chunk as it arrives, so memory
///   stays flat whatever the size of the file.
/// - **Resumed.** A dropped connection, a timeout, a `429` or a `5xx` is
///   retried under the [`RetryPolicy`] (the client's unless
///   [`retry_policy`](Self::retry_policy) says otherwise), asking for the
///   rest with `Range: bytes=N-`. A server that ignores `Range` and sends the
///   whole file again is handled: a file starts over, a writer skips what it
///   already has (when the file has not changed on the server).
/// - **Checked.** The size received must be the size `Content-Length`
///   announced.
///
/// Query values of the link (the signature among them) never appear in errors
/// or `Debug` output.
#[must_use = "a download does nothing until `to_file` or `to_writer` is awaited"]
pub struct Download {
    link: Option<String>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    progress: Option<Box<dyn FnMut(Progress) + Send>>,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("link", &self.link.as_deref().map(transfer::redacted_link))
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// How far a download has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Bytes written so far. It only grows, except when a server that ignores
    /// `Range` makes a file download start over, when it starts again from 0.
    pub received: u64,
    /// The file's size, from `Content-Length` (or `Content-Range`), when the
    /// server gives it.
    pub total: Option<u64>,
}

/// What [`Client::download`] takes: a link as text or a URL, or an optional
/// link such as a resource's field, which is empty (or absent) until the work
/// that fills it completes.
pub trait DownloadLink {
    /// The link, or `None` when there is none.
    fn into_link(self) -> Option<String>;
}

impl DownloadLink for &str {
    fn into_link(self) -> Option<String> {
        Some(self.to_owned()).filter(|link| !link.is_empty())
    }
}

impl DownloadLink for String {
    fn into_link(self) -> Option<String> {
        Some(self).filter(|link| !link.is_empty())
    }
}

impl DownloadLink for &String {
    fn into_link(self) -> Option<String> {
        self.as_str().into_link()
    }
}

impl DownloadLink for Option<String> {
    fn into_link(self) -> Option<String> {
        self.and_then(DownloadLink::into_link)
    }
}

impl DownloadLink for &Option<String> {
    fn into_link(self) -> Option<String> {
        self.as_deref().and_then(DownloadLink::into_link)
    }
}

impl DownloadLink for Option<&str> {
    fn into_link(self) -> Option<String> {
        self.and_then(DownloadLink::into_link)
    }
}

impl DownloadLink for &reqwest::Url {
    fn into_link(self) -> Option<String> {
        Some(self.to_string())
    }
}

impl DownloadLink for reqwest::Url {
    fn into_link(self) -> Option<String> {
        Some(self.into())
    }
}

impl Download {
    pub(crate) fn new(link: Option<String>, retry: RetryPolicy) -> Self {
        Self { link, retry, http: None, progress: None }
    }

    /// Calls `progress` after every chunk written, with the bytes so far and
    /// the total when known.
    pub fn on_progress(mut self, progress: impl FnMut(Progress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// How many attempts to make, and how long to wait between them; by
    /// default the client's policy.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The `reqwest` client to download with. By default a new one with a
    /// connect timeout of 30 s and a read timeout (between two chunks) of
    /// 60 s, and no total timeout, so a large file can take as long as it
    /// needs. A client given here must not add credentials of its own (default
    /// headers): the link carries its own authorization.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Downloads into the file at `path`, atomically: the body goes to a
    /// temporary file in the same folder, renamed to `path` only once complete
    /// and checked, so `path` never holds a partial file. The temporary file is
    /// removed when the download fails (or its future is dropped). An existing
    /// file at `path` is replaced. Returns the number of bytes written.
    pub async fn to_file(self, path: impl AsRef<std::path::Path>) -> Result<u64, Error> {
        transfer::to_file(self, path.as_ref()).await.map_err(|error| Error::Download(Box::new(error)))
    }

    /// Downloads into `writer`, which is flushed at the end. Returns the number
    /// of bytes written.
    ///
    /// A writer cannot be rewound: if the file changes on the server between
    /// two attempts, the download fails with [`DownloadError::Changed`].
    pub async fn to_writer<W>(self, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + Send + ?Sized,
    {
        transfer::to_writer(self, writer).await.map_err(|error| Error::Download(Box::new(error)))
    }
}

/// Why a download failed. Links in messages have their query values
/// (signatures) redacted.
#[derive(Debug)]
#[non_exhaustive]
pub enum DownloadError {
    /// There is no link: the field is empty or absent (for an export, until
    /// its work completes).
    NoLink,
    /// The link is not an `http` or `https` URL.
    InvalidLink {
        /// The link, redacted.
        link: String,
    },
    /// The server answered with an error status (after retries, for `429` and
    /// `5xx`); an expired signature typically gives `403`.
    Status {
        /// The HTTP status.
        status: u16,
        /// The link, redacted.
        link: String,
        /// The start of the response body, for diagnosis.
        body_snippet: String,
    },
    /// The connection failed or dropped on every attempt.
    Interrupted {
        /// Bytes received before the last failure.
        received: u64,
        /// The file's size, when the server gave it.
        total: Option<u64>,
        /// Attempts made.
        attempts: u32,
        /// The last failure (without the link).
        source: reqwest::Error,
    },
    /// The body's size is not the size the server announced.
    SizeMismatch {
        /// The size from `Content-Length` (or `Content-Range`).
        expected: u64,
        /// The bytes received.
        received: u64,
    },
    /// A resumed response does not continue the file: it starts elsewhere, or
    /// the file changed on the server and the output cannot be rewound.
    Changed {
        /// What differs.
        reason: String,
    },
    /// The output could not be written.
    Write {
        /// The file, when the output is one.
        path: Option<std::path::PathBuf>,
        /// Why writing failed.
        source: std::io::Error,
    },
}

impl DownloadError {
    /// The HTTP status, for [`DownloadError::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl std::fmt::Display for DownloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoLink => f.write_str("download failed: there is no link yet (the field is empty)"),
            Self::InvalidLink { link } => write!(f, "download failed: `{link}` is not an http or https URL"),
            Self::Status { status, link, body_snippet } => {
                write!(f, "download of {link} failed with HTTP status {status}")?;
                if !body_snippet.is_empty() {
                    write!(f, ": {body_snippet}")?;
                }
                Ok(())
            }
            Self::Interrupted { received, total, attempts, source } => {
                write!(f, "download interrupted after {attempts} attempts, at {received} bytes")?;
                if let Some(total) = total {
                    write!(f, " of {total}")?;
                }
                write!(f, ": {source}")
            }
            Self::SizeMismatch { expected, received } => {
                write!(f, "download incomplete: received {received} bytes, but the server announced {expected}")
            }
            Self::Changed { reason } => write!(f, "download cannot be resumed: {reason}"),
            Self::Write { path: Some(path), source } => {
                write!(f, "download failed writing {}: {source}", path.display())
            }
            Self::Write { path: None, source } => write!(f, "download failed writing its output: {source}"),
        }
    }
}

impl std::error::Error for DownloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Interrupted { source, .. } => Some(source),
            Self::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}
