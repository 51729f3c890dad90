// fs/vfs/types.cpp -- file types as mode bits, and the file-system clock.
//
// st_mode packs the file type into its MODE_TYPE_MASK bits (Linux's values, which
// every Unix shares): vtype_to_mode and mode_to_vtype translate between
// those bits and VType. current_time() stamps atime/mtime/ctime: until the
// kernel reads a real-time clock it is the time since boot, which keeps
// timestamps increasing -- all that tests and make(1) need.
#include <arch/time.h>
#include <fs/vfs/types.h>

namespace fs {

namespace {
constexpr u32 MODE_TYPE_MASK = 0170000;
constexpr u32 MODE_SOCK = 0140000, MODE_LNK = 0120000, MODE_REG = 0100000, MODE_BLK = 0060000,
              MODE_DIR = 0040000, MODE_CHR = 0020000, MODE_IFO = 0010000;
} // namespace

u32 vtype_to_mode(VType type)
{
    switch (type) {
    case VType::Regular: return MODE_REG;
    case VType::Directory: return MODE_DIR;
    case VType::Symlink: return MODE_LNK;
    case VType::CharDevice: return MODE_CHR;
    case VType::BlockDevice: return MODE_BLK;
    case VType::Fifo: return MODE_IFO;
    case VType::Socket: return MODE_SOCK;
    case VType::None: return 0;
    }
    return 0;
}

VType mode_to_vtype(u32 mode)
{
    switch (mode & MODE_TYPE_MASK) {
    case MODE_REG: return VType::Regular;
    case MODE_DIR: return VType::Directory;
    case MODE_LNK: return VType::Symlink;
    case MODE_CHR: return VType::CharDevice;
    case MODE_BLK: return VType::BlockDevice;
    case MODE_IFO: return VType::Fifo;
    case MODE_SOCK: return VType::Socket;
    default: return VType::None;
    }
}

Timespec current_time()
{
    u64 ns = arch::monotonic_ns() + arch::realtime_offset_ns();
    Timespec t;
    t.sec = i64(ns / 1000000000);
    t.nsec = i64(ns % 1000000000);
    return t;
}

} // namespace fs
