// fs/procfs/proc_text.cpp -- the text of each /proc file, in Linux's formats.
//
// generate() writes one file into a Text (a heap buffer that grows). The
// numbers come from copies: kern::ProcessSnapshot and ProcessCounts
// (kernel/top/proc/process.h, copied under the process-tree lock), the
// page allocator's and the VM's counters (read without a lock: each is one
// word, and a snapshot that is a page off is still a snapshot). Nothing here holds a lock while it
// formats or allocates. Formats: Linux's proc(5), the fields busybox reads.
//
// Times: Linux reports CPU times in clock ticks (USER_HZ, 100 a second);
// the kernel counts nanoseconds, so they are divided by 10^7.
//
// /proc/meminfo, /proc/vmstat, /proc/swaps: fs/procfs/proc_vm.cpp.
//
// /proc/fs/mfs/<unit>: an MFS device's counters (fs/mfs/mfs.h:MfsStats,
// a copy made under the device's lock), one "name value" line each, in a
// fixed order -- `make bench` parses exactly these lines (docs/mfs.md):
//
//   requests N          reads and writes the server did
//   inline_requests N   done at once in the server's own thread
//   bytes N             copied between the kernel and the server's memory
//   wakeups N           times the server woke for work (switch pairs)
//   discards N          pages of freed blocks the server dropped
//
// /proc/mounts: the mount table's list (fs/vfs/mount.h:list_mounts), each
// mount point's path found as getcwd finds a directory's (walking "..").
//
// /proc/<pid>/maps: a copy of the process's map entries
// (kern::copy_process_regions, made under the map's lock), each formatted
// by maps_line.h with no lock held. smaps adds Linux's fields below each
// line: the sizes and page counts copy_process_regions counted, 0 kB for
// what this kernel has not (swap, huge pages).
#include <arch/time.h>
#include <fs/mfs/mfs.h>
#include <fs/procfs/maps_line.h>
#include <fs/procfs/procfs.h>
#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/process.h>
#include <stdarg.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>
#include <vm/vm.h>

