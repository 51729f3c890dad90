// kernel/base/lib/format.cpp -- the printf-style formatter behind printk, panic and
// snprintf (interface and the list of conversions: format.h).
//
// How it works. vformat() walks the format string once. A run of ordinary
// characters goes to the sink in one call. At a '%' it parses a conversion
// specification into a FormatSpec,
//
//     %  [flags - 0 + ' ' #]  [width | *]  [. precision | .*]  [length]  conv
//
// and only then, once the conversion character is known to be one we
// support, fetches the '*' arguments and the value itself. A specification
// we do not understand (%f, %n, %Lf, a string that ends after the '%') is
// copied to the output literally and reads no argument at all, so a bad
// format can garble a message but never walks off the argument list.
//
// Every conversion is emitted in the same five pieces, which is how the C
// standard describes field layout:
//
//     [spaces][sign or 0x prefix][zeros][digits or text][spaces]
//      width,   from '+' ' ' '#'  from    the value       width,
//      right-                     prec.                   left-justified
//      justified                  or '0'                  ('-')
//
// Numbers are converted into a small stack buffer (64 bits in octal is 22
// digits); leading zeros asked for by a large precision or width are not
// stored but streamed from a constant string, so no field width can overflow
// anything. Widths and precisions saturate at MAX_FIELD.
//
// Rules taken from C11 7.21.6.1 (fprintf), which the host tests check against
// glibc's snprintf: a precision on an integer sets its minimum number of
// digits and turns off the '0' flag; precision 0 with value 0 prints no digits
// (but "%#o" still prints "0"); '-' beats '0' and '+' beats ' '; '#' adds
// "0x"/"0X" to a non-zero hex value and makes octal start with 0; a negative
// '*' width means '-' plus its absolute value and a negative '*' precision
// means "no precision". Our own choices (format.h): %p is always "0x" and 16
// hex digits, a NULL %s is "(null)" (cut by a precision like any string), and
// the 'l'-style modifiers on %c/%s/%p (wide characters) are not understood.
//
// Nothing here allocates, takes a lock or uses floating point, so panic() can
// use it in any state. Complexity: O(length of the output).
//
// Read more: C11 7.21.6.1; the design of a sink-based formatter follows the
// "printf to a callback" shape of xv6's printf.c and Linux's lib/vsprintf.c
// (read for ideas only; no code taken).
#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>

namespace kern {

namespace {

constexpr int MAX_FIELD = 1 << 20; // width/precision saturate here

enum class Length { None, Char, Short, Long, LongLong, Size, PtrDiff, IntMax };

struct FormatSpec {
    bool left = false;      // '-': pad on the right
    bool zero = false;      // '0': pad numbers with zeros
    bool plus = false;      // '+': always print a sign
    bool space = false;     // ' ': a space where '+' would go
    bool alt = false;       // '#': 0x prefix / leading octal 0
    bool width_star = false;
    bool precision_star = false;
    int width = 0;
    int precision = -1;     // -1: none given
    Length length = Length::None;
    char conv = 0;
};

// Output with a running count; pieces of padding are sent in chunks.
class Writer {
public:
    Writer(FormatSink sink, void* ctx) : m_sink(sink), m_ctx(ctx) {}

    void put(const char* s, size_t len)
    {
        if (len == 0)
            return;
        m_sink(m_ctx, s, len);
        m_count += len;
    }

    // Emit `n` copies of c, where c is ' ' or '0'.
    void repeat(char c, size_t n)
    {
        static const char spaces[] = "                                ";
        static const char zeros[] = "00000000000000000000000000000000";
        const char* chunk = c == '0' ? zeros : spaces;
        while (n > 0) {
            size_t step = min(n, sizeof(spaces) - 1);
            put(chunk, step);
            n -= step;
        }
    }

