// vm/fault.h -- the page-fault handler's entry points.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <vm/vm.h>

namespace vm {

class VmMap;

// Resolve a fault at `va` for `access` in `map`: find the entry, check the
// protection, and make the page present (zero-fill, copy-on-write, object
// page), then enter it in the pmap. With `wire`, the mapping is entered
// wired. Errors: EFAULT (no entry), EACCES (the entry does not allow `access`),
// ENOMEM.
kern::ErrorOr<void> fault(VmMap& map, uptr va, Access access, bool wire = false);
// The same with the map's lock already held (by VmMap::wire).
kern::ErrorOr<void> fault_locked(VmMap& map, uptr va, Access access, bool wire);

// From the trap handler: a page fault at `va` in the current thread's
// address space (user addresses) or the kernel map (kernel addresses).
// Errors: EFAULT/EACCES when nothing can be done: the trap handler then recovers a
// copyin/copyout, signals a user process, or panics.
// => interrupts enabled (the caller re-enabled them if the faulting context
// had them), no SpinLock held.
kern::ErrorOr<void> handle_page_fault(uptr va, Access access, bool user_mode);

} // namespace vm
