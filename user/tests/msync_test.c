/* user/tests/msync_test.c -- msync(2) and madvise(2): argument checks, write-back, and MADV_DONTNEED.
 *
 * msync: Linux's argument checks and errno values (mm/msync.c), and that a
 * shared file mapping's stores are in the file after MS_SYNC (on tmpfs the
 * mapping and read(2) share pages, so they always are; on a disk file system
 * this is the call that writes them). madvise: the checks (mm/madvise.c),
 * the hints that do nothing, and MADV_DONTNEED: private anonymous memory
 * reads as zeros again, a private file mapping as the file again, a shared
 * mapping keeps its data; after fork, one side's DONTNEED leaves the other
 * side's copy alone. The harness's leak check sees that the dropped pages
 * are freed.
 *
 * The files go in $TEST_DIR/msync_test.<pid> (TEST_DIR defaults to /tmp), so
 * the same cases can run on another file system.
 *
 * Runs unchanged on Linux (see harness.h):
 *     gcc -O2 -Wall -o /tmp/msync_test user/tests/msync_test.c && (cd /tmp && ./msync_test)
 * and in the guest (musl-gcc -static, built by the Makefile).
 */
#include "file_helpers.h"

#include <stdlib.h>

#define PAGE 4096

/* A file of `size` zero bytes (then `contents` at offset 0, if any), open read-write. */
static int scratch_file(const char* name, size_t size, const char* contents)
{
    int fd = open(at(name), O_RDWR | O_CREAT | O_TRUNC, 0600);
    EXPECT(fd >= 0);
    EXPECT_EQ(ftruncate(fd, (off_t)size), 0);
    if (contents)
        EXPECT_EQ(pwrite(fd, contents, strlen(contents), 0), (ssize_t)strlen(contents));
    return fd;
}

