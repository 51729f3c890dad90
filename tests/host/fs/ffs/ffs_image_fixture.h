// tests/host/fs/ffs/ffs_image_fixture.h -- an FFS image in memory for the
// tools' tests: made by ffs_mkfs, filled by a small hand-written builder
// (files with blocks at any logical block, directories, symlinks, device
// nodes), and checked by ffs_fsck, whose report comes back as a string.
//
// The builder keeps every invariant fsck checks (bitmaps, counts, link
// counts, di_blocks), so a test builds a sound tree, sees fsck call it
// clean, then breaks one thing by hand and sees fsck name it. It is no
// allocator: blocks and inodes come first-free from group 0 (or the group
// asked for), and a directory holds at most one block of entries.
#pragma once

#include "user/tools/ffs_lib.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace ffstest {

constexpr int64_t kNow = 1000000000;

class Image {
public:
    // A fresh file system of `size` bytes (fpg 0 / bsize 0: the defaults).
    explicit Image(uint64_t size, uint32_t fpg = 0, uint32_t bsize = 0, uint32_t bpi = 0)
        : m_bytes(size)
    {
        ffs_image_mem(&m_img, m_bytes.data(), size);
        ffs_mkfs_params p;
        memset(&p, 0, sizeof p);
        p.fpg = fpg;
        p.bsize = bsize;
        p.bytes_per_inode = bpi;
        p.now = kNow;
        char err[200] = "";
        m_mkfs_status = ffs_mkfs(&m_img, &p, &m_fs, err, sizeof err);
        m_mkfs_error = err;
    }

    int mkfs_status() const { return m_mkfs_status; }
    const std::string& mkfs_error() const { return m_mkfs_error; }
    const ffs_superblock& fs() const { return m_fs; }
    ffs_image* img() { return &m_img; }
    std::vector<uint8_t>& bytes() { return m_bytes; }

    // Run fsck; its report in `*report` (if not null). Returns its status.
    int fsck(bool readonly, std::string* report = nullptr)
    {
        char* buf = nullptr;
        size_t len = 0;
        FILE* out = open_memstream(&buf, &len);
        ffs_fsck_options opts;
        memset(&opts, 0, sizeof opts);
        opts.readonly = readonly;
        opts.max_reports = 1000;
        int status = ffs_fsck(&m_img, &opts, out);
        fclose(out);
        if (report)
            *report = std::string(buf, len);
        free(buf);
        return status;
    }

    std::string dumpfs()
    {
        char* buf = nullptr;
        size_t len = 0;
        FILE* out = open_memstream(&buf, &len);
        ffs_dumpfs(&m_img, out);
        fclose(out);
        std::string s(buf, len);
        free(buf);
        return s;
    }

    // ---- raw access ----------------------------------------------------------
    uint8_t* block(uint32_t bno) { return m_bytes.data() + (uint64_t)bno * m_fs.fs_bsize; }
    ffs_superblock* sb() { return reinterpret_cast<ffs_superblock*>(m_bytes.data() + FFS_SBOFF); }
    ffs_cg* cg(uint32_t g) { return reinterpret_cast<ffs_cg*>(block(ffs_cgtod(&m_fs, g))); }
    ffs_dinode* inode(uint32_t ino)
    {
        return reinterpret_cast<ffs_dinode*>(block(ffs_ino_to_fsba(&m_fs, ino))) +
               ffs_ino_to_fsbo(&m_fs, ino);
    }
    uint8_t* bmap(uint32_t g) { return block(ffs_cgbmap(&m_fs, g)); }
    uint8_t* imap(uint32_t g) { return block(ffs_cgimap(&m_fs, g)); }

    // ---- the builder -----------------------------------------------------------

    // The first free data block of group g, marked used and counted.
    uint32_t alloc_block(uint32_t g = 0)
    {
        uint32_t n = ffs_cg_nblocks(&m_fs, g);
        for (uint32_t i = m_fs.fs_dblkno; i < n; i++) {
            if (ffs_isset(bmap(g), i))
                continue;
            ffs_setbit(bmap(g), i);
            cg(g)->cg_cs.cs_nbfree--;
            sb()->fs_cstotal.cs_nbfree--;
            uint32_t bno = ffs_cgbase(&m_fs, g) + i;
            memset(block(bno), 0, m_fs.fs_bsize);
            return bno;
        }
        return 0;
    }

