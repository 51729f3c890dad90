// fs/dev/line_discipline.cpp -- canonical editing, echo and output processing (see line_discipline.h).
//
// Input, one byte at a time (receive), in the order Linux's
// n_tty_receive_char_special applies the flags:
//
//   1. ISTRIP clears bit 7.
//   2. ISIG: INTR (^C), QUIT (^\) and SUSP (^Z) do not enter the buffer:
//      the pending input is flushed (unless NOFLSH), the character is
//      echoed as "^C", and the caller sends the signal.
//   3. CR: dropped with IGNCR, else turned into NL with ICRNL; NL turns
//      into CR with INLCR.
//   4. Canonical mode only: ERASE (c_cc[VERASE], DEL by default) removes
//      the last character of the line being typed -- and so does ^H with
//      IEXTEN, since terminals disagree on which one the Backspace key
//      sends (xv6 accepts both too; Linux takes only VERASE), WERASE (^W)
//      the last word, KILL (^U) the whole line; NL, EOL and EOL2 end the
//      line and are part of it; EOF (^D) ends it without being part of it.
//      None of these reaches past the start of the line being typed.
//   5. Anything else is stored, and echoed if ECHO is on.
//
// Echo. A control character is echoed as "^X" with ECHOCTL (TAB and NL as
// themselves). ERASE with ECHOE rubs the character out with "\b \b" (twice
// for a "^X"; a TAB moves back to the column the rest of the line ends at,
// computed from the column the line started at); without ECHOE the ERASE
// character itself is echoed. KILL erases character by character with
// ECHOKE|ECHOK|ECHOE, else echoes "^U" and, with ECHOK, a newline. Echo
// goes through output processing, like everything written, so NL appears
// as CR NL with ONLCR.
//
// Characters here are bytes: "control" means below 0x20 or DEL, so UTF-8
// text (and with IUTF8, erasing a multi-byte character at once) passes
// through unharmed.
//
// Read more: Linux drivers/tty/n_tty.c; NetBSD sys/kern/tty.c (ttyinput,
// ttyrub, ttyoutput); xv6 console.c (consoleintr: the smallest canonical
// mode).
#include <fs/dev/line_discipline.h>
#include <kernel/base/lib/string.h>

