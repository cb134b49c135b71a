//! Work a caller hands [`generate_alongside`](crate::generate_alongside) to
//! run while the crate is generated, on whichever of its threads would
//! otherwise wait: `cargo xtask generate` reads the output folder so.
//!
//! A spare thread of its own would compete for the cores with the
//! generator's workers (one per core): the scheduler then lets a worker
//! that was woken wait for it. Run in a worker's idle time, the same work
//! costs no wall time at all.
//!
//! A panic of the job is caught and resumed on the caller's thread where
//! panics unwind; the workspace's release profile aborts at the panic.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Mutex, PoisonError, TryLockError};

/// What a worker runs when it would otherwise wait (see [`Alongside`]).
pub trait WhileIdle: Sync {
    /// Runs the work unless it was done or is being done.
    fn run(&self);
}

/// Nothing to run: [`generate`](crate::generate) without work alongside.
impl WhileIdle for () {
    fn run(&self) {}
}

/// A job and, once it has run, what it gave.
pub struct Alongside<F, T> {
    /// Locked while the job runs, so that it runs once and a thread that
    /// finds it locked does not wait for it.
    state: Mutex<State<F, T>>,
}

enum State<F, T> {
    Waiting(F),
    Done(T),
    /// The job panicked; the panic is resumed on the caller's thread.
    Panicked(Box<dyn Any + Send>),
    /// Only while the job runs, inside the lock.
    Running,
}

impl<F: FnOnce() -> T + Send, T: Send> Alongside<F, T> {
    pub fn new(job: F) -> Self {
        Self { state: Mutex::new(State::Waiting(job)) }
    }

    /// What the job gave, running it now if no thread has (waiting for a
    /// thread that is running it). A panic of the job is resumed here.
    pub fn into_result(self) -> T {
        // Waits for a thread still running the job.
        drop(self.state.lock().unwrap_or_else(PoisonError::into_inner));
        match self.state.into_inner().unwrap_or_else(PoisonError::into_inner) {
            State::Waiting(job) => job(),
            State::Done(made) => made,
            State::Panicked(panic) => resume_unwind(panic),
            // The lock is held while the state is `Running`, and a panic
            // of the job is caught inside it.
            State::Running => unreachable!("the job alongside ran without finishing"),
        }
    }
}

impl<F: FnOnce() -> T + Send, T: Send> WhileIdle for Alongside<F, T> {
    fn run(&self) {
        let mut state = match self.state.try_lock() {
            Ok(state) => state,
            Err(TryLockError::WouldBlock) => return,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        };
        if !matches!(*state, State::Waiting(_)) {
            return;
        }
        let State::Waiting(job) = std::mem::replace(&mut *state, State::Running) else { return };
        *state = match catch_unwind(AssertUnwindSafe(job)) {
            Ok(made) => State::Done(made),
            Err(panic) => State::Panicked(panic),
        };
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{Alongside, WhileIdle};

    #[test]
    fn the_job_runs_once_whoever_runs_it_and_its_result_is_kept() {
        let runs = AtomicUsize::new(0);
        let alongside = Alongside::new(|| runs.fetch_add(1, Ordering::SeqCst) + 41);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| alongside.run());
            }
        });
        alongside.run();
        assert_eq!(alongside.into_result(), 41);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_job_no_thread_ran_runs_when_its_result_is_asked_for() {
        let alongside = Alongside::new(|| "made");
        assert_eq!(alongside.into_result(), "made");
    }

    #[test]
    fn a_panic_of_the_job_on_a_worker_is_resumed_where_the_result_is_asked_for() {
        let alongside = Alongside::new(|| -> u8 { panic!("the job failed") });
        std::thread::scope(|scope| {
            scope.spawn(|| alongside.run());
        });
        let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| alongside.into_result()))
            .expect_err("the panic is resumed");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"the job failed"));
    }
}
