// vm/stats.h -- the VM system's counters.
//
// Page counts by owner (together with the page allocator's free and kernel
// counts they say where every frame is) and fault counts by kind. Tests read
// them to check that nothing leaks and that a fault took the path it should;
// a /proc-style file will print them. Updated with atomic adds, read without
// a lock (a snapshot may be slightly inconsistent between fields).
#pragma once

#include <kernel/base/lib/types.h>

namespace vm {

struct VmStats {
    // Pages, by owner.
    u64 anon_pages;          // held by anons
    u64 object_pages;        // resident in VM objects
    u64 wired_pages;         // with m_wire_count > 0
    // Faults, by what resolved them (vm/fault.cpp).
    u64 faults;              // calls of the fault handler
    u64 faults_zero_fill;    // a new zeroed anon (first touch of anonymous memory)
    u64 faults_anon_hit;     // an existing anon mapped (shared read-only if shared)
    u64 faults_object_hit;   // an object page mapped directly
    u64 faults_cow_promote;  // a page copied into a new anon (copy-on-write)
    u64 faults_amap_copy;    // needs-copy resolved: an amap copied
    u64 faults_failed;       // EFAULT/ENOMEM returned
    u64 faults_swap_in;      // a page read back from swap (a major fault)
    // Paging (vm/pageout.cpp, vm/swap.cpp), Linux's /proc/vmstat names in brackets.
    u64 swap_pages_out;      // pages written to swap (pswpout)
    u64 swap_pages_in;       // pages read from swap (pswpin)
    u64 swap_writes;         // write requests to swap (a cluster is one)
    u64 pages_scanned;       // inactive pages the daemon looked at (pgscan)
    u64 pages_reclaimed;     // pages it freed (pgsteal)
    u64 pages_reactivated;   // referenced again before it came (pgactivate)
    u64 pages_deactivated;   // moved to the inactive queue (pgdeactivate)
    u64 daemon_passes;       // page daemon wake-ups that scanned
    u64 oom_kills;           // processes killed for want of memory
};

VmStats& stats();

inline void stat_add(u64& counter, i64 delta = 1)
{
    __atomic_add_fetch(&counter, u64(delta), __ATOMIC_RELAXED);
}

} // namespace vm
