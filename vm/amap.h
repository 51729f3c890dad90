// vm/amap.h -- Amap: the anonymous layer of a mapping.
//
// An amap is an array of slots, one per page; a slot is empty or holds a
// reference to an Anon. A map entry (vm/map.h) points at an amap and at the
// slot its first page uses (MapEntry::m_amap_slot), so an entry covering
// pages [s, s + n) uses slots [m_amap_slot, m_amap_slot + n).
//
// Who references an amap: map entries. After a clip (one entry becomes two)
// or an inherit-share fork, several entries use one amap, each a range of its
// slots. The amap counts them (m_ref_count) and keeps, per slot, how many
// references cover it (m_slot_refs, UVM's "ppref"): when an entry is unmapped
// the slots only it covered drop their anons at once (the memory is freed),
// and when the last reference goes the amap goes. UVM encodes the per-slot
// counts as runs to save memory; we keep one u32 per slot, simpler to read.
//
// Copy-on-write: fork marks private entries "needs-copy"; the first write
// fault calls Amap::copy() to make the faulting map's entry its own amap with
// the same anons (each anon's count goes up), then promotes the one anon it
// writes. Untouched pages stay shared.
//
// Locking: an AmapLock (a Mutex with a reference count) is shared by an amap
// and every amap copied from it, because they share anons. Lock order:
// docs/locking.md.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/sync/mutex.h>
#include <vm/anon.h>
#include <vm/swap.h>

namespace vm {

struct AmapLock {
    kern::Mutex m_mutex;
    u32 m_ref_count = 0;  // amaps using this lock; changed under m_mutex
};

class Amap final : public SwapOwner {
public:
    // A new amap with `slots` empty slots and one reference covering all of
    // them (m_ref_count 1, every slot ref 1). With `share_lock`, the new amap
    // uses that lock (for Amap::copy). Errors: ENOMEM.
    static kern::ErrorOr<Amap*> create(size_t slots, AmapLock* share_lock = nullptr);

    // A new amap of `count` slots holding the anons of src's slots
    // [first, first + count) (each anon's count raised), sharing src's lock,
    // with one reference covering all its slots. src is not changed.
    // => src's lock held. Errors: ENOMEM.
    static kern::ErrorOr<Amap*> copy_locked(Amap& src, size_t first, size_t count);

    kern::Mutex& lock() const { return m_lock->m_mutex; }
    size_t slot_count() const { return m_slot_count; }

    // => lock held. nullptr for an empty slot.
    Anon* lookup_locked(size_t slot) const;
    // Put `anon` in an empty slot; takes over the caller's reference.
    // => lock held, slot empty.
    void add_locked(size_t slot, Anon& anon);
    // Replace the anon in a slot by `anon` (promote), dropping the old one's
    // reference. => lock held, slot full.
    void replace_locked(size_t slot, Anon& anon);
    // Empty a slot, dropping its anon's reference. => lock held.
    void remove_locked(size_t slot);

    // A new reference from an entry covering slots [first, first + count).
    // => lock held.
    void ref_locked(size_t first, size_t count);
    // An entry covering [first, first + count) was clipped in two: one more
    // reference, the same slots covered. => lock held.
    void split_ref_locked();
    // Drop a reference covering [first, first + count): slots no longer
    // covered release their anons; the last reference frees the amap (and,
    // if it was the last user, its lock). After this returns the amap may be
    // gone: the caller must not touch it or unlock through it.
    // => lock NOT held (it is taken inside).
    void unref(size_t first, size_t count);

    u32 ref_count_locked() const { return m_ref_count; }

    // swapoff (vm/swap.h): read back every anon of this amap whose slot is
    // in [first, end). => nothing locked; the amap lock is only try_locked.
    kern::ErrorOr<bool> swap_off_range(u32 first, u32 end) override;
    // Slots holding an anon. => lock held.
    size_t used_slots_locked() const { return m_used; }

private:
    Amap() = default;
    ~Amap() = default;
    void free_locked();
    void take_anon_locked(Anon& anon);

    AmapLock* m_lock = nullptr;
    size_t m_slot_count = 0;
    // Guarded by m_lock:
    u32 m_ref_count = 0;
    size_t m_used = 0;
    Anon** m_anons = nullptr;  // [m_slot_count]
    u32* m_slot_refs = nullptr;  // [m_slot_count]: references covering each slot
};

} // namespace vm
