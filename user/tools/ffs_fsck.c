/*
 * user/tools/ffs_fsck.c -- ffs_fsck, the checker behind fsck_ffs: every
 * invariant of the on-image format (fs/ffs/ffs_format.h), in passes like
 * 4.4BSD's sbin/fsck_ffs (our own code):
 *
 *   0  superblock  ffs_sb_check on the primary (if it fails nothing else
 *                  can be trusted: status 8); every copy and group header
 *                  agrees with it
 *   1  inodes      every allocated inode: a known type, a link count, block
 *                  pointers that name data blocks, no block claimed twice,
 *                  no block past the size, di_blocks = blocks held
 *   2  directories every chunk's entries: reclen and namlen sane, inside
 *                  the chunk, names clean and not repeated, "." and ".."
 *                  first, entries naming allocated inodes of the type
 *                  d_type says
 *   3  the tree    every directory named once and reachable from the root
 *                  (which catches loops), ".." naming the parent
 *   4  links       di_nlink = the directory entries naming the inode
 *   5  maps        both bitmaps = what passes 1-3 found (and no bit set past
 *                  a group's end), the free counts of every group and of the
 *                  superblock, the clean flag
 *
 * (Passes 2 and 3 are in ffs_fsck_dirs.c; the shared state in ffs_fsck.h.)
 *
 * Faults are of two kinds. Repairable ones are counts and maps fsck can
 * recompute (pass 4-5, di_blocks, a stale superblock copy, the clean flag);
 * the rest are structural and need a person (or a smarter fsck). Without -n
 * the repairable faults are written back -- only when there is no
 * structural fault, since recomputing a bitmap over a damaged tree would
 * hide the damage. Statuses: FFS_FSCK_* in ffs_lib.h.
 *
 * Robustness: nothing read from the image is used as an index before it is
 * checked; each indirect block is followed at most once (the claim map), so
 * garbage pointers cost linear time; memory is bounded by the image's size.
 */
#define _POSIX_C_SOURCE 200809L
#include "ffs_fsck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Report one fault; `repairable` says which kind. */
void ffs_fault(struct fsck *ck, int repairable, const char *fmt, ...)
{
    if (repairable)
        ck->repairable++;
    else
        ck->structural++;
    if (ck->reported++ >= ck->max_reports)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(ck->out, fmt, ap);
    va_end(ap);
    fputc('\n', ck->out);
}

/* ---- pass 0: superblock, copies, group headers ------------------------------- */

/* The geometry fields, which every copy must share with the primary. */
static int same_geometry(const struct ffs_superblock *a, const struct ffs_superblock *b)
{
    return memcmp(a, b, offsetof(struct ffs_superblock, fs_minfree)) == 0;
}

static int pass0_superblock(struct fsck *ck)
{
    const char *why = NULL;
    int error = ffs_sb_read(ck->img, &ck->fs, &why);
    if (error) {
        fprintf(ck->out, "SUPERBLOCK: %s\n", why ? why : strerror(-error));
        return error;
    }
    ck->ninodes = ffs_ninodes(&ck->fs);
    for (uint32_t g = 0; g < ck->fs.fs_ncg; g++) {
        struct ffs_superblock copy;
        struct ffs_cg cg;
        if (g > 0 && (ffs_sb_read_copy(ck->img, &ck->fs, g, &copy) ||
                      !same_geometry(&copy, &ck->fs)))
            ffs_fault(ck, 1, "GROUP %u: the superblock copy at block %u differs from the primary", g,
                  ffs_cgsblock(&ck->fs, g));
        if (ffs_cg_read(ck->img, &ck->fs, g, &cg))
            return -EIO;
        if (cg.cg_magic != FFS_CG_MAGIC || cg.cg_cgx != g ||
            cg.cg_ndblk != ffs_cg_nblocks(&ck->fs, g) || cg.cg_niblk != ck->fs.fs_ipg)
            ffs_fault(ck, 0, "GROUP %u: bad group header at block %u (magic, index or sizes)", g,
                  ffs_cgtod(&ck->fs, g));
    }
    return 0;
}

