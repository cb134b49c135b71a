//! A hand-rolled HTTP/1.1 file server standing in for a storage host: it
//! honours `Range`, can drop a connection mid-body, and records what each
//! request carried (an `Authorization` header above all). One request per
//! connection, so a dropped connection is just a closed socket.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server sends.
#[derive(Clone)]
pub enum Content {
    /// `len` bytes of [`pattern_byte`], made as they are sent (no buffer, so a
    /// benchmark's memory is the client's).
    Pattern(u64),
    /// These bytes.
    Bytes(Arc<Vec<u8>>),
}

impl Content {
    pub fn len(&self) -> u64 {
        match self {
            Content::Pattern(len) => *len,
            Content::Bytes(bytes) => bytes.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills `buffer` with the bytes from `offset` on.
    fn fill(&self, offset: u64, buffer: &mut [u8]) {
        match self {
            Content::Pattern(_) => {
                for (index, byte) in buffer.iter_mut().enumerate() {
                    *byte = pattern_byte(offset + index as u64);
                }
            }
            Content::Bytes(bytes) => {
                let start = offset as usize;
                buffer.copy_from_slice(&bytes[start..start + buffer.len()]);
            }
        }
    }
}

/// Byte `index` of a [`Content::Pattern`]: varied enough that a shifted or
/// repeated range shows.
pub fn pattern_byte(index: u64) -> u8 {
    let mixed = index.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (index >> 13);
    (mixed >> 24) as u8
}

/// How the server misbehaves.
#[derive(Clone, Default)]
pub struct Behaviour {
    /// The first request gets this many body bytes, then the connection closes.
    pub drop_first_at: Option<u64>,
    /// `Range` is ignored: every answer is a `200` with the whole file.
    pub ignore_range: bool,
    /// Every answer announces the full length but stops 1,000 bytes short.
    pub always_short: bool,
    /// A resumed request gets a chunked `206` that ends 1,000 bytes short of
    /// the size its `Content-Range` announces.
    pub short_resume: bool,
    /// Every request gets this status and body instead of the file.
    pub status: Option<(u16, String)>,
}

/// What one request carried.
#[derive(Clone, Debug)]
pub struct Seen {
    pub target: String,
    pub range: Option<String>,
    pub if_range: Option<String>,
    pub authorization: bool,
    pub cookie: bool,
}

pub struct BlobServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for BlobServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl BlobServer {
    pub async fn start(content: Content, behaviour: Behaviour) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            let mut first = true;
            while let Ok((socket, _)) = listener.accept().await {
                let drop_at = if first { behaviour.drop_first_at } else { None };
                first = false;
                let (content, behaviour, log) = (content.clone(), behaviour.clone(), Arc::clone(&log));
                tokio::spawn(async move {
                    // A failed write is the client going away: nothing to do.
                    let _ = serve(socket, &content, &behaviour, drop_at, &log).await;
                });
            }
        });
        Ok(Self { url, seen, task })
    }

    /// Every request so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|seen| seen.clone()).unwrap_or_default()
    }
}

async fn serve(
    mut socket: TcpStream,
    content: &Content,
    behaviour: &Behaviour,
    drop_at: Option<u64>,
    log: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = socket.read(&mut buffer).await?;
        if read == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let target = lines.next().and_then(|line| line.split(' ').nth(1)).unwrap_or("").to_owned();
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    };
    let range = header("range");
    let seen = Seen {
        target,
        range: range.clone(),
        if_range: header("if-range"),
        authorization: header("authorization").is_some(),
        cookie: header("cookie").is_some(),
    };
    if let Ok(mut log) = log.lock() {
        log.push(seen);
    }

    if let Some((status, body)) = &behaviour.status {
        let response = format!(
            "HTTP/1.1 {status} Error\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        return socket.write_all(response.as_bytes()).await;
    }
    let total = content.len();
    let start = range
        .as_deref()
        .filter(|_| !behaviour.ignore_range)
        .and_then(|range| range.strip_prefix("bytes="))
        .and_then(|range| range.strip_suffix('-'))
        .and_then(|start| start.parse::<u64>().ok())
        .filter(|start| *start < total);
    let etag = "\"blob-1\"";
    let mut end = total;
    let chunked = start.is_some() && behaviour.short_resume;
    let head = match start {
        Some(start) if chunked => format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{}/{total}\r\nTransfer-Encoding: chunked\r\nETag: {etag}\r\nConnection: close\r\n\r\n",
            total - 1
        ),
        Some(start) => format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{}/{total}\r\nContent-Length: {}\r\nETag: {etag}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n",
            total - 1,
            total - start
        ),
        None => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {total}\r\nETag: {etag}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n"
        ),
    };
    socket.write_all(head.as_bytes()).await?;
    let start = start.unwrap_or(0);
    if behaviour.always_short || chunked {
        end = end.saturating_sub(1000).max(start);
    }
    if let Some(drop_at) = drop_at {
        end = end.min(start + drop_at);
    }
    let mut block = vec![0u8; 64 * 1024];
    let mut offset = start;
    while offset < end {
        let size = (end - offset).min(block.len() as u64) as usize;
        content.fill(offset, &mut block[..size]);
        if chunked {
            socket.write_all(format!("{size:x}\r\n").as_bytes()).await?;
            socket.write_all(&block[..size]).await?;
            socket.write_all(b"\r\n").await?;
        } else {
            socket.write_all(&block[..size]).await?;
        }
        offset += size as u64;
    }
    if chunked {
        socket.write_all(b"0\r\n\r\n").await?;
    }
    socket.flush().await?;
    // Closing without the rest is the dropped connection.
    socket.shutdown().await
}
