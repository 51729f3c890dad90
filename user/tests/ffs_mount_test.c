/* user/tests/ffs_mount_test.c -- mount(2) of FFS images on /dev/md0: good ones mount, damaged ones are refused cleanly.
 *
 * A disk file system must expect any bytes on its disk: a blank disk, one
 * holding something else, an image cut short, or one whose directories a
 * crash or a bad tool left inconsistent. The kernel's mount checks what it
 * will rely on before it trusts the image, and refuses with an errno
 * (no panic, no leak):
 *
 *   what is wrong                                          errno
 *   the superblock: garbage, zeros, another magic, a size  EINVAL   (ffs_sb_check,
 *     past the end of the disk (truncated), bad geometry             fs/ffs/ffs_format.h)
 *   the structure below a sound superblock: the root not   EUCLEAN  ("structure needs
 *     a directory, a directory block outside the data area,          cleaning", Linux's
 *     a directory block that fails the directory checks,             errno for this;
 *     a ".." that does not name the parent, a directory              run fsck_ffs)
 *     reachable twice (a loop), a group header with a bad
 *     magic or counts that disagree with its bitmaps
 *   mount(2) itself: an unknown type (ENODEV, checked first), a source that
 *   does not exist (ENOENT) or is not a block device node (ENOTBLK: a file, a
 *   directory, /dev/null; checked before the target), a disk already
 *   mounted (EBUSY), an unknown option (EINVAL)
 *
 * Each case writes an image onto /dev/md0 -- /sbin/newfs makes a fresh one,
 * then one small named function below damages exactly one thing, through
 * pwrite at offsets computed with fs/ffs/ffs_format.h's helpers -- then
 * mounts it at /mnt/ffs_mount_test. After every refused mount a fresh image
 * must mount and unmount: the refusal left the disk free and nothing
 * half-made behind (the harness's leak check around the suite shows that no
 * memory was left either). The disk is rewritten through /dev/md0, which
 * bypasses the buffer cache, so the cases also need an unmount or a refused
 * mount to leave no block of the disk cached: a stale superblock would show
 * the next case the previous image. What the kernel prints on the console
 * about each refusal is not seen from here; the console log shows it.
 *
 * Each damage also checks itself: the superblock damages fail ffs_sb_check
 * and the structural ones pass it (so EUCLEAN, not EINVAL, is right). And
 * fsck_ffs -n named the intended fault on every damaged image, on the host
 * (a driver that #includes this file and runs each damage on a 16 MiB file
 * made by build/tools/newfs) and in the guest on /dev/md0.
 *
 * Needs a RAM disk (`md0=16M` on the kernel command line; the user-test boot
 * has one, scripts/run-user-tests.sh) and /sbin/newfs. Without /dev/md0, or
 * on another system than teachos (Linux's /dev/md0 is a RAID array this
 * test must not overwrite, and Linux has no "ffs"), it says so and runs
 * nothing. See docs/ffs.md and docs/block.md.
 */
#include "harness.h"

#include "../../fs/ffs/ffs_format.h"

#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

static const char* s_disk = "/dev/md0";
static const char* s_newfs = "/sbin/newfs";
static const char* s_mnt = "/mnt/ffs_mount_test";      /* the mount point */
static const char* s_mnt2 = "/mnt/ffs_mount_test.2";   /* a second one, for EBUSY */
static char s_file[64];      /* /tmp/ffs_mount_test.<pid>: a regular file */
static char s_big_image[64]; /* /tmp/ffs_mount_test.<pid>.img: an image twice the disk */

static unsigned char s_chunk[64 * 1024];                               /* bulk copies */
static unsigned char s_block[FFS_MAXBSIZE] __attribute__((aligned(8))); /* one block */

/* ---- making a fresh image ---------------------------------------------- */

/* Run newfs on `path`, over `size` bytes (a decimal string) or, if NULL, the
 * whole file or disk. Its report goes to /dev/null; it must exit 0. */
