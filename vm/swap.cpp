// vm/swap.cpp -- swap devices, their slot bitmaps, and swap_off (see vm/swap.h).
//
// Data structures.
//   s_devices[i]   one per device that is on: its backing, its slot range
//                  [base, base + slots.size()) and device page of its slot 0,
//                  its bitmap (words from kmalloc), and `draining` while
//                  swap_off empties it (no new allocations then)
//   s_owners       every amap and anonymous object (SwapOwner), for swap_off
//
// Slot numbers are global: base(device) + index. The next device's base is
// past every earlier one's end and one more, so slot 0 is never valid and a
// number never names two devices (they are not reused after swap_off).
//
// Locking.
//   s_swap_lock (SpinLock)   the table and the bitmaps; a leaf, held for
//                            bitmap work only, never across I/O
//   s_owner_lock (Mutex)     the owner list; swap_off holds it while it
//                            visits owners, and only try_locks owner locks
//                            under it (owners take it with their own lock
//                            held when they go away: see vm/amap.cpp)
//   s_off_lock (Mutex)       one swap_on or swap_off at a time
// A device's backing stays valid until swap_off returns: no slot is left on
// it then, so no transfer can be in flight (a transfer's slot is allocated
// from before the write until after the read).
//
// Read more: NetBSD sys/uvm/uvm_swap.c (swapdev, the extent/blist slot
// allocator, swap_on/swap_off, uvm_swap_get/put) and uvm_swap_off's walk of
// amaps and aobjs; Linux mm/swapfile.c (the swap header, scan_swap_map's
// clusters). Design only; our own code.
#include <kernel/base/lib/list.h>
#include <kernel/base/sync/mutex.h>
#include <kernel/base/sync/spinlock.h>
#include <new>
#include <vm/stats.h>
#include <vm/swap.h>

