// kernel/base/lib/vector.h -- Vector<T>: a growable array that owns its items.
//
// A Vector keeps its items in one heap block: m_size constructed items
// followed by room for m_capacity - m_size more. Adding beyond the capacity
// moves the items into a block about twice as big. Every call that may
// allocate is named try_* and returns ErrorOr<void>: when the heap is short
// it says ENOMEM and leaves the Vector as it was -- nothing is ever dropped
// silently. The destructor destroys the items and frees the block, so a
// Vector owned by a function cleans up on every way out of it.
//
//   Vector<KString> args;
//   for (...)
//       TRY(args.try_append(TRY(KString::create(arg))));   // ENOMEM: args freed on return
//
// Invariants: m_size <= m_capacity; items [0, m_size) are constructed, the
// rest is raw memory; m_data is nullptr exactly when m_capacity is 0.
// Adding may move every item (pointers and references into the Vector are
// then stale); an item being appended may be one of the Vector's own.
//
// Allocation is `operator new(bytes, std::nothrow)` (the kernel's, on
// kmalloc: kernel/base/heap/operator_new.cpp; the C++ runtime's on the
// host), as the library layer may not include the heap.
//
// Complexity: indexing O(1); append amortized O(1); try_reserve and
// try_resize O(n) when they grow.
//
// Read more: C++'s std::vector, SerenityOS's AK/Vector.h (try_append and
// friends); no code taken.
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/types.h>
#include <new>
#include <type_traits>
#include <utility>

namespace kern {

template <typename T> class Vector {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "Vector: over-aligned item type");

public:
    Vector() = default;
    Vector(const Vector&) = delete;  // a copy may fail: copy item by item with try_append
    Vector& operator=(const Vector&) = delete;
    Vector(Vector&& other)
        : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)),
          m_capacity(std::exchange(other.m_capacity, 0))
    {
    }
    Vector& operator=(Vector&& other)
    {
        if (this != &other) {
            free_storage();
            m_data = std::exchange(other.m_data, nullptr);
            m_size = std::exchange(other.m_size, 0);
            m_capacity = std::exchange(other.m_capacity, 0);
        }
        return *this;
    }
    ~Vector() { free_storage(); }

    size_t size() const { return m_size; }
    size_t capacity() const { return m_capacity; }
    bool is_empty() const { return m_size == 0; }
    T* data() { return m_data; }
    const T* data() const { return m_data; }
    T* begin() { return m_data; }
    T* end() { return m_data + m_size; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }

    // => index < size().
    T& operator[](size_t index)
    {
        KASSERT(index < m_size);
        return m_data[index];
    }
    const T& operator[](size_t index) const
    {
        KASSERT(index < m_size);
        return m_data[index];
    }
    // => not empty.
    T& last() { return (*this)[m_size - 1]; }

    // Make room for `wanted` items in all, so that appending up to there
    // cannot fail. Errors: ENOMEM (the Vector is unchanged).
    ErrorOr<void> try_reserve(size_t wanted)
    {
        if (wanted <= m_capacity)
            return {};
        T* bigger = TRY(allocate(wanted));
        move_items_to(bigger);
        m_capacity = wanted;
        return {};
    }

    // Construct an item from `args` at the end. Errors: ENOMEM (the Vector
    // is unchanged).
    template <typename... Args> ErrorOr<void> try_emplace(Args&&... args)
    {
        if (m_size < m_capacity) {
            new (&m_data[m_size]) T(std::forward<Args>(args)...);
            ++m_size;
            return {};
        }
        // Full: the new item goes into the new block before the old items
        // move, so `args` may name one of them.
        size_t grown = next_capacity(m_size + 1);
        T* bigger = TRY(allocate(grown));
        new (&bigger[m_size]) T(std::forward<Args>(args)...);
        move_items_to(bigger);
        m_capacity = grown;
        ++m_size;
        return {};
    }
    ErrorOr<void> try_append(const T& value) { return try_emplace(value); }
    ErrorOr<void> try_append(T&& value) { return try_emplace(std::move(value)); }

    // Append `count` items copied from `items`: all of them or, on ENOMEM,
    // none.
    ErrorOr<void> try_append(const T* items, size_t count)
    {
        if (count > ~size_t(0) / sizeof(T) - m_size)
            return Errno::ENOMEM;
        if (m_size + count > m_capacity)
            TRY(try_reserve(next_capacity(m_size + count)));
        for (size_t i = 0; i < count; ++i)
            new (&m_data[m_size + i]) T(items[i]);
        m_size += count;
        return {};
    }

    // Make the size `n`: new items are value-initialized (zero for numbers
    // and pointers), items past `n` destroyed. Errors: ENOMEM (unchanged).
    ErrorOr<void> try_resize(size_t n)
    {
        if (n > m_capacity)
            TRY(try_reserve(n));
        for (size_t i = m_size; i < n; ++i)
            new (&m_data[i]) T();
        shrink_to(n);
        m_size = n;
        return {};
    }

    // Take the last item out. => not empty.
    T take_last()
    {
        KASSERT(m_size > 0);
        T item = std::move(m_data[m_size - 1]);
        m_data[--m_size].~T();
        return item;
    }

    // Destroy the items; the block stays (the capacity is kept).
    void clear()
    {
        shrink_to(0);
        m_size = 0;
    }

private:
    // Room for `count` items, or ENOMEM (also for a byte count that overflows).
    static ErrorOr<T*> allocate(size_t count)
    {
        if (count > ~size_t(0) / sizeof(T))
            return Errno::ENOMEM;
        void* block = ::operator new(count * sizeof(T), std::nothrow);
        if (!block)
            return Errno::ENOMEM;
        return static_cast<T*>(block);
    }

    // The capacity to grow to for `needed` items: at least twice the old one.
    size_t next_capacity(size_t needed) const
    {
        size_t doubled = m_capacity > ~size_t(0) / 2 ? ~size_t(0) : m_capacity * 2;
        size_t grown = doubled > needed ? doubled : needed;
        return grown < 4 ? 4 : grown;
    }

    // Move the items into `bigger` and free the old block. Nothing here can fail.
    void move_items_to(T* bigger)
    {
        for (size_t i = 0; i < m_size; ++i) {
            new (&bigger[i]) T(std::move(m_data[i]));
            m_data[i].~T();
        }
        ::operator delete(m_data);
        m_data = bigger;
    }

    // Destroy the items from `n` on (m_size is the caller's to set).
    void shrink_to(size_t n)
    {
        for (size_t i = n; i < m_size; ++i)
            m_data[i].~T();
    }

    void free_storage()
    {
        clear();
        ::operator delete(m_data);
        m_data = nullptr;
        m_capacity = 0;
    }

    T* m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

} // namespace kern
