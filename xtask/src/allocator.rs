//! The `xtask` binary's global allocator: a small heap packed into one
//! region of transparent huge pages until a run has used 16 MiB, mimalloc
//! after that.
//!
//! Why: on the microVM the speed figures come from, a page's first touch is
//! the dearest thing a short run does (a 4 KiB page costs about 3 µs, a 2 MiB
//! huge page about 0.2 ms, zeroing included). mimalloc backs its arena with
//! huge pages, but gives each thread a 64 KiB page for each size class it
//! uses, and its arena starts with a huge page of bookkeeping: a run of the
//! payouts spec, whose live blocks never exceed 1.2 MB, touched 4 or 5 huge
//! pages. The run heap bumps blocks of every class out of the same 64 KiB
//! chunks of one region, whichever thread asks, so that run touches 2, and
//! ends 0.7 ms sooner (README, "Speed").
//!
//! How the run heap works:
//! - **Classes.** A block's size is rounded up to its class: multiples of 16
//!   bytes up to 128, then four classes to each doubling up to 1 MiB. Larger
//!   blocks, and layouts aligned to more than 16 bytes, go to mimalloc.
//! - **Bumping.** A thread takes 64 KiB chunks of the region and bumps blocks
//!   of up to 16 KiB out of its current chunk; a larger block is taken from
//!   the region on its own. Memory bumped for the first time is still the
//!   system's zeroed memory, so a zeroed block from it needs no writes.
//! - **Free lists.** A freed block goes on the freeing thread's list for its
//!   class (Rust tells its size on every free), and that thread's next block
//!   of the class is the list's first. Nothing is shared but the region's
//!   cursor, so no lock is taken. A thread's lists are dropped when it ends.
//! - **Reallocation** keeps a block that its class still fits or that
//!   shrinks by up to half, and grows the block its thread bumped last in
//!   place; otherwise it copies.
//! - **Closing.** A spec large enough to use the whole region closes the run
//!   heap: from then on mimalloc, which hands memory from class to class and
//!   from thread to thread, serves every new block, and the run heap's blocks
//!   are left unused when they are freed. What a run strands so is bounded
//!   by the region's size.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The size of the run heap's region: payouts uses about 3.5 MiB of it, and
/// the nexus spec (436 KB of JSON) fills it. A spec that fills it strands at
/// most this much, which kept the peak memory of 1000 resources within 20
/// MiB of mimalloc's alone (README, "Speed").
pub const REGION_SIZE: usize = 16 << 20;

/// What every run-heap block is aligned to, and its sizes a multiple of.
const BLOCK_ALIGN: usize = 16;

/// The largest block the run heap serves.
const MAX_BLOCK: usize = 1 << 20;

/// The chunk a thread bumps its blocks out of.
const CHUNK: usize = 64 << 10;

/// The largest block bumped out of a chunk; a larger one is taken from the
/// region on its own, so that a chunk wastes at most this much at its end.
const MAX_CHUNKED: usize = 16 << 10;

/// How many classes there are: 8 up to 128 bytes, 4 for each of the 13
/// doublings from 128 bytes to [`MAX_BLOCK`].
const CLASSES: usize = 8 + 4 * 13;

/// How many free lists a thread has: the classes, rounded up to a power of
/// two so that indexing a list by class needs no bounds check.
const LISTS: usize = CLASSES.next_power_of_two();

/// The transparent huge page size the region is aligned to.
const HUGE_PAGE: usize = 2 << 20;

/// `base` before the region is reserved, and after reserving it failed.
const UNRESERVED: usize = 0;
const NO_REGION: usize = 1;

/// The global allocator of the `xtask` binary (see the module's docs).
pub struct Allocator {
    heap: RunHeap,
}

impl Allocator {
    /// An allocator whose run heap has a region of `region_size` bytes,
    /// reserved at its first allocation. Each thread's part of the heap is
    /// tied to the allocator's address, so an allocator stays where it is
    /// for as long as the program runs: a `static`, or leaked.
    pub const fn new(region_size: usize) -> Self {
        Allocator {
            heap: RunHeap {
                size: region_size,
                base: AtomicUsize::new(UNRESERVED),
                used: AtomicUsize::new(0),
                closed: AtomicBool::new(false),
            },
        }
    }