static void run_newfs(const char* path, const char* size)
{
    pid_t pid = fork();
    EXPECT(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 1);
        char* argv[5];
        int n = 0;
        argv[n++] = (char*)"newfs";
        if (size) {
            argv[n++] = (char*)"-s";
            argv[n++] = (char*)size;
        }
        argv[n++] = (char*)path;
        argv[n] = NULL;
        char* envp[] = {NULL};
        execve(s_newfs, argv, envp);
        _exit(127);
    }
    wait_child(pid, 0);
}

static int open_disk(void)
{
    int fd = open(s_disk, O_RDWR);
    EXPECT(fd >= 0);
    return fd;
}

static uint64_t disk_bytes(int fd)
{
    off_t end = lseek(fd, 0, SEEK_END);
    EXPECT(end > 0);
    return (uint64_t)end;
}

/* ---- reading and writing metadata at its place on the image ---------------- */

static void image_read(int fd, uint64_t off, void* buf, size_t n)
{
    EXPECT_EQ(pread(fd, buf, n, (off_t)off), (long long)n);
}

static void image_write(int fd, uint64_t off, const void* buf, size_t n)
{
    EXPECT_EQ(pwrite(fd, buf, n, (off_t)off), (long long)n);
}

static uint64_t block_offset(const struct ffs_superblock* fs, uint32_t bno)
{
    return (uint64_t)bno * fs->fs_bsize;
}

/* Inode `ino`'s byte offset: its inode-table block, then its slot there. */
static uint64_t inode_offset(const struct ffs_superblock* fs, uint32_t ino)
{
    return block_offset(fs, ffs_ino_to_fsba(fs, ino)) +
           (uint64_t)ffs_ino_to_fsbo(fs, ino) * FFS_DINODE_SIZE;
}

/* The primary superblock only, at byte 8192: the one the kernel reads. The
 * copies at the start of the other groups (a 16 MiB disk has one group, so
 * none) are left as newfs wrote them. */
static void sb_read(int fd, struct ffs_superblock* fs)
{
    image_read(fd, FFS_SBOFF, fs, sizeof *fs);
}
static void sb_write(int fd, const struct ffs_superblock* fs)
{
    image_write(fd, FFS_SBOFF, fs, sizeof *fs);
}

static void inode_read(int fd, const struct ffs_superblock* fs, uint32_t ino, struct ffs_dinode* dp)
{
    image_read(fd, inode_offset(fs, ino), dp, sizeof *dp);
}
static void inode_write(int fd, const struct ffs_superblock* fs, uint32_t ino,
                        const struct ffs_dinode* dp)
{
    image_write(fd, inode_offset(fs, ino), dp, sizeof *dp);
}

/* Group g's header, the first bytes of its block ffs_cgtod. */
static void cg_read(int fd, const struct ffs_superblock* fs, uint32_t g, struct ffs_cg* cg)
{
    image_read(fd, block_offset(fs, ffs_cgtod(fs, g)), cg, sizeof *cg);
}
static void cg_write(int fd, const struct ffs_superblock* fs, uint32_t g, const struct ffs_cg* cg)
{
    image_write(fd, block_offset(fs, ffs_cgtod(fs, g)), cg, sizeof *cg);
}

/* The first block of directory `ino` (newfs gives each directory one), into
 * s_block; returns its block number, for dir_block_write. */
static uint32_t dir_block_read(int fd, const struct ffs_superblock* fs, uint32_t ino)
{
    struct ffs_dinode dino;
    inode_read(fd, fs, ino, &dino);
    EXPECT_EQ(dino.di_mode & FFS_IFMT, FFS_IFDIR);
    image_read(fd, block_offset(fs, dino.di_db[0]), s_block, fs->fs_bsize);
    return dino.di_db[0];
}
static void dir_block_write(int fd, const struct ffs_superblock* fs, uint32_t bno)
{
    image_write(fd, block_offset(fs, bno), s_block, fs->fs_bsize);
}

/* ---- directory entries in s_block's first chunk (newfs puts every entry there) ---- */

static struct ffs_direct* entry_at(uint32_t off) { return (struct ffs_direct*)(s_block + off); }

/* The live entry `name`; the case fails if there is none. */
static struct ffs_direct* dir_find(const char* name)
{
    size_t len = strlen(name);
    for (uint32_t off = 0; off < FFS_DIRBLKSIZ && entry_at(off)->d_reclen != 0;
         off += entry_at(off)->d_reclen) {
        struct ffs_direct* d = entry_at(off);
        if (d->d_ino != 0 && d->d_namlen == len && memcmp(d->d_name, name, len) == 0)
            return d;
    }
    harness_fail(__FILE__, __LINE__, "directory entry not found");
}

