//! Stages 4 and 5 file by file: each Rust file is emitted, formatted, read
//! for the API listing and dropped, on as many threads as the machine has.
//!
//! Tokens and syntax trees cannot cross threads, so a file's tokens are made
//! on the thread that formats it, from the shared IR; only text and listing
//! parts (plain strings) come back. Nothing depends on which thread does
//! what: results are kept by file, so the output is the same on any number
//! of threads. A file's tokens and tree live only while it is worked on,
//! which keeps memory to a few files' worth whatever the crate's size.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::api_listing::{self, FileListing};
use crate::emit::{self, Crate, Emitted, Module, RuntimeNeeds};
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

/// One Rust file's work: the emitter's module, or the client module.
enum Job<'a> {
    Module(Module<'a>),
    Client,
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

/// The state the workers share.
struct Shared {
    next: AtomicUsize,
    /// Runtime items the library modules name, and how many modules are
    /// still to be scanned: the client module waits for all of them.
    used: Mutex<(BTreeSet<String>, usize)>,
    scanned: Condvar,
    /// What the client module decided the crate needs of the runtime.
    runtime: Mutex<Option<RuntimeNeeds>>,
}

/// Emits, formats and reads every file of the crate.
pub fn render(krate: &Crate<'_>, header: &str, timings: &mut Timings) -> Result<Output, Vec<Diagnostic>> {
    let started = Instant::now();
    let modules = krate.modules();
    let scans = modules.iter().filter(|(_, module)| module.names_runtime()).count();
    // The client module goes right after the modules it waits for, so it
    // starts as soon as they are emitted.
    let mut jobs: Vec<(String, Job<'_>)> = Vec::with_capacity(modules.len() + 1);
    let (library, others): (Vec<_>, Vec<_>) = modules.into_iter().partition(|(_, module)| module.names_runtime());
    jobs.extend(library.into_iter().map(|(path, module)| (path, Job::Module(module))));
    jobs.push(("src/client.rs".to_owned(), Job::Client));
    jobs.extend(others.into_iter().map(|(path, module)| (path, Job::Module(module))));

    let shared = Shared {
        next: AtomicUsize::new(0),
        used: Mutex::new((BTreeSet::new(), scans)),
        scanned: Condvar::new(),
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
    results.sort_by_key(|(index, _)| *index);
    let wall = started.elapsed();

    let mut files = Files::new();
    let mut listings = Vec::with_capacity(results.len());
    let mut invalid = Vec::new();
    let mut errors = Vec::new();
    let mut times = [Duration::ZERO; 3];
    for ((path, _), (_, done)) in jobs.iter().zip(results) {
        invalid.extend(done.invalid_identifiers);
        errors.extend(done.error);
        for (total, time) in times.iter_mut().zip(done.times) {
            *total += time;
        }
        if let Some(text) = done.text {
            files.insert(path.clone(), text);
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
                listings.push(api_listing::read_file(krate.crate_name(), &path, tree));
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
fn worker(krate: &Crate<'_>, jobs: &[(String, Job<'_>)], shared: &Shared, header: &str) -> Vec<(usize, Done)> {
    let mut results = Vec::new();
    loop {
        let index = shared.next.fetch_add(1, Ordering::Relaxed);
        let Some((path, job)) = jobs.get(index) else { return results };
        let mut done = Done::default();
        let started = Instant::now();
        let tokens = match job {
            Job::Module(module) if module.names_runtime() => {
                let mut scan = Scan { shared, used: BTreeSet::new() };
                krate.emit(module, &mut scan.used)
            }
            Job::Module(module) => krate.emit(module, &mut BTreeSet::new()),
            Job::Client => {
                let mut state = shared.used.lock().unwrap_or_else(PoisonError::into_inner);
                while state.1 > 0 {
                    state = shared.scanned.wait(state).unwrap_or_else(PoisonError::into_inner);
                }
                let mut runtime = krate.runtime(state.0.clone());
                drop(state);
                let client = krate.client(&mut runtime);
                *shared.runtime.lock().unwrap_or_else(PoisonError::into_inner) = Some(runtime);
                Some(client)
            }
        };
        done.invalid_identifiers = emit::take_invalid_identifiers();
        done.times[0] = started.elapsed();
        if let Some(Emitted { tokens, tail }) = tokens {
            let started = Instant::now();
            let sources: Vec<(&str, &str)> = tail.iter().map(|file| (file.name, file.text())).collect();
            let formatted = format::rust_file(path, tokens, header)
                .and_then(|mut file| format::append_formatted(&mut file, path, &sources).map(|()| file));
            match formatted {
                Ok(formatted) => {
                    done.times[1] = started.elapsed();
                    let started = Instant::now();
                    done.listing = Some(api_listing::read_file(krate.crate_name(), path, formatted.syntax));
                    done.times[2] = started.elapsed();
                    done.text = Some(formatted.text);
                }
                Err(error) => done.error = Some(error),
            }
        }
        results.push((index, done));
    }
}

/// A library module's scan for runtime items: counted as done when dropped,
/// even by a panic, so that the client module never waits forever.
struct Scan<'a> {
    shared: &'a Shared,
    used: BTreeSet<String>,
}

impl Drop for Scan<'_> {
    fn drop(&mut self) {
        let mut state = self.shared.used.lock().unwrap_or_else(PoisonError::into_inner);
        state.0.append(&mut self.used);
        state.1 = state.1.saturating_sub(1);
        if state.1 == 0 {
            self.shared.scanned.notify_all();
        }
    }
}
