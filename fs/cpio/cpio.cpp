// fs/cpio/cpio.cpp -- the newc parser: bytes in, checked entries out.
//
// CpioReader walks the buffer with one cursor, m_pos. Each step reads one
// header, checks it field by field, and only then advances; every length
// taken from the archive is compared with what is left of the buffer
// (`remaining()`) before it is added to m_pos, and the comparisons are
// written as `n > remaining()` so that a huge n cannot overflow a sum.
//
//   state:  m_pos at a header (4-aligned)  --read_entry-->  m_pos after the
//           entry's padded data;  after a trailer: skip_zeros, then either
//           the end of the buffer (done) or another header.
//
// The reader keeps no state beyond m_pos and m_trailer_seen, allocates
// nothing, and reports the first problem in a CpioError.
// The format: fs/cpio/cpio.h; Linux's init/initramfs.c reads the same way
// (its do_header / do_name / do_copy states). See docs/initramfs.md.
#include <fs/cpio/cpio.h>

namespace fs {

namespace {

constexpr StringView MAGIC_NEWC = "070701";
constexpr StringView TRAILER = "TRAILER!!!";
constexpr size_t FIELD_COUNT = 13;

// The header's hex fields, in order, and what is wrong when one is not hex.
enum Field { INO, MODE, UID, GID, NLINK, MTIME, FILESIZE, DEVMAJOR, DEVMINOR,
             RDEVMAJOR, RDEVMINOR, NAMESIZE, CHECK };
const char* const BAD_FIELD[FIELD_COUNT] = {
    "non-hex ino", "non-hex mode", "non-hex uid", "non-hex gid", "non-hex nlink",
    "non-hex mtime", "non-hex filesize", "non-hex devmajor", "non-hex devminor",
    "non-hex rdevmajor", "non-hex rdevminor", "non-hex namesize", "non-hex check"};

class CpioReader {
public:
    CpioReader(const u8* data, size_t size, CpioError& error)
        : m_data(data), m_size(size), m_error(error) {}

    // Returns true with `entry` filled, false at the clean end of the buffer.
    // Errors: EINVAL (m_error says why).
    ErrorOr<bool> next(CpioEntry& entry);

private:
    size_t remaining() const { return m_size - m_pos; }
    Errno fail(size_t offset, StringView name, const char* reason)
    {
        m_error = {offset, name, reason};
        return Errno::EINVAL;
    }
    ErrorOr<void> read_fields(u32 (&fields)[FIELD_COUNT]);
    ErrorOr<StringView> read_name(size_t header, u32 namesize);
    ErrorOr<void> skip_padding(size_t header, StringView name);
    ErrorOr<void> check_body(const CpioEntry& entry, u32 filesize);
    ErrorOr<bool> skip_zeros();

