/* user/tests/mount_test.c -- mount(2) and umount2(2) of tmpfs instances, and their size= limit on every path.
 *
 * A tmpfs mounted with size= holds at most that many bytes of file data,
 * counted in pages, whichever way a page is made: write(2) ends short at
 * the limit (then ENOSPC), and a store through a shared mapping into a
 * page past the limit gets SIGBUS (BUS_ADRERR) -- the pages a mapping makes
 * are charged like written ones (vm/aobj.h:PageBudget). Freeing (truncate,
 * unlink) gives the pages back at once, and statfs says so. Then the
 * mount calls' own errors. Runs unchanged on Linux as root (where the same
 * limits hold) and in the guest; see harness.h.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define PAGE 4096
#define LIMIT_PAGES 16

static char s_dir[64];  /* /tmp/mount_test.<pid>: the mount point */
static char s_file[96]; /* a file in the mounted tmpfs */

static void mount_small(void)
{
    EXPECT_EQ(mount("test", s_dir, "tmpfs", 0, "size=64k"), 0);
}

static long free_pages(void)
{
    struct statfs st;
    EXPECT_EQ(statfs(s_dir, &st), 0);
    EXPECT_EQ(st.f_bsize, PAGE);
    return (long)st.f_bfree;
}

TEST_CASE(mount_shows_its_limit_and_unmounts)
{
    mount_small();
    struct statfs st;
    EXPECT_EQ(statfs(s_dir, &st), 0);
    EXPECT_EQ(st.f_blocks, LIMIT_PAGES);
    EXPECT_EQ(st.f_bfree, LIMIT_PAGES);
    EXPECT_EQ(umount2(s_dir, 0), 0);
}

TEST_CASE(write_ends_short_at_the_limit)
{
    mount_small();
    static char data[100 * 1024];
    memset(data, 'w', sizeof data);
    int fd = open(s_file, O_RDWR | O_CREAT, 0600);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, data, sizeof data), LIMIT_PAGES * PAGE); /* short */
    EXPECT_ERRNO(write(fd, data, 1), ENOSPC);                    /* not one byte */
    EXPECT_EQ(free_pages(), 0);
    EXPECT_EQ(ftruncate(fd, 4 * PAGE), 0); /* truncate gives pages back at once */
    EXPECT_EQ(free_pages(), LIMIT_PAGES - 4);
    char back[PAGE];
    EXPECT_EQ(pread(fd, back, PAGE, 3 * PAGE), PAGE);
    EXPECT_EQ(back[PAGE - 1], 'w');
    close(fd);
    EXPECT_EQ(unlink(s_file), 0);
    EXPECT_EQ(free_pages(), LIMIT_PAGES);
    EXPECT_EQ(umount2(s_dir, 0), 0);
}

static sigjmp_buf s_jump;
static volatile int s_bus_code;
static void on_bus(int sig, siginfo_t* info, void* context)
{
    (void)sig;
    (void)context;
    s_bus_code = info->si_code;
    siglongjmp(s_jump, 1);
}

/* A sparse file bigger than the limit costs nothing; the pages stores make
 * through a mapping are charged, and the first past the limit is SIGBUS. */
