// tests/ktest/arch/pmap_ktest.cpp -- the x86-64 pmap and user copies, on real page tables.
//
// Each case builds address spaces with arch::pmap_create, maps freshly
// allocated pages, loads the pmap in the test thread
// (Thread::set_address_space) and touches the user addresses -- directly
// and through copy_from_user/copy_to_user -- checking the bytes through the
// direct map. The faults these cases provoke on purpose (a write to a
// read-only page, a read of an unmapped one) go through the real trap path:
// the VM fault handler cannot resolve them (the thread has no VmMap), so the
// copy routine's fix-up returns EFAULT.
//
// Helpers own what a case makes and give it back in reverse order even
// when a KREQUIRE ends the case early: Space (a pmap; removes everything,
// destroys), TestPage (a page; optionally ANON/OBJECT, i.e. managed),
// Activation (loads a pmap, and the kernel's again at the end). The runner's
// leak check (free pages, heap bytes) then covers table pages and pv entries.
// See arch/x86_64/pmap.cpp and docs/testing.md.
#include <arch/pmap.h>
#include <arch/time.h>
#include <arch/usercopy.h>
#include <arch/x86_64/pmap_internal.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/page/page.h>
#include <kernel/base/page/page_allocator.h>

#include <new>

using arch::Pmap;
using kern::Errno;
using kern::Thread;

namespace {

constexpr uptr UVA = 0x40000000;  // 1 GiB: a user address no case maps by accident
constexpr vm::Prot RW = vm::PROT_READ | vm::PROT_WRITE;
constexpr vm::Prot RO = vm::PROT_READ;

// A page from the page allocator, zeroed; `managed` is 0, ANON or OBJECT.
struct TestPage {
    explicit TestPage(u32 managed = 0)
    {
        page = MUST(vm::page_allocator().allocate());
        vm::page_allocator().zero_page(*page);
        pa = vm::page_allocator().phys_of(*page);
        bytes = static_cast<u8*>(vm::page_allocator().virt_of(*page));
        arch::pmap_clear_modify(*page);  // forget a previous life's saved bits
        arch::pmap_clear_reference(*page);
        page->m_flags |= managed;
    }
    ~TestPage()
    {
        KASSERT(arch::pmap_mapping_count(*page) == 0);
        arch::pmap_clear_modify(*page);
        arch::pmap_clear_reference(*page);
        KASSERT(page->m_pmap_md == nullptr);
        page->m_flags &= ~(vm::Page::ANON | vm::Page::OBJECT);
        vm::page_allocator().free(page);
    }
    u64 word(size_t offset) const { return *reinterpret_cast<volatile u64*>(bytes + offset); }

    vm::Page* page;
    PhysAddr pa;
    u8* bytes;
};

// A user address space; at the end every mapping is removed and it is destroyed.
struct Space {
    Space() : pmap(MUST(arch::pmap_create())) {}
    ~Space()
    {
        arch::pmap_remove(pmap, 0, x86::USER_HALF_END);
        arch::pmap_destroy(pmap);
    }
    void enter(uptr va, const TestPage& p, vm::Prot prot, u32 flags = 0)
    {
        MUST(arch::pmap_enter(pmap, va, p.pa, prot, flags));
    }
    bool mapped(uptr va) const { return arch::pmap_extract(pmap, va, nullptr); }

    Pmap* pmap;
};

// The pmap loaded for the test thread while it lives.
struct Activation {
    explicit Activation(Pmap* pmap) { Thread::current()->set_address_space(nullptr, pmap); }
    ~Activation() { Thread::current()->set_address_space(nullptr, nullptr); }
};

volatile u64* user_word(uptr va) { return reinterpret_cast<volatile u64*>(va); }

bool efault(const kern::ErrorOr<void>& r) { return r.is_error() && r.error() == Errno::EFAULT; }

// Take every free frame, chained through their own first bytes; give back.
struct Hoard {
    struct Block {
        Block* next;
        vm::Page* head;
        unsigned order;
    };
    // Largest blocks first; then the last block is split into single pages,
    // so that release_one() gives back exactly one page.
    Hoard()
    {
        for (int order = int(vm::MAX_ORDER); order >= 0; --order)
            take_all(unsigned(order));
        if (blocks && blocks->order > 0) {
            release_one();
            take_all(0);
        }
    }
    void take_all(unsigned order)
    {
        for (;;) {
            auto page = vm::page_allocator().allocate(order);
            if (page.is_error())
                return;
            auto* b = static_cast<Block*>(vm::page_allocator().virt_of(*page.value()));
            *b = {blocks, page.value(), order};
            blocks = b;
        }
    }
    ~Hoard()
    {
        while (blocks)
            release_one();
    }
    void release_one()
    {
        Block b = *blocks;
        vm::page_allocator().free(b.head, b.order);
        blocks = b.next;
    }
    Block* blocks = nullptr;
};

u8 s_kernel_marker[16] = "kernel half";

} // namespace

