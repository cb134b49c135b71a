/// Errors a [`TokenProvider`] can return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, BoxError>> + Send + 'a>>;

/// A source of bearer tokens, asked before every HTTP attempt, so that a
/// long wait or a retry always uses a current token.
///
/// Any `Fn() -> impl Future<Output = Result<String, E>>` closure is one, for
/// example `|| async { Ok::<_, std::io::Error>(fetch_token().await) }`.
pub trait TokenProvider: Send + Sync + 'static {
    /// A current token. Its text is never logged or shown by this crate.
    fn token(&self) -> TokenFuture<'_>;
}

impl<F, Fut, E> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<String, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self) -> TokenFuture<'_> {
        let future = self();
        Box::pin(async move { future.await.map_err(Into::into) })
    }
}
