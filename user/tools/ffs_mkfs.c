/*
 * user/tools/ffs_mkfs.c -- ffs_mkfs, the heart of newfs: lay an empty FFS
 * out on an image (4.4BSD sbin/newfs/mkfs.c in spirit; our own code).
 *
 * Two steps. First the geometry: from the image's size, the block size, the
 * blocks per group and the bytes per inode, compute the superblock --
 * how many groups, how many inodes in each, where each group's data area
 * starts. Then the writing, group by group: the superblock copy, the group
 * header with its counts, both bitmaps with the metadata blocks marked in
 * use, and a zeroed inode table. Last, the root directory (inode 2) and
 * lost+found (inode 3), one data block each at the start of group 0's data
 * area, and the primary superblock.
 *
 * Data blocks are never written: a fresh file on the host stays sparse, and
 * mount_mfs's fresh anonymous memory is not touched beyond the metadata.
 *
 * The format: fs/ffs/ffs_format.h; the choices: docs/ffs.md.
 */
#define _POSIX_C_SOURCE 200809L
#include "ffs_lib.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_BSIZE 4096u
#define DEFAULT_BYTES_PER_INODE 8192u
#define DEFAULT_FPG 4096u
#define DEFAULT_MINFREE 5u
#define LOST_FOUND_INO 3u

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* Fill `fs` with the geometry for `params` on an image of `image_bytes`. */
static int compute_geometry(const struct ffs_mkfs_params *p, uint64_t image_bytes,
                            struct ffs_superblock *fs, char *err, size_t errlen)
{
    uint32_t bsize = p->bsize ? p->bsize : DEFAULT_BSIZE;
    uint32_t bpi = p->bytes_per_inode ? p->bytes_per_inode : DEFAULT_BYTES_PER_INODE;
    uint32_t fpg = p->fpg ? p->fpg : DEFAULT_FPG;
    uint64_t bytes = p->size ? p->size : image_bytes;

    if (bsize != 4096u && bsize != 8192u)
        return fail(err, errlen, "block size %u: must be 4096 or 8192", bsize);
    if (bytes > image_bytes)
        return fail(err, errlen, "size %llu is larger than the image (%llu bytes)",
                    (unsigned long long)bytes, (unsigned long long)image_bytes);
    if (bpi < 512u || bpi > 64u * 1024 * 1024)
        return fail(err, errlen, "bytes per inode %u: must be 512..64M", bpi);
    if (fpg > 8u * bsize)
        return fail(err, errlen, "%u blocks per group: at most %u (one bitmap block)", fpg,
                    8u * bsize);
    if (p->minfree > 99u)
        return fail(err, errlen, "minfree %u%%: at most 99", p->minfree);
    uint64_t nblocks = bytes / bsize;
    if (nblocks > 0xffffffffu)
        return fail(err, errlen, "image too large for 32-bit block numbers");

    memset(fs, 0, sizeof *fs);
    fs->fs_magic = FFS_MAGIC;
    fs->fs_version = FFS_VERSION;
    fs->fs_bsize = bsize;
    fs->fs_bshift = bsize == 4096u ? 12u : 13u;
    fs->fs_inopb = bsize / FFS_DINODE_SIZE;
    fs->fs_nindir = bsize / 4u;
    fs->fs_bootblocks = FFS_SBOFF / bsize;
    fs->fs_sblkno = FFS_SBLKNO;
    fs->fs_cblkno = FFS_CBLKNO;
    fs->fs_imapno = FFS_IMAPNO;
    fs->fs_bmapno = FFS_BMAPNO;
    fs->fs_iblkno = FFS_IBLKNO;
    if (nblocks <= fs->fs_bootblocks)
        return fail(err, errlen, "image of %llu bytes is too small", (unsigned long long)bytes);

    /* One short group if the image is smaller than one group. */
    uint64_t avail = nblocks - fs->fs_bootblocks;
    if (fpg > avail)
        fpg = (uint32_t)avail;
    /* Inodes per group: by density, in whole inode-table blocks, at most one
     * bitmap's worth. */
    uint64_t ipg = ((uint64_t)fpg * bsize / bpi + fs->fs_inopb - 1) / fs->fs_inopb * fs->fs_inopb;
    if (ipg < fs->fs_inopb)
        ipg = fs->fs_inopb;
    if (ipg > 8u * bsize)
        ipg = 8u * bsize;
    fs->fs_fpg = fpg;
    fs->fs_ipg = (uint32_t)ipg;
    fs->fs_dblkno = fs->fs_iblkno + fs->fs_ipg / fs->fs_inopb;
    /* Group 0 needs room for the root directory and lost+found. */
    if (fpg < fs->fs_dblkno + 2u)
        return fail(err, errlen,
                    "image of %llu bytes is too small: a group needs %u metadata blocks and 2 "
                    "data blocks (try a larger -i)",
                    (unsigned long long)bytes, fs->fs_dblkno);

