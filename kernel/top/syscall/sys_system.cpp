// kernel/top/syscall/sys_system.cpp -- the machine as a whole: uname, sysinfo, getrandom, reboot, and
// the calls a C library makes at start.
//
//   uname      fixed strings: teachos, release 0.1, x86_64.
//   sysinfo    the uptime, the process count and the memory totals (below).
//   getrandom  arch::random_u64's bits; never blocks.
//   reboot     POWER_OFF and HALT end the machine through isa-debug-exit
//              (QEMU exits with status 0), RESTART resets it.
//   set_robust_list, rseq  what musl and glibc call at start: accepted
//              (robust lists matter only to threads) or ENOSYS (rseq), so
//              no console line is printed at every program start.
//
// sysinfo's freeram is "the kernel counter of free memory" the user test
// harness (user/tests/harness.h) compares before and after a suite to find
// leaks, so it must come back to the byte when everything a suite made is
// gone. The page allocator's free count alone does not: the kernel heap may
// end a suite holding the same objects spread over one more slab page (a
// freed object's slot is not always the one reused), which looks like a
// one-page leak (seen: 1 run in 3 of an empty suite). So freeram counts
// every byte that holds nothing:
//
//     free pages + page-table pages + heap pages      (in bytes)
//     - bytes of live heap objects (heap_stats().bytes_in_use)
//
// Heap slack (free slots, spare slabs) is free memory here; a leaked
// 64-byte object is 64 bytes less. Page-table pages count as free, as in the
// in-kernel tests' leak check (kernel/base/ktest/ktest.cpp), because the kernel
// map keeps the tables it builds (user pmaps' tables are checked by the
// pmap and vm_map suites instead). With mem_unit 1 the value is in bytes.
//
// Sources: the Linux man pages uname(2), sysinfo(2), getrandom(2),
// reboot(2), set_robust_list(2), rseq(2); Linux kernel/sys.c (uname,
// sysinfo), kernel/reboot.c (the magic numbers), drivers/char/random.c
// (getrandom's flags).
#include <arch/cpu.h>
#include <arch/debug.h>
#include <arch/pmap.h>
#include <arch/time.h>
#include <kernel/base/abi/linux/random.h>
#include <kernel/base/abi/linux/reboot.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/swap.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>

namespace kern {

namespace {

constexpr u64 NS_PER_SEC = 1000000000ull;

// struct new_utsname: six NUL-terminated fields of 65 bytes.
constexpr size_t UTS_LEN = 65;
struct Utsname {
    char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN], version[UTS_LEN], machine[UTS_LEN],
        domainname[UTS_LEN];
};

// Linux's struct sysinfo on x86-64.
struct Sysinfo {
    i64 uptime;
    u64 loads[3];
    u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    u16 procs, pad;
    u64 totalhigh, freehigh;
    u32 mem_unit;
};
static_assert(sizeof(Sysinfo) == 112, "Linux's struct sysinfo on x86-64");

// struct robust_list_head's size: the only `len` set_robust_list accepts.
constexpr size_t ROBUST_LIST_HEAD_SIZE = 24;

} // namespace

// uname(buf): struct utsname. Errors: EFAULT.
static ErrorOr<u64> sys_uname(UserPtr<Utsname> buf)
{
    Utsname u;
    memset(&u, 0, sizeof(u));
    auto put = [](char* field, const char* text) { memcpy(field, text, strlen(text) + 1); };
    put(u.sysname, "teachos");
    put(u.nodename, "teachos");
    put(u.release, "0.1");
    put(u.version, "#1 teachos 0.1 (an x86-64 teaching kernel)");
    put(u.machine, "x86_64");
    put(u.domainname, "(none)");
    TRY(copy_to_user(buf, &u));
    return 0;
}
SYSCALL(63, uname);

