// kernel/base/lib/bitmap.h -- a bitmap over an array of words the caller owns.
//
// What it is. `size` bits packed 64 to a word: bit i lives in word i / 64 at
// position i % 64 (bit 0 is the least significant bit of word 0). Used for
// allocation maps: swap slots, inode and block bitmaps in FFS, small ID
// allocators. The Bitmap object is a view (a pointer, a bit count); the words
// are the caller's -- a static array, part of a page, a field of a larger
// structure -- so nothing here allocates.
//
//   u64 words[Bitmap::words_for(200)];
//   Bitmap slots(words, 200);
//   slots.clear_all();
//   size_t i = slots.find_first_clear();       // Bitmap::NPOS when full
//   if (i != Bitmap::NPOS) slots.set(i);
//
// Invariant: bits at positions >= size in the last word are kept zero by
// every operation here (set_all included), so counting and searching can
// work a word at a time without masking the tail. (Words written by someone
// else must respect it too; clear_all() establishes it.)
//
// Interface: words_for (words needed for n bits), test/set/clear/assign,
// set_range/clear_range, set_all/clear_all, find_first_set/find_first_clear
// from a position, find_clear_run (the first run of n clear bits), count_set.
// Single-bit operations are O(1); searches, ranges and counts are
// O(bits / 64) and look at a whole word per step (count-trailing-zeros
// finds the bit inside a word).
//
// No atomics: callers serialize with their own lock.
//
// Read more: Linux include/linux/bitmap.h and lib/find_bit.c; FreeBSD
// bitstring(3). Ideas only; no code taken.
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/types.h>

namespace kern {

class Bitmap {
public:
    using Word = u64;
    static constexpr size_t BITS_PER_WORD = 64;
    static constexpr size_t NPOS = ~size_t(0);

    static constexpr size_t words_for(size_t bits) { return (bits + BITS_PER_WORD - 1) / BITS_PER_WORD; }

    constexpr Bitmap() = default;
    // View `bits` bits in `words` (which must hold words_for(bits) words).
    // The contents are left as they are.
    constexpr Bitmap(Word* words, size_t bits) : m_words(words), m_bits(bits) {}

    size_t size() const { return m_bits; }
    Word* words() const { return m_words; }

    // => index < size() for all of test/set/clear/assign.
    bool test(size_t index) const
    {
        KASSERT(index < m_bits);
        return (m_words[index / BITS_PER_WORD] >> (index % BITS_PER_WORD)) & 1;
    }
    void set(size_t index)
    {
        KASSERT(index < m_bits);
        m_words[index / BITS_PER_WORD] |= bit(index);
    }
    void clear(size_t index)
    {
        KASSERT(index < m_bits);
        m_words[index / BITS_PER_WORD] &= ~bit(index);
    }
    void assign(size_t index, bool value) { value ? set(index) : clear(index); }

    // Bits [start, start + count). => start + count <= size().
    void set_range(size_t start, size_t count) { fill_range(start, count, true); }
    void clear_range(size_t start, size_t count) { fill_range(start, count, false); }

    void clear_all()
    {
        for (size_t i = 0; i < word_count(); ++i)
            m_words[i] = 0;
    }
    void set_all()
    {
        clear_all();
        set_range(0, m_bits); // keeps the tail beyond size() zero
    }

    // The first set bit at a position >= from, or NPOS.
    size_t find_first_set(size_t from = 0) const { return find_from(from, false); }
    // The first clear bit at a position >= from (and < size()), or NPOS.
    size_t find_first_clear(size_t from = 0) const { return find_from(from, true); }

    // The start of the first run of `count` clear bits at or after `from`,
    // or NPOS. => count > 0. O(bits / 64 + count): each bit is looked at a
    // bounded number of times because the search restarts past a set bit.
    size_t find_clear_run(size_t count, size_t from = 0) const
    {
        KASSERT(count > 0);
        size_t start = find_first_clear(from);
        while (start != NPOS && start + count <= m_bits) {
            size_t blocker = find_first_set(start);
            if (blocker == NPOS || blocker >= start + count)
                return start;
            start = find_first_clear(blocker);
        }
        return NPOS;
    }

    // The number of set bits. O(bits / 64).
    size_t count_set() const
    {
        size_t n = 0;
        for (size_t i = 0; i < word_count(); ++i)
            n += popcount(m_words[i]);
        return n;
    }

private:
    static constexpr Word bit(size_t index) { return Word(1) << (index % BITS_PER_WORD); }
    size_t word_count() const { return words_for(m_bits); }

    // Bits [start, end) of one word set, 0 <= start < end <= 64.
    static constexpr Word mask(size_t start, size_t end)
    {
        Word upto_end = end == BITS_PER_WORD ? ~Word(0) : (Word(1) << end) - 1;
        return upto_end & ~((Word(1) << start) - 1);
    }

    void fill_range(size_t start, size_t count, bool value)
    {
        KASSERT(start <= m_bits && count <= m_bits - start);
        size_t pos = start;
        const size_t end = start + count;
        while (pos < end) {
            size_t word = pos / BITS_PER_WORD;
            size_t lo = pos % BITS_PER_WORD;
            size_t hi = min(end - word * BITS_PER_WORD, BITS_PER_WORD);
            Word m = mask(lo, hi);
            m_words[word] = value ? (m_words[word] | m) : (m_words[word] & ~m);
            pos = (word + 1) * BITS_PER_WORD;
        }
    }

    // Scan a word at a time for a set bit (or, with `invert`, a clear one):
    // invert the word, mask off the bits before `from`, and let
    // count-trailing-zeros name the first survivor.
    size_t find_from(size_t from, bool invert) const
    {
        if (from >= m_bits)
            return NPOS;
        size_t word = from / BITS_PER_WORD;
        Word w = (invert ? ~m_words[word] : m_words[word]) & ~(bit(from) - 1);
        for (;;) {
            if (w != 0) {
                size_t index = word * BITS_PER_WORD + size_t(__builtin_ctzll(w));
                return index < m_bits ? index : NPOS; // an inverted tail bit is not a bit
            }
            if (++word >= word_count())
                return NPOS;
            w = invert ? ~m_words[word] : m_words[word];
        }
    }

    // Set bits in a word, by adding neighbouring fields in parallel (1-bit
    // fields into 2-bit sums, then 4, then 8, then a multiply adds the
    // bytes). Written out because __builtin_popcountll without -mpopcnt
    // becomes a call into libgcc, which the kernel does not link.
    static size_t popcount(Word x)
    {
        x = x - ((x >> 1) & 0x5555555555555555ull);
        x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
        x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
        return size_t((x * 0x0101010101010101ull) >> 56);
    }

    Word* m_words = nullptr;
    size_t m_bits = 0;
};

} // namespace kern
