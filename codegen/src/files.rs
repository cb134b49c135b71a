//! Stages 4 and 5 file by file: each Rust file (or part of a long one) is
//! emitted, formatted, read for the API listing and dropped, on as many
//! threads as the machine has.
//!
//! Tokens and syntax trees cannot cross threads, so a piece's tokens are made
//! on the thread that formats it, from the shared IR; only text and listing
//! parts (plain strings) come back. Nothing depends on which thread does
//! what: results are kept by piece and joined in file order, so the output
//! is the same on any number of threads. A piece's tokens and tree live only
//! while it is worked on, which keeps memory to a few pieces' worth whatever
//! the crate's size.
//!
//! Some pieces are made from what others name, and wait for them: the top
//! of `builders.rs` (its imports) for its operations, and the client module
//! (the runtime it brings) for every module that names the runtime (all but
//! `lib.rs`, the examples and the filter modules). A piece only waits for
//! pieces before it in the list, which a thread has already taken, so the
//! wait always ends. A piece is emitted as soon as it is taken; the last
//! few library pieces are formatted later, once the library is emitted, so
//! that the client module starts sooner.
//!
//! The helper threads start before the spec is read, so that a core is not
//! idle while it is analysed on the main thread: the first helper parses
//! the outlines of the runtime files the client module ends with (most of
//! that module's work, and the same for every spec), and makes the client
//! module later. A helper hands what it made to the main thread as soon as
//! no piece is left, and only then drops the syntax trees it still holds
//! and ends: the crate's files and `API.md` are put together meanwhile.
//!
//! A thread with nothing to do runs the caller's work alongside (see
//! [`crate::alongside`]) before it waits: a helper done with the outlines
//! before the plan is there, a worker with no piece left. A thread that
//! waits stays awake for a while first ([`spin_until`]), and a thread that
//! ends at once is started before the helpers ([`wake_an_idle_core`]): on
//! a virtual machine a core that has gone idle takes milliseconds to run a
//! thread again.

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use crate::alongside::WhileIdle;
use crate::api_listing::{self, FileListing, KnownMacros};
use crate::emit::{self, Crate, Emitted, Mentions, Module, Piece, RuntimeNeeds};
use crate::error::Diagnostic;
use crate::format::{self, Outlines};
use crate::ir::Api;
use crate::{Files, Timings};

/// At most this many threads: more would only start and wait on a small
/// spec, and a large one has about seventy pieces per thousand operations.
const MAX_THREADS: usize = 16;

/// How many library pieces are emitted ahead of being formatted, at the
/// end of the library (see [`worker`]): all of a small crate's.
const AHEAD: usize = 4;

/// Syntax trees are walked recursively; a worker gets the main thread's
/// usual stack rather than a spawned thread's smaller one.
const STACK_SIZE: usize = 8 << 20;

/// How long a worker waits awake before it sleeps: the longest wait of a
/// small spec's run (for the plan, or for the pieces a piece is made from).
const SPIN: Duration = Duration::from_millis(1);

/// Spin-loop hints between two checks of what a spinning worker waits for.
const SPIN_CHECKS_EVERY: usize = 64;

/// What the workers produce: the crate's files, `API.md` included.
pub struct Output {
    pub files: Files,
}

/// One piece of work: a piece of the emitter's, or the client module.
enum Job<'a> {
    Piece(Piece<'a>),
    Client,
}

impl Job<'_> {
    fn place(&self) -> (&str, usize) {
        match self {
            Job::Piece(piece) => (&piece.path, piece.part),
            Job::Client => ("src/client.rs", 0),
        }
    }
}

/// What a job gives back.
#[derive(Default)]
struct Done {
    text: Option<String>,
    listing: Option<FileListing>,
    error: Option<Diagnostic>,
    invalid_identifiers: Vec<String>,
    times: [Duration; 3],
}

/// What the pieces that others wait for have named so far.
#[derive(Default)]
struct Named {
    /// Runtime items the library pieces name.
    used: BTreeSet<String>,
    /// What the operations of `builders.rs` name.
    mentions: Mentions,
    /// Library pieces not yet emitted: the client module waits for none.
    library_left: usize,
    /// Operation parts not yet emitted: the top of `builders.rs` waits for none.
    operations_left: usize,
}

