// tests/host/fs/ffs/ffs_dir_helpers.h -- the helpers of the directory-block
// tests (ffs_dir_test.cpp, ffs_dir_random_test.cpp): blocks as byte vectors,
// the fs/ffs/ffs_dir.h calls on them by name, and what a block holds.
#pragma once

#include <gtest/gtest.h>

#include <fs/ffs/ffs_dir.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace core = fs::ffs; // (a local named ffs would clash with ffs(3))

namespace ffsdirtest {

constexpr u32 kChunk = FFS_DIRBLKSIZ;
constexpr u32 kNinodes = 1000;
constexpr u32 kSelf = 5, kParent = 2;

inline kern::StringView sv(const std::string& s)
{
    return kern::StringView(s.data(), s.size());
}

// The check's verdict as a string: "" when sound (so a failure prints it).
inline std::string verdict(const std::vector<u8>& b, u32 ninodes = kNinodes)
{
    const char* why = core::dir_block_check(b.data(), u32(b.size()), ninodes);
    return why ? why : "";
}

inline std::vector<u8> empty_block(u32 bsize = 4096)
{
    std::vector<u8> b(bsize, 0xa5);
    core::dir_block_init(b.data(), bsize);
    return b;
}

inline std::vector<u8> first_block(u32 bsize = 4096)
{
    std::vector<u8> b(bsize, 0xa5);
    core::dir_block_init_first(b.data(), bsize, kSelf, kParent);
    return b;
}

inline const ffs_direct& at(const std::vector<u8>& b, i64 off)
{
    return core::dir_entry_at(b.data(), u32(off));
}

inline std::string name_at(const std::vector<u8>& b, i64 off)
{
    return std::string(at(b, off).d_name, at(b, off).d_namlen);
}

inline i64 add(std::vector<u8>& b, const std::string& name, u32 ino = 7)
{
    return core::dir_block_add(b.data(), u32(b.size()), sv(name), ino, FFS_DT_REG);
}

inline i64 find(const std::vector<u8>& b, const std::string& name)
{
    return core::dir_block_find(b.data(), u32(b.size()), sv(name));
}

inline void remove(std::vector<u8>& b, const std::string& name)
{
    i64 off = find(b, name);
    ASSERT_GE(off, 0) << name;
    core::dir_block_remove(b.data(), u32(b.size()), u32(off));
}

inline i64 next(const std::vector<u8>& b, u32 from)
{
    return core::dir_block_next(b.data(), u32(b.size()), from);
}

inline bool has_names(const std::vector<u8>& b)
{
    return core::dir_block_has_names(b.data(), u32(b.size()));
}

// Every live entry, offset -> name, by walking with dir_block_next.
inline std::map<u32, std::string> live(const std::vector<u8>& b)
{
    std::map<u32, std::string> out;
    for (i64 off = next(b, 0); off >= 0; off = next(b, u32(off) + at(b, off).d_reclen))
        out[u32(off)] = name_at(b, off);
    return out;
}

// A name of `n` copies of `c`.
inline std::string name_of(size_t n, char c = 'n')
{
    return std::string(n, c);
}

// Are the bytes of the record at `off` after its name's NUL all zero?
inline bool pad_is_zero(const std::vector<u8>& b, i64 off)
{
    const ffs_direct& d = at(b, off);
    for (u32 i = FFS_DIRECT_HEADER + d.d_namlen; i < d.d_reclen; i++)
        if (b[off + i] != 0)
            return false;
    return true;
}

} // namespace ffsdirtest
