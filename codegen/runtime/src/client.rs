//! Stand-in for a generated `client` module, never copied: it declares the
//! runtime's modules the way a generated `client.rs` does, and includes the
//! public types a generated `client.rs` holds itself.

use std::time::Duration;

use crate::error::Error;

include!("client/public/client_config.rs");
include!("client/public/retry_policy.rs");
include!("client/public/response.rs");
include!("client/public/token_provider.rs");
include!("client/public/polling.rs");
include!("client/public/pager.rs");
include!("client/public/poller.rs");
include!("client/public/error_body.rs");
include!("client/public/download.rs");
include!("client/public/body_stream.rs");
include!("client/public/file_content.rs");

mod decode;
mod encoding;
mod form;
mod header;
mod integer_enum;
mod json;
mod multipart;
mod param_text;
mod retry;
mod secret;
mod send;
pub(crate) use self::send::Reply;
mod server;
mod status;
mod string_enum;
mod style;
mod summary;
mod text;
mod token;
mod transfer;

/// Stand-in for a generated `Client`, as far as the runtime's public files
/// name it.
pub struct Client {
    inner: std::sync::Arc<Inner>,
}

struct Inner {
    transport: send::Transport,
}

/// Stand-in for a generated `ClientBuilder`: the fields every one has.
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    timeouts: send::Timeouts,
}

impl ClientBuilder {
    /// The URL every request path is appended to.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Builds the client. Fails when the base URL is not an `http` or `https` URL.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.unwrap_or_else(|| "http://localhost".to_owned());
        let transport = send::Transport::new(base_url, self.http, self.retry.unwrap_or_default(), self.timeouts)?;
        Ok(Client { inner: std::sync::Arc::new(Inner { transport }) })
    }
}

impl Client {
    /// A download from `link`, which carries its own authorization.
    pub fn download(&self, link: impl DownloadLink) -> Download {
        Download::new(link.into_link(), self.inner.transport.retry.clone())
    }
}

#[cfg(test)]
mod pager_tests;
#[cfg(test)]
mod poller_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod style_tests;