static char* anonymous(size_t pages, int flags)
{
    char* p = mmap(0, pages * PAGE, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    return p;
}

/* Are the `n` bytes at p all `c`? */
static int all(const char* p, size_t n, char c)
{
    for (size_t i = 0; i < n; ++i)
        if (p[i] != c)
            return 0;
    return 1;
}

/* Three pages with the middle one unmapped: a range with a hole. */
static char* with_hole(int flags)
{
    char* p = anonymous(3, flags);
    EXPECT_EQ(munmap(p + PAGE, PAGE), 0);
    return p;
}

/* ---- msync ---- */

TEST_CASE(msync_argument_checks)
{
    char* p = anonymous(1, MAP_SHARED);
    EXPECT_ERRNO(msync(p + 1, PAGE, MS_SYNC), EINVAL);                 /* unaligned */
    EXPECT_ERRNO(msync(p, PAGE, 0x8), EINVAL);                         /* unknown flag */
    EXPECT_ERRNO(msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);          /* both */
    EXPECT_ERRNO(msync(p + 1, 0, MS_SYNC), EINVAL);                    /* checked before the length */
    EXPECT_EQ(msync(p, 0, MS_SYNC), 0);                                /* empty */
    EXPECT_EQ(msync(p, 1, MS_SYNC), 0);                                /* rounded up to the page */
    EXPECT_EQ(msync(p, PAGE, 0), 0);                                   /* no flag is fine */
    EXPECT_EQ(msync(p, PAGE, MS_ASYNC), 0);
    EXPECT_EQ(msync(p, PAGE, MS_INVALIDATE), 0);
    EXPECT_EQ(msync(p, PAGE, MS_SYNC | MS_INVALIDATE), 0);
    EXPECT_ERRNO(msync(p, (size_t)0 - (uintptr_t)p + PAGE, MS_SYNC), ENOMEM); /* wraps around */
    EXPECT_EQ(munmap(p, PAGE), 0);
}

TEST_CASE(msync_of_unmapped_memory_is_enomem)
{
    char* p = with_hole(MAP_PRIVATE);
    EXPECT_ERRNO(msync(p, 3 * PAGE, MS_SYNC), ENOMEM);
    EXPECT_ERRNO(msync(p + PAGE, PAGE, MS_ASYNC), ENOMEM);
    EXPECT_ERRNO(msync(p + PAGE, 2 * PAGE, 0), ENOMEM);
    EXPECT_ERRNO(msync(p, 2 * PAGE, MS_INVALIDATE), ENOMEM);
    EXPECT_ERRNO(msync((void*)0xffff800000000000ul, PAGE, MS_SYNC), ENOMEM); /* the kernel's half */
    EXPECT_EQ(msync(p, PAGE, MS_SYNC), 0);
    EXPECT_EQ(msync(p + 2 * PAGE, PAGE, MS_SYNC), 0);
    munmap(p, 3 * PAGE);
}

TEST_CASE(msync_of_shared_file_mapping_reaches_the_file)
{
    int fd = scratch_file("shared", 2 * PAGE, 0);
    char* p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    memcpy(p + PAGE - 3, "synced", 6); /* across the two pages */
    EXPECT_EQ(msync(p, 2 * PAGE, MS_SYNC), 0);
    char buf[8] = {0};
    EXPECT_EQ(pread(fd, buf, 6, PAGE - 3), 6);
    EXPECT(memcmp(buf, "synced", 6) == 0);
    memcpy(p + PAGE, "again!", 6);
    EXPECT_EQ(msync(p + PAGE, PAGE, MS_ASYNC), 0);
    EXPECT_EQ(msync(p, 2 * PAGE, MS_INVALIDATE), 0); /* the mapping keeps its bytes */
    EXPECT(memcmp(p + PAGE, "again!", 6) == 0);
    EXPECT_EQ(pread(fd, buf, 6, PAGE), 6);
    EXPECT(memcmp(buf, "again!", 6) == 0);
    EXPECT_EQ(munmap(p, 2 * PAGE), 0);
    close(fd);
    unlink(at("shared"));
}

/* A hole in the middle: ENOMEM, but the mapped parts are still synced. */
TEST_CASE(msync_with_a_hole_still_syncs_the_rest)
{
    int fd = scratch_file("holey", 3 * PAGE, 0);
    char* p = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    EXPECT_EQ(munmap(p + PAGE, PAGE), 0);
    memcpy(p, "first", 5);
    memcpy(p + 2 * PAGE, "third", 5);
    EXPECT_ERRNO(msync(p, 3 * PAGE, MS_SYNC), ENOMEM);
    char buf[5];
    EXPECT_EQ(pread(fd, buf, 5, 0), 5);
    EXPECT(memcmp(buf, "first", 5) == 0);
    EXPECT_EQ(pread(fd, buf, 5, 2 * PAGE), 5);
    EXPECT(memcmp(buf, "third", 5) == 0);
    munmap(p, PAGE);
    munmap(p + 2 * PAGE, PAGE);
    close(fd);
    unlink(at("holey"));
}

/* A private mapping's stores are its own: msync writes nothing to the file. */
TEST_CASE(msync_of_private_mapping_leaves_the_file)
{
    int fd = scratch_file("private", PAGE, "file");
    char* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    EXPECT(p != MAP_FAILED);
    memcpy(p, "mine", 4);
    EXPECT_EQ(msync(p, PAGE, MS_SYNC), 0);
    char buf[4];
    EXPECT_EQ(pread(fd, buf, 4, 0), 4);
    EXPECT(memcmp(buf, "file", 4) == 0);
    EXPECT(memcmp(p, "mine", 4) == 0);
    munmap(p, PAGE);
    close(fd);
    unlink(at("private"));
}

/* ---- madvise ---- */

TEST_CASE(madvise_argument_checks)
{
    char* p = anonymous(2, MAP_PRIVATE);
    EXPECT_ERRNO(madvise(p + 1, PAGE, MADV_NORMAL), EINVAL);     /* unaligned */
    EXPECT_ERRNO(madvise(p, PAGE, 12345), EINVAL);               /* unknown advice */
    EXPECT_ERRNO(madvise(p, PAGE, -1), EINVAL);
    EXPECT_ERRNO(madvise(p, (size_t)-1, MADV_NORMAL), EINVAL);   /* rounds up past the top */
    EXPECT_ERRNO(madvise(p, (size_t)0 - (uintptr_t)p + PAGE, MADV_NORMAL), EINVAL); /* wraps */
    EXPECT_EQ(madvise(p, 0, MADV_DONTNEED), 0);                  /* empty */
    EXPECT_ERRNO(madvise(p + 1, 0, MADV_DONTNEED), EINVAL);      /* still unaligned */
    /* The hints: accepted (teachos acts on none of them). */
    EXPECT_EQ(madvise(p, 2 * PAGE, MADV_NORMAL), 0);
    EXPECT_EQ(madvise(p, 2 * PAGE, MADV_RANDOM), 0);
    EXPECT_EQ(madvise(p, 2 * PAGE, MADV_SEQUENTIAL), 0);
    EXPECT_EQ(madvise(p, 1, MADV_WILLNEED), 0);
    EXPECT_EQ(madvise(p, 2 * PAGE, MADV_NORMAL), 0);
    EXPECT_EQ(munmap(p, 2 * PAGE), 0);
}

TEST_CASE(madvise_of_unmapped_memory_is_enomem)
{
    char* p = with_hole(MAP_PRIVATE);
    memset(p, 'x', PAGE);
    EXPECT_ERRNO(madvise(p, 3 * PAGE, MADV_NORMAL), ENOMEM);
    EXPECT_ERRNO(madvise(p + PAGE, PAGE, MADV_WILLNEED), ENOMEM);
    EXPECT_ERRNO(madvise((void*)0xffff800000000000ul, PAGE, MADV_NORMAL), ENOMEM);
    /* DONTNEED across the hole: ENOMEM, and the mapped pages are dropped all the same. */
    EXPECT_ERRNO(madvise(p, 3 * PAGE, MADV_DONTNEED), ENOMEM);
    EXPECT(all(p, PAGE, 0));
    munmap(p, 3 * PAGE);
}

TEST_CASE(dontneed_zeroes_private_anonymous_memory)
{
    char* p = anonymous(4, MAP_PRIVATE);
    memset(p, 'x', 4 * PAGE);
    EXPECT_EQ(madvise(p + PAGE, 2 * PAGE, MADV_DONTNEED), 0);
    EXPECT(all(p, PAGE, 'x'));
    EXPECT(all(p + PAGE, 2 * PAGE, 0));
    EXPECT(all(p + 3 * PAGE, PAGE, 'x'));
    memset(p + PAGE, 'y', PAGE); /* and it is usable memory again */
    EXPECT(all(p + PAGE, PAGE, 'y'));
    EXPECT_EQ(munmap(p, 4 * PAGE), 0);
}

/* MADV_FREE may free lazily: each page reads as it was or as zeros. */
TEST_CASE(free_keeps_or_zeroes_private_anonymous_memory)
{
    char* p = anonymous(2, MAP_PRIVATE);
    memset(p, 'x', 2 * PAGE);
    EXPECT_EQ(madvise(p, 2 * PAGE, MADV_FREE), 0);
    for (int i = 0; i < 2; ++i)
        EXPECT(all(p + i * PAGE, PAGE, 'x') || all(p + i * PAGE, PAGE, 0));
    memset(p, 'z', PAGE);
    EXPECT(all(p, PAGE, 'z'));
    EXPECT_EQ(munmap(p, 2 * PAGE), 0);
}

TEST_CASE(free_is_only_for_private_anonymous_memory)
{
    int fd = scratch_file("free", PAGE, 0);
    char* f = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    EXPECT(f != MAP_FAILED);
    EXPECT_ERRNO(madvise(f, PAGE, MADV_FREE), EINVAL);
    char* s = anonymous(1, MAP_SHARED);
    EXPECT_ERRNO(madvise(s, PAGE, MADV_FREE), EINVAL);
    munmap(f, PAGE);
    munmap(s, PAGE);
    close(fd);
    unlink(at("free"));
}

/* After fork both sides share the pages copy-on-write: the parent's
 * DONTNEED drops its own view only. */
TEST_CASE(dontneed_after_fork_is_one_sides_own)
{
    char* p = anonymous(3, MAP_PRIVATE);
    memset(p, 'x', 3 * PAGE);
    int go[2], done[2];
    EXPECT_EQ(pipe(go), 0);
    EXPECT_EQ(pipe(done), 0);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        if (read(go[0], &c, 1) != 1)
            _exit(2);
        int ok = all(p, 3 * PAGE, 'x');
        if (madvise(p, PAGE, MADV_DONTNEED) != 0 || !all(p, PAGE, 0))
            ok = 0;
        c = ok ? 'y' : 'n';
        _exit(write(done[1], &c, 1) == 1 && ok ? 0 : 1);
    }
    EXPECT_EQ(madvise(p + PAGE, PAGE, MADV_DONTNEED), 0);
    EXPECT(all(p + PAGE, PAGE, 0));
    EXPECT_EQ(write(go[1], "g", 1), 1);
    char c = 0;
    EXPECT_EQ(read(done[0], &c, 1), 1);
    EXPECT_EQ(c, 'y'); /* the child still saw every 'x' */
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT(all(p, PAGE, 'x')); /* the child's DONTNEED was its own */
    EXPECT(all(p + 2 * PAGE, PAGE, 'x'));
    munmap(p, 3 * PAGE);
    close(go[0]), close(go[1]), close(done[0]), close(done[1]);
}