/// The state the workers share.
struct Shared {
    next: AtomicUsize,
    named: Mutex<Named>,
    emitted: Condvar,
    /// What the client module decided the crate needs of the runtime.
    runtime: Mutex<Option<RuntimeNeeds>>,
    /// Whether a thread has taken the client module.
    client_taken: AtomicBool,
}

impl Shared {
    fn named(&self) -> MutexGuard<'_, Named> {
        self.named.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `left` says no piece is left to wait for.
    fn wait_for(&self, left: impl Fn(&Named) -> usize) -> MutexGuard<'_, Named> {
        spin_until(|| left(&self.named()) == 0);
        let mut named = self.named();
        while left(&named) > 0 {
            named = self.emitted.wait(named).unwrap_or_else(PoisonError::into_inner);
        }
        named
    }
}

/// What the workers are given once the spec is analysed.
pub struct Input {
    pub api: Api,
    pub options: emit::Options,
    /// The first line of every emitted Rust file.
    pub header: String,
}

/// The work the threads share, made from the [`Input`].
struct Plan<'a> {
    krate: Crate<'a>,
    jobs: Vec<Job<'a>>,
    shared: Shared,
    header: &'a str,
    /// Whether a helper makes the client module, with the outlines of the
    /// runtime files it ends with parsed while the spec was read.
    client_by_helper: bool,
    /// The client module's index in `jobs`.
    client: usize,
}

/// Whether the plan is there yet, for the helpers started before it.
#[derive(Default)]
struct Start {
    state: Mutex<StartState>,
    changed: Condvar,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum StartState {
    #[default]
    Waiting,
    Ready,
    /// The spec did not make it to a plan (or the main thread panicked).
    Failed,
}

impl Start {
    fn state(&self) -> StartState {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, state: StartState) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
        self.changed.notify_all();
    }

    /// Waits until the plan is there or will not be.
    fn wait(&self) -> StartState {
        spin_until(|| self.state() != StartState::Waiting);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while *state == StartState::Waiting {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        *state
    }
}

/// Waits for `ready` awake for up to [`SPIN`] before a thread sleeps on it:
/// a core left idle for longer than the guest polls is halted, and can take
/// milliseconds to run the thread again (see [`wake_an_idle_core`]).
fn spin_until(ready: impl Fn() -> bool) {
    let started = Instant::now();
    while !ready() && started.elapsed() < SPIN {
        for _ in 0..SPIN_CHECKS_EVERY {
            std::hint::spin_loop();
        }
    }
}

/// Starts a thread that ends at once, before the helpers.
///
/// Why: a new thread is placed on an idle core when there is one, and on a
/// virtual machine a core that has been idle can take milliseconds to run
/// again (on the 2-core machine of README's "Speed", a median of 0.8 to
/// 2.6 ms, at times 5).
/// The first helper would wait that long for it; this thread waits instead,
/// and wakes the core meanwhile. The helpers, placed next to the main thread
/// while the idle core has a thread to run, start at once, and the two cores
/// are shared out as soon as the idle one is up. Where cores wake at once,
/// it costs a thread start.
fn wake_an_idle_core() {
    // Not joined: nothing waits for it, and a failure to start it is only a
    // slower start.
    let _ = std::thread::Builder::new().spawn(|| {});
}

/// Lets the helpers go unless the plan was made: on an early return or a panic.
struct Release<'a>(&'a Start);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        if self.0.state() == StartState::Waiting {
            self.0.set(StartState::Failed);
        }
    }
}

