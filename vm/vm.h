// vm/vm.h -- the words every part of the VM system shares.
//
// Protections use Linux's PROT_* values (the mmap ABI passes them through);
// inheritance and advice are UVM's. The user part of every address space is
// [USER_MIN, USER_MAX): page 0 stays unmapped so that a NULL dereference
// faults, and the top is the end of the canonical lower half.
// See docs/vm.md for how the pieces fit together.
#pragma once

#include <kernel/base/lib/types.h>

namespace vm {

// Protection bits: what a mapping allows (Linux PROT_READ/WRITE/EXEC).
using Prot = u8;
constexpr Prot PROT_NONE = 0;
constexpr Prot PROT_READ = 1;
constexpr Prot PROT_WRITE = 2;
constexpr Prot PROT_EXEC = 4;
constexpr Prot PROT_ALL = PROT_READ | PROT_WRITE | PROT_EXEC;

// The kind of access that faulted (one of the PROT_* bits).
using Access = Prot;

// What a child gets of an entry at fork (UVM_INHERIT_*).
enum class Inherit : u8 {
    Copy,   // a private copy: copy-on-write (the default for private mappings)
    Share,  // the same memory (shared mappings)
    None,   // nothing: the range is unmapped in the child
};

// How the range will be used (madvise): a hint for read-ahead and paging.
enum class Advice : u8 { Normal, Random, Sequential };

constexpr uptr USER_MIN = 0x10000;               // 64 KiB: NULL and small offsets fault
constexpr uptr USER_MAX = 0x00007ffffffff000ull;  // end of the lower canonical half

constexpr bool is_page_aligned(u64 v) { return (v & (PAGE_SIZE - 1)) == 0; }

} // namespace vm
