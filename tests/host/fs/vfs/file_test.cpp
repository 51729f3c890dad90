// tests/host/fs/vfs/file_test.cpp -- open files (fs/vfs/file.cpp) over the fake fs.
#include "fake_fs.h"

using namespace fakefs;
using fs::File;
using fs::IoBuffer;

namespace {

class FileTest : public VfsTest {
protected:
    File* open_file(const char* path, u32 flags) { return MUST(fs::open(ctx, path, flags, 0644)); }
    std::string read_n(File* f, size_t n)
    {
        std::string s(n, '\0');
        size_t got = MUST(f->read(IoBuffer::kernel(s.data()), n));
        s.resize(got);
        return s;
    }
    size_t write_s(File* f, const std::string& s) { return MUST(f->write(IoBuffer::kernel(s.data()), s.size())); }
};

// Collects names; takes at most `room` entries per call.
class NameSink final : public fs::ReaddirSink {
public:
    explicit NameSink(size_t room) : m_room(room) {}
    bool emit(const fs::DirEntry& e) override
    {
        if (m_taken == m_room)
            return false;
        ++m_taken;
        names.push_back(std::string(e.name.characters(), e.name.length()));
        return true;
    }
    void reset() { m_taken = 0; }
    std::vector<std::string> names;

private:
    size_t m_room;
    size_t m_taken = 0;
};

TEST_F(FileTest, ReadWriteAdvanceTheOffset)
{
    File* f = open_file("/f", fs::O_CREAT | fs::O_RDWR);
    EXPECT_EQ(write_s(f, "hello "), 6u);
    EXPECT_EQ(write_s(f, "world"), 5u);
    EXPECT_EQ(f->offset_for_test(), 11u);
    EXPECT_EQ(MUST(f->lseek(0, fs::SEEK_SET)), 0u);
    EXPECT_EQ(read_n(f, 5), "hello");
    EXPECT_EQ(read_n(f, 100), " world");
    EXPECT_EQ(read_n(f, 100), "");  // end of file
    f->unref();
}

TEST_F(FileTest, AppendWritesAtTheEnd)
{
    make_file("/f", "abc");
    File* f = open_file("/f", fs::O_WRONLY | fs::O_APPEND);
    EXPECT_EQ(MUST(f->lseek(0, fs::SEEK_SET)), 0u);
    write_s(f, "de");
    EXPECT_EQ(f->offset_for_test(), 5u);
    f->unref();
    EXPECT_EQ(read_file("/f"), "abcde");
}

TEST_F(FileTest, PreadPwriteLeaveTheOffset)
{
    make_file("/f", "0123456789");
    File* f = open_file("/f", fs::O_RDWR);
    char buf[4] = {};
    EXPECT_EQ(MUST(f->pread(3, IoBuffer::kernel(buf), 4)), 4u);
    EXPECT_EQ(std::string(buf, 4), "3456");
    EXPECT_EQ(MUST(f->pwrite(8, IoBuffer::kernel("XYZ"), 3)), 3u);
    EXPECT_EQ(f->offset_for_test(), 0u);
    EXPECT_EQ(read_n(f, 20), "01234567XYZ");
    EXPECT_EQ(err(f->pread(u64(1) << 63, IoBuffer::kernel(buf), 1)), Errno::EINVAL);
    f->unref();
}

TEST_F(FileTest, Lseek)
{
    make_file("/f", "0123456789");
    File* f = open_file("/f", fs::O_RDONLY);
    EXPECT_EQ(MUST(f->lseek(4, fs::SEEK_SET)), 4u);
    EXPECT_EQ(MUST(f->lseek(2, fs::SEEK_CUR)), 6u);
    EXPECT_EQ(MUST(f->lseek(-1, fs::SEEK_END)), 9u);
    EXPECT_EQ(MUST(f->lseek(5, fs::SEEK_END)), 15u);  // past the end is fine
    EXPECT_EQ(err(f->lseek(-1, fs::SEEK_SET)), Errno::EINVAL);
    EXPECT_EQ(err(f->lseek(-100, fs::SEEK_CUR)), Errno::EINVAL);
    EXPECT_EQ(err(f->lseek(-11, fs::SEEK_END)), Errno::EINVAL);
    EXPECT_EQ(err(f->lseek(0, 7)), Errno::EINVAL);
    MUST(f->lseek(INT64_MAX, fs::SEEK_SET));
    EXPECT_EQ(err(f->lseek(1, fs::SEEK_CUR)), Errno::EOVERFLOW);
    EXPECT_EQ(f->offset_for_test(), u64(INT64_MAX));  // unchanged by a failure
    f->unref();
}

TEST_F(FileTest, AccessModeIsEnforced)
{
    make_file("/f", "abc");
    File* r = open_file("/f", fs::O_RDONLY);
    EXPECT_EQ(err(r->write(IoBuffer::kernel("x"), 1)), Errno::EBADF);
    EXPECT_EQ(err(r->pwrite(0, IoBuffer::kernel("x"), 1)), Errno::EBADF);
    EXPECT_EQ(err(r->truncate(0)), Errno::EINVAL);
    r->unref();
    File* w = open_file("/f", fs::O_WRONLY);
    char c;
    EXPECT_EQ(err(w->read(IoBuffer::kernel(&c), 1)), Errno::EBADF);
    EXPECT_EQ(err(w->pread(0, IoBuffer::kernel(&c), 1)), Errno::EBADF);
    OK(w->truncate(1));
    w->unref();
    EXPECT_EQ(read_file("/f"), "a");
}

TEST_F(FileTest, DirectoryFiles)
{
    make_dir("/d");
    File* d = open_file("/d", fs::O_RDONLY | fs::O_DIRECTORY);
    char c;
    EXPECT_EQ(err(d->read(IoBuffer::kernel(&c), 1)), Errno::EISDIR);
    EXPECT_EQ(err(d->lseek(0, fs::SEEK_END)), Errno::EINVAL);
    EXPECT_EQ(err(d->truncate(0)), Errno::EINVAL);
    d->unref();
    make_file("/f");
    File* f = open_file("/f", fs::O_RDONLY);
    NameSink sink(10);
    EXPECT_EQ(err(f->readdir(sink)), Errno::ENOTDIR);
    f->unref();
}

TEST_F(FileTest, ReaddirKeepsACookieAndRewinds)
{
    make_dir("/d");
    make_file("/d/a");
    make_file("/d/b");
    make_file("/d/c");
    File* d = open_file("/d", fs::O_RDONLY);
    NameSink sink(2);
    EXPECT_EQ(MUST(d->readdir(sink)), 2u);
    sink.reset();
    EXPECT_EQ(MUST(d->readdir(sink)), 2u);
    sink.reset();
    EXPECT_EQ(MUST(d->readdir(sink)), 1u);
    sink.reset();
    EXPECT_EQ(MUST(d->readdir(sink)), 0u);  // the end
    EXPECT_EQ(sink.names, (std::vector<std::string>{".", "..", "a", "b", "c"}));
    EXPECT_EQ(MUST(d->lseek(0, fs::SEEK_SET)), 0u);
    NameSink again(100);
    EXPECT_EQ(MUST(d->readdir(again)), 5u);
    d->unref();
}

TEST_F(FileTest, UserBuffersFault)
{
    make_file("/f", "abc");
    File* f = open_file("/f", fs::O_RDWR);
    EXPECT_EQ(err(f->read(IoBuffer::user(16), 3)), Errno::EFAULT);
    EXPECT_EQ(f->offset_for_test(), 0u);
    char buf[3];
    EXPECT_EQ(MUST(f->read(IoBuffer::user(reinterpret_cast<uptr>(buf)), 3)), 3u);
    EXPECT_EQ(std::string(buf, 3), "abc");
    EXPECT_EQ(err(f->write(IoBuffer::user(8), 3)), Errno::EFAULT);
    f->unref();
}

TEST_F(FileTest, ReferencesKeepTheVnode)
{
    make_file("/f", "still here");
    File* f = open_file("/f", fs::O_RDONLY);
    f->ref();  // a dup
    EXPECT_EQ(f->ref_count(), 2u);
    size_t nodes = rootfs->node_count();
    OK(fs::unlink(ctx, "/f"));
    EXPECT_EQ(rootfs->node_count(), nodes);  // open: not freed yet
    f->unref();
    EXPECT_EQ(read_n(f, 100), "still here");
    f->unref();
    EXPECT_EQ(rootfs->node_count(), nodes - 1);  // the last close freed it
}

TEST(IoBufferTest, KernelAndUserCopies)
{
    char src[4] = {'a', 'b', 'c', 'd'}, dst[4] = {};
    auto k = IoBuffer::kernel(dst);
    EXPECT_FALSE(k.is_user());
    EXPECT_FALSE(k.write_from(1, src, 2).is_error());
    EXPECT_EQ(std::string(dst, 4), std::string("\0ab\0", 4));
    EXPECT_FALSE(k.zero(1, 1).is_error());
    EXPECT_EQ(dst[1], 0);
    char out[2];
    EXPECT_FALSE(IoBuffer::kernel(src).offset_by(2).read_into(out, 0, 2).is_error());
    EXPECT_EQ(std::string(out, 2), "cd");
    auto u = IoBuffer::user(reinterpret_cast<uptr>(dst));
    EXPECT_TRUE(u.is_user());
    EXPECT_FALSE(u.write_from(0, src, 4).is_error());
    EXPECT_EQ(std::string(dst, 4), "abcd");
    EXPECT_EQ(IoBuffer::user(0).write_from(0, src, 1).error(), Errno::EFAULT);
    EXPECT_EQ(IoBuffer::user(0).read_into(out, 0, 1).error(), Errno::EFAULT);
    EXPECT_EQ(IoBuffer::user(0).zero(0, 1).error(), Errno::EFAULT);
}

TEST(TypesTest, ModeConversions)
{
    using fs::VType;
    for (VType t : {VType::Regular, VType::Directory, VType::Symlink, VType::CharDevice,
                    VType::BlockDevice, VType::Fifo, VType::Socket})
        EXPECT_EQ(fs::mode_to_vtype(fs::vtype_to_mode(t) | 0644), t);
    EXPECT_EQ(fs::vtype_to_mode(VType::Directory), 0040000u);
    EXPECT_EQ(fs::vtype_to_mode(VType::Regular), 0100000u);
    EXPECT_EQ(fs::mode_to_vtype(0), VType::None);
    fs::Timespec a = fs::current_time(), b = fs::current_time();
    EXPECT_TRUE(b.sec > a.sec || (b.sec == a.sec && b.nsec >= a.nsec));
    EXPECT_LT(a.nsec, 1000000000);
}

} // namespace