namespace vm {

using kern::Bitmap;
using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;
using kern::SpinGuard;

// ---- SwapSlots ------------------------------------------------------------------

void SwapSlots::init(Bitmap::Word* words, size_t count)
{
    m_map = Bitmap(words, count);
    m_map.clear_all();
    m_cursor = 0;
    m_used = 0;
    m_bad = 0;
}

void SwapSlots::mark_bad(size_t index)
{
    if (index >= m_map.size() || m_map.test(index))
        return;
    m_map.set(index);
    ++m_used;
    ++m_bad;
}

size_t SwapSlots::allocate(size_t want, size_t* got)
{
    KASSERT(want > 0);
    if (m_used == m_map.size())
        return NPOS;
    // A whole run from the cursor on, then from the start.
    size_t start = m_map.find_clear_run(want, m_cursor);
    if (start == NPOS && m_cursor > 0)
        start = m_map.find_clear_run(want, 0);
    size_t length = want;
    if (start == NPOS) {
        // No run that long: the first free slot, and as many after it as are free.
        start = m_map.find_first_clear(m_cursor);
        if (start == NPOS)
            start = m_map.find_first_clear(0);
        KASSERT(start != NPOS);
        size_t end = m_map.find_first_set(start);
        if (end == NPOS)
            end = m_map.size();
        length = ::min(want, end - start);
    }
    m_map.set_range(start, length);
    m_used += length;
    m_cursor = start + length < m_map.size() ? start + length : 0;
    *got = length;
    return start;
}

void SwapSlots::free(size_t index, size_t count)
{
    for (size_t i = index; i < index + count; ++i)
        KASSERT_MSG(m_map.test(i), "swap slot %zu freed twice", i);
    m_map.clear_range(index, count);
    m_used -= count;
}

// ---- the device table ---------------------------------------------------------------

namespace {

struct SwapDevice {
    SwapBacking* backing = nullptr;  // nullptr: the entry is unused
    u32 base = 0;                    // global number of slot index 0
    u64 first_page = 0;              // device page of slot index 0
    SwapSlots slots;
    Bitmap::Word* words = nullptr;
    bool draining = false;           // swap_off in progress: no new slots
};

kern::SpinLock s_swap_lock;
SwapDevice s_devices[MAX_SWAP_DEVICES];
u64 s_next_base = 1;

kern::Mutex s_owner_lock;
kern::IntrusiveList<SwapOwner, &SwapOwner::m_swap_owner_node> s_owners;

kern::Mutex s_off_lock;

// The device holding `slot`. => s_swap_lock held.
SwapDevice* device_of_locked(u32 slot)
{
    for (SwapDevice& d : s_devices)
        if (d.backing && slot >= d.base && slot < d.base + d.slots.size())
            return &d;
    return nullptr;
}

SwapDevice* device_for_io(u32 slot)
{
    SpinGuard guard(s_swap_lock);
    SwapDevice* d = device_of_locked(slot);
    KASSERT_MSG(d, "swap: slot %u is on no device", slot);
    return d;
}

} // namespace

SwapTotals swap_totals()
{
    SpinGuard guard(s_swap_lock);
    SwapTotals t = {0, 0, 0};
    for (SwapDevice& d : s_devices) {
        if (!d.backing)
            continue;
        t.total_pages += d.slots.size();
        t.free_pages += d.slots.size() - d.slots.used();
        ++t.devices;
    }
    return t;
}

bool swap_is_on(const SwapBacking& backing)
{
    SpinGuard guard(s_swap_lock);
    for (SwapDevice& d : s_devices)
        if (d.backing == &backing)
            return true;
    return false;
}

ErrorOr<size_t> swap_on(SwapBacking& backing, u64 first_page, size_t count, const u32* bad,
                        size_t bad_count)
{
    if (count == 0 || count > 0x40000000)
        return Errno::EINVAL;
    MutexGuard off(s_off_lock);
    if (swap_is_on(backing))
        return Errno::EBUSY;
    auto* words = new (std::nothrow) Bitmap::Word[Bitmap::words_for(count)];
    if (!words)
        return Errno::ENOMEM;
    SpinGuard guard(s_swap_lock);
    size_t index = MAX_SWAP_DEVICES;
    for (size_t i = 0; i < MAX_SWAP_DEVICES; ++i)
        if (!s_devices[i].backing) {
            index = i;
            break;
        }
    if (index == MAX_SWAP_DEVICES || s_next_base + count + 1 > 0xffffffffull) {
        delete[] words;
        return Errno::EPERM;  // Linux: too many swap areas
    }
    SwapDevice& d = s_devices[index];
    d.slots.init(words, count);
    for (size_t i = 0; i < bad_count; ++i)
        if (bad[i] >= first_page)
            d.slots.mark_bad(bad[i] - first_page);
    d.words = words;
    d.first_page = first_page;
    d.base = u32(s_next_base);
    d.draining = false;
    d.backing = &backing;
    s_next_base += count + 1;
    return index;
}

u32 swap_allocate(size_t want, size_t* got)
{
    SpinGuard guard(s_swap_lock);
    for (SwapDevice& d : s_devices) {
        if (!d.backing || d.draining)
            continue;
        size_t index = d.slots.allocate(want, got);
        if (index != SwapSlots::NPOS)
            return d.base + u32(index);
    }
    *got = 0;
    return 0;
}

void swap_free(u32 slot, size_t count)
{
    SpinGuard guard(s_swap_lock);
    SwapDevice* d = device_of_locked(slot);
    KASSERT_MSG(d && slot + count <= d->base + d->slots.size(), "swap_free: slot %u is on no device",
                slot);
    d->slots.free(slot - d->base, count);
}

ErrorOr<void> swap_write(Page* const* pages, size_t count, u32 slot)
{
    SwapDevice* d = device_for_io(slot);
    TRY(d->backing->transfer(pages, count, d->first_page + (slot - d->base), true));
    stat_add(stats().swap_pages_out, i64(count));
    return {};
}

ErrorOr<void> swap_read(Page& page, u32 slot)
{
    Page* pages[1] = {&page};
    return swap_read_run(pages, 1, slot);
}

ErrorOr<void> swap_read_run(Page* const* pages, size_t count, u32 slot)
{
    KASSERT(count > 0 && count <= SWAP_MAX_RUN);
    SwapDevice* d = device_for_io(slot);
    TRY(d->backing->transfer(pages, count, d->first_page + (slot - d->base), false));
    stat_add(stats().swap_pages_in, i64(count));
    return {};
}

size_t swap_out_cluster(Page* const* pages, size_t count, u32* slots)
{
    size_t written = 0;
    size_t i = 0;
    while (i < count) {
        size_t got = 0;
        const u32 slot = swap_allocate(::min(count - i, SWAP_MAX_RUN), &got);
        if (slot == 0)
            break;
        const bool ok = !swap_write(pages + i, got, slot).is_error();
        stat_add(stats().swap_writes);
        if (!ok)
            swap_free(slot, got);
        for (size_t k = 0; k < got; ++k)
            slots[i + k] = ok ? slot + u32(k) : 0;
        written += ok ? got : 0;
        i += got;
    }
    for (; i < count; ++i)
        slots[i] = 0;
    return written;
}

// ---- owners and swap_off -------------------------------------------------------------

void swap_owner_add(SwapOwner& owner)
{
    MutexGuard guard(s_owner_lock);
    s_owners.push_back(owner);
}

void swap_owner_remove(SwapOwner& owner)
{
    MutexGuard guard(s_owner_lock);
    s_owners.remove(owner);
}

// One visit of every owner. Returns how many could not be visited (their
// lock was busy). Errors: ENOMEM, EIO (stops the walk).
static ErrorOr<size_t> visit_owners(u32 first, u32 end)
{
    MutexGuard guard(s_owner_lock);
    size_t busy = 0;
    for (SwapOwner& owner : s_owners)
        if (!TRY(owner.swap_off_range(first, end)))
            ++busy;
    return busy;
}

ErrorOr<void> swap_off(SwapBacking& backing)
{
    MutexGuard off(s_off_lock);
    SwapDevice* d = nullptr;
    {
        SpinGuard guard(s_swap_lock);
        for (SwapDevice& candidate : s_devices)
            if (candidate.backing == &backing)
                d = &candidate;
        if (!d)
            return Errno::EINVAL;
        d->draining = true;  // no new slots here from now on
    }
    const u32 first = d->base;
    const u32 end = d->base + u32(d->slots.size());
    // Owners whose lock was busy are visited again. A visit that runs out
    // of memory or cannot read a page ends the walk with that error.
    ErrorOr<void> result;
    for (unsigned round = 0;; ++round) {
        auto busy = visit_owners(first, end);
        if (busy.is_error()) {
            result = busy.error();
            break;
        }
        if (busy.value() == 0)
            break;
        if (round == 1000) {
            result = Errno::EBUSY;
            break;
        }
    }
    Bitmap::Word* words = nullptr;
    {
        SpinGuard guard(s_swap_lock);
        if (!result.is_error() && d->slots.in_use() > 0)
            result = Errno::EBUSY;  // a slot no owner we know of holds
        if (result.is_error()) {
            d->draining = false;
            return result;
        }
        words = d->words;
        *d = SwapDevice();
    }
    delete[] words;
    return {};
}

} // namespace vm