KTEST(pmap, create_and_destroy_count_table_pages)
{
    const size_t start = arch::pmap_table_pages();
    {
        Space s;
        KEXPECT_EQ(arch::pmap_table_pages(), start + 1);  // the PML4
        KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 0ul);
        TestPage a, b;
        s.enter(UVA, a, RW);
        KEXPECT_EQ(arch::pmap_table_pages(), start + 4);  // + PDPT, PD, PT
        s.enter(UVA + PAGE_SIZE, b, RW);
        KEXPECT_EQ(arch::pmap_table_pages(), start + 4);
        s.enter(UVA + (2ul << 20), b, RW);                // the next PT
        KEXPECT_EQ(arch::pmap_table_pages(), start + 5);
        s.enter(0x7f0000000000ul, a, RO);                 // another PML4 slot
        KEXPECT_EQ(arch::pmap_table_pages(), start + 8);
        KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 4ul);
        arch::pmap_remove(s.pmap, UVA, UVA + PAGE_SIZE);  // its PT still maps UVA+4K
        KEXPECT_EQ(arch::pmap_table_pages(), start + 8);
        arch::pmap_remove(s.pmap, UVA + PAGE_SIZE, UVA + 2 * PAGE_SIZE);
        KEXPECT_EQ(arch::pmap_table_pages(), start + 7);  // that PT went
        arch::pmap_remove(s.pmap, vm::USER_MIN, vm::USER_MAX);
        KEXPECT_EQ(arch::pmap_table_pages(), start + 1);
        KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 0ul);
    }
    KEXPECT_EQ(arch::pmap_table_pages(), start);
}

// pmap_destroy frees tables left behind by page-side removals (no pruning there).
KTEST(pmap, destroy_frees_tables_left_empty)
{
    const size_t start = arch::pmap_table_pages();
    {
        TestPage p(vm::Page::ANON);
        Space s;
        s.enter(UVA, p, RW);
        s.enter(0x7f0000000000ul, p, RW);
        KEXPECT_EQ(arch::pmap_mapping_count(*p.page), 2ul);
        arch::pmap_page_protect(*p.page, vm::PROT_NONE);
        KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 0ul);
        KEXPECT_EQ(arch::pmap_table_pages(), start + 7);
    }
    KEXPECT_EQ(arch::pmap_table_pages(), start);
}

KTEST(pmap, read_and_write_through_user_addresses)
{
    TestPage p;
    Space s;
    s.enter(UVA, p, RW);
    PhysAddr pa = 0;
    KEXPECT(arch::pmap_extract(s.pmap, UVA + 0x123, &pa));
    KEXPECT_EQ(pa, p.pa + 0x123);
    KEXPECT(!arch::pmap_extract(s.pmap, UVA + PAGE_SIZE, &pa));
    *reinterpret_cast<volatile u64*>(p.bytes + 8) = 0xfeedface;
    Activation on(s.pmap);
    KEXPECT_EQ(*user_word(UVA + 8), 0xfeedfaceul);
    *user_word(UVA + 16) = 0x1234567890ul;
    KEXPECT_EQ(p.word(16), 0x1234567890ul);
    u64 v = 0;
    KEXPECT(!arch::copy_from_user(&v, UVA + 8, sizeof v).is_error());
    KEXPECT_EQ(v, 0xfeedfaceul);
    v = 77;
    KEXPECT(!arch::copy_to_user(UVA + PAGE_SIZE - 8, &v, sizeof v).is_error());
    KEXPECT_EQ(p.word(PAGE_SIZE - 8), 77ul);
    KEXPECT(!arch::clear_user(UVA, 64).is_error());
    KEXPECT_EQ(p.word(8) | p.word(16), 0ul);
}

