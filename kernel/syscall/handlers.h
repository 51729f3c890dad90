// kernel/syscall/handlers.h -- every system-call handler, for the table.
#pragma once

#include <kernel/syscall/syscall.h>

namespace kern {

// kernel/syscall/sys_process.cpp
ErrorOr<u64> sys_exit(const SyscallArgs& a);
ErrorOr<u64> sys_getpid(const SyscallArgs& a);
ErrorOr<u64> sys_arch_prctl(const SyscallArgs& a);
ErrorOr<u64> sys_set_tid_address(const SyscallArgs& a);

// kernel/syscall/sys_memory.cpp
ErrorOr<u64> sys_brk(const SyscallArgs& a);
ErrorOr<u64> sys_mmap(const SyscallArgs& a);
ErrorOr<u64> sys_munmap(const SyscallArgs& a);
ErrorOr<u64> sys_mprotect(const SyscallArgs& a);

// kernel/syscall/sys_console.cpp (until file descriptors exist)
ErrorOr<u64> sys_write(const SyscallArgs& a);
ErrorOr<u64> sys_writev(const SyscallArgs& a);
ErrorOr<u64> sys_ioctl(const SyscallArgs& a);

} // namespace kern