static int load_inodes(struct fsck *ck)
{
    const struct ffs_superblock *fs = &ck->fs;
    uint32_t per_group_blocks = fs->fs_ipg / fs->fs_inopb;
    for (uint32_t g = 0; g < fs->fs_ncg; g++)
        for (uint32_t i = 0; i < per_group_blocks; i++) {
            uint8_t *dst = (uint8_t *)ck->inodes +
                           ((uint64_t)g * fs->fs_ipg + (uint64_t)i * fs->fs_inopb) * FFS_DINODE_SIZE;
            int error = ffs_bread(ck->img, fs, ffs_cgimin(fs, g) + i, dst);
            if (error)
                return error;
        }
    return 0;
}

/* ---- pass 1: inodes and their blocks ----------------------------------------- */

/* Claim `bno` for `ino`. Returns whether the block may be followed. */
static int claim(struct fsck *ck, uint32_t ino, uint32_t bno, uint64_t lbn, const char *what)
{
    if (!ffs_is_data_block(&ck->fs, bno)) {
        ffs_fault(ck, 0, "INODE %u: %s pointer %u (logical block %llu) is not a data block", ino,
              what, bno, (unsigned long long)lbn);
        return 0;
    }
    if (ck->owner[bno]) {
        ffs_fault(ck, 0, "BLOCK %u: claimed twice, by inode %u and by inode %u (%s, logical block %llu)",
              bno, ck->owner[bno], ino, what, (unsigned long long)lbn);
        return 0;
    }
    ck->owner[bno] = ino;
    ck->nblocks_held[ino]++;
    return 1;
}

/* The pointers in indirect block `bno` at `level` (1 single .. 3 triple),
 * whose first data block is logical block `lbn`. */
static void walk_indirect(struct fsck *ck, uint32_t ino, uint32_t bno, uint32_t level,
                          uint64_t lbn, uint64_t size_blocks)
{
    uint32_t nindir = ck->fs.fs_nindir;
    uint32_t *ptrs = (uint32_t *)malloc(ck->fs.fs_bsize);
    if (!ptrs || ffs_bread(ck->img, &ck->fs, bno, ptrs)) {
        ffs_fault(ck, 0, "INODE %u: cannot read indirect block %u", ino, bno);
        free(ptrs);
        return;
    }
    uint64_t span = 1;
    for (uint32_t l = 1; l < level; l++)
        span *= nindir;
    for (uint32_t i = 0; i < nindir; i++) {
        uint32_t p = ptrs[i];
        uint64_t first = lbn + i * span;
        if (p == 0)
            continue;
        if (level == 1) {
            if (claim(ck, ino, p, first, "data") && first >= size_blocks)
                ffs_fault(ck, 0, "INODE %u: block %u at logical block %llu lies past the end (size %llu)",
                      ino, p, (unsigned long long)first,
                      (unsigned long long)ck->inodes[ino].di_size);
        } else if (claim(ck, ino, p, first, "indirect")) {
            walk_indirect(ck, ino, p, level - 1, first, size_blocks);
        }
    }
    free(ptrs);
}

static void walk_blocks(struct fsck *ck, uint32_t ino)
{
    const struct ffs_dinode *dp = &ck->inodes[ino];
    uint64_t size_blocks = ffs_numblks(&ck->fs, dp->di_size);
    for (uint32_t i = 0; i < FFS_NDADDR; i++)
        if (dp->di_db[i] && claim(ck, ino, dp->di_db[i], i, "data") && i >= size_blocks)
            ffs_fault(ck, 0, "INODE %u: block %u at logical block %u lies past the end (size %llu)",
                  ino, dp->di_db[i], i, (unsigned long long)dp->di_size);
    uint64_t lbn = FFS_NDADDR, span = ck->fs.fs_nindir;
    for (uint32_t level = 1; level <= FFS_NIADDR; level++) {
        uint32_t p = dp->di_ib[level - 1];
        if (p && claim(ck, ino, p, lbn, "indirect"))
            walk_indirect(ck, ino, p, level, lbn, size_blocks);
        lbn += span;
        span *= ck->fs.fs_nindir;
    }
}