    /// How much of the region has been handed out to threads.
    pub fn region_used(&self) -> usize {
        self.heap.used.load(Ordering::Relaxed).min(self.heap.size)
    }

    /// Whether `ptr` is a block of the run heap (rather than mimalloc's).
    pub fn in_region(&self, ptr: *const u8) -> bool {
        self.heap.owns(ptr)
    }
}

// SAFETY: a block comes from the run heap only when its layout fits a class
// (size up to `MAX_BLOCK`, alignment up to `BLOCK_ALIGN`); every other block
// comes from mimalloc, the aligned entry point whenever the layout asks for
// more than a word's alignment. A block is freed or reallocated by whichever
// of the two its address says it came from. Run-heap blocks are handed out
// once at a time: a block is either bumped from memory never handed out
// before, or popped off the free list it was put on when it was freed.
unsafe impl GlobalAlloc for Allocator {
    // The checks that choose between the two heaps are inlined; each heap's
    // own work is a call, so that a block from mimalloc costs only those
    // checks more than before (the whole run heap inlined at every
    // allocation made the program a third larger).
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.allocate(layout, false)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.allocate(layout, true)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if self.heap.owns(ptr) {
            // SAFETY: the caller hands back a block of this allocator with
            // its layout, and this one is the run heap's.
            unsafe { self.heap.free(ptr, layout.size()) }
        } else {
            // SAFETY: a block outside the region came from mimalloc.
            unsafe { mimalloc::free(ptr) }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if self.heap.owns(ptr) {
            // SAFETY: the block is the run heap's, with `layout`.
            unsafe { self.realloc_run_heap_block(ptr, layout, new_size) }
        } else {
            // SAFETY: a block outside the region came from mimalloc with
            // `layout`'s alignment.
            unsafe { mimalloc::realloc(ptr, layout, new_size) }
        }
    }
}

impl Allocator {
    /// A block for `layout`, zeroed when asked: from the run heap while it
    /// is open and the layout fits a class, else from mimalloc.
    #[inline]
    fn allocate(&self, layout: Layout, zeroed: bool) -> *mut u8 {
        if fits_run_heap(layout) && self.heap.is_open() {
            self.heap.alloc_or_mimalloc(layout, zeroed)
        } else {
            // SAFETY: mimalloc takes any size and alignment.
            unsafe { mimalloc::alloc(layout, zeroed) }
        }
    }

    /// Reallocates a block of the run heap: where it is when it can, else
    /// into a new block from either heap.
    ///
    /// # Safety
    /// As [`GlobalAlloc::realloc`], for a block of the run heap.
    #[inline(never)]
    unsafe fn realloc_run_heap_block(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the block is the run heap's, of `layout.size()` bytes.
        if unsafe { self.heap.resize_in_place(ptr, layout.size(), new_size) } {
            return ptr;
        }
        // SAFETY: the caller guarantees that `new_size`, rounded up to the
        // alignment, does not overflow.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `new_size` is not zero (the caller's guarantee).
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            // SAFETY: both blocks hold at least the smaller size, and a new
            // block never overlaps one still handed out; the old block is
            // freed once, after the copy.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.heap.free(ptr, layout.size());
            }
        }
        moved
    }
}

/// Whether a layout is served by the run heap (when it has room).
#[inline]
fn fits_run_heap(layout: Layout) -> bool {
    layout.size() <= MAX_BLOCK && layout.align() <= BLOCK_ALIGN
}

/// The class of a block of `size` bytes (1 to [`MAX_BLOCK`]), and the size
/// every block of that class has.
#[inline]
fn class_of(size: usize) -> (usize, usize) {
    if size <= 128 {
        let sixteenths = size.div_ceil(16).max(1);
        return (sixteenths - 1, sixteenths * 16);
    }
    // `size - 1` lies in [2^k, 2^(k+1)), k >= 7: its two bits below the top
    // one pick a quarter of that doubling.
    let k = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize;
    let quarter = ((size - 1) >> (k - 2)) & 3;
    (8 + (k - 7) * 4 + quarter, (5 + quarter) << (k - 2))
}