// A write first, so the TLB holds a writable entry that protect must drop.
KTEST(pmap, protect_read_only_then_copy)
{
    TestPage p;
    Space s;
    s.enter(UVA, p, RW);
    Activation on(s.pmap);
    *user_word(UVA) = 5;
    arch::pmap_protect(s.pmap, UVA, UVA + PAGE_SIZE, RO);
    u64 v = 9;
    KEXPECT(efault(arch::copy_to_user(UVA, &v, sizeof v)));
    KEXPECT_EQ(p.word(0), 5ul);
    KEXPECT(!arch::copy_from_user(&v, UVA, sizeof v).is_error());
    KEXPECT_EQ(v, 5ul);
    arch::pmap_protect(s.pmap, UVA, UVA + PAGE_SIZE, RW);  // never raises
    KEXPECT(efault(arch::copy_to_user(UVA, &v, sizeof v)));
    KEXPECT(efault(arch::clear_user(UVA, 8)));
}

KTEST(pmap, remove_then_copy_faults)
{
    TestPage p;
    Space s;
    s.enter(UVA, p, RW);
    Activation on(s.pmap);
    u64 v = 0;
    KEXPECT(!arch::copy_from_user(&v, UVA, sizeof v).is_error());  // TLB loaded
    arch::pmap_remove(s.pmap, UVA, UVA + PAGE_SIZE);
    KEXPECT(!s.mapped(UVA));
    KEXPECT(efault(arch::copy_from_user(&v, UVA, sizeof v)));
    KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 0ul);
}

// A fault with interrupts disabled never reaches the VM handler: EFAULT.
KTEST(pmap, copy_with_interrupts_disabled_faults_cleanly)
{
    u64 v = 0;
    arch::IrqState irq = arch::irq_save();
    auto r = arch::copy_from_user(&v, UVA, sizeof v);
    arch::irq_restore(irq);
    KEXPECT(efault(r));
}

KTEST(pmap, enter_replaces_a_mapping)
{
    TestPage a(vm::Page::ANON), b(vm::Page::OBJECT);
    memset(a.bytes, 0x11, PAGE_SIZE);
    memset(b.bytes, 0x22, PAGE_SIZE);
    Space s;
    s.enter(UVA, a, RW);
    Activation on(s.pmap);
    KEXPECT_EQ(*user_word(UVA), 0x1111111111111111ul);  // TLB loaded with a
    s.enter(UVA, b, RO);
    KEXPECT_EQ(*user_word(UVA), 0x2222222222222222ul);
    KEXPECT_EQ(arch::pmap_mapping_count(*a.page), 0ul);
    KEXPECT_EQ(arch::pmap_mapping_count(*b.page), 1ul);
    KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 1ul);
    u64 v = 3;
    KEXPECT(efault(arch::copy_to_user(UVA, &v, sizeof v)));
    s.enter(UVA, b, RW);  // the same page, more rights: the pv entry stays
    KEXPECT_EQ(arch::pmap_mapping_count(*b.page), 1ul);
    KEXPECT(!arch::copy_to_user(UVA, &v, sizeof v).is_error());
    KEXPECT_EQ(b.word(0), 3ul);
    KEXPECT(!arch::pmap_enter(s.pmap, UVA, b.pa, vm::PROT_NONE, 0).is_error());  // = remove
    KEXPECT(!s.mapped(UVA));
    KEXPECT_EQ(arch::pmap_mapping_count(*b.page), 0ul);
}

KTEST(pmap, page_protect_acts_on_every_mapping)
{
    TestPage p(vm::Page::ANON);
    Space one, two;
    one.enter(UVA, p, RW);
    two.enter(UVA + 5 * PAGE_SIZE, p, RW);
    KEXPECT_EQ(arch::pmap_mapping_count(*p.page), 2ul);
    {
        Activation on(two.pmap);
        *user_word(UVA + 5 * PAGE_SIZE) = 1;
        arch::pmap_page_protect(*p.page, RO);  // copy-on-write would do this
        u64 v = 2;
        KEXPECT(efault(arch::copy_to_user(UVA + 5 * PAGE_SIZE, &v, sizeof v)));
        KEXPECT(!arch::copy_from_user(&v, UVA + 5 * PAGE_SIZE, sizeof v).is_error());
        KEXPECT_EQ(v, 1ul);
    }
    {
        Activation on(one.pmap);
        u64 v = 2;
        KEXPECT(efault(arch::copy_to_user(UVA, &v, sizeof v)));
    }
    KEXPECT_EQ(arch::pmap_mapping_count(*p.page), 2ul);
    arch::pmap_page_protect(*p.page, vm::PROT_NONE);
    KEXPECT_EQ(arch::pmap_mapping_count(*p.page), 0ul);
    KEXPECT(!one.mapped(UVA) && !two.mapped(UVA + 5 * PAGE_SIZE));
    KEXPECT_EQ(arch::pmap_resident_count(one.pmap) + arch::pmap_resident_count(two.pmap), 0ul);
}

