// tests/host/fs/ffs/ffs_dir_test.cpp -- one directory block's entries
// (fs/ffs/ffs_dir.cpp): the empty and first blocks, first-fit add at every
// boundary (a 255-byte name, a chunk filled exactly, a name that fits only in
// a later chunk, a full block, 8192-byte blocks), remove's join and its
// unused first entry, offsets that never move (readdir's cookies), next from
// the middle of an entry, dir_block_check naming each kind of damage. The
// random model and the fuzz test: ffs_dir_random_test.cpp.
#include "ffs_dir_helpers.h"

using namespace ffsdirtest;

// ---- empty and first blocks ----------------------------------------------

TEST(FfsDirInit, EmptyBlockIsOneUnusedEntryPerChunk)
{
    for (u32 bsize : {4096u, 8192u}) {
        std::vector<u8> b = empty_block(bsize);
        EXPECT_EQ(verdict(b), "");
        for (u32 c = 0; c < bsize; c += kChunk) {
            EXPECT_EQ(at(b, c).d_ino, 0u);
            EXPECT_EQ(at(b, c).d_reclen, kChunk);
        }
        EXPECT_EQ(next(b, 0), -1);
        EXPECT_FALSE(has_names(b));
        EXPECT_EQ(find(b, "."), -1);
    }
}

TEST(FfsDirInit, FirstBlockHoldsDotAndDotDot)
{
    for (u32 bsize : {4096u, 8192u}) {
        std::vector<u8> b = first_block(bsize);
        EXPECT_EQ(verdict(b), "");
        EXPECT_EQ(find(b, "."), 0);
        EXPECT_EQ(find(b, ".."), 12);
        EXPECT_EQ(at(b, 0).d_ino, kSelf);
        EXPECT_EQ(at(b, 0).d_reclen, 12u);
        EXPECT_EQ(at(b, 0).d_type, FFS_DT_DIR);
        EXPECT_EQ(at(b, 12).d_ino, kParent);
        EXPECT_EQ(at(b, 12).d_reclen, kChunk - 12);
        EXPECT_EQ(at(b, 12).d_type, FFS_DT_DIR);
        EXPECT_TRUE(pad_is_zero(b, 0));
        EXPECT_TRUE(pad_is_zero(b, 12));
        for (u32 c = kChunk; c < bsize; c += kChunk)
            EXPECT_EQ(at(b, c).d_ino, 0u);
        EXPECT_FALSE(has_names(b));
        EXPECT_EQ((live(b)), (std::map<u32, std::string>{{0, "."}, {12, ".."}}));
    }
}

// ---- add -------------------------------------------------------------------

TEST(FfsDirAdd, SplitsTheFirstSlack)
{
    std::vector<u8> b = first_block();
    i64 off = core::dir_block_add(b.data(), 4096, "notes.txt", 42, FFS_DT_REG);
    ASSERT_EQ(off, 24);
    EXPECT_EQ(at(b, 12).d_reclen, 12u); // ".." keeps just its own size
    EXPECT_EQ(at(b, off).d_ino, 42u);
    EXPECT_EQ(at(b, off).d_type, FFS_DT_REG);
    EXPECT_EQ(at(b, off).d_namlen, 9u);
    EXPECT_EQ(at(b, off).d_reclen, kChunk - 24);
    EXPECT_EQ(at(b, off).d_name[9], '\0');
    EXPECT_TRUE(pad_is_zero(b, off));
    EXPECT_EQ(find(b, "notes.txt"), off);
    EXPECT_EQ(find(b, "notes.tx"), -1);
    EXPECT_EQ(find(b, "notes.txt2"), -1);
    EXPECT_TRUE(has_names(b));
    EXPECT_EQ(verdict(b), "");
}

TEST(FfsDirAdd, TakesAnUnusedFirstEntryInPlace)
{
    std::vector<u8> b = empty_block();
    EXPECT_EQ(add(b, "a"), 0);
    EXPECT_EQ(at(b, 0).d_reclen, kChunk);
    EXPECT_EQ(add(b, "b"), 12);
    EXPECT_EQ(at(b, 0).d_reclen, 12u);
    EXPECT_EQ(at(b, 12).d_reclen, kChunk - 12);
    EXPECT_EQ(verdict(b), "");
}