// sysinfo(info): struct sysinfo with mem_unit 1 (sizes in bytes). Errors: EFAULT.
static ErrorOr<u64> sys_sysinfo(UserPtr<Sysinfo> user_info)
{
    Sysinfo info;
    memset(&info, 0, sizeof(info));
    u64 now = arch::monotonic_ns();
    info.uptime = i64(now / NS_PER_SEC + (now % NS_PER_SEC ? 1 : 0));  // rounded up, as Linux
    vm::PageStats pages = vm::page_allocator().stats();
    HeapStats heap = heap_stats();
    info.totalram = pages.total * PAGE_SIZE;
    // Every byte that holds nothing: see the top comment.
    info.freeram = (pages.free + arch::pmap_table_pages() + heap.pages) * PAGE_SIZE - heap.bytes_in_use;
    const vm::SwapTotals swap = vm::swap_totals();
    info.totalswap = u64(swap.total_pages) * PAGE_SIZE;
    info.freeswap = u64(swap.free_pages) * PAGE_SIZE;
    info.procs = u16(min<size_t>(process_count(), 0xffff));
    info.mem_unit = 1;
    TRY(copy_to_user(user_info, &info));
    return 0;
}
SYSCALL(99, sysinfo);

// getrandom(buf, count, flags): arch::random_u64's bits (never blocks).
// Returns the bytes written (fewer if a signal arrived or a page was bad
// after some bytes had been written). Errors: EINVAL (flags), EFAULT.
static ErrorOr<u64> sys_getrandom(UserPtr<u8> buf, size_t count, unsigned flags)
{
    using uapi::GRND_INSECURE, uapi::GRND_NONBLOCK, uapi::GRND_RANDOM;
    if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) ||
        (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
        return Errno::EINVAL;
    count = min<u64>(count, INT32_MAX);
    size_t done = 0;
    u64 chunk[32];
    while (done < count) {
        if (done && (done % PAGE_SIZE) == 0 && Thread::current()->interrupt_pending())
            break;  // a long request gives way to a signal, as in Linux
        for (u64& word : chunk)
            word = arch::random_u64();
        size_t n = min(count - done, sizeof(chunk));
        if (copy_to_user(buf.element(done), reinterpret_cast<const u8*>(chunk), n).is_error())
            return done ? ErrorOr<u64>(done) : ErrorOr<u64>(Errno::EFAULT);
        done += n;
    }
    return done;
}
SYSCALL(318, getrandom);

// reboot(magic1, magic2, cmd, arg): POWER_OFF and HALT end the machine with
// status 0 through isa-debug-exit (QEMU exits), RESTART and RESTART2 reset
// it (QEMU -no-reboot exits); CAD_ON/CAD_OFF are accepted and ignored.
// On success the first four do not return. Errors: EINVAL (a magic number
// or cmd).
static ErrorOr<u64> sys_reboot(int magic1, int magic2, unsigned cmd)
{
    using namespace uapi;
    u32 second = u32(magic2);
    bool magic2_ok = second == LINUX_REBOOT_MAGIC2 || second == LINUX_REBOOT_MAGIC2A ||
                     second == LINUX_REBOOT_MAGIC2B || second == LINUX_REBOOT_MAGIC2C;
    if (u32(magic1) != LINUX_REBOOT_MAGIC1 || !magic2_ok)
        return Errno::EINVAL;
    switch (cmd) {
    case LINUX_REBOOT_CMD_POWER_OFF:
    case LINUX_REBOOT_CMD_HALT:
        printk("teachos: power off (reboot from pid %u)\n", Process::current()->pid());
        arch::system_exit(0);
    case LINUX_REBOOT_CMD_RESTART:
    case LINUX_REBOOT_CMD_RESTART2:
        printk("teachos: restart (reboot from pid %u)\n", Process::current()->pid());
        arch::system_reset();
    case LINUX_REBOOT_CMD_CAD_ON:
    case LINUX_REBOOT_CMD_CAD_OFF:
        return 0;
    default:
        return Errno::EINVAL;
    }
}
SYSCALL(169, reboot);

// ---- what a C library sets up at start ----

// set_robust_list(head, len): the futex list a thread library keeps; with
// one thread per process nothing walks it. Errors: EINVAL (len is not the
// size of struct robust_list_head).
static ErrorOr<u64> sys_set_robust_list(UserPtr<const u8> head, size_t len)
{
    UNUSED(head);
    if (len != ROBUST_LIST_HEAD_SIZE)
        return Errno::EINVAL;
    return 0;
}
SYSCALL(273, set_robust_list);

// rseq(...): restartable sequences are not implemented. Registered so that
// the answer is the one old kernels give, without a console line each boot.
static ErrorOr<u64> sys_rseq() { return Errno::ENOSYS; }
SYSCALL(334, rseq);

} // namespace kern
