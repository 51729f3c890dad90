// vm/stats.cpp -- the one instance of the VM system's counters (vm/stats.h).
//
// A plain static object, zero at boot (it lives in .bss), so it is usable
// before anything else in the VM system runs and needs no constructor pass.
// Writers use vm::stat_add (an atomic add); readers copy fields without a
// lock. Who counts what:
//   anon_pages     vm/anon.cpp: +1 when an anon gets its page, -1 when freed
//   object_pages   vm/object.cpp: +1 on insert into a page tree, -1 on removal
//   wired_pages    vm/map.cpp (wiring)
//   faults*        vm/fault.cpp
#include <vm/stats.h>

namespace vm {

static VmStats s_stats;

VmStats& stats() { return s_stats; }

} // namespace vm