namespace fs::procfs {

// ---- Text ----------------------------------------------------------------------

void Text::append(const char* s, size_t n)
{
    if (m_failed || n == 0)
        return;
    if (m_chars.try_append(s, n).is_error())
        m_failed = true;
}

void Text::printf(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kern::vformat([](void* self, const char* s, size_t n) { static_cast<Text*>(self)->append(s, n); },
                  this, fmt, ap);
    va_end(ap);
}

namespace {

constexpr u64 NS_PER_TICK = 10000000;  // USER_HZ = 100
constexpr size_t MAX_MOUNTS_LISTED = 64;

u64 ticks(u64 ns) { return ns / NS_PER_TICK; }

// Seconds since boot, and hundredths.
void put_seconds(Text& out, u64 ns)
{
    out.printf("%lu.%02lu", ns / 1000000000, (ns / NS_PER_TICK) % 100);
}

// CPU time no process used: the idle time of the one CPU.
u64 idle_ns(const kern::ProcessCounts& c)
{
    u64 up = arch::monotonic_ns();
    u64 busy = c.user_ns + c.system_ns;
    return up > busy ? up - busy : 0;
}

void uptime(Text& out)
{
    kern::ProcessCounts c = kern::count_processes();
    put_seconds(out, arch::monotonic_ns());
    out.append(" ", 1);
    put_seconds(out, idle_ns(c));
    out.append("\n", 1);
}

void cpu_stat(Text& out)
{
    kern::ProcessCounts c = kern::count_processes();
    u64 user = ticks(c.user_ns), sys = ticks(c.system_ns), idle = ticks(idle_ns(c));
    // user nice system idle iowait irq softirq steal guest guest_nice
    out.printf("cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle);
    out.printf("cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle);
    out.printf("intr 0\nctxt %lu\n", c.switches);
    out.printf("btime %lu\n", arch::wall_clock_seconds() - arch::monotonic_ns() / 1000000000);
    out.printf("processes %u\nprocs_running %u\nprocs_blocked 0\n", c.last_pid, c.running);
}

// ---- /proc/mounts ----

void mounts(Text& out)
{
    auto ctx = root_context();
    auto path_buffer = kern::KBuffer::create(PATH_MAX);
    kern::Vector<MountEntry> list;
    if (ctx.is_error() || path_buffer.is_error() || list.try_resize(MAX_MOUNTS_LISTED).is_error()) {
        out.fail();
        return;
    }
    auto* path = reinterpret_cast<char*>(path_buffer.value().data());
    size_t n = list_mounts(list.data(), MAX_MOUNTS_LISTED);
    for (size_t i = 0; i < n; ++i) {
        const char* where = "/";
        if (list[i].covered) {
            Context at = ctx.value();
            at.cwd = kern::RefPtr<Vnode>::adopt(list[i].covered);  // takes over the reference
            if (getcwd(at, path, PATH_MAX).is_error())
                continue;  // unmounted and gone meanwhile
            where = path;
        }
        // The device column: the type's name, as Linux shows for tmpfs and proc.
        out.printf("%s %s %s rw 0 0\n", list[i].type, where, list[i].type);
    }
}

// ---- /proc/<pid> ----

void pid_stat(Text& out, const kern::ProcessSnapshot& p)
{
    // 1 pid (comm) state ppid pgrp session tty_nr tpgid flags
    out.printf("%u (%s) %c %u %u %u 0 -1 0 ", p.pid, p.name, p.state, p.ppid, p.pgid, p.sid);
    // 10 minflt cminflt majflt cmajflt utime stime cutime cstime
    out.printf("%lu %lu %lu %lu %lu %lu %lu %lu ", p.usage.minflt, p.children_usage.minflt,
               p.usage.majflt, p.children_usage.majflt,
               ticks(p.usage.user_ns), ticks(p.usage.system_ns), ticks(p.children_usage.user_ns),
               ticks(p.children_usage.system_ns));
    // 18 priority nice num_threads itrealvalue starttime vsize rss rsslim
    out.printf("20 0 1 0 0 0 0 18446744073709551615 ");
    // 26 startcode endcode startstack kstkesp kstkeip signal blocked sigignore sigcatch
    out.printf("0 0 0 0 0 %lu %lu 0 0 ", p.sig_pending, p.sig_blocked);
    // 35 wchan nswap cnswap exit_signal processor rt_priority policy
    // delayed_acct_blkio_ticks guest_time cguest_time start_data end_data
    // start_brk arg_start arg_end env_start env_end exit_code
    out.printf("0 0 0 %u 0 0 0 0 0 0 0 0 0 0 0 0 0 %d\n", p.exit_signal, p.exit_code);
}

const char* state_name(char state)
{
    switch (state) {
    case 'R': return "R (running)";
    case 'T': return "T (stopped)";
    case 'Z': return "Z (zombie)";
    default: return "S (sleeping)";
    }
}

void pid_status(Text& out, const kern::ProcessSnapshot& p)
{
    out.printf("Name:\t%s\nState:\t%s\nTgid:\t%u\nPid:\t%u\nPPid:\t%u\n", p.name,
               state_name(p.state), p.pid, p.pid, p.ppid);
    out.printf("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
    out.printf("VmHWM:\t%8lu kB\nThreads:\t1\n", p.usage.maxrss_pages * (PAGE_SIZE / 1024));
    out.printf("SigPnd:\t%016lx\nSigBlk:\t%016lx\n", p.sig_pending, p.sig_blocked);
    out.printf("voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n", p.usage.nvcsw,
               p.usage.nivcsw);
}

// ---- /proc/<pid>/maps ----

const char* region_name(kern::MapRegion::Label label)
{
    switch (label) {
    case kern::MapRegion::Label::Heap: return "[heap]";
    case kern::MapRegion::Label::Stack: return "[stack]";
    default: return nullptr;
    }
}

void put_maps_line(Text& out, const kern::MapRegion& r)
{
    MapsLine line;
    line.start = r.start;
    line.end = r.end;
    line.offset = r.offset;
    line.read = r.prot & vm::PROT_READ;
    line.write = r.prot & vm::PROT_WRITE;
    line.exec = r.prot & vm::PROT_EXEC;
    line.shared = r.shared;
    line.name = region_name(r.label);
    char text[MAPS_LINE_MAX];
    size_t length = format_maps_line(line, text, sizeof text);
    KASSERT(length < sizeof text);  // no name is longer than "[stack]"
    out.append(text, length);
}

// One smaps field: the name padded to 16 columns, the value to 8 (Linux's
// SEQ_PUT_DEC).
void put_kb(Text& out, const char* name, u64 bytes) { out.printf("%-16s%8lu kB\n", name, bytes / 1024); }

// Linux's VmFlags mnemonics (fs/proc/task_mmu.c:show_smap_vma_flags), in
// its order, for the flags an entry here has.
void put_vm_flags(Text& out, const kern::MapRegion& r)
{
    out.printf("VmFlags:");
    const struct { bool on; const char* name; } flags[] = {
        {bool(r.prot & vm::PROT_READ), "rd"},      {bool(r.prot & vm::PROT_WRITE), "wr"},
        {bool(r.prot & vm::PROT_EXEC), "ex"},      {r.shared, "sh"},
        {bool(r.max_prot & vm::PROT_READ), "mr"},  {bool(r.max_prot & vm::PROT_WRITE), "mw"},
        {bool(r.max_prot & vm::PROT_EXEC), "me"},  {r.shared, "ms"},
        {r.wired, "lo"},                           {r.not_inherited, "dc"},
    };
    for (const auto& f : flags)
        if (f.on)
            out.printf(" %s", f.name);
    out.printf(" \n");
}

// The fields of Linux 6.x in its order; those this kernel cannot know
// (swap, huge pages, KSM, MADV_FREE) are 0 kB.
void put_smaps_entry(Text& out, const kern::MapRegion& r)
{
    put_maps_line(out, r);
    put_kb(out, "Size:", r.end - r.start);
    put_kb(out, "KernelPageSize:", PAGE_SIZE);
    put_kb(out, "MMUPageSize:", PAGE_SIZE);
    put_kb(out, "Rss:", r.rss);
    put_kb(out, "Pss:", r.pss_shifted >> kern::MapRegion::PSS_SHIFT);
    put_kb(out, "Pss_Dirty:", 0);
    put_kb(out, "Shared_Clean:", r.shared_clean);
    put_kb(out, "Shared_Dirty:", r.shared_dirty);
    put_kb(out, "Private_Clean:", r.private_clean);
    put_kb(out, "Private_Dirty:", r.private_dirty);
    put_kb(out, "Referenced:", r.referenced);
    put_kb(out, "Anonymous:", r.anonymous);
    const char* zero[] = {"KSM:", "LazyFree:", "AnonHugePages:", "ShmemPmdMapped:", "FilePmdMapped:",
                          "Shared_Hugetlb:", "Private_Hugetlb:", "Swap:", "SwapPss:"};
    for (const char* name : zero)
        put_kb(out, name, 0);
    put_kb(out, "Locked:", r.wired ? r.rss : 0);
    out.printf("%-16s%8d\n", "THPeligible:", 0);
    put_vm_flags(out, r);
}

// /proc/<pid>/maps, or smaps with `detailed`. Errors: ESRCH (the process
// is gone), ENOMEM.
ErrorOr<void> pid_maps(Text& out, u32 pid, bool detailed)
{
    kern::Vector<kern::MapRegion> regions = TRY(kern::copy_process_regions(pid, detailed));
    for (const kern::MapRegion& r : regions) {
        if (detailed)
            put_smaps_entry(out, r);
        else
            put_maps_line(out, r);
    }
    return {};
}

// Errors: ENODEV (no such unit: the device went since the lookup).
ErrorOr<void> mfs_unit(Text& out, u32 unit)
{
    fs::mfs::MfsStats st;
    if (!fs::mfs::stats_of(unit, st))
        return Errno::ENODEV;
    out.printf("requests %lu\ninline_requests %lu\nbytes %lu\nwakeups %lu\ndiscards %lu\n", st.requests,
               st.inline_requests, st.bytes, st.wakeups, st.discards);
    return {};
}

} // namespace

ErrorOr<void> generate(Kind kind, u32 pid, Text& out)
{
    if (kind == Kind::PidStat || kind == Kind::PidStatus) {
        kern::ProcessSnapshot p = TRY(kern::snapshot_process(pid));  // ESRCH: gone
        if (kind == Kind::PidStat)
            pid_stat(out, p);
        else
            pid_status(out, p);
        return out.failed() ? ErrorOr<void>(Errno::ENOMEM) : ErrorOr<void>();
    }
    switch (kind) {
    case Kind::Meminfo: meminfo(out); break;
    case Kind::Uptime: uptime(out); break;
    case Kind::Loadavg: {
        kern::ProcessCounts c = kern::count_processes();
        out.printf("0.00 0.00 0.00 %u/%u %u\n", c.running, c.total, c.last_pid);
        break;
    }
    case Kind::Stat: cpu_stat(out); break;
    case Kind::Version: out.printf("teachos version 0.1 #1 teachos 0.1 (an x86-64 teaching kernel)\n"); break;
    case Kind::Mounts: mounts(out); break;
    case Kind::Vmstat: vmstat(out); break;
    case Kind::Swaps: swaps(out); break;
    case Kind::PidMaps: TRY(pid_maps(out, pid, false)); break;
    case Kind::PidSmaps: TRY(pid_maps(out, pid, true)); break;
    case Kind::MfsUnit: TRY(mfs_unit(out, pid)); break;
    case Kind::PidCmdline: {
        // What execve kept (at most CMDLINE_MAX bytes), or the name.
        kern::KBuffer buf = TRY(kern::KBuffer::create(kern::Process::CMDLINE_MAX));
        auto* chars = reinterpret_cast<char*>(buf.data());
        size_t length = TRY(kern::copy_process_cmdline(pid, chars, buf.size()));  // ESRCH: gone
        out.append(chars, length);
        break;
    }
    default: return Errno::EINVAL;
    }
    if (out.failed())
        return Errno::ENOMEM;
    return {};
}

} // namespace fs::procfs
