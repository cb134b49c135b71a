/// What the state of long-running work was at one moment: an item of a
/// [`Poller`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Snapshot<R> {
    /// The resource's state, as the server wrote it (empty when it has none).
    pub state: String,
    /// Time since the poller was made, when the response it starts from arrived.
    pub elapsed: Duration,
    /// Status requests made so far: 0 while the state is the one of the
    /// response the poller starts from.
    pub polls: u32,
    /// Whether `state` is a success state: the snapshot is the last one and
    /// `resource` is the result.
    pub succeeded: bool,
    /// The tracked resource, as received.
    pub resource: R,
}

/// Waits for long-running work, and shows its progress on the way.
///
/// A poller is a [`Stream`](futures_core::Stream) of [`Snapshot`]s: the state
/// of the response it starts from, then one per status request. It ends
/// after its last item, which is either a snapshot whose `succeeded` is true,
/// or an error: [`WaitError::Failed`](crate::error::WaitError::Failed) for a
/// failure state, [`WaitError::TimedOut`](crate::error::WaitError::TimedOut)
/// once the timeout passes, or the error of a status request that failed
/// (after the client's retries).
///
/// Awaiting a poller skips the snapshots: it gives the resource in its
/// success state, or that error.
///
/// Between two status requests it waits [`Polling::interval`] (the spec's
/// interval when `None`), or as long as the last response's `Retry-After`
/// header asks, the starting response's included. Unless the work is already
/// over, it makes at least one status request, and a last one at the
/// [`Polling::timeout`] deadline, which counts from when the poller was made.
///
/// Dropping the poller cancels the wait: no request is made after that, and
/// a status request in flight is abandoned. The work itself goes on on the
/// server.
#[must_use = "a poller does nothing unless it is awaited or read as a stream"]
pub struct Poller<R> {
    tracking: Tracking<R>,
    fetch: Refetch<R>,
    interval: Duration,
    timeout: Duration,
    started: tokio::time::Instant,
    polls: u32,
    step: Step<R>,
}

/// What one long-running operation looks like: the half of waiting that
/// depends on the spec, which the generated code fills in.
pub(crate) struct Tracking<R> {
    /// The `operationId` that starts the work, for errors.
    pub(crate) operation: &'static str,
    /// Where the resource's id should be, for
    /// [`WaitError::MissingResource`](crate::error::WaitError::MissingResource).
    pub(crate) id_pointer: &'static str,
    /// States that end the wait with the resource (compared ignoring ASCII case).
    pub(crate) success_states: &'static [&'static str],
    /// States that end the wait with `WaitError::Failed` (likewise).
    pub(crate) failure_states: &'static [&'static str],
    /// The spec's interval, for `Polling { interval: None, .. }`.
    pub(crate) interval: Duration,
    /// The resource's state; `""` when it has none.
    pub(crate) state: fn(&R) -> &str,
    /// The resource's id as text; `None` when it has none.
    pub(crate) id: fn(&R) -> Option<String>,
}

/// A status request: the resource it gets back, and that response's `Retry-After`.
pub(crate) type Fetch<R> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Polled<R>, crate::error::Error>> + Send>>;

/// Starts a status request for a resource; `None` when the resource has no id.
type Refetch<R> = Box<dyn Fn(&R) -> Option<Fetch<R>> + Send + Sync>;

/// A response reduced to what waiting needs.
pub(crate) struct Polled<R> {
    resource: R,
    /// How long the response asks to wait before the next request.
    retry_after: Option<Duration>,
}

impl<R> Polled<R> {
    /// The resource `take` finds in `response`'s body, with the response's `Retry-After`.
    pub(crate) fn new<B, H>(
        response: Response<B, H>,
        take: fn(B) -> Result<R, crate::error::Error>,
    ) -> Result<Self, crate::error::Error> {
        let retry_after = retry::retry_after(&response.headers);
        Ok(Self { resource: take(response.body)?, retry_after })
    }
}

/// Where a poller is between two items.
enum Step<R> {
    /// A response arrived; its snapshot (or error) is the next item.
    Arrived(Polled<R>),
    /// Waiting before the next status request, which has not started yet.
    Pausing(std::pin::Pin<Box<tokio::time::Sleep>>, Fetch<R>),
    /// A status request in flight.
    Fetching(Fetch<R>),
    /// The timeout passed: the next item is the error.
    TimedOut { id: String, state: String, waited: Duration },
    /// The last item was given.
    Done,
}

// Nothing in a poller is pinned in place: the futures it drives are boxed.
impl<R> Unpin for Poller<R> {}

impl<R> std::fmt::Debug for Poller<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("operation", &self.tracking.operation)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("polls", &self.polls)
            .finish_non_exhaustive()
    }
}

