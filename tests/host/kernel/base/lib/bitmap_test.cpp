// tests/host/kernel/base/lib/bitmap_test.cpp -- Bitmap (kernel/base/lib/bitmap.h).
//
// Directed tests at word boundaries, and a randomized run against
// std::vector<bool> for every operation including the searches. The word
// array is one word longer than needed and that guard word must never change.
#include <kernel/base/lib/bitmap.h>

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace {

using kern::Bitmap;

constexpr u64 GUARD = 0x5a5a5a5a5a5a5a5aull;

// A bitmap of `bits` bits over a vector with one guard word after it.
struct Fixture {
    explicit Fixture(size_t bits) : words(Bitmap::words_for(bits) + 1, 0), map(words.data(), bits)
    {
        words.back() = GUARD;
    }
    bool guard_intact() const { return words.back() == GUARD; }
    std::vector<u64> words;
    Bitmap map;
};

TEST(Bitmap, WordsFor)
{
    EXPECT_EQ(Bitmap::words_for(0), 0u);
    EXPECT_EQ(Bitmap::words_for(1), 1u);
    EXPECT_EQ(Bitmap::words_for(64), 1u);
    EXPECT_EQ(Bitmap::words_for(65), 2u);
    static_assert(Bitmap::words_for(200) == 4);
}

TEST(Bitmap, SetClearTest)
{
    Fixture f(130);
    Bitmap& b = f.map;
    for (size_t i : {0u, 1u, 63u, 64u, 65u, 127u, 128u, 129u}) {
        EXPECT_FALSE(b.test(i));
        b.set(i);
        EXPECT_TRUE(b.test(i));
    }
    EXPECT_EQ(b.count_set(), 8u);
    EXPECT_EQ(f.words[0], 0x8000000000000003ull);
    b.clear(63);
    b.assign(64, false);
    b.assign(2, true);
    EXPECT_FALSE(b.test(63));
    EXPECT_FALSE(b.test(64));
    EXPECT_TRUE(b.test(2));
    EXPECT_EQ(b.count_set(), 7u);
    EXPECT_TRUE(f.guard_intact());
}

TEST(Bitmap, SetAllKeepsTailClear)
{
    Fixture f(70);
    f.map.set_all();
    EXPECT_EQ(f.map.count_set(), 70u);
    EXPECT_EQ(f.words[0], ~0ull);
    EXPECT_EQ(f.words[1], 0x3full); // bits 64..69 only
    EXPECT_EQ(f.map.find_first_clear(), Bitmap::NPOS);
    f.map.clear_all();
    EXPECT_EQ(f.map.count_set(), 0u);
    EXPECT_EQ(f.map.find_first_set(), Bitmap::NPOS);
    EXPECT_TRUE(f.guard_intact());
}

TEST(Bitmap, Ranges)
{
    Fixture f(256);
    Bitmap& b = f.map;
    b.set_range(60, 10); // crosses a word boundary
    EXPECT_EQ(b.count_set(), 10u);
    EXPECT_EQ(b.find_first_set(), 60u);
    EXPECT_EQ(b.find_first_clear(60), 70u);
    b.set_range(0, 256);
    EXPECT_EQ(b.count_set(), 256u);
    b.clear_range(64, 128); // exactly two whole words
    EXPECT_EQ(b.count_set(), 128u);
    EXPECT_EQ(f.words[1], 0u);
    EXPECT_EQ(f.words[2], 0u);
    b.clear_range(5, 0); // empty range: nothing
    EXPECT_TRUE(b.test(5));
    EXPECT_TRUE(f.guard_intact());
}

TEST(Bitmap, Searches)
{
    Fixture f(200);
    Bitmap& b = f.map;
    EXPECT_EQ(b.find_first_set(), Bitmap::NPOS);
    EXPECT_EQ(b.find_first_clear(), 0u);
    EXPECT_EQ(b.find_first_clear(199), 199u);
    EXPECT_EQ(b.find_first_clear(200), Bitmap::NPOS);
    b.set(150);
    EXPECT_EQ(b.find_first_set(), 150u);
    EXPECT_EQ(b.find_first_set(150), 150u);
    EXPECT_EQ(b.find_first_set(151), Bitmap::NPOS);
    b.set_range(0, 150);
    EXPECT_EQ(b.find_first_clear(), 151u);
    EXPECT_EQ(b.find_clear_run(49), 151u);
    EXPECT_EQ(b.find_clear_run(50), Bitmap::NPOS);
    b.clear_range(10, 3);
    EXPECT_EQ(b.find_clear_run(3), 10u);
    EXPECT_EQ(b.find_clear_run(4), 151u);
    EXPECT_EQ(b.find_clear_run(1, 11), 11u);
}

std::vector<bool> bits_of(const Bitmap& b)
{
    std::vector<bool> out(b.size());
    for (size_t i = 0; i < b.size(); ++i)
        out[i] = b.test(i);
    return out;
}

size_t oracle_find(const std::vector<bool>& v, size_t from, bool value)
{
    for (size_t i = from; i < v.size(); ++i)
        if (v[i] == value)
            return i;
    return Bitmap::NPOS;
}

size_t oracle_run(const std::vector<bool>& v, size_t count, size_t from)
{
    size_t run = 0;
    for (size_t i = from; i < v.size(); ++i) {
        run = v[i] ? 0 : run + 1;
        if (run == count)
            return i + 1 - count;
    }
    return Bitmap::NPOS;
}

TEST(Bitmap, RandomAgainstVectorBool)
{
    std::mt19937 rng(77);
    for (size_t bits : {1u, 63u, 64u, 65u, 200u, 1000u}) {
        Fixture f(bits);
        Bitmap& b = f.map;
        std::vector<bool> oracle(bits, false);
        for (int step = 0; step < 3000; ++step) {
            size_t i = rng() % bits;
            size_t n = rng() % (bits - i + 1);
            switch (rng() % 6) {
            case 0: b.set(i); oracle[i] = true; break;
            case 1: b.clear(i); oracle[i] = false; break;
            case 2: b.set_range(i, n); for (size_t j = i; j < i + n; ++j) oracle[j] = true; break;
            case 3: b.clear_range(i, n); for (size_t j = i; j < i + n; ++j) oracle[j] = false; break;
            default: break; // searches only
            }
            const size_t from = rng() % (bits + 2);
            ASSERT_EQ(b.find_first_set(from), oracle_find(oracle, from, true));
            ASSERT_EQ(b.find_first_clear(from), oracle_find(oracle, from, false));
            const size_t run = 1 + rng() % 20;
            ASSERT_EQ(b.find_clear_run(run, from), oracle_run(oracle, run, from)) << run << " " << from;
            if (step % 50 == 0) {
                ASSERT_EQ(bits_of(b), oracle);
                ASSERT_EQ(b.count_set(), size_t(std::count(oracle.begin(), oracle.end(), true)));
            }
        }
        EXPECT_TRUE(f.guard_intact());
    }
}

TEST(BitmapDeathTest, OutOfRangePanics)
{
    Fixture f(10);
    EXPECT_DEATH(f.map.set(10), "PANIC: assertion failed");
    EXPECT_DEATH((void)f.map.test(10), "PANIC: assertion failed");
    EXPECT_DEATH(f.map.set_range(5, 6), "PANIC: assertion failed");
}

} // namespace
