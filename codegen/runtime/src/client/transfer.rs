//! Downloads ([`Download`]): the body streamed chunk by chunk into a file
//! (atomically) or a writer, resumed with `Range` after a failure, its size
//! checked, and never a credential sent.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncSeekExt, AsyncWrite, AsyncWriteExt};

use super::retry::{backoff, is_retryable_status, retry_after};
use super::text::{RedactedUrl, snippet};
use super::{Download, DownloadError, Progress};

/// Query parameters of a link shown as they are in messages: the parts of a
/// shared access signature that say what it grants and until when, never the
/// signature itself. Every other value is redacted.
const SHOWN_QUERY_KEYS: &[&str] = &["sv", "st", "se", "sr", "sp", "spr"];

/// Where the body goes.
enum Output<'a, W: ?Sized> {
    /// A temporary file, which can start over.
    File(&'a mut tokio::fs::File),
    /// The caller's writer, which cannot.
    Writer(&'a mut W),
}

impl<W: AsyncWrite + Unpin + Send + ?Sized> Output<'_, W> {
    async fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Output::File(file) => file.write_all(bytes).await,
            Output::Writer(writer) => writer.write_all(bytes).await,
        }
    }

    /// Empties the output to start over; `false` when it cannot.
    async fn rewind(&mut self) -> std::io::Result<bool> {
        match self {
            Output::File(file) => {
                file.flush().await?;
                file.set_len(0).await?;
                file.seek(std::io::SeekFrom::Start(0)).await?;
                Ok(true)
            }
            Output::Writer(_) => Ok(false),
        }
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::File(file) => file.flush().await,
            Output::Writer(writer) => writer.flush().await,
        }
    }
}

/// Downloads into a temporary file beside `path`, renamed to `path` once
/// complete.
pub(crate) async fn to_file(download: Download, path: &Path) -> Result<u64, DownloadError> {
    let write_error = |source| DownloadError::Write { path: Some(path.to_owned()), source };
    let mut temporary = Temporary::create(path).await.map_err(write_error)?;
    let written = fetch(download, Output::<tokio::io::Sink>::File(&mut temporary.file)).await?;
    temporary.file.sync_all().await.map_err(write_error)?;
    temporary.persist(path).await.map_err(write_error)?;
    Ok(written)
}

/// Downloads into `writer`.
pub(crate) async fn to_writer<W>(download: Download, writer: &mut W) -> Result<u64, DownloadError>
where
    W: AsyncWrite + Unpin + Send + ?Sized,
{
    fetch(download, Output::Writer(writer)).await
}

/// What identifies the file on the server, to tell whether a later response
/// is of the same file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Identity {
    total: Option<u64>,
    etag: Option<String>,
    last_modified: Option<String>,
}

impl Identity {
    fn of(response: &reqwest::Response, total: Option<u64>) -> Self {
        let text = |name| response.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
        Self { total, etag: text(reqwest::header::ETAG), last_modified: text(reqwest::header::LAST_MODIFIED) }
    }

    /// Whether `other` may be a different file: a size, ETag or date that
    /// differs (an absent one proves nothing).
    fn differs(&self, other: &Identity) -> bool {
        fn differ<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            matches!((a, b), (Some(a), Some(b)) if a != b)
        }
        differ(&self.total, &other.total)
            || differ(&self.etag, &other.etag)
            || differ(&self.last_modified, &other.last_modified)
    }
}

