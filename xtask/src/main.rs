//! `cargo xtask`: see the library for the commands.

use std::process::ExitCode;

/// The generator makes and drops millions of small allocations (tokens,
/// syntax nodes, strings); mimalloc serves them faster than glibc's malloc
/// (figures in README.md, "Speed").
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc through its plain entry points when they give the alignment
/// asked for: every block it hands out is aligned to a word at least. Its
/// aligned entry points, which the `mimalloc` crate calls for every
/// allocation, cost 3% of a small spec's instructions in checks.
struct Mimalloc;

/// The alignment every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each method calls the mimalloc function for its job, the aligned
// one whenever the layout asks for more than a word's alignment; mimalloc
// frees and reallocates blocks from either kind of call.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: mimalloc takes any size and alignment.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`'s alignment, which is kept.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

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
    let code = xtask::run(std::env::args_os().skip(1), &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::Mimalloc;

    #[test]
    fn every_block_has_the_alignment_asked_for_through_a_reallocation() {
        for size in (1..=1024).chain([4000, 70_000, 1 << 20]) {
            for align in [1, 2, 4, 8, 16, 64, 4096] {
                let Ok(layout) = Layout::from_size_align(size, align) else { continue };
                // SAFETY: the layout has a non-zero size; each block is freed once, with its layout.
                unsafe {
                    let block = Mimalloc.alloc(layout);
                    assert!(!block.is_null() && block as usize % align == 0, "{size} bytes aligned to {align}");
                    block.write_bytes(7, size);
                    let grown = Mimalloc.realloc(block, layout, size * 3);
                    assert!(!grown.is_null() && grown as usize % align == 0, "{size} bytes aligned to {align}, grown");
                    assert_eq!(grown.add(size - 1).read(), 7, "a reallocation keeps the bytes");
                    Mimalloc.dealloc(grown, Layout::from_size_align_unchecked(size * 3, align));
                    let zeroed = Mimalloc.alloc_zeroed(layout);
                    assert!(!zeroed.is_null() && zeroed as usize % align == 0 && zeroed.add(size - 1).read() == 0);
                    Mimalloc.dealloc(zeroed, layout);
                }
            }
        }
    }
}
