//! `cargo xtask`: see the library for the commands.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The generator makes and drops millions of small allocations (tokens,
/// syntax nodes, strings); mimalloc serves them faster than glibc's malloc
/// (figures in README.md, "Speed").
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc through its plain entry points when they give the alignment
/// asked for: every block it hands out is aligned to a word at least. Its
/// aligned entry points, which the `mimalloc` crate calls for every
/// allocation, cost 3% of a small spec's instructions in checks. Sizes are
/// asked for as [`SizeClasses`] rounds them.
struct Mimalloc;

/// The alignment every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

const KIB: usize = 1 << 10;

/// The sizes a block over 1 KiB is rounded up to while a run is young. The
/// last is over mimalloc's largest class (512 KiB), so such a block gets a
/// page of its own wherever the arena has room, rather than a share of a
/// 4 MiB page aligned to 4 MiB, which would start a huge page of its own.
const CLASSES: [usize; 5] = [2 * KIB, 4 * KIB, 10 * KIB, 64 * KIB, 576 * KIB];

/// How much of blocks over 10 KiB is rounded up, in all, before sizes are
/// asked for exactly: about twice what a run of payouts rounds.
const ROUNDED_LIMIT: usize = 16 << 20;

/// The sizes asked of mimalloc: while a run is young, a block over 1 KiB
/// and up to 576 KiB is rounded up to one of five sizes ([`CLASSES`]).
///
/// Why: mimalloc gives each thread a page for each size class it uses (64
/// KiB for blocks up to 10 KiB, 512 KiB up to about 84 KiB, 4 MiB up to
/// 512 KiB), and its arena is backed by 2 MiB transparent huge pages, so a
/// page a class barely uses still costs a whole huge page's first touch
/// (about 0.2 ms on the microVM this was measured on, where a 4 KiB page
/// costs 3 µs). A small spec's run asks for a few MiB in all, spread over
/// as many huge pages as it has classes and threads: payouts touched 9.
/// With fewer classes it touches 4 or 5, and runs 1.2–1.9 ms faster (README,
/// "Speed"). A large spec fills its pages anyway, and fewer blocks to a
/// page only makes more pages to manage (1000 resources ran 10% slower
/// when every block was rounded), so once [`ROUNDED_LIMIT`] of blocks over
/// 10 KiB has been rounded, sizes are asked for exactly. Blocks of either
/// kind are freed and reallocated alike.
struct SizeClasses {
    rounding: AtomicBool,
    rounded: AtomicUsize,
}

static SIZE_CLASSES: SizeClasses = SizeClasses::new();

impl SizeClasses {
    const fn new() -> Self {
        SizeClasses { rounding: AtomicBool::new(true), rounded: AtomicUsize::new(0) }
    }

    /// The size to ask mimalloc for, for a block of `size` bytes.
    fn size_for(&self, size: usize) -> usize {
        if size <= KIB || !self.rounding.load(Ordering::Relaxed) {
            return size;
        }
        let Some(&class) = CLASSES.iter().find(|&&class| size <= class) else { return size };
        if class > 10 * KIB {
            let rounded = self.rounded.fetch_add(class, Ordering::Relaxed).saturating_add(class);
            if rounded > ROUNDED_LIMIT {
                self.rounding.store(false, Ordering::Relaxed);
            }
        }
        class
    }
}

// SAFETY: each method calls the mimalloc function for its job, the aligned
// one whenever the layout asks for more than a word's alignment; mimalloc
// frees and reallocates blocks from either kind of call, and of any size it
// handed out. A size is only ever rounded up, so a block holds what its
// layout asks for.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let size = SIZE_CLASSES.size_for(layout.size());
        // SAFETY: mimalloc takes any size and alignment.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_malloc(size).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(size, layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let size = SIZE_CLASSES.size_for(layout.size());
        // SAFETY: as for `alloc`.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_zalloc(size).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(size, layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        let size = SIZE_CLASSES.size_for(new_size);
        // SAFETY: `ptr` came from this allocator with `layout`'s alignment, which is kept.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_realloc(ptr.cast(), size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), size, layout.align()).cast()
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

    use super::{KIB, Mimalloc, ROUNDED_LIMIT, SizeClasses};

    #[test]
    fn a_young_run_asks_for_five_sizes_over_a_kib_and_never_less_than_the_block() {
        // A run of its own for each size, so that none is past the limit.
        let mut asked: Vec<usize> = (1..=600 * KIB).step_by(97).map(|size| SizeClasses::new().size_for(size)).collect();
        for (size, got) in (1..=600 * KIB).step_by(97).zip(&asked) {
            assert!(*got >= size, "{size} bytes asked for as {got}");
            assert!(size > KIB || *got == size, "{size} bytes are asked for exactly");
            assert!(size <= 576 * KIB || *got == size, "{size} bytes are asked for exactly");
        }
        asked.retain(|size| (KIB + 1..=576 * KIB).contains(size));
        asked.dedup();
        assert_eq!(asked, [2 * KIB, 4 * KIB, 10 * KIB, 64 * KIB, 576 * KIB]);
    }

    #[test]
    fn once_enough_has_been_rounded_sizes_are_asked_for_exactly() {
        let classes = SizeClasses::new();
        let mut rounded = 0;
        while rounded <= ROUNDED_LIMIT {
            assert_eq!(classes.size_for(20 * KIB), 64 * KIB);
            rounded += 64 * KIB;
        }
        assert_eq!(classes.size_for(20 * KIB), 20 * KIB);
        assert_eq!(classes.size_for(3 * KIB), 3 * KIB);
    }

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
