use std::alloc::{GlobalAlloc, Layout};

use super::{Allocator, BLOCK_ALIGN, CHUNK, CLASSES, MAX_BLOCK, class_of};

/// An allocator of its own for a test, at an address no other one has.
fn allocator(region_size: usize) -> &'static Allocator {
    Box::leak(Box::new(Allocator::new(region_size)))
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).expect("a valid layout")
}

/// A block filled with `fill`, checked to be aligned and not null.
fn filled(allocator: &Allocator, layout: Layout, fill: u8) -> *mut u8 {
    // SAFETY: every layout here has a non-zero size.
    let block = unsafe { allocator.alloc(layout) };
    assert!(!block.is_null(), "{layout:?}");
    assert_eq!(block as usize % layout.align(), 0, "{layout:?}");
    // SAFETY: the block holds `layout.size()` bytes.
    unsafe { block.write_bytes(fill, layout.size()) };
    block
}

/// Whether the `len` bytes at `block` all are `fill`.
fn holds(block: *const u8, len: usize, fill: u8) -> bool {
    // SAFETY: the callers pass a live block of at least `len` bytes.
    unsafe { std::slice::from_raw_parts(block, len) }.iter().all(|&byte| byte == fill)
}

#[test]
fn every_size_has_a_class_that_holds_it_and_sizes_grow_with_classes() {
    let mut last = class_of(1);
    assert_eq!(last, (0, 16));
    for size in 2..=MAX_BLOCK {
        let (class, block) = class_of(size);
        assert!(class < CLASSES && block >= size && block % BLOCK_ALIGN == 0, "{size}: {class}, {block}");
        if class == last.0 {
            assert_eq!(block, last.1, "{size}: one size to a class");
        } else {
            assert!(class == last.0 + 1 && block > last.1, "{size}: classes in order, none skipped");
            assert_eq!(class_of(last.1).0, last.0, "{size}: the previous class's size is in that class");
        }
        last = (class, block);
    }
    assert_eq!(last, (CLASSES - 1, MAX_BLOCK));
    // Within a quarter of a doubling: at most 25% more than asked, above 128.
    assert!((129..=MAX_BLOCK).step_by(7).all(|size| class_of(size).1 * 4 <= size * 5 + 4 * 32));
}

#[test]
fn blocks_hold_their_bytes_through_reallocation_and_come_back_from_the_right_heap() {
    // Room for every block here: the region must not run out in this test.
    let allocator = allocator(64 << 20);
    for size in (1..=600).chain([1000, 4000, 16 << 10, (16 << 10) + 1, 70_000, MAX_BLOCK, MAX_BLOCK + 1, 3 << 20]) {
        for align in [1, 2, 8, 16, 64, 4096] {
            let layout = layout(size, align);
            let block = filled(allocator, layout, 7);
            let from_region = size <= MAX_BLOCK && align <= BLOCK_ALIGN;
            assert_eq!(allocator.in_region(block), from_region, "{layout:?}");
            // SAFETY: the block is live with `layout`; each block is freed
            // once, with the layout it has then.
            unsafe {
                let grown = allocator.realloc(block, layout, size * 3);
                assert!(!grown.is_null() && grown as usize % align == 0, "{layout:?} grown");
                assert!(holds(grown, size, 7), "{layout:?}: a reallocation keeps the bytes");
                grown.add(size).write_bytes(8, size * 2);
                let shrunk = allocator.realloc(grown, self::layout(size * 3, align), size.div_ceil(2));
                assert!(!shrunk.is_null() && shrunk as usize % align == 0, "{layout:?} shrunk");
                assert!(holds(shrunk, size.div_ceil(2), 7), "{layout:?}: shrinking keeps the bytes");
                allocator.dealloc(shrunk, self::layout(size.div_ceil(2), align));
                let zeroed = allocator.alloc_zeroed(layout);
                assert!(!zeroed.is_null() && zeroed as usize % align == 0, "{layout:?} zeroed");
                assert!(holds(zeroed, size, 0), "{layout:?}: a zeroed block is zeroed");
                allocator.dealloc(zeroed, layout);
            }
        }
    }
}

#[test]
fn a_freed_block_is_the_next_of_its_class_and_is_zeroed_when_asked() {
    let allocator = allocator(1 << 20);
    for size in [1, 24, 100, 129, 5000, 20_000, 300_000] {
        let layout = layout(size, 8);
        let block = filled(allocator, layout, 0xAB);
        // SAFETY: freed once; the next block of the class is the same one.
        unsafe {
            allocator.dealloc(block, layout);
            let again = allocator.alloc_zeroed(layout);
            assert_eq!(again, block, "{size}: the freed block is used again");
            assert!(holds(again, size, 0), "{size}: and zeroed");
            allocator.dealloc(again, layout);
        }
    }
}

