/*
 * user/tools/ffs_fsck.h -- what the two halves of fsck_ffs share: the
 * checker's state (struct fsck) and the fault reporter. ffs_fsck.c has the
 * driver and passes 0, 1, 4 and 5; ffs_fsck_dirs.c passes 2 and 3 (the
 * directories and the tree). Internal to user/tools: the public entry is
 * ffs_fsck in ffs_lib.h.
 */
#ifndef USER_TOOLS_FFS_FSCK_H
#define USER_TOOLS_FFS_FSCK_H

#include "ffs_lib.h"

/* The names seen in one directory, to find duplicates: each name's hash
 * and offset into one growing buffer of NUL-terminated names. */
struct name_ref {
    uint32_t hash;
    uint32_t off;
};
struct names {
    char *text;
    size_t len, cap;
    struct name_ref *refs;
    size_t n, refcap;
};

struct fsck {
    struct ffs_image *img;
    struct ffs_superblock fs;
    FILE *out;
    int max_reports;
    uint32_t ninodes;
    struct ffs_dinode *inodes;  /* every inode, read once */
    uint32_t *owner;            /* per block: the inode claiming it, 0 = none */
    uint32_t *nblocks_held;     /* per inode: blocks found by pass 1 */
    uint32_t *nrefs;            /* per inode: directory entries naming it */
    uint32_t *parent;           /* per directory: the directory naming it */
    uint32_t *dotdot;           /* per directory: what its ".." names */
    uint8_t *dir_ok;            /* per directory: its entries were parsed */
    uint8_t *block;             /* scratch, one block */
    struct names names;         /* the current directory's names (pass 2) */
    int structural;             /* structural faults found */
    int repairable;             /* repairable faults found */
    int reported;               /* fault lines printed */
};

static inline int is_alloc(const struct fsck *ck, uint32_t ino)
{
    return ino >= FFS_ROOTINO && ino < ck->ninodes && ck->inodes[ino].di_mode != 0;
}

static inline uint32_t ftype(const struct fsck *ck, uint32_t ino)
{
    return ck->inodes[ino].di_mode & FFS_IFMT;
}

/* Report one fault (one line on ck->out, up to ck->max_reports); `repairable`
 * says which kind it is. In ffs_fsck.c. */
__attribute__((format(printf, 3, 4)))
void ffs_fault(struct fsck *ck, int repairable, const char *fmt, ...);

/* Passes 2 and 3, in ffs_fsck_dirs.c. */
void ffs_fsck_pass2_directories(struct fsck *ck);
void ffs_fsck_pass3_tree(struct fsck *ck);

#endif /* USER_TOOLS_FFS_FSCK_H */
