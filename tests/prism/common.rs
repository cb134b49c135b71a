//! Shared by every driver of `cargo xtask prism` (copied beside each one as
//! `src/common.rs`): the command line, the HTTP client, and the report.
//!
//! A driver is run as `drive-<spec> BASE_URL [PROXY_URL]`: it calls each
//! operation of its spec with valid values, prints one line per call, and
//! exits 1 when a call failed or the server flagged it (Prism's
//! `sl-violations` header). With a proxy, every request goes through it (the
//! recording server of the wire check, which also sees absolute URLs).

use std::fmt::Display;

use client::reqwest;

/// What the driver was asked to do.
pub struct Args {
    pub base_url: String,
    pub proxy: Option<String>,
}

pub fn args() -> Args {
    let mut args = std::env::args().skip(1);
    let base_url = args.next().unwrap_or_else(|| {
        eprintln!("usage: drive BASE_URL [PROXY_URL]");
        std::process::exit(2)
    });
    Args { base_url, proxy: args.next() }
}

/// The `reqwest` client the generated clients send with: through the proxy
/// when there is one, following no redirects (as the clients' own default).
pub fn http(args: &Args) -> reqwest::Client {
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    let builder = match &args.proxy {
        Some(proxy) => builder.proxy(reqwest::Proxy::all(proxy).expect("proxy URL")),
        None => builder.no_proxy(),
    };
    builder.build().expect("HTTP client")
}

/// A client builder that sends to the base URL with [`http`] and never
/// retries (an answer of Prism's is final); drivers add credentials.
#[allow(dead_code, reason = "drivers that check servers or credentials build their own clients")]
pub fn client_builder(args: &Args) -> client::ClientBuilder {
    client::Client::builder()
        .base_url(&args.base_url)
        .http_client(http(args))
        .retry_policy(client::client::RetryPolicy::none())
}

/// Calls that failed, counted as they are reported.
#[derive(Default)]
pub struct Report {
    failures: u32,
}

impl Report {
    /// Prints the outcome of one call: its status, or why it failed.
    pub fn call<E: Display>(&mut self, name: &str, outcome: Result<(u16, Option<String>), E>) {
        match outcome {
            Ok((status, None)) => println!("{name}: {status}"),
            Ok((status, Some(violations))) => {
                self.failures += 1;
                println!("{name}: {status} with violations: {violations}");
            }
            Err(error) => {
                self.failures += 1;
                println!("{name}: error: {error}");
            }
        }
    }

    /// Reports a call whose answer was not what the spec makes of it.
    #[allow(dead_code, reason = "only the drivers that check what they decode call it")]
    pub fn fail(&mut self, name: &str, why: String) {
        self.failures += 1;
        println!("{name}: error: {why}");
    }

    pub fn finish(self) -> ! {
        std::process::exit(if self.failures == 0 { 0 } else { 1 })
    }
}

/// A response's status and Prism's violations header.
#[macro_export]
macro_rules! seen {
    ($response:expr) => {
        $response.map(|response| (response.status, response.header("sl-violations").map(str::to_owned)))
    };
}