/// Emits, formats and reads every file of the crate that `analyse` makes
/// the input of. The helper threads start first: while the spec is read
/// and analysed on this thread, they parse what does not depend on it (the
/// outlines of the runtime files the client module ends with, the runtime's
/// macros), then all threads take pieces. A thread that would wait runs
/// `idle` first. An error of `analyse` is returned as it is.
pub fn render_after<E>(
    analyse: impl FnOnce(&mut Timings) -> Result<Input, E>,
    idle: &dyn WhileIdle,
    timings: &mut Timings,
) -> Result<Result<Output, Vec<Diagnostic>>, E> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_THREADS);
    let input: OnceLock<Input> = OnceLock::new();
    let plan: OnceLock<Plan<'_>> = OnceLock::new();
    let start = Start::default();
    let deliveries = Deliveries::default();
    let macros = KnownMacros::new(emit::macro_sources());
    let (start, plan, deliveries, macros) = (&start, &plan, &deliveries, &macros);
    if threads > 1 {
        wake_an_idle_core();
    }
    std::thread::scope(|scope| {
        let mut helpers = Vec::new();
        for _ in 1..threads {
            // The first helper started makes the client module: one is enough.
            let first = helpers.is_empty();
            let helper = move || {
                let delivery = Delivery { to: deliveries, results: None };
                helper(start, plan, macros, first, delivery, idle);
            };
            if let Ok(handle) = std::thread::Builder::new().stack_size(STACK_SIZE).spawn_scoped(scope, helper) {
                helpers.push(handle);
            }
        }
        let release = Release(start);
        let analysed = analyse(timings)?;
        let input = input.get_or_init(|| analysed);
        let krate = Crate::new(&input.api, &input.options);
        let plan = plan.get_or_init(|| Plan::new(krate, &input.header, !helpers.is_empty()));
        start.set(StartState::Ready);
        drop(release);
        let started = Instant::now();
        let mut results = worker(plan, &mut Outlines::default(), macros, !plan.client_by_helper);
        // Until the helpers deliver, this thread has nothing else to do.
        idle.run();
        // The crate is put together while the helpers drop what they made
        // and end; a helper that panicked has its panic resumed instead.
        let finished = deliveries.wait(helpers.len()).map(|delivered| {
            results.extend(delivered);
            finish(plan, input, results, started.elapsed(), timings)
        });
        for handle in helpers {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        match finished {
            Some(output) => Ok(output),
            // Not reached: a helper delivers nothing only when it panics.
            None => Ok(Err(vec![Diagnostic::file(
                "internal error: a helper thread ended without its results; please report this",
            )])),
        }
    })
}

impl<'a> Plan<'a> {
    fn new(krate: Crate<'a>, header: &'a str, client_by_helper: bool) -> Self {
        let pieces = krate.modules();
        let named = Named {
            library_left: pieces.iter().filter(|piece| piece.module.names_runtime()).count(),
            operations_left: pieces.iter().filter(|piece| matches!(piece.module, Module::Operations(_))).count(),
            ..Named::default()
        };
        // The client module goes right after the library pieces it waits for,
        // so it starts as soon as they are emitted.
        let (library, others): (Vec<_>, Vec<_>) = pieces.into_iter().partition(|piece| piece.module.names_runtime());
        let client = library.len();
        let mut jobs: Vec<Job<'_>> = library.into_iter().map(Job::Piece).collect();
        jobs.push(Job::Client);
        jobs.extend(others.into_iter().map(Job::Piece));
        let shared = Shared {
            next: AtomicUsize::new(0),
            named: Mutex::new(named),
            emitted: Condvar::new(),
            runtime: Mutex::new(None),
            client_taken: AtomicBool::new(false),
        };
        Plan { krate, jobs, shared, header, client_by_helper, client }
    }
}

/// What the helpers made, handed to the main thread as soon as they are
/// done with pieces, before they drop their syntax trees and end.
#[derive(Default)]
struct Deliveries {
    delivered: Mutex<Delivered>,
    changed: Condvar,
}

#[derive(Default)]
struct Delivered {
    helpers: usize,
    results: Vec<(usize, Done)>,
    /// Whether a helper delivered nothing (it panicked).
    failed: bool,
}

impl Deliveries {
    /// Waits for `helpers` deliveries: all their results, or `None` when one
    /// of them delivered nothing.
    fn wait(&self, helpers: usize) -> Option<Vec<(usize, Done)>> {
        spin_until(|| self.delivered.lock().unwrap_or_else(PoisonError::into_inner).helpers >= helpers);
        let mut delivered = self.delivered.lock().unwrap_or_else(PoisonError::into_inner);
        while delivered.helpers < helpers {
            delivered = self.changed.wait(delivered).unwrap_or_else(PoisonError::into_inner);
        }
        (!delivered.failed).then(|| std::mem::take(&mut delivered.results))
    }
}

/// One helper's delivery, made when it is dropped: what [`Delivery::results`]
/// holds then, or nothing when the helper panicked before its results were
/// in.
struct Delivery<'a> {
    to: &'a Deliveries,
    results: Option<Vec<(usize, Done)>>,
}