TEST(FfsDirAdd, LongestName)
{
    std::vector<u8> b = first_block();
    std::string longest = name_of(FFS_MAXNAMLEN, 'L');
    ASSERT_EQ(ffs_dirsiz(FFS_MAXNAMLEN), 264u);
    i64 off = add(b, longest);
    ASSERT_EQ(off, 24);
    EXPECT_EQ(at(b, off).d_namlen, FFS_MAXNAMLEN);
    EXPECT_EQ(at(b, off).d_name[FFS_MAXNAMLEN], '\0');
    EXPECT_EQ(find(b, longest), off);
    EXPECT_EQ(name_at(b, off), longest);
    EXPECT_EQ(verdict(b), "");
    // 24 + 264 = 288 leaves 224 bytes in chunk 0: the next long name goes on.
    EXPECT_EQ(add(b, name_of(FFS_MAXNAMLEN, 'M')), 512);
    EXPECT_EQ(verdict(b), "");
}

TEST(FfsDirAdd, FillsAChunkExactlyThenMovesOn)
{
    std::vector<u8> b = empty_block();
    // 16 names of 20 bytes need ffs_dirsiz(20) = 32 bytes each: 512 exactly.
    ASSERT_EQ(ffs_dirsiz(20), 32u);
    for (int i = 0; i < 16; i++)
        ASSERT_EQ(add(b, name_of(20, char('a' + i))), 32 * i);
    EXPECT_EQ(at(b, 15 * 32).d_reclen, 32u); // the last one ends at the chunk's end
    EXPECT_EQ(verdict(b), "");
    // Not even a 1-byte name fits in chunk 0 now.
    EXPECT_EQ(add(b, "x"), 512);
    EXPECT_EQ(verdict(b), "");
}

TEST(FfsDirAdd, NameThatFitsOnlyInALaterChunk)
{
    std::vector<u8> b = empty_block();
    ASSERT_EQ(add(b, name_of(255, 'a')), 0);   // record 264, slack 248
    ASSERT_EQ(add(b, name_of(200, 'b')), 264); // needs 212: slack 36 left
    EXPECT_EQ(at(b, 264).d_reclen, 248u);
    EXPECT_EQ(add(b, name_of(255, 'c')), 512); // 264 fits no slack of chunk 0
    EXPECT_EQ(add(b, "x"), 264 + 212);         // a short name still does
    EXPECT_EQ(verdict(b), "");
}

TEST(FfsDirAdd, FullBlockReturnsMinusOne)
{
    for (u32 bsize : {4096u, 8192u}) {
        std::vector<u8> b = empty_block(bsize);
        // One 264-byte entry per chunk; the 248 bytes after it fit no other.
        for (u32 c = 0; c < bsize / kChunk; c++)
            ASSERT_EQ(add(b, name_of(255, char('A' + c))), i64(c * kChunk));
        EXPECT_EQ(add(b, name_of(255, 'z')), -1);
        EXPECT_EQ(verdict(b), "");
        // A name that needs 248 bytes (namlen 239) still fits: first chunk.
        EXPECT_EQ(add(b, name_of(239, 'y')), 264);
        EXPECT_EQ(verdict(b), "");
    }
}

TEST(FfsDirAdd, BigBlockUsesEveryChunk)
{
    std::vector<u8> b = first_block(8192);
    std::map<u32, std::string> want{{0, "."}, {12, ".."}};
    // Names of 106-107 bytes take 116 each: 4 per chunk, 64 in the block.
    for (int i = 0; i < 64; i++) {
        std::string name = "file-" + std::to_string(i) + name_of(100, 'p');
        i64 off = add(b, name);
        ASSERT_GE(off, 0) << i;
        want[u32(off)] = name;
    }
    EXPECT_GT(want.rbegin()->first, 15 * kChunk); // reached the last chunk
    EXPECT_EQ(add(b, "file-64" + name_of(100, 'p')), -1);
    EXPECT_EQ(verdict(b), "");
    EXPECT_EQ(live(b), want);
}

// ---- remove ----------------------------------------------------------------

TEST(FfsDirRemove, JoinsToThePreviousEntry)
{
    std::vector<u8> b = first_block();
    i64 a = add(b, "a"), bb = add(b, "bb"), c = add(b, "ccc");
    ASSERT_EQ(a, 24);
    ASSERT_EQ(bb, 36);
    ASSERT_EQ(c, 48);
    remove(b, "bb");
    EXPECT_EQ(at(b, a).d_reclen, 24u); // its 12 and bb's 12
    EXPECT_EQ(find(b, "bb"), -1);
    EXPECT_EQ(find(b, "ccc"), c);
    EXPECT_TRUE(pad_is_zero(b, a)); // the removed name does not linger
    EXPECT_EQ(verdict(b), "");
    remove(b, "ccc");
    EXPECT_EQ(at(b, a).d_reclen, kChunk - 24);
    remove(b, "a");
    EXPECT_EQ(at(b, 12).d_reclen, kChunk - 12);
    EXPECT_FALSE(has_names(b));
    EXPECT_EQ(verdict(b), "");
}

