/// How often and for how long to poll a long-running operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Polling {
    /// Time between two polls; `None` uses the interval the spec gives for
    /// the operation.
    pub interval: Option<Duration>,
    /// How long to wait in all before giving up with
    /// [`WaitError::TimedOut`](crate::error::WaitError::TimedOut).
    pub timeout: Duration,
}

impl Default for Polling {
    /// The spec's interval, and a 24-hour timeout.
    fn default() -> Self {
        Self { interval: None, timeout: Duration::from_secs(24 * 60 * 60) }
    }
}

impl Polling {
    /// Polls every `interval` for at most `timeout`.
    pub fn new(interval: Duration, timeout: Duration) -> Self {
        Self { interval: Some(interval), timeout }
    }
}
