/* user/tests/blockdev_test.c -- /dev/md0 and /dev/vda from user space: a disk read and written as a file.
 *
 * The same cases run on every disk of s_disks that exists: the RAM disk
 * md0 (suite "blockdev"; attached only if the kernel command line says
 * `md0=16M`, fs/block/blkdev.h) and the virtio disk vda (suite
 * "blockdev_vda"; scripts/qemu.sh gives every boot a private scratch
 * disk, so the ordinary `make test` boot runs it). A disk that is missing
 * -- or is in use as swap (/proc/swaps names it) -- is said so and
 * skipped. Run the md0 suite with
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

/* The disks, and the block major each has on teachos (Linux's numbers). */
static const struct {
    const char* path;
    const char* suite;
    const char* how;  /* how to get it, for the "not run" line */
    int major;
} s_disks[] = {
    {"/dev/md0", "blockdev", "boot with md0=16M", 9},
    {"/dev/vda", "blockdev_vda", "scripts/qemu.sh attaches it unless SWAP_DISK=none", 254},
};

static const char* s_path;  /* the disk under test */
static int s_major;
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
        EXPECT_EQ(major(st.st_rdev), s_major);
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

static void say(const char* a, const char* b, const char* c)
{
    (void)!write(1, a, strlen(a));
    (void)!write(1, b, strlen(b));
    (void)!write(1, c, strlen(c));
}

/* Is `path` in use as swap? (Writing it would wreck the swapped pages.) */
static int is_swap(const char* path)
{
    static char swaps[4096];
    int fd = open("/proc/swaps", O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, swaps, sizeof swaps - 1);
    close(fd);
    swaps[n > 0 ? n : 0] = '\0';
    return strstr(swaps, path) != NULL;
}

int main(void)
{
    if (getenv("BLOCKDEV")) {
        s_path = getenv("BLOCKDEV");
        return run_suite("blockdev");
    }
    int failed = 0;
    for (unsigned i = 0; i < sizeof s_disks / sizeof s_disks[0]; ++i) {
        if (access(s_disks[i].path, F_OK) != 0) {
            say("blockdev: no ", s_disks[i].path, " (");
            say(s_disks[i].how, "): ", "not run\n");
            continue;
        }
        if (is_swap(s_disks[i].path)) {
            say("blockdev: ", s_disks[i].path, " is in use as swap: not run\n");
            continue;
        }
        s_path = s_disks[i].path;
        s_major = s_disks[i].major;
        if (run_suite(s_disks[i].suite))
            failed = 1;
    }
    return failed;
}