TEST(FfsDirRemove, ChunkFirstEntryBecomesUnusedThenTakesANameAgain)
{
    std::vector<u8> b = empty_block();
    ASSERT_EQ(add(b, "first"), 0); // ffs_dirsiz(5) = 16
    ASSERT_EQ(add(b, "second"), 16);
    remove(b, "first");
    EXPECT_EQ(at(b, 0).d_ino, 0u);
    EXPECT_EQ(at(b, 0).d_reclen, 16u); // kept: "second" does not move
    EXPECT_EQ(verdict(b), "");
    EXPECT_EQ(find(b, "first"), -1);
    EXPECT_EQ(next(b, 0), 16);
    EXPECT_TRUE(has_names(b));
    // A name needing more than 16 bytes goes to "second"'s slack instead.
    EXPECT_EQ(add(b, "longer-name"), 32);
    // One that fits takes the unused entry, keeping its record length.
    EXPECT_EQ(add(b, "seven77"), 0); // ffs_dirsiz(7) = 16
    EXPECT_EQ(at(b, 0).d_reclen, 16u);
    EXPECT_EQ(at(b, 0).d_ino, 7u);
    EXPECT_EQ(verdict(b), "");
}

TEST(FfsDirRemove, OnlyEntryOfALaterChunk)
{
    std::vector<u8> b = first_block();
    std::vector<u8> fresh = first_block();
    ASSERT_EQ(add(b, name_of(255)), 24);
    ASSERT_EQ(add(b, name_of(255, 'm')), 512); // chunk 1, reclen 512
    remove(b, name_of(255, 'm'));
    remove(b, name_of(255));
    EXPECT_EQ(b, fresh); // back to the very bytes of a new directory
}

TEST(FfsDirRemove, OffsetsNeverMove)
{
    std::vector<u8> b = first_block();
    std::map<std::string, i64> where;
    for (int i = 0; i < 80; i++) {
        std::string name = "entry" + std::to_string(i) + name_of(size_t(i % 23), 'q');
        where[name] = add(b, name);
        ASSERT_GE(where[name], 0);
    }
    // Remove every third, then add new names: the rest stay put.
    int i = 0;
    for (auto it = where.begin(); it != where.end(); i++) {
        if (i % 3 == 0) {
            remove(b, it->first);
            it = where.erase(it);
        } else {
            ++it;
        }
    }
    for (int j = 0; j < 30; j++)
        ASSERT_GE(add(b, "new" + std::to_string(j)), 0);
    for (auto& [name, off] : where)
        EXPECT_EQ(find(b, name), off) << name;
    EXPECT_EQ(verdict(b), "");
}

// ---- next, find, has_names -------------------------------------------------

TEST(FfsDirNext, FromEveryOffsetIncludingMidEntry)
{
    std::vector<u8> b = first_block();
    for (int i = 0; i < 30; i++)
        ASSERT_GE(add(b, "n" + std::to_string(i) + name_of(size_t(i * 7 % 40))), 0);
    // Remove two: their offsets now lie inside the previous entry's record,
    // as a readdir cookie of a removed entry would.
    i64 removed = find(b, "n3" + name_of(21));
    ASSERT_GE(removed, 0);
    remove(b, "n3" + name_of(21));
    remove(b, "n10" + name_of(70 % 40));
    ASSERT_EQ(verdict(b), "");
    std::map<u32, std::string> entries = live(b);
    for (u32 from = 0; from <= 4096 + 3; from++) {
        auto it = entries.lower_bound(from);
        i64 want = it == entries.end() ? -1 : i64(it->first);
        ASSERT_EQ(next(b, from), want) << "from " << from;
    }
    // The cookie of a removed entry resumes at the entry after it.
    auto after = entries.upper_bound(u32(removed));
    EXPECT_EQ(next(b, u32(removed)), i64(after->first));
    EXPECT_EQ(next(b, ~0u), -1);
}

TEST(FfsDirFind, ExactNamesOnlyAndDotNamesAreNotNames)
{
    std::vector<u8> b = first_block();
    EXPECT_FALSE(has_names(b));
    ASSERT_GE(add(b, "..."), 0);
    EXPECT_TRUE(has_names(b)); // "..." is an ordinary name
    remove(b, "...");
    ASSERT_GE(add(b, ".a"), 0);
    EXPECT_TRUE(has_names(b));
    EXPECT_EQ(find(b, "."), 0);
    EXPECT_EQ(find(b, ".."), 12);
    EXPECT_EQ(find(b, ".a"), 24);
    EXPECT_EQ(find(b, ".b"), -1);
    EXPECT_EQ(find(b, ".a."), -1);
    remove(b, ".a");
    EXPECT_FALSE(has_names(b));
    // A block without "." and ".." (a later block of a directory).
    std::vector<u8> e = empty_block();
    ASSERT_GE(add(e, "x"), 0);
    EXPECT_TRUE(has_names(e));
}

