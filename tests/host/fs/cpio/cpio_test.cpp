// tests/host/fs/cpio/cpio_test.cpp -- the newc parser (fs/cpio/cpio.cpp).
//
// Archives are built here by a small writer (NewcBuilder, the same layout
// tools/mkcpio writes), then parsed from a heap buffer of exactly their size,
// so AddressSanitizer catches any read past the end. Covered: every entry
// type and field, gen_init_cpio's NUL-terminated symlink targets,
// concatenated archives, and the malformed cases: every truncation, every
// single-byte corruption (no crash, EINVAL or a still-valid archive), bad
// magic, non-hex fields, bad name sizes, names without or with inner NULs,
// huge sizes, a missing trailer, junk after it.
#include <fs/cpio/cpio.h>

#include <string>
#include <vector>

using fs::CpioEntry;
using fs::CpioError;
using kern::Errno;

namespace {

// Writes newc archives, with knobs for breaking them.
class NewcBuilder {
public:
    NewcBuilder& add(const std::string& name, unsigned mode, const std::string& data = "",
                     unsigned rmaj = 0, unsigned rmin = 0)
    {
        header(name, mode, data.size(), name.size() + 1, rmaj, rmin);
        m_bytes += data;
        pad();
        return *this;
    }
    NewcBuilder& trailer(size_t pad_to = 512)
    {
        header("TRAILER!!!", 0, 0, 11, 0, 0);
        m_bytes.append((pad_to - m_bytes.size() % pad_to) % pad_to, '\0');
        return *this;
    }
    // A header whose name and filesize fields say what the caller wants.
    NewcBuilder& header(const std::string& name, unsigned mode, uint64_t filesize,
                        uint64_t namesize, unsigned rmaj, unsigned rmin)
    {
        const uint64_t f[13] = {m_ino++, mode, 0, 0, 1, 0, filesize, 0, 0, rmaj, rmin, namesize, 0};
        m_bytes += "070701";
        char hex[17];
        for (uint64_t v : f) {
            snprintf(hex, sizeof hex, "%08llX", (unsigned long long)(v & 0xffffffffu));
            m_bytes += hex;
        }
        m_bytes += name;
        m_bytes += '\0';
        pad();
        return *this;
    }
    std::string& bytes() { return m_bytes; }

private:
    void pad() { m_bytes.append((4 - m_bytes.size() % 4) % 4, '\0'); }
    std::string m_bytes;
    unsigned m_ino = 1;
};

// What a parse saw: the entries (copied out of the buffer) and the result.
struct Seen {
    std::string name;
    uint32_t mode, rmaj, rmin;
    std::string data;
};

class Collector : public fs::CpioVisitor {
public:
    kern::ErrorOr<void> entry(const CpioEntry& e) override
    {
        entries.push_back({std::string(e.name.characters(), e.name.length()), e.mode,
                           e.rdev_major, e.rdev_minor,
                           std::string(reinterpret_cast<const char*>(e.data), e.size)});
        if (fail_at == entries.size())
            return Errno::ENOSPC;
        return {};
    }
    std::vector<Seen> entries;
    size_t fail_at = 0;
};

struct Result {
    bool ok;
    Errno error;
    size_t count;
    CpioError where;
    std::vector<Seen> entries;
};

// Parse a copy of `bytes` in a buffer of exactly its size.
Result parse(const std::string& bytes, size_t fail_at = 0)
{
    std::unique_ptr<char[]> copy(new char[bytes.size() ? bytes.size() : 1]);
    memcpy(copy.get(), bytes.data(), bytes.size());
    Collector c;
    c.fail_at = fail_at;
    CpioError where;
    auto r = fs::cpio_parse(copy.get(), bytes.size(), c, where);
    Result out{!r.is_error(), r.is_error() ? r.error() : Errno(0), r.is_error() ? 0 : r.value(),
               where, c.entries};
    out.where.name = {};  // points into `copy`, about to be freed
    return out;
}

std::string reason(const std::string& bytes)
{
    std::unique_ptr<char[]> copy(new char[bytes.size() + 1]);
    memcpy(copy.get(), bytes.data(), bytes.size());
    Collector c;
    CpioError where;
    auto r = fs::cpio_parse(copy.get(), bytes.size(), c, where);
    return r.is_error() ? where.reason : "ok";
}

std::string small_tree()
{
    NewcBuilder b;
    b.add("dev", 040755).add("dev/console", 020600, "", 5, 1).add("etc/motd", 0100644, "hello\n")
        .add("bin/sh", 0120777, "busybox").add("fifo", 010600).add("empty", 0100600).trailer();
    return b.bytes();
}

} // namespace

