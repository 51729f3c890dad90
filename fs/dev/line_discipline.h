// fs/dev/line_discipline.h -- the terminal's line discipline: input editing, echo, output processing.
//
// Between the bytes a serial line carries and what read(2) and write(2) on a
// terminal see sits the line discipline (Linux's N_TTY, 4.4BSD's termios
// code in tty.c). It is a pure state machine here: bytes in, bytes out,
// no hardware, no locks, no sleeping -- so it is tested on the host
// (tests/host/fs/dev/line_discipline_test.cpp), and the driver around it
// (fs/dev/tty.cpp) adds the lock, the waiting and the UART.
//
//   typed byte --receive()--> [ input processing: ISTRIP, ISIG (^C ^\ ^Z),
//                               IGNCR/ICRNL/INLCR, canonical editing (ERASE,
//                               WERASE, KILL, EOF, EOL) ] --> input buffer
//                                     |  echo (ECHO, ECHOE, ECHOK, ECHOCTL...)
//                                     v
//   write(2) --write()--> [ output processing: OPOST with ONLCR, OCRNL,
//                           ONOCR, ONLRET; column tracking ] --> Sink
//
// The input buffer is a ring of BUFFER_SIZE bytes with three free-running
// indices, as in Linux's n_tty:
//
//      m_tail            m_canon_head           m_head
//        |  complete lines  |  the line being typed  |  free ...
//
// In canonical mode (ICANON) a read takes at most one line, and only a
// complete one: [m_tail, m_canon_head). The last byte of each complete line
// is marked in a bitmap (m_line_end); a line ended by EOF (^D) ends with
// the marker byte EOF_MARK, which a read consumes but does not return, so
// "abc^D" reads as "abc" and a ^D alone reads as 0 bytes (end of file).
// In raw mode (no ICANON) everything in [m_tail, m_head) is readable at
// once; VMIN/VTIME are the driver's business (fs/dev/tty.cpp), since they
// are about waiting.
//
// Echo and output share the column counter Linux keeps (m_column), so that
// erasing a TAB moves back exactly as far as the TAB moved forward.
//
// One addition to Linux: in canonical mode ^H erases like c_cc[VERASE]
// (DEL), because terminals disagree on what Backspace sends.
//
// Not done (Linux has them): IXON/IXOFF flow control (^S/^Q are ordinary
// bytes), LNEXT (^V), REPRINT (^R), ECHOPRT, PARMRK and break handling,
// IUCLC/OLCUC, TAB expansion (XTABS), output delays, packet mode.
//
// Read more: Linux drivers/tty/n_tty.c (n_tty_receive_char_special,
// eraser, canon_copy_from_read_buf, do_output_char, n_tty_set_termios);
// NetBSD sys/kern/tty.c (ttyinput, ttyrub, ttyoutput); termios(3).
#pragma once

#include <kernel/base/lib/types.h>

namespace dev {

// Linux's struct termios as TCGETS/TCSETS pass it (asm-generic/termbits.h;
// the C library's struct starts with the same 36 bytes).
constexpr size_t NCCS = 19;
struct Termios {
    u32 c_iflag;
    u32 c_oflag;
    u32 c_cflag;
    u32 c_lflag;
    u8 c_line;
    u8 c_cc[NCCS];
};
static_assert(sizeof(Termios) == 36);

// c_cc indices.
constexpr size_t VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6,
                 VSWTC = 7, VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12,
                 VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
// c_iflag.
constexpr u32 IGNBRK = 01, BRKINT = 02, IGNPAR = 04, PARMRK = 010, INPCK = 020, ISTRIP = 040,
              INLCR = 0100, IGNCR = 0200, ICRNL = 0400, IUCLC = 01000, IXON = 02000,
              IXANY = 04000, IXOFF = 010000, IMAXBEL = 020000, IUTF8 = 040000;
// c_oflag.
constexpr u32 OPOST = 01, OLCUC = 02, ONLCR = 04, OCRNL = 010, ONOCR = 020, ONLRET = 040;
// c_cflag.
constexpr u32 B38400 = 017, CS8 = 060, CREAD = 0200, HUPCL = 02000;
// c_lflag.
constexpr u32 ISIG = 01, ICANON = 02, ECHO = 010, ECHOE = 020, ECHOK = 040, ECHONL = 0100,
              NOFLSH = 0200, TOSTOP = 0400, ECHOCTL = 01000, ECHOPRT = 02000, ECHOKE = 04000,
              IEXTEN = 0100000;

// The settings a terminal starts with (Linux's tty_std_termios): canonical
// mode with echo, ^C ^\ ^Z signals, CR -> NL on input, NL -> CR NL on output.
Termios default_termios();

// What a signal character asks for; the driver turns it into SIGINT,
// SIGQUIT or SIGTSTP for the foreground process group (kernel/top/proc/signal.h
// is not included here: on the host, libc's macros have those names).
enum class TtySignal : u8 { None, Interrupt, Quit, Suspend };

// Where echoes and processed output go (the UART, or a test's string).
class Sink {
public:
    virtual void put(const char* s, size_t n) = 0;

protected:
    ~Sink() = default;
};

class LineDiscipline {
public:
    static constexpr size_t BUFFER_SIZE = 4096;  // Linux's N_TTY_BUF_SIZE; a power of two
    static constexpr u8 EOF_MARK = 0;            // stored for ^D, with its line-end bit