impl Drop for Delivery<'_> {
    fn drop(&mut self) {
        let mut delivered = self.to.delivered.lock().unwrap_or_else(PoisonError::into_inner);
        delivered.helpers += 1;
        match self.results.take() {
            Some(results) => delivered.results.extend(results),
            None => delivered.failed = true,
        }
        drop(delivered);
        self.to.changed.notify_all();
    }
}

/// A helper thread: until the plan is there, the first one parses what does
/// not depend on the spec, and any one runs `idle` rather than wait; then
/// every one takes pieces like the main thread, and the first makes the
/// client module. Its results are delivered before it runs `idle` (if no
/// thread has yet) and drops the syntax trees it still holds.
fn helper(
    start: &Start,
    plan: &OnceLock<Plan<'_>>,
    macros: &KnownMacros,
    first: bool,
    mut delivery: Delivery<'_>,
    idle: &dyn WhileIdle,
) {
    let mut outlines = Outlines::default();
    if first {
        macros.prepare();
        // The runtime files every client ends with come first. Parsing
        // stops when the plan is there; the client module parses what it
        // still needs then.
        for tail in emit::client_tails() {
            if start.state() != StartState::Waiting {
                break;
            }
            outlines.prepare(tail.name, tail.text());
        }
    }
    if start.state() == StartState::Waiting {
        idle.run();
    }
    delivery.results = Some(match (start.wait(), plan.get()) {
        (StartState::Ready, Some(plan)) => worker(plan, &mut outlines, macros, first),
        _ => Vec::new(),
    });
    drop(delivery);
    idle.run();
    // `outlines` is dropped now, after the delivery.
}

