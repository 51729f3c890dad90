// fs/vfs/device.cpp -- the character- and block-device tables (see device.h).
#include <fs/vfs/device.h>
#include <kernel/base/sync/spinlock.h>

namespace fs {

namespace {
struct Entry {
    u64 rdev;
    Vnode* vnode;
};
constexpr size_t MAX_DEVICES = 32;  // a teaching kernel has a handful
struct Table {
    Entry devices[MAX_DEVICES];
    size_t count;  // guarded by lock
    kern::SpinLock lock;
};
Table s_char;
Table s_block;

ErrorOr<void> register_in(Table& table, u64 rdev, Vnode& vnode)
{
    kern::SpinGuard guard(table.lock);
    for (size_t i = 0; i < table.count; ++i)
        if (table.devices[i].rdev == rdev)
            return Errno::EEXIST;
    if (table.count == MAX_DEVICES)
        return Errno::ENOMEM;
    vnode.ref();
    table.devices[table.count++] = {rdev, &vnode};
    return {};
}

ErrorOr<Vnode*> find_in(Table& table, u64 rdev)
{
    kern::SpinGuard guard(table.lock);
    for (size_t i = 0; i < table.count; ++i) {
        if (table.devices[i].rdev == rdev) {
            table.devices[i].vnode->ref();
            return table.devices[i].vnode;
        }
    }
    return Errno::ENXIO;
}
} // namespace

ErrorOr<void> register_char_device(u64 rdev, Vnode& vnode) { return register_in(s_char, rdev, vnode); }
ErrorOr<Vnode*> char_device(u64 rdev) { return find_in(s_char, rdev); }
ErrorOr<void> register_block_device(u64 rdev, Vnode& vnode) { return register_in(s_block, rdev, vnode); }
ErrorOr<Vnode*> block_device(u64 rdev) { return find_in(s_block, rdev); }

} // namespace fs