// Device memory and unmanaged pages get no pv entry.
KTEST(pmap, only_managed_pages_are_in_the_reverse_map)
{
    TestPage plain, managed(vm::Page::OBJECT);
    Space s;
    s.enter(UVA, plain, RW);
    s.enter(UVA + PAGE_SIZE, managed, RW, arch::PMAP_UNMANAGED);
    KEXPECT_EQ(arch::pmap_mapping_count(*plain.page), 0ul);
    KEXPECT_EQ(arch::pmap_mapping_count(*managed.page), 0ul);
    s.enter(UVA + 2 * PAGE_SIZE, managed, RW);
    KEXPECT_EQ(arch::pmap_mapping_count(*managed.page), 1ul);
    KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 3ul);
}

// The MMU's A and D bits. Clearing must also drop the TLB entry, or the
// CPU would not set them again: the second read/write checks that.
KTEST(pmap, referenced_and_modified_bits)
{
    TestPage p(vm::Page::ANON);
    Space s;
    s.enter(UVA, p, RW);
    vm::Page& page = *p.page;
    KEXPECT(!arch::pmap_is_referenced(page) && !arch::pmap_is_modified(page));
    Activation on(s.pmap);
    (void)*user_word(UVA);
    KEXPECT(arch::pmap_is_referenced(page));
    KEXPECT(!arch::pmap_is_modified(page));
    *user_word(UVA) = 1;
    KEXPECT(arch::pmap_is_modified(page));
    KEXPECT(arch::pmap_clear_modify(page));
    KEXPECT(!arch::pmap_is_modified(page));
    KEXPECT(arch::pmap_clear_reference(page));
    KEXPECT(!arch::pmap_is_referenced(page));
    KEXPECT(!arch::pmap_clear_reference(page));
    (void)*user_word(UVA);
    KEXPECT(arch::pmap_is_referenced(page));
    KEXPECT(!arch::pmap_is_modified(page));
    *user_word(UVA) = 2;
    KEXPECT(arch::pmap_is_modified(page));
    // Removing the mapping keeps the bits in the page (saved attributes).
    arch::pmap_remove(s.pmap, UVA, UVA + PAGE_SIZE);
    KEXPECT(arch::pmap_is_modified(page) && arch::pmap_is_referenced(page));
    KEXPECT(arch::pmap_clear_modify(page));
    KEXPECT(!arch::pmap_is_modified(page));
}

KTEST(pmap, wired_and_unwire)
{
    TestPage p(vm::Page::OBJECT);
    Space s;
    s.enter(UVA, p, RW, arch::PMAP_WIRED);
    KEXPECT_EQ(x86::pmap_wired_count(s.pmap), 1ul);
    s.enter(UVA, p, RO, arch::PMAP_WIRED);  // re-entered: still one
    KEXPECT_EQ(x86::pmap_wired_count(s.pmap), 1ul);
    arch::pmap_unwire(s.pmap, UVA);
    KEXPECT_EQ(x86::pmap_wired_count(s.pmap), 0ul);
    KEXPECT(s.mapped(UVA));
    arch::pmap_unwire(s.pmap, UVA);  // not wired: nothing happens
    KEXPECT_EQ(x86::pmap_wired_count(s.pmap), 0ul);
    s.enter(UVA + PAGE_SIZE, p, RW, arch::PMAP_WIRED);
    KEXPECT_EQ(x86::pmap_wired_count(s.pmap), 1ul);
    arch::pmap_remove(s.pmap, UVA, UVA + 2 * PAGE_SIZE);  // removes wired ones too
    KEXPECT_EQ(x86::pmap_wired_count(s.pmap), 0ul);
    KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 0ul);
}

KTEST(pmap, pte_bits_follow_prot)
{
    TestPage p;
    Space s;
    s.enter(UVA, p, RW);
    s.enter(UVA + PAGE_SIZE, p, vm::PROT_READ | vm::PROT_EXEC);
    KREQUIRE(x86::pte_lookup(s.pmap, UVA) && x86::pte_lookup(s.pmap, UVA + PAGE_SIZE));
    const u64 rw = *x86::pte_lookup(s.pmap, UVA);
    const u64 rx = *x86::pte_lookup(s.pmap, UVA + PAGE_SIZE);
    const u64 nx = x86::cpu_has_nx() ? x86::PTE_NX : 0;
    KEXPECT_EQ(rw & (x86::PTE_P | x86::PTE_U | x86::PTE_W | x86::PTE_G | x86::PTE_NX),
               x86::PTE_P | x86::PTE_U | x86::PTE_W | nx);
    KEXPECT_EQ(rx & (x86::PTE_P | x86::PTE_U | x86::PTE_W | x86::PTE_NX), x86::PTE_P | x86::PTE_U);
    KEXPECT_EQ(rw & x86::PTE_ADDR, p.pa);
}

