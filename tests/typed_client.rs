//! The typed client: filters, retries, tokens, generated ids, waiting.