/* A device, FIFO or socket holds no blocks: only di_db[0] (the device
 * number of CHR/BLK) may be nonzero. */
static void check_blockless(struct fsck *ck, uint32_t ino, int has_rdev)
{
    const struct ffs_dinode *dp = &ck->inodes[ino];
    for (uint32_t i = has_rdev ? 1u : 0u; i < FFS_NDADDR; i++)
        if (dp->di_db[i])
            ffs_fault(ck, 0, "INODE %u: a special file with block pointer di_db[%u] = %u", ino, i,
                  dp->di_db[i]);
    for (uint32_t i = 0; i < FFS_NIADDR; i++)
        if (dp->di_ib[i])
            ffs_fault(ck, 0, "INODE %u: a special file with block pointer di_ib[%u] = %u", ino, i,
                  dp->di_ib[i]);
    if (dp->di_size != 0)
        ffs_fault(ck, 0, "INODE %u: a special file of size %llu", ino,
              (unsigned long long)dp->di_size);
}

static void pass1_inodes(struct fsck *ck)
{
    const struct ffs_superblock *fs = &ck->fs;
    for (uint32_t ino = 0; ino < FFS_ROOTINO; ino++)
        if (ck->inodes[ino].di_mode)
            ffs_fault(ck, 0, "INODE %u: reserved, but in use (mode 0%o)", ino,
                  ck->inodes[ino].di_mode);
    if (ftype(ck, FFS_ROOTINO) != FFS_IFDIR)
        ffs_fault(ck, 0, "INODE %u: the root is not a directory (mode 0%o)", FFS_ROOTINO,
              ck->inodes[FFS_ROOTINO].di_mode);
    for (uint32_t ino = FFS_ROOTINO; ino < ck->ninodes; ino++) {
        const struct ffs_dinode *dp = &ck->inodes[ino];
        if (!dp->di_mode)
            continue;
        uint32_t type = dp->di_mode & FFS_IFMT;
        if (ffs_mode_to_dtype(type) == FFS_DT_UNKNOWN) {
            ffs_fault(ck, 0, "INODE %u: unknown file type (mode 0%o)", ino, dp->di_mode);
            continue;
        }
        if (dp->di_nlink == 0)
            ffs_fault(ck, 0, "INODE %u: allocated with a link count of 0", ino);
        if (dp->di_size > ffs_max_lblocks(fs) * fs->fs_bsize)
            ffs_fault(ck, 0, "INODE %u: size %llu is larger than any file can be", ino,
                  (unsigned long long)dp->di_size);
        if (type == FFS_IFDIR && dp->di_size > (uint64_t)fs->fs_dsize * fs->fs_bsize)
            ffs_fault(ck, 0, "INODE %u: a directory of size %llu, larger than the file system", ino,
                  (unsigned long long)dp->di_size);
        else if (type == FFS_IFDIR && (dp->di_size == 0 || dp->di_size % FFS_DIRBLKSIZ != 0))
            ffs_fault(ck, 0, "INODE %u: a directory of size %llu (not a multiple of %u)", ino,
                  (unsigned long long)dp->di_size, FFS_DIRBLKSIZ);
        if (type == FFS_IFCHR || type == FFS_IFBLK || type == FFS_IFIFO || type == FFS_IFSOCK)
            check_blockless(ck, ino, type == FFS_IFCHR || type == FFS_IFBLK);
        else if (!ffs_is_short_symlink(dp))
            walk_blocks(ck, ino);
        if (type == FFS_IFLNK && dp->di_size == 0)
            ffs_fault(ck, 0, "INODE %u: a symlink with an empty target", ino);
        if (dp->di_blocks != ffs_btodb(fs, ck->nblocks_held[ino]))
            ffs_fault(ck, 1, "INODE %u: di_blocks is %u, but it holds %u blocks (%u units)", ino,
                  dp->di_blocks, ck->nblocks_held[ino], ffs_btodb(fs, ck->nblocks_held[ino]));
    }
}