TEST(Cpio, ParsesEveryTypeAndField)
{
    Result r = parse(small_tree());
    ASSERT_TRUE(r.ok) << r.where.reason;
    ASSERT_EQ(r.count, 6u);
    EXPECT_EQ(r.entries[0].name, "dev");
    EXPECT_EQ(r.entries[0].mode, 040755u);
    EXPECT_EQ(r.entries[1].mode, 020600u);
    EXPECT_EQ(r.entries[1].rmaj, 5u);
    EXPECT_EQ(r.entries[1].rmin, 1u);
    EXPECT_EQ(r.entries[2].data, "hello\n");
    EXPECT_EQ(r.entries[3].data, "busybox");
    EXPECT_EQ(r.entries[4].mode, 010600u);
    EXPECT_EQ(r.entries[5].data, "");
}

TEST(Cpio, SymlinkTargetLosesGenInitCpiosNul)
{
    NewcBuilder b;
    b.add("sh", 0120777, std::string("busybox\0", 8)).trailer();
    Result r = parse(b.bytes());
    ASSERT_TRUE(r.ok) << r.where.reason;
    EXPECT_EQ(r.entries[0].data, "busybox");
}

TEST(Cpio, ConcatenatedArchivesAndUnpaddedTrailer)
{
    NewcBuilder a, b;
    a.add("a", 040755).trailer();
    b.add("b", 0100644, "xyz").trailer(4);  // no 512-byte padding
    Result r = parse(a.bytes() + std::string(16, '\0') + b.bytes());
    ASSERT_TRUE(r.ok) << r.where.reason;
    ASSERT_EQ(r.count, 2u);
    EXPECT_EQ(r.entries[1].data, "xyz");
}

TEST(Cpio, TruncatedAtEveryByteIsEinval)
{
    std::string full = small_tree();
    size_t trailer_end = align_up(full.find("TRAILER!!!") + 11, 4);  // name, NUL, padding
    for (size_t n = 0; n < full.size(); ++n) {
        Result r = parse(full.substr(0, n));
        if (n >= trailer_end) {
            EXPECT_TRUE(r.ok) << n;  // only padding after the trailer is missing
            continue;
        }
        ASSERT_FALSE(r.ok) << "prefix of " << n << " bytes parsed";
        EXPECT_EQ(r.error, Errno::EINVAL);
        EXPECT_LE(r.where.offset, n);
    }
}

TEST(Cpio, EverySingleByteCorruptionIsSafe)
{
    std::string full = small_tree();
    const char values[] = {'\0', '0', '7', 'F', 'g', '/', '\xff'};
    for (size_t i = 0; i < full.size(); ++i) {
        for (char v : values) {
            std::string bad = full;
            bad[i] = v;
            Result r = parse(bad);  // ASan checks the reads
            if (!r.ok) {
                EXPECT_EQ(r.error, Errno::EINVAL);
            }
        }
    }
}

TEST(Cpio, BadMagic)
{
    std::string s = small_tree();
    s[5] = '2';
    EXPECT_EQ(reason(s), "magic 070702 (newc with checksums) is not supported");
    s[0] = 'x';
    EXPECT_EQ(reason(s), "bad magic (not 070701)");
    EXPECT_EQ(reason(std::string("\x1f\x8b", 2) + std::string(200, 'x')),
              "gzip-compressed archive (only uncompressed newc is read)");
}

TEST(Cpio, NonHexFieldNamesTheField)
{
    std::string s = small_tree();
    s[6 + 8 * 6 + 3] = 'g';  // filesize of the first entry
    Result r = parse(s);
    EXPECT_EQ(r.error, Errno::EINVAL);
    EXPECT_EQ(std::string(r.where.reason), "non-hex filesize");
    EXPECT_EQ(r.where.offset, 6u + 8 * 6);
}

