// arch/include/arch/usercopy.h -- copying to and from user addresses, safely.
//
// System calls receive user pointers, which may be anything: unmapped,
// read-only, kernel addresses. These functions are the only way the kernel
// touches user memory. They check that the whole range lies in the user half
// (vm::USER_MIN .. vm::USER_MAX), then copy; a page fault during the copy
// goes to the VM fault handler (the page may just be not yet present), and
// if the fault handler cannot resolve it, the copy stops and returns EFAULT
// instead of crashing the kernel ("fault recovery": the trap handler finds
// the faulting instruction in the copy routine and resumes at its fix-up).
//
// Errors: EFAULT for a bad range or an unresolvable fault; nothing else fails.
// Partial copies: on EFAULT, an unspecified prefix may have been copied.
#pragma once

#include <kernel/base/lib/error_or.h>

namespace arch {

kern::ErrorOr<void> copy_from_user(void* dst, uptr user_src, size_t n);
kern::ErrorOr<void> copy_to_user(uptr user_dst, const void* src, size_t n);
kern::ErrorOr<void> clear_user(uptr user_dst, size_t n);
// Copy a NUL-terminated string of at most max-1 characters plus the NUL.
// Returns its length. Errors: EFAULT, ENAMETOOLONG (no NUL within max bytes).
kern::ErrorOr<size_t> copy_string_from_user(char* dst, uptr user_src, size_t max);

// For the trap handler: if `rip` is inside a user-copy routine, the address
// to resume at (which makes the routine return EFAULT), else 0.
uptr usercopy_fixup(uptr rip);

} // namespace arch
