//! Stand-in for a generated `client` module, never copied: it declares the
//! runtime's modules the way a generated `client.rs` does, and includes the
//! public types a generated `client.rs` holds itself.

use std::time::Duration;

use crate::error::Error;

include!("client/public/retry_policy.rs");
include!("client/public/response.rs");
include!("client/public/token_provider.rs");
include!("client/public/polling.rs");
include!("client/public/pager.rs");
include!("client/public/poller.rs");
include!("client/public/error_body.rs");
include!("client/public/download.rs");
include!("client/public/body_stream.rs");

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
    retry: RetryPolicy,
}

impl Client {
    /// A client that retries as `retry` says.
    pub fn new(retry: RetryPolicy) -> Self {
        Self { retry }
    }

    /// A download from `link`, which carries its own authorization.
    pub fn download(&self, link: impl DownloadLink) -> Download {
        Download::new(link.into_link(), self.retry.clone())
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
