// kernel/top/proc/maps.cpp -- a copy of a process's memory map, for /proc/<pid>/maps.
//
// /proc/<pid>/maps lists the entries of another process's VmMap. Two
// things make that delicate:
//
//   - the map's lifetime: a process's VmMap is destroyed by process_exit
//     and replaced by execve, on the process's own thread, and a VmMap has
//     no reference count. The process-tree lock cannot cover the reading
//     (it is a SpinLock; the map's lock is a Mutex that sleeps);
//   - the Process's lifetime: it is freed when reaped, and the tree lock is
//     the only thing that finds it.
//
// One Mutex, s_map_swap_lock, settles both. Whoever changes a process's
// m_map once the process is in the table (process_exit clearing it, execve
// installing the new one) does so holding it, and destroys the old map only
// after dropping it. A reader takes it first, then finds the process under
// the tree lock and reads m_map: if the map is there, neither it nor the
// process can go before the reader lets go (the exit that would free them
// waits on s_map_swap_lock before it gets that far). A vfork child's
// borrowed map is its parent's, and the parent is asleep until the child
// lets go of it: the same argument holds.
//
// The entries are copied under the map's own lock into a Vector allocated
// under it (the fault handler allocates under a map lock too: nothing here
// touches user memory). procfs formats the copy with no lock held.
//
// Lock order: s_map_swap_lock -> the process-tree lock; s_map_swap_lock ->
// Process::brk_lock() -> nothing; s_map_swap_lock -> VmMap::m_lock ->
// Amap's lock -> the pmap's (smaps' page counts).
// s_map_swap_lock is taken by a reader for the time of one copy, and by
// exit and execve for one pointer swap.
//
// smaps' page counts (count_pages_locked) ask the pmap, page by page, what
// is present, and the reverse map how many page tables map each page.
//
// How an entry is labelled follows Linux's fs/proc/task_mmu.c (read for
// design): [heap] for the entries that overlap the program break's range
// [brk_start, brk_end), [stack] for the one execve placed at
// USER_STACK_TOP. See docs/procfs.md.
#include <arch/pmap.h>
#include <kernel/base/page/page_allocator.h>
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process_internal.h>
#include <vm/amap.h>
#include <vm/map.h>

namespace kern {

namespace {

Mutex s_map_swap_lock;

// Count the pages of `e` that are present in `pmap` into r's usage fields
// (smaps), as Linux's smaps_account: a page mapped by more than one page
// table is shared, its proportional share is its size over that count;
// dirty and referenced are the MMU's bits (or'ed over all its mappings);
// anonymous means it is the entry's amap's (a private copy), not the
// object's. => the map's lock held (its pages stay mapped meanwhile), and
// the amap's if `amap` (e's) is not null.
void count_entry_pages_locked(const vm::MapEntry& e, vm::Amap* amap, arch::Pmap* pmap, MapRegion& r)
{
    for (uptr va = e.m_start; va < e.m_end; va += PAGE_SIZE) {
        PhysAddr pa;
        if (!arch::pmap_extract(pmap, va, &pa))
            continue;
        vm::Page* page = vm::page_allocator().page_for(pa);
        if (!page)
            continue;  // not a managed page
        size_t mappers = max(arch::pmap_mapping_count(*page), size_t(1));
        bool dirty = arch::pmap_is_modified(*page);
        r.rss += PAGE_SIZE;
        r.pss_shifted += (u64(PAGE_SIZE) << MapRegion::PSS_SHIFT) / mappers;
        if (mappers > 1)
            (dirty ? r.shared_dirty : r.shared_clean) += PAGE_SIZE;
        else
            (dirty ? r.private_dirty : r.private_clean) += PAGE_SIZE;
        if (arch::pmap_is_referenced(*page))
            r.referenced += PAGE_SIZE;
        if (amap && amap->lookup_locked(e.amap_slot_of(va)))
            r.anonymous += PAGE_SIZE;
    }
}

// count_entry_pages_locked with e's amap locked. => the map's lock held.
void count_pages_locked(const vm::MapEntry& e, arch::Pmap* pmap, MapRegion& r)
{
    if (!e.m_amap) {
        count_entry_pages_locked(e, nullptr, pmap, r);
        return;
    }
    MutexGuard guard(e.m_amap->lock());  // order: map -> amap (vm/amap.h)
    count_entry_pages_locked(e, e.m_amap, pmap, r);
}

MapRegion region_of(const vm::MapEntry& e, uptr brk_start, uptr brk_end)
{
    MapRegion r;
    r.start = e.m_start;
    r.end = e.m_end;
    r.prot = e.m_prot;
    r.max_prot = e.m_max_prot;
    r.wired = e.m_wired_count > 0;
    r.not_inherited = e.m_inherit == vm::Inherit::None;
    r.shared = !e.has(vm::MapEntry::COPY_ON_WRITE);
    r.offset = e.m_object ? e.m_object_offset : 0;
    // Linux's vma_is_initial_heap: the entry overlaps [start_brk, brk).
    if (e.m_start < brk_end && e.m_end > brk_start)
        r.label = MapRegion::Label::Heap;
    else if (e.m_end == USER_STACK_TOP)
        r.label = MapRegion::Label::Stack;
    return r;
}

} // namespace

Mutex& process_map_swap_lock() { return s_map_swap_lock; }

ErrorOr<Vector<MapRegion>> copy_process_regions(u32 pid, bool count_pages)
{
    MutexGuard swap_guard(s_map_swap_lock);
    Process* p;
    vm::VmMap* map;
    {
        SpinGuard guard(process_tree_lock());
        p = Process::find_locked(pid);
        if (!p)
            return Errno::ESRCH;
        map = p->map();
    }
    Vector<MapRegion> regions;
    if (!map)
        return regions;  // a zombie, or a process that never loaded a program: empty, as Linux
    // From here p and map stay alive: see the header comment.
    uptr brk_start, brk_end;
    {
        MutexGuard guard(p->brk_lock());
        brk_start = p->brk_start();
        brk_end = p->brk_end_locked();
    }
    MutexGuard guard(map->lock());
    TRY(regions.try_reserve(map->entry_count()));
    map->for_each_entry_locked([&](const vm::MapEntry& e) {
        MapRegion r = region_of(e, brk_start, brk_end);
        if (count_pages)
            count_pages_locked(e, map->pmap(), r);
        MUST(regions.try_append(r));  // reserved above
    });
    return regions;
}

} // namespace kern
