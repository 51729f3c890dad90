// fs/ubc/ubc.h -- the unified buffer cache's data path.
//
// File contents live in exactly one place: the pages of the file's VM object
// (vm/object.h) -- the same pages mmap maps (Silvers, "UBC", FREENIX 2000).
// read() and write() copy between those pages and the caller's buffer; there
// is no separate buffer cache for file data. For each page of the range:
//
//   1. with the object locked, get the page from its pager
//      (get_page_locked: for tmpfs, the aobj makes a zeroed page on first
//      write; a read of a hole that was never written gets no page at all:
//      the buffer is zeroed instead, so holes cost no memory);
//   2. hold the page (Page::m_hold_count) and unlock the object;
//   3. copy through the kernel's direct map to or from the IoBuffer --
//      without the object lock, because a user buffer may be an mmap of
//      this very file and the copy may fault on it;
//   4. lock, release the hold, and wake anyone waiting to free the page
//      (truncate waits for holds to drain: vm/object.h).
//
// The kernel side of the copy uses the direct map (every physical page is
// always mapped): no mapping windows to set up or tear down, unlike
// NetBSD's ubc_alloc windows, which 32-bit kernels needed.
// See docs/ubc.md.
#pragma once

#include <fs/vfs/iobuffer.h>
#include <kernel/base/lib/error_or.h>

namespace vm {
class VmObject;
}

namespace fs {

// Copy min(n, file_size - offset) bytes from the object into buf.
// => bytes copied (0 at or past file_size). A fault part way gives a short
// count; EFAULT only when not one byte could be copied (read(2)'s rule).
kern::ErrorOr<size_t> ubc_read(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n,
                               u64 file_size);
// Copy n bytes from buf into the object's pages at offset, making pages as
// needed. => bytes copied, short if memory ran out or the buffer faulted
// part way; ENOMEM / EFAULT only when nothing was copied.
kern::ErrorOr<size_t> ubc_write(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n);

} // namespace fs
