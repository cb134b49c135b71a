//! Queue a payments export, watch it, download the file and summarise the
//! CSV or TSV files inside.
//!
//! Everything against a local stand-in of the service and its storage host:
//!
//!     cargo run -p payouts-tests --example export -- --mock
//!
//! Against the service (the token is read from the environment, never from
//! the command line):
//!
//!     PARTNER_CENTER_TOKEN=... cargo run -p payouts-tests --example export -- \
//!         --program "CSP Direct Bill Partner" --since 2024-01-01 --output payouts.zip
//!
//! `--help` lists every flag.

use std::process::ExitCode;

use clap::Parser;

#[path = "export/tool.rs"]
mod tool;

#[tokio::main]
async fn main() -> ExitCode {
    let args = tool::Args::parse();
    let token = std::env::var(tool::TOKEN_VARIABLE).ok();
    match tool::run(args, token, &mut std::io::stdout()).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