/// The download loop: one request per attempt, resuming where the last one
/// stopped.
async fn fetch<W>(download: Download, mut output: Output<'_, W>) -> Result<u64, DownloadError>
where
    W: AsyncWrite + Unpin + Send + ?Sized,
{
    let Download { link, retry, http, mut progress } = download;
    let link = link.ok_or(DownloadError::NoLink)?;
    let shown = redacted_link(&link);
    let url = match reqwest::Url::parse(&link) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url,
        _ => return Err(DownloadError::InvalidLink { link: shown }),
    };
    let http = match http {
        Some(http) => http,
        None => default_client().map_err(|source| DownloadError::Interrupted {
            received: 0,
            total: None,
            attempts: 0,
            source: source.without_url(),
        })?,
    };
    let write_error = |source| DownloadError::Write { path: None, source };
    let mut report = |received, total| {
        if let Some(progress) = progress.as_mut() {
            progress(Progress { received, total });
        }
    };
    // Bytes in the output, and what the first response said of the file.
    let mut received: u64 = 0;
    let mut identity: Option<Identity> = None;
    let mut attempt: u32 = 1;
    loop {
        let mut request = http.get(url.clone());
        if received > 0 {
            request = request.header(reqwest::header::RANGE, format!("bytes={received}-"));
            // Only a strong ETag may go in `If-Range`: the file if unchanged, all of it otherwise.
            if let Some(etag) = identity.as_ref().and_then(|known| known.etag.as_ref()).filter(|e| !e.starts_with("W/"))
            {
                request = request.header(reqwest::header::IF_RANGE, etag.as_str());
            }
        }
        let failure = match request.send().await {
            Err(error) => Failure::Transport(error),
            Ok(response) => {
                let status = response.status().as_u16();
                if is_retryable_status(status) {
                    let wait = retry_after(response.headers()).map(|wait| wait.min(retry.max_retry_after));
                    Failure::Status(response, wait)
                } else if status != 200 && status != 206 {
                    return Err(status_error(response, &shown, &link).await);
                } else {
                    // Where this response's body starts in the file.
                    let (start, total) = if status == 206 {
                        content_range(&response).ok_or_else(|| DownloadError::Changed {
                            reason: "a partial response (206) without a valid `Content-Range`".to_owned(),
                        })?
                    } else {
                        (0, response.content_length())
                    };
                    let this = Identity::of(&response, total);
                    let known = identity.get_or_insert_with(|| this.clone());
                    if status == 206 && (start != received || known.differs(&this)) {
                        return Err(DownloadError::Changed {
                            reason: format!(
                                "asked for the file from byte {received}, the server sent bytes from {start} of a file of {} bytes",
                                this.total.map_or_else(|| "unknown".to_owned(), |total| total.to_string())
                            ),
                        });
                    }
                    // A full response after a partial one: the server ignored
                    // `Range`, or the file changed.
                    let mut skip = 0;
                    if status == 200 && received > 0 {
                        if known.differs(&this) {
                            if !output.rewind().await.map_err(write_error)? {
                                return Err(DownloadError::Changed {
                                    reason: "the file changed on the server, and the writer cannot be rewound"
                                        .to_owned(),
                                });
                            }
                            *known = this;
                            received = 0;
                            report(0, known.total);
                        } else if output.rewind().await.map_err(write_error)? {
                            received = 0;
                            report(0, known.total);
                        } else {
                            skip = received;
                        }
                    }
                    let total = known.total;
                    match stream(response, &mut output, &mut received, skip, total, &mut report).await? {
                        None => {
                            output.flush().await.map_err(write_error)?;
                            return match total {
                                Some(expected) if expected != received => {
                                    Err(DownloadError::SizeMismatch { expected, received })
                                }
                                _ => Ok(received),
                            };
                        }
                        Some(error) => Failure::Transport(error),
                    }
                }
            }
        };
        if attempt >= retry.max_attempts {
            return Err(match failure {
                Failure::Transport(error) => DownloadError::Interrupted {
                    received,
                    total: identity.and_then(|known| known.total),
                    attempts: attempt,
                    source: error.without_url(),
                },
                Failure::Status(response, _) => status_error(response, &shown, &link).await,
            });
        }
        let wait = match failure {
            Failure::Status(_, Some(wait)) => wait,
            _ => backoff(&retry, attempt),
        };
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// Why an attempt failed in a way worth retrying.
enum Failure {
    Transport(reqwest::Error),
    /// A `429` or `5xx`, and the wait its `Retry-After` asks for.
    Status(reqwest::Response, Option<Duration>),
}

/// Writes a response body chunk by chunk, after skipping its first `skip`
/// bytes (already written). Returns the error that cut it short, if one did.
async fn stream<W>(
    mut response: reqwest::Response,
    output: &mut Output<'_, W>,
    received: &mut u64,
    mut skip: u64,
    total: Option<u64>,
    report: &mut impl FnMut(u64, Option<u64>),
) -> Result<Option<reqwest::Error>, DownloadError>
where
    W: AsyncWrite + Unpin + Send + ?Sized,
{
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(None),
            Err(error) => return Ok(Some(error)),
        };
        let mut bytes = &chunk[..];
        if skip > 0 {
            let skipped = usize::try_from(skip).unwrap_or(usize::MAX).min(bytes.len());
            bytes = &bytes[skipped..];
            skip -= skipped as u64;
        }
        if bytes.is_empty() {
            continue;
        }
        output.write_all(bytes).await.map_err(|source| DownloadError::Write { path: None, source })?;
        *received += bytes.len() as u64;
        if let Some(expected) = total.filter(|expected| *received > *expected) {
            return Err(DownloadError::SizeMismatch { expected, received: *received });
        }
        report(*received, total);
    }
}

