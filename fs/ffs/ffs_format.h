/*
 * fs/ffs/ffs_format.h -- the on-image format of FFS, this kernel's block file
 * system in the 4.2/4.4BSD Fast File System tradition.
 *
 * One header for everything that reads or writes an image: the kernel's FFS
 * (C++20, freestanding), the tools newfs, fsck_ffs and dumpfs (C11, built
 * with gcc for the host and musl-gcc for the guest) and MFS's mount_mfs, which
 * runs newfs's code over its own memory. So it holds only fixed-width integer
 * fields, constants and static inline helpers, and includes nothing beyond the
 * compiler's own <stdint.h> and <stddef.h> (both exist in a freestanding
 * build). Integers are stored in the host's byte order: little-endian, since
 * the only machine is x86-64.
 *
 * The image, in blocks of fs_bsize bytes (4096 or 8192, as 4.2BSD's
 * MINBSIZE..MAXBSIZE; no fragments). Block 0 starts the image; 0 is never a
 * data block, so a block pointer of 0 means "none" (a hole).
 *
 *   byte 0      8192
 *   +-----------+--------------- group 0 --------------+-- group 1 -- ...
 *   | boot area | sb | hdr | imap | bmap | inodes | data | sb | hdr | ...
 *   +-----------+----+-----+------+------+--------+------+----+-----+
 *                 ^ the primary superblock, byte 8192; every other group
 *                   starts with a backup copy of it.
 *
 *   boot area  the first 8 KiB, unused (4.4BSD keeps its boot blocks there)
 *   sb         struct ffs_superblock in the first bytes of a block
 *   hdr        struct ffs_cg, the group header: its free counts and rotors
 *   imap       inode bitmap: bit i set = inode (g * ipg + i) is allocated
 *   bmap       block bitmap: bit i set = block (cgbase(g) + i) is in use --
 *              metadata blocks included, so "set" means "not free"
 *   inodes     fs_ipg struct ffs_dinode, fs_inopb per block
 *   data       everything else in the group: file, directory and indirect
 *              blocks
 *
 * Group g starts at block fs_bootblocks + g * fs_fpg; every group has the
 * same layout at the same offsets (fs_sblkno..fs_dblkno); only the last may
 * be shorter (fewer data blocks). Each bitmap is exactly one block, which
 * bounds a group to 8 * fs_bsize blocks and inodes; the bits past a group's
 * blocks (cg_ndblk) and inodes (fs_ipg) are always clear.
 *
 * Inode numbers run from 0 to fs_ncg * fs_ipg - 1. Inodes 0 and 1 are never
 * used (0 means "no inode" in a directory entry; 4.4BSD kept 1 for bad
 * blocks); FFS_ROOTINO (2) is the root directory. An inode is allocated iff
 * its di_mode is nonzero iff its bit is set in its group's inode bitmap.
 *
 * Differences from 4.4BSD (docs/ffs.md argues each): no fragments, no
 * cylinder/rotational tables, both bitmaps mean "in use" (FFS's block map
 * means "free"), the group header and each bitmap take a block of their own,
 * and all groups put their metadata at the group's start.
 *
 * Read: NetBSD sys/ufs/ffs/fs.h, sys/ufs/ufs/dinode.h, sys/ufs/ufs/dir.h;
 * McKusick et al., "A Fast File System for UNIX" (1984). docs/ffs.md has the
 * figure, the directory format, the allocation policy and a glossary.
 */
#ifndef FS_FFS_FFS_FORMAT_H
#define FS_FFS_FFS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define FFS_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define FFS_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* ---- constants -------------------------------------------------------- */

#define FFS_MAGIC 0x46465331u      /* "FFS1" read as a little-endian word */
#define FFS_CG_MAGIC 0x46464347u   /* "FFCG" */
#define FFS_VERSION 1u             /* bumped on any incompatible change */