/// Takes pieces until none are left; returns each one's result by index.
/// The client module is made by the thread that `makes_client` (the first
/// helper, which holds the outlines of the runtime files it ends with, or
/// the main thread when there is no helper): as soon as every library piece
/// is emitted, in its turn, or at the latest when no other piece is left.
///
/// The client module is the longest piece of a small crate, and it waits
/// for every library piece to be emitted; so once no more than [`AHEAD`]
/// library pieces are left to take, a thread emits the ones it takes at
/// once and formats them after, and the client module starts sooner.
/// Before that, emitting ahead would only hold more tokens for longer.
fn worker(plan: &Plan<'_>, outlines: &mut Outlines, macros: &KnownMacros, makes_client: bool) -> Vec<(usize, Done)> {
    let shared = &plan.shared;
    let mut results = Vec::new();
    let mut held: VecDeque<(usize, &Job<'_>, Emitting)> = VecDeque::new();
    let client = |results: &mut Vec<(usize, Done)>, outlines: &mut Outlines| {
        if makes_client && !shared.client_taken.swap(true, Ordering::Relaxed) {
            results.push((plan.client, run(plan, &Job::Client, outlines, macros)));
        }
    };
    loop {
        if makes_client && shared.named().library_left == 0 {
            client(&mut results, outlines);
        }
        let library_left_to_take = plan.client.saturating_sub(shared.next.load(Ordering::Relaxed));
        let ahead = (1..=AHEAD).contains(&library_left_to_take) && held.len() < AHEAD;
        if !ahead {
            if let Some((index, job, emitting)) = held.pop_front() {
                results.push((index, format_emitted(plan, job, emitting, outlines, macros)));
                continue;
            }
        }
        let index = shared.next.fetch_add(1, Ordering::Relaxed);
        match plan.jobs.get(index) {
            Some(Job::Client) => client(&mut results, outlines),
            Some(job) if index < plan.client => held.push_back((index, job, emit_only(plan, job))),
            Some(job) => results.push((index, run(plan, job, outlines, macros))),
            None => break,
        }
    }
    for (index, job, emitting) in held {
        results.push((index, format_emitted(plan, job, emitting, outlines, macros)));
    }
    client(&mut results, outlines);
    results
}

/// The crate's files and listing parts from every piece's result.
fn finish(
    plan: &Plan<'_>,
    input: &Input,
    mut results: Vec<(usize, Done)>,
    wall: Duration,
    timings: &mut Timings,
) -> Result<Output, Vec<Diagnostic>> {
    let (krate, jobs) = (&plan.krate, &plan.jobs);
    // In file order, each file's parts in order.
    results.sort_by_key(|(index, _)| jobs.get(*index).map(Job::place));

    let mut files = Files::new();
    let mut listings = Vec::with_capacity(results.len());
    let mut invalid = Vec::new();
    let mut errors = Vec::new();
    let mut times = [Duration::ZERO; 3];
    for (index, done) in results {
        invalid.extend(done.invalid_identifiers);
        errors.extend(done.error);
        for (total, time) in times.iter_mut().zip(done.times) {
            *total += time;
        }
        if let (Some(text), Some(job)) = (done.text, jobs.get(index)) {
            let (path, _) = job.place();
            match files.get_mut(path) {
                Some(file) => file.push_str(&text),
                None => {
                    files.insert(path.to_owned(), text);
                }
            }
        }
        listings.extend(done.listing);
    }
    // A name the IR check let through but quote! could not use: loud, not placeholder code.
    if !invalid.is_empty() {
        return Err(vec![Diagnostic::file(format!(
            "internal error: the generator produced invalid identifiers ({}); please report this with the spec",
            invalid.join(", ")
        ))]);
    }
    if let Some(error) = errors.into_iter().next() {
        return Err(vec![error]);
    }
    let runtime = plan.shared.runtime.lock().unwrap_or_else(PoisonError::into_inner).take();
    let Some(runtime) = runtime else {
        return Err(vec![Diagnostic::file("internal error: the client module was not emitted; please report this")]);
    };
    // The runtime files copied as text are private modules: they add no
    // line to the listing, and what their macros define where the crate
    // invokes them was expanded on the workers (`KnownMacros`).
    files.extend(krate.text_files(&runtime));
    let [emit_time, format_time, listing_time] = times;
    timings.stages.push(("emit (Σ threads)", emit_time));
    timings.stages.push(("format (Σ threads)", format_time));
    timings.stages.push(("API listing reads (Σ threads)", listing_time));
    timings.stages.push(("files on threads (wall)", wall));
    // The API listing is read from the trees just printed, so it matches the code.
    let listing = timings.time("API listing (combine, render)", || {
        let lines = api_listing::combine(listings);
        let options = &input.options;
        api_listing::render_lines(&options.crate_name, &options.command, lines.iter().map(String::as_str).collect())
    });
    files.insert(api_listing::FILE_NAME.to_owned(), listing);
    Ok(Output { files })
}

/// Emits, formats and reads one piece.
fn run(plan: &Plan<'_>, job: &Job<'_>, outlines: &mut Outlines, macros: &KnownMacros) -> Done {
    format_emitted(plan, job, emit_only(plan, job), outlines, macros)
}

/// A piece emitted and not yet formatted: its tokens (none when it failed
/// or the crate has no such file), and what is known of it so far.
struct Emitting {
    done: Done,
    emitted: Option<Emitted>,
}

/// Emits one piece, after the pieces it is made from.
fn emit_only(plan: &Plan<'_>, job: &Job<'_>) -> Emitting {
    let (krate, shared) = (&plan.krate, &plan.shared);
    let mut done = Done::default();
    let started = Instant::now();
    let emitted = match job {
        Job::Piece(piece) => match emit(krate, piece, shared) {
            Ok(emitted) => emitted,
            Err(error) => {
                done.error = Some(error);
                None
            }
        },
        Job::Client => {
            let named = shared.wait_for(|named| named.library_left);
            let mut runtime = krate.runtime(named.used.clone());
            drop(named);
            let client = krate.client(&mut runtime);
            *shared.runtime.lock().unwrap_or_else(PoisonError::into_inner) = Some(runtime);
            match client {
                Ok(client) => Some(client),
                Err(wrong) => {
                    done.error = Some(internal_naming_error("src/client.rs", &wrong));
                    None
                }
            }
        }
    };
    done.invalid_identifiers = emit::take_invalid_identifiers();
    done.times[0] = started.elapsed();
    Emitting { done, emitted }
}

/// Formats an emitted piece and reads its part of the listing.
fn format_emitted(
    plan: &Plan<'_>,
    job: &Job<'_>,
    emitting: Emitting,
    outlines: &mut Outlines,
    macros: &KnownMacros,
) -> Done {
    let Emitting { mut done, emitted } = emitting;
    let krate = &plan.krate;
    let Some(Emitted { tokens, tail }) = emitted else { return done };
    let started = Instant::now();
    let (path, part) = job.place();
    let sources: Vec<(&str, &str)> = tail.iter().map(|file| (file.name, file.text())).collect();
    let formatted =
        if part == 0 { format::rust_file(path, tokens, plan.header) } else { format::rust_file_part(path, tokens) };
    let formatted =
        formatted.and_then(|mut file| format::append_formatted(&mut file, path, &sources, outlines).map(|()| file));
    match formatted {
        Ok(mut formatted) => {
            done.times[1] = started.elapsed();
            let started = Instant::now();
            if let Job::Piece(piece) = job {
                add_listing_context(krate, &piece.module, &mut formatted.syntax);
            }
            done.listing = Some(api_listing::read_file(krate.crate_name(), path, formatted.syntax, macros));
            done.times[2] = started.elapsed();
            done.text = Some(formatted.text);
        }
        Err(error) => done.error = Some(error),
    }
    done
}

/// Emits a piece of the emitter's, after the pieces it is made from. What
/// the emitters noted of the runtime not matching what the piece names (a
/// generator bug) is an internal error: the client module would not bring
/// what it names, or would bring what nothing uses.
fn emit<'a>(krate: &Crate<'a>, piece: &Piece<'a>, shared: &Shared) -> Result<Option<Emitted>, Diagnostic> {
    let module = &piece.module;
    let mut mentions = match module {
        Module::Builders => shared.wait_for(|named| named.operations_left).mentions,
        _ => Mentions::default(),
    };
    let emitted = if module.names_runtime() {
        let operations = matches!(module, Module::Operations(_));
        let mut names = PieceNames { shared, operations, used: BTreeSet::new(), mentions };
        krate.emit(module, &mut names.used, &mut names.mentions)
    } else {
        krate.emit(module, &mut BTreeSet::new(), &mut mentions)
    };
    emitted.map_err(|wrong| internal_naming_error(&piece.path, &wrong))
}