/// `Content-Range: bytes START-END/TOTAL`: the start, and the total when given.
fn content_range(response: &reqwest::Response) -> Option<(u64, Option<u64>)> {
    let text = response.headers().get(reqwest::header::CONTENT_RANGE)?.to_str().ok()?;
    let (range, total) = text.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    let total = if total == "*" { None } else { Some(total.parse().ok()?) };
    Some((start.parse().ok()?, total))
}

/// An error status, with the start of its body (with the link's query values
/// taken out, should the server echo them).
async fn status_error(mut response: reqwest::Response, shown: &str, link: &str) -> DownloadError {
    const LIMIT: usize = 4096;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while body.len() < LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(LIMIT - body.len())]),
            _ => break,
        }
    }
    let mut body_snippet = snippet(&body);
    for secret in secret_values(link) {
        body_snippet = body_snippet.replace(&secret, "redacted");
    }
    DownloadError::Status { status, link: shown.to_owned(), body_snippet }
}

/// The client a download makes when given none: timeouts that suit a large
/// body (between chunks, not in all), and nothing that carries credentials.
fn default_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .read_timeout(Duration::from_secs(60))
        .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// The query values of a link that [`redacted_link`] hides (long enough to
/// be worth hiding).
fn secret_values(link: &str) -> Vec<String> {
    let Ok(url) = reqwest::Url::parse(link) else { return Vec::new() };
    url.query_pairs()
        .filter(|(key, value)| !SHOWN_QUERY_KEYS.contains(&key.as_ref()) && value.len() >= 8)
        .map(|(_, value)| value.into_owned())
        .collect()
}

/// A link fit for messages: query values redacted but for the harmless parts
/// of a shared access signature, no password, no fragment; the same
/// redaction as every URL the client shows ([`RedactedUrl`]).
pub(crate) fn redacted_link(link: &str) -> String {
    RedactedUrl { url: link, shown: SHOWN_QUERY_KEYS }.to_string()
}

/// A temporary file beside the destination, removed unless persisted.
struct Temporary {
    file: tokio::fs::File,
    path: PathBuf,
    persisted: bool,
}

impl Temporary {
    /// Creates `.<name>.<unique>.part` in `destination`'s folder (the same file
    /// system, so the final rename is atomic).
    async fn create(destination: &Path) -> std::io::Result<Self> {
        let name = destination
            .file_name()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "the destination has no file name"))?;
        let folder = destination.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut attempt = 0u32;
        loop {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            let mut file_name = std::ffi::OsString::from(".");
            file_name.push(name);
            file_name.push(format!(".{}-{}-{attempt}.part", std::process::id(), nanos.subsec_nanos()));
            let path = folder.join(file_name);
            match tokio::fs::OpenOptions::new().write(true).create_new(true).open(&path).await {
                Ok(file) => return Ok(Self { file, path, persisted: false }),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
                Err(error) => return Err(error),
            }
        }
    }

    /// Renames the file to `destination`.
    async fn persist(&mut self, destination: &Path) -> std::io::Result<()> {
        self.file.flush().await?;
        tokio::fs::rename(&self.path, destination).await?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.persisted {
            // Best effort: a failed or cancelled download leaves nothing behind.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