#define FFS_SBOFF 8192u            /* byte offset of the primary superblock */
#define FFS_SBSIZE 512u            /* sizeof(struct ffs_superblock) */
#define FFS_MINBSIZE 4096u
#define FFS_MAXBSIZE 8192u

#define FFS_NDADDR 12u             /* direct block pointers in an inode */
#define FFS_NIADDR 3u              /* single, double, triple indirect */
#define FFS_DINODE_SIZE 128u
/* A symlink whose target is shorter than this lives in di_db/di_ib. */
#define FFS_MAXSYMLINKLEN ((FFS_NDADDR + FFS_NIADDR) * 4u)

#define FFS_ROOTINO 2u             /* the root directory */
#define FFS_FIRST_FREE_INO 3u      /* the first inode newfs leaves for files */

#define FFS_DIRBLKSIZ 512u         /* directory chunk: entries never cross one */
#define FFS_MAXNAMLEN 255u

/* Group-relative block offsets of the metadata (the same in every group). */
#define FFS_SBLKNO 0u              /* superblock (copy) */
#define FFS_CBLKNO 1u              /* group header */
#define FFS_IMAPNO 2u              /* inode bitmap */
#define FFS_BMAPNO 3u              /* block bitmap */
#define FFS_IBLKNO 4u              /* first inode-table block */

/* fs_clean */
#define FFS_CLEAN 1u               /* unmounted cleanly; fsck need not run */
#define FFS_DIRTY 0u               /* mounted, or not unmounted cleanly */

/* di_mode: the type bits and permissions, with Linux's (= POSIX) values. */
#define FFS_IFMT 0170000u
#define FFS_IFIFO 0010000u
#define FFS_IFCHR 0020000u
#define FFS_IFDIR 0040000u
#define FFS_IFBLK 0060000u
#define FFS_IFREG 0100000u
#define FFS_IFLNK 0120000u
#define FFS_IFSOCK 0140000u

/* d_type in a directory entry: BSD's and Linux's DT_ values. */
#define FFS_DT_UNKNOWN 0u
#define FFS_DT_FIFO 1u
#define FFS_DT_CHR 2u
#define FFS_DT_DIR 4u
#define FFS_DT_BLK 6u
#define FFS_DT_REG 8u
#define FFS_DT_LNK 10u
#define FFS_DT_SOCK 12u

/* ---- the superblock (4.4BSD struct fs) -------------------------------- */

/* Summary counts, kept per group and summed in the superblock (struct csum). */
struct ffs_csum {
    uint32_t cs_ndir;              /* directories */
    uint32_t cs_nbfree;            /* free blocks */
    uint32_t cs_nifree;            /* free inodes */
    uint32_t cs_spare;
};
FFS_STATIC_ASSERT(sizeof(struct ffs_csum) == 16, "ffs_csum is 16 bytes");

