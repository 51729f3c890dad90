// kernel/base/boot_memory.cpp -- from the boot loader's memory map to a page allocator.
//
// At boot, memory is a list of usable ranges (arch::boot_info()), some of
// which hold things we must keep: the kernel image, the loader's information
// block, the modules (the initramfs). The page allocator needs its array of
// page descriptors before it can allocate anything, and the page tables that
// map all memory need pages before the allocator exists. So we bootstrap:
//
//   1. free = usable ranges minus the kept ranges minus the first 1 MiB
//      (BIOS data, real-mode leftovers);
//   2. a bump allocator takes pages from the lowest free range that lies
//      inside the boot page tables' 1 GiB, first for the kernel page tables,
//      then for the descriptor array (one vm::Page per frame up to the top
//      of RAM);
//   3. the page allocator is given every free range, minus the bump region.
//
// Nothing allocated here is ever freed: it lives as long as the machine.
#include <arch/boot_info.h>
#include <arch/mmu.h>
#include <kernel/base/boot_memory.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/base/page/page_allocator.h>

namespace kern {

namespace {

using arch::MemRange;

constexpr size_t MAX_FREE = 128;
constexpr PhysAddr BOOT_MAP_LIMIT = 1ull << 30;

struct RangeSet {
    MemRange ranges[MAX_FREE];
    size_t count = 0;

    void add(PhysAddr start, PhysAddr end)
    {
        if (start < end && count < MAX_FREE)
            ranges[count++] = {start, end};
    }
    // Remove [start, end) from every range, splitting where needed.
    void subtract(PhysAddr start, PhysAddr end)
    {
        size_t n = count;
        for (size_t i = 0; i < n; ++i) {
            MemRange r = ranges[i];
            if (end <= r.start || start >= r.end)
                continue;
            ranges[i] = {r.start, max(r.start, start)};  // left part (maybe empty)
            add(min(end, r.end), r.end);                  // right part
        }
    }
};

RangeSet s_free;
PhysAddr s_bump_next, s_bump_end, s_bump_start;

PhysAddr bump_alloc_page()
{
    KASSERT_MSG(s_bump_next + PAGE_SIZE <= s_bump_end, "boot memory: bump region exhausted");
    PhysAddr pa = s_bump_next;
    s_bump_next += PAGE_SIZE;
    memset(arch::phys_to_virt(pa), 0, PAGE_SIZE);
    return pa;
}

void collect_free_ranges()
{
    const arch::BootInfo& info = arch::boot_info();
    for (size_t i = 0; i < info.usable_count; ++i)
        s_free.add(align_up(info.usable[i].start, PAGE_SIZE), align_down(info.usable[i].end, PAGE_SIZE));
    s_free.subtract(0, 1ull << 20);
    MemRange image = arch::kernel_image_range();
    s_free.subtract(image.start, image.end);
    s_free.subtract(align_down(info.loader_data.start, PAGE_SIZE), align_up(info.loader_data.end, PAGE_SIZE));
    for (size_t i = 0; i < info.module_count; ++i)
        s_free.subtract(align_down(info.modules[i].start, PAGE_SIZE), align_up(info.modules[i].end, PAGE_SIZE));
}

// The bump region: the largest free range below the boot map's limit.
void choose_bump_region()
{
    for (size_t i = 0; i < s_free.count; ++i) {
        PhysAddr start = s_free.ranges[i].start;
        PhysAddr end = min(s_free.ranges[i].end, BOOT_MAP_LIMIT);
        if (end > start && end - start > s_bump_end - s_bump_start) {
            s_bump_start = start;
            s_bump_end = end;
        }
    }
    KASSERT_MSG(s_bump_end > s_bump_start, "boot memory: no usable memory below 1 GiB");
    s_bump_next = s_bump_start;
}

} // namespace

void boot_memory_init()
{
    const arch::BootInfo& info = arch::boot_info();
    collect_free_ranges();
    choose_bump_region();
    arch::kernel_paging_init(info.top_of_ram, bump_alloc_page);

    // The descriptor array, from the bump region (now any address is mapped).
    size_t frames = pages_for(info.top_of_ram);
    size_t array_pages = pages_for(frames * sizeof(vm::Page));
    KASSERT_MSG(s_bump_next + array_pages * PAGE_SIZE <= s_bump_end,
                "boot memory: no room for %zu page descriptors", frames);
    auto* descriptors = static_cast<vm::Page*>(arch::phys_to_virt(s_bump_next));
    s_bump_next += array_pages * PAGE_SIZE;

    vm::PageAllocator& pa = vm::page_allocator();
    pa.init(descriptors, 0, frames);
    s_free.subtract(s_bump_start, s_bump_next);
    size_t added = 0;
    for (size_t i = 0; i < s_free.count; ++i)
        added += pa.add_free_range(s_free.ranges[i].start, s_free.ranges[i].end);

    printk("memory: %zu MiB usable of %zu MiB, %zu KiB for page tables and %zu page descriptors\n",
           added * PAGE_SIZE >> 20, size_t(info.top_of_ram >> 20),
           size_t((s_bump_next - s_bump_start) >> 10), frames);
}

} // namespace kern
