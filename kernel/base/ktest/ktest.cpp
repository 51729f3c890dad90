// kernel/base/ktest/ktest.cpp -- running the in-kernel test cases (see ktest.h).
//
// Each case runs in its own kernel thread, joined by the runner, so a case
// that blocks forever leaves the runner's "RUN" line as the last word and the
// host-side runner names it when its timeout fires. Leak accounting: free
// pages and heap bytes are read before the thread is created and after it
// has been joined and freed; any difference is a leak of the case.
#include <arch/pmap.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/page/page_allocator.h>

extern "C" const kern::ktest::Case __ktest_start[], __ktest_end[];

namespace kern::ktest {

static const char* basename_of(const char* path)
{
    const char* base = path;
    for (const char* p = path; *p; ++p)
        if (*p == '/')
            base = p + 1;
    return base;
}

bool Context::check(bool ok, const char* file, int line, const char* fmt, ...)
{
    if (ok || m_failed)
        return ok;
    m_failed = true;
    const char* base = basename_of(file);
    int n = snprintf(m_message, sizeof m_message, "%s:%d ", base, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m_message + n, sizeof m_message - size_t(n), fmt, ap);
    va_end(ap);
    return ok;
}

namespace {

struct Usage {
    size_t free_pages;
    size_t heap_bytes;
};

// Slab caches keep one empty slab as a spare: give those back first so that
// a case that merely used a new size class is not counted as leaking.
// Page-table pages are left out: the kernel pmap keeps the tables it made for
// the kernel map; user pmaps' tables are checked by the vm and pmap suites
// (arch::pmap_table_pages() back to its start after a destroy).
Usage usage_now()
{
    kernel_heap().shrink();
    return {vm::page_allocator().stats().free + arch::pmap_table_pages(), heap_stats().bytes_in_use};
}

// Does `filter` (comma-separated terms) select suite.name?
bool matches(const char* filter, const Case& c)
{
    size_t slen = strlen(c.suite), nlen = strlen(c.name);
    for (const char* p = filter; *p;) {
        const char* end = p;
        while (*end && *end != ',')
            ++end;
        size_t len = size_t(end - p);
        // "all" leaves out the crash_* suites (they end the machine) and the
        // bench_* suites (benchmarks, run by make bench, never timed tests).
        bool special = !strncmp(c.suite, "crash_", 6) || !strncmp(c.suite, "bench_", 6);
        if ((len == 3 && !strncmp(p, "all", 3) && !special) ||
            (len == slen && !strncmp(p, c.suite, slen)) ||
            (len == slen + 1 + nlen && !strncmp(p, c.suite, slen) && p[slen] == '.' &&
             !strncmp(p + slen + 1, c.name, nlen)))
            return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

struct CaseRun {
    const Case* c;
    Context ctx;
};

void case_thread(void* arg)
{
    auto* run = static_cast<CaseRun*>(arg);
    run->c->fn(run->ctx);
}

// Returns true if the case passed.
bool run_one(const Case& c)
{
    printk("RUN %s.%s\n", c.suite, c.name);
    CaseRun run{&c, {}};
    Usage before = usage_now();
    auto thread = Thread::create(c.name, case_thread, &run);
    if (thread.is_error()) {
        printk("TEST %s.%s FAIL ktest.cpp cannot create a thread (%s)\n", c.suite, c.name,
               errno_name(thread.error()));
        return false;
    }
    thread.value()->start();
    thread.value()->join();
    Usage after = usage_now();
    if (!run.ctx.failed() && (after.free_pages != before.free_pages || after.heap_bytes != before.heap_bytes))
        run.ctx.check(false, "ktest.cpp", 0, "leaked %ld pages and %ld heap bytes",
                      long(before.free_pages) - long(after.free_pages),
                      long(after.heap_bytes) - long(before.heap_bytes));
    if (run.ctx.failed())
        printk("TEST %s.%s FAIL %s\n", c.suite, c.name, run.ctx.message());
    else
        printk("TEST %s.%s PASS\n", c.suite, c.name);
    return !run.ctx.failed();
}

} // namespace

int run(const char* filter)
{
    int passed = 0, failed = 0;
    for (const Case* c = __ktest_start; c < __ktest_end; ++c) {
        if (!matches(filter, *c))
            continue;
        if (run_one(*c))
            ++passed;
        else
            ++failed;
    }
    printk("KTEST DONE passed=%d failed=%d\n", passed, failed);
    return failed;
}

} // namespace kern::ktest