    // The first free inode of group g, of `mode`, link count 0, counted.
    uint32_t alloc_inode(uint16_t mode, uint32_t g = 0)
    {
        for (uint32_t i = 0; i < m_fs.fs_ipg; i++) {
            if (ffs_isset(imap(g), i))
                continue;
            ffs_setbit(imap(g), i);
            cg(g)->cg_cs.cs_nifree--;
            sb()->fs_cstotal.cs_nifree--;
            if ((mode & FFS_IFMT) == FFS_IFDIR) {
                cg(g)->cg_cs.cs_ndir++;
                sb()->fs_cstotal.cs_ndir++;
            }
            uint32_t ino = g * m_fs.fs_ipg + i;
            ffs_dinode* dp = inode(ino);
            memset(dp, 0, sizeof *dp);
            dp->di_mode = mode;
            dp->di_atime = dp->di_mtime = dp->di_ctime = kNow;
            dp->di_gen = 1;
            return ino;
        }
        return 0;
    }

    // Map logical block `lbn` of `ino` to `bno`, allocating indirect blocks.
    void set_block(uint32_t ino, uint64_t lbn, uint32_t bno, uint32_t g = 0)
    {
        ffs_dinode* dp = inode(ino);
        uint32_t unit = ffs_btodb(&m_fs, 1);
        dp->di_blocks += unit;
        if (lbn < FFS_NDADDR) {
            dp->di_db[lbn] = bno;
            return;
        }
        lbn -= FFS_NDADDR;
        uint64_t span = m_fs.fs_nindir;
        uint32_t level = 0;
        while (lbn >= span) {
            lbn -= span;
            span *= m_fs.fs_nindir;
            level++;
        }
        uint32_t* slot = &dp->di_ib[level];
        for (uint64_t below = span / m_fs.fs_nindir;; below /= m_fs.fs_nindir) {
            if (*slot == 0) {
                *slot = alloc_block(g);
                inode(ino)->di_blocks += unit;
            }
            slot = reinterpret_cast<uint32_t*>(block(*slot)) + lbn / below;
            lbn %= below;
            if (below == 1)
                break;
        }
        *slot = bno;
    }

    // Add entry `name` -> `ino` to directory `dir` (one block at most).
    void add_entry(uint32_t dir, const char* name, uint32_t ino, uint8_t type)
    {
        uint32_t namlen = (uint32_t)strlen(name), need = ffs_dirsiz(namlen);
        ffs_dinode* dp = inode(dir);
        uint8_t* data = block(dp->di_db[0]);
        for (uint32_t c = 0; c < dp->di_size / FFS_DIRBLKSIZ; c++) {
            uint8_t* chunk = data + c * FFS_DIRBLKSIZ;
            for (uint32_t off = 0; off < FFS_DIRBLKSIZ;) {
                auto* d = reinterpret_cast<ffs_direct*>(chunk + off);
                uint32_t used = d->d_ino ? ffs_dirsiz(d->d_namlen) : 0;
                if (d->d_reclen - used >= need) {
                    auto* n = reinterpret_cast<ffs_direct*>(chunk + off + used);
                    uint16_t reclen = (uint16_t)(d->d_reclen - used);
                    if (used)
                        d->d_reclen = (uint16_t)used;
                    fill(n, ino, type, name, reclen);
                    return;
                }
                off += d->d_reclen;
            }
        }
        // A new chunk in the directory's one block.
        uint32_t off = (uint32_t)dp->di_size;
        ASSERT_LT(off, m_fs.fs_bsize) << "the builder's directories hold one block";
        dp->di_size += FFS_DIRBLKSIZ;
        fill(reinterpret_cast<ffs_direct*>(data + off), ino, type, name, FFS_DIRBLKSIZ);
    }

    // A regular file `name` in `dir` with data blocks at each of `lbns`.
    uint32_t make_file(uint32_t dir, const char* name, const std::vector<uint64_t>& lbns,
                       uint64_t size, uint32_t g = 0)
    {
        uint32_t ino = alloc_inode(FFS_IFREG | 0644, g);
        for (uint64_t lbn : lbns)
            set_block(ino, lbn, alloc_block(g), g);
        inode(ino)->di_size = size;
        link(dir, name, ino);
        return ino;
    }

    uint32_t make_dir(uint32_t parent, const char* name, uint32_t g = 0)
    {
        uint32_t ino = alloc_inode(FFS_IFDIR | 0755, g);
        uint32_t bno = alloc_block(g);
        ffs_dinode* dp = inode(ino);
        dp->di_db[0] = bno;
        dp->di_blocks = ffs_btodb(&m_fs, 1);
        dp->di_size = FFS_DIRBLKSIZ;
        auto* dot = reinterpret_cast<ffs_direct*>(block(bno));
        fill(dot, ino, FFS_DT_DIR, ".", 12);
        fill(reinterpret_cast<ffs_direct*>(block(bno) + 12), parent, FFS_DT_DIR, "..",
             FFS_DIRBLKSIZ - 12);
        dp->di_nlink = 1;               // "."
        inode(parent)->di_nlink++;      // its ".."
        link(parent, name, ino);
        return ino;
    }

