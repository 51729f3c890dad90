// kernel/base/lib/error_or.h -- ErrorOr<T>: a value or an Errno, never both.
//
// The kernel has no exceptions. A function that can fail returns ErrorOr<T>;
// the caller checks is_error() or propagates with TRY(expr), which returns the
// error from the enclosing function. MUST(expr) is for calls that cannot fail
// by construction: a failure there is a kernel bug and panics.
//
//   ErrorOr<Page*> p = allocator.allocate();      // ENOMEM when empty
//   Page* page = TRY(allocator.allocate());       // in a function returning ErrorOr
//
// Only the syscall boundary turns an Errno into a negative rax.
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/errno.h>
#include <new>
#include <type_traits>
#include <utility>

namespace kern {

template <typename T> class [[nodiscard]] ErrorOr {
public:
    ErrorOr(const T& value) : m_is_error(false) { new (&m_value) T(value); }
    ErrorOr(T&& value) : m_is_error(false) { new (&m_value) T(std::move(value)); }
    ErrorOr(Errno error) : m_error(error), m_is_error(true) {}
    template <typename U>
        requires(std::is_convertible_v<U, T> && !std::is_same_v<std::decay_t<U>, Errno>)
    ErrorOr(U&& value) : m_is_error(false) { new (&m_value) T(std::forward<U>(value)); }

    ErrorOr(ErrorOr&& other) : m_is_error(other.m_is_error)
    {
        if (m_is_error)
            m_error = other.m_error;
        else
            new (&m_value) T(std::move(other.m_value));
    }
    ErrorOr(const ErrorOr&) = delete;
    ErrorOr& operator=(const ErrorOr&) = delete;
    ErrorOr& operator=(ErrorOr&& other)
    {
        if (this != &other) {
            this->~ErrorOr();
            new (this) ErrorOr(std::move(other));
        }
        return *this;
    }
    ~ErrorOr()
    {
        if (!m_is_error)
            m_value.~T();
    }

    bool is_error() const { return m_is_error; }
    Errno error() const
    {
        KASSERT(m_is_error);
        return m_error;
    }
    T& value()
    {
        KASSERT(!m_is_error);
        return m_value;
    }
    const T& value() const
    {
        KASSERT(!m_is_error);
        return m_value;
    }
    T release_value()
    {
        KASSERT(!m_is_error);
        return std::move(m_value);
    }

private:
    union {
        T m_value;
        Errno m_error;
    };
    bool m_is_error;
};

template <> class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() : m_error(Errno(0)) {}
    ErrorOr(Errno error) : m_error(error) {}
    bool is_error() const { return int(m_error) != 0; }
    Errno error() const
    {
        KASSERT(is_error());
        return m_error;
    }
    void value() const { KASSERT(!is_error()); }
    void release_value() const { KASSERT(!is_error()); }

private:
    Errno m_error;
};

} // namespace kern

// TRY(expr): evaluate expr (an ErrorOr); on error return the error from the
// enclosing function, else yield the value. A GNU statement expression.
#define TRY(expr)                                                                  \
    ({                                                                             \
        auto _try_result = (expr);                                                 \
        if (_try_result.is_error())                                                \
            return _try_result.error();                                            \
        _try_result.release_value();                                               \
    })

// MUST(expr): like TRY, but an error is a kernel bug.
#define MUST(expr)                                                                 \
    ({                                                                             \
        auto _must_result = (expr);                                                \
        KASSERT_MSG(!_must_result.is_error(), "MUST failed: %s at %s:%d (%s)",     \
                    #expr, __FILE__, __LINE__,                                     \
                    ::kern::errno_name(_must_result.error()));                     \
        _must_result.release_value();                                              \
    })
