// vm/amap.cpp -- Amap: the anonymous layer of a mapping (see vm/amap.h).
//
// Data structures. An amap of n slots is three heap objects:
//
//   Amap            m_lock -> AmapLock (shared with every amap copied from it)
//   m_anons[n]      Anon* per slot, nullptr for an empty slot   (kzalloc)
//   m_slot_refs[n]  references (map entries) covering each slot (kmalloc)
//
// plus, for an amap made by create() without share_lock, its AmapLock.
//
// Two kinds of reference count, both guarded by the AmapLock:
//   m_ref_count     how many references (map entries) use the amap at all;
//   m_slot_refs[i]  how many of those cover slot i (UVM's "ppref").
// Example: an entry over slots [0, 30) is clipped twice into A [0,10),
// B [10,20), C [20,30). split_ref_locked() raised m_ref_count to 3 and left
// every slot ref at 1 (each slot is still covered once). unref(10, 10) for B
// drops slots 10..19 to 0, so their anons go at once, and m_ref_count to 2:
// the memory of an unmapped middle part is freed without waiting for A and C.
//
// Invariants (KASSERT):
//   - m_used == number of non-empty slots;
//   - every anon in a slot has m_ref_count >= 1, and counts this slot;
//   - a slot whose slot ref is 0 is empty (its anon was released);
//   - AmapLock::m_ref_count == number of live amaps using that lock.
//
// The lock's lifetime. AmapLock is reference-counted by the amaps using it:
// create() makes one (count 1) or joins share_lock (count + 1, under that
// lock, which copy_locked's caller holds). The last amap freed deletes it.
// free_locked() must unlock before deleting the lock, and must drop its own
// reference while still holding it (another amap sharing the lock may be
// freed concurrently on another CPU: both decrements happen under the mutex,
// so exactly one of them sees zero and deletes it).
//
// Why no free-on-zero-ref inside the *_locked functions: only unref() can
// make m_ref_count zero, and it is the one function that takes the lock
// itself, so it can also release it before the lock object may vanish.
//
// Lock order: docs/locking.md. (Releasing an anon, under the AmapLock,
// calls pmap_page_protect and the page allocator.)
//
// Limits: the arrays come from kmalloc, whose largest run is 4 MiB, so one
// amap has at most 512 Ki slots (2 GiB of address space); larger requests
// fail with ENOMEM.
//
// Read more: NetBSD sys/uvm/uvm_amap.c (amap_alloc, amap_copy, amap_ref,
// amap_unref, amap_pp_adjref, amap_wiperange, amap_free) and Cranor &
// Parulkar, "The UVM Virtual Memory System" (USENIX 1999), section 4. Design
// only; the code is our own. docs/vm.md.
#include <kernel/base/heap/heap.h>
#include <new>
#include <vm/amap.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;

// ---- creation ----------------------------------------------------------------

// The two slot arrays for `slots` slots: anons empty, each slot ref 1.
// Returns false (nothing allocated) on ENOMEM.
static bool allocate_arrays(size_t slots, Anon**& anons, u32*& refs)
{
    if (slots > kern::HEAP_MAX_SIZE / sizeof(Anon*))
        return false;
    anons = static_cast<Anon**>(kern::kzalloc(slots * sizeof(Anon*)));
    if (!anons)
        return false;
    refs = static_cast<u32*>(kern::kmalloc(slots * sizeof(u32)));
    if (!refs) {
        kern::kfree(anons);
        return false;
    }
    for (size_t i = 0; i < slots; ++i)
        refs[i] = 1;
    return true;
}

// => with share_lock: its mutex held by the caller. Errors: ENOMEM.
ErrorOr<Amap*> Amap::create(size_t slots, AmapLock* share_lock)
{
    KASSERT(slots > 0);
    KASSERT(!share_lock || share_lock->m_mutex.is_locked_by_me());
    Amap* amap = new (std::nothrow) Amap;
    if (!amap)
        return Errno::ENOMEM;
    if (!allocate_arrays(slots, amap->m_anons, amap->m_slot_refs)) {
        delete amap;
        return Errno::ENOMEM;
    }
    AmapLock* lock = share_lock;
    if (!lock) {
        lock = new (std::nothrow) AmapLock;
        if (!lock) {
            kern::kfree(amap->m_slot_refs);
            kern::kfree(amap->m_anons);
            delete amap;
            return Errno::ENOMEM;
        }
    }
    // Nothing below can fail.
    ++lock->m_ref_count;  // a new lock is not shared yet; a shared one is held
    amap->m_lock = lock;
    amap->m_slot_count = slots;
    amap->m_ref_count = 1;
    swap_owner_add(*amap);
    return amap;
}

ErrorOr<Amap*> Amap::copy_locked(Amap& src, size_t first, size_t count)
{
    KASSERT(src.lock().is_locked_by_me());
    KASSERT(count > 0 && first <= src.m_slot_count && count <= src.m_slot_count - first);
    Amap* amap = TRY(create(count, src.m_lock));
    // Nothing below can fail: share every anon of the range.
    for (size_t i = 0; i < count; ++i) {
        Anon* anon = src.m_anons[first + i];
        if (!anon)
            continue;
        KASSERT(anon->m_ref_count > 0);
        ++anon->m_ref_count;
        amap->m_anons[i] = anon;
        ++amap->m_used;
    }
    return amap;
}

