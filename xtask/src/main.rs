//! `cargo xtask`: see the library for the commands.

use std::process::ExitCode;

/// The generator makes and drops millions of small allocations (tokens,
/// syntax nodes, strings); mimalloc serves them faster than glibc's malloc
/// and keeps less memory (figures in README.md, "Speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let code = xtask::run(std::env::args_os().skip(1), &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
