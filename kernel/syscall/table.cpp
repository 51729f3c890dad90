// kernel/syscall/table.cpp -- the system-call table: Linux numbers to handlers.
//
// One row per call: its Linux x86-64 number, its name (for the log line of
// an unimplemented call) and its handler. Rows with no handler are calls we
// know by name but do not implement yet: ENOSYS, logged once. Numbers not in
// the table at all are logged once by number.
// Handlers live by subject: kernel/syscall/sys_*.cpp.
#include <kernel/printk.h>
#include <kernel/syscall/handlers.h>
#include <kernel/syscall/syscall.h>

namespace kern {

namespace {

struct Row {
    u16 number;
    const char* name;
    SyscallHandler handler;
};

const Row TABLE[] = {
    {0, "read", nullptr},
    {1, "write", sys_write},
    {2, "open", nullptr},
    {3, "close", nullptr},
    {9, "mmap", sys_mmap},
    {10, "mprotect", sys_mprotect},
    {11, "munmap", sys_munmap},
    {12, "brk", sys_brk},
    {13, "rt_sigaction", nullptr},
    {14, "rt_sigprocmask", nullptr},
    {16, "ioctl", sys_ioctl},
    {20, "writev", sys_writev},
    {39, "getpid", sys_getpid},
    {57, "fork", nullptr},
    {59, "execve", nullptr},
    {60, "exit", sys_exit},
    {61, "wait4", nullptr},
    {158, "arch_prctl", sys_arch_prctl},
    {218, "set_tid_address", sys_set_tid_address},
    {231, "exit_group", sys_exit},
};

constexpr size_t MAX_NUMBER = 512;
bool s_logged[MAX_NUMBER];

const Row* find(u64 number)
{
    for (const Row& row : TABLE)
        if (row.number == number)
            return &row;
    return nullptr;
}

void log_once(u64 number, const char* name)
{
    if (number < MAX_NUMBER) {
        if (s_logged[number])
            return;
        s_logged[number] = true;
    }
    if (name)
        printk("syscall: %s (%lu) is not implemented: ENOSYS\n", name, number);
    else
        printk("syscall: unknown call %lu: ENOSYS\n", number);
}

} // namespace

i64 syscall(u64 number, const SyscallArgs& args)
{
    const Row* row = find(number);
    if (!row || !row->handler) {
        log_once(number, row ? row->name : nullptr);
        return -i64(Errno::ENOSYS);
    }
    ErrorOr<u64> result = row->handler(args);
    if (result.is_error())
        return -i64(result.error());
    return i64(result.value());
}

} // namespace kern
