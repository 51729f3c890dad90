/*
 * user/tools/mount_mfs.c -- mount a memory file system (MFS) served by this
 * process's own pageable memory, as 4.4BSD's mount_mfs (newfs -F).
 *
 *   mount_mfs [-s size[kmg]] [-o nodiscard] [-f] directory
 *
 * What it does (McKusick, Karels and Bostic 1990; docs/mfs.md):
 *   1. maps `size` bytes of anonymous memory (default 16m) -- ordinary
 *      pageable memory of this process;
 *   2. builds an empty FFS in it with newfs's code (ffs_mkfs over memory);
 *   3. calls mount(2) with type "mfs" and the region (fs/mfs/mfs_args.h).
 *      The call does not return while the file system is mounted: the
 *      process is the file system's server, copying blocks between the
 *      kernel and its memory. It returns 0 when the file system is
 *      unmounted, and the process exits 0.
 * Without -f the program forks: the child mounts and serves (in a session
 * of its own, so the terminal's signals do not reach it), and the parent
 * returns once the file system is mounted on `directory` -- the shell gets
 * its prompt back, as with any mount. With -f it serves in the foreground.
 * -o nodiscard keeps the pages of freed blocks (4.4BSD's MFS, which never
 * gave memory back) for the benchmark's comparison.
 *
 * Killing the server (SIGKILL, SIGTERM) kills the file system: every later
 * operation on it fails with EIO, and it can only be unmounted. SIGSTOP
 * only delays its requests. busybox's mount cannot start it (the server is
 * the program itself): use this command.
 * Exit status: 0, or 1 with a message (the mount's errno named).
 */
#define _DEFAULT_SOURCE
#include "ffs_lib.h"
#include "fs/mfs/mfs_args.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: mount_mfs [-s size[kmg]] [-o nodiscard] [-f] directory\n");
    exit(1);
}

static uint64_t parse_size(const char *s)
{
    uint64_t v;
    if (ffs_parse_size(s, &v) != 0 || v == 0) {
        fprintf(stderr, "mount_mfs: bad size '%s'\n", s);
        exit(1);
    }
    return v;
}

/* Make the file system in memory and serve it; returns only at unmount (0)
 * or on an error (1, after a message). */
static int serve(const char *dir, uint64_t size, uint32_t flags)
{
    long page = sysconf(_SC_PAGESIZE);
    size = (size + (uint64_t)page - 1) & ~((uint64_t)page - 1);
    void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        fprintf(stderr, "mount_mfs: no memory for %llu bytes: %s\n", (unsigned long long)size, strerror(errno));
        return 1;
    }
    struct ffs_image img;
    ffs_image_mem(&img, base, size);
    struct ffs_mkfs_params params;
    memset(&params, 0, sizeof params);
    params.volname = "mfs";
    char err[200] = "";
    if (ffs_mkfs(&img, &params, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "mount_mfs: cannot make the file system: %s\n", err);
        return 1;
    }
    struct mfs_args args = { MFS_ARGS_VERSION, flags, (uint64_t)(uintptr_t)base, size };
    if (mount("mfs", dir, "mfs", 0, &args) != 0) {
        fprintf(stderr, "mount_mfs: mount on %s: %s\n", dir, strerror(errno));
        return 1;
    }
    return 0;  /* unmounted */
}

int main(int argc, char **argv)
{
    uint64_t size = 16u << 20;
    uint32_t flags = 0;
    int foreground = 0, opt;
    while ((opt = getopt(argc, argv, "s:o:f")) != -1) {
        switch (opt) {
        case 's': size = parse_size(optarg); break;
        case 'o':
            if (strcmp(optarg, "nodiscard") != 0)
                usage();
            flags |= MFS_NODISCARD;
            break;
        case 'f': foreground = 1; break;
        default: usage();
        }
    }
    if (optind != argc - 1)
        usage();
    const char *dir = argv[optind];
    struct stat before;
    if (stat(dir, &before) != 0 || !S_ISDIR(before.st_mode)) {
        fprintf(stderr, "mount_mfs: %s: not a directory\n", dir);
        return 1;
    }
    if (foreground)
        return serve(dir, size, flags);
    pid_t child = fork();
    if (child < 0) {
        perror("mount_mfs: fork");
        return 1;
    }
    if (child == 0) {
        setsid();
        _exit(serve(dir, size, flags));
    }
    /* Return when the mount is there (the directory's device changes), or
     * when the child gave up (its message is on stderr already). */
    for (int tries = 0; tries < 3000; tries++) {
        int status;
        if (waitpid(child, &status, WNOHANG) == child)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
        struct stat now;
        if (stat(dir, &now) == 0 && now.st_dev != before.st_dev) {
            printf("mount_mfs: %s mounted, served by pid %d\n", dir, (int)child);
            return 0;
        }
        struct timespec tick = { 0, 10 * 1000 * 1000 };
        nanosleep(&tick, NULL);
    }
    fprintf(stderr, "mount_mfs: %s: no mount after 30 s\n", dir);
    return 1;
}
