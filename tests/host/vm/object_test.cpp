// tests/host/vm/object_test.cpp -- GoogleTest suite for vm::VmObject's own
// members (vm/object.cpp): the resident-page tree and reference counting.
//
// The pager operations are pure virtual, so the tests use a minimal pager of
// their own (TestObject) that only counts destroy() calls and frees its pages
// there; the real pagers have their own suites (aobj_test.cpp).
#include "vm_fixture.h"  // first: the host headers before the kernel's

#include <vm/object.h>

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;
using vm::Page;
using vm::VmObject;

namespace {

int s_destroyed = 0;

class TestObject final : public VmObject {
public:
    static TestObject* make() { return new TestObject; }
    ErrorOr<Page*> get_page_locked(u64, vm::Access) override { return Errno::EIO; }
    ErrorOr<void> put_pages_locked(u64 start, u64 end, u32) override
    {
        while (Page* page = m_pages.lower_bound(start)) {
            if (page->m_offset >= end)
                break;
            free_page_locked(*page);
        }
        return {};
    }

private:
    TestObject() = default;
    void destroy() override
    {
        ++s_destroyed;
        {
            MutexGuard guard(m_lock);
            MUST(put_pages_locked(0, ~u64(0), vm::PUT_FREE));
        }
        delete this;
    }
};

class VmObjectTest : public vmtest::VmTest {
protected:
    void SetUp() override
    {
        VmTest::SetUp();
        s_destroyed = 0;
    }
    static Page* frame() { return MUST(vm::page_allocator().allocate()); }
};

TEST_F(VmObjectTest, InsertLookupRemove)
{
    TestObject* obj = TestObject::make();
    Page* a = frame();
    Page* b = frame();
    {
        MutexGuard guard(obj->lock());
        obj->insert_page_locked(*a, 0);
        obj->insert_page_locked(*b, 5 * PAGE_SIZE);
        EXPECT_EQ(obj->resident_pages_locked(), 2u);
        EXPECT_EQ(object_pages(), 2u);
        EXPECT_EQ(obj->lookup_page_locked(0), a);
        EXPECT_EQ(obj->lookup_page_locked(5 * PAGE_SIZE), b);
        EXPECT_EQ(obj->lookup_page_locked(PAGE_SIZE), nullptr);
        EXPECT_TRUE(b->has(Page::OBJECT));
        EXPECT_EQ(b->m_object, obj);
        EXPECT_EQ(b->m_offset, 5 * PAGE_SIZE);
        EXPECT_EQ(obj->pages_locked().validate(), nullptr);

        obj->remove_page_locked(*b);  // out of the tree, still allocated
        EXPECT_FALSE(b->has(Page::OBJECT));
        EXPECT_EQ(b->m_object, nullptr);
        EXPECT_FALSE(b->is_free());
        EXPECT_EQ(obj->lookup_page_locked(5 * PAGE_SIZE), nullptr);
        EXPECT_EQ(object_pages(), 1u);
    }
    vm::page_allocator().free(b);
    obj->detach();  // frees a
    EXPECT_EQ(s_destroyed, 1);
}

TEST_F(VmObjectTest, FreePageReturnsTheFrame)
{
    TestObject* obj = TestObject::make();
    const size_t before = free_pages();
    Page* page = frame();
    {
        MutexGuard guard(obj->lock());
        obj->insert_page_locked(*page, 3 * PAGE_SIZE);
        page->m_flags |= Page::DIRTY;
        obj->free_page_locked(*page);
        EXPECT_EQ(obj->resident_pages_locked(), 0u);
    }
    EXPECT_TRUE(page->is_free());
    EXPECT_FALSE(page->has(Page::OBJECT) || page->has(Page::DIRTY));
    EXPECT_EQ(free_pages(), before);
    obj->detach();
}

TEST_F(VmObjectTest, TheLastDetachDestroys)
{
    TestObject* obj = TestObject::make();
    EXPECT_EQ(obj->ref_count(), 1u);
    obj->reference();
    obj->reference();
    EXPECT_EQ(obj->ref_count(), 3u);
    {
        MutexGuard guard(obj->lock());
        obj->insert_page_locked(*frame(), 0);
    }
    obj->detach();
    obj->detach();
    EXPECT_EQ(s_destroyed, 0);
    EXPECT_EQ(obj->ref_count(), 1u);
    obj->detach();
    EXPECT_EQ(s_destroyed, 1);
    EXPECT_EQ(object_pages(), 0u);
}

using VmObjectDeathTest = VmObjectTest;

TEST_F(VmObjectDeathTest, TwoPagesAtOneOffsetPanics)
{
    TestObject* obj = TestObject::make();
    Page* a = frame();
    Page* b = frame();
    {
        MutexGuard guard(obj->lock());
        obj->insert_page_locked(*a, 0);
        EXPECT_DEATH(obj->insert_page_locked(*b, 0), "PANIC: VmObject: a page is already at offset 0");
    }
    vm::page_allocator().free(b);
    obj->detach();
}

TEST_F(VmObjectDeathTest, FreeingAWiredPagePanics)
{
    TestObject* obj = TestObject::make();
    Page* a = frame();
    {
        MutexGuard guard(obj->lock());
        obj->insert_page_locked(*a, 0);
        a->m_wire_count = 1;
        EXPECT_DEATH(obj->free_page_locked(*a), "PANIC: object page at 0 freed while wired");
        a->m_wire_count = 0;
    }
    obj->detach();
}

TEST_F(VmObjectDeathTest, DetachWithTheLockHeldPanics)
{
    TestObject* obj = TestObject::make();
    obj->reference();
    {
        MutexGuard guard(obj->lock());
        EXPECT_DEATH(obj->detach(), "PANIC: assertion failed: !m_lock.is_locked_by_me");
    }
    obj->detach();
    obj->detach();
}

} // namespace