/// The run heap: the region and how much of it has been handed out.
struct RunHeap {
    size: usize,
    /// The region's start, or [`UNRESERVED`] or [`NO_REGION`].
    base: AtomicUsize,
    /// Bytes handed out to threads, from the start of the region (may run
    /// past `size`: only what lies inside was handed out).
    used: AtomicUsize,
    /// Set once the region has no room for a chunk (or none could be
    /// reserved). From then on mimalloc serves every new block, and the
    /// run heap's blocks are left where they are when freed: reusing them
    /// instead, spread over the whole region as they are by then, cost 100
    /// resources 1.3% more instructions, and saved little memory.
    closed: AtomicBool,
}

/// A thread's part of the run heap: its free lists and its current chunk.
struct Local {
    /// The heap these belong to (its address), so that the lists of one
    /// heap are never used for another's blocks (tests make their own).
    heap: usize,
    /// Each class's free list, through the blocks' first words; indexed
    /// modulo [`LISTS`], which the classes fit in.
    free: [*mut u8; LISTS],
    /// The current chunk's next free byte and its end (addresses).
    next: usize,
    end: usize,
}

impl Local {
    /// Makes these the lists of `heap`, the first time this thread uses it:
    /// another heap's lists (a test's) are dropped, not mixed.
    #[cold]
    #[inline(never)]
    fn adopt(&mut self, heap: usize) {
        *self = Local { heap, free: [null_mut(); LISTS], next: 0, end: 0 };
    }

    /// Puts `block` first on the list of `class`.
    ///
    /// # Safety
    /// `block` is a free block of the class, of this thread's heap.
    #[inline]
    unsafe fn push(&mut self, class: usize, block: *mut u8) {
        let list = &mut self.free[class & (LISTS - 1)];
        // SAFETY: the block is free from now on, and a block is at least 16
        // bytes aligned to 16.
        unsafe { block.cast::<*mut u8>().write(*list) };
        *list = block;
    }
}

thread_local! {
    // A constant start and no destructor: reading it is a plain
    // thread-local access that never allocates, as an allocator needs.
    static LOCAL: UnsafeCell<Local> =
        const { UnsafeCell::new(Local { heap: 0, free: [null_mut(); LISTS], next: 0, end: 0 }) };
}

impl RunHeap {
    /// The region's start, reserving it on the first call; `None` when there
    /// is none (reserving it failed, or this system has no such thing).
    fn base(&self) -> Option<usize> {
        let mut base = self.base.load(Ordering::Acquire);
        if base == UNRESERVED {
            let reserved = region::reserve(self.size, HUGE_PAGE).unwrap_or(NO_REGION);
            base = match self.base.compare_exchange(UNRESERVED, reserved, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => reserved,
                Err(first) => {
                    region::release(reserved, self.size);
                    first
                }
            };
        }
        (base != NO_REGION).then_some(base)
    }

    #[inline]
    fn owns(&self, ptr: *const u8) -> bool {
        let base = self.base.load(Ordering::Relaxed);
        base > NO_REGION && (ptr as usize).wrapping_sub(base) < self.size
    }

    /// Whether the run heap still serves new blocks.
    #[inline]
    fn is_open(&self) -> bool {
        !self.closed.load(Ordering::Relaxed)
    }

    /// `bytes` more of the region; `None`, and the heap closed, once the
    /// region has no room for them.
    fn take(&self, bytes: usize) -> Option<usize> {
        let Some(base) = self.base() else {
            self.closed.store(true, Ordering::Relaxed);
            return None;
        };
        let offset = self.used.fetch_add(bytes, Ordering::Relaxed);
        if offset + bytes > self.size {
            self.closed.store(true, Ordering::Relaxed);
            return None;
        }
        Some(base + offset)
    }

    /// Runs `f` on this thread's part of this heap; `None` when the thread
    /// has not used this heap yet, or while its locals are torn down.
    ///
    /// The hot paths below use only this, and hand everything else to a
    /// cold function in a tail call: with nothing to keep across a call,
    /// they save no registers.
    #[inline]
    fn with_own_local<R>(&self, f: impl FnOnce(&mut Local) -> R) -> Option<R> {
        let heap = self as *const RunHeap as usize;
        LOCAL
            .try_with(|local| {
                // SAFETY: only this thread reaches its `Local`, and nothing
                // `f` does re-enters the allocator.
                let local = unsafe { &mut *local.get() };
                (local.heap == heap).then(|| f(local))
            })
            .ok()
            .flatten()
    }

