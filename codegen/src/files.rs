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
//! (the runtime it brings) for every library module. A piece only waits for
//! pieces before it in the list, which a thread has already taken, so the
//! wait always ends.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::api_listing::{self, FileListing, KnownMacros};
use crate::emit::{self, Crate, Emitted, Mentions, Module, Piece, RuntimeNeeds};
use crate::error::Diagnostic;
use crate::format;
use crate::{Files, Timings};

/// Syntax trees are walked recursively; a worker gets the main thread's
/// usual stack rather than a spawned thread's smaller one.
const STACK_SIZE: usize = 8 << 20;

/// What the workers produce: the crate's files (without `API.md`) and the
/// listing's parts of its Rust files.
pub struct Output {
    pub files: Files,
    pub listings: Vec<FileListing>,
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
}

impl Shared {
    fn named(&self) -> MutexGuard<'_, Named> {
        self.named.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `left` says no piece is left to wait for.
    fn wait_for(&self, left: impl Fn(&Named) -> usize) -> MutexGuard<'_, Named> {
        let mut named = self.named();
        while left(&named) > 0 {
            named = self.emitted.wait(named).unwrap_or_else(PoisonError::into_inner);
        }
        named
    }
}

/// Emits, formats and reads every file of the crate.
pub fn render(krate: &Crate<'_>, header: &str, timings: &mut Timings) -> Result<Output, Vec<Diagnostic>> {
    let started = Instant::now();
    let pieces = krate.modules();
    let named = Named {
        library_left: pieces.iter().filter(|piece| piece.module.names_runtime()).count(),
        operations_left: pieces.iter().filter(|piece| matches!(piece.module, Module::Operations(_))).count(),
        ..Named::default()
    };
    // The client module goes right after the library pieces it waits for,
    // so it starts as soon as they are emitted.
    let (library, others): (Vec<_>, Vec<_>) = pieces.into_iter().partition(|piece| piece.module.names_runtime());
    let mut jobs: Vec<Job<'_>> = library.into_iter().map(Job::Piece).collect();
    jobs.push(Job::Client);
    jobs.extend(others.into_iter().map(Job::Piece));

    let shared = Shared {
        next: AtomicUsize::new(0),
        named: Mutex::new(named),
        emitted: Condvar::new(),
        runtime: Mutex::new(None),
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(jobs.len()).max(1);
    let mut results: Vec<(usize, Done)> = std::thread::scope(|scope| {
        let work = || worker(krate, &jobs, &shared, header);
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().stack_size(STACK_SIZE).spawn_scoped(scope, work).ok())
            .collect();
        let mut results = work();
        for handle in handles {
            match handle.join() {
                Ok(done) => results.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    // In file order, each file's parts in order.
    results.sort_by_key(|(index, _)| jobs.get(*index).map(Job::place));
    let wall = started.elapsed();

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
    let runtime = shared.runtime.into_inner().unwrap_or_else(PoisonError::into_inner);
    let Some(runtime) = runtime else {
        return Err(vec![Diagnostic::file("internal error: the client module was not emitted; please report this")]);
    };
    for (path, text) in krate.text_files(&runtime) {
        // A runtime file copied as text may define a macro the crate's
        // types invoke; the listing expands it.
        if path.ends_with(".rs") && text.contains("macro_rules!") {
            if let Ok(tree) = syn::parse_file(&text) {
                listings.push(api_listing::read_file(krate.crate_name(), &path, tree, &KnownMacros::default()));
            }
        }
        files.insert(path, text);
    }
    let [emit_time, format_time, listing_time] = times;
    timings.stages.push(("emit (Σ threads)", emit_time));
    timings.stages.push(("format (Σ threads)", format_time));
    timings.stages.push(("API listing reads (Σ threads)", listing_time));
    timings.stages.push(("files on threads (wall)", wall));
    Ok(Output { files, listings })
}

/// Takes jobs until none are left; returns each one's result by index.
fn worker(krate: &Crate<'_>, jobs: &[Job<'_>], shared: &Shared, header: &str) -> Vec<(usize, Done)> {
    let mut results = Vec::new();
    // The runtime's macros are known before any file is read: what their
    // invocations define is listed on this thread, not when all are combined.
    let macros = KnownMacros::new(emit::macro_sources());
    loop {
        let index = shared.next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(index) else { return results };
        let mut done = Done::default();
        let started = Instant::now();
        let emitted = match job {
            Job::Piece(piece) => emit(krate, &piece.module, shared),
            Job::Client => {
                let named = shared.wait_for(|named| named.library_left);
                let mut runtime = krate.runtime(named.used.clone());
                drop(named);
                let client = krate.client(&mut runtime);
                *shared.runtime.lock().unwrap_or_else(PoisonError::into_inner) = Some(runtime);
                Some(client)
            }
        };
        done.invalid_identifiers = emit::take_invalid_identifiers();
        done.times[0] = started.elapsed();
        if let Some(Emitted { tokens, tail }) = emitted {
            let started = Instant::now();
            let (path, part) = job.place();
            let sources: Vec<(&str, &str)> = tail.iter().map(|file| (file.name, file.text())).collect();
            let formatted =
                if part == 0 { format::rust_file(path, tokens, header) } else { format::rust_file_part(path, tokens) };
            let formatted =
                formatted.and_then(|mut file| format::append_formatted(&mut file, path, &sources).map(|()| file));
            match formatted {
                Ok(mut formatted) => {
                    done.times[1] = started.elapsed();
                    let started = Instant::now();
                    if let Job::Piece(piece) = job {
                        add_listing_context(krate, &piece.module, &mut formatted.syntax);
                    }
                    done.listing = Some(api_listing::read_file(krate.crate_name(), path, formatted.syntax, &macros));
                    done.times[2] = started.elapsed();
                    done.text = Some(formatted.text);
                }
                Err(error) => done.error = Some(error),
            }
        }
        results.push((index, done));
    }
}

/// Emits a piece of the emitter's, after the pieces it is made from.
fn emit<'a>(krate: &Crate<'a>, module: &Module<'a>, shared: &Shared) -> Option<Emitted> {
    let mut mentions = match module {
        Module::Builders => shared.wait_for(|named| named.operations_left).mentions,
        _ => Mentions::default(),
    };
    if !module.names_runtime() {
        return krate.emit(module, &mut BTreeSet::new(), &mut mentions);
    }
    let operations = matches!(module, Module::Operations(_));
    let mut scan = Scan { shared, operations, used: BTreeSet::new(), mentions };
    krate.emit(module, &mut scan.used, &mut scan.mentions)
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

/// A library piece's scan for what it names: counted as done when dropped,
/// even by a panic, so that no piece waits forever.
struct Scan<'a> {
    shared: &'a Shared,
    operations: bool,
    used: BTreeSet<String>,
    mentions: Mentions,
}

impl Drop for Scan<'_> {
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
