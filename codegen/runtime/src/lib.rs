//! The spec-independent half of every generated client, as ordinary Rust.
//!
//! The generator copies these files into each crate it emits (see
//! "How the runtime gets into a generated crate" in ARCHITECTURE.md):
//!
//! - `src/client/*.rs` (not `tests.rs`) become private modules of the
//!   generated `client` module, byte for byte after the "generated" header;
//! - `src/client/public/*.rs` are the public types of the `client` module;
//!   their items are placed in the generated `client.rs` itself;
//! - `src/error/*.rs` end the generated `error.rs`, and `src/filter/*.rs`
//!   each generated filter module.
//!
//! This file, `error.rs`, `client.rs`, `filter.rs` and `client/tests.rs` are stand-ins for
//! the spec-dependent code those files talk to, so that they compile and are
//! tested here. They are never copied, nor is `trace_capture.rs`, a test
//! subscriber the end-to-end tests share.

// The runtime's callers are the generated crates; here only the tests call it.
#![cfg_attr(not(test), allow(dead_code, unused_macros, unused_imports))]

pub mod client;
pub mod error;
pub mod filter;
#[cfg(test)]
pub mod trace_capture;