    /// As [`RunHeap::with_own_local`], making the thread's lists this
    /// heap's first if they are not yet.
    #[inline]
    fn with_local<R>(&self, f: impl FnOnce(&mut Local) -> R) -> Option<R> {
        let heap = self as *const RunHeap as usize;
        LOCAL
            .try_with(|local| {
                // SAFETY: as in `with_own_local`.
                let local = unsafe { &mut *local.get() };
                if local.heap != heap {
                    local.adopt(heap);
                }
                f(local)
            })
            .ok()
    }

    /// A block for `layout` (which fits a class): from this thread's free
    /// list or chunk, else from the region, else from mimalloc.
    #[inline(never)]
    fn alloc_or_mimalloc(&self, layout: Layout, zeroed: bool) -> *mut u8 {
        let (class, block_size) = class_of(layout.size());
        let found = self.with_own_local(|local| {
            let list = &mut local.free[class & (LISTS - 1)];
            let head = *list;
            if !head.is_null() {
                // SAFETY: a listed block is free, at least a word long and
                // aligned to 16, and holds the next one's address.
                *list = unsafe { head.cast::<*mut u8>().read() };
                return (head, true);
            }
            if block_size <= local.end - local.next {
                let block = local.next;
                local.next += block_size;
                return (block as *mut u8, false);
            }
            (null_mut(), false)
        });
        match found {
            Some((block, reused)) if !block.is_null() => {
                if zeroed && reused {
                    // SAFETY: the block holds at least `layout.size()` bytes.
                    unsafe { block.write_bytes(0, layout.size()) };
                }
                block
            }
            _ => self.alloc_slow(layout, zeroed),
        }
    }

    /// A block for `layout` when this thread's list and chunk have none:
    /// from the region (memory never handed out, so zeroed already), else
    /// from mimalloc.
    #[cold]
    #[inline(never)]
    fn alloc_slow(&self, layout: Layout, zeroed: bool) -> *mut u8 {
        let (_, block_size) = class_of(layout.size());
        let block = self.with_local(|local| self.refill(local, block_size)).unwrap_or(null_mut());
        if !block.is_null() {
            return block;
        }
        // SAFETY: mimalloc takes any size and alignment.
        unsafe { mimalloc::alloc(layout, zeroed) }
    }

    /// A block of `block_size` bytes taken from the region: on its own when
    /// it is large, else from a new chunk, which becomes the thread's
    /// current one. Null once the region has no room.
    fn refill(&self, local: &mut Local, block_size: usize) -> *mut u8 {
        if block_size > MAX_CHUNKED {
            return self.take(block_size).map_or(null_mut(), |block| block as *mut u8);
        }
        let Some(chunk) = self.take(CHUNK) else { return null_mut() };
        local.next = chunk + block_size;
        local.end = chunk + CHUNK;
        chunk as *mut u8
    }

    /// Puts a block of `size` bytes on this thread's free list for its
    /// class, or leaves it unused once the heap is closed.
    ///
    /// # Safety
    /// `ptr` is a block of this heap, handed out for `size` bytes (or
    /// reallocated to them) and not freed since.
    #[inline(never)]
    unsafe fn free(&self, ptr: *mut u8, size: usize) {
        if !self.is_open() {
            return;
        }
        let (class, _) = class_of(size);
        // SAFETY: the caller's guarantee.
        let pushed = self.with_own_local(|local| unsafe { local.push(class, ptr) });
        if pushed.is_none() {
            // SAFETY: the caller's guarantee.
            unsafe { self.free_slow(ptr, class) }
        }
    }

    /// [`RunHeap::free`] on a thread that has not used this heap yet.
    ///
    /// # Safety
    /// As for [`RunHeap::free`].
    #[cold]
    #[inline(never)]
    unsafe fn free_slow(&self, ptr: *mut u8, class: usize) {
        // While the thread is being torn down, the block is left unused.
        // SAFETY: the caller's guarantee.
        self.with_local(|local| unsafe { local.push(class, ptr) });
    }

