// fs/procfs/sysctl_int.h -- reading one integer written to a /proc/sys file, as Linux does.
//
// A write to a /proc/sys file holding one int ("echo 3 > drop_caches") is
// text, and Linux's rules for it (proc_dointvec_minmax and proc_get_long,
// kernel/sysctl.c, read for the design) are looser than atoi's and
// stricter than strtol's:
//
//   - whitespace (isspace) before the number is skipped;
//   - an optional '-' (never '+'), then at least one digit;
//   - the number as strtoul reads it with base 0: "0x1f" is hex, "017"
//     octal, anything else decimal;
//   - at most 21 characters for sign and digits (a longer number is
//     refused: Linux looks at that many and could not tell where it ends);
//   - right after the number: the end of the write, or ' ', '\t' or '\n'
//     ("3x" and "3\0" are refused); whitespace after it is taken too;
//   - anything after that is not read: "4 5" takes "4 " and the write
//     returns 2 (Linux's short write), leaving "5" to the caller.
//
// Whitespace only, or nothing, is EINVAL too (the caller returns 0 for a
// write of no bytes before asking). The range check is the caller's.
//
// A pure function, so the host tests check it
// (tests/host/fs/procfs/sysctl_int_test.cpp) against answers from Linux.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/types.h>

namespace fs::procfs {

struct SysctlInt {
    i64 value;
    size_t used;  // bytes taken: leading space, the number, trailing space
};

namespace sysctl_detail {

constexpr size_t NUMBER_MAX = 21;  // Linux's TMPBUFLEN - 1

constexpr bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\n'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The value of digit `c`, or 99 for a character that is none.
constexpr u32 digit_value(char c)
{
    if (is_digit(c))
        return u32(c - '0');
    char lower = char(c | 0x20);
    return lower >= 'a' && lower <= 'f' ? u32(lower - 'a' + 10) : 99;
}

} // namespace sysctl_detail

// The integer at the start of s[0, n). Returns it and the bytes taken.
// Errors: EINVAL (no number, a bad character after it, too long, or beyond
// an int's range).
inline kern::ErrorOr<SysctlInt> parse_sysctl_int(const char* s, size_t n)
{
    using namespace sysctl_detail;
    size_t i = 0;
    while (i < n && is_space(s[i]))
        ++i;
    size_t start = i;
    size_t end = n - start > NUMBER_MAX ? start + NUMBER_MAX : n;
    bool negative = i < end && s[i] == '-' && n - start > 1;
    if (negative)
        ++i;
    if (i >= end || !is_digit(s[i]))
        return kern::Errno::EINVAL;
    u32 base = 10;
    if (s[i] == '0') {
        base = 8;
        if (i + 2 < end && (s[i + 1] | 0x20) == 'x' && digit_value(s[i + 2]) < 16) {
            base = 16;
            i += 2;
        }
    }
    u64 value = 0;
    for (; i < end && digit_value(s[i]) < base; ++i) {
        value = value * base + digit_value(s[i]);
        if (value > u64(0x80000000))  // past any int: Linux's conversion refuses it
            return kern::Errno::EINVAL;
    }
    if (i - start == NUMBER_MAX || (i < n && !is_separator(s[i])))
        return kern::Errno::EINVAL;
    if (!negative && value > u64(0x7fffffff))
        return kern::Errno::EINVAL;
    while (i < n && is_space(s[i]))
        ++i;
    return SysctlInt{negative ? -i64(value) : i64(value), i};
}

} // namespace fs::procfs
