// kernel/top/proc/exec.h -- loading a program (exec.cpp).
#pragma once

#include <fs/vfs/context.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/string_view.h>
#include <vm/vm.h>

namespace vm {
class VmMap;
}

namespace kern {

constexpr uptr USER_STACK_TOP = vm::USER_MAX;
constexpr size_t USER_STACK_SIZE = 8ull << 20;

struct ExecImage {
    uptr entry = 0;          // where the program starts
    uptr phdr = 0;           // its program headers in memory (AT_PHDR)
    size_t phnum = 0;
    uptr stack_pointer = 0;  // rsp at entry: argc, argv, envp, auxv
    uptr brk = 0;            // end of the highest segment: where the heap (brk) starts
};

// Map the ELF program at `path` into `map` and build its stack with argv and
// envp (NULL-terminated arrays of kernel strings). Returns where and how to
// enter it. On error the map may hold part of the program: the caller
// destroys it. => `map` is the current thread's address space (the stack
// is written with copy_to_user).
// Errors: ENOENT/ENOTDIR/... (lookup), EACCES (not a regular file), ENOEXEC
// (not a static x86-64 ELF program), E2BIG (arguments too long), ENOMEM,
// EFAULT.
ErrorOr<ExecImage> load_program(const fs::Context& ctx, StringView path, vm::VmMap& map,
                                const char* const* argv, const char* const* envp);

// Map the stack and write argc/argv/envp/auxv onto it. Returns the stack
// pointer. Errors: E2BIG, ENOMEM, EFAULT.
ErrorOr<uptr> setup_stack(vm::VmMap& map, const char* const* argv, const char* const* envp,
                          const ExecImage& image, StringView path);

} // namespace kern