KTEST(pmap, copy_string_from_user)
{
    TestPage p;
    Space s;
    s.enter(UVA, p, RO);
    memcpy(p.bytes, "hello", 6);
    memset(p.bytes + PAGE_SIZE - 4, 'x', 4);  // runs into the unmapped next page
    Activation on(s.pmap);
    char buf[64];
    auto n = arch::copy_string_from_user(buf, UVA, sizeof buf);
    KREQUIRE(!n.is_error());
    KEXPECT_EQ(n.value(), 5ul);
    KEXPECT(!strcmp(buf, "hello"));
    KEXPECT_EQ(MUST(arch::copy_string_from_user(buf, UVA, 6)), 5ul);  // exactly fits
    auto too_long = arch::copy_string_from_user(buf, UVA, 5);
    KEXPECT(too_long.is_error() && too_long.error() == Errno::ENAMETOOLONG);
    auto runs_off = arch::copy_string_from_user(buf, UVA + PAGE_SIZE - 4, sizeof buf);
    KEXPECT(runs_off.is_error() && runs_off.error() == Errno::EFAULT);
    auto kernel = arch::copy_string_from_user(buf, uptr(s_kernel_marker), sizeof buf);
    KEXPECT(kernel.is_error() && kernel.error() == Errno::EFAULT);
    auto at_end = arch::copy_string_from_user(buf, vm::USER_MAX - 4, sizeof buf);
    KEXPECT(at_end.is_error() && at_end.error() == Errno::EFAULT);
}

KTEST(pmap, usercopy_rejects_bad_ranges)
{
    u64 v = 0;
    KEXPECT(efault(arch::copy_to_user(0xffff800000000000ul, &v, sizeof v)));
    KEXPECT(efault(arch::copy_to_user(uptr(s_kernel_marker), &v, sizeof v)));
    KEXPECT(efault(arch::copy_from_user(&v, 0, sizeof v)));
    KEXPECT(efault(arch::copy_from_user(&v, vm::USER_MIN - 8, sizeof v)));
    KEXPECT(efault(arch::copy_to_user(vm::USER_MAX - 8, &v, 16)));            // crosses the top
    KEXPECT(efault(arch::copy_to_user(UVA, &v, ~size_t(0) - UVA + 16)));       // wraps past 2^64
    KEXPECT(efault(arch::clear_user(0xffffffff80000000ul, 8)));
    KEXPECT(efault(arch::copy_from_user(&v, UVA, sizeof v)));  // in range, not mapped
    KEXPECT_EQ(v, 0ul);
}

KTEST(pmap, kernel_half_is_shared)
{
    Space s;
    for (size_t i = 256; i < 512; ++i)
        KEXPECT_EQ(s.pmap->m_pml4[i], arch::pmap_kernel()->m_pml4[i]);
    Activation on(s.pmap);
    KEXPECT_EQ(arch::pmap_active(), s.pmap);
    const volatile u8* marker = s_kernel_marker;  // a real load, through the new tables
    char copy[12];
    for (size_t i = 0; i < sizeof copy; ++i)
        copy[i] = char(marker[i]);
    KEXPECT(!memcmp(copy, "kernel half", 12));
    KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 0ul);
}

