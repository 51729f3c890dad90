// kernel/top/proc/exec.h -- loading a program (exec.cpp).
#pragma once

#include <fs/vfs/context.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/kstring.h>
#include <kernel/base/lib/string_view.h>
#include <kernel/base/lib/vector.h>
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

// A NULL-terminated list of strings the kernel owns (a new program's argv
// or envp): the strings, and the array of their characters that exec and
// load_program read. Every way out of its owner frees it. (exec.cpp)
class StringList {
public:
    // Copies of the strings of `list` (NULL-terminated; nullptr: empty).
    // Errors: ENOMEM.
    static ErrorOr<StringList> copy(const char* const* list);
    // Add a copy of `s` at the end: all of it, or nothing. Errors: ENOMEM.
    ErrorOr<void> try_append(StringView s);
    // The strings' characters, then nullptr (argv's shape).
    const char* const* pointers() const { return m_pointers.is_empty() ? s_empty : m_pointers.data(); }
    size_t size() const { return m_strings.size(); }

private:
    static const char* const s_empty[1];
    Vector<KString> m_strings;
    Vector<const char*> m_pointers;  // m_strings' characters, then nullptr; empty while m_strings is
};

// exec.cpp: replace the current process's program (its address space may
// be none yet: a spawned process) with `path`, `argv` and `envp`
// (NULL-terminated; only read). Returns where to enter it. On failure the
// old program goes on. Errors: ENOENT, ENOEXEC, EACCES, E2BIG, ELOOP,
// EFAULT, ENOMEM, ...
ErrorOr<ExecImage> exec_current(StringView path, const char* const* argv, const char* const* envp);

} // namespace kern
