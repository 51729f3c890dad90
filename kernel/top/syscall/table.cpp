// kernel/top/syscall/table.cpp -- the dispatch table: Linux numbers to handlers.
//
// The rows come from the .syscalls linker section (the SYSCALL macro of
// kernel/top/syscall/syscall.h, one per handler, in the file of its
// family); each holds the handler's thunk, which turns the registers into
// the handler's typed parameters. The first call builds an array indexed
// by number from the rows. A number with
// no handler returns ENOSYS, logged once with its Linux name
// (kernel/top/syscall/names.inc), so a program's missing call is easy to spot.
//
// Read more: Linux arch/x86/entry/syscall_64.c (sys_call_table, filled
// from syscall_64.tbl at build time); docs/abi.md, section 2.
#include <kernel/base/lib/assert.h>
#include <kernel/base/printk.h>
#include <kernel/base/sync/spinlock.h>
#include <kernel/top/syscall/syscall.h>

extern "C" const kern::SyscallRow __syscalls_start[], __syscalls_end[];

namespace kern {

namespace {

struct Name {
    u64 number;
    const char* name;
};
const Name NAMES[] = {
#include "names.inc"
};

SyscallHandler s_table[SYSCALL_MAX];
bool s_logged[SYSCALL_MAX];
bool s_built;
SpinLock s_build_lock;

void build_table()
{
    SpinGuard guard(s_build_lock);
    if (__atomic_load_n(&s_built, __ATOMIC_ACQUIRE))
        return;
    for (const SyscallRow* row = __syscalls_start; row < __syscalls_end; ++row) {
        KASSERT_MSG(row->number < SYSCALL_MAX, "syscall %s: number %lu too big", row->name,
                    row->number);
        KASSERT_MSG(!s_table[row->number], "syscall %lu (%s) registered twice", row->number,
                    row->name);
        s_table[row->number] = row->handler;
    }
    __atomic_store_n(&s_built, true, __ATOMIC_RELEASE);
}

const char* name_of(u64 number)
{
    for (const Name& n : NAMES)
        if (n.number == number)
            return n.name;
    return nullptr;
}

void log_once(u64 number)
{
    // Numbers past the table share one flag: a program looping on a wild
    // number must not flood the console.
    static bool s_logged_big;
    bool& logged = number < SYSCALL_MAX ? s_logged[number] : s_logged_big;
    if (__atomic_exchange_n(&logged, true, __ATOMIC_RELAXED))
        return;
    if (const char* name = name_of(number))
        printk("syscall: %s (%lu) is not implemented: ENOSYS\n", name, number);
    else
        printk("syscall: unknown call %lu: ENOSYS\n", number);
}

} // namespace

i64 syscall(u64 number, const SyscallArgs& args)
{
    if (!__atomic_load_n(&s_built, __ATOMIC_ACQUIRE))
        build_table();
    SyscallHandler handler = number < SYSCALL_MAX ? s_table[number] : nullptr;
    if (!handler) {
        log_once(number);
        return -i64(Errno::ENOSYS);
    }
    ErrorOr<u64> result = handler(args);
    if (result.is_error())
        return -i64(result.error());
    return i64(result.value());
}

} // namespace kern
