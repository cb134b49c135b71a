//! Stand-in for a generated `client` module, never copied: it declares the
//! runtime's modules the way a generated `client.rs` does, and includes the
//! public types a generated `client.rs` holds itself.

use std::time::Duration;

include!("client/public/retry_policy.rs");
include!("client/public/response.rs");
include!("client/public/token_provider.rs");
include!("client/public/polling.rs");
include!("client/public/pager.rs");
include!("client/public/poller.rs");
include!("client/public/error_body.rs");

mod decode;
mod encoding;
mod form;
mod header;
mod integer_enum;
mod json;
mod param_text;
mod retry;
mod secret;
mod send;
mod server;
mod status;
mod string_enum;
mod style;
mod summary;
mod text;
mod token;

#[cfg(test)]
mod pager_tests;
#[cfg(test)]
mod poller_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod style_tests;
