// vm/pageout.h -- the page daemon: freeing memory by paging out (UVM's uvm_pdaemon).
//
// pageout_scan() is one pass of the daemon's clock (vm/pageout.cpp): refill
// the inactive queue from the active one, then walk the inactive queue from
// its oldest page, giving referenced pages a second chance and cleaning and
// freeing the rest -- anonymous pages to swap, file pages to their file.
// The daemon thread (vm/pagedaemon.cpp) runs it when free memory falls
// below freemin, or when an allocation waits; host tests call it directly.
//
// The layers above tell it two things through hooks (kernel/top installs
// them): how to kill a process when nothing more can be freed (the OOM
// killer), and whether the current thread is being killed (so it stops
// waiting for memory).
#pragma once

#include <kernel/base/lib/types.h>

namespace vm {

struct ScanResult {
    size_t scanned;  // inactive pages looked at
    size_t freed;    // pages freed
};

// One pass: try to free `want` pages. => nothing locked.
ScanResult pageout_scan(size_t want);

// The daemon thread (vm/pagedaemon.cpp): start it once memory and the
// scheduler are up. Installs the hooks of vm/pageq.h.
void pagedaemon_start();

struct PagingHooks {
    // Kill one process to free memory, if there is one to kill. Returns
    // true if a victim was chosen now or an earlier one has not exited yet
    // (memory is on its way back).
    bool (*oom_kill)();
    // Is the current thread's process being killed (SIGKILL pending)?
    bool (*current_is_dying)();
};
void set_paging_hooks(const PagingHooks& hooks);

} // namespace vm
