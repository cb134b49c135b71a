//! The generator: OpenAPI 3.0 spec text in, a Rust client crate out.
pub mod error;
pub mod load;
pub mod pointer;
