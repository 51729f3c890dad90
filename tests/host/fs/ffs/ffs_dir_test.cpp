// tests/host/fs/ffs/ffs_dir_test.cpp -- one directory block's entries
// (fs/ffs/ffs_dir.cpp): the empty and first blocks, first-fit add at every
// boundary (a 255-byte name, a chunk filled exactly, a name that fits only in
// a later chunk, a full block, 8192-byte blocks), remove's join and its
// unused first entry, offsets that never move (readdir's cookies), next from
// the middle of an entry, dir_block_check naming each kind of damage, a
// random model (add/remove against a std::map, the block checked after every
// step) and a fuzz test (random and mutated blocks: the check must never
// read outside the block, and a block it passes must be safe to use).
#include <gtest/gtest.h>

#include <fs/ffs/ffs_dir.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace core = fs::ffs; // (a local named ffs would clash with ffs(3))

namespace {

constexpr u32 kChunk = FFS_DIRBLKSIZ;
constexpr u32 kNinodes = 1000;
constexpr u32 kSelf = 5, kParent = 2;

kern::StringView sv(const std::string& s)
{
    return kern::StringView(s.data(), s.size());
}

// The check's verdict as a string: "" when sound (so a failure prints it).
std::string verdict(const std::vector<u8>& b, u32 ninodes = kNinodes)
{
    const char* why = core::dir_block_check(b.data(), u32(b.size()), ninodes);
    return why ? why : "";
}

std::vector<u8> empty_block(u32 bsize = 4096)
{
    std::vector<u8> b(bsize, 0xa5);
    core::dir_block_init(b.data(), bsize);
    return b;
}

std::vector<u8> first_block(u32 bsize = 4096)
{
    std::vector<u8> b(bsize, 0xa5);
    core::dir_block_init_first(b.data(), bsize, kSelf, kParent);
    return b;
}

const ffs_direct& at(const std::vector<u8>& b, i64 off)
{
    return core::dir_entry_at(b.data(), u32(off));
}

std::string name_at(const std::vector<u8>& b, i64 off)
{
    return std::string(at(b, off).d_name, at(b, off).d_namlen);
}

i64 add(std::vector<u8>& b, const std::string& name, u32 ino = 7)
{
    return core::dir_block_add(b.data(), u32(b.size()), sv(name), ino, FFS_DT_REG);
}

i64 find(const std::vector<u8>& b, const std::string& name)
{
    return core::dir_block_find(b.data(), u32(b.size()), sv(name));
}

void remove(std::vector<u8>& b, const std::string& name)
{
    i64 off = find(b, name);
    ASSERT_GE(off, 0) << name;
    core::dir_block_remove(b.data(), u32(b.size()), u32(off));
}

i64 next(const std::vector<u8>& b, u32 from)
{
    return core::dir_block_next(b.data(), u32(b.size()), from);
}

bool has_names(const std::vector<u8>& b)
{
    return core::dir_block_has_names(b.data(), u32(b.size()));
}

// Every live entry, offset -> name, by walking with dir_block_next.
std::map<u32, std::string> live(const std::vector<u8>& b)
{
    std::map<u32, std::string> out;
    for (i64 off = next(b, 0); off >= 0; off = next(b, u32(off) + at(b, off).d_reclen))
        out[u32(off)] = name_at(b, off);
    return out;
}

// A name of `n` copies of `c`.
std::string name_of(size_t n, char c = 'n')
{
    return std::string(n, c);
}

// Are the bytes of the record at `off` after its name's NUL all zero?
bool pad_is_zero(const std::vector<u8>& b, i64 off)
{
    const ffs_direct& d = at(b, off);
    for (u32 i = FFS_DIRECT_HEADER + d.d_namlen; i < d.d_reclen; i++)
        if (b[off + i] != 0)
            return false;
    return true;
}

} // namespace

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

// ---- the random model ------------------------------------------------------

namespace {

// Where a name needing `need` bytes should go, computed afresh: the first
// unused first entry or slack in block order that fits it; -1 if none.
i64 first_fit(const std::vector<u8>& b, u32 need)
{
    for (u32 c = 0; c < b.size(); c += kChunk) {
        for (u32 off = c; off < c + kChunk; off += at(b, off).d_reclen) {
            const ffs_direct& d = at(b, off);
            if (d.d_ino == 0 && d.d_reclen >= need)
                return off;
            if (d.d_ino != 0 && d.d_reclen - ffs_dirsiz(d.d_namlen) >= need)
                return off + ffs_dirsiz(d.d_namlen);
        }
    }
    return -1;
}

std::string random_name(std::mt19937& rng)
{
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789._-";
    size_t len = rng() % 4 == 0 ? 1 + rng() % FFS_MAXNAMLEN : 1 + rng() % 12;
    std::string s;
    for (size_t i = 0; i < len; i++)
        s += chars[rng() % (sizeof chars - 1)];
    return s;
}

void run_model(u32 bsize, int steps, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<u8> b = first_block(bsize);
    std::map<std::string, u32> model; // name -> ino
    std::map<std::string, i64> where; // name -> offset (must never change)
    int adds = 0, full = 0, removes = 0;
    for (int step = 0; step < steps; step++) {
        bool do_add = model.empty() || rng() % 100 < 55;
        if (do_add) {
            std::string name = random_name(rng);
            if (name == "." || name == ".." || model.count(name))
                continue;
            u32 ino = 3 + rng() % (kNinodes - 3);
            i64 want = first_fit(b, ffs_dirsiz(u32(name.size())));
            i64 off = add(b, name, ino);
            ASSERT_EQ(off, want) << "step " << step << " adding " << name;
            if (off < 0) {
                full++;
                continue;
            }
            adds++;
            model[name] = ino;
            where[name] = off;
        } else {
            auto it = model.begin();
            std::advance(it, rng() % model.size());
            std::string name = it->first;
            core::dir_block_remove(b.data(), bsize, u32(where[name]));
            model.erase(name);
            where.erase(name);
            removes++;
        }
        ASSERT_EQ(verdict(b), "") << "step " << step;
        std::map<u32, std::string> want{{0, "."}, {12, ".."}};
        for (auto& [name, ino] : model) {
            i64 off = find(b, name);
            ASSERT_EQ(off, where[name]) << "step " << step << ": " << name << " moved";
            ASSERT_EQ(at(b, off).d_ino, ino);
            want[u32(off)] = name;
        }
        ASSERT_EQ(live(b), want) << "step " << step;
        ASSERT_EQ(has_names(b), !model.empty());
    }
    // The walk exercised every path: adds, full blocks and removes.
    EXPECT_GT(adds, steps / 5);
    EXPECT_GT(full, 0);
    EXPECT_GT(removes, steps / 5);
}

} // namespace

