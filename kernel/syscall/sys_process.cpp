// kernel/syscall/sys_process.cpp -- exit, getpid, and the thread set-up calls of a C library.
#include <arch/usermode.h>
#include <kernel/proc/process.h>
#include <kernel/syscall/handlers.h>
#include <vm/vm.h>

namespace kern {

// exit(status) and exit_group(status): one thread per process today, so the same.
ErrorOr<u64> sys_exit(const SyscallArgs& a) { process_exit(int(a.a0 & 0xff)); }

ErrorOr<u64> sys_getpid(const SyscallArgs&) { return u64(Process::current()->pid()); }

// arch_prctl(code, addr): only ARCH_SET_FS / ARCH_GET_FS (the TLS pointer).
ErrorOr<u64> sys_arch_prctl(const SyscallArgs& a)
{
    constexpr u64 ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003;
    if (a.a0 == ARCH_SET_FS) {
        if (a.a1 >= vm::USER_MAX)
            return Errno::EPERM;  // Linux's answer for a non-canonical or kernel address
        arch::set_user_thread_pointer(a.a1);
        return 0;
    }
    if (a.a0 == ARCH_GET_FS)
        return Errno::ENOSYS;  // needs copy_to_user of the value: with the rest of the chapter
    return Errno::EINVAL;
}

// set_tid_address(ptr): remembered for thread exit later; returns the tid.
ErrorOr<u64> sys_set_tid_address(const SyscallArgs&) { return u64(Process::current()->pid()); }

} // namespace kern
