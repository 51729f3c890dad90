// kernel/base/lib/ref_ptr.h -- RefPtr<T>: a pointer that holds a reference.
//
// For objects that count their own references (T::ref() and T::unref(),
// where the last unref() frees the object): a RefPtr takes a reference when
// it is made from a raw pointer (adopt() takes over one the caller already
// holds instead), passes it on when moved, and drops it when destroyed.
//
//   RefPtr<Vnode> dir = RefPtr<Vnode>::adopt(TRY(lookup(...)));  // lookup returned a reference
//   RefPtr<Vnode> again = dir;                                   // +1
//   Vnode* raw = dir.leak();                                     // the caller owns that reference now
#pragma once

#include <utility>

namespace kern {

template <typename T> class RefPtr {
public:
    RefPtr() = default;
    RefPtr(decltype(nullptr)) {}
    explicit RefPtr(T* p) : m_ptr(p)
    {
        if (m_ptr)
            m_ptr->ref();
    }
    // Take over a reference the caller holds.
    static RefPtr adopt(T* p)
    {
        RefPtr r;
        r.m_ptr = p;
        return r;
    }
    RefPtr(const RefPtr& other) : RefPtr(other.m_ptr) {}
    RefPtr(RefPtr&& other) : m_ptr(other.leak()) {}
    RefPtr& operator=(RefPtr other)
    {
        std::swap(m_ptr, other.m_ptr);
        return *this;
    }
    ~RefPtr()
    {
        if (m_ptr)
            m_ptr->unref();
    }

    T* get() const { return m_ptr; }
    T* operator->() const { return m_ptr; }
    T& operator*() const { return *m_ptr; }
    explicit operator bool() const { return m_ptr != nullptr; }
    bool operator==(const RefPtr& o) const { return m_ptr == o.m_ptr; }
    // Give up the reference without dropping it.
    T* leak() { return std::exchange(m_ptr, nullptr); }

private:
    T* m_ptr = nullptr;
};

} // namespace kern
