// tests/host/fs/procfs/maps_line_test.cpp -- fs/procfs/maps_line.h: one line of
// /proc/<pid>/maps, checked against lines copied from Linux's (6.x, x86-64).
#include <fs/procfs/maps_line.h>

#include <gtest/gtest.h>
#include <string>

using fs::procfs::format_maps_line;
using fs::procfs::MapsLine;
using fs::procfs::MAPS_LINE_MAX;

namespace {

std::string format(const MapsLine& line)
{
    char buf[MAPS_LINE_MAX];
    size_t n = format_maps_line(line, buf, sizeof buf);
    EXPECT_LT(n, sizeof buf);
    EXPECT_EQ(buf[n], '\0');
    return std::string(buf, n);
}

MapsLine line(uptr start, uptr end, const char* perms, u64 offset = 0, const char* name = nullptr)
{
    MapsLine l;
    l.start = start;
    l.end = end;
    l.offset = offset;
    l.read = perms[0] == 'r';
    l.write = perms[1] == 'w';
    l.exec = perms[2] == 'x';
    l.shared = perms[3] == 's';
    l.name = name;
    return l;
}

} // namespace

TEST(MapsLine, AnonymousEndsWithTheSpaceAfterTheInode)
{
    EXPECT_EQ(format(line(0x7fd237cfb000, 0x7fd237dbf000, "rw-p")),
              "7fd237cfb000-7fd237dbf000 rw-p 00000000 00:00 0 \n");
}

TEST(MapsLine, NamePaddedToColumn73)
{
    std::string s = format(line(0x56419aafe000, 0x56419ab1f000, "rw-p", 0, "[heap]"));
    EXPECT_EQ(s, "56419aafe000-56419ab1f000 rw-p 00000000 00:00 0                          [heap]\n");
    EXPECT_EQ(s.find("[heap]"), 73u);
}

TEST(MapsLine, ShortAddressesHaveEightDigitsAndTheSamePadding)
{
    std::string s = format(line(0x400000, 0x452000, "r-xp", 0x1000, "[stack]"));
    EXPECT_EQ(s.substr(0, 32), "00400000-00452000 r-xp 00001000 ");
    EXPECT_EQ(s.find("[stack]"), 73u);
    EXPECT_EQ(s.back(), '\n');
}

TEST(MapsLine, PermsAndSharing)
{
    EXPECT_EQ(format(line(0x10000, 0x11000, "---p")).substr(18, 5), "---p ");
    EXPECT_EQ(format(line(0x10000, 0x11000, "r--s")).substr(18, 5), "r--s ");
    EXPECT_EQ(format(line(0x10000, 0x11000, "rwxp")).substr(18, 5), "rwxp ");
}

TEST(MapsLine, ASmallBufferIsCutAsSnprintf)
{
    char buf[20];
    size_t n = format_maps_line(line(0x400000, 0x452000, "r-xp", 0, "[heap]"), buf, sizeof buf);
    EXPECT_EQ(n, 80u);
    EXPECT_EQ(std::string(buf), "00400000-00452000 r");
}
