//! The generated client against a local mock server.