impl<R: serde::Serialize> Poller<R> {
    /// A poller for the work `tracking` describes, from its first response
    /// (`first`, which took `polls` status requests: 0 or 1). `fetch` starts
    /// a status request for a resource, `None` when the resource has no id.
    pub(crate) fn new(
        tracking: Tracking<R>,
        first: Polled<R>,
        polls: u32,
        polling: Polling,
        fetch: impl Fn(&R) -> Option<Fetch<R>> + Send + Sync + 'static,
    ) -> Self {
        Self {
            interval: polling.interval.unwrap_or(tracking.interval),
            tracking,
            fetch: Box::new(fetch),
            timeout: polling.timeout,
            started: tokio::time::Instant::now(),
            polls,
            step: Step::Arrived(first),
        }
    }

    /// The next item, `None` after the last: what
    /// [`StreamExt::next`](https://docs.rs/futures-util/0.3/futures_util/stream/trait.StreamExt.html#method.next)
    /// gives, without needing that crate.
    pub async fn next(&mut self) -> Option<Result<Snapshot<R>, crate::error::Error>> {
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(std::pin::Pin::new(&mut *self), cx)).await
    }

    /// The item for a resource that just arrived, and what follows it.
    fn arrived(&mut self, polled: Polled<R>) -> Result<Snapshot<R>, crate::error::Error> {
        let tracking = &self.tracking;
        let resource = polled.resource;
        let state = (tracking.state)(&resource).to_owned();
        let elapsed = self.started.elapsed();
        let polls = self.polls;
        let is_one_of = |states: &[&str]| states.iter().any(|final_state| final_state.eq_ignore_ascii_case(&state));
        if is_one_of(tracking.success_states) {
            return Ok(Snapshot { state, elapsed, polls, succeeded: true, resource });
        }
        let missing = || crate::error::WaitError::missing(tracking.operation, tracking.id_pointer);
        let Some(id) = (tracking.id)(&resource) else { return Err(missing()) };
        if is_one_of(tracking.failure_states) {
            return Err(crate::error::Error::Wait(Box::new(crate::error::WaitError::Failed {
                operation: tracking.operation,
                id,
                state,
                resource: serde_json::to_value(&resource).unwrap_or_default(),
            })));
        }
        // At least one status request, whatever the timeout.
        self.step = if polls > 0 && elapsed >= self.timeout {
            Step::TimedOut { id, state: state.clone(), waited: elapsed }
        } else {
            let Some(fetch) = (self.fetch)(&resource) else { return Err(missing()) };
            // The pause starts now, so a slow reader of the stream does not
            // stretch the interval; the last request is at the deadline.
            let pause = polled.retry_after.unwrap_or(self.interval).min(self.timeout.saturating_sub(elapsed));
            Step::Pausing(Box::pin(tokio::time::sleep(pause)), fetch)
        };
        Ok(Snapshot { state, elapsed, polls, succeeded: false, resource })
    }
}

impl<R: serde::Serialize> futures_core::Stream for Poller<R> {
    type Item = Result<Snapshot<R>, crate::error::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::future::Future;
        use std::task::Poll;

        let this = self.get_mut();
        loop {
            // Every arm below puts back the step that follows; an item ends
            // the stream unless `arrived` says otherwise.
            match std::mem::replace(&mut this.step, Step::Done) {
                Step::Arrived(polled) => return Poll::Ready(Some(this.arrived(polled))),
                Step::Pausing(mut pause, fetch) => {
                    if pause.as_mut().poll(cx).is_pending() {
                        this.step = Step::Pausing(pause, fetch);
                        return Poll::Pending;
                    }
                    this.step = Step::Fetching(fetch);
                }
                Step::Fetching(mut fetch) => match fetch.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.step = Step::Fetching(fetch);
                        return Poll::Pending;
                    }
                    Poll::Ready(result) => {
                        this.polls += 1;
                        return Poll::Ready(Some(result.and_then(|polled| this.arrived(polled))));
                    }
                },
                Step::TimedOut { id, state, waited } => {
                    let operation = this.tracking.operation;
                    let error = crate::error::WaitError::TimedOut { operation, id, state, waited };
                    return Poll::Ready(Some(Err(crate::error::Error::Wait(Box::new(error)))));
                }
                Step::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<R: serde::Serialize> futures_core::FusedStream for Poller<R> {
    fn is_terminated(&self) -> bool {
        matches!(self.step, Step::Done)
    }
}

impl<R: serde::Serialize + Send + 'static> std::future::IntoFuture for Poller<R> {
    type Output = Result<R, crate::error::Error>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

    /// The resource once it reaches a success state, or the error that ended
    /// the wait; [`WaitError::Ended`](crate::error::WaitError::Ended) when the
    /// poller had already given its last item.
    fn into_future(mut self) -> Self::IntoFuture {
        Box::pin(async move {
            while let Some(item) = self.next().await {
                let snapshot = item?;
                if snapshot.succeeded {
                    return Ok(snapshot.resource);
                }
            }
            let ended = crate::error::WaitError::Ended { operation: self.tracking.operation };
            Err(crate::error::Error::Wait(Box::new(ended)))
        })
    }
}