    /* Whole groups, then a last partial group if it has any data block. */
    uint64_t ncg = (avail + fpg - 1) / fpg;
    uint64_t last = avail - (ncg - 1) * fpg;
    if (last <= fs->fs_dblkno)
        ncg--, last = fpg;
    if (ncg * ipg > 0xffffffffu)
        return fail(err, errlen, "too many inodes for 32-bit inode numbers (try a larger -i)");
    fs->fs_ncg = (uint32_t)ncg;
    fs->fs_size = (uint32_t)(fs->fs_bootblocks + (ncg - 1) * fpg + last);
    fs->fs_dsize = fs->fs_size - fs->fs_bootblocks - fs->fs_ncg * fs->fs_dblkno;
    fs->fs_minfree = p->minfree ? p->minfree : DEFAULT_MINFREE;
    fs->fs_maxbpg = fs->fs_nindir < fpg / 2u ? fs->fs_nindir : (fpg / 2u ? fpg / 2u : 1u);
    fs->fs_clean = FFS_CLEAN;
    if (p->volname)
        strncpy(fs->fs_volname, p->volname, sizeof fs->fs_volname - 1);
    return 0;
}

/* A directory block holding "." and "..", and "lost+found" if `lf_ino`, in
 * its first chunk; every other chunk one empty entry. */
static void make_dir_block(const struct ffs_superblock *fs, uint8_t *block, uint32_t self,
                           uint32_t parent, uint32_t lf_ino)
{
    memset(block, 0, fs->fs_bsize);
    for (uint32_t off = FFS_DIRBLKSIZ; off < fs->fs_bsize; off += FFS_DIRBLKSIZ) {
        struct ffs_direct *empty = (struct ffs_direct *)(block + off);
        empty->d_reclen = FFS_DIRBLKSIZ;
    }
    struct { uint32_t ino; uint8_t type; const char *name; } entries[3] = {
        { self, FFS_DT_DIR, "." }, { parent, FFS_DT_DIR, ".." }, { lf_ino, FFS_DT_DIR, "lost+found" },
    };
    uint32_t n = lf_ino ? 3u : 2u, off = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct ffs_direct *d = (struct ffs_direct *)(block + off);
        uint32_t namlen = (uint32_t)strlen(entries[i].name);
        d->d_ino = entries[i].ino;
        d->d_type = entries[i].type;
        d->d_namlen = (uint8_t)namlen;
        memcpy(d->d_name, entries[i].name, namlen);
        d->d_reclen = (uint16_t)(i + 1 < n ? ffs_dirsiz(namlen) : FFS_DIRBLKSIZ - off);
        off += d->d_reclen;
    }
}

static void make_dir_inode(const struct ffs_superblock *fs, struct ffs_dinode *dp, uint32_t mode,
                           uint32_t nlink, uint32_t bno, int64_t now)
{
    memset(dp, 0, sizeof *dp);
    dp->di_mode = (uint16_t)(FFS_IFDIR | mode);
    dp->di_nlink = (uint16_t)nlink;
    dp->di_size = FFS_DIRBLKSIZ;
    dp->di_atime = dp->di_mtime = dp->di_ctime = now;
    dp->di_blocks = ffs_btodb(fs, 1);
    dp->di_gen = 1;
    dp->di_db[0] = bno;
}

/* Write group g: superblock copy, header, bitmaps, zeroed inode table.
 * Group 0 also gets its used inodes (0..last_ino) and `extra_blocks` data
 * blocks marked. `block` is a scratch block. */