/* Add `name` -> `ino` (a directory) as the first chunk's last entry: the
 * entry that ends the chunk gives up its slack, as 4.4BSD's ufs_direnter
 * splits an entry. */
static void dir_add(const char* name, uint32_t ino)
{
    uint32_t off = 0;
    while (off + entry_at(off)->d_reclen < FFS_DIRBLKSIZ) {
        EXPECT(entry_at(off)->d_reclen != 0);
        off += entry_at(off)->d_reclen;
    }
    struct ffs_direct* last = entry_at(off);
    uint32_t namlen = (uint32_t)strlen(name);
    uint32_t kept = ffs_dirsiz(last->d_namlen);
    EXPECT(last->d_reclen >= kept + ffs_dirsiz(namlen));
    struct ffs_direct* added = entry_at(off + kept);
    memset(added, 0, last->d_reclen - kept);
    added->d_ino = ino;
    added->d_reclen = (uint16_t)(last->d_reclen - kept);
    added->d_type = FFS_DT_DIR;
    added->d_namlen = (uint8_t)namlen;
    memcpy(added->d_name, name, namlen);
    last->d_reclen = (uint16_t)kept;
}

/* Add `delta` to inode `ino`'s link count (a new name for a directory). */
static void add_links(int fd, const struct ffs_superblock* fs, uint32_t ino, int delta)
{
    struct ffs_dinode dino;
    inode_read(fd, fs, ino, &dino);
    dino.di_nlink = (uint16_t)(dino.di_nlink + delta);
    inode_write(fd, fs, ino, &dino);
}

/* ---- the damages: each makes one thing wrong in a fresh image `fs` on `fd` ---- */

typedef void (*damage_fn)(int fd, const struct ffs_superblock* fs);

#define LOST_FOUND_INO 3u /* newfs's lost+found (user/tools/ffs_mkfs.c) */

/* The superblock after a damage must fail ffs_sb_check: EINVAL. (The
 * disk's size is counted in 4 KiB blocks, newfs's block size: a garbage
 * superblock has none of its own.) */
static void expect_sb_refused(int fd)
{
    struct ffs_superblock now;
    sb_read(fd, &now);
    EXPECT(ffs_sb_check(&now, disk_bytes(fd) / FFS_MINBSIZE) != NULL);
}

/* A disk that held something else: 64 KiB of pseudo-random bytes (a fixed
 * xorshift32 sequence, the same every run) over the boot area, the
 * superblock and the first group's metadata. */
static void damage_garbage(int fd, const struct ffs_superblock* fs)
{
    (void)fs;
    uint32_t x = 0x2545f491u;
    for (size_t i = 0; i < sizeof s_chunk; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        s_chunk[i] = (unsigned char)x;
    }
    image_write(fd, 0, s_chunk, sizeof s_chunk);
    expect_sb_refused(fd);
}

/* A blank disk: zeros from the first byte to the last. */
static void damage_zeroed(int fd, const struct ffs_superblock* fs)
{
    (void)fs;
    memset(s_chunk, 0, sizeof s_chunk);
    uint64_t size = disk_bytes(fd);
    for (uint64_t off = 0; off < size; off += sizeof s_chunk)
        image_write(fd, off, s_chunk, size - off < sizeof s_chunk ? size - off : sizeof s_chunk);
    expect_sb_refused(fd);
}

/* Another file system's superblock: 4.4BSD UFS1's magic where FFS's is. */
static void damage_bad_magic(int fd, const struct ffs_superblock* fs)
{
    struct ffs_superblock bad = *fs;
    bad.fs_magic = 0x011954; /* FS_UFS1_MAGIC, NetBSD sys/ufs/ffs/fs.h */
    sb_write(fd, &bad);
    expect_sb_refused(fd);
}

/* An image cut short: newfs for twice the disk's size, in a file, then the
 * file's first disk-size bytes copied onto the disk (a dd that stopped at
 * the end of the disk). The superblock is sound except that it counts
 * blocks past the end of the disk. */