    size_t count() const { return m_count; }

private:
    FormatSink m_sink;
    void* m_ctx;
    size_t m_count = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Read a decimal field (width or precision), saturating at MAX_FIELD.
// => p points at the first character; returns past the last digit.
const char* parse_number(const char* p, int& out)
{
    int value = 0;
    while (is_digit(*p)) {
        value = value * 10 + (*p - '0');
        if (value > MAX_FIELD)
            value = MAX_FIELD;
        ++p;
    }
    out = value;
    return p;
}

// Parse the part of a specification after '%' into `spec`.
// Returns a pointer to the conversion character (the NUL if the string
//    ended first); `understood` says whether we support the specification.
//    Nothing is read from the argument list either way.
const char* parse_spec(const char* p, FormatSpec& spec, bool& understood)
{
    for (;; ++p) {
        if (*p == '-') spec.left = true;
        else if (*p == '0') spec.zero = true;
        else if (*p == '+') spec.plus = true;
        else if (*p == ' ') spec.space = true;
        else if (*p == '#') spec.alt = true;
        else break;
    }
    if (*p == '*') {
        spec.width_star = true;
        ++p;
    } else {
        p = parse_number(p, spec.width);
    }
    if (*p == '.') {
        ++p;
        if (*p == '*') {
            spec.precision_star = true;
            ++p;
        } else {
            p = parse_number(p, spec.precision); // "%.d" means precision 0
        }
    }
    switch (*p) {
    case 'h':
        ++p;
        spec.length = *p == 'h' ? (++p, Length::Char) : Length::Short;
        break;
    case 'l':
        ++p;
        spec.length = *p == 'l' ? (++p, Length::LongLong) : Length::Long;
        break;
    case 'z': ++p; spec.length = Length::Size; break;
    case 't': ++p; spec.length = Length::PtrDiff; break;
    case 'j': ++p; spec.length = Length::IntMax; break;
    default: break;
    }
    spec.conv = *p;
    switch (spec.conv) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
        understood = true;
        break;
    case 'c': case 's': case 'p':
        understood = spec.length == Length::None;
        break;
    default:
        understood = false; // includes '\0': the string ended inside the spec
        break;
    }
    return p;
}

// Fetch a signed argument of the size the length modifier names.
i64 fetch_signed(va_list* ap, Length length)
{
    switch (length) {
    case Length::Char: return static_cast<signed char>(va_arg(*ap, int));
    case Length::Short: return static_cast<short>(va_arg(*ap, int));
    case Length::Long: return va_arg(*ap, long);
    case Length::LongLong: return va_arg(*ap, long long);
    case Length::Size: return va_arg(*ap, ssize_t);
    case Length::PtrDiff: return va_arg(*ap, ptrdiff_t);
    case Length::IntMax: return va_arg(*ap, intmax_t);
    case Length::None: break;
    }
    return va_arg(*ap, int);
}

u64 fetch_unsigned(va_list* ap, Length length)
{
    switch (length) {
    case Length::Char: return static_cast<unsigned char>(va_arg(*ap, unsigned));
    case Length::Short: return static_cast<unsigned short>(va_arg(*ap, unsigned));
    case Length::Long: return va_arg(*ap, unsigned long);
    case Length::LongLong: return va_arg(*ap, unsigned long long);
    case Length::Size: return va_arg(*ap, size_t);
    case Length::PtrDiff: return static_cast<u64>(va_arg(*ap, ptrdiff_t));
    case Length::IntMax: return va_arg(*ap, uintmax_t);
    case Length::None: break;
    }
    return va_arg(*ap, unsigned);
}

// Lay out one field: [spaces][prefix][zeros][body][spaces].
// `zeros` is the number of leading zeros already decided by the caller.
void emit_field(Writer& out, const FormatSpec& spec, const char* prefix, size_t prefix_len,
                size_t zeros, const char* body, size_t body_len)
{
    size_t used = prefix_len + zeros + body_len;
    size_t pad = size_t(spec.width) > used ? size_t(spec.width) - used : 0;
    if (!spec.left)
        out.repeat(' ', pad);
    out.put(prefix, prefix_len);
    out.repeat('0', zeros);
    out.put(body, body_len);
    if (spec.left)
        out.repeat(' ', pad);
}

// %d %i %u %x %X %o: sign or prefix, precision, then the digits.
// => `negative` only for signed conversions; `magnitude` is |value|.
void format_integer(Writer& out, const FormatSpec& spec, bool negative, u64 magnitude)
{
    const bool upper = spec.conv == 'X';
    const unsigned base = spec.conv == 'o' ? 8 : (spec.conv == 'x' || upper) ? 16 : 10;
    const char* digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";

    char digits[24];
    size_t ndigits = 0;
    for (u64 v = magnitude; v != 0; v /= base)
        digits[sizeof(digits) - ++ndigits] = digit_chars[v % base];
    if (magnitude == 0 && spec.precision != 0)
        digits[sizeof(digits) - ++ndigits] = '0'; // "%.0d" of 0 prints nothing

    char prefix[2];
    size_t prefix_len = 0;
    const bool is_signed = spec.conv == 'd' || spec.conv == 'i';
    if (is_signed && negative)
        prefix[prefix_len++] = '-';
    else if (is_signed && spec.plus)
        prefix[prefix_len++] = '+';
    else if (is_signed && spec.space)
        prefix[prefix_len++] = ' ';
    else if (spec.alt && base == 16 && magnitude != 0) {
        prefix[prefix_len++] = '0';
        prefix[prefix_len++] = upper ? 'X' : 'x';
    }

    size_t zeros = 0;
    if (spec.precision >= 0 && size_t(spec.precision) > ndigits)
        zeros = size_t(spec.precision) - ndigits;
    // "%#o": the first digit printed must be 0.
    if (spec.alt && base == 8 && zeros == 0 && (ndigits == 0 || digits[sizeof(digits) - ndigits] != '0'))
        zeros = 1;
    // '0' flag: fill the width with zeros after the sign, unless a precision
    // was given or the field is left-justified.
    if (spec.zero && !spec.left && spec.precision < 0) {
        size_t used = prefix_len + zeros + ndigits;
        if (size_t(spec.width) > used)
            zeros += size_t(spec.width) - used;
    }
    emit_field(out, spec, prefix, prefix_len, zeros, digits + sizeof(digits) - ndigits, ndigits);
}

// %p: always "0x" and 16 hex digits; only width and '-' apply.
void format_pointer(Writer& out, const FormatSpec& spec, const void* ptr)
{
    char digits[16];
    u64 v = reinterpret_cast<uptr>(ptr);
    for (int i = 15; i >= 0; --i, v >>= 4)
        digits[i] = "0123456789abcdef"[v & 0xf];
    emit_field(out, spec, "0x", 2, 0, digits, sizeof(digits));
}

// %s: at most `precision` bytes of the string (which then need not end in a
// NUL within reach), padded to the width. '0', '+', ' ', '#' do not apply.
void format_string(Writer& out, const FormatSpec& spec, const char* s)
{
    if (!s)
        s = "(null)";
    size_t len = spec.precision >= 0 ? strnlen(s, size_t(spec.precision)) : strlen(s);
    emit_field(out, spec, nullptr, 0, 0, s, len);
}

// One conversion whose specification parsed: fetch '*' arguments, then the value.
void format_one(Writer& out, FormatSpec& spec, va_list* ap)
{
    if (spec.width_star) {
        int w = va_arg(*ap, int);
        if (w < 0) {
            spec.left = true;
            w = w < -MAX_FIELD ? MAX_FIELD : -w; // also keeps INT_MIN from overflowing
        }
        spec.width = min(w, MAX_FIELD);
    }
    if (spec.precision_star) {
        int p = va_arg(*ap, int);
        spec.precision = p < 0 ? -1 : min(p, MAX_FIELD);
    }
    switch (spec.conv) {
    case 'd':
    case 'i': {
        i64 v = fetch_signed(ap, spec.length);
        // Negate in unsigned arithmetic so INT64_MIN is not overflow.
        u64 magnitude = v < 0 ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
        format_integer(out, spec, v < 0, magnitude);
        break;
    }
    case 'u': case 'x': case 'X': case 'o':
        format_integer(out, spec, false, fetch_unsigned(ap, spec.length));
        break;
    case 'c': {
        char c = static_cast<char>(va_arg(*ap, int));
        emit_field(out, spec, nullptr, 0, 0, &c, 1);
        break;
    }
    case 's':
        format_string(out, spec, va_arg(*ap, const char*));
        break;
    case 'p':
        format_pointer(out, spec, va_arg(*ap, const void*));
        break;
    default:
        VERIFY_NOT_REACHED(); // parse_spec() accepted only the cases above
    }
}

// The sink behind vsnprintf: copy what fits, count the rest.
struct BufferSink {
    char* buf;
    size_t size; // capacity including the NUL
    size_t pos;  // characters produced so far (may exceed size)
};

void buffer_sink(void* ctx, const char* s, size_t len)
{
    auto* b = static_cast<BufferSink*>(ctx);
    if (b->size > 0 && b->pos < b->size - 1) {
        size_t room = b->size - 1 - b->pos;
        memcpy(b->buf + b->pos, s, min(len, room));
    }
    b->pos += len;
}

} // namespace

size_t vformat(FormatSink sink, void* ctx, const char* fmt, va_list ap)
{
    Writer out(sink, ctx);
    va_list args;
    va_copy(args, ap); // helpers take a pointer to a va_list of our own
    const char* p = fmt;
    while (*p) {
        if (*p != '%') {
            const char* run = p;
            while (*p && *p != '%')
                ++p;
            out.put(run, size_t(p - run));
            continue;
        }
        if (p[1] == '%') {
            out.put("%", 1);
            p += 2;
            continue;
        }
        FormatSpec spec;
        bool understood = false;
        const char* conv = parse_spec(p + 1, spec, understood);
        const char* next = *conv ? conv + 1 : conv; // never step past the NUL
        if (understood)
            format_one(out, spec, &args);
        else
            out.put(p, size_t(next - p)); // literally, reading no argument
        p = next;
    }
    va_end(args);
    return out.count();
}

int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap)
{
    BufferSink b{buf, size, 0};
    vformat(buffer_sink, &b, fmt, ap);
    if (size > 0)
        buf[min(b.pos, size - 1)] = '\0';
    // C's contract returns an int; an output longer than INT_MAX saturates.
    return b.pos > size_t(0x7fffffff) ? 0x7fffffff : int(b.pos);
}

int snprintf(char* buf, size_t size, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

} // namespace kern
