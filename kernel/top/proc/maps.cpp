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
// Process::brk_lock() -> nothing; s_map_swap_lock -> VmMap::m_lock.
// s_map_swap_lock is taken by a reader for the time of one copy, and by
// exit and execve for one pointer swap.
//
// How an entry is labelled follows Linux's fs/proc/task_mmu.c (read for
// design): [heap] for the entries that overlap the program break's range
// [brk_start, brk_end),
// [stack] for the one execve placed at USER_STACK_TOP. See docs/procfs.md.
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process_internal.h>
#include <vm/map.h>

namespace kern {

namespace {

Mutex s_map_swap_lock;

MapRegion region_of(const vm::MapEntry& e, uptr brk_start, uptr brk_end)
{
    MapRegion r;
    r.start = e.m_start;
    r.end = e.m_end;
    r.prot = e.m_prot;
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

ErrorOr<Vector<MapRegion>> copy_process_regions(u32 pid)
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
        MUST(regions.try_append(region_of(e, brk_start, brk_end)));  // reserved above
    });
    return regions;
}

} // namespace kern
