/*
 * user/tools/ffs_fsck_dirs.c -- fsck_ffs's passes over the directories
 * (see ffs_fsck.c for all six passes and how faults are counted):
 *
 *   2  directories  every chunk of every directory: each entry's reclen
 *                   (>= 12, a multiple of 4, inside its 512-byte chunk) and
 *                   namlen (fits its record), a clean NUL-terminated name,
 *                   no name twice, "." then ".." first; each entry names an
 *                   allocated inode of the type its d_type says. It counts
 *                   the entries naming each inode (for pass 4) and records
 *                   each directory's parent (the one directory naming it)
 *                   and its "..".
 *   3  the tree     every directory reachable from the root by parent links
 *                   (a loop never reaches it), its ".." naming its parent.
 */
#define _POSIX_C_SOURCE 200809L
#include "ffs_fsck.h"

#include <stdlib.h>
#include <string.h>

/* ---- pass 2: directory entries ------------------------------------------------- */

/* Remember `name` (namlen bytes) of the directory being checked.
 * Returns 0, or -1 when out of memory (the duplicate check is then skipped). */
static int names_add(struct names *nm, const char *name, uint32_t namlen)
{
    if (nm->len + namlen + 1 > nm->cap) {
        size_t cap = (nm->cap ? nm->cap * 2 : 4096) + namlen + 1;
        char *text = (char *)realloc(nm->text, cap);
        if (!text)
            return -1;
        nm->text = text, nm->cap = cap;
    }
    if (nm->n == nm->refcap) {
        size_t cap = nm->refcap ? nm->refcap * 2 : 256;
        struct name_ref *refs = (struct name_ref *)realloc(nm->refs, cap * sizeof *refs);
        if (!refs)
            return -1;
        nm->refs = refs, nm->refcap = cap;
    }
    uint32_t hash = 2166136261u;    /* FNV-1a */
    for (uint32_t i = 0; i < namlen; i++)
        hash = (hash ^ (uint8_t)name[i]) * 16777619u;
    nm->refs[nm->n].hash = hash;
    nm->refs[nm->n].off = (uint32_t)nm->len;
    nm->n++;
    memcpy(nm->text + nm->len, name, namlen);
    nm->text[nm->len + namlen] = 0;
    nm->len += namlen + 1;
    return 0;
}

static int by_hash(const void *a, const void *b)
{
    uint32_t x = ((const struct name_ref *)a)->hash, y = ((const struct name_ref *)b)->hash;
    return x < y ? -1 : x > y;
}

/* Report every name that directory `dir` holds twice, then forget them. */
static void check_duplicates(struct fsck *ck, uint32_t dir)
{
    struct names *nm = &ck->names;
    qsort(nm->refs, nm->n, sizeof *nm->refs, by_hash);
    for (size_t i = 0; i < nm->n; i++)
        for (size_t j = i + 1; j < nm->n && nm->refs[j].hash == nm->refs[i].hash; j++)
            if (!strcmp(nm->text + nm->refs[i].off, nm->text + nm->refs[j].off)) {
                ffs_fault(ck, 0, "DIRECTORY %u: two entries named '%s'", dir,
                      nm->text + nm->refs[i].off);
                break;
            }
    nm->n = nm->len = 0;
}

/* Check one entry of directory `dir` (the `index`th of the directory). */
static void check_entry(struct fsck *ck, uint32_t dir, const struct ffs_direct *d, uint32_t index,
                        uint64_t where)
{
    const char *name = d->d_name;
    if (index == 0 && (d->d_namlen != 1 || name[0] != '.' || d->d_ino != dir)) {
        ffs_fault(ck, 0, "DIRECTORY %u: first entry is not '.' naming itself", dir);
        return;
    }
    if (index == 1 && (d->d_namlen != 2 || name[0] != '.' || name[1] != '.')) {
        ffs_fault(ck, 0, "DIRECTORY %u: second entry is not '..'", dir);
        return;
    }
    int is_dots = (d->d_namlen == 1 && name[0] == '.') ||
                  (d->d_namlen == 2 && name[0] == '.' && name[1] == '.');
    if (index > 1 && is_dots) {
        ffs_fault(ck, 0, "DIRECTORY %u: a second '%.*s' entry at byte %llu", dir, d->d_namlen, name,
              (unsigned long long)where);
        return;
    }
    if (!is_alloc(ck, d->d_ino)) {
        ffs_fault(ck, 0, "DIRECTORY %u: entry '%.*s' names %s inode %u", dir, d->d_namlen, name,
              d->d_ino < ck->ninodes ? "the free" : "the out-of-range", d->d_ino);
        return;
    }
    if (d->d_type != ffs_mode_to_dtype(ck->inodes[d->d_ino].di_mode))
        ffs_fault(ck, 0, "DIRECTORY %u: entry '%.*s' has type %u, but inode %u is of type %u", dir,
              d->d_namlen, name, d->d_type, d->d_ino,
              ffs_mode_to_dtype(ck->inodes[d->d_ino].di_mode));
    ck->nrefs[d->d_ino]++;
    if (index == 1) {
        ck->dotdot[dir] = d->d_ino;
        return;
    }
    if (index == 0 || ftype(ck, d->d_ino) != FFS_IFDIR)
        return;
    if (d->d_ino == FFS_ROOTINO)
        ffs_fault(ck, 0, "DIRECTORY %u: entry '%.*s' names the root directory (a loop)", dir,
              d->d_namlen, name);
    else if (ck->parent[d->d_ino])
        ffs_fault(ck, 0, "DIRECTORY %u: named twice, in directory %u and as '%.*s' in directory %u "
                     "(a hard link to a directory, or a loop)",
              d->d_ino, ck->parent[d->d_ino], d->d_namlen, name, dir);
    else
        ck->parent[d->d_ino] = dir;
}

