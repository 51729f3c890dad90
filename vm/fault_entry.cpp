// vm/fault_entry.cpp -- from a CPU page fault to the right map.
//
// The trap handler (arch/x86_64/trap.cpp) knows an address and an access;
// this picks the map that owns the address -- the running thread's address
// space for user addresses, the kernel map for the pageable kernel range --
// and calls the fault handler. Kernel-only (it needs the current thread), so
// the host build leaves it out (tests/host/host.mk).
#include <arch/pmap.h>
#include <kernel/base/sched/thread.h>
#include <vm/fault.h>
#include <vm/map.h>

namespace vm {

kern::ErrorOr<void> handle_page_fault(uptr va, Access access, bool user_mode)
{
    VmMap* map = nullptr;
    if (va < USER_MAX)
        map = kern::Thread::current()->vm_map();
    else if (!user_mode && va >= arch::KERNEL_MAP_BASE && va - arch::KERNEL_MAP_BASE < arch::KERNEL_MAP_SIZE)
        map = &kernel_map();
    if (!map)
        return kern::Errno::EFAULT;
    return fault(*map, va, access, false);
}

} // namespace vm