struct ffs_superblock {
    uint32_t fs_magic;             /* FFS_MAGIC */
    uint32_t fs_version;           /* FFS_VERSION */
    uint32_t fs_bsize;             /* block size in bytes: 4096 or 8192 */
    uint32_t fs_bshift;            /* log2(fs_bsize) */
    uint32_t fs_size;              /* blocks in the image, boot area included */
    uint32_t fs_dsize;             /* data blocks (all groups' data areas) */
    uint32_t fs_ncg;               /* number of groups */
    uint32_t fs_fpg;               /* blocks per group (the last may have fewer) */
    uint32_t fs_ipg;               /* inodes per group (a multiple of fs_inopb) */
    uint32_t fs_inopb;             /* inodes per block: fs_bsize / 128 */
    uint32_t fs_nindir;            /* block pointers per indirect block: fs_bsize / 4 */
    uint32_t fs_bootblocks;        /* blocks before group 0: FFS_SBOFF / fs_bsize */
    uint32_t fs_sblkno;            /* group-relative offsets: FFS_SBLKNO ... */
    uint32_t fs_cblkno;            /* FFS_CBLKNO */
    uint32_t fs_imapno;            /* FFS_IMAPNO */
    uint32_t fs_bmapno;            /* FFS_BMAPNO */
    uint32_t fs_iblkno;            /* FFS_IBLKNO */
    uint32_t fs_dblkno;            /* first data block: fs_iblkno + fs_ipg / fs_inopb */
    uint32_t fs_minfree;           /* percent of data blocks kept for root */
    uint32_t fs_maxbpg;            /* blocks of one file per group before moving on */
    uint32_t fs_clean;             /* FFS_CLEAN or FFS_DIRTY */
    uint32_t fs_flags;             /* none defined yet; 0 */
    uint32_t fs_cgrotor;           /* the last group searched for blocks */
    uint32_t fs_spare0;
    int64_t fs_time;               /* last time written (seconds since 1970) */
    int64_t fs_ctime;              /* when newfs made it */
    struct ffs_csum fs_cstotal;    /* the sum of every group's ffs_cg.cg_cs */
    char fs_volname[32];           /* a name, NUL-padded */
    uint8_t fs_spare[512 - 160];   /* zero; room to grow */
};
FFS_STATIC_ASSERT(sizeof(struct ffs_superblock) == FFS_SBSIZE, "superblock is 512 bytes");
FFS_STATIC_ASSERT(offsetof(struct ffs_superblock, fs_time) == 96, "fs_time offset");
FFS_STATIC_ASSERT(offsetof(struct ffs_superblock, fs_volname) == 128, "fs_volname offset");

/* ---- the group header (4.4BSD struct cg) ------------------------------ */

struct ffs_cg {
    uint32_t cg_magic;             /* FFS_CG_MAGIC */
    uint32_t cg_cgx;               /* this group's index */
    uint32_t cg_ndblk;             /* blocks in this group, metadata included */
    uint32_t cg_niblk;             /* inodes in this group (= fs_ipg) */
    int64_t cg_time;               /* last time written */
    struct ffs_csum cg_cs;         /* this group's counts */
    uint32_t cg_rotor;             /* group-relative block the last search ended at */
    uint32_t cg_irotor;            /* group-relative inode the last search ended at */
    uint8_t cg_spare[128 - 48];    /* zero */
};
FFS_STATIC_ASSERT(sizeof(struct ffs_cg) == 128, "group header is 128 bytes");

/* ---- the inode (4.4BSD struct dinode, UFS1-sized) ---------------------- */

struct ffs_dinode {
    uint16_t di_mode;              /* type and permissions; 0 = free inode */
    uint16_t di_nlink;             /* directory entries naming it */
    uint32_t di_uid;
    uint32_t di_gid;
    uint32_t di_flags;             /* none defined yet; 0 */
    uint64_t di_size;              /* bytes */
    int64_t di_atime;              /* seconds since 1970 */
    int64_t di_mtime;
    int64_t di_ctime;
    uint32_t di_atimensec;
    uint32_t di_mtimensec;
    uint32_t di_ctimensec;
    uint32_t di_blocks;            /* 512-byte units held, indirect blocks included */
    uint32_t di_gen;               /* generation: bumped each time it is reused */
    uint32_t di_db[FFS_NDADDR];    /* direct blocks; di_db[0] is the device of CHR/BLK */
    uint32_t di_ib[FFS_NIADDR];    /* single, double, triple indirect */
};
FFS_STATIC_ASSERT(sizeof(struct ffs_dinode) == FFS_DINODE_SIZE, "dinode is 128 bytes");
FFS_STATIC_ASSERT(offsetof(struct ffs_dinode, di_db) + FFS_MAXSYMLINKLEN == FFS_DINODE_SIZE,
                  "a short symlink fills di_db and di_ib exactly");

/* ---- directory entries (4.4BSD struct direct) -------------------------- */