static void damage_truncated(int fd, const struct ffs_superblock* fs)
{
    (void)fs;
    uint64_t size = disk_bytes(fd);
    char twice[24];
    snprintf(twice, sizeof twice, "%llu", (unsigned long long)(2 * size));
    unlink(s_big_image);
    run_newfs(s_big_image, twice);
    int big = open(s_big_image, O_RDONLY);
    EXPECT(big >= 0);
    for (uint64_t off = 0; off < size; off += sizeof s_chunk) {
        size_t n = size - off < sizeof s_chunk ? (size_t)(size - off) : sizeof s_chunk;
        image_read(big, off, s_chunk, n);
        image_write(fd, off, s_chunk, n);
    }
    close(big);
    EXPECT_EQ(unlink(s_big_image), 0);
    struct ffs_superblock cut;
    sb_read(fd, &cut);
    EXPECT(ffs_sb_check(&cut, 0) == NULL);                     /* sound in itself */
    EXPECT((uint64_t)cut.fs_size * cut.fs_bsize > size);       /* but longer than the disk */
    expect_sb_refused(fd);
}

/* Bad geometry: the data area said to start one block after the inode
 * table ends (fs_dblkno must be fs_iblkno + fs_ipg / fs_inopb). */
static void damage_geometry(int fd, const struct ffs_superblock* fs)
{
    struct ffs_superblock bad = *fs;
    bad.fs_dblkno += 1;
    sb_write(fd, &bad);
    expect_sb_refused(fd);
}

/* The root inode a regular file instead of a directory. */
static void damage_root_not_directory(int fd, const struct ffs_superblock* fs)
{
    struct ffs_dinode root;
    inode_read(fd, fs, FFS_ROOTINO, &root);
    root.di_mode = (uint16_t)(FFS_IFREG | 0644);
    inode_write(fd, fs, FFS_ROOTINO, &root);
}

/* The root's only block pointer one past the last block of the file system
 * (an off-by-one, and past the end of the disk too). */
static void damage_root_block_out_of_range(int fd, const struct ffs_superblock* fs)
{
    struct ffs_dinode root;
    inode_read(fd, fs, FFS_ROOTINO, &root);
    root.di_db[0] = fs->fs_size;
    inode_write(fd, fs, FFS_ROOTINO, &root);
}

/* The root's block pointer at metadata: the inode-table block that holds
 * the root inode itself (a kernel that trusted it would read inodes as
 * directory entries, and later write entries over inodes). */
static void damage_root_block_is_metadata(int fd, const struct ffs_superblock* fs)
{
    struct ffs_dinode root;
    inode_read(fd, fs, FFS_ROOTINO, &root);
    root.di_db[0] = ffs_ino_to_fsba(fs, FFS_ROOTINO);
    EXPECT(!ffs_is_data_block(fs, root.di_db[0]));
    inode_write(fd, fs, FFS_ROOTINO, &root);
}

/* The root's "." entry with d_reclen 0: a directory walk that trusted it
 * would never move past it. */
static void damage_root_reclen_zero(int fd, const struct ffs_superblock* fs)
{
    uint32_t bno = dir_block_read(fd, fs, FFS_ROOTINO);
    dir_find(".")->d_reclen = 0;
    dir_block_write(fd, fs, bno);
}

/* A directory entry naming an inode that does not exist (one past the
 * last): the root's "lost+found". */
static void damage_entry_inode_out_of_range(int fd, const struct ffs_superblock* fs)
{
    uint32_t bno = dir_block_read(fd, fs, FFS_ROOTINO);
    dir_find("lost+found")->d_ino = ffs_ninodes(fs);
    dir_block_write(fd, fs, bno);
}

/* lost+found's ".." naming lost+found itself instead of the root. */
static void damage_dotdot_names_itself(int fd, const struct ffs_superblock* fs)
{
    uint32_t bno = dir_block_read(fd, fs, LOST_FOUND_INO);
    dir_find("..")->d_ino = LOST_FOUND_INO;
    dir_block_write(fd, fs, bno);
}

