/* user/tests/blockdev_test.c -- /dev/md0 from user space: a disk read and written as a file.
 *
 * Needs a RAM disk attached at boot (`md0=16M` on the kernel command line,
 * fs/block/blkdev.h). Without /dev/md0 the suite says so and runs nothing,
 * so the ordinary `make test` boot passes it by; run it with
 *
 *     scripts/run-in-guest --cmdline md0=16M --add build/user/tests/blockdev_test -- /blockdev_test
 *
 * On Linux it runs against any block device named by BLOCKDEV=/dev/...
 * (it overwrites it: a loop device over a scratch file).
 *
 * What it checks: the size through ioctl(BLKGETSIZE64), fstat and
 * lseek(SEEK_END); writes at odd offsets and lengths (inside one sector,
 * across sectors, across the kernel's 64 KiB bounce buffer) read back with
 * their neighbours untouched; dd-style sequential 4 KiB writes; the end of
 * the device; ioctl errors. See docs/block.md.
 */
#include "harness.h"

#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Linux's block ioctls (<linux/fs.h>, which musl-gcc does not see). */
#define BLKGETSIZE 0x1260
#define BLKSSZGET 0x1268
#define BLKGETSIZE64 0x80081272

static const char* s_path = "/dev/md0";
static unsigned char s_out[200 * 1024], s_in[200 * 1024];

static unsigned char pattern(long i, int seed) { return (unsigned char)(i * 13 + seed + (i >> 9)); }

static void fill(unsigned char* p, long n, int seed)
{
    for (long i = 0; i < n; ++i)
        p[i] = pattern(i, seed);
}

static int open_disk(void)
{
    int fd = open(s_path, O_RDWR);
    EXPECT(fd >= 0);
    return fd;
}

static unsigned long long disk_size(int fd)
{
    unsigned long long bytes = 0;
    EXPECT_EQ(ioctl(fd, BLKGETSIZE64, &bytes), 0);
    return bytes;
}

TEST_CASE(size_from_ioctl_fstat_and_lseek)
{
    int fd = open_disk();
    unsigned long long bytes = disk_size(fd);
    EXPECT(bytes > 0 && bytes % 512 == 0);
    unsigned long sectors = 0;
    EXPECT_EQ(ioctl(fd, BLKGETSIZE, &sectors), 0);
    EXPECT_EQ(sectors, bytes / 512);
    int ssz = 0;
    EXPECT_EQ(ioctl(fd, BLKSSZGET, &ssz), 0);
    EXPECT_EQ(ssz, 512);
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(S_ISBLK(st.st_mode));
    if (harness_on_teachos()) {
        EXPECT_EQ(major(st.st_rdev), 9);
        EXPECT_EQ(st.st_size, (long long)bytes);  /* Linux reports 0 here */
    }
    EXPECT_EQ(lseek(fd, 0, SEEK_END), (long long)bytes);
    close(fd);
}

TEST_CASE(odd_offsets_read_back_with_neighbours_untouched)
{
    static const struct { long offset, length; } writes[] = {
        {1, 3},            /* inside one sector */
        {509, 7},          /* across a sector boundary */
        {4093, 5000},      /* across pages */
        {100001, 70000},   /* more than the kernel's bounce buffer */
        {1 << 20, 512},    /* exactly one sector */
    };
    int fd = open_disk();
    const long region = (1 << 20) + 4096;
    /* Lay a known background, then write each piece with another seed. */
    static unsigned char background[(1 << 20) + 4096];
    fill(background, region, 1);
    EXPECT_EQ(pwrite(fd, background, region, 0), region);
    for (unsigned i = 0; i < sizeof writes / sizeof writes[0]; ++i) {
        fill(s_out, writes[i].length, 50 + (int)i);
        EXPECT_EQ(pwrite(fd, s_out, writes[i].length, writes[i].offset), writes[i].length);
        memcpy(background + writes[i].offset, s_out, writes[i].length);
    }
    for (long done = 0; done < region; done += (long)sizeof s_in) {
        long n = region - done < (long)sizeof s_in ? region - done : (long)sizeof s_in;
        EXPECT_EQ(pread(fd, s_in, n, done), n);
        EXPECT(memcmp(s_in, background + done, n) == 0);
    }
    EXPECT_EQ(fsync(fd), 0);
    close(fd);
}

TEST_CASE(dd_style_sequential_writes)
{
    int fd = open_disk();
    fill(s_out, sizeof s_out, 7);
    for (long off = 0; off < (long)sizeof s_out; off += 4096)
        EXPECT_EQ(write(fd, s_out + off, 4096), 4096);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), (long long)sizeof s_out);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    EXPECT_EQ(read(fd, s_in, sizeof s_in), (long long)sizeof s_in);
    EXPECT(memcmp(s_in, s_out, sizeof s_in) == 0);
    close(fd);
}

TEST_CASE(end_of_device)
{
    int fd = open_disk();
    long long size = (long long)disk_size(fd);
    fill(s_out, 100, 3);
    EXPECT_EQ(pwrite(fd, s_out, 100, size - 10), 10);  /* short, as Linux */
    EXPECT_EQ(pread(fd, s_in, 100, size - 10), 10);
    EXPECT(memcmp(s_in, s_out, 10) == 0);
    EXPECT_EQ(pread(fd, s_in, 100, size), 0);
    EXPECT_ERRNO(pwrite(fd, s_out, 1, size), ENOSPC);
    close(fd);
}

TEST_CASE(ioctl_errors)
{
    int fd = open_disk();
    EXPECT_ERRNO(ioctl(fd, BLKGETSIZE64, (void*)8), EFAULT);
    EXPECT_ERRNO(ioctl(fd, 0x5401 /* TCGETS */, s_in), ENOTTY);
    close(fd);
}

int main(void)
{
    if (getenv("BLOCKDEV"))
        s_path = getenv("BLOCKDEV");
    if (access(s_path, F_OK) != 0) {
        static const char msg[] = "blockdev: no /dev/md0 (boot with md0=16M): nothing run\n";
        (void)!write(1, msg, sizeof msg - 1);
        return 0;
    }
    return run_suite("blockdev");
}