/*
 * A directory's data is a sequence of FFS_DIRBLKSIZ-byte chunks; each chunk is
 * a sequence of variable-length entries that exactly fill it: an entry's
 * d_reclen runs to the next entry, the last one's to the end of the chunk.
 * d_reclen >= ffs_dirsiz(d_namlen) and is a multiple of 4; the slack after
 * the name is free space for a later entry. The name is NUL-terminated on
 * the image (not counted in d_namlen). An entry with d_ino 0 is unused; only
 * a chunk's first entry can be one (a removed entry otherwise joins the one
 * before it). Every directory starts with "." then "..".
 */
struct ffs_direct {
    uint32_t d_ino;                /* inode number; 0 = unused */
    uint16_t d_reclen;             /* bytes from this entry to the next */
    uint8_t d_type;                /* FFS_DT_* of the inode */
    uint8_t d_namlen;              /* length of d_name, without the NUL */
    char d_name[FFS_MAXNAMLEN + 1];
};
#define FFS_DIRECT_HEADER 8u       /* the bytes before d_name */
FFS_STATIC_ASSERT(offsetof(struct ffs_direct, d_name) == FFS_DIRECT_HEADER, "direct header");
FFS_STATIC_ASSERT(sizeof(struct ffs_direct) == 264, "ffs_direct is 264 bytes");

/* ---- helpers ------------------------------------------------------------ */

/* The bytes an entry with a name of `namlen` needs: header, name, NUL, to 4. */
static inline uint32_t ffs_dirsiz(uint32_t namlen)
{
    return (FFS_DIRECT_HEADER + namlen + 1u + 3u) & ~3u;
}

/* Group g's first block, and its metadata blocks (absolute block numbers). */
static inline uint32_t ffs_cgbase(const struct ffs_superblock *fs, uint32_t g)
{
    return fs->fs_bootblocks + g * fs->fs_fpg;
}
static inline uint32_t ffs_cgsblock(const struct ffs_superblock *fs, uint32_t g)
{
    return ffs_cgbase(fs, g) + fs->fs_sblkno;
}
static inline uint32_t ffs_cgtod(const struct ffs_superblock *fs, uint32_t g)
{
    return ffs_cgbase(fs, g) + fs->fs_cblkno;
}
static inline uint32_t ffs_cgimap(const struct ffs_superblock *fs, uint32_t g)
{
    return ffs_cgbase(fs, g) + fs->fs_imapno;
}
static inline uint32_t ffs_cgbmap(const struct ffs_superblock *fs, uint32_t g)
{
    return ffs_cgbase(fs, g) + fs->fs_bmapno;
}
static inline uint32_t ffs_cgimin(const struct ffs_superblock *fs, uint32_t g)
{
    return ffs_cgbase(fs, g) + fs->fs_iblkno;
}
static inline uint32_t ffs_cgdmin(const struct ffs_superblock *fs, uint32_t g)
{
    return ffs_cgbase(fs, g) + fs->fs_dblkno;
}

/* The number of blocks in group g (only the last group can be short). */
static inline uint32_t ffs_cg_nblocks(const struct ffs_superblock *fs, uint32_t g)
{
    uint32_t end = ffs_cgbase(fs, g) + fs->fs_fpg;
    return (end > fs->fs_size ? fs->fs_size : end) - ffs_cgbase(fs, g);
}

/* Which group holds block `bno` (>= fs_bootblocks), and its index there. */
static inline uint32_t ffs_dtog(const struct ffs_superblock *fs, uint32_t bno)
{
    return (bno - fs->fs_bootblocks) / fs->fs_fpg;
}
static inline uint32_t ffs_dtogd(const struct ffs_superblock *fs, uint32_t bno)
{
    return (bno - fs->fs_bootblocks) % fs->fs_fpg;
}

/* Inode `ino`: its group, its index there, the inode-table block that holds
 * it and its slot in that block. */
