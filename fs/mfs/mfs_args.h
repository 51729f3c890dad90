/*
 * fs/mfs/mfs_args.h -- what mount_mfs passes to mount(2) for an MFS (4.4BSD's
 * struct mfs_args, in this kernel's own layout).
 *
 *     struct mfs_args args = { MFS_ARGS_VERSION, 0, base, size };
 *     mount("mfs", "/mnt", "mfs", 0, &args);   // returns at unmount
 *
 * `base` and `size` name the region of the caller's own address space
 * (anonymous memory from mmap, already holding a newfs'd image) that
 * becomes the file system's "disk"; the caller becomes its server and
 * mount(2) returns only when the file system is unmounted (0), or when the
 * caller is killed. docs/mfs.md; user/tools/mount_mfs.c. C and C++ both
 * include it (as fs/ffs/ffs_format.h).
 */
#ifndef FS_MFS_MFS_ARGS_H
#define FS_MFS_MFS_ARGS_H

#include <stdint.h>

#define MFS_ARGS_VERSION 1u
#define MFS_NODISCARD 0x1u   /* keep freed blocks' pages (4.4BSD's behaviour) */

struct mfs_args {
    uint32_t version;        /* MFS_ARGS_VERSION */
    uint32_t flags;          /* MFS_NODISCARD */
    uint64_t base;           /* the region's start: page-aligned */
    uint64_t size;           /* its length: a multiple of the page size */
};

#endif /* FS_MFS_MFS_ARGS_H */
