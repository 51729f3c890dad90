/*
 * user/tools/ffs_lib.c -- image I/O and the metadata accessors the FFS tools
 * share (ffs_lib.h).
 *
 * Nothing here caches: every accessor reads or writes the image. The tools
 * touch each block a few times at most, and a cache would only hide from a
 * student which bytes of the image a structure lives in.
 */
#define _POSIX_C_SOURCE 200809L
#include "ffs_lib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- images -------------------------------------------------------------- */

void ffs_image_fd(struct ffs_image *img, int fd, uint64_t size)
{
    img->fd = fd;
    img->mem = NULL;
    img->size = size;
}

void ffs_image_mem(struct ffs_image *img, void *base, uint64_t size)
{
    img->fd = -1;
    img->mem = (uint8_t *)base;
    img->size = size;
}

int64_t ffs_fd_size(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    if (S_ISREG(st.st_mode))
        return st.st_size;
    /* A device: its end is its size. */
    off_t end = lseek(fd, 0, SEEK_END);
    if (end < 0)
        return -errno;
    return end;
}

static int in_bounds(const struct ffs_image *img, uint64_t off, size_t len)
{
    return off <= img->size && len <= img->size - off;
}

/* The whole of [off, off + len) through pread or pwrite, on as many calls as
 * the kernel needs (a short transfer is continued, EINTR retried); a
 * transfer of 0 bytes before the end is -EIO. */
static int transfer_all(int fd, uint64_t off, uint8_t *p, size_t len, int writing)
{
    while (len > 0) {
        ssize_t n = writing ? pwrite(fd, p, len, (off_t)off) : pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;
        p += n, off += (uint64_t)n, len -= (size_t)n;
    }
    return 0;
}

int ffs_image_read(const struct ffs_image *img, uint64_t off, void *buf, size_t len)
{
    if (!in_bounds(img, off, len))
        return -EIO;
    if (img->mem) {
        memcpy(buf, img->mem + off, len);
        return 0;
    }
    return transfer_all(img->fd, off, (uint8_t *)buf, len, 0);
}

int ffs_image_write(struct ffs_image *img, uint64_t off, const void *buf, size_t len)
{
    if (!in_bounds(img, off, len))
        return -EIO;
    if (img->mem) {
        memcpy(img->mem + off, buf, len);
        return 0;
    }
    /* pwrite only reads the buffer: the cast drops const for the shared loop. */
    return transfer_all(img->fd, off, (uint8_t *)(uintptr_t)buf, len, 1);
}

int ffs_bread(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t bno,
              void *buf)
{
    return ffs_image_read(img, (uint64_t)bno << fs->fs_bshift, buf, fs->fs_bsize);
}

int ffs_bwrite(struct ffs_image *img, const struct ffs_superblock *fs, uint32_t bno,
               const void *buf)
{
    return ffs_image_write(img, (uint64_t)bno << fs->fs_bshift, buf, fs->fs_bsize);
}

/* ---- superblock and group headers ---------------------------------------- */

int ffs_sb_read(const struct ffs_image *img, struct ffs_superblock *fs, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    int error = ffs_image_read(img, FFS_SBOFF, fs, sizeof *fs);
    if (error) {
        *why = "cannot read the superblock (image shorter than 8.5 KiB?)";
        return error;
    }
    /* The image's size in blocks, once the block size is one we know
     * (ffs_sb_check refuses any other before it looks at this). */
    uint64_t blocks = 0;
    if (fs->fs_bsize == 4096u || fs->fs_bsize == 8192u)
        blocks = img->size / fs->fs_bsize;
    *why = ffs_sb_check(fs, blocks ? blocks : 1);
    return *why ? -EINVAL : 0;
}

int ffs_sb_read_copy(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t g,
                     struct ffs_superblock *copy)
{
    return ffs_image_read(img, (uint64_t)ffs_cgsblock(fs, g) << fs->fs_bshift, copy,
                          sizeof *copy);
}

int ffs_sb_write(struct ffs_image *img, const struct ffs_superblock *fs)
{
    return ffs_image_write(img, FFS_SBOFF, fs, sizeof *fs);
}