static inline uint32_t ffs_ino_to_cg(const struct ffs_superblock *fs, uint32_t ino)
{
    return ino / fs->fs_ipg;
}
static inline uint32_t ffs_ino_to_cgi(const struct ffs_superblock *fs, uint32_t ino)
{
    return ino % fs->fs_ipg;
}
static inline uint32_t ffs_ino_to_fsba(const struct ffs_superblock *fs, uint32_t ino)
{
    return ffs_cgimin(fs, ffs_ino_to_cg(fs, ino)) + ffs_ino_to_cgi(fs, ino) / fs->fs_inopb;
}
static inline uint32_t ffs_ino_to_fsbo(const struct ffs_superblock *fs, uint32_t ino)
{
    return ino % fs->fs_inopb;
}
static inline uint32_t ffs_ninodes(const struct ffs_superblock *fs)
{
    return fs->fs_ncg * fs->fs_ipg;
}

/* Is `bno` a data block (in some group's data area, not metadata)? */
static inline int ffs_is_data_block(const struct ffs_superblock *fs, uint32_t bno)
{
    if (bno < fs->fs_bootblocks || bno >= fs->fs_size)
        return 0;
    return ffs_dtogd(fs, bno) >= fs->fs_dblkno;
}

/* File offsets to logical blocks: the block holding `off`, the offset in it,
 * and the number of blocks `size` bytes span. */
static inline uint64_t ffs_lblkno(const struct ffs_superblock *fs, uint64_t off)
{
    return off >> fs->fs_bshift;
}
static inline uint32_t ffs_blkoff(const struct ffs_superblock *fs, uint64_t off)
{
    return (uint32_t)(off & (fs->fs_bsize - 1u));
}
static inline uint64_t ffs_numblks(const struct ffs_superblock *fs, uint64_t size)
{
    return (size + fs->fs_bsize - 1u) >> fs->fs_bshift;
}

/* The largest file: 12 direct + nindir + nindir^2 + nindir^3 blocks. */
static inline uint64_t ffs_max_lblocks(const struct ffs_superblock *fs)
{
    uint64_t n = fs->fs_nindir;
    return FFS_NDADDR + n + n * n + n * n * n;
}

/* One 512-byte unit count (di_blocks) per file-system block. */
static inline uint32_t ffs_btodb(const struct ffs_superblock *fs, uint32_t blocks)
{
    return blocks * (fs->fs_bsize / 512u);
}

/* Bitmaps: one bit per inode or block, bit i in byte i / 8, least significant
 * bit first. */
static inline int ffs_isset(const uint8_t *map, uint32_t i)
{
    return (map[i >> 3] >> (i & 7u)) & 1u;
}
static inline void ffs_setbit(uint8_t *map, uint32_t i)
{
    map[i >> 3] = (uint8_t)(map[i >> 3] | (1u << (i & 7u)));
}
static inline void ffs_clrbit(uint8_t *map, uint32_t i)
{
    map[i >> 3] = (uint8_t)(map[i >> 3] & ~(1u << (i & 7u)));
}

/* The d_type for an inode's mode (FFS_DT_UNKNOWN for a bad one). */
static inline uint8_t ffs_mode_to_dtype(uint32_t mode)
{
    switch (mode & FFS_IFMT) {
    case FFS_IFIFO: return FFS_DT_FIFO;
    case FFS_IFCHR: return FFS_DT_CHR;
    case FFS_IFDIR: return FFS_DT_DIR;
    case FFS_IFBLK: return FFS_DT_BLK;
    case FFS_IFREG: return FFS_DT_REG;
    case FFS_IFLNK: return FFS_DT_LNK;
    case FFS_IFSOCK: return FFS_DT_SOCK;
    default: return FFS_DT_UNKNOWN;
    }
}

/* Is this a short symlink, its target in di_db/di_ib rather than a block? */
static inline int ffs_is_short_symlink(const struct ffs_dinode *dp)
{
    return (dp->di_mode & FFS_IFMT) == FFS_IFLNK && dp->di_size < FFS_MAXSYMLINKLEN &&
           dp->di_blocks == 0;
}