/* A directory hard link that makes a loop: lost+found gets an entry "loop"
 * naming the root, so / -> lost+found -> loop -> / ... The root's link
 * count is raised to match, so the loop is the only fault. */
static void damage_loop(int fd, const struct ffs_superblock* fs)
{
    uint32_t bno = dir_block_read(fd, fs, LOST_FOUND_INO);
    dir_add("loop", FFS_ROOTINO);
    dir_block_write(fd, fs, bno);
    add_links(fd, fs, FFS_ROOTINO, 1);
}

/* A directory hard link without a loop: the root gets a second entry
 * "again" naming lost+found, which is then reachable twice. Its link count
 * is raised to match. */
static void damage_directory_linked_twice(int fd, const struct ffs_superblock* fs)
{
    uint32_t bno = dir_block_read(fd, fs, FFS_ROOTINO);
    dir_add("again", LOST_FOUND_INO);
    dir_block_write(fd, fs, bno);
    add_links(fd, fs, LOST_FOUND_INO, 1);
}

/* Group 0's header with a bad magic number (a superblock's, as if the
 * metadata had slid by one block). */
static void damage_group_magic(int fd, const struct ffs_superblock* fs)
{
    struct ffs_cg cg;
    cg_read(fd, fs, 0, &cg);
    cg.cg_magic = FFS_MAGIC;
    cg_write(fd, fs, 0, &cg);
}

/* Group 0's free-block count one less than its block bitmap says; the
 * superblock's total is lowered to match, so only the group disagrees with
 * its bitmap. */
static void damage_group_free_count(int fd, const struct ffs_superblock* fs)
{
    struct ffs_cg cg;
    cg_read(fd, fs, 0, &cg);
    EXPECT(cg.cg_cs.cs_nbfree > 0);
    cg.cg_cs.cs_nbfree -= 1;
    cg_write(fd, fs, 0, &cg);
    struct ffs_superblock sb = *fs;
    sb.fs_cstotal.cs_nbfree -= 1;
    sb_write(fd, &sb);
}

/* ---- mounting ---------------------------------------------------------- */

/* A fresh file system on the disk; its superblock in *fs. Returns the
 * disk, open for reading and writing. */
static int fresh_image(struct ffs_superblock* fs)
{
    run_newfs(s_disk, NULL);
    int fd = open_disk();
    sb_read(fd, fs);
    EXPECT(ffs_sb_check(fs, disk_bytes(fd) / fs->fs_bsize) == NULL);
    return fd;
}

static int mount_disk(const char* at, const char* options)
{
    return mount(s_disk, at, "ffs", 0, options);
}

/* mount(2) where it must fail. Returns mount's result (errno as it left
 * it); a mount that succeeded after all is undone, so that the cases after
 * a failed one start from an empty mount point. */
static int mount_must_fail(const char* source, const char* at, const char* type,
                           const char* options)
{
    int result = mount(source, at, type, 0, options);
    if (result == 0)
        umount2(at, 0);
    return result;
}

/* The disk mounts at s_mnt -- the mount point then shows another file
 * system's directory -- and unmounts. */
static void expect_mounts_and_unmounts(void)
{
    struct stat under, over;
    EXPECT_EQ(stat(s_mnt, &under), 0);
    EXPECT_EQ(mount_disk(s_mnt, NULL), 0);
    EXPECT_EQ(stat(s_mnt, &over), 0);
    EXPECT(S_ISDIR(over.st_mode));
    EXPECT(over.st_dev != under.st_dev);
    EXPECT_EQ(umount2(s_mnt, 0), 0);
}

/* After a refusal: a fresh image mounts, so the disk is free again. */
static void expect_fresh_image_mounts(void)
{
    struct ffs_superblock fs;
    close(fresh_image(&fs));
    expect_mounts_and_unmounts();
}

/* A fresh image, damaged by `damage`: mount must fail with `err`, and the
 * structural damages (EUCLEAN) must leave the superblock sound. */
static void expect_refused(damage_fn damage, int err)
{
    struct ffs_superblock fs;
    int fd = fresh_image(&fs);
    damage(fd, &fs);
    if (err == EUCLEAN) {
        struct ffs_superblock now;
        sb_read(fd, &now);
        EXPECT(ffs_sb_check(&now, disk_bytes(fd) / now.fs_bsize) == NULL);
    }
    close(fd);
    EXPECT_ERRNO(mount_must_fail(s_disk, s_mnt, "ffs", NULL), err);
    expect_fresh_image_mounts();
}

