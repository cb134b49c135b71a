//! Tests of `Poller` (`public/poller.rs`) against a scripted status
//! endpoint, on tokio's paused clock: pauses pass at once and in order, so
//! the tests are exact about them without taking time.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_core::{FusedStream, Stream};

use super::{Fetch, Polled, Poller, Polling, Response, Snapshot, Tracking};
use crate::error::{Error, WaitError};

/// A tracked resource: what a generated crate's resource type would be.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
struct Job {
    id: Option<String>,
    state: Option<String>,
}

const JOBS: Tracking<Job> = Tracking {
    operation: "startJob",
    id_pointer: "/job (its id)",
    success_states: &["Done"],
    failure_states: &["Failed", "Cancelled"],
    interval: Duration::from_secs(30),
    state: |job| job.state.as_deref().unwrap_or(""),
    id: |job| job.id.clone(),
};

fn job(state: &str) -> Job {
    Job { id: Some("job-1".to_owned()), state: Some(state.to_owned()) }
}

fn arrived(state: &str, retry_after: Option<u64>) -> Polled<Job> {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(seconds) = retry_after {
        headers.insert(reqwest::header::RETRY_AFTER, seconds.to_string().parse().unwrap());
    }
    Polled::new(Response { status: 200, headers, body: job(state), typed_headers: () }, Ok).unwrap()
}

/// A state, and the `Retry-After` seconds that come with it.
type Answer = (String, Option<u64>);

/// The status endpoint: answers in turn, then repeats its last answer, and
/// counts the requests actually made (a request is made when its future
/// runs, not when it is created).
#[derive(Clone)]
struct Endpoint {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    requests: Arc<AtomicU32>,
}

impl Endpoint {
    fn new(answers: &[(&str, Option<u64>)]) -> Self {
        let answers = answers.iter().map(|(state, after)| ((*state).to_owned(), *after)).collect();
        Self { answers: Arc::new(Mutex::new(answers)), requests: Arc::new(AtomicU32::new(0)) }
    }

    fn requests(&self) -> u32 {
        self.requests.load(Ordering::SeqCst)
    }

    fn fetch(&self) -> impl Fn(&Job) -> Option<Fetch<Job>> + Send + Sync + 'static {
        let endpoint = self.clone();
        move |job: &Job| {
            let endpoint = endpoint.clone();
            assert_eq!(job.id.as_deref(), Some("job-1"), "polled by the resource's id");
            Some(Box::pin(async move {
                endpoint.requests.fetch_add(1, Ordering::SeqCst);
                let mut answers = endpoint.answers.lock().unwrap();
                let (state, after) = if answers.len() > 1 { answers.pop_front() } else { answers.front().cloned() }
                    .unwrap_or_else(|| ("Running".to_owned(), None));
                Ok(arrived(&state, after))
            }) as Fetch<Job>)
        }
    }
}

fn poller(first: Polled<Job>, polling: Polling, endpoint: &Endpoint) -> Poller<Job> {
    Poller::new(JOBS, first, 0, polling, endpoint.fetch())
}

fn every_10ms() -> Polling {
    Polling::new(Duration::from_millis(10), Duration::from_secs(60))
}

/// Every item until the stream ends.
async fn items(mut poller: Poller<Job>) -> Vec<Result<Snapshot<Job>, Error>> {
    let mut items = Vec::new();
    while let Some(item) = poller.next().await {
        items.push(item);
    }
    assert!(poller.is_terminated());
    assert!(poller.next().await.is_none(), "the stream stays ended");
    items
}

