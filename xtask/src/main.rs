//! `cargo xtask`: see the library for the commands.

use std::process::ExitCode;

use xtask::allocator::{Allocator, REGION_SIZE};

/// The generator makes and drops millions of small allocations (tokens,
/// syntax nodes, strings), on which glibc's malloc spent about a third of
/// the time. A run heap packed into huge pages serves them until a run has
/// used 16 MiB, mimalloc after that (`xtask::allocator`; figures in
/// README.md, "Speed").
#[global_allocator]
static ALLOCATOR: Allocator = Allocator::new(REGION_SIZE);

/// `mi_option_purge_delay` in mimalloc.h (v3), and its default there.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;

fn main() -> ExitCode {
    // A run is short, and its memory is freed and used again all the time:
    // returning freed memory to the system only to fault it in again cost a
    // tenth of a large spec's time (README, "Speed"). The option is left
    // alone when it is not at its documented default (set by
    // MIMALLOC_PURGE_DELAY, or numbered otherwise by another mimalloc).
    // SAFETY: mimalloc's option calls take any option number and value.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
    // glibc's malloc serves only the C library's own few blocks, but the
    // standard library's thread start asks it for one on every new thread
    // (`pthread_getattr_np`), and glibc then gives that thread an arena of
    // its own: 128 MiB of address space, mapped in part, before the thread
    // reaches its first task. One arena for all threads spares the helpers
    // that (README, "Speed").
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tunable of glibc's malloc, and no other
    // thread exists yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
    let code = xtask::run(std::env::args_os().skip(1), &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
