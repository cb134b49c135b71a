//! A `tracing` subscriber for tests: it records every span and event with
//! its fields as text, so tests can assert on what a client traces (and on
//! what it must never trace). Shared with the end-to-end tests, which
//! include this file.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span or an event, as recorded.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub name: &'static str,
    pub level: tracing::Level,
    /// Fields in the order they were recorded; a span's later `record`s are
    /// appended.
    pub fields: Vec<(&'static str, String)>,
    /// The span it is in (an index into [`Trace::spans`]).
    pub parent: Option<usize>,
}

impl Recorded {
    /// The last value recorded for `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().rev().find(|(field, _)| *field == name).map(|(_, value)| value.as_str())
    }
}

/// Everything recorded so far.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub spans: Vec<Recorded>,
    pub events: Vec<Recorded>,
    /// The spans entered and not yet exited, innermost last.
    entered: Vec<usize>,
    /// The id of each span in `spans`.
    ids: Vec<Id>,
}

impl Trace {
    /// The spans named `name`, in creation order.
    pub fn spans_named(&self, name: &str) -> Vec<&Recorded> {
        self.spans.iter().filter(|span| span.name == name).collect()
    }

    /// The events whose message is `message`.
    pub fn events_saying(&self, message: &str) -> Vec<&Recorded> {
        self.events.iter().filter(|event| event.field("message") == Some(message)).collect()
    }

    /// Every recorded field as `name=value`, one a line: for leak checks.
    pub fn all_text(&self) -> String {
        let mut out = String::new();
        for recorded in self.spans.iter().chain(&self.events) {
            for (name, value) in &recorded.fields {
                out.push_str(&format!("{} {name}={value}\n", recorded.name));
            }
        }
        out
    }
}

/// What one test records: everything traced on its thread while it lives.
///
/// Captures go through one global subscriber, installed by the first
/// [`Capture::start`]: with per-thread (scoped) subscribers, `tracing` may
/// cache a callsite as disabled when another test's thread meets it first.
pub struct Capture(Arc<Mutex<Trace>>);

thread_local! {
    /// The capture of the test running on this thread.
    static CURRENT: std::cell::RefCell<Option<Arc<Mutex<Trace>>>> = const { std::cell::RefCell::new(None) };
}

impl Capture {
    /// Records what this thread traces until the capture is dropped.
    pub fn start() -> Self {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        // Fails only when another global subscriber is set, which these tests never do.
        INSTALL.call_once(|| drop(tracing::subscriber::set_global_default(Router::default())));
        let trace = Arc::new(Mutex::new(Trace::default()));
        CURRENT.with(|current| *current.borrow_mut() = Some(trace.clone()));
        Self(trace)
    }

    /// A copy of everything recorded so far.
    pub fn trace(&self) -> Trace {
        lock(&self.0).clone()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        CURRENT.with(|current| *current.borrow_mut() = None);
    }
}

fn lock(trace: &Mutex<Trace>) -> MutexGuard<'_, Trace> {
    trace.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `f` on the current thread's capture, if there is one.
fn with_current<R>(f: impl FnOnce(&mut Trace) -> R) -> Option<R> {
    CURRENT.with(|current| current.borrow().as_ref().map(|trace| f(&mut lock(trace))))
}

/// Collects fields as text: strings as they are, anything else by `Debug`.
struct Fields<'a>(&'a mut Vec<(&'static str, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name(), format!("{value:?}")));
    }
}

/// The global subscriber: hands everything to the current thread's capture.
/// Span ids are unique across threads; each capture maps them to its spans.
#[derive(Default)]
struct Router {
    next_id: std::sync::atomic::AtomicU64,
}

impl Trace {
    fn position(&self, id: &Id) -> Option<usize> {
        self.ids.iter().position(|known| known == id)
    }
}

impl Subscriber for Router {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        // Whether to record depends on the thread: ask every time.
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        CURRENT.with(|current| current.borrow().is_some())
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = Id::from_u64(self.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
        with_current(|trace| {
            let mut fields = Vec::new();
            attributes.record(&mut Fields(&mut fields));
            let parent = match attributes.parent() {
                Some(parent) => trace.position(parent),
                None if attributes.is_contextual() => trace.entered.last().copied(),
                None => None,
            };
            let metadata = attributes.metadata();
            trace.spans.push(Recorded { name: metadata.name(), level: *metadata.level(), fields, parent });
            trace.ids.push(id.clone());
        });
        id
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        with_current(|trace| {
            if let Some(recorded) = trace.position(span).and_then(|index| trace.spans.get_mut(index)) {
                values.record(&mut Fields(&mut recorded.fields));
            }
        });
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        with_current(|trace| {
            let mut fields = Vec::new();
            event.record(&mut Fields(&mut fields));
            let parent = match event.parent() {
                Some(parent) => trace.position(parent),
                None if event.is_contextual() => trace.entered.last().copied(),
                None => None,
            };
            let metadata = event.metadata();
            trace.events.push(Recorded { name: metadata.name(), level: *metadata.level(), fields, parent });
        });
    }

    fn enter(&self, span: &Id) {
        with_current(|trace| {
            if let Some(index) = trace.position(span) {
                trace.entered.push(index);
            }
        });
    }

    fn exit(&self, span: &Id) {
        with_current(|trace| {
            let index = trace.position(span);
            if let Some(position) = trace.entered.iter().rposition(|entered| Some(*entered) == index) {
                trace.entered.remove(position);
            }
        });
    }
}
