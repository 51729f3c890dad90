/*
 * user/tools/dumpfs.c -- print an FFS image's superblock and groups.
 *
 *   dumpfs image-or-device
 *
 * For teaching: every superblock field, then per group where its metadata
 * and data lie, its counts, and its used inodes and blocks as ranges.
 * Exit status 0, or 1 if the image cannot be read or its superblock is not
 * sound. The printer: ffs_dumpfs (ffs_dumpfs.c); docs/ffs.md.
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
    if (argc != 2) {
        fprintf(stderr, "usage: dumpfs image\n");
        return 1;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "dumpfs: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    int64_t size = ffs_fd_size(fd);
    if (size < 0) {
        fprintf(stderr, "dumpfs: %s: %s\n", argv[1], strerror((int)-size));
        return 1;
    }
    struct ffs_image img;
    ffs_image_fd(&img, fd, (uint64_t)size);
    return ffs_dumpfs(&img, stdout) ? 1 : 0;
}
