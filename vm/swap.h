// vm/swap.h -- swap space: slots on swap devices, where paged-out anonymous pages live.
//
// A swap slot is one page of a swap device. Anons (vm/anon.h:m_swap_slot)
// and anonymous objects (vm/aobj.h, one slot per swapped-out page index)
// name their paged-out pages by a slot number. Slot numbers are global: each
// device gets its own range of them at swapon, and slot 0 means "none".
//
//   device A (vda, 524287 usable pages)   slots [1, 524288)
//   device B (added later)                slots [524289, ...)    one number
//                                         wasted between ranges, never reused
//
// A device is anything that can move whole pages: SwapBacking below. The
// block layer implements it over a disk (fs/block/swapdev.cpp, which also
// reads the Linux swap header that `mkswap` writes); this layer knows nothing
// of disks, so it can be tested on the host with a backing in memory.
//
// Allocation (SwapSlots): a bitmap per device and a next-fit cursor, so that
// the page daemon's consecutive requests get consecutive slots and a
// cluster of pages goes out in one request (UVM's swap clustering).
// swap_allocate() returns a run of up to `want` contiguous slots: the page
// daemon writes one cluster per run.
//
// Removal (swap_off) is the expensive direction: every page on the device
// must come back into memory first. The device is first closed to new
// allocations; then every owner of slots -- every amap, every anonymous
// object -- is visited and its pages on that device are read back (UVM's
// amap_swap_off and uao_swap_off). If memory runs out part way, swap_off
// fails with ENOMEM and the device is opened again; nothing is lost.
//
// Lock: one SpinLock (s_swap_lock in swap.cpp) guards the device table and
// the bitmaps; it is a leaf, and no I/O is done under it.
#pragma once

#include <kernel/base/lib/bitmap.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/page/page.h>

namespace vm {

// What a swap device must do.
class SwapBacking {
public:
    // Move `count` whole pages to (write) or from the device's pages
    // [first, first + count), and wait for it. => no spinlock held (it
    // sleeps). Errors: EIO.
    virtual kern::ErrorOr<void> transfer(Page* const* pages, size_t count, u64 first, bool write) = 0;
    // For /proc/swaps and the console.
    virtual const char* name() const = 0;

protected:
    ~SwapBacking() = default;
};

// The slot bitmap of one device. Not thread-safe: swap.cpp serializes.
class SwapSlots {
public:
    // Manage `count` slots in `words` (Bitmap::words_for(count) words),
    // all free.
    void init(kern::Bitmap::Word* words, size_t count);
    // Never hand out slot `index` (a bad page of the disk).
    void mark_bad(size_t index);
    // Up to `want` contiguous free slots, the first at or after the cursor
    // (wrapping round): returns the first index and sets *got (>= 1), or
    // returns NPOS when every slot is taken. Prefers a run of `want`; takes
    // a shorter one only where no whole run is free.
    size_t allocate(size_t want, size_t* got);
    // => the slots [index, index + count) are allocated.
    void free(size_t index, size_t count);
    bool is_allocated(size_t index) const { return m_map.test(index); }
    size_t size() const { return m_map.size(); }
    size_t used() const { return m_used; }
    // Allocated and not bad: slots some owner holds.
    size_t in_use() const { return m_used - m_bad; }

    static constexpr size_t NPOS = kern::Bitmap::NPOS;

private:
    kern::Bitmap m_map;
    size_t m_cursor = 0;
    size_t m_used = 0;  // allocated, bad pages included
    size_t m_bad = 0;
};

// ---- the devices -------------------------------------------------------------------

constexpr size_t MAX_SWAP_DEVICES = 8;
// The most pages one swap request moves (the block layer's largest
// request, fs/block/buf.h:MAX_TRANSFER, is 64 KiB).
constexpr size_t SWAP_MAX_RUN = 16;

struct SwapTotals {
    size_t total_pages;  // usable slots on all devices
    size_t free_pages;   // of which free
    size_t devices;
};
SwapTotals swap_totals();

// Add a device whose pages [first_page, first_page + count) hold slots,
// except those listed in `bad` (device page numbers). Returns its index.
// Errors: EBUSY (this backing is already on), EPERM (MAX_SWAP_DEVICES on),
// EINVAL (count is 0), ENOMEM.
kern::ErrorOr<size_t> swap_on(SwapBacking& backing, u64 first_page, size_t count, const u32* bad,
                              size_t bad_count);
// Bring every page on the device back into memory and remove it.
// Errors: EINVAL (not on), ENOMEM (memory ran out: the device stays on,
// nothing lost), EIO (a page could not be read: the device stays on).
kern::ErrorOr<void> swap_off(SwapBacking& backing);
// Is this backing on? (The swapon syscall refuses a second swapon.)
bool swap_is_on(const SwapBacking& backing);

// Up to `want` contiguous slots on one device; returns the first slot
// number and sets *got, or 0 (no free slot anywhere).
u32 swap_allocate(size_t want, size_t* got);
// Free slots [slot, slot + count). => allocated, on one device.
void swap_free(u32 slot, size_t count = 1);

// Write `count` pages to the slots [slot, slot + count) (one run from
// swap_allocate), or read one page from `slot`. => the caller owns the
// pages (their owner's lock held, unmapped for a write). Errors: EIO.
kern::ErrorOr<void> swap_write(Page* const* pages, size_t count, u32 slot);
kern::ErrorOr<void> swap_read(Page& page, u32 slot);
// Read `count` pages from the slots [slot, slot + count), one request
// (read-ahead: vm/fault.cpp). => as swap_read, count <= SWAP_MAX_RUN.
kern::ErrorOr<void> swap_read_run(Page* const* pages, size_t count, u32 slot);

// Write a cluster: give the pages slots (as few runs as the devices allow)
// and write each run. slots[i] is page i's slot, or 0 if it could not be
// written (no slot left, or EIO: its slot is freed again). Returns how many
// were written. => as swap_write.
size_t swap_out_cluster(Page* const* pages, size_t count, u32* slots);

// Owners of swap slots, for swap_off: every amap and every anonymous
// object registers here (vm/amap.cpp, vm/aobj.cpp). The visitor is called
// with nothing locked on each owner; see swap.cpp:swap_off.
class SwapOwner {
public:
    // Bring back every page of this owner whose slot is in [first, end).
    // => nothing locked. Returns true if the owner could be visited (its
    // lock taken), false to be visited again later. Errors: ENOMEM, EIO.
    virtual kern::ErrorOr<bool> swap_off_range(u32 first, u32 end) = 0;

    kern::ListNode m_swap_owner_node;

protected:
    ~SwapOwner() = default;
};
// => the owner is alive and stays so until swap_owner_remove.
void swap_owner_add(SwapOwner& owner);
void swap_owner_remove(SwapOwner& owner);

} // namespace vm
