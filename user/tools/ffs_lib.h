/*
 * user/tools/ffs_lib.h -- the library behind newfs, fsck_ffs and dumpfs.
 *
 * The three tools are thin main()s over functions here, so that other
 * programs can call them: MFS's mount_mfs runs ffs_mkfs over the memory
 * region it will serve, and the host tests (tests/host/fs/ffs/) run all
 * three against images they build and damage in memory.
 *
 * An image is a file system's bytes wherever they are: a file or a device
 * (read and written with pread/pwrite on a descriptor) or a memory region
 * (memcpy). Everything above ffs_image_read/ffs_image_write sees only
 * blocks, so the same code makes a file system in a file, on /dev/md0 or
 * in a process's own memory.
 *
 * The on-image format is fs/ffs/ffs_format.h; the tools are described in
 * docs/ffs.md ("The tools"). Functions return 0 or a negative errno unless
 * they say otherwise.
 */
#ifndef USER_TOOLS_FFS_LIB_H
#define USER_TOOLS_FFS_LIB_H

#include <fs/ffs/ffs_format.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- images ------------------------------------------------------------ */

struct ffs_image {
    int fd;                /* the file or device; -1 for a memory image */
    uint8_t *mem;          /* the memory region; NULL for a descriptor */
    uint64_t size;         /* bytes */
};

/* An image over an open descriptor of `size` bytes. */
void ffs_image_fd(struct ffs_image *img, int fd, uint64_t size);
/* An image over the memory at `base`, `size` bytes. */
void ffs_image_mem(struct ffs_image *img, void *base, uint64_t size);
/* The size of what `fd` refers to (a regular file's length, a device's
 * size); Returns bytes, or a negative errno. */
int64_t ffs_fd_size(int fd);

/* Read or write `len` bytes at byte `off`.
 * Errors: EIO (past the end of the image, or a short transfer), or the
 * errno of pread/pwrite. */
int ffs_image_read(const struct ffs_image *img, uint64_t off, void *buf, size_t len);
int ffs_image_write(struct ffs_image *img, uint64_t off, const void *buf, size_t len);

/* Block `bno` of `fs`, fs->fs_bsize bytes. */
int ffs_bread(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t bno,
              void *buf);
int ffs_bwrite(struct ffs_image *img, const struct ffs_superblock *fs, uint32_t bno,
               const void *buf);

/* ---- metadata ---------------------------------------------------------- */

/* Read the primary superblock and check it with ffs_sb_check against the
 * image's size. On a failure `*why` (if not NULL) says what is wrong.
 * Errors: EIO (unreadable), EINVAL (not a sound superblock). */
int ffs_sb_read(const struct ffs_image *img, struct ffs_superblock *fs, const char **why);
/* Read the copy at the start of group `g` (unchecked). */
int ffs_sb_read_copy(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t g,
                     struct ffs_superblock *copy);
/* Write `fs` as the primary superblock and as every group's copy. */
int ffs_sb_write_all(struct ffs_image *img, const struct ffs_superblock *fs);
/* Write only the primary (what a mount or fsck updates most often). */
int ffs_sb_write(struct ffs_image *img, const struct ffs_superblock *fs);

int ffs_cg_read(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t g,
                struct ffs_cg *cg);
int ffs_cg_write(struct ffs_image *img, const struct ffs_superblock *fs, uint32_t g,
                 const struct ffs_cg *cg);

/* Inode `ino` (< ffs_ninodes(fs)). */
int ffs_inode_read(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t ino,
                   struct ffs_dinode *dp);
int ffs_inode_write(struct ffs_image *img, const struct ffs_superblock *fs, uint32_t ino,
                    const struct ffs_dinode *dp);

/* The block holding logical block `lbn` of the file `dp`, through its
 * indirect blocks, in `*bno` (0 for a hole).
 * Errors: EFBIG (lbn past the largest file), EIO (an indirect pointer is
 * not a data block, or a read failed). */
int ffs_bmap(const struct ffs_image *img, const struct ffs_superblock *fs,
             const struct ffs_dinode *dp, uint64_t lbn, uint32_t *bno);

/* ---- the tools --------------------------------------------------------- */

struct ffs_mkfs_params {
    uint64_t size;              /* bytes to use; 0 = the whole image */
    uint32_t bsize;             /* 4096 or 8192; 0 = 4096 */
    uint32_t bytes_per_inode;   /* data bytes per inode; 0 = 8192 */
    uint32_t fpg;               /* blocks per group; 0 = 4096 */
    uint32_t minfree;           /* percent kept for root; 0 = 5 */
    int64_t now;                /* timestamps; 0 = the current time */
    const char *volname;        /* NULL = "" */
    int no_lost_found;          /* nonzero: make only the root directory */
};

/* Make an empty file system on `img`: superblock and copies, every group's
 * header, bitmaps and zeroed inode table, the root directory and
 * lost+found. Data blocks are not touched. `*fs_out` (if not NULL) gets the
 * superblock. On an error `err` holds a sentence.
 * Errors: EINVAL (bad parameters, or the image is too small or too big),
 * the image's write errors. */
int ffs_mkfs(struct ffs_image *img, const struct ffs_mkfs_params *params,
             struct ffs_superblock *fs_out, char *err, size_t errlen);

/* fsck_ffs's exit statuses (as e2fsck's and fsck(8)'s). */
#define FFS_FSCK_CLEAN 0        /* no fault found */
#define FFS_FSCK_FIXED 1        /* faults found, all repaired */
#define FFS_FSCK_FAULTS 4       /* faults left in the image */
#define FFS_FSCK_FATAL 8        /* cannot check: unreadable image or superblock */

struct ffs_fsck_options {
    int readonly;               /* -n: report only, never write */
    int max_reports;            /* fault lines printed before "and N more"; 0 = 100 */
};

/* Check every invariant of the image and print a report on `out`: one line
 * per fault naming the inode, block or group and what is wrong, then a
 * summary. Without `readonly`, the faults it can repair (counts, bitmaps,
 * link counts, the clean flag, superblock copies) are repaired -- but only
 * when every fault found is of that kind. Returns an FFS_FSCK_* status. */
int ffs_fsck(struct ffs_image *img, const struct ffs_fsck_options *opts, FILE *out);

/* A byte count written as digits with an optional k, m or g (powers of
 * 1024), for the tools' -s options. Returns 0 and the count in `*out`, or
 * -EINVAL for anything else (garbage, overflow). */
int ffs_parse_size(const char *s, uint64_t *out);

/* Print the superblock and every group, for teaching (dumpfs).
 * Errors: those of ffs_sb_read, after a line saying why. */
int ffs_dumpfs(const struct ffs_image *img, FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* USER_TOOLS_FFS_LIB_H */