/* ---- pass 4: link counts -------------------------------------------------------- */

static void pass4_links(struct fsck *ck)
{
    for (uint32_t ino = FFS_ROOTINO; ino < ck->ninodes; ino++) {
        if (!is_alloc(ck, ino))
            continue;
        const struct ffs_dinode *dp = &ck->inodes[ino];
        if (ck->nrefs[ino] == 0)
            ffs_fault(ck, 0, "INODE %u: allocated (mode 0%o), but no directory names it", ino,
                  dp->di_mode);
        else if (ck->nrefs[ino] != dp->di_nlink)
            ffs_fault(ck, 1, "INODE %u: link count is %u, but %u entries name it", ino, dp->di_nlink,
                  ck->nrefs[ino]);
    }
}

/* ---- pass 5: bitmaps and counts ------------------------------------------------ */

/* Group g's counts and maps as they should be, into cg/imap/bmap. */
static void compute_group(const struct fsck *ck, uint32_t g, struct ffs_cg *cg, uint8_t *imap,
                          uint8_t *bmap)
{
    const struct ffs_superblock *fs = &ck->fs;
    memset(imap, 0, fs->fs_bsize);
    memset(bmap, 0, fs->fs_bsize);
    memset(&cg->cg_cs, 0, sizeof cg->cg_cs);
    for (uint32_t i = 0; i < fs->fs_ipg; i++) {
        uint32_t ino = g * fs->fs_ipg + i;
        if (ino < FFS_ROOTINO || ck->inodes[ino].di_mode) {
            ffs_setbit(imap, i);
            if (ino >= FFS_ROOTINO && ftype(ck, ino) == FFS_IFDIR)
                cg->cg_cs.cs_ndir++;
        } else {
            cg->cg_cs.cs_nifree++;
        }
    }
    uint32_t base = ffs_cgbase(fs, g), n = ffs_cg_nblocks(fs, g);
    for (uint32_t i = 0; i < n; i++) {
        if (i < fs->fs_dblkno || ck->owner[base + i])
            ffs_setbit(bmap, i);
        else
            cg->cg_cs.cs_nbfree++;
    }
}

