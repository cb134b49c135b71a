/// When and how the client retries a request.
///
/// A request is retried after a `429 Too Many Requests`, a `5xx` status, an
/// attempt that timed out or a connection failure, if the operation is safe to repeat:
/// its method is idempotent, or it carries an idempotency key the client sends
/// unchanged on every attempt. The wait grows exponentially with random jitter;
/// a `Retry-After` header from the server is honoured up to
/// [`max_retry_after`](Self::max_retry_after). When the attempts run out, the
/// last response is returned as the call's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; `1` turns retries off.
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles for each further retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; longer ones are cut to this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, waits from 500 ms up to 30 s, `Retry-After` up to 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call makes exactly one attempt.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }
}