    const u8* m_data;
    size_t m_size;
    CpioError& m_error;
    size_t m_pos = 0;
    bool m_trailer_seen = false;  // since the last header
};

// True if the name has a ".." component (it would climb out of the root).
bool has_dotdot(StringView name)
{
    for (StringView part : kern::PathComponents(name))
        if (part == "..")
            return true;
    return false;
}

// The 13 fields after the magic. => m_pos at a header with 110 bytes left.
ErrorOr<void> CpioReader::read_fields(u32 (&fields)[FIELD_COUNT])
{
    const char* hex = reinterpret_cast<const char*>(m_data + m_pos + MAGIC_NEWC.length());
    for (size_t i = 0; i < FIELD_COUNT; ++i) {
        u64 value;
        if (!StringView(hex + 8 * i, 8).to_unsigned(value, 16))
            return fail(m_pos + 6 + 8 * i, {}, BAD_FIELD[i]);
        fields[i] = u32(value);
    }
    return {};
}

// The name after the header: namesize bytes, the last one NUL, no NUL before.
ErrorOr<StringView> CpioReader::read_name(size_t header, u32 namesize)
{
    if (namesize < 2)
        return fail(header, {}, "name size below 2 (an empty name)");
    if (namesize > CPIO_NAME_MAX)
        return fail(header, {}, "name longer than CPIO_NAME_MAX");
    if (namesize > remaining())
        return fail(header, {}, "name runs past the end of the archive");
    const char* chars = reinterpret_cast<const char*>(m_data + m_pos);
    StringView name(chars, namesize - 1);
    if (chars[namesize - 1] != '\0')
        return fail(header, {}, "name does not end in NUL");
    if (name.contains('\0'))
        return fail(header, {}, "NUL inside the name");
    m_pos += namesize;
    return name;
}

// Advance m_pos to the next multiple of 4; the bytes skipped must be NULs.
ErrorOr<void> CpioReader::skip_padding(size_t header, StringView name)
{
    size_t pad = align_up(m_pos, 4) - m_pos;
    if (pad > remaining())
        return fail(header, name, "padding runs past the end of the archive");
    for (size_t i = 0; i < pad; ++i)
        if (m_data[m_pos + i] != 0)
            return fail(m_pos + i, name, "padding byte is not NUL");
    m_pos += pad;
    return {};
}

// The file size must fit the type and the buffer.
ErrorOr<void> CpioReader::check_body(const CpioEntry& e, u32 filesize)
{
    u32 type = e.mode & CPIO_S_IFMT;
    bool has_data = type == CPIO_S_IFREG || type == CPIO_S_IFLNK;
    if (type != CPIO_S_IFREG && type != CPIO_S_IFLNK && type != CPIO_S_IFDIR &&
        type != CPIO_S_IFCHR && type != CPIO_S_IFBLK && type != CPIO_S_IFIFO &&
        type != CPIO_S_IFSOCK)
        return fail(e.offset, e.name, "unknown file type in mode");
    if (!has_data && filesize != 0)
        return fail(e.offset, e.name, "data size not 0 for a type without data");
    if (type == CPIO_S_IFLNK && (filesize == 0 || filesize > CPIO_NAME_MAX))
        return fail(e.offset, e.name, "symlink target size 0 or above CPIO_NAME_MAX");
    if (filesize > remaining())
        return fail(e.offset, e.name, "data runs past the end of the archive");
    return {};
}

// After a trailer: skip NULs. Returns false if the buffer ends (done), true if
// another archive follows. Errors: EINVAL for junk that is not a header.
ErrorOr<bool> CpioReader::skip_zeros()
{
    while (m_pos < m_size && m_data[m_pos] == 0)
        ++m_pos;
    if (m_pos == m_size)
        return false;
    if (!is_aligned(m_pos, 4) || m_data[m_pos] != '0')
        return fail(m_pos, {}, "junk after the trailer");
    m_trailer_seen = false;
    return true;
}

// Why a header does not start with the newc magic, for the console.
const char* bad_magic_reason(const u8* p)
{
    if (p[0] == 0x1f && p[1] == 0x8b)
        return "gzip-compressed archive (only uncompressed newc is read)";
    if (StringView(reinterpret_cast<const char*>(p), 6) == "070702")
        return "magic 070702 (newc with checksums) is not supported";
    return "bad magic (not 070701)";
}

ErrorOr<bool> CpioReader::next(CpioEntry& entry)
{
    for (;;) {
        if (m_trailer_seen && !TRY(skip_zeros()))
            return false;
        size_t header = m_pos;
        if (remaining() == 0)
            return fail(header, {}, "archive ends without TRAILER!!!");
        if (remaining() < CPIO_HEADER_SIZE)
            return fail(header, {}, "header runs past the end of the archive");
        if (StringView(reinterpret_cast<const char*>(m_data + m_pos), 6) != MAGIC_NEWC)
            return fail(header, {}, bad_magic_reason(m_data + m_pos));
        u32 f[FIELD_COUNT];
        TRY(read_fields(f));
        m_pos += CPIO_HEADER_SIZE;
        StringView name = TRY(read_name(header, f[NAMESIZE]));
        TRY(skip_padding(header, name));
        if (name == TRAILER) {
            if (f[FILESIZE] != 0)
                return fail(header, name, "trailer with data");
            m_trailer_seen = true;
            continue;
        }
        if (has_dotdot(name))
            return fail(header, name, "\"..\" in the name");
        entry = {header, name, f[MODE], f[INO], f[UID], f[GID], f[NLINK], f[MTIME],
                 f[RDEVMAJOR], f[RDEVMINOR], m_data + m_pos, f[FILESIZE]};
        TRY(check_body(entry, f[FILESIZE]));
        m_pos += f[FILESIZE];
        TRY(skip_padding(header, name));
        if ((entry.mode & CPIO_S_IFMT) != CPIO_S_IFLNK)
            return true;
        if (entry.data[entry.size - 1] == 0)  // gen_init_cpio writes the target's NUL
            --entry.size;
        StringView target(reinterpret_cast<const char*>(entry.data), entry.size);
        if (entry.size == 0 || target.contains('\0'))
            return fail(header, name, "empty symlink target or NUL inside it");
        return true;
    }
}

} // namespace

ErrorOr<size_t> cpio_parse(const void* data, size_t size, CpioVisitor& visitor, CpioError& error)
{
    KASSERT(data != nullptr || size == 0);
    CpioReader reader(static_cast<const u8*>(data), size, error);
    size_t count = 0;
    CpioEntry entry;
    while (TRY(reader.next(entry))) {
        TRY(visitor.entry(entry));
        ++count;
    }
    return count;
}

} // namespace fs