/* Compare group g with what it should be; with `fix`, write what it should be. */
static int check_group(struct fsck *ck, uint32_t g, struct ffs_csum *total, int fix)
{
    const struct ffs_superblock *fs = &ck->fs;
    size_t bs = fs->fs_bsize;
    uint8_t *buf = (uint8_t *)malloc(4 * bs);
    if (!buf)
        return -ENOMEM;
    uint8_t *imap = buf, *bmap = buf + bs, *want_imap = buf + 2 * bs, *want_bmap = buf + 3 * bs;
    struct ffs_cg cg, want;
    int error = ffs_cg_read(ck->img, fs, g, &cg);
    if (!error)
        error = ffs_bread(ck->img, fs, ffs_cgimap(fs, g), imap);
    if (!error)
        error = ffs_bread(ck->img, fs, ffs_cgbmap(fs, g), bmap);
    if (error) {
        free(buf);
        return error;
    }
    want = cg;
    compute_group(ck, g, &want, want_imap, want_bmap);
    total->cs_ndir += want.cg_cs.cs_ndir;
    total->cs_nbfree += want.cg_cs.cs_nbfree;
    total->cs_nifree += want.cg_cs.cs_nifree;
    if (!fix) {
        for (uint32_t i = 0; i < fs->fs_ipg; i++)
            if (ffs_isset(imap, i) != ffs_isset(want_imap, i))
                ffs_fault(ck, 1, "INODE %u: %s in the inode bitmap, but it is %s", g * fs->fs_ipg + i,
                      ffs_isset(imap, i) ? "allocated" : "free",
                      ffs_isset(imap, i) ? "free" : "allocated");
        uint32_t base = ffs_cgbase(fs, g);
        for (uint32_t i = 0; i < ffs_cg_nblocks(fs, g); i++)
            if (ffs_isset(bmap, i) != ffs_isset(want_bmap, i)) {
                if (ffs_isset(want_bmap, i))
                    ffs_fault(ck, 1, "BLOCK %u: free in the bitmap, but used by %s %u", base + i,
                          i < fs->fs_dblkno ? "group metadata of group" : "inode",
                          i < fs->fs_dblkno ? g : ck->owner[base + i]);
                else
                    ffs_fault(ck, 1, "BLOCK %u: in use in the bitmap, but nothing uses it", base + i);
            }
        for (uint32_t i = ffs_cg_nblocks(fs, g); i < 8u * fs->fs_bsize; i++)
            if (ffs_isset(bmap, i)) {
                ffs_fault(ck, 1, "GROUP %u: block bitmap bit %u set, past the group's %u blocks", g,
                          i, ffs_cg_nblocks(fs, g));
                break;
            }
        for (uint32_t i = fs->fs_ipg; i < 8u * fs->fs_bsize; i++)
            if (ffs_isset(imap, i)) {
                ffs_fault(ck, 1, "GROUP %u: inode bitmap bit %u set, past the group's %u inodes", g,
                          i, fs->fs_ipg);
                break;
            }
        if (memcmp(&cg.cg_cs, &want.cg_cs, sizeof cg.cg_cs))
            ffs_fault(ck, 1, "GROUP %u: header counts dirs %u, free blocks %u, free inodes %u; "
                         "found %u, %u, %u", g, cg.cg_cs.cs_ndir, cg.cg_cs.cs_nbfree,
                  cg.cg_cs.cs_nifree, want.cg_cs.cs_ndir, want.cg_cs.cs_nbfree,
                  want.cg_cs.cs_nifree);
    } else {
        error = ffs_cg_write(ck->img, fs, g, &want);
        if (!error)
            error = ffs_bwrite(ck->img, fs, ffs_cgimap(fs, g), want_imap);
        if (!error)
            error = ffs_bwrite(ck->img, fs, ffs_cgbmap(fs, g), want_bmap);
    }
    free(buf);
    return error;
}

static int pass5_maps(struct fsck *ck, int fix)
{
    struct ffs_csum total;
    memset(&total, 0, sizeof total);
    for (uint32_t g = 0; g < ck->fs.fs_ncg; g++) {
        int error = check_group(ck, g, &total, fix);
        if (error)
            return error;
    }
    if (fix) {
        ck->fs.fs_cstotal = total;
        return 0;
    }
    const struct ffs_csum *sb = &ck->fs.fs_cstotal;
    if (memcmp(sb, &total, sizeof total))
        ffs_fault(ck, 1, "SUPERBLOCK: counts dirs %u, free blocks %u, free inodes %u; found %u, %u, %u",
              sb->cs_ndir, sb->cs_nbfree, sb->cs_nifree, total.cs_ndir, total.cs_nbfree,
              total.cs_nifree);
    if (ck->fs.fs_clean != FFS_CLEAN)
        ffs_fault(ck, 1, "SUPERBLOCK: not marked clean (mounted, or not unmounted cleanly)");
    return 0;
}

/* ---- repair and the driver ------------------------------------------------------ */

/* Write back every repairable fact: inodes' counts, groups, superblocks. */
static int repair(struct fsck *ck)
{
    for (uint32_t ino = FFS_ROOTINO; ino < ck->ninodes; ino++) {
        struct ffs_dinode *dp = &ck->inodes[ino];
        if (!dp->di_mode)
            continue;
        uint32_t blocks = ffs_btodb(&ck->fs, ck->nblocks_held[ino]);
        if (dp->di_nlink == ck->nrefs[ino] && dp->di_blocks == blocks)
            continue;
        dp->di_nlink = (uint16_t)ck->nrefs[ino];
        dp->di_blocks = blocks;
        int error = ffs_inode_write(ck->img, &ck->fs, ino, dp);
        if (error)
            return error;
    }
    int error = pass5_maps(ck, 1);
    if (error)
        return error;
    ck->fs.fs_clean = FFS_CLEAN;
    return ffs_sb_write_all(ck->img, &ck->fs);
}

