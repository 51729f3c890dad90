// kernel/base/lib/string_view.h -- StringView: a borrowed run of characters.
//
// A StringView is a pointer and a length, nothing more. It owns nothing, never
// allocates and need not end in a NUL, so it can name a piece of a larger
// buffer: one component of a path, a field of a cpio header, an argument of
// the kernel command line. Whoever created the characters must keep them alive
// (and unchanged) for as long as the view is used.
//
//   StringView path("/usr//lib/");
//   for (StringView name : PathComponents(path))   // "usr", then "lib"
//       dir = TRY(lookup(dir, name));
//
// Invariants: m_length characters are readable from m_chars; an empty view may
// have m_chars == nullptr. Positions are size_t; "not found" is NPOS.
//
// Interface: construction from a C string or (pointer, length); length(),
// is_empty(), operator[], substring(), starts_with(), ends_with(), find(),
// find_last(), equality and compare() (byte order, like memcmp), copy_to() (a
// NUL-terminated copy into a caller's buffer), to_unsigned() (parse digits),
// and two splitters: Split (pieces between separators, empty pieces skipped)
// and PathComponents (Split on '/').
//
// Complexity: construction from a C string is O(n) (strlen); from a pointer
// and length O(1); comparisons and searches O(n); all else O(1).
//
// Read more: the design is C++17's std::string_view and SerenityOS's AK
// StringView (read for the shape of the API; no code taken).
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/types.h>

namespace kern {

class StringView {
public:
    static constexpr size_t NPOS = ~size_t(0);

    constexpr StringView() = default;
    // A NUL-terminated string; nullptr gives the empty view. (The builtin is
    // strlen at run time and lets a literal's length be computed at compile
    // time, so constexpr StringView constants work.)
    constexpr StringView(const char* s) : m_chars(s), m_length(s ? __builtin_strlen(s) : 0) {}
    // => `length` characters are readable at `chars` (chars may be nullptr
    //    only when length is 0).
    constexpr StringView(const char* chars, size_t length) : m_chars(chars), m_length(length) {}

    constexpr const char* characters() const { return m_chars; }
    constexpr size_t length() const { return m_length; }
    constexpr bool is_empty() const { return m_length == 0; }

    // => index < length().
    char operator[](size_t index) const
    {
        KASSERT(index < m_length);
        return m_chars[index];
    }

    // The `count` characters starting at `start`.
    // => start + count <= length().
    StringView substring(size_t start, size_t count) const
    {
        KASSERT(start <= m_length && count <= m_length - start);
        return StringView(m_chars + start, count);
    }
    // From `start` to the end. => start <= length().
    StringView substring(size_t start) const
    {
        KASSERT(start <= m_length);
        return StringView(m_chars + start, m_length - start);
    }

    bool starts_with(StringView prefix) const
    {
        return prefix.m_length <= m_length && bytes_equal(m_chars, prefix.m_chars, prefix.m_length);
    }
    bool starts_with(char c) const { return m_length > 0 && m_chars[0] == c; }
    bool ends_with(StringView suffix) const
    {
        return suffix.m_length <= m_length &&
               bytes_equal(m_chars + m_length - suffix.m_length, suffix.m_chars, suffix.m_length);
    }
    bool ends_with(char c) const { return m_length > 0 && m_chars[m_length - 1] == c; }

    // The first position >= `from` holding `c`, or NPOS.
    size_t find(char c, size_t from = 0) const
    {
        for (size_t i = from; i < m_length; ++i)
            if (m_chars[i] == c)
                return i;
        return NPOS;
    }
    // The last position holding `c`, or NPOS.
    size_t find_last(char c) const
    {
        for (size_t i = m_length; i > 0; --i)
            if (m_chars[i - 1] == c)
                return i - 1;
        return NPOS;
    }
    bool contains(char c) const { return find(c) != NPOS; }

    // <0, 0 or >0 as *this sorts before, equal to or after `other`, comparing
    // bytes as unsigned; a proper prefix sorts first ("ab" < "abc").
    int compare(StringView other) const
    {
        size_t common = min(m_length, other.m_length);
        int c = common ? memcmp(m_chars, other.m_chars, common) : 0;
        if (c != 0)
            return c;
        return m_length < other.m_length ? -1 : m_length > other.m_length ? 1 : 0;
    }

