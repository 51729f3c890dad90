// kernel/top/syscall/syscall.h -- system calls: how a handler is written and registered.
//
// The user ABI is Linux x86-64's: the same call numbers, arguments, structure
// layouts and errno values, so ordinary static binaries (musl, busybox) run
// unchanged. arch/x86_64/usermode.cpp:syscall_dispatch calls kern::syscall
// with the number and the six argument registers; the result goes back in
// rax: a value >= 0, or -errno. This is the only place where an Errno turns
// into a negative number.
//
// A handler is defined, and registered, in the file of its subject
// (kernel/top/syscall/sys_*.cpp) with one macro:
//
//     SYSCALL(39, getpid) { return u64(Process::current()->pid()); }
//
// which defines `static ErrorOr<u64> sys_getpid(const SyscallArgs& a)` and
// puts a row {39, "getpid", sys_getpid} into the linker section .syscalls
// (boot/linker.ld); table.cpp turns the rows into the dispatch table at the
// first call. SYSCALL_ALIAS(60, exit, sys_exit_group) registers another
// number for an existing handler. No central list to edit: adding a call
// touches one file. A number registered twice panics at the first call.
//
// An unknown or unimplemented number returns -ENOSYS and is logged once, by
// name (kernel/top/syscall/names.inc), on the console, so a missing call is easy
// to spot. See docs/abi.md for the table of calls.
#pragma once

#include <kernel/base/lib/error_or.h>

namespace kern {

struct SyscallArgs {
    u64 a0, a1, a2, a3, a4, a5;
};

// => the value for rax.
i64 syscall(u64 number, const SyscallArgs& args);

// A handler: the arguments in, a value or an Errno out.
using SyscallHandler = ErrorOr<u64> (*)(const SyscallArgs& args);

struct SyscallRow {
    u64 number;
    const char* name;
    SyscallHandler handler;
};

// The highest number the table holds, plus one (Linux x86-64 ends near 460).
constexpr u64 SYSCALL_MAX = 512;

} // namespace kern

#define SYSCALL_ROW_(nr, name, handler)                                                 \
    [[gnu::used, gnu::section(".syscalls")]] alignas(8) static const ::kern::SyscallRow \
        syscall_row_##name{nr, #name, handler}

#define SYSCALL(nr, name)                                                  \
    static ::kern::ErrorOr<u64> sys_##name(const ::kern::SyscallArgs& a); \
    SYSCALL_ROW_(nr, name, sys_##name);                                    \
    static ::kern::ErrorOr<u64> sys_##name([[maybe_unused]] const ::kern::SyscallArgs& a)

#define SYSCALL_ALIAS(nr, name, handler) SYSCALL_ROW_(nr, name, handler)