// ---- slots -------------------------------------------------------------------

Anon* Amap::lookup_locked(size_t slot) const
{
    KASSERT(lock().is_locked_by_me());
    KASSERT(slot < m_slot_count);
    return m_anons[slot];
}

void Amap::add_locked(size_t slot, Anon& anon)
{
    KASSERT(lock().is_locked_by_me());
    KASSERT(slot < m_slot_count);
    KASSERT_MSG(m_anons[slot] == nullptr, "amap add: slot %zu is full", slot);
    KASSERT(anon.m_ref_count > 0);
    KASSERT(m_slot_refs[slot] > 0);  // only a covered slot can be faulted in
    m_anons[slot] = &anon;
    take_anon_locked(anon);
    ++m_used;
}

void Amap::replace_locked(size_t slot, Anon& anon)
{
    KASSERT(lock().is_locked_by_me());
    KASSERT(slot < m_slot_count);
    Anon* old = m_anons[slot];
    KASSERT_MSG(old != nullptr, "amap replace: slot %zu is empty", slot);
    KASSERT(old != &anon && anon.m_ref_count > 0);
    m_anons[slot] = &anon;
    take_anon_locked(anon);
    old->unref_locked();  // may free old's page (and unmap it everywhere)
}

// Empty slot `slot` if it holds an anon. => lock held.
void Amap::remove_locked(size_t slot)
{
    KASSERT(lock().is_locked_by_me());
    KASSERT(slot < m_slot_count);
    Anon* anon = m_anons[slot];
    if (!anon)
        return;
    m_anons[slot] = nullptr;
    --m_used;
    anon->unref_locked();
}

// ---- references ----------------------------------------------------------------

void Amap::ref_locked(size_t first, size_t count)
{
    KASSERT(lock().is_locked_by_me());
    KASSERT(first <= m_slot_count && count <= m_slot_count - first);
    KASSERT(m_ref_count > 0);
    ++m_ref_count;
    for (size_t i = first; i < first + count; ++i)
        ++m_slot_refs[i];
}

void Amap::split_ref_locked()
{
    KASSERT(lock().is_locked_by_me());
    KASSERT(m_ref_count > 0);
    ++m_ref_count;  // the two halves together cover what the one entry did
}

void Amap::unref(size_t first, size_t count)
{
    lock().lock();
    KASSERT(m_ref_count > 0);
    KASSERT(first <= m_slot_count && count <= m_slot_count - first);
    for (size_t i = first; i < first + count; ++i) {
        KASSERT_MSG(m_slot_refs[i] > 0, "amap unref: slot %zu not referenced", i);
        if (--m_slot_refs[i] == 0)
            remove_locked(i);  // nobody covers it any more: free its anon now
    }
    if (--m_ref_count > 0) {
        lock().unlock();
        return;
    }
    free_locked();  // unlocks, and may delete the lock
}

// An anon put in a slot learns its lock, for the page daemon (vm/anon.h).
// Every amap holding it shares this lock (copy_locked shares locks).
void Amap::take_anon_locked(Anon& anon)
{
    KASSERT(!anon.m_lock || anon.m_lock == m_lock);
    __atomic_store_n(&anon.m_lock, m_lock, __ATOMIC_RELEASE);
}

// ---- swapoff ---------------------------------------------------------------------

ErrorOr<bool> Amap::swap_off_range(u32 first, u32 end)
{
    if (!lock().try_lock())
        return false;
    ErrorOr<bool> result = true;
    for (size_t i = 0; i < m_slot_count && m_ref_count > 0; ++i) {
        Anon* anon = m_anons[i];
        if (!anon || anon->m_swap_slot < first || anon->m_swap_slot >= end)
            continue;
        auto in = anon->page_in_locked(false);  // ENOMEM, not the OOM killer
        if (in.is_error()) {
            result = in.error();
            break;
        }
    }
    lock().unlock();
    return result;
}

// ---- destruction -----------------------------------------------------------------

// The last reference is gone: release every anon left, free the arrays and
// the amap, drop the amap's hold on the lock, unlock it, and delete it if
// this was its last user. => lock held, m_ref_count == 0. Releases the lock.
void Amap::free_locked()
{
    KASSERT(lock().is_locked_by_me());
    KASSERT(m_ref_count == 0);
    swap_owner_remove(*this);  // swap_off only try_locks us: no deadlock
    // Slots a reference never covered (or covered by references the map code
    // did not unref exactly) still hold anons: release them all.
    for (size_t i = 0; i < m_slot_count && m_used > 0; ++i)
        remove_locked(i);
    KASSERT(m_used == 0);
    kern::kfree(m_slot_refs);
    kern::kfree(m_anons);
    AmapLock* lock = m_lock;
    KASSERT(lock->m_ref_count > 0);
    const bool last_user = --lock->m_ref_count == 0;  // under the mutex
    delete this;
    lock->m_mutex.unlock();
    if (last_user)
        delete lock;  // no amap uses it, so nobody can be waiting on it
}

} // namespace vm
