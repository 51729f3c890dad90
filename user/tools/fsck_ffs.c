/*
 * user/tools/fsck_ffs.c -- check an FFS image.
 *
 *   fsck_ffs [-n] image-or-device
 *
 * Reads every inode, directory and bitmap and prints one line per fault,
 * naming the inode, block or group and what is wrong; then a summary. -n
 * never writes. Without it, faults in counts and maps (free counts, the
 * bitmaps, link counts, di_blocks, the clean flag, stale superblock copies)
 * are repaired when they are the only faults.
 *
 * Exit status (as fsck(8) and e2fsck):
 *   0  clean
 *   1  faults found and all repaired
 *   4  faults left in the image (structural ones, or -n)
 *   8  cannot check: unreadable image or superblock, or a usage error
 *
 * The checks: ffs_fsck (ffs_fsck.c); docs/ffs.md ("The tools").
 */
#define _POSIX_C_SOURCE 200809L
#include "ffs_lib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct ffs_fsck_options opts;
    memset(&opts, 0, sizeof opts);
    int opt;
    while ((opt = getopt(argc, argv, "n")) != -1) {
        if (opt != 'n') {
            fprintf(stderr, "usage: fsck_ffs [-n] image\n");
            return FFS_FSCK_FATAL;
        }
        opts.readonly = 1;
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: fsck_ffs [-n] image\n");
        return FFS_FSCK_FATAL;
    }
    const char *path = argv[optind];
    int fd = open(path, opts.readonly ? O_RDONLY : O_RDWR);
    if (fd < 0) {
        fprintf(stderr, "fsck_ffs: %s: %s\n", path, strerror(errno));
        return FFS_FSCK_FATAL;
    }
    int64_t size = ffs_fd_size(fd);
    if (size < 0) {
        fprintf(stderr, "fsck_ffs: %s: %s\n", path, strerror((int)-size));
        return FFS_FSCK_FATAL;
    }
    struct ffs_image img;
    ffs_image_fd(&img, fd, (uint64_t)size);
    printf("** %s%s\n", path, opts.readonly ? " (NO WRITE)" : "");
    int status = ffs_fsck(&img, &opts, stdout);
    if (status == FFS_FSCK_FIXED && fsync(fd) < 0 && errno != EINVAL) {
        fprintf(stderr, "fsck_ffs: %s: fsync: %s\n", path, strerror(errno));
        return FFS_FSCK_FATAL;
    }
    return status;
}