/* Check the chunk at byte `base` of directory `dir`; `*index` counts the
 * directory's entries so far. Returns 0, or -1 if the chunk is broken. */
static int check_chunk(struct fsck *ck, uint32_t dir, const uint8_t *chunk, uint64_t base,
                       uint32_t *index)
{
    uint32_t off = 0;
    while (off < FFS_DIRBLKSIZ) {
        const struct ffs_direct *d = (const struct ffs_direct *)(chunk + off);
        uint64_t where = base + off;
        if (d->d_reclen < FFS_DIRECT_HEADER + 4u || d->d_reclen % 4u ||
            off + d->d_reclen > FFS_DIRBLKSIZ) {
            ffs_fault(ck, 0, "DIRECTORY %u: entry at byte %llu has a bad reclen %u", dir,
                  (unsigned long long)where, d->d_reclen);
            return -1;
        }
        if (d->d_ino != 0) {
            if (d->d_namlen == 0 || ffs_dirsiz(d->d_namlen) > d->d_reclen) {
                ffs_fault(ck, 0, "DIRECTORY %u: entry at byte %llu has a bad namlen %u (reclen %u)",
                      dir, (unsigned long long)where, d->d_namlen, d->d_reclen);
                return -1;
            }
            if (memchr(d->d_name, '/', d->d_namlen) || memchr(d->d_name, 0, d->d_namlen) ||
                d->d_name[d->d_namlen] != 0)
                ffs_fault(ck, 0, "DIRECTORY %u: entry at byte %llu has a bad name (a '/' or a NUL "
                             "inside, or no NUL after)",
                      dir, (unsigned long long)where);
            else {
                check_entry(ck, dir, d, (*index)++, where);
                names_add(&ck->names, d->d_name, d->d_namlen);
            }
        } else if (*index < 2) {
            ffs_fault(ck, 0, "DIRECTORY %u: no '%s' entry", dir, *index == 0 ? "." : "..");
            return -1;
        }
        off += d->d_reclen;
    }
    return 0;
}

static void check_directory(struct fsck *ck, uint32_t dir)
{
    const struct ffs_dinode *dp = &ck->inodes[dir];
    const struct ffs_superblock *fs = &ck->fs;
    uint32_t index = 0;
    uint64_t nchunks = dp->di_size / FFS_DIRBLKSIZ;
    uint32_t per_block = fs->fs_bsize / FFS_DIRBLKSIZ;
    for (uint64_t c = 0; c < nchunks; c++) {
        if (c % per_block == 0) {
            uint32_t bno = 0;
            uint64_t lbn = c / per_block;
            if (ffs_bmap(ck->img, fs, dp, lbn, &bno) || !ffs_is_data_block(fs, bno)) {
                ffs_fault(ck, 0, "DIRECTORY %u: logical block %llu is %s", dir,
                      (unsigned long long)lbn, bno == 0 ? "a hole" : "unreadable");
                c += per_block - 1;
                continue;
            }
            if (ffs_bread(ck->img, fs, bno, ck->block)) {
                ck->names.n = ck->names.len = 0;
                return;
            }
        }
        const uint8_t *chunk = ck->block + (c % per_block) * FFS_DIRBLKSIZ;
        if (check_chunk(ck, dir, chunk, c * FFS_DIRBLKSIZ, &index))
            continue;
    }
    if (index < 2)
        ffs_fault(ck, 0, "DIRECTORY %u: has no '.' and '..' entries", dir);
    check_duplicates(ck, dir);
    ck->dir_ok[dir] = 1;
}

void ffs_fsck_pass2_directories(struct fsck *ck)
{
    for (uint32_t ino = FFS_ROOTINO; ino < ck->ninodes; ino++)
        if (is_alloc(ck, ino) && ftype(ck, ino) == FFS_IFDIR &&
            ck->inodes[ino].di_size % FFS_DIRBLKSIZ == 0 &&
            ck->inodes[ino].di_size <= (uint64_t)ck->fs.fs_dsize * ck->fs.fs_bsize)
            check_directory(ck, ino);
}

/* ---- pass 3: the tree ------------------------------------------------------------- */

/* Is directory `dir` reachable from the root through parent links? Walks up
 * at most ninodes steps, so a loop of parents ends. */
static int reachable(const struct fsck *ck, uint32_t dir)
{
    for (uint32_t steps = 0; steps <= ck->ninodes; steps++) {
        if (dir == FFS_ROOTINO)
            return 1;
        dir = ck->parent[dir];
        if (dir == 0)
            return 0;
    }
    return 0;
}

void ffs_fsck_pass3_tree(struct fsck *ck)
{
    if (ck->dir_ok[FFS_ROOTINO] && ck->dotdot[FFS_ROOTINO] != FFS_ROOTINO)
        ffs_fault(ck, 0, "DIRECTORY %u: the root's '..' names %u, not itself", FFS_ROOTINO,
              ck->dotdot[FFS_ROOTINO]);
    for (uint32_t ino = FFS_ROOTINO + 1; ino < ck->ninodes; ino++) {
        if (!is_alloc(ck, ino) || ftype(ck, ino) != FFS_IFDIR)
            continue;
        if (!reachable(ck, ino)) {
            ffs_fault(ck, 0, "DIRECTORY %u: not reachable from the root (%s)", ino,
                  ck->parent[ino] ? "in a loop, or under one" : "no directory names it");
            continue;
        }
        if (ck->dir_ok[ino] && ck->dotdot[ino] != ck->parent[ino])
            ffs_fault(ck, 0, "DIRECTORY %u: '..' names %u, but its parent is %u", ino,
                  ck->dotdot[ino], ck->parent[ino]);
    }
}
