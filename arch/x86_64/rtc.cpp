// arch/x86_64/rtc.cpp -- the battery-backed clock: the date and time of day.
//
// A PC keeps the wall-clock time in the CMOS real-time clock (the MC146818
// of the IBM AT and its descendants; QEMU emulates it and sets it to the
// host's UTC time). It is read through two I/O ports: write a register
// number to 0x70, read the value from 0x71. The registers used here:
//
//   0x00 seconds  0x02 minutes  0x04 hours  0x07 day  0x08 month  0x09 year
//   0x32 century (not in the original chip; QEMU and most firmware have it)
//   0x0a status A: bit 7 "update in progress" (the registers change soon)
//   0x0b status B: bit 2 binary (else BCD), bit 1 24-hour (else 12-hour,
//                  with bit 7 of the hour meaning PM)
//
// A read can straddle the once-a-second update, so the registers are read
// until two consecutive reads agree (Linux's mach_get_cmos_time does the
// same kind of dance). The clock has a one-second resolution; the kernel's
// realtime clock adds the TSC's nanoseconds to it (kernel/top/syscall/sys_time.cpp).
//
// Sources: the MC146818A data sheet; OSDev wiki "CMOS" and "RTC";
// Linux arch/x86/kernel/rtc.c; H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms" (days_from_civil, used below).
#include "x86.h"
#include <arch/time.h>

namespace arch {

namespace {

constexpr u16 CMOS_INDEX = 0x70, CMOS_DATA = 0x71;
constexpr u8 REG_SECONDS = 0x00, REG_MINUTES = 0x02, REG_HOURS = 0x04, REG_DAY = 0x07,
             REG_MONTH = 0x08, REG_YEAR = 0x09, REG_CENTURY = 0x32, REG_STATUS_A = 0x0a,
             REG_STATUS_B = 0x0b;
constexpr u8 STATUS_A_UPDATING = 0x80, STATUS_B_24H = 0x02, STATUS_B_BINARY = 0x04;

u8 cmos_read(u8 reg)
{
    x86::outb(CMOS_INDEX, reg);
    return x86::inb(CMOS_DATA);
}

struct RtcTime {
    u8 second, minute, hour, day, month, year, century;
    bool operator==(const RtcTime&) const = default;
};

// One read of the time registers, after any update in progress has ended.
RtcTime read_registers()
{
    for (int spins = 0; spins < 1000000 && (cmos_read(REG_STATUS_A) & STATUS_A_UPDATING); ++spins)
        asm volatile("pause");
    return {cmos_read(REG_SECONDS), cmos_read(REG_MINUTES), cmos_read(REG_HOURS), cmos_read(REG_DAY),
            cmos_read(REG_MONTH),   cmos_read(REG_YEAR),    cmos_read(REG_CENTURY)};
}

u32 from_bcd(u8 v) { return (v >> 4) * 10u + (v & 0x0f); }

// Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian).
i64 days_from_civil(i64 y, u32 m, u32 d)
{
    y -= m <= 2;
    const i64 era = (y >= 0 ? y : y - 399) / 400;
    const u32 yoe = u32(y - era * 400);                                  // [0, 399]
    const u32 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;     // [0, 365]
    const u32 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;               // [0, 146096]
    return era * 146097 + i64(doe) - 719468;
}

} // namespace

u64 wall_clock_seconds()
{
    RtcTime t = read_registers(), again;
    for (int tries = 0; tries < 5 && !((again = read_registers()) == t); ++tries)
        t = again;
    u8 status_b = cmos_read(REG_STATUS_B);
    bool pm = !(status_b & STATUS_B_24H) && (t.hour & 0x80);
    u32 hour = t.hour & 0x7f, second = t.second, minute = t.minute, day = t.day, month = t.month,
        year = t.year, century = t.century;
    if (!(status_b & STATUS_B_BINARY)) {
        second = from_bcd(u8(second));
        minute = from_bcd(u8(minute));
        hour = from_bcd(u8(hour));
        day = from_bcd(u8(day));
        month = from_bcd(u8(month));
        year = from_bcd(u8(year));
        century = from_bcd(u8(century));
    }
    if (!(status_b & STATUS_B_24H))
        hour = (hour % 12) + (pm ? 12 : 0);
    if (century < 19 || century > 99)
        century = 20;  // no century register: assume this one
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return 0;
    i64 days = days_from_civil(i64(century) * 100 + year, month, day);
    if (days < 0)
        return 0;
    return u64(days) * 86400 + hour * 3600 + minute * 60 + second;
}

u64 realtime_offset_ns()
{
    constexpr u64 UNKNOWN = ~0ull;
    static u64 s_offset = UNKNOWN;
    u64 offset = __atomic_load_n(&s_offset, __ATOMIC_RELAXED);
    if (offset != UNKNOWN)
        return offset;
    u64 wall = wall_clock_seconds() * 1000000000ull, now = monotonic_ns();
    u64 fresh = wall > now ? wall - now : 0;  // no valid date: real time starts at 1970
    // Two first readers may race; the first one's value stays.
    __atomic_compare_exchange_n(&s_offset, &offset, fresh, false, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
    return __atomic_load_n(&s_offset, __ATOMIC_RELAXED);
}

} // namespace arch
