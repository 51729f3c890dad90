/*
 * user/tools/ffs_dumpfs.c -- ffs_dumpfs, the printer behind dumpfs: the
 * superblock field by field, then each group -- where its metadata and data
 * lie, its header's counts and rotors, and which of its inodes and blocks
 * are in use, as ranges. Meant to be read beside the figure in
 * fs/ffs/ffs_format.h and docs/ffs.md.
 */
#define _POSIX_C_SOURCE 200809L
#include "ffs_lib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *when(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, len, "%lld", (long long)t);
    return buf;
}

/* Print the set bits of `map[0..n)` as ranges "a-b c", each plus `base`. */
static void print_ranges(FILE *out, const uint8_t *map, uint32_t n, uint32_t base)
{
    int any = 0;
    for (uint32_t i = 0; i < n;) {
        if (!ffs_isset(map, i)) {
            i++;
            continue;
        }
        uint32_t j = i;
        while (j + 1 < n && ffs_isset(map, j + 1))
            j++;
        if (i == j)
            fprintf(out, " %u", base + i);
        else
            fprintf(out, " %u-%u", base + i, base + j);
        any = 1;
        i = j + 1;
    }
    fprintf(out, "%s\n", any ? "" : " none");
}

static void dump_superblock(const struct ffs_superblock *fs, FILE *out)
{
    char t1[40], t2[40];
    fprintf(out, "magic\t%08x (FFS1)\tversion %u\tclean %s\n", fs->fs_magic, fs->fs_version,
            fs->fs_clean == FFS_CLEAN ? "yes" : "no");
    fprintf(out, "volname\t\"%.*s\"\n", (int)sizeof fs->fs_volname, fs->fs_volname);
    fprintf(out, "created\t%s\twritten %s\n", when(fs->fs_ctime, t1, sizeof t1),
            when(fs->fs_time, t2, sizeof t2));
    fprintf(out, "bsize\t%u\tbshift %u\tsize %u blocks (%llu bytes)\n", fs->fs_bsize,
            fs->fs_bshift, fs->fs_size, (unsigned long long)fs->fs_size * fs->fs_bsize);
    fprintf(out, "ncg\t%u\tfpg %u\tipg %u\tinodes %u\n", fs->fs_ncg, fs->fs_fpg, fs->fs_ipg,
            ffs_ninodes(fs));
    fprintf(out, "inopb\t%u\tnindir %u\tdsize %u\tbootblocks %u\n", fs->fs_inopb, fs->fs_nindir,
            fs->fs_dsize, fs->fs_bootblocks);
    fprintf(out, "offsets\tsb %u\theader %u\timap %u\tbmap %u\tinodes %u\tdata %u\n",
            fs->fs_sblkno, fs->fs_cblkno, fs->fs_imapno, fs->fs_bmapno, fs->fs_iblkno,
            fs->fs_dblkno);
    fprintf(out, "minfree\t%u%%\tmaxbpg %u\tcgrotor %u\tflags %#x\n", fs->fs_minfree,
            fs->fs_maxbpg, fs->fs_cgrotor, fs->fs_flags);
    fprintf(out, "cstotal\tndir %u\tnbfree %u\tnifree %u\n", fs->fs_cstotal.cs_ndir,
            fs->fs_cstotal.cs_nbfree, fs->fs_cstotal.cs_nifree);
}

static int dump_group(const struct ffs_image *img, const struct ffs_superblock *fs, uint32_t g,
                      uint8_t *map, FILE *out)
{
    struct ffs_cg cg;
    uint32_t base = ffs_cgbase(fs, g), n = ffs_cg_nblocks(fs, g);
    int error = ffs_cg_read(img, fs, g, &cg);
    if (error)
        return error;
    fprintf(out, "\ngroup %u:\tblocks %u-%u (%u)\n", g, base, base + n - 1, n);
    fprintf(out, "\tsb %u\theader %u\timap %u\tbmap %u\tinodes %u-%u\tdata %u-%u\n",
            ffs_cgsblock(fs, g), ffs_cgtod(fs, g), ffs_cgimap(fs, g), ffs_cgbmap(fs, g),
            ffs_cgimin(fs, g), ffs_cgdmin(fs, g) - 1, ffs_cgdmin(fs, g), base + n - 1);
    fprintf(out, "\tmagic %08x%s\tcgx %u\tndblk %u\tniblk %u\n", cg.cg_magic,
            cg.cg_magic == FFS_CG_MAGIC ? "" : " (BAD)", cg.cg_cgx, cg.cg_ndblk, cg.cg_niblk);
    fprintf(out, "\tndir %u\tnbfree %u\tnifree %u\trotor %u\tirotor %u\n", cg.cg_cs.cs_ndir,
            cg.cg_cs.cs_nbfree, cg.cg_cs.cs_nifree, cg.cg_rotor, cg.cg_irotor);
    if ((error = ffs_bread(img, fs, ffs_cgimap(fs, g), map)))
        return error;
    fprintf(out, "\tinodes used:");
    print_ranges(out, map, fs->fs_ipg, g * fs->fs_ipg);
    if ((error = ffs_bread(img, fs, ffs_cgbmap(fs, g), map)))
        return error;
    fprintf(out, "\tblocks used:");
    print_ranges(out, map, n, base);
    return 0;
}

int ffs_dumpfs(const struct ffs_image *img, FILE *out)
{
    struct ffs_superblock fs;
    const char *why = NULL;
    int error = ffs_sb_read(img, &fs, &why);
    if (error) {
        fprintf(out, "superblock: %s\n", why ? why : strerror(-error));
        return error;
    }
    dump_superblock(&fs, out);
    uint8_t *map = (uint8_t *)malloc(fs.fs_bsize);
    if (!map)
        return -ENOMEM;
    for (uint32_t g = 0; g < fs.fs_ncg && !error; g++)
        error = dump_group(img, &fs, g, map, out);
    free(map);
    if (error)
        fprintf(out, "reading a group: %s\n", strerror(-error));
    return error;
}
