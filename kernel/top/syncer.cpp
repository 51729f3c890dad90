// kernel/top/syncer.cpp -- the syncer thread (see kernel/top/syncer.h).
#include <fs/vfs/vfs.h>
#include <kernel/base/cmdline.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/syncer.h>

namespace kern {

namespace {

constexpr u64 DEFAULT_PERIOD_S = 30;
constexpr u64 NS_PER_S = 1000000000ull;

u64 s_period_s = DEFAULT_PERIOD_S;

void syncer_main(void*)
{
    for (;;) {
        sleep_ns(s_period_s * NS_PER_S);
        (void)fs::sync_all();  // each file system reports its own I/O errors
    }
}

} // namespace

void syncer_init()
{
    char value[16];
    if (cmdline_get("syncer", value, sizeof value)) {
        u64 seconds = 0;
        for (const char* p = value; *p >= '0' && *p <= '9'; ++p)
            seconds = seconds * 10 + u64(*p - '0');
        s_period_s = seconds;
    }
    if (s_period_s == 0)
        return;
    auto thread = Thread::create("syncer", syncer_main, nullptr);
    if (thread.is_error()) {
        printk("syncer: not started (no memory): dirty data waits for sync(2)\n");
        return;
    }
    thread.value()->detach();
    thread.value()->start();
}

} // namespace kern
