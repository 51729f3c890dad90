// tests/host/shim/fake_pmap.h -- a pmap for host tests: records, remembers, fails on demand.
//
// The host build has no MMU, so arch/include/arch/pmap.h is implemented by
// tests/host/shim/fake_pmap.cpp with standard containers:
//   - each Pmap is a map va -> Mapping {pa, prot, wired, managed, A, D};
//   - the reverse map is pa -> set of (pmap, va), kept for managed pages
//     only, by the kernel's rule: not PMAP_UNMANAGED, and the vm::Page of pa
//     (from vm::page_allocator()) has ANON or OBJECT set;
//   - a page's referenced/modified bits survive the removal of its mappings
//     ("saved attributes"), as in arch/x86_64/pmap_pv.cpp;
//   - every operation that changes something is logged as a Call.
// It checks the same preconditions as the real pmap (page alignment, the
// pmap's half, the kernel pmap only inside [KERNEL_MAP_BASE, +SIZE),
// pmap_destroy only when empty and not active, pmap_unwire only when mapped)
// and panics -- aborts the test binary -- when one is broken.
//
// The MMU's accessed/dirty bits are not set by anything on the host; a test
// plays the MMU with touch(pmap, va, access). pmap_enter fails with ENOMEM
// on demand (fail_next_enters), for the VM layer's error paths.
//
// State is global and is reset automatically at the start of every test
// (a GoogleTest listener), so no test sees another's pmaps or log. Tables
// are counted as if every empty table were freed at once (the real pmap
// frees them in pmap_remove and pmap_destroy).
//
//   auto* pmap = MUST(arch::pmap_create());
//   ... the code under test ...
//   auto m = fake_pmap::lookup(pmap, va);
//   EXPECT_TRUE(m && m->pa == pa && m->prot == vm::PROT_READ);
//   EXPECT_EQ(fake_pmap::count(fake_pmap::Op::Enter), 1u);
#pragma once

// Standard headers first: kernel/base/lib/errno.h removes libc's errno macros,
// which some of them use.
#include <optional>
#include <utility>
#include <vector>

#include <arch/pmap.h>

namespace fake_pmap {

enum class Op {
    Create, Destroy, Activate, Enter, Remove, Protect, Unwire, Update,
    PageProtect, ClearReference, ClearModify,
};
const char* op_name(Op op);

// One logged call. Range operations fill [sva, eva); Enter and Unwire give
// [va, va + PAGE_SIZE). Page-side operations (PageProtect, Clear*) have
// pmap == nullptr and pa == the page's address.
struct Call {
    Op op;
    arch::Pmap* pmap;
    uptr sva, eva;
    PhysAddr pa;
    vm::Prot prot;
    u32 flags;
    bool failed;  // Enter only: returned ENOMEM (fail_next_enters)
};

struct Mapping {
    PhysAddr pa;
    vm::Prot prot;
    bool wired;
    bool managed;     // has a reverse-map entry
    bool referenced;  // set by touch(): the MMU's A bit
    bool modified;    // set by touch() for a write: the D bit
};

// ---- inspection -------------------------------------------------------------
std::optional<Mapping> lookup(arch::Pmap* pmap, uptr va);
// Every mapping of `pmap`, ordered by address.
std::vector<std::pair<uptr, Mapping>> mappings(arch::Pmap* pmap);
// The reverse map of the page at `pa`: who maps it (managed mappings only).
std::vector<std::pair<arch::Pmap*, uptr>> mappers(PhysAddr pa);
size_t wired_count(arch::Pmap* pmap);
// User pmaps created and not yet destroyed.
size_t live_pmaps();

// The log.
const std::vector<Call>& calls();
std::vector<Call> calls_of(Op op);
size_t count(Op op);
void clear_calls();

// ---- knobs --------------------------------------------------------------------
// Let `after` more pmap_enter calls succeed, then fail the next `n` with
// ENOMEM (changing nothing, but logged with failed = true).
void fail_next_enters(size_t n, size_t after = 0);
// Play the MMU: an access through the mapping at `va` sets its referenced
// bit (and modified, for a write). Returns false, nothing set, if the access
// would fault (no mapping, or prot does not allow it).
bool touch(arch::Pmap* pmap, uptr va, vm::Access access);

// Forget everything: delete the user pmaps still alive, empty the kernel
// pmap, the reverse map, the saved attributes, the log and the knobs; the
// kernel pmap is active again. Called before every test automatically.
void reset();

} // namespace fake_pmap
