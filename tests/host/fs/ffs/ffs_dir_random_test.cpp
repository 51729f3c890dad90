// tests/host/fs/ffs/ffs_dir_random_test.cpp -- directory blocks under random
// operations: a random model (add/remove against a std::map, the block
// checked after every step) and a fuzz test (random and mutated blocks: the
// check must never read outside the block, and a block it passes must be
// safe to use). The hand-made cases: ffs_dir_test.cpp.
#include "ffs_dir_helpers.h"

using namespace ffsdirtest;

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
