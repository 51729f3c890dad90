// kernel/top/syscall/sys_memory.cpp -- brk, mmap, munmap, mprotect, msync, madvise: the VM system's user interface.
//
// Each call checks its arguments the way Linux does (the same errno for the
// same mistake) and then is one VmMap operation (vm/map.h):
//   brk       grow or shrink the heap right after the program's bss;
//   mmap      anonymous memory: private (an amap, zero-fill on demand) or
//             shared (an anonymous object, so a fork's child shares it);
//             a file: its VM object -- the very object whose pages read and
//             write copy through (fs/ubc/ubc.h), so a MAP_SHARED mapping and
//             read/write see the same bytes at once; MAP_PRIVATE maps it
//             copy-on-write (the first write copies the page into an amap);
//   munmap    VmMap::unmap; mprotect  VmMap::protect;
//   msync     VmMap::sync: MS_SYNC writes back the pages that the range's
//             shared file mappings have dirtied (the pager's put_pages);
//   madvise   MADV_DONTNEED and MADV_FREE: VmMap::discard (private pages
//             dropped, translations removed); the other advice it accepts
//             are hints it does not act on.
// Addresses from user space are only compared and passed to the map, never
// dereferenced here.
//
// Resource limits (check_growth, Linux's may_expand_vm): brk and mmap fail
// with ENOMEM -- brk by keeping the old break -- when the new pages would
// take the process past
//   RLIMIT_AS    the bytes of every mapping (VmMap::mapped_bytes: program,
//                heap, stack, mmaps, PROT_NONE reservations included);
//   RLIMIT_DATA  the bytes of the private writable mappings other than the
//                stack: the program's data and bss, the heap, private
//                writable mmaps (Linux's data_vm, since 4.7).
// What a MAP_FIXED mapping replaces is not counted twice. Not checked:
// execve's own mappings, and mprotect making a private mapping writable
// (Linux checks both); there is no mremap.
//
// Read more: Linux mm/mmap.c (brk, do_mmap, may_expand_vm), mm/util.c
// (vm_mmap_pgoff), mm/mprotect.c, mm/msync.c, mm/madvise.c, include/uapi/linux/mman.h
// (kernel/base/abi/linux/mman.h); mmap(2), brk(2), msync(2), madvise(2);
// docs/vm.md.
#include <fs/vfs/file.h>
#include <kernel/base/abi/linux/mman.h>
#include <kernel/base/lib/ref_ptr.h>
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_file.h>
#include <vm/aobj.h>
#include <vm/map.h>

