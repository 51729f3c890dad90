// kernel/syscall/syscall.h -- the system-call table's entry point.
//
// The user ABI is Linux x86-64's: the same call numbers, arguments, structure
// layouts and errno values, so ordinary static binaries (musl, busybox) run
// unchanged. arch/x86_64/usermode.cpp:syscall_dispatch calls kern::syscall
// with the number and the six argument registers; the result goes back in
// rax: a value >= 0, or -errno. This is the only place where an Errno turns
// into a negative number.
//
// An unknown or unimplemented number returns -ENOSYS and is logged once, by
// name, on the console, so a missing call is easy to spot.
// See docs/abi.md for the table of calls.
#pragma once

#include <kernel/lib/error_or.h>

namespace kern {

struct SyscallArgs {
    u64 a0, a1, a2, a3, a4, a5;
};

// => the value for rax.
i64 syscall(u64 number, const SyscallArgs& args);

// A handler: the arguments in, a value or an Errno out.
using SyscallHandler = ErrorOr<u64> (*)(const SyscallArgs& args);

} // namespace kern