TEST(Cpio, BadNames)
{
    auto with_name = [](const std::string& name, uint64_t namesize) {
        NewcBuilder b;
        b.header(name, 0100644, 0, namesize, 0, 0).trailer();
        return reason(b.bytes());
    };
    EXPECT_EQ(with_name("", 1), "name size below 2 (an empty name)");
    EXPECT_EQ(with_name("", 0), "name size below 2 (an empty name)");
    EXPECT_EQ(with_name("abc", 3), "name does not end in NUL");
    EXPECT_EQ(with_name(std::string("a\0b", 3), 4), "NUL inside the name");
    EXPECT_EQ(with_name("a", 0xffffffff), "name longer than CPIO_NAME_MAX");
    EXPECT_EQ(with_name("a", 5000), "name longer than CPIO_NAME_MAX");
    EXPECT_EQ(with_name("a/../../etc", 12), "\"..\" in the name");
    NewcBuilder b;
    b.header("abc", 0100644, 0, 3000, 0, 0);  // runs past the end
    EXPECT_EQ(reason(b.bytes()), "name runs past the end of the archive");
}

TEST(Cpio, BadSizesAndTypes)
{
    auto one = [](const std::string& name, unsigned mode, uint64_t size, const std::string& data) {
        NewcBuilder b;
        b.header(name, mode, size, name.size() + 1, 0, 0);
        b.bytes() += data;
        b.bytes().append((4 - b.bytes().size() % 4) % 4, '\0');
        b.trailer();
        return reason(b.bytes());
    };
    EXPECT_EQ(one("f", 0100644, 0xffffffff, "abcd"), "data runs past the end of the archive");
    EXPECT_EQ(one("f", 0100644, 10000, "abcd"), "data runs past the end of the archive");
    EXPECT_EQ(one("d", 040755, 4, "abcd"), "data size not 0 for a type without data");
    EXPECT_EQ(one("c", 020644, 4, "abcd"), "data size not 0 for a type without data");
    EXPECT_EQ(one("l", 0120777, 0, ""), "symlink target size 0 or above CPIO_NAME_MAX");
    EXPECT_EQ(one("l", 0120777, 4, std::string("a\0bc", 4)),
              "empty symlink target or NUL inside it");
    EXPECT_EQ(one("l", 0120777, 1, std::string("\0", 1)), "empty symlink target or NUL inside it");
    EXPECT_EQ(one("x", 0070644, 0, ""), "unknown file type in mode");
    EXPECT_EQ(one("x", 0000644, 0, ""), "unknown file type in mode");
    EXPECT_EQ(one("f", 0100644, 3, "abcX"), "padding byte is not NUL");
}

TEST(Cpio, MissingTrailerAndJunkAfterIt)
{
    NewcBuilder b;
    b.add("a", 040755);
    EXPECT_EQ(reason(b.bytes()), "archive ends without TRAILER!!!");
    EXPECT_EQ(reason(""), "archive ends without TRAILER!!!");
    EXPECT_EQ(reason(std::string(512, '\0')), "bad magic (not 070701)");
    EXPECT_EQ(reason(std::string(100, '0')), "header runs past the end of the archive");
    b.trailer(4);
    EXPECT_EQ(reason(b.bytes() + "junk"), "junk after the trailer");
    EXPECT_EQ(reason(b.bytes() + std::string(3, '\0') + "0707"), "junk after the trailer");
    NewcBuilder t;
    t.header("TRAILER!!!", 0, 4, 11, 0, 0);
    t.bytes() += "abcd";
    EXPECT_EQ(reason(t.bytes()), "trailer with data");
}

TEST(Cpio, ErrorNamesTheEntryAndItsOffset)
{
    NewcBuilder b;
    b.add("good", 040755);
    size_t second = b.bytes().size();
    b.header("bad", 0100644, 9999, 4, 0, 0).trailer();
    std::string bytes = b.bytes();
    Collector c;
    CpioError where;
    auto r = fs::cpio_parse(bytes.data(), bytes.size(), c, where);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(where.offset, second);
    EXPECT_TRUE(where.name == "bad");
    EXPECT_EQ(c.entries.size(), 1u);
}

TEST(Cpio, VisitorErrorStopsTheWalk)
{
    Result r = parse(small_tree(), 2);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, Errno::ENOSPC);
    EXPECT_EQ(r.entries.size(), 2u);
}

TEST(Cpio, MakedevMatchesGlibc)
{
    EXPECT_EQ(fs::cpio_makedev(5, 1), 0x501u);
    EXPECT_EQ(fs::cpio_makedev(1, 3), 0x103u);
    EXPECT_EQ(fs::cpio_makedev(259, 0x12345), 0x12310345ull | (0ull << 32));
    EXPECT_EQ(fs::cpio_makedev(0x1000, 0), 0x100000000000ull);
}