static void print_summary(const struct fsck *ck)
{
    uint32_t files = 0, dirs = 0;
    for (uint32_t ino = FFS_ROOTINO; ino < ck->ninodes; ino++)
        if (is_alloc(ck, ino))
            ftype(ck, ino) == FFS_IFDIR ? dirs++ : files++;
    uint32_t used = 0;
    for (uint32_t b = 0; b < ck->fs.fs_size; b++)
        used += ck->owner[b] != 0;
    fprintf(ck->out, "%u files, %u directories, %u data blocks used of %u\n", files, dirs, used,
            ck->fs.fs_dsize);
}

static int check(struct fsck *ck, const struct ffs_fsck_options *opts)
{
    if (pass0_superblock(ck))
        return FFS_FSCK_FATAL;
    size_t n = ck->ninodes;
    ck->inodes = (struct ffs_dinode *)calloc(n, sizeof *ck->inodes);
    ck->owner = (uint32_t *)calloc(ck->fs.fs_size, sizeof *ck->owner);
    ck->nblocks_held = (uint32_t *)calloc(n, sizeof(uint32_t));
    ck->nrefs = (uint32_t *)calloc(n, sizeof(uint32_t));
    ck->parent = (uint32_t *)calloc(n, sizeof(uint32_t));
    ck->dotdot = (uint32_t *)calloc(n, sizeof(uint32_t));
    ck->dir_ok = (uint8_t *)calloc(n, 1);
    ck->block = (uint8_t *)malloc(ck->fs.fs_bsize);
    if (!ck->inodes || !ck->owner || !ck->nblocks_held || !ck->nrefs || !ck->parent ||
        !ck->dotdot || !ck->dir_ok || !ck->block) {
        fprintf(ck->out, "fsck_ffs: out of memory\n");
        return FFS_FSCK_FATAL;
    }
    if (load_inodes(ck)) {
        fprintf(ck->out, "fsck_ffs: cannot read the inode tables\n");
        return FFS_FSCK_FATAL;
    }
    pass1_inodes(ck);
    ffs_fsck_pass2_directories(ck);
    ffs_fsck_pass3_tree(ck);
    pass4_links(ck);
    if (pass5_maps(ck, 0)) {
        fprintf(ck->out, "fsck_ffs: cannot read a group's bitmaps\n");
        return FFS_FSCK_FATAL;
    }
    if (ck->reported > ck->max_reports)
        fprintf(ck->out, "... and %d more faults\n", ck->reported - ck->max_reports);
    print_summary(ck);
    if (ck->structural) {
        fprintf(ck->out, "%d faults (%d it cannot repair): the image is NOT clean%s\n",
                ck->structural + ck->repairable, ck->structural,
                opts->readonly ? "" : "; nothing written");
        return FFS_FSCK_FAULTS;
    }
    if (!ck->repairable) {
        fprintf(ck->out, "clean\n");
        return FFS_FSCK_CLEAN;
    }
    if (opts->readonly) {
        fprintf(ck->out, "%d repairable faults; -n given, nothing written\n", ck->repairable);
        return FFS_FSCK_FAULTS;
    }
    if (repair(ck)) {
        fprintf(ck->out, "fsck_ffs: writing the repairs failed\n");
        return FFS_FSCK_FATAL;
    }
    fprintf(ck->out, "%d faults repaired: the image is clean\n", ck->repairable);
    return FFS_FSCK_FIXED;
}

int ffs_fsck(struct ffs_image *img, const struct ffs_fsck_options *opts, FILE *out)
{
    struct fsck ck;
    memset(&ck, 0, sizeof ck);
    ck.img = img;
    ck.out = out;
    ck.max_reports = opts->max_reports > 0 ? opts->max_reports : 100;
    int status = check(&ck, opts);
    free(ck.inodes);
    free(ck.owner);
    free(ck.nblocks_held);
    free(ck.nrefs);
    free(ck.parent);
    free(ck.dotdot);
    free(ck.dir_ok);
    free(ck.block);
    free(ck.names.text);
    free(ck.names.refs);
    return status;
}
