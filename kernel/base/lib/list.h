// kernel/base/lib/list.h -- an intrusive, circular, doubly linked list.
//
// The node lives inside the element (`ListNode m_node;`), so inserting never
// allocates and an element can be unlinked in O(1) knowing only itself. This
// is what free page lists, run queues and wait queues need: they run where
// allocating is not allowed (inside the allocator, with interrupts off).
//
//   struct Thread { ListNode m_run_node; ... };
//   IntrusiveList<Thread, &Thread::m_run_node> run_queue;
//   run_queue.push_back(t);   Thread& next = run_queue.take_first();
//
// Invariants: an unlinked node points to itself (is_linked() is false); an
// element is on at most one list per ListNode it has. The list does not own
// its elements. Not thread-safe: the owner's lock guards it.
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/types.h>

namespace kern {

class ListNode {
public:
    ListNode() : m_prev(this), m_next(this) {}
    ListNode(const ListNode&) = delete;
    ListNode& operator=(const ListNode&) = delete;
    ~ListNode() { KASSERT(!is_linked()); }

    bool is_linked() const { return m_next != this; }

    // Unlink from whatever list holds this node. => node is linked.
    void unlink()
    {
        KASSERT(is_linked());
        m_prev->m_next = m_next;
        m_next->m_prev = m_prev;
        m_prev = m_next = this;
    }

private:
    template <typename T, ListNode T::*> friend class IntrusiveList;
    void insert_before(ListNode& pos)
    {
        KASSERT(!is_linked());
        m_next = &pos;
        m_prev = pos.m_prev;
        pos.m_prev->m_next = this;
        pos.m_prev = this;
    }
    ListNode* m_prev;
    ListNode* m_next;
};

template <typename T, ListNode T::*Member> class IntrusiveList {
public:
    IntrusiveList() = default;
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;
    ~IntrusiveList() { KASSERT(is_empty()); }

    bool is_empty() const { return !m_head.is_linked(); }

    // O(n): lists that need their length keep a counter beside them.
    size_t size_slow() const
    {
        size_t n = 0;
        for (const ListNode* p = m_head.m_next; p != &m_head; p = p->m_next)
            ++n;
        return n;
    }

    void push_back(T& item) { (item.*Member).insert_before(m_head); }
    void push_front(T& item) { (item.*Member).insert_before(*m_head.m_next); }
    // Insert `item` before `pos`, which is on this list.
    void insert_before(T& pos, T& item) { (item.*Member).insert_before(pos.*Member); }

    T* first() const { return is_empty() ? nullptr : owner(m_head.m_next); }
    T* last() const { return is_empty() ? nullptr : owner(m_head.m_prev); }
    // The element after/before `item` on this list, or nullptr at the end.
    T* next(const T& item) const
    {
        const ListNode* n = (item.*Member).m_next;
        return n == &m_head ? nullptr : owner(n);
    }
    T* prev(const T& item) const
    {
        const ListNode* p = (item.*Member).m_prev;
        return p == &m_head ? nullptr : owner(p);
    }

    // => list not empty.
    T& take_first()
    {
        T* item = first();
        KASSERT(item);
        (item->*Member).unlink();
        return *item;
    }
    T& take_last()
    {
        T* item = last();
        KASSERT(item);
        (item->*Member).unlink();
        return *item;
    }
    // => item is on this list.
    void remove(T& item) { (item.*Member).unlink(); }

    // True if `item` is on this list. O(n); for assertions and tests.
    bool contains_slow(const T& item) const
    {
        for (const ListNode* p = m_head.m_next; p != &m_head; p = p->m_next)
            if (p == &(item.*Member))
                return true;
        return false;
    }

    class Iterator {
    public:
        Iterator(ListNode* node, const ListNode* head) : m_node(node), m_head(head) {}
        T& operator*() const { return *owner(m_node); }
        T* operator->() const { return owner(m_node); }
        // The loop body must not unlink the current element: advancing reads
        // its next pointer. Use for_each_safe() to remove while iterating.
        Iterator& operator++()
        {
            m_node = m_node->m_next;
            return *this;
        }
        bool operator!=(const Iterator& other) const { return m_node != other.m_node; }

    private:
        ListNode* m_node;
        const ListNode* m_head;
    };
    // Range-for, first to last.
    Iterator begin() { return Iterator(m_head.m_next, &m_head); }
    Iterator end() { return Iterator(&m_head, &m_head); }

    // Call fn(T&) for each element; fn may unlink the element it is given.
    template <typename Fn> void for_each_safe(Fn fn)
    {
        ListNode* p = m_head.m_next;
        while (p != &m_head) {
            ListNode* next = p->m_next;
            fn(*owner(p));
            p = next;
        }
    }

private:
    static T* owner(const ListNode* node)
    {
        // offsetof for a pointer-to-member: the node's offset inside T,
        // computed on a dummy (never constructed, never read) object.
        alignas(T) static unsigned char dummy[sizeof(T)];
        const T* base = reinterpret_cast<const T*>(dummy);
        const size_t offset = reinterpret_cast<const unsigned char*>(&(base->*Member)) - dummy;
        return reinterpret_cast<T*>(reinterpret_cast<uptr>(node) - offset);
    }
    ListNode m_head;
};

} // namespace kern
