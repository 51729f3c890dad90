/* user/tests/mmap_test.c -- memory calls: brk, anonymous and file mappings, and the unified page cache.
 *
 * The heart of it is the UBC promise (docs/ubc.md): a MAP_SHARED mapping of
 * a tmpfs file and read(2)/write(2) of that file use the same pages, so each
 * sees the other's bytes at once, with no msync. MAP_PRIVATE mappings copy
 * on write and never change the file. Then the argument checks of mmap,
 * munmap, mprotect and brk, with Linux's errno values. Runs unchanged on
 * Linux (gcc) and in the guest (musl-gcc -static): see harness.h. The file
 * lives in <test_dir()>/mmap_test.<pid>/ (test_dir(): $TEST_DIR or /tmp).
 */
#include "harness.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <sys/stat.h>

#define PAGE 4096

static char s_path[300];
static char s_dir[256];

static int make_file(size_t size)
{
    int fd = open(s_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    EXPECT(fd >= 0);
    EXPECT_EQ(ftruncate(fd, (off_t)size), 0);
    return fd;
}

TEST_CASE(shared_store_is_seen_by_read)
{
    int fd = make_file(2 * PAGE);
    char* p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    memcpy(p + PAGE - 3, "across", 6); /* straddles the two pages */
    char buf[8] = {0};
    EXPECT_EQ(pread(fd, buf, 6, PAGE - 3), 6);
    EXPECT(memcmp(buf, "across", 6) == 0);
    EXPECT_EQ(munmap(p, 2 * PAGE), 0);
    close(fd);
    unlink(s_path);
}

TEST_CASE(write_is_seen_by_shared_mapping)
{
    int fd = make_file(PAGE);
    volatile char* p = mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    EXPECT_EQ(p[100], 0); /* the page exists now */
    EXPECT_EQ(pwrite(fd, "Z", 1, 100), 1);
    EXPECT_EQ(p[100], 'Z'); /* the same page: no copy to go stale */
    munmap((void*)p, PAGE);
    close(fd);
    unlink(s_path);
}

/* write(2) from a mapping of the very file, into holes of it: page 1 gets
 * page 0's bytes, then page 2 gets page 1's -- the bytes page 1 has just
 * got. A write goes front to back, page after page (Linux's result). In
 * teachos this is the case where a write into holes, which fills new pages
 * before it shows them (fs/ubc/ubc.cpp, "fresh"), finds that its own copy
 * made page 1 appear through the fault, and does the window again. */
TEST_CASE(write_from_own_mapping_into_holes)
{
    int fd = make_file(3 * PAGE);
    char page[PAGE];
    memset(page, 'A', PAGE);
    EXPECT_EQ(pwrite(fd, page, PAGE, 0), PAGE); /* pages 1 and 2 stay holes */
    char* p = mmap(0, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    EXPECT_EQ(pwrite(fd, p, 2 * PAGE, PAGE), 2 * PAGE);
    char back[3 * PAGE];
    EXPECT_EQ(pread(fd, back, 3 * PAGE, 0), 3 * PAGE);
    for (int i = 0; i < 3 * PAGE; ++i)
        EXPECT_EQ(back[i], 'A');
    EXPECT_EQ(p[3 * PAGE - 1], 'A'); /* and the mapping sees the same pages */
    munmap(p, 3 * PAGE);
    close(fd);
    unlink(s_path);
}

/* A write whose source faults part way: what was reported written is
 * there, nothing after it, and a whole page that was only partly copied
 * is not half-made (it stays a hole: zeros). */
TEST_CASE(write_of_partly_bad_buffer_into_holes)
{
    int fd = make_file(0);
    char* src = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(src != MAP_FAILED);
    memset(src, 'B', 3 * PAGE);
    EXPECT_EQ(munmap(src + 2 * PAGE, PAGE), 0); /* the third page of the source is gone */
    ssize_t n = pwrite(fd, src, 3 * PAGE, 0);
    EXPECT(n >= 0 && n <= 2 * PAGE); /* short: at most the two good pages */
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT_EQ(st.st_size, n);
    char back[2 * PAGE];
    EXPECT_EQ(pread(fd, back, (size_t)n, 0), n);
    for (ssize_t i = 0; i < n; ++i)
        EXPECT_EQ(back[i], 'B');
    munmap(src, 2 * PAGE);
    close(fd);
    unlink(s_path);
}

TEST_CASE(shared_mapping_survives_close_and_unlink)
{
    int fd = make_file(PAGE);
    char* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    close(fd);
    unlink(s_path);
    strcpy(p, "still here");
    EXPECT(strcmp(p, "still here") == 0);
    EXPECT_EQ(munmap(p, PAGE), 0);
}

TEST_CASE(shared_mapping_is_shared_across_fork)
{
    int fd = make_file(PAGE);
    volatile int* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    pid_t pid = fork();
    if (pid == 0) {
        p[0] = 1234;
        _exit(0);
    }
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_EQ(p[0], 1234);
    int value = 0;
    EXPECT_EQ(pread(fd, &value, sizeof value, 0), (ssize_t)sizeof value);
    EXPECT_EQ(value, 1234);
    munmap((void*)p, PAGE);
    close(fd);
    unlink(s_path);
}

TEST_CASE(private_mapping_copies_on_write)
{
    int fd = make_file(PAGE);
    EXPECT_EQ(pwrite(fd, "file", 4, 0), 4);
    char* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    EXPECT(p != MAP_FAILED);
    EXPECT(memcmp(p, "file", 4) == 0);
    memcpy(p, "mine", 4);
    char buf[4];
    EXPECT_EQ(pread(fd, buf, 4, 0), 4);
    EXPECT(memcmp(buf, "file", 4) == 0); /* the file is untouched */
    EXPECT(memcmp(p, "mine", 4) == 0);
    munmap(p, PAGE);
    close(fd);
    unlink(s_path);
}

TEST_CASE(file_offset_mapping)
{
    int fd = make_file(3 * PAGE);
    EXPECT_EQ(pwrite(fd, "third", 5, 2 * PAGE), 5);
    char* p = mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE);
    EXPECT(p != MAP_FAILED);
    EXPECT(memcmp(p, "third", 5) == 0);
    munmap(p, PAGE);
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 100) == MAP_FAILED && errno == EINVAL);
    close(fd);
    unlink(s_path);
}