    friend bool operator==(StringView a, StringView b)
    {
        return a.m_length == b.m_length && bytes_equal(a.m_chars, b.m_chars, a.m_length);
    }
    // Against a C string without measuring it first. nullptr equals "".
    friend bool operator==(StringView a, const char* s)
    {
        if (!s)
            return a.m_length == 0;
        for (size_t i = 0; i < a.m_length; ++i)
            if (s[i] == '\0' || s[i] != a.m_chars[i])
                return false;
        return s[a.m_length] == '\0';
    }
    friend bool operator<(StringView a, StringView b) { return a.compare(b) < 0; }

    // Copy into `buf` as a C string, cutting it to size-1 characters.
    // Returns false if it had to cut (or size is 0).
    bool copy_to(char* buf, size_t size) const
    {
        if (size == 0)
            return false;
        size_t n = min(m_length, size - 1);
        if (n)
            memcpy(buf, m_chars, n);
        buf[n] = '\0';
        return n == m_length;
    }

    // Parse the whole view as an unsigned number in `base` (2..16; digits
    // 0-9, a-f, A-F; no sign, prefix or spaces).
    // Returns false, and `out` untouched, if the view is empty, holds another
    //    character, or the value does not fit in 64 bits.
    bool to_unsigned(u64& out, unsigned base = 10) const
    {
        KASSERT(base >= 2 && base <= 16);
        if (m_length == 0)
            return false;
        u64 value = 0;
        for (size_t i = 0; i < m_length; ++i) {
            unsigned digit = digit_value(m_chars[i]);
            if (digit >= base)
                return false;
            if (value > (~u64(0) - digit) / base)
                return false; // value * base + digit would overflow
            value = value * base + digit;
        }
        out = value;
        return true;
    }

private:
    static bool bytes_equal(const char* a, const char* b, size_t n)
    {
        return n == 0 || memcmp(a, b, n) == 0;
    }
    static unsigned digit_value(char c)
    {
        if (c >= '0' && c <= '9')
            return unsigned(c - '0');
        if (c >= 'a' && c <= 'f')
            return unsigned(c - 'a' + 10);
        if (c >= 'A' && c <= 'F')
            return unsigned(c - 'A' + 10);
        return 99; // not a digit in any base we accept
    }

    const char* m_chars = nullptr;
    size_t m_length = 0;
};

// Split: the non-empty pieces of a view between runs of a separator.
//
//   for (StringView word : Split("  a b  ", ' '))   // "a", then "b"
//
// Iteration is lazy and O(total length); the pieces are views into the
// original characters. Runs of separators, and separators at either end,
// produce no empty pieces.
class Split {
public:
    constexpr Split(StringView text, char separator) : m_text(text), m_separator(separator) {}

    class Iterator {
    public:
        // `pos` is where to start looking for the next piece.
        Iterator(StringView text, char separator, size_t pos)
            : m_text(text), m_separator(separator)
        {
            advance_from(pos);
        }
        StringView operator*() const { return m_text.substring(m_start, m_end - m_start); }
        Iterator& operator++()
        {
            advance_from(m_end);
            return *this;
        }
        bool operator!=(const Iterator& other) const { return m_start != other.m_start; }
        bool operator==(const Iterator& other) const { return m_start == other.m_start; }

    private:
        // Skip separators from `pos`, then take the piece up to the next one.
        // At the end, m_start == m_end == length.
        void advance_from(size_t pos)
        {
            const size_t n = m_text.length();
            while (pos < n && m_text[pos] == m_separator)
                ++pos;
            m_start = pos;
            while (pos < n && m_text[pos] != m_separator)
                ++pos;
            m_end = pos;
        }
        StringView m_text;
        char m_separator;
        size_t m_start = 0;
        size_t m_end = 0;
    };

    Iterator begin() const { return Iterator(m_text, m_separator, 0); }
    Iterator end() const { return Iterator(m_text, m_separator, m_text.length()); }

    // The number of pieces. O(n).
    size_t count() const
    {
        size_t n = 0;
        for (auto it = begin(); it != end(); ++it)
            ++n;
        return n;
    }

private:
    StringView m_text;
    char m_separator;
};

// PathComponents: the names in a path, split on one or more '/'.
// "/a//b/" gives "a", "b"; "" and "/" give nothing. Whether the path was
// absolute is path.starts_with('/'), and "." and ".." come out as ordinary
// components: interpreting them is namei's job, not the splitter's.
class PathComponents : public Split {
public:
    constexpr explicit PathComponents(StringView path) : Split(path, '/') {}
};

} // namespace kern