fn internal_naming_error(path: &str, wrong: &str) -> Diagnostic {
    Diagnostic::file(format!(
        "internal error: the runtime items {path} names are not those its emitter noted ({wrong}); please report this with the spec"
    ))
}

/// The imports at a file's top, before the items of a later part of it.
fn add_listing_context(krate: &Crate<'_>, module: &Module<'_>, syntax: &mut syn::File) {
    let Some(context) = krate.listing_context(module) else { return };
    // The context is the emitter's own `use` lines; were it not to parse,
    // the part's paths would only be read less fully.
    if let Ok(context) = syn::parse2::<syn::File>(context) {
        syntax.items.splice(0..0, context.items);
    }
}

/// What a library piece names: shared, and the piece counted as emitted,
/// when it is dropped, even by a panic, so that no piece waits forever.
struct PieceNames<'a> {
    shared: &'a Shared,
    operations: bool,
    used: BTreeSet<String>,
    mentions: Mentions,
}

impl Drop for PieceNames<'_> {
    fn drop(&mut self) {
        let mut named = self.shared.named();
        named.used.append(&mut self.used);
        named.library_left = named.library_left.saturating_sub(1);
        if self.operations {
            named.mentions.add(self.mentions);
            named.operations_left = named.operations_left.saturating_sub(1);
        }
        drop(named);
        self.shared.emitted.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::{Deliveries, Delivery, Done};

    fn deliver(to: &Deliveries, indices: &[usize]) {
        let mut delivery = Delivery { to, results: None };
        delivery.results = Some(indices.iter().map(|index| (*index, Done::default())).collect());
    }

    #[test]
    fn the_main_thread_gets_every_helpers_results_whenever_they_deliver() {
        let deliveries = Deliveries::default();
        deliver(&deliveries, &[3, 1]);
        let mut got: Vec<usize> = std::thread::scope(|scope| {
            scope.spawn(|| deliver(&deliveries, &[2]));
            deliveries.wait(2).unwrap_or_default().into_iter().map(|(index, _)| index).collect()
        });
        got.sort_unstable();
        assert_eq!(got, [1, 2, 3]);
    }

    #[test]
    fn a_helper_that_panics_delivers_nothing_and_its_panic_is_still_there_to_resume() {
        let deliveries = Deliveries::default();
        let (got, joined) = std::thread::scope(|scope| {
            let helper = scope.spawn(|| {
                let _delivery = Delivery { to: &deliveries, results: None };
                panic!("a helper's bug");
            });
            deliver(&deliveries, &[1]);
            (deliveries.wait(2).map(|results| results.len()), helper.join())
        });
        assert_eq!(got, None);
        assert!(joined.is_err());
    }
}
