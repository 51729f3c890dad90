// fs/vfs/device.cpp -- the character-device table (see device.h).
#include <fs/vfs/device.h>
#include <kernel/base/sync/spinlock.h>

namespace fs {

namespace {
struct Entry {
    u64 rdev;
    Vnode* vnode;
};
constexpr size_t MAX_DEVICES = 32;  // a teaching kernel has a handful
Entry s_devices[MAX_DEVICES];
size_t s_count;  // guarded by s_lock
kern::SpinLock s_lock;
} // namespace

ErrorOr<void> register_char_device(u64 rdev, Vnode& vnode)
{
    kern::SpinGuard guard(s_lock);
    for (size_t i = 0; i < s_count; ++i)
        if (s_devices[i].rdev == rdev)
            return Errno::EEXIST;
    if (s_count == MAX_DEVICES)
        return Errno::ENOMEM;
    vnode.ref();
    s_devices[s_count++] = {rdev, &vnode};
    return {};
}

ErrorOr<Vnode*> char_device(u64 rdev)
{
    kern::SpinGuard guard(s_lock);
    for (size_t i = 0; i < s_count; ++i) {
        if (s_devices[i].rdev == rdev) {
            s_devices[i].vnode->ref();
            return s_devices[i].vnode;
        }
    }
    return Errno::ENXIO;
}

} // namespace fs
