// kernel/top/syscall/syscall.h -- system calls: how a handler is written and registered.
//
// The user ABI is Linux x86-64's: the same call numbers, arguments, structure
// layouts and errno values, so ordinary static binaries (musl, busybox) run
// unchanged. arch/x86_64/usermode.cpp:syscall_dispatch calls kern::syscall
// with the number and the six argument registers; the result goes back in
// rax: a value >= 0, or -errno. This is the only place where an Errno turns
// into a negative number.
//
// How to add a system call. Write the handler in the file of its family
// (kernel/top/syscall/sys_*.cpp) as a function with Linux's parameter
// types (include/linux/syscalls.h), then register it under its number:
//
//     // kill(pid, sig): send `sig` to a process or group. Errors: ...
//     static ErrorOr<u64> sys_kill(pid_t pid, int sig)
//     {
//         TRY(kern::kill(pid, sig));
//         return 0;
//     }
//     SYSCALL(62, kill);
//
// SYSCALL(nr, name) puts a row {62, "kill", thunk} into the linker section
// .syscalls (boot/linker.ld); table.cpp turns the rows into the dispatch
// table at the first call. No central list to edit: adding a call touches
// one file. A number registered twice panics at the first call.
// SYSCALL_ALIAS(60, exit, exit_group) registers another number for an
// existing handler. Linux's constants (O_*, CLONE_*, WNOHANG, ...) come
// from kernel/base/abi/linux/ under their Linux names, in namespace uapi.
//
// The registers are turned into the handler's parameters in exactly one
// place: the thunk below deduces the handler's parameter list and converts
// register i with from_register<T> for its parameter i. The conversions:
//   int, unsigned, pid_t, uid_t, gid_t, mode_t, clockid_t, dev_t (32-bit)
//                 the low 32 bits of the register, as Linux's own handlers
//                 take an int (the high half is not looked at);
//   long, i64, u64, size_t, loff_t (64-bit)   the whole register;
//   UserPtr<T>, UserPtr<const T>              the address, typed
//                 (kernel/top/syscall/user_ptr.h): the handler can reach
//                 the memory only through the copy functions.
// Any other parameter type does not compile. A handler with fewer than six
// parameters ignores the other registers.
//
// An unknown or unimplemented number returns -ENOSYS and is logged once, by
// name (kernel/top/syscall/names.inc), on the console, so a missing call is
// easy to spot. See docs/abi.md for the table of calls and its files.
#pragma once

#include <kernel/base/abi/linux/types.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/top/syscall/user_ptr.h>
#include <type_traits>
#include <utility>

namespace kern {

// The six argument registers of a call (rdi, rsi, rdx, r10, r8, r9).
struct SyscallArgs {
    u64 a0, a1, a2, a3, a4, a5;
};

// Run call `number`. Returns the value for rax: the result, or -errno.
i64 syscall(u64 number, const SyscallArgs& args);

// What the table holds: the registers in, a value or an Errno out (a
// handler's thunk).
using SyscallHandler = ErrorOr<u64> (*)(const SyscallArgs& args);

struct SyscallRow {
    u64 number;
    const char* name;
    SyscallHandler handler;
};

// The highest number the table holds, plus one (Linux x86-64 ends near 460).
constexpr u64 SYSCALL_MAX = 512;

// Linux's argument types, under their Linux names (kernel/base/abi/linux/types.h).
using uapi::clockid_t;
using uapi::dev_t;
using uapi::gid_t;
using uapi::loff_t;
using uapi::mode_t;
using uapi::pid_t;
using uapi::uid_t;

// ---- registers to parameters ----

template <typename T> struct IsUserPtr : std::false_type {};
template <typename T> struct IsUserPtr<UserPtr<T>> : std::true_type {};

// One register as a parameter of type T (see the top comment). Integers of
// 32 bits keep the low half of the register (C++ conversion to a narrower
// integer is modulo 2^N); 64-bit ones all of it.
template <typename T> T from_register(u64 reg)
{
    if constexpr (IsUserPtr<T>::value) {
        return T(uptr(reg));
    } else {
        static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                          (sizeof(T) == 4 || sizeof(T) == 8),
                      "a system-call parameter is a 32- or 64-bit integer or a UserPtr");
        return T(reg);
    }
}

template <typename... Params, size_t... I>
ErrorOr<u64> call_with_registers(ErrorOr<u64> (*handler)(Params...), const SyscallArgs& args,
                                 std::index_sequence<I...>)
{
    const u64 regs[6] = {args.a0, args.a1, args.a2, args.a3, args.a4, args.a5};
    UNUSED(regs);  // a handler without parameters
    return handler(from_register<std::remove_cvref_t<Params>>(regs[I])...);
}

// The table's entry for `Handler`: unpack the registers into its parameters
// and call it.
template <auto Handler> ErrorOr<u64> syscall_thunk(const SyscallArgs& args)
{
    return []<typename... Params>(ErrorOr<u64> (*handler)(Params...), const SyscallArgs& a) {
        static_assert(sizeof...(Params) <= 6, "a system call has at most six arguments");
        return call_with_registers(handler, a, std::index_sequence_for<Params...>{});
    }(Handler, args);
}

} // namespace kern

#define SYSCALL_ROW_(nr, name, handler)                                                 \
    [[gnu::used, gnu::section(".syscalls")]] alignas(8) static const ::kern::SyscallRow \
        syscall_row_##name{nr, #name, ::kern::syscall_thunk<handler>}

// Register `sys_<name>` (defined just above) as call `nr`.
#define SYSCALL(nr, name) SYSCALL_ROW_(nr, name, sys_##name)

// Register the existing handler `sys_<handler>` as call `nr` too, under `name`.
#define SYSCALL_ALIAS(nr, name, handler) SYSCALL_ROW_(nr, name, sys_##handler)
