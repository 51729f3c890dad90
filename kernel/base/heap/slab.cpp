// kernel/base/heap/slab.cpp -- the slab allocator behind kernel/base/heap/slab.h.
//
// Read the header first for the picture. The life of a slab:
//
//   grow_locked()      page from the page allocator -> header (on-page, or
//                      from the header cache) -> thread every object onto the
//                      free list -> mark the Page (SLAB, m_owner) -> m_empty
//   allocate()         partial slab, else the spare empty slab, else grow;
//                      pop its free list; move it to m_partial or m_full
//   free()             find the slab through the Page; push the object; move
//                      the slab; an empty slab becomes the spare, or goes back
//                      to the page allocator if there already is one
//   destroy_slab_locked()  undo grow_locked() in reverse order
//
// The free list link is the first word of a free object, so a free object's
// memory is the allocator's. Two cheap checks catch most misuse in the kernel
// itself: an object freed twice in a row (it is already the list head), and a
// corrupted link (a write after free) when it is popped. Under AddressSanitizer
// on the host, free objects are poisoned and every misuse is caught.
//
// Lock order: docs/locking.md (grow and destroy call the header cache and the
// page allocator while holding this cache's lock).
#include <kernel/base/heap/slab.h>

#include <new>

#if defined(KERNEL_HOST) && defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SLAB_POISON(addr, size) ASAN_POISON_MEMORY_REGION(addr, size)
#define SLAB_UNPOISON(addr, size) ASAN_UNPOISON_MEMORY_REGION(addr, size)
#define SLAB_IS_POISONED(addr) (__asan_address_is_poisoned(addr) != 0)
#else
#define SLAB_POISON(addr, size) ((void)(addr), (void)(size))
#define SLAB_UNPOISON(addr, size) ((void)(addr), (void)(size))
#define SLAB_IS_POISONED(addr) ((void)(addr), false)
#endif

