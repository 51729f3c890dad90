// kernel/base/page/page_allocator.cpp -- the buddy allocator behind kernel/base/page/page_allocator.h.
//
// Read the header first: it states the data structures and invariants. This
// file is organised as
//   1. small helpers: frame numbers <-> descriptors, block sizes;
//   2. the two primitives every path goes through:
//        allocate_block_locked(order)  take the smallest free block that is
//                                      large enough, split it down ("expand"
//                                      in Linux), mark the frames KERNEL;
//        free_block_locked(pfn, order) mark the frames FREE, then merge with
//                                      the buddy while the buddy is a free
//                                      block of the same order;
//   3. the public interface built from them (runs are cut into aligned
//      blocks by free_range_locked());
//   4. reserve_range(), which digs single frames out of free blocks;
//   5. verify() and the global instance.
//
// A picture of coalescing (frame numbers, order-0 free of frame 5):
//
//   before:  [4 free o0] [5 ...] [6-7 free o1]
//   free 5:  buddy(5,o0) = 4 is a free o0 head     -> merge into [4-5] o1
//            buddy(4,o1) = 6 is a free o1 head     -> merge into [4-7] o2
//            buddy(4,o2) = 0 is not free (say)     -> stop, push [4-7] on m_free[2]
//
// Host tests: under AddressSanitizer, free frames are poisoned, so a stray
// write into a page after it was freed is reported where it happens.
//
// Lock: m_lock (a SpinLock) guards everything but the constant geometry set
// by init(). It is a leaf: nothing else is locked while it is held.
#include <kernel/base/page/page_allocator.h>

#include <arch/mmu.h>
#include <kernel/base/lib/string.h>

#include <new>

#if defined(KERNEL_HOST) && defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define VM_POISON(addr, size) ASAN_POISON_MEMORY_REGION(addr, size)
#define VM_UNPOISON(addr, size) ASAN_UNPOISON_MEMORY_REGION(addr, size)
#else
#define VM_POISON(addr, size) ((void)(addr), (void)(size))
#define VM_UNPOISON(addr, size) ((void)(addr), (void)(size))
#endif