    uint32_t make_symlink(uint32_t dir, const char* name, const char* target)
    {
        uint32_t ino = alloc_inode(FFS_IFLNK | 0777);
        ffs_dinode* dp = inode(ino);
        size_t len = strlen(target);
        if (len < FFS_MAXSYMLINKLEN) {
            memcpy(reinterpret_cast<char*>(dp->di_db), target, len);
        } else {
            uint32_t bno = alloc_block();
            memcpy(block(bno), target, len);
            set_block(ino, 0, bno);
        }
        inode(ino)->di_size = len;
        link(dir, name, ino);
        return ino;
    }

    uint32_t make_node(uint32_t dir, const char* name, uint16_t mode, uint32_t rdev)
    {
        uint32_t ino = alloc_inode(mode);
        inode(ino)->di_db[0] = rdev;
        link(dir, name, ino);
        return ino;
    }

    void link(uint32_t dir, const char* name, uint32_t ino)
    {
        add_entry(dir, name, ino, ffs_mode_to_dtype(inode(ino)->di_mode));
        inode(ino)->di_nlink++;
    }

    // The entry `name` of directory `dir` (first block only), or null.
    ffs_direct* find_entry(uint32_t dir, const char* name)
    {
        ffs_dinode* dp = inode(dir);
        uint8_t* data = block(dp->di_db[0]);
        for (uint32_t off = 0; off < dp->di_size;) {
            auto* d = reinterpret_cast<ffs_direct*>(data + off);
            if (d->d_ino && d->d_namlen == strlen(name) && !memcmp(d->d_name, name, d->d_namlen))
                return d;
            off += d->d_reclen;
        }
        return nullptr;
    }

private:
    static void fill(ffs_direct* d, uint32_t ino, uint8_t type, const char* name, uint16_t reclen)
    {
        uint32_t namlen = (uint32_t)strlen(name);
        memset(d, 0, ffs_dirsiz(namlen));
        d->d_ino = ino;
        d->d_type = type;
        d->d_namlen = (uint8_t)namlen;
        d->d_reclen = reclen;
        memcpy(d->d_name, name, namlen);
    }

    std::vector<uint8_t> m_bytes;
    ffs_image m_img;
    ffs_superblock m_fs;
    int m_mkfs_status = 0;
    std::string m_mkfs_error;
};

// A small populated tree: /a (dir) /a/b (dir) /a/b/f (12 direct blocks)
// /big (direct + single + double indirect) /sparse (one block in the triple
// range) /s (short symlink) /l (long symlink) /null (char device) /p (FIFO).
struct Tree {
    uint32_t a, b, f, big, sparse, s, l, dev, fifo;
};

inline Tree populate(Image& im)
{
    const uint32_t nindir = im.fs().fs_nindir, bsize = im.fs().fs_bsize;
    Tree t;
    t.a = im.make_dir(FFS_ROOTINO, "a");
    t.b = im.make_dir(t.a, "b");
    std::vector<uint64_t> direct;
    for (uint64_t i = 0; i < FFS_NDADDR; i++)
        direct.push_back(i);
    t.f = im.make_file(t.b, "f", direct, FFS_NDADDR * bsize - 100);
    uint64_t dbl = FFS_NDADDR + nindir;   // the first double-indirect block
    t.big = im.make_file(FFS_ROOTINO, "big", { 0, 11, 12, dbl - 1, dbl, dbl + nindir },
                         (dbl + nindir + 1) * bsize);
    uint64_t triple = dbl + (uint64_t)nindir * nindir;
    t.sparse = im.make_file(FFS_ROOTINO, "sparse", { triple }, (triple + 1) * bsize);
    t.s = im.make_symlink(FFS_ROOTINO, "s", "a/b/f");
    t.l = im.make_symlink(FFS_ROOTINO, "l", std::string(100, 'x').c_str());
    t.dev = im.make_node(FFS_ROOTINO, "null", FFS_IFCHR | 0666, (1u << 8) | 3u);
    t.fifo = im.make_node(FFS_ROOTINO, "p", FFS_IFIFO | 0644, 0);
    return t;
}

} // namespace ffstest
