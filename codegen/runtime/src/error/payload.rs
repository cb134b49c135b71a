// How a documented error status becomes its `Error` variant: placed in the
// generated `error.rs` of crates whose error payloads every operation reads
// the same way (each payload struct implements `Payload`). The file that
// includes it imports `crate::client::Reply`, as the generated `error.rs` does.

/// The payload of a documented error status, read from the response.
pub(crate) trait Payload {
    /// Reads the payload; a body that is not the documented one is kept as text.
    fn read(reply: &Reply) -> Self;
}

/// The error `variant` makes of a response with a documented error status.
pub(crate) fn read<T: Payload>(reply: &Reply, variant: fn(Box<T>) -> Error) -> Error {
    variant(Box::new(T::read(reply)))
}