/* ---- the cases: good images ---------------------------------------------- */

TEST_CASE(fresh_image_mounts_and_unmounts)
{
    expect_fresh_image_mounts();
}

/* ---- bad superblocks: EINVAL --------------------------------------------- */

TEST_CASE(garbage_is_einval) { expect_refused(damage_garbage, EINVAL); }
TEST_CASE(zeroed_disk_is_einval) { expect_refused(damage_zeroed, EINVAL); }
TEST_CASE(bad_magic_is_einval) { expect_refused(damage_bad_magic, EINVAL); }
TEST_CASE(truncated_image_is_einval) { expect_refused(damage_truncated, EINVAL); }
TEST_CASE(bad_geometry_is_einval) { expect_refused(damage_geometry, EINVAL); }

/* ---- bad structure below a sound superblock: EUCLEAN --------------------- */

TEST_CASE(root_not_a_directory_is_euclean) { expect_refused(damage_root_not_directory, EUCLEAN); }
TEST_CASE(root_block_out_of_range_is_euclean)
{
    expect_refused(damage_root_block_out_of_range, EUCLEAN);
}
TEST_CASE(root_block_in_metadata_is_euclean)
{
    expect_refused(damage_root_block_is_metadata, EUCLEAN);
}
TEST_CASE(root_reclen_zero_is_euclean) { expect_refused(damage_root_reclen_zero, EUCLEAN); }
TEST_CASE(entry_inode_out_of_range_is_euclean)
{
    expect_refused(damage_entry_inode_out_of_range, EUCLEAN);
}
TEST_CASE(dotdot_naming_itself_is_euclean) { expect_refused(damage_dotdot_names_itself, EUCLEAN); }
TEST_CASE(directory_loop_is_euclean) { expect_refused(damage_loop, EUCLEAN); }
TEST_CASE(directory_linked_twice_is_euclean)
{
    expect_refused(damage_directory_linked_twice, EUCLEAN);
}
TEST_CASE(group_bad_magic_is_euclean) { expect_refused(damage_group_magic, EUCLEAN); }
TEST_CASE(group_free_count_wrong_is_euclean) { expect_refused(damage_group_free_count, EUCLEAN); }

/* ---- mount(2)'s own errors ----------------------------------------------- */

/* The VFS checks the type first, then the source, then the target. */
TEST_CASE(unknown_type_is_enodev_before_all_else)
{
    EXPECT_ERRNO(mount_must_fail(s_disk, s_mnt, "no_such_fs", NULL), ENODEV);
    EXPECT_ERRNO(mount_must_fail("/dev/no_such_disk", "/no/such/dir", "no_such_fs", NULL),
                 ENODEV);
}

TEST_CASE(missing_source_is_enoent)
{
    EXPECT_ERRNO(mount_must_fail("/dev/no_such_disk", s_mnt, "ffs", NULL), ENOENT);
    EXPECT_ERRNO(mount_must_fail("", s_mnt, "ffs", NULL), ENOENT);
}