TEST_CASE(open_mode_limits_the_mapping)
{
    int fd = make_file(PAGE);
    close(fd);
    fd = open(s_path, O_RDONLY);
    EXPECT(fd >= 0);
    /* A read-only file: a shared writable mapping is EACCES, a private one is fine. */
    EXPECT(mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES);
    char* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    EXPECT(p != MAP_FAILED);
    munmap(p, PAGE);
    /* ...and mprotect cannot make a read-only shared mapping writable. */
    p = mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    EXPECT_ERRNO(mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
    munmap(p, PAGE);
    close(fd);
    fd = open(s_path, O_WRONLY);
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES);
    close(fd);
    unlink(s_path);
}

TEST_CASE(what_cannot_be_mapped)
{
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_SHARED, -1, 0) == MAP_FAILED && errno == EBADF);
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_SHARED, 999, 0) == MAP_FAILED && errno == EBADF);
    int dir = open(s_dir, O_RDONLY | O_DIRECTORY);
    EXPECT(dir >= 0);
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_SHARED, dir, 0) == MAP_FAILED && errno == ENODEV);
    close(dir);
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_SHARED, pipes[0], 0) == MAP_FAILED && errno == ENODEV);
    /* The write end is not open for reading: that is checked first. */
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_SHARED, pipes[1], 0) == MAP_FAILED && errno == EACCES);
    close(pipes[0]);
    close(pipes[1]);
}

