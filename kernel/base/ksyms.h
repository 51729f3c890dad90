// kernel/base/ksyms.h -- the kernel's own symbol table, for backtraces.
//
// The build links the kernel twice: the first image's text symbols
// (`nm -n -C`) are turned by scripts/gen-ksyms.sh into a table that the
// second link places in .ksyms, after all code, so no function moves
// (the Makefile checks this). The table is sorted by address.
#pragma once

#include <kernel/base/lib/types.h>

namespace kern {

// The name of the function containing `addr` and the offset into it, or
// nullptr if `addr` is outside the kernel's text.
const char* ksym_lookup(uptr addr, size_t* offset);

// The address of the function named `name` (demangled, as nm -C prints it), or 0.
uptr ksym_address(const char* name);

} // namespace kern