static int write_group(struct ffs_image *img, struct ffs_superblock *fs, uint32_t g,
                       uint32_t last_ino, uint32_t extra_blocks, int64_t now, uint8_t *block)
{
    uint32_t nblocks = ffs_cg_nblocks(fs, g);
    uint32_t used_inodes = g == 0 ? last_ino + 1u : 0u;
    uint32_t used_blocks = fs->fs_dblkno + (g == 0 ? extra_blocks : 0u);
    int error;

    memset(block, 0, fs->fs_bsize);
    struct ffs_cg *cg = (struct ffs_cg *)block;
    cg->cg_magic = FFS_CG_MAGIC;
    cg->cg_cgx = g;
    cg->cg_ndblk = nblocks;
    cg->cg_niblk = fs->fs_ipg;
    cg->cg_time = now;
    cg->cg_cs.cs_ndir = g == 0 ? extra_blocks : 0u;   /* one block per directory */
    cg->cg_cs.cs_nbfree = nblocks - used_blocks;
    cg->cg_cs.cs_nifree = fs->fs_ipg - used_inodes;
    cg->cg_rotor = used_blocks;
    cg->cg_irotor = used_inodes;
    fs->fs_cstotal.cs_ndir += cg->cg_cs.cs_ndir;
    fs->fs_cstotal.cs_nbfree += cg->cg_cs.cs_nbfree;
    fs->fs_cstotal.cs_nifree += cg->cg_cs.cs_nifree;
    if ((error = ffs_bwrite(img, fs, ffs_cgtod(fs, g), block)))
        return error;

    memset(block, 0, fs->fs_bsize);
    for (uint32_t i = 0; i < used_inodes; i++)
        ffs_setbit(block, i);
    if ((error = ffs_bwrite(img, fs, ffs_cgimap(fs, g), block)))
        return error;

    memset(block, 0, fs->fs_bsize);
    for (uint32_t i = 0; i < used_blocks; i++)
        ffs_setbit(block, i);
    if ((error = ffs_bwrite(img, fs, ffs_cgbmap(fs, g), block)))
        return error;

    memset(block, 0, fs->fs_bsize);
    for (uint32_t b = ffs_cgimin(fs, g); b < ffs_cgdmin(fs, g); b++)
        if ((error = ffs_bwrite(img, fs, b, block)))
            return error;
    return 0;
}

int ffs_mkfs(struct ffs_image *img, const struct ffs_mkfs_params *params,
             struct ffs_superblock *fs_out, char *err, size_t errlen)
{
    struct ffs_superblock fs;
    int error = compute_geometry(params, img->size, &fs, err, errlen);
    if (error)
        return error;
    int64_t now = params->now ? params->now : (int64_t)time(NULL);
    fs.fs_time = fs.fs_ctime = now;

    uint8_t *block = (uint8_t *)malloc(fs.fs_bsize);
    if (!block)
        return fail(err, errlen, "out of memory");
    int lost_found = !params->no_lost_found;
    uint32_t ndirs = lost_found ? 2u : 1u;
    uint32_t last_ino = lost_found ? LOST_FOUND_INO : FFS_ROOTINO;
    for (uint32_t g = 0; g < fs.fs_ncg && !error; g++)
        error = write_group(img, &fs, g, last_ino, ndirs, now, block);

    /* The root directory and lost+found, in group 0's first data blocks. */
    uint32_t root_bno = ffs_cgdmin(&fs, 0), lf_bno = root_bno + 1u;
    struct ffs_dinode dino;
    if (!error) {
        make_dir_block(&fs, block, FFS_ROOTINO, FFS_ROOTINO, lost_found ? LOST_FOUND_INO : 0u);
        error = ffs_bwrite(img, &fs, root_bno, block);
    }
    if (!error) {
        make_dir_inode(&fs, &dino, 0755, lost_found ? 3u : 2u, root_bno, now);
        error = ffs_inode_write(img, &fs, FFS_ROOTINO, &dino);
    }
    if (!error && lost_found) {
        make_dir_block(&fs, block, LOST_FOUND_INO, FFS_ROOTINO, 0);
        error = ffs_bwrite(img, &fs, lf_bno, block);
        if (!error) {
            make_dir_inode(&fs, &dino, 0700, 2u, lf_bno, now);
            error = ffs_inode_write(img, &fs, LOST_FOUND_INO, &dino);
        }
    }
    free(block);
    /* The superblock last: an interrupted newfs leaves no valid magic at
     * byte 8192 (unless an older file system was there). */
    if (!error)
        error = ffs_sb_write_all(img, &fs);
    if (error) {
        if (err && errlen && error != -EINVAL)
            snprintf(err, errlen, "writing the image: %s", strerror(-error));
        return error;
    }
    if (fs_out)
        *fs_out = fs;
    return 0;
}