    LineDiscipline();

    const Termios& termios() const { return m_termios; }
    bool canonical() const { return m_termios.c_lflag & ICANON; }
    // TCSETS. Turning ICANON off makes everything typed so far readable;
    // turning it on makes what is waiting one line (Linux's "push").
    void set_termios(const Termios& t);
    // Drop all input (TCFLSH, TCSETSF, and a signal character without NOFLSH).
    void flush_input();

    // ---- input: called for each byte the line delivers ----
    // False when the buffer is full, so the driver leaves further bytes
    // with the hardware (flow control) instead of dropping them.
    bool can_receive() const { return m_head - m_tail < BUFFER_SIZE; }
    // Process one typed byte, echoing to `echo`. Returns the signal it raises
    // (the driver sends it to the foreground process group), or None. A
    // byte that does not fit is dropped (canonical mode keeps the last slot
    // for the line's end, as n_tty does).
    TtySignal receive(u8 c, Sink& echo);

    // ---- reading ----
    // Would a read take something now? Canonical: a complete line (or EOF)
    // is waiting. Raw: at least `min_raw` bytes are (VMIN for poll(2)).
    bool readable(size_t min_raw = 1) const;
    // Bytes a read could take now: FIONREAD (in canonical mode, the bytes
    // of the complete lines, EOF markers not counted).
    size_t available() const;
    // Take up to `n` bytes into `dst`. Canonical: only from a complete
    // line, never past its end; `line_ended` tells the read to stop (it got
    // the line's end, or its EOF). Raw: whatever is there; `line_ended`
    // stays false. Returns the number of bytes copied (0 with line_ended:
    // end of file).
    size_t read(char* dst, size_t n, bool& line_ended);

    // ---- output ----
    // Output processing of `n` bytes written to the terminal (OPOST ...), to `out`.
    void write(const char* s, size_t n, Sink& out);

    // For tests: the column the cursor is believed to be at.
    u32 column() const { return m_column; }

private:
    u8 at(u32 index) const { return m_buffer[index & (BUFFER_SIZE - 1)]; }
    bool is_line_end(u32 index) const;
    void set_line_end(u32 index, bool on);
    void put_byte(u8 c) { m_buffer[m_head++ & (BUFFER_SIZE - 1)] = c; }

    bool flag_i(u32 f) const { return m_termios.c_iflag & f; }
    bool flag_o(u32 f) const { return m_termios.c_oflag & f; }
    bool flag_l(u32 f) const { return m_termios.c_lflag & f; }
    // c is the (enabled: non-zero) control character cc[index].
    bool is_char(u8 c, size_t index) const { return m_termios.c_cc[index] != 0 && c == m_termios.c_cc[index]; }
    bool is_continuation(u8 c) const { return flag_i(IUTF8) && (c & 0xc0) == 0x80; }

    // Input steps.
    TtySignal signal_for(u8 c) const;
    bool receive_canonical_special(u8 c, Sink& echo);
    void end_line(u8 stored);
    void store(u8 c, Sink& echo);
    // Erasing: one character, a word, or the whole line.
    enum class Erase : u8 { Char, Word, Line };
    void erase(Erase kind, Sink& echo);
    bool erase_one(Erase kind, bool& seen_word, Sink& echo);
    void echo_rubout(u8 erased, Sink& echo);
    u32 line_columns() const;

    // Output steps.
    void echo(u8 c, Sink& out);
    void output_char(u8 c, Sink& out);
    void emit(const char* s, size_t n, Sink& out);

    Termios m_termios;
    u8 m_buffer[BUFFER_SIZE];
    u64 m_line_end[BUFFER_SIZE / 64] = {};
    u32 m_tail = 0;        // next byte a read takes
    u32 m_canon_head = 0;  // end of the complete lines (canonical mode)
    u32 m_head = 0;        // end of everything received
    u32 m_column = 0;      // output column (OPOST tracks it)
    u32 m_canon_column = 0;  // the column the line being typed started at
};

} // namespace dev
