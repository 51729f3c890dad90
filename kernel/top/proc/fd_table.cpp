// kernel/top/proc/fd_table.cpp -- file descriptors (see fd_table.h).
//
// The limit checks follow Linux's fs/file.c: alloc_fd refuses a descriptor
// at or above RLIMIT_NOFILE with EMFILE, ksys_dup3 a target at or above it
// with EBADF (fcntl's F_DUPFD answers EINVAL itself: sys_file.cpp).
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/fd_table.h>

namespace kern {

ErrorOr<void> FdTable::grow_locked(int fd)
{
    KASSERT(m_lock.is_locked_by_me() && fd < NR_OPEN);
    if (fd < capacity_locked())
        return {};
    int capacity = capacity_locked() ? capacity_locked() : 16;
    while (capacity <= fd)
        capacity *= 2;
    if (capacity > NR_OPEN)
        capacity = NR_OPEN;
    return m_slots.try_resize(size_t(capacity));  // the new slots are empty (zeroed)
}

ErrorOr<int> FdTable::install(fs::File& file, bool cloexec, int min_fd)
{
    if (min_fd < 0)
        return Errno::EINVAL;
    MutexGuard guard(m_lock);
    int fd = min_fd;
    while (fd < capacity_locked() && m_slots[fd].file)
        ++fd;
    if (fd >= limit())
        return Errno::EMFILE;
    TRY(grow_locked(fd));
    file.ref();
    m_slots[fd] = {&file, cloexec};
    return fd;
}

ErrorOr<fs::File*> FdTable::get(int fd)
{
    MutexGuard guard(m_lock);
    if (fd < 0 || fd >= capacity_locked() || !m_slots[fd].file)
        return Errno::EBADF;
    m_slots[fd].file->ref();
    return m_slots[fd].file;
}

ErrorOr<void> FdTable::close(int fd)
{
    fs::File* file;
    {
        MutexGuard guard(m_lock);
        if (fd < 0 || fd >= capacity_locked() || !m_slots[fd].file)
            return Errno::EBADF;
        file = m_slots[fd].file;
        m_slots[fd] = {nullptr, false};
    }
    file->unref();
    return {};
}

ErrorOr<int> FdTable::duplicate_to(int old_fd, int new_fd, bool cloexec)
{
    fs::File* replaced = nullptr;
    {
        MutexGuard guard(m_lock);
        if (old_fd < 0 || old_fd >= capacity_locked() || !m_slots[old_fd].file)
            return Errno::EBADF;
        if (old_fd == new_fd)
            return new_fd;
        if (new_fd < 0 || new_fd >= limit())
            return Errno::EBADF;  // Linux's ksys_dup3: at or above RLIMIT_NOFILE
        TRY(grow_locked(new_fd));
        replaced = m_slots[new_fd].file;
        m_slots[old_fd].file->ref();
        m_slots[new_fd] = {m_slots[old_fd].file, cloexec};
    }
    if (replaced)
        replaced->unref();
    return new_fd;
}

ErrorOr<bool> FdTable::cloexec(int fd)
{
    MutexGuard guard(m_lock);
    if (fd < 0 || fd >= capacity_locked() || !m_slots[fd].file)
        return Errno::EBADF;
    return m_slots[fd].cloexec;
}

ErrorOr<void> FdTable::set_cloexec(int fd, bool on)
{
    MutexGuard guard(m_lock);
    if (fd < 0 || fd >= capacity_locked() || !m_slots[fd].file)
        return Errno::EBADF;
    m_slots[fd].cloexec = on;
    return {};
}

void FdTable::set_limit(int limit)
{
    KASSERT(limit >= 0 && limit <= NR_OPEN);
    __atomic_store_n(&m_limit, limit, __ATOMIC_RELAXED);
}

ErrorOr<void> FdTable::copy_from(FdTable& other)
{
    KASSERT(m_slots.is_empty());
    set_limit(other.limit());
    MutexGuard theirs(other.m_lock);
    if (other.m_slots.is_empty())
        return {};
    Vector<Slot> slots;
    TRY(slots.try_append(other.m_slots.data(), other.m_slots.size()));
    for (Slot& slot : slots)
        if (slot.file)
            slot.file->ref();
    MutexGuard mine(m_lock);
    m_slots = std::move(slots);
    return {};
}

void FdTable::close_on_exec()
{
    for (int fd = 0;; ++fd) {
        fs::File* file = nullptr;
        {
            MutexGuard guard(m_lock);
            if (fd >= capacity_locked())
                return;
            if (m_slots[fd].file && m_slots[fd].cloexec) {
                file = m_slots[fd].file;
                m_slots[fd] = {nullptr, false};
            }
        }
        if (file)
            file->unref();
    }
}

void FdTable::close_all()
{
    Vector<Slot> slots;  // taken out under the lock, dropped and freed after it
    {
        MutexGuard guard(m_lock);
        slots = std::move(m_slots);
    }
    for (Slot& slot : slots)
        if (slot.file)
            slot.file->unref();
}

bool FdTable::has_room()
{
    MutexGuard guard(m_lock);
    int limit = this->limit();
    for (int fd = 0; fd < limit; ++fd)
        if (fd >= capacity_locked() || !m_slots[fd].file)
            return true;
    return false;
}

int FdTable::count()
{
    MutexGuard guard(m_lock);
    int n = 0;
    for (int fd = 0; fd < capacity_locked(); ++fd)
        n += m_slots[fd].file != nullptr;
    return n;
}

} // namespace kern