/*
 * ffs_sb_check: is `fs` a superblock this code can trust, for an image of
 * `image_blocks` blocks of fs->fs_bsize bytes (0: size unknown, not checked)?
 * Every field the helpers above compute with is checked, so that after a
 * pass no helper can index outside the image. Shared by the kernel's mount
 * and by fsck_ffs/dumpfs, so that both refuse the same images.
 * Returns NULL if it is sound, else a short English reason.
 */
static inline const char *ffs_sb_check(const struct ffs_superblock *fs, uint64_t image_blocks)
{
    if (fs->fs_magic != FFS_MAGIC)
        return "bad magic number (not an FFS image)";
    if (fs->fs_version != FFS_VERSION)
        return "unknown format version";
    if (fs->fs_bsize != 4096u && fs->fs_bsize != 8192u)
        return "block size is neither 4096 nor 8192";
    if ((1u << (fs->fs_bshift & 31u)) != fs->fs_bsize)
        return "fs_bshift does not match fs_bsize";
    if (fs->fs_inopb != fs->fs_bsize / FFS_DINODE_SIZE || fs->fs_nindir != fs->fs_bsize / 4u)
        return "inodes or pointers per block do not match the block size";
    if (fs->fs_bootblocks != FFS_SBOFF / fs->fs_bsize)
        return "boot area size is wrong";
    if (fs->fs_sblkno != FFS_SBLKNO || fs->fs_cblkno != FFS_CBLKNO ||
        fs->fs_imapno != FFS_IMAPNO || fs->fs_bmapno != FFS_BMAPNO ||
        fs->fs_iblkno != FFS_IBLKNO)
        return "group metadata offsets are wrong";
    if (fs->fs_ipg == 0 || fs->fs_ipg % fs->fs_inopb != 0 || fs->fs_ipg > 8u * fs->fs_bsize)
        return "inodes per group out of range";
    if (fs->fs_dblkno != fs->fs_iblkno + fs->fs_ipg / fs->fs_inopb)
        return "first data block does not follow the inode table";
    if (fs->fs_fpg <= fs->fs_dblkno || fs->fs_fpg > 8u * fs->fs_bsize)
        return "blocks per group out of range";
    if (fs->fs_ncg == 0 || (uint64_t)fs->fs_ncg * fs->fs_ipg > 0xffffffffu)
        return "number of groups out of range";
    uint64_t last_base = fs->fs_bootblocks + (uint64_t)(fs->fs_ncg - 1u) * fs->fs_fpg;
    if ((uint64_t)fs->fs_size <= last_base + fs->fs_dblkno ||
        (uint64_t)fs->fs_size > last_base + fs->fs_fpg)
        return "size does not match the number of groups";
    if ((uint64_t)fs->fs_dsize !=
        fs->fs_size - fs->fs_bootblocks - (uint64_t)fs->fs_ncg * fs->fs_dblkno)
        return "data block count is wrong";
    if (image_blocks != 0 && fs->fs_size > image_blocks)
        return "the image is shorter than the file system (truncated?)";
    if (fs->fs_cstotal.cs_nbfree > fs->fs_dsize || fs->fs_cstotal.cs_nifree > ffs_ninodes(fs) ||
        fs->fs_cstotal.cs_ndir > ffs_ninodes(fs))
        return "summary counts out of range";
    if (fs->fs_minfree > 99u || fs->fs_maxbpg == 0 || fs->fs_cgrotor >= fs->fs_ncg)
        return "tuning fields out of range";
    if (fs->fs_clean != FFS_CLEAN && fs->fs_clean != FFS_DIRTY)
        return "clean flag is neither 0 nor 1";
    return NULL;
}

#endif /* FS_FFS_FFS_FORMAT_H */