    /// Whether the block at `ptr`, of `old_size` bytes, can hold `new_size`
    /// where it is: its class still fits, it shrinks by up to half, or it is
    /// the block this thread bumped last and its chunk has room to grow it.
    ///
    /// # Safety
    /// As for [`RunHeap::free`], with `old_size`.
    #[inline]
    unsafe fn resize_in_place(&self, ptr: *mut u8, old_size: usize, new_size: usize) -> bool {
        if new_size > MAX_BLOCK {
            return false;
        }
        let (old_class, old_block) = class_of(old_size);
        let (new_class, new_block) = class_of(new_size);
        // A block that shrinks by up to half stays where it is, and is
        // listed in its new, smaller class when freed (as `Box<str>` and
        // `shrink_to_fit` shrink, so that an identifier is not copied twice).
        if old_class == new_class || (new_class < old_class && new_size * 2 >= old_block) {
            return true;
        }
        // Only growth moves the bump pointer, which never goes back: memory
        // past it is still the system's zeroed memory.
        new_class > old_class
            && self.is_open()
            && self
                .with_own_local(|local| {
                    let start = ptr as usize;
                    let grows = start + old_block == local.next && new_block <= local.end - start;
                    if grows {
                        local.next = start + new_block;
                    }
                    grows
                })
                .unwrap_or(false)
    }
}

/// Reserving the region: address space only, backed by the system as it is
/// touched, in transparent huge pages where the system has them.
#[cfg(unix)]
mod region {
    /// Reserves `size` bytes aligned to `align`; the address, or `None`.
    pub(super) fn reserve(size: usize, align: usize) -> Option<usize> {
        let length = size.checked_add(align)?;
        // SAFETY: an anonymous private mapping at an address of the
        // system's choosing touches no existing memory.
        let mapped = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                length,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if mapped == libc::MAP_FAILED {
            return None;
        }
        let start = (mapped as usize).next_multiple_of(align);
        #[cfg(target_os = "linux")]
        // SAFETY: the range lies inside the mapping just made. Huge pages
        // are only a hint: without them the region works the same.
        unsafe {
            libc::madvise(start as *mut libc::c_void, size, libc::MADV_HUGEPAGE);
        }
        Some(start)
    }

    /// Gives back the `size` bytes at `start` of a region `reserve` made,
    /// when another thread's was taken; the alignment's slack stays
    /// reserved, untouched.
    pub(super) fn release(start: usize, size: usize) {
        if start <= super::NO_REGION {
            return;
        }
        // SAFETY: nothing was handed out from the region that lost.
        unsafe {
            libc::munmap(start as *mut libc::c_void, size);
        }
    }
}

/// Elsewhere there is no region, and mimalloc serves every block.
#[cfg(not(unix))]
mod region {
    pub(super) fn reserve(_size: usize, _align: usize) -> Option<usize> {
        None
    }

    pub(super) fn release(_start: usize, _size: usize) {}
}

/// mimalloc through its plain entry points when they give the alignment
/// asked for: every block it hands out is aligned to a word at least. Its
/// aligned entry points, which the `mimalloc` crate calls for every
/// allocation, cost 3% of a small spec's instructions in checks.
mod mimalloc {
    use std::alloc::Layout;

    /// The alignment every mimalloc block has.
    const WORD: usize = std::mem::size_of::<usize>();

    /// A block for `layout`, zeroed when asked.
    ///
    /// # Safety
    /// As [`std::alloc::GlobalAlloc::alloc`].
    pub(super) unsafe fn alloc(layout: Layout, zeroed: bool) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: mimalloc takes any size and alignment.
        unsafe {
            match (zeroed, align <= WORD) {
                (false, true) => libmimalloc_sys::mi_malloc(size).cast(),
                (false, false) => libmimalloc_sys::mi_malloc_aligned(size, align).cast(),
                (true, true) => libmimalloc_sys::mi_zalloc(size).cast(),
                (true, false) => libmimalloc_sys::mi_zalloc_aligned(size, align).cast(),
            }
        }
    }

    /// # Safety
    /// `ptr` came from mimalloc and is not freed again.
    pub(super) unsafe fn free(ptr: *mut u8) {
        // SAFETY: the caller's guarantee.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    /// # Safety
    /// `ptr` came from mimalloc with `layout`; as
    /// [`std::alloc::GlobalAlloc::realloc`] otherwise.
    pub(super) unsafe fn realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the block keeps `layout`'s alignment.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests;
