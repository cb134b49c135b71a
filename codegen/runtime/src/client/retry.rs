//! When to try a request again, and how long to wait first.

use std::time::Duration;

use super::RetryPolicy;

/// Statuses worth another attempt: rate limiting and server errors.
pub(super) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// The `Retry-After` header as a wait, when it is a number of seconds.
pub(super) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The wait before attempt `attempt + 1`: exponential, with jitter in its
/// upper half so that clients failing together do not retry together.
pub(super) fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    // Capped so the shift cannot overflow; the wait is capped by `max_backoff` anyway.
    let exponent = attempt.saturating_sub(1).min(20);
    let full = policy.initial_backoff.saturating_mul(1 << exponent).min(policy.max_backoff);
    let half = full / 2;
    let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    let jitter = if nanos == 0 { 0 } else { random_u64() % nanos };
    half + Duration::from_nanos(jitter)
}

/// A random number for backoff jitter, from the standard library's randomly
/// seeded hasher (good enough for jitter, and no extra dependency).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(u64::from(std::process::id()));
    hasher.finish()
}
