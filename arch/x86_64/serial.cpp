// arch/x86_64/serial.cpp -- the COM1 UART (16550) as the kernel console.
//
// Output is polled: we wait for the transmit holding register to empty and
// write a byte. Polling is slow but works in every state the kernel can be
// in, including a panic with interrupts off, which is what a console for
// debugging needs.
//
// Input is polled too: the timer interrupt calls serial_poll_input() at
// every tick, which calls the terminal driver's handler if the line status
// register says a byte is waiting; the handler reads the bytes it has room
// for (console_try_read). The UART's receive interrupt stays off: routing
// IRQ 4 would need an I/O APIC driver (the PICs are masked), and 100 polls a
// second lose nothing -- unread bytes wait in the 16-byte FIFO and QEMU
// holds back the rest. See fs/dev/tty.cpp. QEMU's -serial stdio connects
// COM1 to the terminal.
#include "serial.h"
#include "x86.h"
#include <arch/console.h>

namespace x86 {

static constexpr u16 COM1 = 0x3f8;

void serial_init()
{
    outb(COM1 + 1, 0x00);  // no interrupts
    outb(COM1 + 3, 0x80);  // DLAB on: set the divisor
    outb(COM1 + 0, 0x01);  // 115200 baud
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);  // 8 bits, no parity, one stop bit
    outb(COM1 + 2, 0xc7);  // FIFO on, cleared, 14-byte threshold
    outb(COM1 + 4, 0x0b);  // DTR, RTS, OUT2
}

static void put_byte(char c)
{
    while ((inb(COM1 + 5) & 0x20) == 0)
        asm volatile("pause");
    outb(COM1, u8(c));
}

bool serial_try_read(char& c)
{
    if ((inb(COM1 + 5) & 0x01) == 0)
        return false;
    c = char(inb(COM1));
    return true;
}

static arch::ConsoleInputHandler s_input_handler;

void serial_poll_input()
{
    arch::ConsoleInputHandler handler = __atomic_load_n(&s_input_handler, __ATOMIC_ACQUIRE);
    if (handler && (inb(COM1 + 5) & 0x01))
        handler();
}

} // namespace x86

namespace arch {

void console_write(const char* s, size_t len)
{
    for (size_t i = 0; i < len; ++i) {
        if (s[i] == '\n')
            x86::put_byte('\r');
        x86::put_byte(s[i]);
    }
}

void console_write_raw(const char* s, size_t len)
{
    for (size_t i = 0; i < len; ++i)
        x86::put_byte(s[i]);
}

void console_set_input_handler(ConsoleInputHandler handler)
{
    __atomic_store_n(&x86::s_input_handler, handler, __ATOMIC_RELEASE);
}

bool console_try_read(char& c) { return x86::serial_try_read(c); }

} // namespace arch
