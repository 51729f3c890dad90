// kernel/base/lib/own_ptr.h -- OwnPtr<T>: the one owner of a heap object.
//
// An OwnPtr holds a pointer to an object made with `new` and deletes it when
// the OwnPtr goes away. It cannot be copied, only moved: at any time exactly
// one OwnPtr owns the object, so every way out of a function -- a TRY that
// returns an error as much as the last line -- frees what the function still
// owns, and error paths need no hand-written `delete`.
//
//   OwnPtr<Frame> frame = TRY(make_own<Frame>(regs));  // ENOMEM if the heap is short
//   TRY(fill(*frame));                                 // an error frees it
//   Thread::create(run, frame.leak());                 // the thread owns it now
//
// Allocation goes through `new (std::nothrow)` (the kernel's operator new,
// kernel/base/heap/operator_new.cpp; the C++ runtime's on the host), so a
// short heap is an Errno, never a panic. This header is the library layer's:
// it knows nothing of the heap beyond <new>.
//
// Interface: adopt() (take over a raw pointer), make_own() (allocate and
// construct), get(), ->, *, bool, leak() (give ownership away), clear().
//
// Read more: C++'s std::unique_ptr and SerenityOS's AK/OwnPtr.h (the
// fallible factory); no code taken.
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/error_or.h>
#include <new>
#include <utility>

namespace kern {

template <typename T> class OwnPtr {
public:
    OwnPtr() = default;
    OwnPtr(decltype(nullptr)) {}
    // Take over `p` (made with `new`, or nullptr).
    static OwnPtr adopt(T* p)
    {
        OwnPtr o;
        o.m_ptr = p;
        return o;
    }
    OwnPtr(const OwnPtr&) = delete;
    OwnPtr& operator=(const OwnPtr&) = delete;
    OwnPtr(OwnPtr&& other) : m_ptr(other.leak()) {}
    // A derived class's owner converts to its base's (the base must have a
    // virtual destructor for the delete to be right).
    template <typename U>
        requires std::is_convertible_v<U*, T*>
    OwnPtr(OwnPtr<U>&& other) : m_ptr(other.leak())
    {
    }
    OwnPtr& operator=(OwnPtr&& other)
    {
        if (this != &other) {
            clear();
            m_ptr = other.leak();
        }
        return *this;
    }
    ~OwnPtr() { clear(); }

    T* get() const { return m_ptr; }
    // => not empty.
    T* operator->() const
    {
        KASSERT(m_ptr);
        return m_ptr;
    }
    // => not empty.
    T& operator*() const
    {
        KASSERT(m_ptr);
        return *m_ptr;
    }
    explicit operator bool() const { return m_ptr != nullptr; }

    // Give the object away: the caller owns it now, and this is empty.
    [[nodiscard]] T* leak() { return std::exchange(m_ptr, nullptr); }
    // Delete the object now (if any); this is empty after.
    void clear() { delete std::exchange(m_ptr, nullptr); }

private:
    T* m_ptr = nullptr;
};

// A new T made from `args`, owned. Errors: ENOMEM (the heap is short).
template <typename T, typename... Args> ErrorOr<OwnPtr<T>> make_own(Args&&... args)
{
    T* p = new (std::nothrow) T(std::forward<Args>(args)...);
    if (!p)
        return Errno::ENOMEM;
    return OwnPtr<T>::adopt(p);
}

} // namespace kern
