//! Bearer tokens: a fixed one, or one asked of a provider for every attempt.

use std::sync::Arc;

use super::TokenProvider;
use super::secret::Secret;
use crate::error::Error;

/// A bearer token: fixed, or asked of a provider for every attempt.
#[derive(Clone)]
pub(crate) enum Token {
    Fixed(Secret),
    Provider(Arc<dyn TokenProvider>),
}

impl Token {
    /// The token to send now.
    pub(crate) async fn current(&self) -> Result<String, Error> {
        match self {
            Token::Fixed(secret) => Ok(secret.0.clone()),
            Token::Provider(provider) => provider.token().await.map_err(Error::Token),
        }
    }
}