#[test]
fn the_block_bumped_last_grows_in_place_and_others_move() {
    let allocator = allocator(1 << 20);
    let small = layout(100, 8);
    let first = filled(allocator, small, 1);
    let last = filled(allocator, small, 2);
    // SAFETY: live blocks of `small`, each freed once.
    unsafe {
        let grown = allocator.realloc(last, small, 2000);
        assert_eq!(grown, last, "the last block grows where it is");
        assert!(holds(grown, 100, 2));
        let moved = allocator.realloc(first, small, 2000);
        assert_ne!(moved, first, "a block with a neighbour moves");
        assert!(holds(moved, 100, 1));
        let shrunk = allocator.realloc(grown, layout(2000, 8), 1100);
        assert_eq!(shrunk, grown, "a block that shrinks by up to half stays");
        let moved_down = allocator.realloc(shrunk, layout(1100, 8), 500);
        assert_ne!(moved_down, shrunk, "a block that shrinks by more moves");
        assert!(holds(moved_down, 100, 2));
        allocator.dealloc(moved_down, layout(500, 8));
        allocator.dealloc(moved, layout(2000, 8));
    }
}

#[test]
fn once_the_region_is_used_up_blocks_come_from_mimalloc_and_all_are_freed_alike() {
    let allocator = allocator(4 * CHUNK);
    let layout = layout(3000, 8);
    let mut blocks = Vec::new();
    while blocks.len() < 1000 {
        blocks.push(filled(allocator, layout, blocks.len() as u8));
    }
    assert!(allocator.region_used() <= 4 * CHUNK);
    let in_region = blocks.iter().filter(|&&block| allocator.in_region(block)).count();
    assert!((60..=4 * CHUNK / 3000).contains(&in_region), "{in_region} blocks in the region");
    assert!(!allocator.in_region(blocks[999]), "later blocks come from mimalloc");
    // The heap is closed: a region block freed now is left unused, and one
    // reallocated moves out unless its class still fits it.
    // SAFETY: the first two blocks are live with `layout`, each freed once.
    unsafe {
        allocator.dealloc(blocks[0], layout);
        let next = filled(allocator, layout, 9);
        assert!(!allocator.in_region(next) && next != blocks[0], "a closed heap hands out no block");
        allocator.dealloc(next, layout);
        let same = allocator.realloc(blocks[1], layout, 3050);
        assert_eq!(same, blocks[1], "a block its class still fits stays");
        let moved = allocator.realloc(same, self::layout(3050, 8), 6000);
        assert!(!allocator.in_region(moved) && holds(moved, 3000, 1), "a grown block moves to mimalloc");
        allocator.dealloc(moved, self::layout(6000, 8));
    }
    for (index, &block) in blocks.iter().enumerate().skip(2) {
        assert!(holds(block, 3000, index as u8), "block {index} kept its bytes");
        // SAFETY: each block is live with `layout` and freed once.
        unsafe { allocator.dealloc(block, layout) };
    }
}

#[test]
fn a_block_freed_on_another_thread_serves_that_thread() {
    let allocator = allocator(1 << 20);
    let layout = layout(48, 8);
    let block = filled(allocator, layout, 3) as usize;
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let block = block as *mut u8;
            assert!(holds(block, 48, 3));
            // SAFETY: the block is live, and handed to this thread to free.
            unsafe {
                allocator.dealloc(block, layout);
                assert_eq!(allocator.alloc(layout), block, "the freeing thread uses it next");
                allocator.dealloc(block, layout);
            }
        });
    });
}

/// Two threads allocate, grow, shrink and free thousands of blocks of
/// random sizes, each filled with its own byte, through a region small
/// enough to run out: no block may overlap another or lose its bytes.
#[test]
fn blocks_of_random_sizes_on_two_threads_never_overlap() {
    let allocator = allocator(2 << 20);
    std::thread::scope(|scope| {
        for seed in [1u64, 2] {
            scope.spawn(move || {
                let mut state = seed;
                let mut random = move |below: usize| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    (state >> 33) as usize % below
                };
                let mut live: Vec<(*mut u8, usize, u8)> = Vec::new();
                for step in 0..20_000usize {
                    let fill = (step % 251) as u8 + 1;
                    match random(4) {
                        0 | 1 => {
                            let largest = if random(10) == 0 { 200_000 } else { 600 };
                            let size = 1 + random(largest);
                            live.push((filled(allocator, layout(size, 8), fill), size, fill));
                        }
                        2 if !live.is_empty() => {
                            let (block, size, old) = live.swap_remove(random(live.len()));
                            assert!(holds(block, size, old), "step {step}: a block kept its bytes");
                            let new_size = 1 + random(size * 2);
                            // SAFETY: the block is live with this layout.
                            let moved = unsafe { allocator.realloc(block, layout(size, 8), new_size) };
                            assert!(holds(moved, size.min(new_size), old), "step {step}: reallocated");
                            // SAFETY: the block holds `new_size` bytes.
                            unsafe { moved.write_bytes(fill, new_size) };
                            live.push((moved, new_size, fill));
                        }
                        _ if !live.is_empty() => {
                            let (block, size, fill) = live.swap_remove(random(live.len()));
                            assert!(holds(block, size, fill), "step {step}: a block kept its bytes");
                            // SAFETY: the block is live with this layout and freed once.
                            unsafe { allocator.dealloc(block, layout(size, 8)) };
                        }
                        _ => {}
                    }
                }
                for (block, size, fill) in live {
                    assert!(holds(block, size, fill));
                    // SAFETY: as above.
                    unsafe { allocator.dealloc(block, layout(size, 8)) };
                }
            });
        }
    });
    assert!(allocator.region_used() > 0);
}