TEST_CASE(dontneed_reverts_private_file_mapping_to_the_file)
{
    int fd = scratch_file("revert", 2 * PAGE, "file");
    char* p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    EXPECT(p != MAP_FAILED);
    memcpy(p, "mine", 4);
    memcpy(p + PAGE, "two!", 4);
    EXPECT_EQ(pwrite(fd, "next", 4, PAGE), 4); /* the file changes under the private copy */
    EXPECT(memcmp(p + PAGE, "two!", 4) == 0);
    EXPECT_EQ(madvise(p, 2 * PAGE, MADV_DONTNEED), 0);
    EXPECT(memcmp(p, "file", 4) == 0);
    EXPECT(memcmp(p + PAGE, "next", 4) == 0); /* the file as it is now */
    memcpy(p, "once", 4);
    char buf[4];
    EXPECT_EQ(pread(fd, buf, 4, 0), 4);
    EXPECT(memcmp(buf, "file", 4) == 0); /* still copy-on-write */
    munmap(p, 2 * PAGE);
    close(fd);
    unlink(at("revert"));
}

TEST_CASE(dontneed_keeps_shared_file_data)
{
    int fd = scratch_file("kept", PAGE, 0);
    char* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    memcpy(p, "kept", 4);
    EXPECT_EQ(madvise(p, PAGE, MADV_DONTNEED), 0);
    char buf[4];
    EXPECT_EQ(pread(fd, buf, 4, 0), 4);
    EXPECT(memcmp(buf, "kept", 4) == 0);
    EXPECT(memcmp(p, "kept", 4) == 0); /* faulted back in */
    memcpy(p, "more", 4);
    EXPECT_EQ(pread(fd, buf, 4, 0), 4);
    EXPECT(memcmp(buf, "more", 4) == 0);
    munmap(p, PAGE);
    close(fd);
    unlink(at("kept"));
}