TEST_CASE(stores_through_a_mapping_are_charged)
{
    mount_small();
    int fd = open(s_file, O_RDWR | O_CREAT, 0600);
    EXPECT(fd >= 0);
    EXPECT_EQ(ftruncate(fd, 2 * LIMIT_PAGES * PAGE), 0);
    EXPECT_EQ(free_pages(), LIMIT_PAGES); /* a hole */
    volatile char* p = mmap(0, 2 * LIMIT_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    EXPECT(p != MAP_FAILED);
    for (int i = 0; i < LIMIT_PAGES; ++i)
        p[i * PAGE] = 'm';
    EXPECT_EQ(free_pages(), 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    EXPECT_EQ(sigaction(SIGBUS, &sa, 0), 0);
    int faulted = 0;
    if (sigsetjmp(s_jump, 1) == 0)
        p[LIMIT_PAGES * PAGE] = 'x'; /* one page past the limit */
    else
        faulted = 1;
    EXPECT_EQ(faulted, 1);
    EXPECT_EQ(s_bus_code, BUS_ADRERR);
    char c;
    EXPECT_EQ(pread(fd, &c, 1, (LIMIT_PAGES - 1) * PAGE), 1); /* what fit is there */
    EXPECT_EQ(c, 'm');
    EXPECT_ERRNO(pwrite(fd, "y", 1, (LIMIT_PAGES + 1) * PAGE), ENOSPC); /* write(2): the same budget */
    EXPECT_EQ(munmap((void*)p, 2 * LIMIT_PAGES * PAGE), 0);
    close(fd);
    EXPECT_EQ(unlink(s_file), 0);
    EXPECT_EQ(free_pages(), LIMIT_PAGES);
    EXPECT_EQ(umount2(s_dir, 0), 0);
}

TEST_CASE(busy_mount_cannot_go)
{
    mount_small();
    int fd = open(s_file, O_RDWR | O_CREAT, 0600);
    EXPECT(fd >= 0);
    EXPECT_ERRNO(umount2(s_dir, 0), EBUSY);
    close(fd);
    EXPECT_EQ(unlink(s_file), 0);
    EXPECT_EQ(umount2(s_dir, 0), 0);
}

TEST_CASE(two_instances_have_their_own_limits)
{
    char inner[96];
    snprintf(inner, sizeof inner, "%s/inner", s_dir);
    mount_small();
    EXPECT_EQ(mkdir(inner, 0755), 0);
    EXPECT_EQ(mount("test2", inner, "tmpfs", 0, "size=32k"), 0);
    struct statfs st;
    EXPECT_EQ(statfs(inner, &st), 0);
    EXPECT_EQ(st.f_blocks, 8);
    EXPECT_EQ(free_pages(), LIMIT_PAGES); /* the outer one is untouched */
    EXPECT_ERRNO(umount2(s_dir, 0), EBUSY); /* a mount below it */
    EXPECT_EQ(umount2(inner, 0), 0);
    EXPECT_EQ(rmdir(inner), 0);
    EXPECT_EQ(umount2(s_dir, 0), 0);
}

TEST_CASE(mount_errors)
{
    char file[96];
    snprintf(file, sizeof file, "%s.file", s_dir);
    int fd = open(file, O_RDWR | O_CREAT, 0600);
    EXPECT(fd >= 0);
    close(fd);
    EXPECT_ERRNO(mount("x", s_dir, "no-such-fs", 0, 0), ENODEV);
    EXPECT_ERRNO(mount("x", "/no/such/dir", "tmpfs", 0, 0), ENOENT);
    EXPECT_ERRNO(mount("x", file, "tmpfs", 0, 0), ENOTDIR);
    EXPECT_ERRNO(mount("x", s_dir, "tmpfs", 0, "size=lots"), EINVAL);
    EXPECT_ERRNO(syscall(SYS_mount, "x", (void*)1, "tmpfs", 0, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_mount, "x", s_dir, (void*)1, 0, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_mount, (void*)1, s_dir, "tmpfs", 0, 0), EFAULT);
    EXPECT_ERRNO(umount2(s_dir, 0), EINVAL);     /* not a mount point */
    EXPECT_ERRNO(umount2(s_dir, 0x100), EINVAL); /* an unknown flag */
    EXPECT_ERRNO(syscall(SYS_umount2, (void*)1, 0), EFAULT);
    EXPECT_EQ(unlink(file), 0);
}

SUITE_SETUP
{
    mkdir(s_dir, 0755);
}

SUITE_TEARDOWN
{
    umount2(s_dir, 0); /* whatever a failed case left mounted */
    rmdir(s_dir);
}

int main(void)
{
    snprintf(s_dir, sizeof s_dir, "/tmp/mount_test.%d", (int)getpid());
    snprintf(s_file, sizeof s_file, "%s/data", s_dir);
    return run_suite("mount");
}