// ---- the check -------------------------------------------------------------

namespace {

// A sound block: ".", "..", then "alpha" (24), "beta" (40), a 255-byte
// name (56, the last of chunk 0, slack 192) and another alone in chunk 1.
std::vector<u8> sample()
{
    std::vector<u8> b = first_block();
    EXPECT_EQ(add(b, "alpha"), 24);
    EXPECT_EQ(add(b, "beta"), 40);
    EXPECT_EQ(add(b, name_of(255, 'g')), 56);
    EXPECT_EQ(add(b, name_of(255, 'd')), 512);
    EXPECT_EQ(verdict(b), "");
    return b;
}

ffs_direct& entry(std::vector<u8>& b, u32 off)
{
    return core::dir_entry_at(b.data(), off);
}

// Expect `b` refused with a reason that mentions `words`.
void expect_refused(const std::vector<u8>& b, const std::string& words, u32 ninodes = kNinodes)
{
    std::string why = verdict(b, ninodes);
    EXPECT_NE(why, "");
    EXPECT_NE(why.find(words), std::string::npos) << "reason: " << why;
}

} // namespace

TEST(FfsDirCheck, RejectsEachKindOfDamage)
{
    {
        auto b = sample();
        entry(b, 40).d_reclen = 0;
        expect_refused(b, "too short");
    }
    {
        auto b = sample();
        entry(b, 40).d_reclen = 8; // a header with no room for a NUL
        expect_refused(b, "too short");
    }
    {
        auto b = sample();
        entry(b, 40).d_reclen = 13;
        expect_refused(b, "multiple of 4");
    }
    {
        auto b = sample();
        entry(b, 56).d_reclen = u16(entry(b, 56).d_reclen + 4); // past chunk 0
        expect_refused(b, "past the end of its chunk");
    }
    {
        auto b = sample();
        entry(b, 512).d_reclen = 516; // past chunk 1 (and would cross)
        expect_refused(b, "past the end of its chunk");
    }
    {
        auto b = sample();
        entry(b, 56).d_reclen = u16(entry(b, 56).d_reclen - 8); // an 8-byte hole at the end
        expect_refused(b, "gap");
    }
    {
        auto b = sample();
        entry(b, 24).d_namlen = 20; // "alpha"'s record is 16 bytes
        expect_refused(b, "runs past");
    }
    {
        auto b = sample();
        entry(b, 40).d_ino = kNinodes;
        expect_refused(b, "out of range");
    }
    {
        auto b = sample();
        entry(b, 40).d_ino = kNinodes - 1; // the last inode is fine
        EXPECT_EQ(verdict(b), "");
    }
    {
        auto b = sample();
        entry(b, 40).d_name[1] = '/';
        expect_refused(b, "'/'");
    }
    {
        auto b = sample();
        entry(b, 40).d_name[1] = '\0';
        expect_refused(b, "contains a NUL");
    }
    {
        auto b = sample();
        entry(b, 40).d_name[4] = 'x'; // "beta" not NUL-terminated
        expect_refused(b, "NUL-terminated");
    }
    {
        auto b = sample();
        entry(b, 40).d_namlen = 0;
        expect_refused(b, "empty name");
    }
    {
        auto b = sample();
        entry(b, 40).d_ino = 0; // unused, but not the chunk's first
        expect_refused(b, "not its chunk's first");
    }
    {
        auto b = sample();
        entry(b, 4096 - kChunk).d_reclen = 12; // damage in the last chunk only
        expect_refused(b, "too short");
    }
}

TEST(FfsDirCheck, BlockSizeAndLastChunkOfABigBlock)
{
    std::vector<u8> b = empty_block(8192);
    EXPECT_EQ(verdict(b), "");
    EXPECT_NE(core::dir_block_check(b.data(), 4000, kNinodes), nullptr);
    EXPECT_NE(core::dir_block_check(b.data(), 0, kNinodes), nullptr);
    entry(b, 8192 - kChunk).d_reclen = 516;
    expect_refused(b, "past the end of its chunk");
    // The unused first entry's name is not looked at.
    std::vector<u8> c = empty_block(8192);
    entry(c, kChunk).d_namlen = 200;
    entry(c, kChunk).d_name[0] = '/';
    EXPECT_EQ(verdict(c), "");
}
