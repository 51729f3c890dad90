/*
 * user/tools/newfs.c -- make an empty FFS on an image file or a device.
 *
 *   newfs [-s size] [-b bsize] [-i bytes-per-inode] [-g blocks-per-group]
 *         [-m minfree%] [-L volname] image-or-device
 *
 * size takes a k, m or g suffix; without -s the whole file or device is
 * used. A regular file that does not exist is created, and one shorter than
 * -s is extended (sparsely).
 * Prints the geometry and where the superblock copies are, as 4.4BSD's
 * newfs does. Exit status 0, or 1 with a message.
 *
 * The work is ffs_mkfs (ffs_mkfs.c); MFS's mount_mfs calls it over memory.
 * See docs/ffs.md ("The tools").
 */
#define _POSIX_C_SOURCE 200809L
#include "ffs_lib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: newfs [-s size[kmg]] [-b bsize] [-i bytes-per-inode] "
                    "[-g blocks-per-group] [-m minfree] [-L volname] image\n");
    exit(1);
}

/* A number with an optional k/m/g suffix (ffs_parse_size); exits on garbage. */
static uint64_t parse_size(const char *s, const char *what)
{
    uint64_t v;
    if (ffs_parse_size(s, &v) != 0) {
        fprintf(stderr, "newfs: bad %s '%s'\n", what, s);
        exit(1);
    }
    return v;
}

static uint32_t parse_u32(const char *s, const char *what)
{
    uint64_t v = parse_size(s, what);
    if (v > UINT32_MAX) {
        fprintf(stderr, "newfs: %s '%s' too large\n", what, s);
        exit(1);
    }
    return (uint32_t)v;
}

static void print_summary(const char *path, const struct ffs_superblock *fs)
{
    uint64_t bytes = (uint64_t)fs->fs_size * fs->fs_bsize;
    printf("%s: %.1f MiB in %u blocks of %u bytes\n", path, bytes / 1048576.0, fs->fs_size,
           fs->fs_bsize);
    printf("\t%u groups of %u blocks, %u inodes each; %u data blocks, %u inodes\n",
           fs->fs_ncg, fs->fs_fpg, fs->fs_ipg, fs->fs_dsize, ffs_ninodes(fs));
    printf("superblock copies at blocks:");
    for (uint32_t g = 0; g < fs->fs_ncg; g++)
        printf("%s %u", g % 10 == 0 && g ? "\n\t" : "", ffs_cgsblock(fs, g));
    printf("\n");
}

int main(int argc, char **argv)
{
    struct ffs_mkfs_params p;
    memset(&p, 0, sizeof p);
    int opt;
    while ((opt = getopt(argc, argv, "s:b:i:g:m:L:")) != -1) {
        switch (opt) {
        case 's': p.size = parse_size(optarg, "size"); break;
        case 'b': p.bsize = parse_u32(optarg, "block size"); break;
        case 'i': p.bytes_per_inode = parse_u32(optarg, "bytes per inode"); break;
        case 'g': p.fpg = parse_u32(optarg, "blocks per group"); break;
        case 'm': p.minfree = parse_u32(optarg, "minfree"); break;
        case 'L': p.volname = optarg; break;
        default: usage();
        }
    }
    if (optind != argc - 1)
        usage();
    const char *path = argv[optind];

    int fd = open(path, p.size ? O_RDWR | O_CREAT : O_RDWR, 0644);
    if (fd < 0) {
        fprintf(stderr, "newfs: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int64_t size = ffs_fd_size(fd);
    if (size < 0) {
        fprintf(stderr, "newfs: %s: %s\n", path, strerror((int)-size));
        return 1;
    }
    struct stat st;
    if (p.size && (uint64_t)size < p.size && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (ftruncate(fd, (off_t)p.size) < 0) {
            fprintf(stderr, "newfs: %s: cannot extend: %s\n", path, strerror(errno));
            return 1;
        }
        size = (int64_t)p.size;
    }

    struct ffs_image img;
    char err[200];
    struct ffs_superblock fs;
    ffs_image_fd(&img, fd, (uint64_t)size);
    if (ffs_mkfs(&img, &p, &fs, err, sizeof err) < 0) {
        fprintf(stderr, "newfs: %s: %s\n", path, err);
        return 1;
    }
    if (fsync(fd) < 0 && errno != EINVAL) {
        fprintf(stderr, "newfs: %s: fsync: %s\n", path, strerror(errno));
        return 1;
    }
    print_summary(path, &fs);
    return 0;
}