namespace vm {

using kern::SpinGuard;

namespace {

constexpr u64 frames_in(unsigned order) { return u64(1) << order; }

// The smallest order whose block holds `count` frames. => count <= MAX_RUN_PAGES.
unsigned order_for(size_t count)
{
    unsigned order = 0;
    while (frames_in(order) < count)
        ++order;
    return order;
}

} // namespace

// ---- 1. helpers -------------------------------------------------------------

PageAllocator::~PageAllocator()
{
    // The lists' own destructors insist on being empty; the descriptors they
    // link are about to go away with the test's buffer, so just unlink them.
    for (FreeList& list : m_free)
        while (!list.is_empty())
            list.take_first();
}

bool PageAllocator::pfn_managed(u64 pfn) const
{
    return pfn >= m_first_pfn && pfn - m_first_pfn < m_frame_count;
}

Page& PageAllocator::page_at_pfn(u64 pfn) const
{
    KASSERT(pfn_managed(pfn));
    return m_pages[pfn - m_first_pfn];
}

u64 PageAllocator::pfn_of(const Page& page) const
{
    KASSERT_MSG(&page >= m_pages && &page < m_pages + m_frame_count,
                "vm: %p is not a page descriptor", static_cast<const void*>(&page));
    return m_first_pfn + u64(&page - m_pages);
}

// The largest order of an aligned block that starts at `pfn` and ends by
// `end_pfn`.  => pfn < end_pfn.
unsigned PageAllocator::largest_fit(u64 pfn, u64 end_pfn) const
{
    unsigned order = 0;
    while (order < MAX_ORDER) {
        const u64 bigger = frames_in(order + 1);
        if ((pfn & (bigger - 1)) != 0 || pfn + bigger > end_pfn)
            break;
        ++order;
    }
    return order;
}

// Put the free block at `pfn` on its list.  => its frames are FREE.
void PageAllocator::push_free_locked(u64 pfn, unsigned order)
{
    Page& head = page_at_pfn(pfn);
    head.m_flags = Page::FREE | Page::BUDDY;
    head.m_order = u8(order);
    m_free[order].push_front(head);
    ++m_free_blocks[order];
}

// Take a free block's head off its list; its frames stay FREE.
void PageAllocator::remove_free_locked(Page& head)
{
    KASSERT(head.has(Page::BUDDY));
    m_free[head.m_order].remove(head);
    --m_free_blocks[head.m_order];
    head.m_flags = Page::FREE;
}

// ---- 2. the primitives ------------------------------------------------------

// allocate_block_locked: the head of a fresh block of 2^order frames, or
// nullptr if no free block is large enough.
Page* PageAllocator::allocate_block_locked(unsigned order)
{
    unsigned found = order;
    while (found <= MAX_ORDER && m_free[found].is_empty())
        ++found;
    if (found > MAX_ORDER)
        return nullptr;

    Page& head = *m_free[found].first();
    remove_free_locked(head);
    const u64 pfn = pfn_of(head);
    // Split: keep the lower half, give the upper half back, until it fits.
    while (found > order) {
        --found;
        push_free_locked(pfn + frames_in(found), found);
    }

    const u64 n = frames_in(order);
    for (u64 i = 0; i < n; ++i) {
        Page& page = page_at_pfn(pfn + i);
        KASSERT(page.m_flags == Page::FREE);
        page.m_flags = Page::KERNEL;
        page.m_ref_count = 1;
    }
    head.m_run_pages = u32(n);
    m_free_count -= n;
    m_kernel_count += n;
    VM_UNPOISON(virt_of(head), n * PAGE_SIZE);
    return &head;
}

// free_block_locked: return the aligned block of 2^order KERNEL frames at
// `pfn` and merge it with its buddies.
void PageAllocator::free_block_locked(u64 pfn, unsigned order)
{
    KASSERT((pfn & (frames_in(order) - 1)) == 0);
    const u64 n = frames_in(order);
    for (u64 i = 0; i < n; ++i) {
        Page& page = page_at_pfn(pfn + i);
        KASSERT_MSG(!page.is_free(), "vm: double free of frame 0x%lx",
                    static_cast<unsigned long>((pfn + i) << PAGE_SHIFT));
        KASSERT_MSG(!page.is_reserved(), "vm: free of reserved frame 0x%lx",
                    static_cast<unsigned long>((pfn + i) << PAGE_SHIFT));
        KASSERT(!page.has(Page::SLAB | Page::LARGE));
        KASSERT(page.m_ref_count <= 1);
        page.m_flags = Page::FREE;
        page.m_ref_count = 0;
        page.m_run_pages = 0;
        page.m_owner = nullptr;
    }
    VM_POISON(virt_of(page_at_pfn(pfn)), n * PAGE_SIZE);
    m_kernel_count -= n;
    m_free_count += n;

    while (order < MAX_ORDER) {
        const u64 buddy = pfn ^ frames_in(order);
        if (!pfn_managed(buddy))
            break;
        Page& other = page_at_pfn(buddy);
        if (!other.has(Page::BUDDY) || other.m_order != order)
            break;
        remove_free_locked(other);
        pfn = min(pfn, buddy);
        ++order;
    }
    push_free_locked(pfn, order);
}

// free_range_locked: free [pfn, end_pfn) as the largest aligned blocks.
void PageAllocator::free_range_locked(u64 pfn, u64 end_pfn)
{
    while (pfn < end_pfn) {
        const unsigned order = largest_fit(pfn, end_pfn);
        free_block_locked(pfn, order);
        pfn += frames_in(order);
    }
}

// ---- 3. the interface -------------------------------------------------------

void PageAllocator::init(Page* descriptors, PhysAddr base, size_t frame_count)
{
    KASSERT(is_aligned(base, PAGE_SIZE));
    KASSERT(descriptors != nullptr || frame_count == 0);
    SpinGuard guard(m_lock);
    m_pages = descriptors;
    m_first_pfn = base >> PAGE_SHIFT;
    m_frame_count = frame_count;
    for (size_t i = 0; i < frame_count; ++i)
        new (&descriptors[i]) Page(); // RESERVED, unlinked
    for (unsigned order = 0; order <= MAX_ORDER; ++order) {
        new (&m_free[order]) FreeList(); // forget any previous state
        m_free_blocks[order] = 0;
    }
    m_free_count = 0;
    m_kernel_count = 0;
    m_reserved_count = frame_count;
}

size_t PageAllocator::add_free_range(PhysAddr start, PhysAddr end)
{
    u64 first = align_up(start, PAGE_SIZE) >> PAGE_SHIFT;
    u64 last = align_down(end, PAGE_SIZE) >> PAGE_SHIFT; // exclusive
    first = max(first, m_first_pfn);
    last = min(last, m_first_pfn + m_frame_count);
    if (first >= last)
        return 0;

    SpinGuard guard(m_lock);
    // The frames pass through "allocated" so that the ordinary free path,
    // with its checks and coalescing, is the only way into the free lists.
    for (u64 pfn = first; pfn < last; ++pfn) {
        Page& page = page_at_pfn(pfn);
        KASSERT_MSG(page.m_flags == Page::RESERVED, "vm: frame 0x%lx added twice",
                    static_cast<unsigned long>(pfn << PAGE_SHIFT));
        page.m_flags = Page::KERNEL;
    }
    m_reserved_count -= last - first;
    m_kernel_count += last - first;
    free_range_locked(first, last);
    return last - first;
}

ErrorOr<Page*> PageAllocator::allocate(unsigned order)
{
    KASSERT(order <= MAX_ORDER);
    SpinGuard guard(m_lock);
    Page* head = allocate_block_locked(order);
    if (!head)
        return Errno::ENOMEM;
    return head;
}

size_t PageAllocator::allocate_each(Page** pages, size_t count)
{
    SpinGuard guard(m_lock);
    size_t n = 0;
    for (; n < count; ++n) {
        pages[n] = allocate_block_locked(0);
        if (!pages[n])
            break;
    }
    return n;
}

ErrorOr<Page*> PageAllocator::allocate_pages(size_t count)
{
    if (count == 0)
        return Errno::EINVAL;
    if (count > MAX_RUN_PAGES)
        return Errno::ENOMEM;
    const unsigned order = order_for(count);
    SpinGuard guard(m_lock);
    Page* head = allocate_block_locked(order);
    if (!head)
        return Errno::ENOMEM;
    const u64 pfn = pfn_of(*head);
    free_range_locked(pfn + count, pfn + frames_in(order)); // the unused tail
    head->m_run_pages = u32(count);
    return head;
}

// check_allocated_run: the KASSERTs every free goes through first.
void PageAllocator::check_allocated_run(const Page& head, size_t count) const
{
    const unsigned long pa = static_cast<unsigned long>(phys_of(head));
    KASSERT_MSG(!head.is_free(), "vm: double free of frame 0x%lx", pa);
    KASSERT_MSG(!head.is_reserved(), "vm: free of reserved frame 0x%lx", pa);
    KASSERT(head.has(Page::KERNEL));
    KASSERT_MSG(head.m_run_pages == count,
                "vm: free of frame 0x%lx with %zu pages, allocated with %u", pa, count,
                head.m_run_pages);
    KASSERT(count >= 1 && count <= MAX_RUN_PAGES);
}

void PageAllocator::free(Page* page, unsigned order)
{
    KASSERT(order <= MAX_ORDER);
    free_pages(page, size_t(frames_in(order)));
}

void PageAllocator::free_pages(Page* page, size_t count)
{
    KASSERT(page != nullptr);
    SpinGuard guard(m_lock);
    check_allocated_run(*page, count);
    const u64 pfn = pfn_of(*page);
    free_range_locked(pfn, pfn + count);
}

Page* PageAllocator::page_for(PhysAddr pa) const
{
    const u64 pfn = pa >> PAGE_SHIFT;
    return pfn_managed(pfn) ? &m_pages[pfn - m_first_pfn] : nullptr;
}

Page* PageAllocator::page_for_virt(const void* va) const
{
    return page_for(arch::direct_map_to_phys(va));
}

PhysAddr PageAllocator::phys_of(const Page& page) const { return pfn_of(page) << PAGE_SHIFT; }

void* PageAllocator::virt_of(const Page& page) const { return arch::phys_to_virt(phys_of(page)); }

void PageAllocator::zero_page(const Page& page) const { zero_pages(page, 1); }

void PageAllocator::zero_pages(const Page& first, size_t count) const
{
    KASSERT(first.has(Page::KERNEL));
    KASSERT(pfn_managed(pfn_of(first) + count - 1));
    memset(virt_of(first), 0, count * PAGE_SIZE);
}

PageStats PageAllocator::stats() const
{
    SpinGuard guard(m_lock);
    PageStats s = {};
    s.total = m_frame_count;
    s.free = m_free_count;
    s.kernel = m_kernel_count;
    s.reserved = m_reserved_count;
    for (unsigned order = 0; order <= MAX_ORDER; ++order)
        s.free_blocks[order] = m_free_blocks[order];
    return s;
}

// ---- 4. reserving frames that are already free ------------------------------

// reserve_frame_locked: make frame `pfn` RESERVED. If it lies inside a free
// block, take the block off its list and split it around the frame, giving
// every half that does not contain it back.  Returns true if it was free.
bool PageAllocator::reserve_frame_locked(u64 pfn)
{
    Page& page = page_at_pfn(pfn);
    if (page.is_reserved())
        return false;
    KASSERT_MSG(page.is_free(), "vm: reserve_range over allocated frame 0x%lx",
                static_cast<unsigned long>(pfn << PAGE_SHIFT));

    // The containing block's head is `pfn` rounded down to the block size.
    unsigned order = 0;
    u64 head = pfn;
    for (;; ++order) {
        KASSERT(order <= MAX_ORDER);
        head = pfn & ~(frames_in(order) - 1);
        const Page& candidate = page_at_pfn(head);
        if (candidate.has(Page::BUDDY) && candidate.m_order == order)
            break;
    }
    remove_free_locked(page_at_pfn(head));
    while (order > 0) {
        --order;
        const u64 half = frames_in(order);
        if (pfn < head + half) {
            push_free_locked(head + half, order); // keep the lower half
        } else {
            push_free_locked(head, order); // keep the upper half
            head += half;
        }
    }
    KASSERT(head == pfn);
    page.m_flags = Page::RESERVED;
    --m_free_count;
    ++m_reserved_count;
    VM_UNPOISON(virt_of(page), PAGE_SIZE);
    return true;
}

size_t PageAllocator::reserve_range(PhysAddr start, PhysAddr end)
{
    u64 first = align_down(start, PAGE_SIZE) >> PAGE_SHIFT;
    u64 last = align_up(end, PAGE_SIZE) >> PAGE_SHIFT; // exclusive
    first = max(first, m_first_pfn);
    last = min(last, m_first_pfn + m_frame_count);
    SpinGuard guard(m_lock);
    size_t reserved = 0;
    for (u64 pfn = first; pfn < last; ++pfn)
        if (reserve_frame_locked(pfn))
            ++reserved;
    return reserved;
}

// ---- 5. verification and the global instance --------------------------------

void PageAllocator::verify() const
{
    SpinGuard guard(m_lock);
    size_t free = 0, kernel = 0, reserved = 0, heads = 0;
    for (size_t i = 0; i < m_frame_count; ++i) {
        const Page& page = m_pages[i];
        const u32 state = page.m_flags & (Page::FREE | Page::KERNEL | Page::RESERVED);
        KASSERT(state == Page::FREE || state == Page::KERNEL || state == Page::RESERVED);
        free += state == Page::FREE;
        kernel += state == Page::KERNEL;
        reserved += state == Page::RESERVED;
        heads += page.has(Page::BUDDY);
        KASSERT(!page.has(Page::BUDDY) || page.is_free());
    }
    KASSERT(free == m_free_count && kernel == m_kernel_count && reserved == m_reserved_count);

    size_t listed = 0, blocks = 0;
    for (unsigned order = 0; order <= MAX_ORDER; ++order) {
        size_t count = 0;
        for (const Page* h = m_free[order].first(); h; h = m_free[order].next(*h)) {
            const u64 pfn = pfn_of(*h);
            KASSERT(h->has(Page::BUDDY) && h->m_order == order);
            KASSERT((pfn & (frames_in(order) - 1)) == 0);
            for (u64 i = 1; i < frames_in(order); ++i)
                KASSERT(page_at_pfn(pfn + i).m_flags == Page::FREE);
            const u64 buddy = pfn ^ frames_in(order);
            KASSERT(order == MAX_ORDER || !pfn_managed(buddy) ||
                    !page_at_pfn(buddy).has(Page::BUDDY) ||
                    page_at_pfn(buddy).m_order != order); // fully coalesced
            ++count;
            listed += frames_in(order);
        }
        KASSERT(count == m_free_blocks[order]);
        blocks += count;
    }
    // Every FREE frame is in exactly one listed block.
    KASSERT(listed == m_free_count && blocks == heads);
}

// The kernel's instance lives in static storage and is constructed on first
// use, at boot, on the boot CPU: a namespace-scope object with a destructor
// would need __cxa_atexit and a global-constructor pass in the kernel.
namespace {
alignas(PageAllocator) unsigned char s_storage[sizeof(PageAllocator)];
bool s_constructed = false;
} // namespace

PageAllocator& page_allocator()
{
    if (unlikely(!s_constructed)) {
        new (s_storage) PageAllocator();
        s_constructed = true;
    }
    return *std::launder(reinterpret_cast<PageAllocator*>(s_storage));
}

} // namespace vm
