// fs/block/swapdev.h -- a disk as swap space: the Linux swap header, and page I/O for the VM's swap (vm/swap.h).
//
// swapon(2) names a block device node; this file turns the device into a
// vm::SwapBacking. The device must start with the header Linux's `mkswap`
// (busybox's too) writes in its first page:
//
//   byte 0        1024      1028        1032          1036   1052    1536            4086     4096
//        | boot   | version | last_page | nr_badpages | uuid | label | badpages[] ... | "SWAPSPACE2" |
//
// version 1; pages 1 .. last_page hold swap (page 0 is the header); the
// bad pages are listed by page number (at most 637). Anything else -- no
// signature, the old "SWAP-SPACE", a version other than 1, a last page past
// the end of the device, fewer than 10 usable pages -- is EINVAL, as on
// Linux. Byte order: the machine's (x86: little-endian), as mkswap writes.
//
// I/O: one request per run of slots, its pages as the request's page list
// (Buf::b_pages), submitted and waited for.
//
// Swap files (a regular file given to swapon) are not supported: EINVAL.
#pragma once

#include <fs/block/buf.h>

namespace block {

// Read the header of `dev` and give its pages to the VM's swap.
// Errors: EINVAL (no valid header), EBUSY (already swap, or a file system
// is mounted on it), EPERM (too many swap devices), ENOMEM, EIO.
ErrorOr<void> swap_on_device(BlockDevice& dev);
// Bring every page back from `dev` and stop using it.
// Errors: EINVAL (not swap), ENOMEM, EIO, EBUSY (see vm/swap.h:swap_off).
ErrorOr<void> swap_off_device(BlockDevice& dev);

// Is `dev` swap now? (A write to its node is ETXTBSY then, as on Linux:
// fs/block/blkdev.cpp.)
bool is_swap_device(const BlockDevice& dev);

// For /proc/swaps: call fn for each device that is swap.
void for_each_swap_device(void (*fn)(BlockDevice& dev, void* arg), void* arg);

// The parsed header (host tests). Returns the usable page count and the
// first usable page, or EINVAL. `bad`/`bad_count` point into `page`.
struct SwapHeader {
    u64 first_page;
    u64 last_page;       // inclusive
    const u32* bad;
    size_t bad_count;
};
ErrorOr<SwapHeader> parse_swap_header(const u8* page, u64 device_pages);

} // namespace block