int ffs_sb_write_all(struct ffs_image *img, const struct ffs_superblock *fs)
{
    for (uint32_t g = 0; g < fs->fs_ncg; g++) {
        int error = ffs_image_write(img, (uint64_t)ffs_cgsblock(fs, g) << fs->fs_bshift, fs,
                                    sizeof *fs);
        if (error)
            return error;
    }
    return 0;
}

int ffs_cg_read(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t g,
                struct ffs_cg *cg)
{
    return ffs_image_read(img, (uint64_t)ffs_cgtod(fs, g) << fs->fs_bshift, cg, sizeof *cg);
}

int ffs_cg_write(struct ffs_image *img, const struct ffs_superblock *fs, uint32_t g,
                 const struct ffs_cg *cg)
{
    return ffs_image_write(img, (uint64_t)ffs_cgtod(fs, g) << fs->fs_bshift, cg, sizeof *cg);
}

/* ---- inodes and bmap ------------------------------------------------------- */

static uint64_t inode_offset(const struct ffs_superblock *fs, uint32_t ino)
{
    return ((uint64_t)ffs_ino_to_fsba(fs, ino) << fs->fs_bshift) +
           (uint64_t)ffs_ino_to_fsbo(fs, ino) * FFS_DINODE_SIZE;
}

int ffs_inode_read(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t ino,
                   struct ffs_dinode *dp)
{
    if (ino >= ffs_ninodes(fs))
        return -EINVAL;
    return ffs_image_read(img, inode_offset(fs, ino), dp, sizeof *dp);
}

int ffs_inode_write(struct ffs_image *img, const struct ffs_superblock *fs, uint32_t ino,
                    const struct ffs_dinode *dp)
{
    if (ino >= ffs_ninodes(fs))
        return -EINVAL;
    return ffs_image_write(img, inode_offset(fs, ino), dp, sizeof *dp);
}

/* Entry `index` of the indirect block `bno`, in `*out`. */
static int read_pointer(const struct ffs_image *img, const struct ffs_superblock *fs,
                        uint32_t bno, uint64_t index, uint32_t *out)
{
    if (!ffs_is_data_block(fs, bno))
        return -EIO;
    return ffs_image_read(img, ((uint64_t)bno << fs->fs_bshift) + index * 4u, out, 4);
}

/*
 * Logical block lbn is, in order: one of the 12 direct blocks; one of the
 * nindir blocks under the single indirect block; one of the nindir^2 under
 * the double (the first level chosen by lbn / nindir); or one of the nindir^3
 * under the triple. Each level of the tree divides the remaining index by
 * nindir, most significant digit first.
 */
int ffs_bmap(const struct ffs_image *img, const struct ffs_superblock *fs,
             const struct ffs_dinode *dp, uint64_t lbn, uint32_t *bno)
{
    if (lbn < FFS_NDADDR) {
        *bno = dp->di_db[lbn];
        return 0;
    }
    lbn -= FFS_NDADDR;
    uint64_t span = fs->fs_nindir;     /* data blocks under one pointer at this level */
    for (uint32_t level = 0; level < FFS_NIADDR; level++) {
        if (lbn < span) {
            uint32_t ptr = dp->di_ib[level];
            /* Walk down level + 1 indirect blocks. */
            for (uint64_t below = span / fs->fs_nindir;; below /= fs->fs_nindir) {
                if (ptr == 0)
                    break;
                int error = read_pointer(img, fs, ptr, lbn / below, &ptr);
                if (error)
                    return error;
                lbn %= below;
                if (below == 1)
                    break;
            }
            *bno = ptr;
            return 0;
        }
        lbn -= span;
        span *= fs->fs_nindir;
    }
    return -EFBIG;
}

int ffs_parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    uint64_t mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1024; end++; break;
    case 'm': case 'M': mult = 1024 * 1024; end++; break;
    case 'g': case 'G': mult = 1024 * 1024 * 1024; end++; break;
    }
    if (errno || end == s || *end || v > UINT64_MAX / mult)
        return -EINVAL;
    *out = v * mult;
    return 0;
}