namespace dev {

namespace {

constexpr u8 BACKSPACE = 010;  // ^H

bool is_control(u8 c) { return c < 0x20 || c == 0x7f; }
bool is_word_char(u8 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Collects output so that the sink gets a few large pieces, not single bytes.
class BufferedSink final : public Sink {
public:
    explicit BufferedSink(Sink& out) : m_out(out) {}
    ~BufferedSink() { flush(); }
    void put(const char* s, size_t n) override
    {
        while (n > 0) {
            if (m_used == sizeof m_bytes)
                flush();
            size_t k = min(n, sizeof m_bytes - m_used);
            memcpy(m_bytes + m_used, s, k);
            m_used += k;
            s += k;
            n -= k;
        }
    }
    void flush()
    {
        if (m_used > 0)
            m_out.put(m_bytes, m_used);
        m_used = 0;
    }

private:
    Sink& m_out;
    char m_bytes[128];
    size_t m_used = 0;
};

} // namespace

Termios default_termios()
{
    Termios t{};
    t.c_iflag = ICRNL | IXON;
    t.c_oflag = OPOST | ONLCR;
    t.c_cflag = B38400 | CS8 | CREAD | HUPCL;
    t.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    t.c_cc[VINTR] = 003;     // ^C
    t.c_cc[VQUIT] = 034;     // ^backslash
    t.c_cc[VERASE] = 0177;   // DEL
    t.c_cc[VKILL] = 025;     // ^U
    t.c_cc[VEOF] = 004;      // ^D
    t.c_cc[VTIME] = 0;
    t.c_cc[VMIN] = 1;
    t.c_cc[VSTART] = 021;    // ^Q
    t.c_cc[VSTOP] = 023;     // ^S
    t.c_cc[VSUSP] = 032;     // ^Z
    t.c_cc[VREPRINT] = 022;  // ^R
    t.c_cc[VDISCARD] = 017;  // ^O
    t.c_cc[VWERASE] = 027;   // ^W
    t.c_cc[VLNEXT] = 026;    // ^V
    return t;
}

LineDiscipline::LineDiscipline() : m_termios(default_termios()) {}

// ---- the line-end bitmap ----

bool LineDiscipline::is_line_end(u32 index) const
{
    u32 i = index & (BUFFER_SIZE - 1);
    return (m_line_end[i / 64] >> (i % 64)) & 1;
}

void LineDiscipline::set_line_end(u32 index, bool on)
{
    u32 i = index & (BUFFER_SIZE - 1);
    if (on)
        m_line_end[i / 64] |= u64(1) << (i % 64);
    else
        m_line_end[i / 64] &= ~(u64(1) << (i % 64));
}

// ---- settings ----

void LineDiscipline::set_termios(const Termios& t)
{
    bool was_canonical = canonical();
    m_termios = t;
    if (was_canonical == canonical())
        return;
    // As n_tty_set_termios: line ends are forgotten; entering canonical
    // mode "pushes" what is waiting as one line, so nothing is lost.
    memset(m_line_end, 0, sizeof m_line_end);
    if (canonical() && m_head != m_tail)
        set_line_end(m_head - 1, true);
    m_canon_head = m_head;
}

void LineDiscipline::flush_input()
{
    memset(m_line_end, 0, sizeof m_line_end);
    m_tail = m_canon_head = m_head;
}

// ---- input ----

TtySignal LineDiscipline::signal_for(u8 c) const
{
    if (is_char(c, VINTR))
        return TtySignal::Interrupt;
    if (is_char(c, VQUIT))
        return TtySignal::Quit;
    if (is_char(c, VSUSP))
        return TtySignal::Suspend;
    return TtySignal::None;
}

TtySignal LineDiscipline::receive(u8 c, Sink& echo_out)
{
    if (flag_i(ISTRIP))
        c &= 0x7f;
    if (flag_l(ISIG)) {
        TtySignal sig = signal_for(c);
        if (sig != TtySignal::None) {
            if (!flag_l(NOFLSH))
                flush_input();
            if (flag_l(ECHO))
                echo(c, echo_out);
            return sig;
        }
    }
    if (c == '\r') {
        if (flag_i(IGNCR))
            return TtySignal::None;
        if (flag_i(ICRNL))
            c = '\n';
    } else if (c == '\n' && flag_i(INLCR)) {
        c = '\r';
    }
    if (canonical() && receive_canonical_special(c, echo_out))
        return TtySignal::None;
    store(c, echo_out);
    return TtySignal::None;
}

// The editing and line-ending characters of canonical mode.
// Returns true if `c` was one of them (and has been handled).
bool LineDiscipline::receive_canonical_special(u8 c, Sink& out)
{
    if (is_char(c, VERASE) || (c == BACKSPACE && flag_l(IEXTEN))) {
        erase(Erase::Char, out);
    } else if (is_char(c, VKILL)) {
        erase(Erase::Line, out);
    } else if (flag_l(IEXTEN) && is_char(c, VWERASE)) {
        erase(Erase::Word, out);
    } else if (c == '\n' || is_char(c, VEOL) || (flag_l(IEXTEN) && is_char(c, VEOL2))) {
        if (m_head - m_tail >= BUFFER_SIZE)
            return true;  // no room even for the line's end: dropped
        if (c == '\n' ? flag_l(ECHO) || flag_l(ECHONL) : flag_l(ECHO))
            echo(c, out);
        end_line(c);
    } else if (is_char(c, VEOF)) {
        if (m_head - m_tail < BUFFER_SIZE)
            end_line(EOF_MARK);  // not echoed, as in n_tty
    } else {
        return false;
    }
    return true;
}

void LineDiscipline::end_line(u8 stored)
{
    set_line_end(m_head, true);
    put_byte(stored);
    m_canon_head = m_head;
}

// An ordinary byte: into the buffer, and echoed.
void LineDiscipline::store(u8 c, Sink& out)
{
    // Canonical mode keeps one slot for the end of the line.
    size_t limit = canonical() ? BUFFER_SIZE - 1 : BUFFER_SIZE;
    if (m_head - m_tail >= limit)
        return;
    if (flag_l(ECHO)) {
        if (m_canon_head == m_head)
            m_canon_column = m_column;  // the line starts here on the screen
        echo(c, out);
    }
    put_byte(c);
    if (!canonical())
        m_canon_head = m_head;  // raw mode: everything is "complete"
}

// ---- erasing ----

void LineDiscipline::erase(Erase kind, Sink& out)
{
    if (m_head == m_canon_head)
        return;
    if (kind == Erase::Line) {
        bool visual = flag_l(ECHOK) && flag_l(ECHOKE) && flag_l(ECHOE);
        if (!flag_l(ECHO) || !visual) {
            m_head = m_canon_head;
            if (flag_l(ECHO)) {
                echo(m_termios.c_cc[VKILL], out);
                if (flag_l(ECHOK))
                    output_char('\n', out);
            }
            return;
        }
    }
    BufferedSink buffered(out);
    bool seen_word = false;
    while (m_head != m_canon_head && erase_one(kind, seen_word, buffered)) {
        if (kind == Erase::Char)
            break;
    }
}

// Remove the last character of the line being typed (several bytes for a
// UTF-8 character with IUTF8). For a word erase, stop (returns false) at the
// first non-word character after a word character.
bool LineDiscipline::erase_one(Erase kind, bool& seen_word, Sink& out)
{
    u32 h = m_head;
    u8 c;
    do {
        c = at(--h);
    } while (is_continuation(c) && h != m_canon_head);
    if (is_continuation(c))
        return false;  // never erase part of a character
    if (kind == Erase::Word) {
        if (is_word_char(c))
            seen_word = true;
        else if (seen_word)
            return false;
    }
    m_head = h;
    if (flag_l(ECHO)) {
        if (kind == Erase::Char && !flag_l(ECHOE))
            echo(m_termios.c_cc[VERASE], out);
        else
            echo_rubout(c, out);
    }
    return true;
}

// Take `erased` (already removed from the buffer) off the screen.
void LineDiscipline::echo_rubout(u8 erased, Sink& out)
{
    static const char rub[] = "\b \b";
    if (erased == '\t') {
        u32 target = line_columns();
        while (m_column > target)
            output_char('\b', out);
        return;
    }
    int times = is_control(erased) ? (flag_l(ECHOCTL) ? 2 : 0) : 1;
    for (int i = 0; i < times; ++i)
        for (int k = 0; k < 3; ++k)
            output_char(u8(rub[k]), out);
}

// The column at which the echo of the line being typed now ends.
u32 LineDiscipline::line_columns() const
{
    u32 column = m_canon_column;
    for (u32 i = m_canon_head; i != m_head; ++i) {
        u8 c = at(i);
        if (c == '\t')
            column = (column | 7) + 1;
        else if (is_control(c))
            column += flag_l(ECHOCTL) ? 2 : 0;
        else if (!is_continuation(c))
            ++column;
    }
    return column;
}

// ---- reading ----

bool LineDiscipline::readable(size_t min_raw) const
{
    if (canonical())
        return m_canon_head != m_tail;
    return m_head - m_tail >= max(min_raw, size_t(1));
}

size_t LineDiscipline::available() const
{
    if (!canonical())
        return m_head - m_tail;
    size_t n = 0;
    for (u32 i = m_tail; i != m_canon_head; ++i)
        if (!(is_line_end(i) && at(i) == EOF_MARK))
            ++n;
    return n;
}

size_t LineDiscipline::read(char* dst, size_t n, bool& line_ended)
{
    line_ended = false;
    if (!canonical()) {
        size_t k = min(n, size_t(m_head - m_tail));
        for (size_t i = 0; i < k; ++i)
            dst[i] = char(at(m_tail + u32(i)));
        m_tail += u32(k);
        return k;
    }
    size_t copied = 0;
    while (copied < n && m_tail != m_canon_head) {
        u32 pos = m_tail++;
        u8 c = at(pos);
        if (!is_line_end(pos)) {
            dst[copied++] = char(c);
            continue;
        }
        set_line_end(pos, false);
        line_ended = true;
        if (c != EOF_MARK)
            dst[copied++] = char(c);
        return copied;
    }
    // The caller's buffer ended exactly before an EOF: take the EOF too,
    // or the next read would see an empty line (n_tty looks one byte ahead).
    if (m_tail != m_canon_head && is_line_end(m_tail) && at(m_tail) == EOF_MARK) {
        set_line_end(m_tail++, false);
        line_ended = true;
    }
    return copied;
}

// ---- output ----

void LineDiscipline::emit(const char* s, size_t n, Sink& out) { out.put(s, n); }

// Echo one input character: "^X" for a control character with ECHOCTL.
void LineDiscipline::echo(u8 c, Sink& out)
{
    if (flag_l(ECHOCTL) && is_control(c) && c != '\t' && c != '\n') {
        char caret[2] = {'^', char(c ^ 0100)};
        emit(caret, 2, out);
        m_column += 2;
        return;
    }
    output_char(c, out);
}

// One byte through output processing (Linux's do_output_char).
void LineDiscipline::output_char(u8 c, Sink& out)
{
    char byte = char(c);
    if (!flag_o(OPOST)) {
        emit(&byte, 1, out);
        return;
    }
    switch (c) {
    case '\n':
        if (flag_o(ONLRET))
            m_column = 0;
        if (flag_o(ONLCR)) {
            m_column = m_canon_column = 0;
            emit("\r\n", 2, out);
            return;
        }
        break;
    case '\r':
        if (flag_o(ONOCR) && m_column == 0)
            return;
        if (flag_o(OCRNL)) {
            byte = '\n';
            if (flag_o(ONLRET))
                m_column = m_canon_column = 0;
            break;
        }
        m_column = m_canon_column = 0;
        break;
    case '\t': m_column = (m_column | 7) + 1; break;
    case '\b':
        if (m_column > 0)
            --m_column;
        break;
    default:
        if (!is_control(c) && !is_continuation(c))
            ++m_column;
        break;
    }
    emit(&byte, 1, out);
}

void LineDiscipline::write(const char* s, size_t n, Sink& out)
{
    if (!flag_o(OPOST)) {
        emit(s, n, out);
        return;
    }
    BufferedSink buffered(out);
    for (size_t i = 0; i < n; ++i)
        output_char(u8(s[i]), buffered);
}

} // namespace dev