namespace kern {

namespace {

// Linux's mmap flags (uapi::MAP_*) are not the VM's (vm::MAP_*): the
// handler translates. The protection bits are the same.
static_assert(u64(vm::PROT_READ) == uapi::PROT_READ && u64(vm::PROT_WRITE) == uapi::PROT_WRITE &&
              u64(vm::PROT_EXEC) == uapi::PROT_EXEC);
constexpr u64 KNOWN_FLAGS = uapi::MAP_SHARED | uapi::MAP_PRIVATE | uapi::MAP_FIXED | uapi::MAP_ANONYMOUS |
                            uapi::MAP_NORESERVE | uapi::MAP_POPULATE | uapi::MAP_FIXED_NOREPLACE |
                            uapi::MAP_STACK | uapi::MAP_GROWSDOWN | uapi::MAP_DENYWRITE |
                            uapi::MAP_EXECUTABLE;
// Where mmap looks for space when given no hint (below the stack, above the heap).
constexpr uptr MMAP_BASE = 0x00007f0000000000ull;

vm::VmMap& current_map() { return *Process::current()->map(); }

// Does [addr, addr + length), rounded up to whole pages, lie below the top
// of the user half (no wrap-around)?
bool in_user_half(uptr addr, size_t length)
{
    // The first check bounds length, so rounding it up cannot overflow.
    return !check_user_range(addr, length).is_error() &&
           !check_user_range(addr, align_up(length, PAGE_SIZE)).is_error();
}

// The VM object to map for descriptor `fd`, referenced, and the highest
// protection the mapping may ever get (mprotect cannot go past it): a
// shared mapping can be made writable only if the file was opened for
// writing. Returns the object. Errors: EBADF, EACCES (not open for
// reading; shared + PROT_WRITE on a file not open for writing), ENODEV (no
// pages to map: a directory, a pipe, a terminal).
ErrorOr<vm::VmObject*> file_object(int fd, bool shared, u64 prot, vm::Prot& max_prot)
{
    auto file = TRY(file_of(fd));  // EBADF for an O_PATH descriptor too
    if (!file->readable())
        return Errno::EACCES;
    vm::VmObject* object = file->vnode().vm_object();
    if (!object)
        return Errno::ENODEV;
    max_prot = vm::PROT_ALL;
    if (shared && !file->writable()) {
        if (prot & vm::PROT_WRITE)
            return Errno::EACCES;
        max_prot = vm::Prot(vm::PROT_READ | vm::PROT_EXEC);
    }
    object->reference();  // the map entry's
    return object;
}

// ---- RLIMIT_AS and RLIMIT_DATA (see the top) ----

// Does `e` count as data: private, writable, not the stack (Linux's
// is_data_mapping)?
bool is_data(const vm::MapEntry& e)
{
    return e.has(vm::MapEntry::COPY_ON_WRITE) && (e.m_prot & vm::PROT_WRITE) && e.m_end != USER_STACK_TOP;
}

// What the limits count, in bytes (Linux's total_vm and data_vm).
struct Footprint {
    size_t total = 0;
    size_t data = 0;
};

// The current process's footprint outside [skip, skip_end) -- the range a
// new mapping will replace. One walk over the map's entries.
Footprint footprint_outside(uptr skip, uptr skip_end)
{
    vm::VmMap& map = current_map();
    Footprint f;
    MutexGuard guard(map.lock());
    map.for_each_entry_locked([&](const vm::MapEntry& e) {
        uptr lo = max(e.m_start, skip), hi = min(e.m_end, skip_end);
        size_t outside = (e.m_end - e.m_start) - (lo < hi ? hi - lo : 0);
        f.total += outside;
        if (is_data(e))
            f.data += outside;
    });
    return f;
}

// May the current process map `length` more bytes (whole pages), as data
// if `data`? `replaced`, if not 0, is where a MAP_FIXED mapping goes: what
// it replaces there is not counted. Nothing to count while both limits are
// infinite, the usual case. Errors: ENOMEM.
ErrorOr<void> check_growth(size_t length, bool data, uptr replaced = 0)
{
    Process* p = Process::current();
    u64 as = p->rlimit(RLIMIT_AS).cur, data_limit = p->rlimit(RLIMIT_DATA).cur;
    if (as == RLIM_INFINITY && (!data || data_limit == RLIM_INFINITY))
        return {};
    Footprint f = replaced ? footprint_outside(replaced, replaced + length) : footprint_outside(0, 0);
    if (as != RLIM_INFINITY && f.total + length > as)
        return Errno::ENOMEM;
    if (data && data_limit != RLIM_INFINITY && f.data + length > data_limit)
        return Errno::ENOMEM;
    return {};
}

} // namespace

// brk(addr): Returns the new break, or the old one if addr is 0, below the
// start, or cannot be had (Linux returns the current break instead of an
// error) -- also when RLIMIT_AS or RLIMIT_DATA refuses the growth.
static ErrorOr<u64> sys_brk(uptr want)
{
    Process* p = Process::current();
    MutexGuard guard(p->brk_lock());
    uptr old_brk = p->brk_end_locked();
    if (want < p->brk_start() || want >= MMAP_BASE)
        return u64(old_brk);
    uptr old_end = align_up(old_brk, PAGE_SIZE), new_end = align_up(want, PAGE_SIZE);
    if (new_end > old_end) {
        if (check_growth(new_end - old_end, true).is_error())
            return u64(old_brk);
        auto r = current_map().map(old_end, new_end - old_end, vm::PROT_READ | vm::PROT_WRITE, vm::PROT_ALL,
                                   vm::Inherit::Copy, nullptr, 0, vm::MAP_PRIVATE | vm::MAP_FIXED | vm::MAP_NOREPLACE);
        if (r.is_error())
            return u64(old_brk);
    } else if (new_end < old_end) {
        if (current_map().unmap(new_end, old_end - new_end).is_error())
            return u64(old_brk);
    }
    p->set_brk_end_locked(want);
    return u64(want);
}
SYSCALL(12, brk);

// mmap(addr, length, prot, flags, fd, offset). Returns the address of the
// mapping. Errors: EINVAL (no length, unknown flags or prot bits, neither
// or both of shared and private, an unaligned offset or fixed address),
// ENOMEM (no room; past RLIMIT_AS or RLIMIT_DATA), file_object's.
static ErrorOr<u64> sys_mmap(uptr addr, size_t length, u64 prot, u64 flags, u64 fd, u64 offset)
{
    if (length == 0 || (flags & ~KNOWN_FLAGS) || (prot & ~u64(vm::PROT_ALL)))
        return Errno::EINVAL;
    u64 type = flags & uapi::MAP_SHARED_VALIDATE;
    if (type != uapi::MAP_SHARED && type != uapi::MAP_PRIVATE)
        return Errno::EINVAL;
    if (!vm::is_page_aligned(offset))
        return Errno::EINVAL;
    if (length > vm::USER_MAX)
        return Errno::ENOMEM;  // more than an address space (Linux: ENOMEM, not EINVAL)
    bool fixed = flags & (uapi::MAP_FIXED | uapi::MAP_FIXED_NOREPLACE);
    if (fixed && !vm::is_page_aligned(addr))
        return Errno::EINVAL;
    if (fixed && !in_user_half(addr, length))
        return Errno::ENOMEM;  // Linux's get_unmapped_area: no room there
    u32 map_flags = (fixed ? vm::MAP_FIXED : 0) | ((flags & uapi::MAP_FIXED_NOREPLACE) ? vm::MAP_NOREPLACE : 0);
    vm::VmObject* object = nullptr;
    vm::Inherit inherit = vm::Inherit::Copy;
    vm::Prot max_prot = vm::PROT_ALL;
    u64 object_offset = 0;
    if (!(flags & uapi::MAP_ANONYMOUS)) {
        object = TRY(file_object(int(fd), type == uapi::MAP_SHARED, prot, max_prot));
        object_offset = offset;
        if (type == uapi::MAP_SHARED)
            inherit = vm::Inherit::Share;
        else
            map_flags |= vm::MAP_PRIVATE;
    } else if (type == uapi::MAP_SHARED) {
        object = TRY(vm::AnonObject::create());  // shared anonymous memory: one object for all sharers
        inherit = vm::Inherit::Share;
    } else {
        map_flags |= vm::MAP_PRIVATE;
    }
    bool data = type == uapi::MAP_PRIVATE && (prot & vm::PROT_WRITE);
    if (auto limits = check_growth(align_up(length, PAGE_SIZE), data, fixed ? addr : 0); limits.is_error()) {
        if (object)
            object->detach();
        return limits.error();
    }
    uptr hint = fixed ? addr : (addr ? align_down(addr, PAGE_SIZE) : MMAP_BASE);
    auto r = current_map().map(hint, length, vm::Prot(prot), max_prot, inherit, object,
                               object_offset, map_flags);
    if (r.is_error() && !fixed && r.error() == Errno::ENOMEM && hint > vm::USER_MIN) {
        // No room above the hint: anywhere will do, as in Linux.
        r = current_map().map(vm::USER_MIN, length, vm::Prot(prot), max_prot, inherit, object,
                              object_offset, map_flags);
    }
    if (r.is_error()) {
        if (object)
            object->detach();
        return r.error();
    }
    return u64(r.value());
}
SYSCALL(9, mmap);

// munmap(addr, length). Errors: EINVAL (unaligned, empty, or past the user
// half). The unmapped page 0 and the rest below USER_MIN hold nothing to
// unmap: that part of a range is skipped, as Linux finds nothing there.
static ErrorOr<u64> sys_munmap(uptr start, size_t length)
{
    if (!vm::is_page_aligned(start) || length == 0 || !in_user_half(start, length))
        return Errno::EINVAL;
    length = align_up(length, PAGE_SIZE);
    if (start < vm::USER_MIN) {
        if (length <= vm::USER_MIN - start)
            return 0;
        length -= vm::USER_MIN - start;
        start = vm::USER_MIN;
    }
    TRY(current_map().unmap(start, length));
    return 0;
}
SYSCALL(11, munmap);

// mprotect(addr, length, prot). Errors: EINVAL (unaligned, unknown prot
// bits), ENOMEM (a page of the range is not mapped -- as Linux, also for a
// range that leaves the user half or wraps around), EACCES (above the
// mapping's maximum protection).
static ErrorOr<u64> sys_mprotect(uptr start, size_t length, u64 prot)
{
    if (!vm::is_page_aligned(start) || (prot & ~u64(vm::PROT_ALL)))
        return Errno::EINVAL;
    if (length == 0)
        return 0;
    if (start < vm::USER_MIN || !in_user_half(start, length))
        return Errno::ENOMEM;
    TRY(current_map().protect(start, length, vm::Prot(prot)));
    return 0;
}
SYSCALL(10, mprotect);

// Round `length` up to whole pages the way Linux does: a length within a
// page of the top wraps around to 0.
static size_t round_length(size_t length) { return (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

// msync(addr, length, flags), after Linux's mm/msync.c, in its order:
// EINVAL for unknown flags, an unaligned addr, or MS_SYNC with MS_ASYNC;
// the length is rounded up to pages, ENOMEM if the range wraps around, 0
// if it is empty. Then one VmMap::sync walk: with MS_SYNC, the shared
// object mappings of the range are written back; MS_ASYNC does nothing
// more (Linux since 2.6.19: dirty pages are written back anyway, by the
// syncer); MS_INVALIDATE only refuses wired memory (EBUSY) -- there is no
// other copy of a page to invalidate, a mapping and read(2) see the same
// pages. Errors: EINVAL, ENOMEM (part of the range is not mapped; the
// mapped parts are still synced), EBUSY, EIO (the pager's).
static ErrorOr<u64> sys_msync(uptr start, size_t length, u64 flags)
{
    if ((flags & ~(uapi::MS_ASYNC | uapi::MS_INVALIDATE | uapi::MS_SYNC)) || !vm::is_page_aligned(start))
        return Errno::EINVAL;
    if ((flags & uapi::MS_ASYNC) && (flags & uapi::MS_SYNC))
        return Errno::EINVAL;
    length = round_length(length);
    if (start + length < start)
        return Errno::ENOMEM;
    if (length == 0)
        return 0;
    u32 sync_flags = ((flags & uapi::MS_SYNC) ? vm::SYNC_WRITE : 0) |
                     ((flags & uapi::MS_INVALIDATE) ? vm::SYNC_INVALIDATE : 0);
    TRY(current_map().sync(start, length, sync_flags));
    return 0;
}
SYSCALL(26, msync);

// What madvise does with each advice it accepts (every other value,
// including the ones Linux knows but this kernel does not do, is EINVAL, as
// from a Linux built without that feature).
namespace {

enum class AdviceAction { Nothing, Discard, DiscardAnonymous, Refuse };

AdviceAction advice_action(int advice)
{
    switch (advice) {
    case uapi::MADV_NORMAL:      // read-ahead hints: the file systems read
    case uapi::MADV_RANDOM:      // ahead by their own rule; not recorded
    case uapi::MADV_SEQUENTIAL:
    case uapi::MADV_WILLNEED:    // a hint: the next touch faults the page in
    case uapi::MADV_COLD:        // hints for the page daemon: none yet
    case uapi::MADV_PAGEOUT:
    case uapi::MADV_DONTDUMP:    // no core dumps: nothing to leave out
    case uapi::MADV_DODUMP:
        return AdviceAction::Nothing;
    case uapi::MADV_DONTNEED:
        return AdviceAction::Discard;
    case uapi::MADV_FREE:        // may free lazily: freeing now is allowed
        return AdviceAction::DiscardAnonymous;
    default:                     // MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK,
        return AdviceAction::Refuse;  // huge pages, KSM, wipe-on-fork, ...
    }
}

} // namespace

// madvise(addr, length, advice), after Linux's mm/madvise.c, in its order:
// EINVAL for advice this kernel does not take (advice_action) or an
// unaligned addr; the length is rounded up to pages, EINVAL if that wraps
// around, 0 if empty. Every advice then needs the range mapped (ENOMEM
// otherwise -- after acting on the mapped parts, as Linux). MADV_DONTNEED:
// VmMap::discard -- private memory reads as zeros or the file's bytes
// again, shared mappings keep their data; EINVAL on wired memory.
// MADV_FREE: the same, and EINVAL on anything but private anonymous memory
// (Linux: only where vma_is_anonymous). Errors: EINVAL, ENOMEM.
static ErrorOr<u64> sys_madvise(uptr start, size_t length, u64 advice)
{
    AdviceAction action = advice_action(int(advice));
    if (action == AdviceAction::Refuse || !vm::is_page_aligned(start))
        return Errno::EINVAL;
    size_t rounded = round_length(length);
    if ((length && !rounded) || start + rounded < start)
        return Errno::EINVAL;
    if (rounded == 0)
        return 0;
    vm::VmMap& map = current_map();
    switch (action) {
    case AdviceAction::Discard:
        TRY(map.discard(start, rounded, 0));
        break;
    case AdviceAction::DiscardAnonymous:
        TRY(map.discard(start, rounded, vm::DISCARD_ANON_ONLY));
        break;
    default:
        if (!map.is_fully_mapped(start, rounded))
            return Errno::ENOMEM;
        break;
    }
    return 0;
}
SYSCALL(28, madvise);

} // namespace kern