// A kernel-map mapping made after a user pmap exists is visible in it.
KTEST(pmap, kernel_map_is_visible_in_every_pmap)
{
    const uptr kva = arch::KERNEL_MAP_BASE + arch::KERNEL_MAP_SIZE / 2 + 0x7000;
    Pmap* kernel = arch::pmap_kernel();
    KREQUIRE(!arch::pmap_extract(kernel, kva, nullptr));
    const size_t start = arch::pmap_table_pages();
    Space s;
    TestPage p(vm::Page::ANON);
    p.bytes[100] = 42;
    MUST(arch::pmap_enter(kernel, kva, p.pa, RW, 0));
    KEXPECT_EQ(arch::pmap_mapping_count(*p.page), 1ul);
    KREQUIRE(x86::pte_lookup(kernel, kva) != nullptr);
    KEXPECT_EQ((*x86::pte_lookup(kernel, kva)) & (x86::PTE_G | x86::PTE_U), x86::PTE_G);
    {
        Activation on(s.pmap);
        KEXPECT_EQ(reinterpret_cast<volatile u8*>(kva)[100], 42);
        reinterpret_cast<volatile u8*>(kva)[101] = 43;
        PhysAddr pa = 0;
        KEXPECT(arch::pmap_extract(s.pmap, kva, &pa) && pa == p.pa);
    }
    KEXPECT_EQ(p.bytes[101], 43);
    KEXPECT(arch::pmap_is_modified(*p.page));
    arch::pmap_remove(kernel, kva, kva + PAGE_SIZE);
    KEXPECT(!arch::pmap_extract(kernel, kva, nullptr));
    KEXPECT_EQ(arch::pmap_table_pages(), start + 1);  // the PD and PT went; s's PML4 stays
}

// With no page left for a table, enter fails and changes nothing -- also
// when some of the tables it needs could be made (they are freed again).
KTEST(pmap, enter_without_memory_changes_nothing)
{
    TestPage p;
    Space s;
    const size_t tables = arch::pmap_table_pages();
    {
        Hoard hoard;
        auto r = arch::pmap_enter(s.pmap, UVA, p.pa, RW, 0);
        KEXPECT(r.is_error() && r.error() == Errno::ENOMEM);
        hoard.release_one();  // room for some, not all three, tables
        r = arch::pmap_enter(s.pmap, UVA, p.pa, RW, 0);
        KEXPECT(r.is_error() && r.error() == Errno::ENOMEM);
        KEXPECT_EQ(arch::pmap_table_pages(), tables);
        KEXPECT(!s.mapped(UVA));
        KEXPECT_EQ(arch::pmap_resident_count(s.pmap), 0ul);
    }
    KEXPECT(!arch::pmap_enter(s.pmap, UVA, p.pa, RW, 0).is_error());
    KEXPECT(s.mapped(UVA));
}

// ---- benchmark (suite bench_pmap: not in ktest=all; scripts/bench.sh) -------

namespace {

u64 median_of(u64* v, size_t n)
{
    for (size_t i = 1; i < n; ++i)  // insertion sort: n is tiny
        for (size_t j = i; j > 0 && v[j] < v[j - 1]; --j) {
            u64 t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

// One run over `n` managed pages: ns per page of enter, page_protect(READ), remove.
void time_one_run(TestPage* pages, size_t n, u64* enter, u64* protect, u64* remove)
{
    Space s;
    s.enter(UVA, pages[0], RW);  // the tables exist before timing
    const u64 t0 = arch::monotonic_ns();
    for (size_t i = 1; i < n; ++i)
        s.enter(UVA + i * PAGE_SIZE, pages[i], RW);
    const u64 t1 = arch::monotonic_ns();
    for (size_t i = 0; i < n; ++i)
        arch::pmap_page_protect(*pages[i].page, RO);
    const u64 t2 = arch::monotonic_ns();
    arch::pmap_remove(s.pmap, UVA, UVA + n * PAGE_SIZE);
    const u64 t3 = arch::monotonic_ns();
    *enter = (t1 - t0) / (n - 1);
    *protect = (t2 - t1) / n;
    *remove = (t3 - t2) / n;
}

} // namespace

// What enter, page_protect and remove cost per page (each page its own
// managed page, as for anonymous memory), 512 pages = one page table.
KTEST(bench_pmap, enter_protect_remove)
{
    constexpr size_t N = 512, RUNS = 5;
    auto* pages = static_cast<TestPage*>(kern::kmalloc(N * sizeof(TestPage)));
    KREQUIRE(pages != nullptr);
    for (size_t i = 0; i < N; ++i)
        new (&pages[i]) TestPage(vm::Page::ANON);
    u64 enter[RUNS], protect[RUNS], remove[RUNS];
    for (size_t r = 0; r < RUNS; ++r)
        time_one_run(pages, N, &enter[r], &protect[r], &remove[r]);
    printk("BENCH pmap_enter %lu ns/page\n", median_of(enter, RUNS));
    printk("BENCH pmap_page_protect_read %lu ns/page\n", median_of(protect, RUNS));
    printk("BENCH pmap_remove %lu ns/page\n", median_of(remove, RUNS));
    for (size_t i = 0; i < N; ++i)
        pages[i].~TestPage();
    kern::kfree(pages);
}