fn wait_error(item: Option<&Result<Snapshot<Job>, Error>>) -> &WaitError {
    match item {
        Some(Err(Error::Wait(error))) => error,
        other => panic!("not a wait error: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_stream_gives_the_start_then_each_poll_and_ends_with_the_success() {
    let endpoint = Endpoint::new(&[("Queued", None), ("Running", None), ("done", None)]);
    let items = items(poller(arrived("Queued", None), every_10ms(), &endpoint)).await;

    let snapshots: Vec<&Snapshot<Job>> = items.iter().map(|item| item.as_ref().unwrap()).collect();
    let states: Vec<(&str, u32, bool)> = snapshots.iter().map(|s| (s.state.as_str(), s.polls, s.succeeded)).collect();
    assert_eq!(states, [("Queued", 0, false), ("Queued", 1, false), ("Running", 2, false), ("done", 3, true)]);
    assert_eq!(snapshots[3].resource, job("done"));
    assert_eq!(snapshots[0].elapsed, Duration::ZERO);
    for pair in snapshots.windows(2) {
        assert!(pair[1].elapsed >= pair[0].elapsed + Duration::from_millis(10), "{pair:?}");
    }
    assert_eq!(endpoint.requests(), 3);
}

#[tokio::test(start_paused = true)]
async fn awaiting_gives_the_resource_in_its_success_state() {
    let endpoint = Endpoint::new(&[("Running", None), ("Done", None)]);
    let done = poller(arrived("Queued", None), every_10ms(), &endpoint).await.unwrap();
    assert_eq!(done, job("Done"));
    assert_eq!(endpoint.requests(), 2);
}

#[tokio::test(start_paused = true)]
async fn work_that_starts_finished_is_not_polled() {
    let endpoint = Endpoint::new(&[]);
    let items = items(poller(arrived("DONE", None), every_10ms(), &endpoint)).await;
    assert_eq!(items.len(), 1);
    assert!(items[0].as_ref().unwrap().succeeded);
    assert_eq!(endpoint.requests(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_failure_state_ends_with_failed_and_no_further_request() {
    let endpoint = Endpoint::new(&[("Running", None), ("cancelled", None), ("Done", None)]);
    let items = items(poller(arrived("Queued", None), every_10ms(), &endpoint)).await;
    assert_eq!(items.len(), 3);
    match wait_error(items.last()) {
        WaitError::Failed { operation, id, state, resource } => {
            assert_eq!((*operation, id.as_str(), state.as_str()), ("startJob", "job-1", "cancelled"));
            assert_eq!(resource, &serde_json::json!({"id": "job-1", "state": "cancelled"}));
        }
        other => panic!("not Failed: {other:?}"),
    }
    assert_eq!(endpoint.requests(), 2);

    let error = poller(arrived("Failed", None), every_10ms(), &endpoint).await.unwrap_err();
    assert!(matches!(error, Error::Wait(ref wait) if matches!(**wait, WaitError::Failed { .. })), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn the_timeout_ends_with_timed_out_after_a_last_poll_at_the_deadline() {
    let endpoint = Endpoint::new(&[("Running", None)]);
    let polling = Polling::new(Duration::from_millis(40), Duration::from_millis(100));
    let items = items(poller(arrived("Queued", None), polling, &endpoint)).await;

    let polls: Vec<u32> = items.iter().filter_map(|item| item.as_ref().ok()).map(|s| s.polls).collect();
    assert_eq!(polls, [0, 1, 2, 3], "at 0, 40, 80 and 100 ms");
    let last = items[3].as_ref().unwrap();
    assert!(last.elapsed >= Duration::from_millis(100) && last.elapsed < Duration::from_millis(120), "{last:?}");
    match wait_error(items.last()) {
        WaitError::TimedOut { operation, id, state, waited } => {
            assert_eq!((*operation, id.as_str(), state.as_str()), ("startJob", "job-1", "Running"));
            assert_eq!(*waited, last.elapsed);
        }
        other => panic!("not TimedOut: {other:?}"),
    }
    assert_eq!(endpoint.requests(), 3);
}

#[tokio::test(start_paused = true)]
async fn an_interval_longer_than_the_timeout_still_polls_once_at_the_deadline() {
    let endpoint = Endpoint::new(&[("Running", None)]);
    let polling = Polling::new(Duration::from_secs(3600), Duration::from_millis(50));
    let error = poller(arrived("Queued", None), polling, &endpoint).await.unwrap_err();
    match error {
        Error::Wait(wait) => match *wait {
            WaitError::TimedOut { waited, .. } => assert!(waited >= Duration::from_millis(50), "{waited:?}"),
            other => panic!("not TimedOut: {other:?}"),
        },
        other => panic!("not a wait error: {other:?}"),
    }
    assert_eq!(endpoint.requests(), 1);

    // Even a zero timeout polls once.
    let polling = Polling::new(Duration::from_secs(3600), Duration::ZERO);
    let endpoint = Endpoint::new(&[("Done", None)]);
    assert_eq!(poller(arrived("Queued", None), polling, &endpoint).await.unwrap(), job("Done"));
}

#[tokio::test(start_paused = true)]
async fn retry_after_of_the_start_and_of_each_poll_sets_the_next_pause() {
    // The start asks for 5 s, the first poll for 0 s, the second says nothing (interval).
    let endpoint = Endpoint::new(&[("Running", Some(0)), ("Running", None), ("Done", None)]);
    let items = items(poller(arrived("Queued", Some(5)), every_10ms(), &endpoint)).await;
    let elapsed: Vec<Duration> = items.iter().map(|item| item.as_ref().unwrap().elapsed).collect();
    assert!(elapsed[1] >= Duration::from_secs(5) && elapsed[1] < Duration::from_millis(5010), "{elapsed:?}");
    assert!(elapsed[2] - elapsed[1] < Duration::from_millis(5), "Retry-After: 0 is no pause: {elapsed:?}");
    assert!(elapsed[3] - elapsed[2] >= Duration::from_millis(10), "then the interval: {elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn without_an_interval_the_specs_interval_is_used() {
    let endpoint = Endpoint::new(&[("Done", None)]);
    let polling = Polling { interval: None, timeout: Duration::from_secs(3600) };
    let items = items(poller(arrived("Queued", None), polling, &endpoint)).await;
    assert!(items[1].as_ref().unwrap().elapsed >= Duration::from_secs(30), "{:?}", items[1]);
}

#[tokio::test(start_paused = true)]
async fn a_resource_without_an_id_is_missing_and_not_polled() {
    let endpoint = Endpoint::new(&[]);
    let first = Polled::new(
        Response { status: 202, headers: Default::default(), body: Job { id: None, state: None }, typed_headers: () },
        Ok,
    );
    let items = items(poller(first.unwrap(), every_10ms(), &endpoint)).await;
    assert!(matches!(wait_error(items.first()), WaitError::MissingResource { pointer: "/job (its id)", .. }));
    assert_eq!(items.len(), 1);
    assert_eq!(endpoint.requests(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_failed_status_request_ends_the_stream_with_its_error() {
    let requests = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&requests);
    let fetch = move |_: &Job| {
        counter.fetch_add(1, Ordering::SeqCst);
        Some(Box::pin(async { Err(Error::InvalidRequest("no route".to_owned())) }) as Fetch<Job>)
    };
    let items = items(Poller::new(JOBS, arrived("Queued", None), 0, every_10ms(), fetch)).await;
    assert_eq!(items.len(), 2);
    assert!(matches!(items[1], Err(Error::InvalidRequest(_))), "{:?}", items[1]);
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_poller_stops_polling() {
    let endpoint = Endpoint::new(&[("Running", None)]);
    let mut poller = poller(arrived("Queued", None), every_10ms(), &endpoint);
    assert_eq!(poller.next().await.unwrap().unwrap().polls, 0);
    assert_eq!(poller.next().await.unwrap().unwrap().polls, 1);
    drop(poller);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(endpoint.requests(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_poller_is_a_stream_and_awaiting_an_ended_one_says_so() {
    let endpoint = Endpoint::new(&[]);
    let mut poller = poller(arrived("Done", None), every_10ms(), &endpoint);
    assert_eq!(Stream::size_hint(&poller), (0, None));
    let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut poller).poll_next(cx)).await;
    assert!(first.unwrap().unwrap().succeeded);
    assert!(poller.is_terminated());
    assert!(format!("{poller:?}").contains("startJob"));
    match poller.await {
        Err(Error::Wait(wait)) => assert!(matches!(*wait, WaitError::Ended { operation: "startJob" })),
        other => panic!("not Ended: {other:?}"),
    }
}

#[test]
fn pollers_can_move_between_threads() {
    fn send<T: Send>(_: &T) {}
    let endpoint = Endpoint::new(&[]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    let _guard = runtime.enter();
    let poller = poller(arrived("Queued", None), every_10ms(), &endpoint);
    send(&poller);
    send(&std::future::IntoFuture::into_future(poller));
}
