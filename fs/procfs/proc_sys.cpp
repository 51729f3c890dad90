// fs/procfs/proc_sys.cpp -- /proc/sys: the files whose writes change the kernel.
//
// Linux's /proc/sys ("sysctl") is a tree of kernel variables, each one a
// file holding its value as text. teachos has one so far:
//
//   /proc/sys/vm/drop_caches   write-only (mode 0200, even for root)
//
// Writing a number asks every mounted file system to let go of what it
// caches but could read again: clean pages of files nobody has open, idle
// metadata buffers, inactive vnodes (fs/vfs/vfs.h:drop_caches_all, which
// calls FileSystem::drop_caches on each). Dirty data stays: sync(1) first
// to drop it all. Linux's values (Documentation/admin-guide/sysctl/vm.rst):
//
//   1  the page cache           2  slab objects (dentries, inodes)
//   3  both                     4  stop logging "drop_caches: N" (bit 2)
//
// teachos's FileSystem::drop_caches does not tell the two kinds apart, so
// 1, 2 and 3 all make one call; 4 is taken and does nothing (teachos logs
// nothing to silence). Anything else -- 0, 5 or more, a negative number,
// text -- is EINVAL, as Linux's range check (1..4) says. The text is read
// as Linux reads a sysctl int (sysctl_int.h: leading space, one number,
// trailing whitespace; "3\n" from echo is the usual form).
//
// Two more of Linux's rules: a write at an offset past 0 is ignored and
// reported as taken (sysctl_writes_strict, on by default: a second write
// on the same open file changes nothing), and an empty write takes 0 bytes.
// Linux reads at most a page of one write; teachos, SYSCTL_WRITE_MAX bytes,
// and refuses longer ones (EINVAL).
//
// /proc/vmstat's drop_pagecache and drop_slab count the writes that asked
// for each (Linux counts them there too): a way to see that it ran.
//
// Read more: Linux fs/drop_caches.c (drop_caches_sysctl_handler),
// kernel/sysctl.c (proc_dointvec_minmax); proc_sys_vm(5); docs/procfs.md.
#include <fs/procfs/procfs.h>
#include <fs/procfs/sysctl_int.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/lib/assert.h>

namespace fs::procfs {

namespace {

constexpr i64 DROP_PAGECACHE = 1, DROP_SLAB = 2, DROP_QUIET = 4;

u64 s_dropped_pagecache = 0;  // atomics: writers may race
u64 s_dropped_slab = 0;

// Do what `value` (already checked: 1..4) asks.
void drop_caches(i64 value)
{
    if (value & DROP_PAGECACHE)
        __atomic_add_fetch(&s_dropped_pagecache, 1, __ATOMIC_RELAXED);
    if (value & DROP_SLAB)
        __atomic_add_fetch(&s_dropped_slab, 1, __ATOMIC_RELAXED);
    if (value & (DROP_PAGECACHE | DROP_SLAB))
        drop_caches_all();
}

// Returns the bytes taken. Errors: EINVAL, EFAULT.
ErrorOr<size_t> write_drop_caches(u64 offset, const IoBuffer& buf, size_t n)
{
    if (n == 0 || offset > 0)
        return n;  // nothing, or ignored past offset 0 (Linux's strict writes)
    if (n > SYSCTL_WRITE_MAX)
        return Errno::EINVAL;
    char text[SYSCTL_WRITE_MAX];
    TRY(buf.read_into(text, 0, n));
    SysctlInt number = TRY(parse_sysctl_int(text, n));
    if (number.value < DROP_PAGECACHE || number.value > DROP_QUIET)
        return Errno::EINVAL;
    drop_caches(number.value);
    return number.used;
}

} // namespace

ErrorOr<size_t> write_sysctl(Kind kind, u64 offset, const IoBuffer& buf, size_t n)
{
    KASSERT(kind == Kind::DropCaches);
    return write_drop_caches(offset, buf, n);
}

DropCounts drop_counts()
{
    return {__atomic_load_n(&s_dropped_pagecache, __ATOMIC_RELAXED),
            __atomic_load_n(&s_dropped_slab, __ATOMIC_RELAXED)};
}

} // namespace fs::procfs
