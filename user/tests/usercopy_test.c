/* user/tests/usercopy_test.c -- the kernel's user copies through system calls: every length, alignment and fault.
 *
 * read(2) and write(2) of a tmpfs file and of a pipe move bytes with the
 * kernel's copy_to_user/copy_from_user (arch/x86_64/usercopy.S: 64-byte
 * blocks, 8-byte words, tail bytes). These cases drive each path of those
 * loops from user space -- the lengths 0, 1, 7, 8, 63, 64, 65, 4095, 4096,
 * 4097 at unaligned offsets on both sides (the user buffer and the file
 * offset) -- and check every byte, and then make the copy fault on the first
 * and on the last byte of the user buffer (a PROT_NONE page after it).
 *
 * What a fault must give (Linux's behaviour, which this suite also passes):
 * either -1/EFAULT with nothing transferred, or a short count with exactly
 * that many bytes transferred -- never a count that disagrees with what
 * happened (the file's size and offset, the bytes in the buffer), and never
 * a crash of the kernel. tests/host/arch/usercopy_test.cpp tests the same
 * loops on the host, instruction by instruction.
 */
#include "harness.h"

#include <stdlib.h>
#include <sys/stat.h>

#define PAGE 4096
static const size_t LENGTHS[] = {0, 1, 7, 8, 63, 64, 65, 4095, 4096, 4097};
#define NLENGTHS (sizeof LENGTHS / sizeof LENGTHS[0])
static const char* const FILE_PATH = "/tmp/usercopy_test.data";

static unsigned char s_src[3 * PAGE], s_dst[3 * PAGE];

static void fill_pattern(unsigned char* p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7 + (i >> 8));
}

/* Two read-write pages followed by a PROT_NONE page; returns the guard's
 * first byte. */
static unsigned char* guarded_pages(void)
{
    unsigned char* base = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(base != MAP_FAILED);
    EXPECT_EQ(mprotect(base + 2 * PAGE, PAGE, PROT_NONE), 0);
    return base + 2 * PAGE;
}

static int fresh_file(void)
{
    unlink(FILE_PATH);
    int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_EXCL, 0600);
    EXPECT(fd >= 0);
    return fd;
}

TEST_CASE(file_write_read_every_length_and_alignment)
{
    for (size_t l = 0; l < NLENGTHS; l++)
        for (size_t uo = 0; uo < 8; uo += 3)          /* user buffer offsets 0, 3, 6 */
            for (off_t fo = 0; fo < 16; fo += 5) {    /* file offsets 0, 5, 10, 15 */
                size_t n = LENGTHS[l];
                int fd = fresh_file();
                fill_pattern(s_src, sizeof s_src, (unsigned)(n + uo + fo));
                EXPECT_EQ(pwrite(fd, s_src + uo, n, fo), (ssize_t)n);
                memset(s_dst, 0xee, sizeof s_dst);
                EXPECT_EQ(pread(fd, s_dst + 1 + uo, n, fo), (ssize_t)n);
                EXPECT_EQ(memcmp(s_dst + 1 + uo, s_src + uo, n), 0);
                EXPECT_EQ(s_dst[uo], 0xee);                  /* nothing before */
                EXPECT_EQ(s_dst[1 + uo + n], 0xee);          /* nothing after */
                close(fd);
            }
}

TEST_CASE(pipe_write_read_every_length_and_alignment)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    for (size_t l = 0; l < NLENGTHS; l++)
        for (size_t uo = 0; uo < 8; uo += 3) {
            size_t n = LENGTHS[l];
            fill_pattern(s_src, sizeof s_src, (unsigned)(n * 3 + uo));
            memset(s_dst, 0xee, sizeof s_dst);
            EXPECT_EQ(write(p[1], s_src + uo, n), (ssize_t)n);
            size_t got = 0;
            while (got < n) {
                ssize_t r = read(p[0], s_dst + 5 + got, n - got);
                EXPECT(r > 0);
                got += (size_t)r;
            }
            EXPECT_EQ(memcmp(s_dst + 5, s_src + uo, n), 0);
            EXPECT_EQ(s_dst[5 + n], 0xee);
        }
}

/* write(2) from a buffer of n bytes whose last byte lies in the guard page:
 * -1/EFAULT and an empty file, or a short count and exactly that many bytes
 * in the file, equal to the buffer's. */
TEST_CASE(file_write_faulting_on_the_last_byte_is_consistent)
{
    unsigned char* guard = guarded_pages();
    for (size_t l = 0; l < NLENGTHS; l++) {
        size_t n = LENGTHS[l];
        if (n == 0 || n > 2 * PAGE)
            continue;
        unsigned char* buf = guard - (n - 1);
        fill_pattern(buf, n - 1, (unsigned)n);
        int fd = fresh_file();
        ssize_t r = write(fd, buf, n);
        struct stat st;
        EXPECT_EQ(fstat(fd, &st), 0);
        if (r < 0) {
            EXPECT_EQ(errno, EFAULT);
            EXPECT_EQ(st.st_size, 0);
        } else {
            EXPECT(r < (ssize_t)n);
            EXPECT_EQ(st.st_size, r);
            memset(s_dst, 0, sizeof s_dst);
            EXPECT_EQ(pread(fd, s_dst, (size_t)r, 0), r);
            EXPECT_EQ(memcmp(s_dst, buf, (size_t)r), 0);
        }
        close(fd);
    }
}

/* read(2) of an n-byte file into a buffer whose last byte lies in the guard
 * page: -1/EFAULT with the offset unmoved, or a short count, the offset moved
 * by exactly that, and those bytes in the buffer. */
TEST_CASE(file_read_faulting_on_the_last_byte_is_consistent)
{
    unsigned char* guard = guarded_pages();
    for (size_t l = 0; l < NLENGTHS; l++) {
        size_t n = LENGTHS[l];
        if (n == 0 || n > 2 * PAGE)
            continue;
        int fd = fresh_file();
        fill_pattern(s_src, n, (unsigned)(n + 1));
        EXPECT_EQ(write(fd, s_src, n), (ssize_t)n);
        EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
        unsigned char* buf = guard - (n - 1);
        ssize_t r = read(fd, buf, n);
        off_t at = lseek(fd, 0, SEEK_CUR);
        if (r < 0) {
            EXPECT_EQ(errno, EFAULT);
            EXPECT_EQ(at, 0);
        } else {
            EXPECT(r < (ssize_t)n);
            EXPECT_EQ(at, r);
            EXPECT_EQ(memcmp(buf, s_src, (size_t)r), 0);
        }
        close(fd);
    }
}

TEST_CASE(faults_on_the_first_byte_are_efault)
{
    unsigned char* guard = guarded_pages();
    int fd = fresh_file();
    EXPECT_ERRNO(write(fd, guard, 1), EFAULT);
    EXPECT_ERRNO(write(fd, guard, 4097), EFAULT);
    EXPECT_EQ(write(fd, "abcdefgh", 8), 8);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    EXPECT_ERRNO(read(fd, guard, 8), EFAULT);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    EXPECT_ERRNO(write(p[1], guard, 64), EFAULT);
    EXPECT_EQ(write(p[1], "x", 1), 1);
    EXPECT_ERRNO(read(p[0], guard, 1), EFAULT);
    EXPECT_ERRNO(syscall(SYS_uname, guard), EFAULT);  /* a copy_to_user of a struct */
    close(fd);
}

SUITE_TEARDOWN
{
    unlink(FILE_PATH);
}

int main(void)
{
    return run_suite("usercopy");
}
