// fs/procfs/proc_vm.cpp -- /proc/meminfo, /proc/vmstat and /proc/swaps: the VM's numbers in Linux's formats.
//
// Where each comes from:
//   MemTotal, MemFree         the page allocator (kernel/base/page/page_allocator.h)
//   Active, Inactive          the paging queues (vm/pageq.h), split as Linux
//                             splits them: (anon) pages of anons and aobjs,
//                             (file) pages of objects with a file behind them
//   Dirty                     file pages marked DIRTY, counted by a walk of the
//                             queues (Linux keeps a counter; a walk of a
//                             teaching machine's 32k-256k pages is cheap enough
//                             for a file read by hand, and cannot drift)
//   AnonPages, Cached, Shmem  vm::stats() (resident anon pages, object pages)
//   SwapTotal, SwapFree       vm::swap_totals() (vm/swap.h)
//   MemAvailable              free + clean file pages: what could be had
//                             without writing anything
// /proc/vmstat uses Linux's names for the counters of vm/stats.h; pgpgin and
// pgpgout count only swap traffic (KiB), since the file systems' block I/O
// is counted per device (fs/block/buf.h:BlockStats), not here.
// /proc/swaps lists each swap device as Linux does ("partition", priority
// -2 and down in the order they were added).
//
// Locking: the queue walk holds the page-queue lock (a SpinLock) and only
// reads flags; the rest are snapshots read without a lock.
#include <fs/block/swapdev.h>
#include <fs/procfs/procfs.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/object.h>
#include <vm/pageq.h>
#include <vm/stats.h>
#include <vm/swap.h>

namespace fs::procfs {

namespace {

struct QueueCounts {
    u64 active_anon = 0, inactive_anon = 0, active_file = 0, inactive_file = 0, dirty_file = 0;
};

bool is_file_page(const vm::Page& page)
{
    return page.has(vm::Page::OBJECT) && page.m_object->absent_pages_have_data();
}

QueueCounts count_queues()
{
    QueueCounts c;
    vm::PageQueues& q = vm::page_queues();
    kern::SpinGuard guard(q.lock);
    for (vm::Page& page : q.active) {
        const bool file = is_file_page(page);
        (file ? c.active_file : c.active_anon) += 1;
        c.dirty_file += file && page.has(vm::Page::DIRTY);
    }
    for (vm::Page& page : q.inactive) {
        const bool file = is_file_page(page);
        (file ? c.inactive_file : c.inactive_anon) += 1;
        c.dirty_file += file && page.has(vm::Page::DIRTY);
    }
    return c;
}

u64 load(const u64& counter) { return __atomic_load_n(&counter, __ATOMIC_RELAXED); }

void line(Text& out, const char* name, u64 kb) { out.printf("%-16s%8lu kB\n", name, kb); }

} // namespace

void meminfo(Text& out)
{
    const vm::PageStats ps = vm::page_allocator().stats();
    const vm::VmStats& vs = vm::stats();
    const QueueCounts q = count_queues();
    const vm::SwapTotals swap = vm::swap_totals();
    const u64 kb = PAGE_SIZE / 1024;
    const u64 cached = load(vs.object_pages) * kb;
    const u64 file = (q.active_file + q.inactive_file) * kb;
    line(out, "MemTotal:", u64(ps.total) * kb);
    line(out, "MemFree:", u64(ps.free) * kb);
    line(out, "MemAvailable:", u64(ps.free) * kb + file - q.dirty_file * kb);
    line(out, "Buffers:", 0);
    line(out, "Cached:", cached);
    line(out, "SwapCached:", 0);
    line(out, "Active:", (q.active_anon + q.active_file) * kb);
    line(out, "Inactive:", (q.inactive_anon + q.inactive_file) * kb);
    line(out, "Active(anon):", q.active_anon * kb);
    line(out, "Inactive(anon):", q.inactive_anon * kb);
    line(out, "Active(file):", q.active_file * kb);
    line(out, "Inactive(file):", q.inactive_file * kb);
    line(out, "SwapTotal:", u64(swap.total_pages) * kb);
    line(out, "SwapFree:", u64(swap.free_pages) * kb);
    line(out, "Dirty:", q.dirty_file * kb);
    line(out, "AnonPages:", load(vs.anon_pages) * kb);
    line(out, "Shmem:", cached > file ? cached - file : 0);
}

void vmstat(Text& out)
{
    const vm::VmStats& vs = vm::stats();
    const vm::PageStats ps = vm::page_allocator().stats();
    const QueueCounts q = count_queues();
    const u64 kb = PAGE_SIZE / 1024;
    out.printf("nr_free_pages %lu\n", u64(ps.free));
    out.printf("nr_inactive_anon %lu\nnr_active_anon %lu\n", q.inactive_anon, q.active_anon);
    out.printf("nr_inactive_file %lu\nnr_active_file %lu\n", q.inactive_file, q.active_file);
    out.printf("nr_anon_pages %lu\nnr_file_pages %lu\nnr_dirty %lu\n", load(vs.anon_pages),
               load(vs.object_pages), q.dirty_file);
    out.printf("pgpgin %lu\npgpgout %lu\n", load(vs.swap_pages_in) * kb, load(vs.swap_pages_out) * kb);
    out.printf("pswpin %lu\npswpout %lu\n", load(vs.swap_pages_in), load(vs.swap_pages_out));
    out.printf("pgfault %lu\npgmajfault %lu\n", load(vs.faults), load(vs.faults_swap_in));
    out.printf("pgactivate %lu\npgdeactivate %lu\n", load(vs.pages_reactivated), load(vs.pages_deactivated));
    out.printf("pgscan_kswapd %lu\npgscan_direct 0\n", load(vs.pages_scanned));
    out.printf("pgsteal_kswapd %lu\npgsteal_direct 0\n", load(vs.pages_reclaimed));
    out.printf("pageoutrun %lu\n", load(vs.daemon_passes));
    out.printf("oom_kill %lu\n", load(vs.oom_kills));
    const DropCounts drops = drop_counts();
    out.printf("drop_pagecache %lu\ndrop_slab %lu\n", drops.pagecache, drops.slab);
}

void swaps(Text& out)
{
    out.printf("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    struct Walk {
        Text* out;
        int priority;
    } walk = {&out, -2};
    block::for_each_swap_device(
        [](block::BlockDevice& dev, void* arg) {
            auto& w = *static_cast<Walk*>(arg);
            // Per-device use is not kept apart from the totals here: the
            // sizes are the device's; "Used" is the whole of swap's.
            const vm::SwapTotals t = vm::swap_totals();
            w.out->printf("/dev/%-35s partition\t%lu\t\t%lu\t\t%d\n", dev.name(),
                          u64(t.total_pages) * (PAGE_SIZE / 1024),
                          u64(t.total_pages - t.free_pages) * (PAGE_SIZE / 1024), w.priority--);
        },
        &walk);
}

} // namespace fs::procfs
