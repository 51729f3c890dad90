// kernel/base/lib/kstring.h -- KString: an owned, immutable string.
//
// A KString is a heap copy of some characters, with a NUL after them, that
// nobody can change: made once by create() (which may fail: ENOMEM), read
// through view() or characters(), freed with the KString. It is for text
// the kernel keeps past the call that produced it -- a program's path for
// /proc/<pid>/exe, the arguments execve passes on -- where a StringView
// (which owns nothing) would dangle and a raw kmalloc'd char* would need a
// kfree on every way out.
//
//   KString path = TRY(KString::create(view));  // ENOMEM if the heap is short
//   printk("%s\n", path.characters());          // NUL-terminated
//
// Invariants: m_chars is nullptr exactly when the string is empty (an empty
// KString costs no allocation, so it cannot fail to be made); otherwise it
// holds m_length characters and a NUL. Copying may fail, so a KString moves
// and is copied only by try_clone().
//
// Read more: SerenityOS's Kernel/KString.h (the same idea and name); no
// code taken.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/string_view.h>
#include <new>
#include <utility>

namespace kern {

class KString {
public:
    KString() = default;  // ""
    KString(const KString&) = delete;
    KString& operator=(const KString&) = delete;
    KString(KString&& other)
        : m_chars(std::exchange(other.m_chars, nullptr)), m_length(std::exchange(other.m_length, 0))
    {
    }
    KString& operator=(KString&& other)
    {
        if (this != &other) {
            ::operator delete(m_chars);
            m_chars = std::exchange(other.m_chars, nullptr);
            m_length = std::exchange(other.m_length, 0);
        }
        return *this;
    }
    ~KString() { ::operator delete(m_chars); }

    // A copy of `s` (which may hold NULs; characters() then stops at the
    // first). Errors: ENOMEM.
    static ErrorOr<KString> create(StringView s)
    {
        KString out;
        if (s.is_empty())
            return out;
        if (s.length() == ~size_t(0))
            return Errno::ENOMEM;
        auto* chars = static_cast<char*>(::operator new(s.length() + 1, std::nothrow));
        if (!chars)
            return Errno::ENOMEM;
        memcpy(chars, s.characters(), s.length());
        chars[s.length()] = 0;
        out.m_chars = chars;
        out.m_length = s.length();
        return out;
    }

    // Another KString with the same characters. Errors: ENOMEM.
    ErrorOr<KString> try_clone() const { return create(view()); }

    StringView view() const { return StringView(characters(), m_length); }
    // The characters, NUL-terminated ("" when empty).
    const char* characters() const { return m_chars ? m_chars : ""; }
    size_t length() const { return m_length; }
    bool is_empty() const { return m_length == 0; }

private:
    char* m_chars = nullptr;
    size_t m_length = 0;
};

} // namespace kern
