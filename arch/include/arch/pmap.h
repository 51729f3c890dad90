// arch/include/arch/pmap.h -- the machine-dependent half of the VM system.
//
// As in UVM (and Mach before it), the VM system is split in two. The
// machine-independent layer (vm/) decides *what* is mapped where: maps,
// entries, amaps, objects, the fault handler. The pmap ("physical map")
// layer knows *how* the MMU is told: here, x86-64 4-level page tables
// (arch/x86_64/pmap.cpp). The vm/ layer calls only the functions below,
// so on the host a fake pmap that records the calls stands in
// (tests/host/shim/fake_pmap.cpp).
//
// A pmap's mappings are a cache of what the VM layer knows: the VM layer
// can always rebuild them by faulting, so pmap_remove and pmap_page_protect
// may drop mappings freely. The exception is wired mappings (PMAP_WIRED),
// which the VM layer promises to keep until it unwires them.
//
// Reverse map: for each managed page (vm::Page with ANON or OBJECT set) the
// pmap keeps the list of (pmap, va) that map it, so the VM layer can act on
// a physical page wherever it is mapped: write-protect it for copy-on-write
// (pmap_page_protect), read and clear the referenced and modified bits that
// the MMU sets (for the page daemon).
//
// TLB: every change that removes or reduces a mapping invalidates the TLB
// entries involved on every CPU where the pmap is active (one CPU today; the
// interface hides the shoot-down). pmap_update() is the point after which all
// earlier changes are visible everywhere.
//
// Errors: pmap_enter may need a page-table page: ENOMEM. Nothing else fails.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <vm/vm.h>

namespace vm {
struct Page;
}

namespace arch {

class Pmap;

// The kernel's pageable region: the only kernel addresses pmap_enter(
// pmap_kernel(), ...) accepts. It is one PML4 slot (index 384) whose
// page-directory-pointer table exists from the first pmap call on, so every
// address space created later shares whatever is mapped there.
constexpr uptr KERNEL_MAP_BASE = 0xffffc00000000000ull;
constexpr uptr KERNEL_MAP_SIZE = 512ull << 30;  // 512 GiB

// Flags for pmap_enter.
constexpr u32 PMAP_WIRED = 1u << 0;      // counted as wired; the VM layer unwires it
constexpr u32 PMAP_UNMANAGED = 1u << 1;  // no vm::Page behind it (device memory): no reverse map

// A new, empty address space: the kernel half shared, no user mappings.
// Errors: ENOMEM.
kern::ErrorOr<Pmap*> pmap_create();
// Free every page table and reverse-map entry of `pmap`.
// => no user mappings left (the VM layer removed them), pmap not active.
void pmap_destroy(Pmap* pmap);
// The kernel's pmap (its mappings are in every address space).
Pmap* pmap_kernel();

// Load `pmap` on this CPU (x86: CR3). Threads without an address space of
// their own run on the kernel pmap.
void pmap_activate(Pmap* pmap);
Pmap* pmap_active();

// Map the page at `pa` at `va` with `prot`, replacing what was there.
// => va page-aligned, inside the pmap's half. Errors: ENOMEM (a page table
// cannot be allocated; nothing changed then).
kern::ErrorOr<void> pmap_enter(Pmap* pmap, uptr va, PhysAddr pa, vm::Prot prot, u32 flags);
// Remove the mappings in [sva, eva). Wired mappings are removed too.
void pmap_remove(Pmap* pmap, uptr sva, uptr eva);
// Reduce the protection of the mappings in [sva, eva) to `prot` (never
// raises it). PROT_NONE removes them.
void pmap_protect(Pmap* pmap, uptr sva, uptr eva, vm::Prot prot);
// Clear the wired mark of the mapping at va (it stays mapped).
void pmap_unwire(Pmap* pmap, uptr va);
// Returns true and *pa if va is mapped.
bool pmap_extract(Pmap* pmap, uptr va, PhysAddr* pa);
// Make every earlier change visible on every CPU (flush deferred TLB work).
void pmap_update(Pmap* pmap);
// Drop this CPU's non-global TLB entries (x86: reload CR3). Correctness
// never needs it (pmap_* flush what they change); benchmarks do, to put an
// emulator's TLB in the state a running system keeps it in
// (tests/ktest/fs/bench_fs_ktest.cpp:grow_emulator_tlb).
void tlb_flush_local();

// ---- operations on a physical page, wherever it is mapped (reverse map) ----
// Reduce every mapping of `page` to `prot`: PROT_READ write-protects them
// (copy-on-write), PROT_NONE removes them all.
void pmap_page_protect(vm::Page& page, vm::Prot prot);
// The MMU's referenced (accessed) and modified (dirty) bits, or'ed over every
// mapping of `page`; the clear_* forms return the old value and clear it.
bool pmap_is_referenced(vm::Page& page);
bool pmap_clear_reference(vm::Page& page);
bool pmap_is_modified(vm::Page& page);
bool pmap_clear_modify(vm::Page& page);
// Number of mappings of `page` (the reverse-map length): for tests and stats.
size_t pmap_mapping_count(vm::Page& page);

// Statistics: page-table pages in use by all pmaps (not counting the kernel's
// boot tables), and resident mappings of one pmap.
size_t pmap_table_pages();
size_t pmap_resident_count(Pmap* pmap);

} // namespace arch