TEST_CASE(dontneed_keeps_shared_anonymous_data)
{
    char* p = anonymous(2, MAP_SHARED);
    memset(p, 's', 2 * PAGE);
    EXPECT_EQ(madvise(p, 2 * PAGE, MADV_DONTNEED), 0);
    EXPECT(all(p, 2 * PAGE, 's'));
    munmap(p, 2 * PAGE);
}

/* Many pages touched, dropped, touched again: the leak check afterwards
 * sees every page freed. */
TEST_CASE(dontneed_gives_memory_back)
{
    enum { PAGES = 64 };
    char* p = anonymous(PAGES, MAP_PRIVATE);
    for (int round = 0; round < 3; ++round) {
        memset(p, 'a' + round, PAGES * PAGE);
        EXPECT_EQ(madvise(p, PAGES * PAGE, MADV_DONTNEED), 0);
        EXPECT(all(p, PAGES * PAGE, 0));
    }
    for (int i = 0; i < PAGES; i += 2) /* every other page: no splits needed */
        EXPECT_EQ(madvise(p + i * PAGE, PAGE, MADV_DONTNEED), 0);
    EXPECT_EQ(munmap(p, PAGES * PAGE), 0);
}

int main(void)
{
    (void)run_file_suite; /* file_helpers.h's runner is /tmp's only; this suite takes TEST_DIR */
    const char* dir = getenv("TEST_DIR");
    if (!dir || !*dir)
        dir = "/tmp";
    snprintf(s_base, sizeof s_base, "%s/msync_test.%d", dir, (int)getpid());
    /* Before the leak check's first reading (harness.h): grow the directory's name index once. */
    if (mkdir(s_base, 0755) == 0)
        rmdir(s_base);
    return run_suite("msync");
}