TEST_CASE(anonymous_argument_checks)
{
    EXPECT(mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    EXPECT(mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    EXPECT(mmap((void*)0x10001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
               MAP_FAILED && errno == EINVAL);
    EXPECT(mmap(0, (size_t)1 << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
           errno == ENOMEM);
    EXPECT_ERRNO(munmap((void*)0x10001, PAGE), EINVAL);
    EXPECT_ERRNO(munmap((void*)0x10000, 0), EINVAL);
    /* Raw calls: musl's mprotect() rounds the address down to a page first. */
    EXPECT_ERRNO(syscall(SYS_mprotect, 0x10001, PAGE, PROT_READ), EINVAL);
    EXPECT_ERRNO(syscall(SYS_mprotect, 0x10000, PAGE, 0x100), EINVAL);
    EXPECT_ERRNO(syscall(SYS_mprotect, 0x10000, PAGE, PROT_READ), ENOMEM); /* nothing mapped */
    EXPECT_EQ(munmap((void*)0x10000, PAGE), 0); /* nothing mapped there: not an error */
}

TEST_CASE(fixed_mapping_replaces)
{
    char* p = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    memset(p, 'a', 3 * PAGE);
    char* q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    EXPECT(q == p + PAGE);
    EXPECT_EQ(q[0], 0); /* fresh zero page in the middle */
    EXPECT_EQ(p[0], 'a');
    EXPECT_EQ(p[2 * PAGE], 'a');
    EXPECT_EQ(munmap(p, 3 * PAGE), 0);
}

static sigjmp_buf s_jump;
static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(s_jump, 1);
}

TEST_CASE(protection_is_enforced)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, 0);
    volatile char* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    p[0] = 1;
    EXPECT_EQ(mprotect((void*)p, PAGE, PROT_READ), 0);
    int faulted = 0;
    if (sigsetjmp(s_jump, 1) == 0)
        p[0] = 2;
    else
        faulted = 1;
    EXPECT_EQ(faulted, 1);
    EXPECT_EQ(p[0], 1);
    munmap((void*)p, PAGE);
    faulted = 0;
    if (sigsetjmp(s_jump, 1) == 0)
        (void)p[0];
    else
        faulted = 1;
    EXPECT_EQ(faulted, 1); /* unmapped now */
}

TEST_CASE(brk_grows_and_shrinks)
{
    char* start = (char*)syscall(SYS_brk, 0);
    char* want = start + 3 * PAGE + 123; /* unaligned, as glibc asks */
    EXPECT_EQ((char*)syscall(SYS_brk, want), want);
    memset(start, 'b', 3 * PAGE + 123);
    EXPECT_EQ((char*)syscall(SYS_brk, start), start);
    EXPECT_EQ((char*)syscall(SYS_brk, start - 1000000000L), start); /* refused: the old break */
}

TEST_CASE(anonymous_shared_across_fork)
{
    volatile int* p = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    volatile int* q = mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(q != MAP_FAILED);
    pid_t pid = fork();
    if (pid == 0) {
        p[0] = 7;
        q[0] = 7;
        _exit(0);
    }
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_EQ(p[0], 7); /* shared */
    EXPECT_EQ(q[0], 0); /* private: the child's write was its own */
    munmap((void*)p, PAGE);
    munmap((void*)q, PAGE);
}

int main(void)
{
    snprintf(s_dir, sizeof s_dir, "%s/mmap_test.%d", test_dir(), (int)getpid());
    snprintf(s_path, sizeof s_path, "%s/file", s_dir);
    mkdir(s_dir, 0700);
    /* Grow the test directory's and our directory's name index before the
     * leak check (harness.h). */
    int fd = open(s_path, O_CREAT | O_RDWR, 0600);
    close(fd);
    unlink(s_path);
    int result = run_suite("mmap");
    rmdir(s_dir);
    return result;
}
