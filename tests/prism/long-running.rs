//! Calls every operation of `tests/fixtures/specs/long-running.yaml` (see
//! `common.rs` for how it is run): each start and status operation once as a
//! plain call, then each start through `send_and_poll` and each wait through
//! `wait_for_*`.
//!
//! Prism answers with its static example of each schema (the spec has none of
//! its own): a build with the id `497f6eca-…` in the state `Queued`, an
//! export named `string` in the phase `string`. It never moves a state, so
//! the waits are bounded: the poller must give the state of the start
//! response (no status request yet), then the state after one status request
//! for the resource's id, and is dropped there; a `wait_for_*` with a short
//! timeout must end in `WaitError::TimedOut`, having polled.

mod common;

use std::time::Duration;

use client::client::{Polling, Snapshot};
use client::error::WaitError;
use client::types::{Build, BuildBuild, BuildState, ExportEnvelope, ExportEnvelopeItemsItem};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = common::args();
    let client = common::client_builder(&args).build().expect("client");
    let mut report = common::Report::default();
    let id = client::uuid::uuid!("497f6eca-6276-4993-bfeb-53cbbbba6f08");
    let build = BuildBuild { id: Some(id), state: Some(BuildState::Queued), artifact: Some("string".to_owned()) };
    let export = ExportEnvelopeItemsItem { name: Some("string".to_owned()), phase: Some("string".to_owned()) };
    // Short enough to keep the run fast; Prism answers at once.
    let quick = || Polling::new(Duration::from_millis(10), Duration::from_millis(100));

    let started = client.start_build().send_with_response().await;
    if let Ok(response) = &started
        && response.body != (Build { build: Some(build.clone()) })
    {
        report.fail("startBuild", format!("decoded as {:?}", response.body));
    }
    report.call("startBuild", seen!(started));
    report.call("getBuild", seen!(client.get_build(id).send_with_response().await));
    match client.start_build().send_and_poll(quick()).await {
        Ok(mut poller) => {
            let snapshots = [poller.next().await, poller.next().await];
            check_snapshots(&mut report, "startBuild (polled)", snapshots, "Queued", &build);
        }
        Err(error) => report.call("startBuild (polled)", Err(error)),
    }
    timed_out(&mut report, "wait_for_build", client.wait_for_build(id, quick()).await);

    let started = client.start_export().send_with_response().await;
    if let Ok(response) = &started
        && response.body != (ExportEnvelope { items: Some(vec![export.clone()]) })
    {
        report.fail("startExport", format!("decoded as {:?}", response.body));
    }
    report.call("startExport", seen!(started));
    report.call("getExport", seen!(client.get_export("string").send_with_response().await));
    match client.start_export().send_and_poll(quick()).await {
        Ok(mut poller) => {
            let snapshots = [poller.next().await, poller.next().await];
            check_snapshots(&mut report, "startExport (polled)", snapshots, "string", &export);
        }
        Err(error) => report.call("startExport (polled)", Err(error)),
    }
    timed_out(&mut report, "wait_for_export", client.wait_for_export("string".to_owned(), quick()).await);
    report.finish()
}

/// Checks a poller's first two snapshots: the start response's state (no
/// status request), then the state after one status request; each must hold
/// `resource` in `state`, not yet succeeded. The poller is dropped after
/// them, which stops it.
fn check_snapshots<R: PartialEq + std::fmt::Debug>(
    report: &mut common::Report,
    name: &str,
    snapshots: [Option<Result<Snapshot<R>, client::Error>>; 2],
    state: &str,
    resource: &R,
) {
    for (polls, snapshot) in (0..).zip(snapshots) {
        match snapshot {
            Some(Ok(snapshot))
                if snapshot.polls == polls
                    && snapshot.state == state
                    && !snapshot.succeeded
                    && snapshot.resource == *resource =>
            {
                println!("{name}: state {state:?} after {polls} status request(s)");
            }
            Some(Ok(snapshot)) => report.fail(name, format!("snapshot {snapshot:?}")),
            Some(Err(error)) => return report.call(name, Err(error)),
            None => return report.fail(name, "the poller ended early".to_owned()),
        }
    }
}

/// A wait Prism cannot end (it never moves the state) must time out.
fn timed_out<R: std::fmt::Debug>(report: &mut common::Report, name: &str, outcome: Result<R, client::Error>) {
    match outcome {
        Err(client::Error::Wait(wait)) if matches!(*wait, WaitError::TimedOut { .. }) => {
            println!("{name}: timed out, as it must");
        }
        Err(error) => report.call(name, Err(error)),
        Ok(resource) => report.fail(name, format!("ended with {resource:?}")),
    }
}