TEST_CASE(regular_file_source_is_enotblk)
{
    int fd = open(s_file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    EXPECT(fd >= 0);
    close(fd);
    EXPECT_ERRNO(mount_must_fail(s_file, s_mnt, "ffs", NULL), ENOTBLK);
    EXPECT_EQ(unlink(s_file), 0);
}

TEST_CASE(directory_source_is_enotblk)
{
    EXPECT_ERRNO(mount_must_fail("/tmp", s_mnt, "ffs", NULL), ENOTBLK);
}

TEST_CASE(char_device_source_is_enotblk)
{
    EXPECT_ERRNO(mount_must_fail("/dev/null", s_mnt, "ffs", NULL), ENOTBLK);
}

/* A bad source is reported even when the target is bad too; with a good
 * source the target's own errors come, and leave the disk free. */
TEST_CASE(source_is_checked_before_target)
{
    int fd = open(s_file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    EXPECT(fd >= 0);
    close(fd);
    EXPECT_ERRNO(mount_must_fail("/dev/null", "/no/such/dir", "ffs", NULL), ENOTBLK);
    EXPECT_ERRNO(mount_must_fail("/dev/no_such_disk", s_file, "ffs", NULL), ENOENT);
    struct ffs_superblock fs;
    close(fresh_image(&fs));
    EXPECT_ERRNO(mount_must_fail(s_disk, "/no/such/dir", "ffs", NULL), ENOENT);
    EXPECT_ERRNO(mount_must_fail(s_disk, s_file, "ffs", NULL), ENOTDIR);
    EXPECT_EQ(unlink(s_file), 0);
    expect_mounts_and_unmounts();
}

TEST_CASE(disk_mounted_twice_is_ebusy)
{
    struct ffs_superblock fs;
    close(fresh_image(&fs));
    EXPECT_EQ(mount_disk(s_mnt, NULL), 0);
    EXPECT_ERRNO(mount_must_fail(s_disk, s_mnt2, "ffs", NULL), EBUSY);
    EXPECT_EQ(umount2(s_mnt, 0), 0);
    EXPECT_EQ(mount_disk(s_mnt2, NULL), 0); /* free again once unmounted */
    EXPECT_EQ(umount2(s_mnt2, 0), 0);
}

/* A device holds one thing at a time (BlockDevice::claim): swapon of a
 * disk with a mounted file system is EBUSY -- even one with a swap header
 * behind the file system's back -- and nothing is written to it. */
TEST_CASE(swapon_of_a_mounted_disk_is_ebusy)
{
    struct ffs_superblock fs;
    close(fresh_image(&fs));
    EXPECT_EQ(mount_disk(s_mnt, NULL), 0);
    errno = 0;
    EXPECT_EQ(syscall(SYS_swapon, s_disk, 0), -1);
    EXPECT_EQ(errno, EBUSY);
    EXPECT_EQ(umount2(s_mnt, 0), 0);
    expect_mounts_and_unmounts(); /* the image is untouched */
}

TEST_CASE(unknown_option_is_einval)
{
    struct ffs_superblock fs;
    close(fresh_image(&fs));
    EXPECT_ERRNO(mount_must_fail(s_disk, s_mnt, "ffs", "no_such_option"), EINVAL);
    expect_mounts_and_unmounts();
}

SUITE_SETUP
{
    mkdir(s_mnt, 0755);
    mkdir(s_mnt2, 0755);
}

SUITE_TEARDOWN
{
    /* Whatever a failed case left mounted (stacked mounts too). */
    for (int i = 0; i < 8 && umount2(s_mnt, 0) == 0; ++i) {
    }
    for (int i = 0; i < 8 && umount2(s_mnt2, 0) == 0; ++i) {
    }
    rmdir(s_mnt);
    rmdir(s_mnt2);
    unlink(s_file);
    unlink(s_big_image);
}

/* Make and remove each name the suite uses once, before the leak check's
 * first reading: a directory's name index grows on demand and stays grown
 * (harness.h). /mnt itself is made if missing and kept. */
static void warm_up_directories(void)
{
    mkdir("/mnt", 0755);
    const char* dirs[] = {s_mnt, s_mnt2};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; ++i) {
        mkdir(dirs[i], 0755);
        rmdir(dirs[i]);
    }
    const char* files[] = {s_file, s_big_image};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
        close(open(files[i], O_RDWR | O_CREAT, 0600));
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i)
        unlink(files[i]);
}

int main(void)
{
    const char* skip = NULL;
    if (access(s_disk, F_OK) != 0)
        skip = "ffs_mount: no /dev/md0 (boot with md0=16M): nothing run\n";
    else if (!harness_on_teachos())
        skip = "ffs_mount: not teachos (its /dev/md0 is not ours to overwrite): nothing run\n";
    if (skip) {
        (void)!write(1, skip, strlen(skip));
        return 0;
    }
    snprintf(s_file, sizeof s_file, "/tmp/ffs_mount_test.%d", (int)getpid());
    snprintf(s_big_image, sizeof s_big_image, "/tmp/ffs_mount_test.%d.img", (int)getpid());
    warm_up_directories();
    return run_suite("ffs_mount");
}
