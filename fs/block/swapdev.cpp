// fs/block/swapdev.cpp -- swap on a block device: the header, and the VM's page I/O (see fs/block/swapdev.h).
//
// Each device that is swap has a BlockSwap: the vm::SwapBacking whose
// transfer() builds one request with the pages as its page list and waits
// for it. BlockSwaps live in a small table (s_swaps), found by device, and
// are freed at swapoff -- after vm::swap_off has brought every page back,
// so no transfer can still be using one.
//
// Lock: s_lock (a Mutex: swapon reads the header under it) serializes
// swapon and swapoff of devices and guards the table.
//
// Read more: Linux mm/swapfile.c (read_swap_header, sys_swapon,
// MAX_SWAP_BADPAGES) and include/linux/swap.h (union swap_header); NetBSD
// sys/uvm/uvm_swap.c (swap_on). Design only; our own code.
#include <fs/block/swapdev.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>
#include <kernel/base/printk.h>
#include <kernel/base/sync/mutex.h>
#include <new>
#include <vm/swap.h>

namespace block {

using kern::MutexGuard;

namespace {

constexpr size_t SIGNATURE_AT = PAGE_SIZE - 10;
constexpr size_t VERSION_AT = 1024;
constexpr size_t LAST_PAGE_AT = 1028;
constexpr size_t NR_BAD_AT = 1032;
constexpr size_t BAD_PAGES_AT = 1536;
constexpr size_t MAX_BAD_PAGES = (SIGNATURE_AT - BAD_PAGES_AT) / sizeof(u32);  // 637
constexpr u64 MIN_PAGES = 10;

u32 load_u32(const u8* p)
{
    u32 v;
    memcpy(&v, p, sizeof v);
    return v;
}

class BlockSwap final : public vm::SwapBacking {
public:
    explicit BlockSwap(BlockDevice& dev) : m_dev(dev) {}

    ErrorOr<void> transfer(vm::Page* const* pages, size_t count, u64 first, bool write) override
    {
        KASSERT(count > 0 && count * PAGE_SIZE <= MAX_TRANSFER);
        Buf bp;
        bio_prepare_pages(bp, m_dev, first * (PAGE_SIZE / DEV_BSIZE), const_cast<vm::Page**>(pages),
                          u32(count), write ? 0 : Buf::B_READ);
        auto result = bio_sync(bp);
        if (result.is_error())
            printk("swap: %s of %zu pages at page %lu of %s failed\n", write ? "write" : "read",
                         count, (unsigned long)first, m_dev.name());
        return result;
    }
    const char* name() const override { return m_dev.name(); }
    BlockDevice& device() const { return m_dev; }

private:
    BlockDevice& m_dev;
};

kern::Mutex s_lock;
BlockSwap* s_swaps[vm::MAX_SWAP_DEVICES];

// => s_lock held.
BlockSwap** slot_of(BlockDevice& dev)
{
    for (BlockSwap*& s : s_swaps)
        if (s && &s->device() == &dev)
            return &s;
    return nullptr;
}

} // namespace

ErrorOr<SwapHeader> parse_swap_header(const u8* page, u64 device_pages)
{
    if (memcmp(page + SIGNATURE_AT, "SWAPSPACE2", 10) != 0)
        return Errno::EINVAL;
    if (load_u32(page + VERSION_AT) != 1)
        return Errno::EINVAL;
    const u64 last = load_u32(page + LAST_PAGE_AT);
    const u32 nr_bad = load_u32(page + NR_BAD_AT);
    if (last < MIN_PAGES || last >= device_pages || nr_bad > MAX_BAD_PAGES)
        return Errno::EINVAL;  // empty, longer than the device, or a bad list that cannot be
    SwapHeader h;
    h.first_page = 1;
    h.last_page = last;
    h.bad = reinterpret_cast<const u32*>(page + BAD_PAGES_AT);
    h.bad_count = nr_bad;
    return h;
}

ErrorOr<void> swap_on_device(BlockDevice& dev)
{
    MutexGuard guard(s_lock);
    if (slot_of(dev))
        return Errno::EBUSY;
    BlockSwap** free_slot = nullptr;
    for (BlockSwap*& s : s_swaps)
        if (!s && !free_slot)
            free_slot = &s;
    if (!free_slot)
        return Errno::EPERM;
    if (!dev.claim())
        return Errno::EBUSY;  // a mounted file system is on it
    auto allocated = vm::page_allocator().allocate();
    if (allocated.is_error()) {
        dev.unclaim();
        return allocated.error();
    }
    vm::Page* header_page = allocated.value();
    ErrorOr<void> result;
    {
        Buf bp;
        vm::Page* pages[1] = {header_page};
        bio_prepare_pages(bp, dev, 0, pages, 1, Buf::B_READ);
        result = bio_sync(bp);
    }
    BlockSwap* swap = nullptr;
    if (!result.is_error()) {
        const u8* bytes = static_cast<const u8*>(vm::page_allocator().virt_of(*header_page));
        auto header = parse_swap_header(bytes, dev.size_bytes() / PAGE_SIZE);
        swap = header.is_error() ? nullptr : new (std::nothrow) BlockSwap(dev);
        if (header.is_error())
            result = header.error();
        else if (!swap)
            result = Errno::ENOMEM;
        else {
            const SwapHeader& h = header.value();
            auto on = vm::swap_on(*swap, h.first_page, h.last_page - h.first_page + 1, h.bad, h.bad_count);
            if (on.is_error())
                result = on.error();
            else
                printk("swap: %s on, %lu KiB\n", dev.name(),
                             (unsigned long)((h.last_page - h.first_page + 1) * (PAGE_SIZE / 1024)));
        }
    }
    vm::page_allocator().free(header_page);
    if (result.is_error()) {
        delete swap;
        dev.unclaim();
        return result;
    }
    *free_slot = swap;
    return {};
}

ErrorOr<void> swap_off_device(BlockDevice& dev)
{
    MutexGuard guard(s_lock);
    BlockSwap** slot = slot_of(dev);
    if (!slot)
        return Errno::EINVAL;
    TRY(vm::swap_off(**slot));
    delete *slot;
    *slot = nullptr;
    dev.unclaim();
    printk("swap: %s off\n", dev.name());
    return {};
}

bool is_swap_device(const BlockDevice& dev)
{
    MutexGuard guard(s_lock);
    for (BlockSwap* s : s_swaps)
        if (s && &s->device() == &dev)
            return true;
    return false;
}

void for_each_swap_device(void (*fn)(BlockDevice& dev, void* arg), void* arg)
{
    MutexGuard guard(s_lock);
    for (BlockSwap* s : s_swaps)
        if (s)
            fn(s->device(), arg);
}

} // namespace block
