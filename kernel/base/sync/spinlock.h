// kernel/base/sync/spinlock.h -- SpinLock: a busy-waiting lock that masks interrupts.
//
// Take a SpinLock for short critical sections that interrupt handlers may also
// enter (the scheduler's run queue, the page allocator, the heap). Acquiring
// disables interrupts on this CPU and remembers their previous state; release
// restores it. Never sleep while holding one.
//
// Written for SMP although one CPU runs today: the lock word is an atomic
// test-and-test-and-set, and the holder's CPU is recorded so that
// is_locked_by_me() can back `_locked` assertions.
//
//   SpinGuard guard(m_lock);     // released when `guard` goes out of scope
#pragma once

#include <arch/cpu.h>
#include <kernel/base/lib/assert.h>

namespace kern {

class SpinLock {
public:
    constexpr SpinLock() = default;
    SpinLock(const SpinLock&) = delete;
    SpinLock& operator=(const SpinLock&) = delete;

    // Returns the interrupt state to hand back to unlock().
    arch::IrqState lock()
    {
        arch::IrqState state = arch::irq_save();
        while (__atomic_exchange_n(&m_locked, 1, __ATOMIC_ACQUIRE)) {
            while (__atomic_load_n(&m_locked, __ATOMIC_RELAXED))
                arch::cpu_relax();
        }
        m_owner_cpu = int(arch::cpu_id());
        return state;
    }

    void unlock(arch::IrqState state)
    {
        KASSERT(is_locked_by_me());
        m_owner_cpu = -1;
        __atomic_store_n(&m_locked, 0, __ATOMIC_RELEASE);
        arch::irq_restore(state);
    }

    bool is_locked() const { return __atomic_load_n(&m_locked, __ATOMIC_RELAXED) != 0; }
    bool is_locked_by_me() const { return is_locked() && m_owner_cpu == int(arch::cpu_id()); }

private:
    int m_locked = 0;
    int m_owner_cpu = -1;
};

// RAII guard: locks in the constructor, unlocks in the destructor.
class SpinGuard {
public:
    explicit SpinGuard(SpinLock& lock) : m_lock(lock), m_state(lock.lock()) {}
    ~SpinGuard() { m_lock.unlock(m_state); }
    SpinGuard(const SpinGuard&) = delete;
    SpinGuard& operator=(const SpinGuard&) = delete;

private:
    SpinLock& m_lock;
    arch::IrqState m_state;
};

} // namespace kern