TEST(FfsDirModel, RandomAddRemove4096)
{
    run_model(4096, 4000, 1);
}

TEST(FfsDirModel, RandomAddRemove8192)
{
    run_model(8192, 3000, 2);
}

// ---- fuzz -------------------------------------------------------------------

namespace {

// A block of plausible entries with random faults: records of random
// multiple-of-4 lengths (sometimes not), random inodes (sometimes 0 or out of
// range), names of random lengths (sometimes past the record), random bytes.
std::vector<u8> plausible_block(std::mt19937& rng, u32 bsize)
{
    std::vector<u8> b(bsize);
    for (auto& byte : b)
        byte = u8(rng());
    for (u32 c = 0; c < bsize; c += kChunk) {
        u32 off = 0;
        while (kChunk - off >= 12) {
            u32 room = kChunk - off;
            u32 reclen = rng() % 3 == 0 ? room : 12 + 4 * (rng() % ((room - 12) / 4 + 1));
            if (rng() % 50 == 0)
                reclen += rng() % 8;
            ffs_direct& d = core::dir_entry_at(b.data(), c + off);
            d.d_reclen = u16(reclen);
            d.d_ino = off == 0 && rng() % 4 == 0 ? 0 : rng() % (kNinodes + kNinodes / 50);
            u32 maxname = reclen >= 12 ? reclen - 9 : 0;
            d.d_namlen = u8(1 + rng() % std::min(maxname + (rng() % 30 == 0 ? 4 : 0), 255u));
            for (u32 i = 0; i < d.d_namlen && FFS_DIRECT_HEADER + i < room; i++)
                d.d_name[i] = char('a' + rng() % 26);
            if (FFS_DIRECT_HEADER + d.d_namlen < room && rng() % 40 != 0)
                d.d_name[d.d_namlen] = '\0';
            if (rng() % 60 == 0 && d.d_namlen > 0)
                d.d_name[rng() % d.d_namlen] = rng() % 2 ? '/' : '\0';
            off += reclen;
            if (reclen % 4 != 0 || off > kChunk)
                break;
        }
    }
    return b;
}

// Use a block the check passed: every reader, then an add and a remove,
// after which it must still be sound.
void exercise(std::vector<u8>& b, std::mt19937& rng)
{
    u32 bsize = u32(b.size());
    core::dir_block_has_names(b.data(), bsize);
    core::dir_block_find(b.data(), bsize, "abc");
    for (int i = 0; i < 16; i++)
        core::dir_block_next(b.data(), bsize, rng() % (bsize + 16));
    std::map<u32, std::string> entries = live(b);
    for (auto& [off, name] : entries)
        ASSERT_EQ(find(b, name) >= 0, true);
    std::string name = random_name(rng);
    add(b, name);
    ASSERT_EQ(verdict(b), "") << "after adding";
    entries = live(b);
    if (!entries.empty()) {
        auto it = entries.begin();
        std::advance(it, rng() % entries.size());
        core::dir_block_remove(b.data(), bsize, it->first);
        ASSERT_EQ(verdict(b), "") << "after removing";
    }
}

} // namespace

TEST(FfsDirFuzz, CheckNeverReadsOutsideAndPassedBlocksAreSafe)
{
    // Each block is its own exactly-sized heap allocation, so ASan catches
    // a read one byte past its end.
    std::mt19937 rng(7);
    int passed = 0;
    for (int round = 0; round < 20000; round++) {
        u32 bsize = rng() % 2 ? 4096 : 8192;
        std::vector<u8> b;
        switch (round % 4) {
        case 0: // pure noise
            b.resize(bsize);
            for (auto& byte : b)
                byte = u8(rng());
            break;
        case 1: // a sound block with a few bytes flipped
            b = first_block(bsize);
            for (int i = 0; i < 40; i++)
                add(b, random_name(rng));
            for (int i = 1 + rng() % 4; i > 0; i--)
                b[rng() % bsize] ^= u8(1 + rng() % 255);
            break;
        default: // plausible entries with occasional faults
            b = plausible_block(rng, bsize);
            break;
        }
        if (core::dir_block_check(b.data(), bsize, kNinodes) != nullptr)
            continue;
        passed++;
        exercise(b, rng);
        if (HasFatalFailure())
            return;
    }
    // Enough blocks got through for the second half to mean something.
    EXPECT_GT(passed, 200);
}