namespace kern {

namespace {

// The free-list link stored in a free object, read with the poison lifted.
void* read_link(void* object)
{
    SLAB_UNPOISON(object, sizeof(void*));
    void* next = *static_cast<void**>(object);
    SLAB_POISON(object, sizeof(void*));
    return next;
}

} // namespace

SlabCache::SlabCache(const char* name, size_t object_size, vm::PageAllocator& pages,
                     SlabCache* header_cache)
    : m_name(name)
    , m_object_size(align_up(object_size, ALIGN))
    , m_pages(pages)
    , m_header_cache(header_cache && object_size >= PAGE_SIZE / 8 ? header_cache : nullptr)
{
    KASSERT(object_size > 0 && object_size <= MAX_OBJECT_SIZE);
    KASSERT(!m_header_cache || m_header_cache->object_size() >= sizeof(Slab));
    const size_t usable = m_header_cache ? PAGE_SIZE : PAGE_SIZE - ON_PAGE_HEADER;
    m_capacity = u32(usable / m_object_size);
    KASSERT(m_capacity >= 1);
}

SlabCache::~SlabCache()
{
    SpinGuard guard(m_lock);
    KASSERT_MSG(m_in_use == 0, "slab: cache %s destroyed with %zu objects in use", m_name,
                m_in_use);
    KASSERT(m_partial.is_empty() && m_full.is_empty());
    while (!m_empty.is_empty())
        destroy_slab_locked(m_empty.take_first());
}

// grow_locked: a new, empty slab on m_empty.  Errors: ENOMEM (page or header).
ErrorOr<Slab*> SlabCache::grow_locked()
{
    vm::Page* page = TRY(m_pages.allocate(0));
    char* base = static_cast<char*>(m_pages.virt_of(*page));
    void* header = base;
    char* objects = base + ON_PAGE_HEADER;
    if (m_header_cache) {
        auto off_page = m_header_cache->allocate();
        if (off_page.is_error()) {
            m_pages.free(page); // undo
            return off_page.error();
        }
        header = off_page.value();
        objects = base;
    }
    // Nothing below can fail.
    Slab* slab = new (header) Slab();
    slab->m_cache = this;
    slab->m_page = page;
    slab->m_objects = objects;
    slab->m_capacity = m_capacity;
    for (u32 i = m_capacity; i-- > 0;) { // thread the list, lowest address first
        void* object = objects + size_t(i) * m_object_size;
        *static_cast<void**>(object) = slab->m_free;
        slab->m_free = object;
        SLAB_POISON(object, m_object_size);
    }
    page->m_flags |= vm::Page::SLAB;
    page->m_owner = slab;
    m_empty.push_front(*slab);
    ++m_slab_count;
    return slab;
}

// destroy_slab_locked: give an empty slab's page (and header) back.
// => slab is empty and on no list.
void SlabCache::destroy_slab_locked(Slab& slab)
{
    KASSERT(slab.m_in_use == 0 && !slab.m_node.is_linked());
    vm::Page* page = slab.m_page;
    page->m_flags &= ~vm::Page::SLAB;
    page->m_owner = nullptr;
    --m_slab_count;
    if (m_header_cache)
        m_header_cache->free(&slab);
    m_pages.free(page);
}

SlabCache::SlabList& SlabCache::list_for_locked(u32 in_use)
{
    if (in_use == 0)
        return m_empty;
    return in_use == m_capacity ? m_full : m_partial;
}

// move_if_needed_locked: after slab.m_in_use changed, move the slab from
// `before` to the list its new count calls for.
void SlabCache::move_if_needed_locked(Slab& slab, SlabList& before)
{
    SlabList& after = list_for_locked(slab.m_in_use);
    if (&after == &before)
        return;
    before.remove(slab);
    after.push_front(slab);
}

bool SlabCache::is_object_of(const Slab& slab, const void* object) const
{
    const char* p = static_cast<const char*>(object);
    if (p < slab.m_objects)
        return false;
    const size_t offset = size_t(p - slab.m_objects);
    return offset % m_object_size == 0 && offset / m_object_size < slab.m_capacity;
}

void* SlabCache::take_object_locked(Slab& slab)
{
    KASSERT(slab.m_free != nullptr);
    SlabList& before = list_for_locked(slab.m_in_use);
    void* object = slab.m_free;
    SLAB_UNPOISON(object, m_object_size);
    void* next = *static_cast<void**>(object);
    KASSERT_MSG(next == nullptr || is_object_of(slab, next),
                "slab: free list of %s corrupted at %p (write after free?)", m_name, object);
    slab.m_free = next;
    ++slab.m_in_use;
    ++m_in_use;
    ++m_allocated_total;
    move_if_needed_locked(slab, before);
    return object;
}

ErrorOr<void*> SlabCache::allocate()
{
    SpinGuard guard(m_lock);
    Slab* slab = m_partial.first();
    if (!slab)
        slab = m_empty.first();
    if (!slab) {
        auto grown = grow_locked();
        if (grown.is_error()) {
            ++m_failures;
            return grown.error();
        }
        slab = grown.value();
    }
    return take_object_locked(*slab);
}

// slab_of: the slab holding `object`.  => it is one of this cache's objects.
Slab& SlabCache::slab_of(void* object) const
{
    vm::Page* page = m_pages.page_for_virt(object);
    KASSERT_MSG(page && page->has(vm::Page::SLAB), "slab: free of %p, not a slab object", object);
    Slab* slab = static_cast<Slab*>(page->m_owner);
    KASSERT_MSG(slab->m_cache == this, "slab: %p freed to %s but belongs to %s", object, m_name,
                slab->m_cache->m_name);
    KASSERT_MSG(is_object_of(*slab, object), "slab: free of %p, not an object start in %s",
                object, m_name);
    return *slab;
}

void SlabCache::free(void* object)
{
    KASSERT(object != nullptr);
    Slab& slab = slab_of(object);
    SpinGuard guard(m_lock);
    KASSERT_MSG(object != slab.m_free && !SLAB_IS_POISONED(object),
                "slab: double free of %p in %s", object, m_name);
    KASSERT(slab.m_in_use > 0);
    SlabList& before = list_for_locked(slab.m_in_use);
    *static_cast<void**>(object) = slab.m_free;
    slab.m_free = object;
    SLAB_POISON(object, m_object_size);
    --slab.m_in_use;
    --m_in_use;
    ++m_freed_total;
    if (slab.m_in_use == 0 && !m_empty.is_empty()) {
        before.remove(slab); // a spare exists already: this one goes back
        destroy_slab_locked(slab);
        return;
    }
    move_if_needed_locked(slab, before);
}

size_t SlabCache::shrink()
{
    SpinGuard guard(m_lock);
    size_t pages = 0;
    while (!m_empty.is_empty()) {
        destroy_slab_locked(m_empty.take_first());
        ++pages;
    }
    return pages;
}

SlabCache* SlabCache::cache_of(const vm::PageAllocator& pages, const void* object)
{
    const vm::Page* page = pages.page_for_virt(object);
    if (!page || !page->has(vm::Page::SLAB))
        return nullptr;
    return static_cast<const Slab*>(page->m_owner)->m_cache;
}

SlabCacheStats SlabCache::stats() const
{
    SpinGuard guard(m_lock);
    SlabCacheStats s = {};
    s.name = m_name;
    s.object_size = m_object_size;
    s.objects_per_slab = m_capacity;
    s.in_use = m_in_use;
    s.allocated_total = m_allocated_total;
    s.freed_total = m_freed_total;
    s.failures = m_failures;
    s.slabs = m_slab_count;
    s.pages = m_slab_count;
    s.off_page_headers = m_header_cache != nullptr;
    return s;
}

void SlabCache::verify() const
{
    SpinGuard guard(m_lock);
    size_t slabs = 0, in_use = 0;
    const SlabList* lists[] = {&m_empty, &m_partial, &m_full};
    for (const SlabList* list : lists) {
        for (const Slab* s = list->first(); s; s = list->next(*s)) {
            KASSERT(s->m_cache == this && s->m_capacity == m_capacity);
            KASSERT(s->m_page->has(vm::Page::SLAB) && s->m_page->m_owner == s);
            const SlabList* expected = s->m_in_use == 0 ? &m_empty
                                       : s->m_in_use == m_capacity ? &m_full
                                                                   : &m_partial;
            KASSERT(expected == list);
            size_t free = 0;
            for (void* o = s->m_free; o; o = read_link(o)) {
                KASSERT(is_object_of(*s, o));
                KASSERT(++free <= m_capacity);
            }
            KASSERT(free + s->m_in_use == m_capacity);
            ++slabs;
            in_use += s->m_in_use;
        }
    }
    KASSERT(slabs == m_slab_count && in_use == m_in_use);
    KASSERT(m_empty.size_slow() <= 1);
}

} // namespace kern
