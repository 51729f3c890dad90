// tests/host/fs/dev/line_discipline_test.cpp -- the terminal's line discipline, byte by byte.
//
// Each test types bytes into a LineDiscipline (as the UART would), reads
// what a read(2) would get, and compares the echo with what Linux's n_tty
// prints for the same keys under the same termios flags.
#include <fs/dev/line_discipline.h>

#include <string>

using namespace dev;

namespace {

class StringSink final : public Sink {
public:
    void put(const char* s, size_t n) override { text.append(s, n); }
    std::string take() { return std::exchange(text, std::string()); }
    std::string text;
};

class LineDisciplineTest : public ::testing::Test {
protected:
    // Type `keys`; returns the signals raised, one letter each (I, Q, S).
    std::string type(const std::string& keys)
    {
        std::string signals;
        for (char c : keys) {
            switch (ld.receive(u8(c), echo)) {
            case TtySignal::Interrupt: signals += 'I'; break;
            case TtySignal::Quit: signals += 'Q'; break;
            case TtySignal::Suspend: signals += 'S'; break;
            case TtySignal::None: break;
            }
        }
        return signals;
    }

    // One read of at most `n` bytes.
    std::string read(size_t n = 100)
    {
        std::string out(n, '\0');
        last_ended = false;
        out.resize(ld.read(out.data(), n, last_ended));
        return out;
    }

    void set_lflag(u32 on, u32 off = 0)
    {
        Termios t = ld.termios();
        t.c_lflag = (t.c_lflag | on) & ~off;
        ld.set_termios(t);
    }

    LineDiscipline ld;
    StringSink echo;
    bool last_ended = false;
};

} // namespace

TEST_F(LineDisciplineTest, DefaultsAreLinuxs)
{
    Termios t = ld.termios();
    EXPECT_EQ(t.c_iflag, ICRNL | IXON);
    EXPECT_EQ(t.c_oflag, OPOST | ONLCR);
    EXPECT_TRUE(t.c_lflag & ICANON);
    EXPECT_TRUE(t.c_lflag & ECHO);
    EXPECT_TRUE(t.c_lflag & ISIG);
    EXPECT_EQ(t.c_cc[VERASE], 0177);
    EXPECT_EQ(t.c_cc[VEOF], 4);
    EXPECT_EQ(t.c_cc[VMIN], 1);
    EXPECT_TRUE(ld.canonical());
}

TEST_F(LineDisciplineTest, CanonicalLineWaitsForEnter)
{
    type("abc");
    EXPECT_FALSE(ld.readable());
    EXPECT_EQ(ld.available(), 0u);
    type("\r");  // Enter sends CR; ICRNL makes it NL
    EXPECT_TRUE(ld.readable());
    EXPECT_EQ(ld.available(), 4u);
    EXPECT_EQ(read(), "abc\n");
    EXPECT_TRUE(last_ended);
    EXPECT_FALSE(ld.readable());
    EXPECT_EQ(echo.text, "abc\r\n");  // ONLCR on the echo of NL
}

TEST_F(LineDisciplineTest, ReadReturnsOneLineAtATime)
{
    type("one\ntwo\n");
    EXPECT_EQ(read(), "one\n");
    EXPECT_EQ(read(), "two\n");
}

TEST_F(LineDisciplineTest, ShortReadTakesPartOfTheLine)
{
    type("hello\n");
    EXPECT_EQ(read(2), "he");
    EXPECT_FALSE(last_ended);
    EXPECT_EQ(read(), "llo\n");
    EXPECT_TRUE(last_ended);
}

TEST_F(LineDisciplineTest, EraseRemovesOneCharacter)
{
    type("abx\x7f");
    EXPECT_EQ(echo.take(), "abx\b \b");
    type("c\n");
    EXPECT_EQ(read(), "abc\n");
}

TEST_F(LineDisciplineTest, BackspaceErasesToo)
{
    type("abx\bc\n");
    EXPECT_EQ(read(), "abc\n");
    EXPECT_EQ(echo.text, "abx\b \bc\r\n");
}

TEST_F(LineDisciplineTest, EraseStopsAtTheStartOfTheLine)
{
    type("a\n\x7f\x7f" "b\n");
    EXPECT_EQ(read(), "a\n");  // a complete line cannot be erased
    EXPECT_EQ(read(), "b\n");
    EXPECT_EQ(echo.text, "a\r\nb\r\n");
}

TEST_F(LineDisciplineTest, EraseOfAControlCharacterRubsTwoColumns)
{
    type("a\x01");
    EXPECT_EQ(echo.take(), "a^A");
    EXPECT_EQ(ld.column(), 3u);
    type("\x7f");
    EXPECT_EQ(echo.take(), "\b \b\b \b");
    EXPECT_EQ(ld.column(), 1u);
}

TEST_F(LineDisciplineTest, EraseOfATabGoesBackToWhereItStarted)
{
    ld.write("$ ", 2, echo);  // a prompt: the line starts at column 2
    type("ab\t");
    EXPECT_EQ(ld.column(), 8u);
    echo.take();
    type("\x7f");
    EXPECT_EQ(echo.take(), "\b\b\b\b");  // from column 8 back to 4
    EXPECT_EQ(ld.column(), 4u);
}

TEST_F(LineDisciplineTest, EraseWithoutEchoeEchoesTheEraseCharacter)
{
    set_lflag(0, ECHOE);
    type("ab\x7f");
    EXPECT_EQ(echo.text, "ab^?");
    type("\n");
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, KillErasesTheLine)
{
    type("hello\x15");
    std::string rubouts;
    for (int i = 0; i < 5; ++i)
        rubouts += "\b \b";
    EXPECT_EQ(echo.take(), "hello" + rubouts);
    type("bye\n");
    EXPECT_EQ(read(), "bye\n");
}

TEST_F(LineDisciplineTest, KillWithoutEchokeEchoesCaretUAndNewline)
{
    set_lflag(0, ECHOKE);
    type("hello\x15");
    EXPECT_EQ(echo.text, "hello^U\r\n");
    type("x\n");
    EXPECT_EQ(read(), "x\n");
}

TEST_F(LineDisciplineTest, WordEraseRemovesTheLastWord)
{
    type("foo bar  \x17");
    EXPECT_EQ(ld.column(), 4u);
    type("baz\n");
    EXPECT_EQ(read(), "foo baz\n");
}

TEST_F(LineDisciplineTest, EofWithDataEndsTheLineWithoutItself)
{
    type("abc\x04");
    EXPECT_TRUE(ld.readable());
    EXPECT_EQ(ld.available(), 3u);  // the EOF marker is not data
    EXPECT_EQ(read(), "abc");
    EXPECT_TRUE(last_ended);
    EXPECT_FALSE(ld.readable());
    EXPECT_EQ(echo.text, "abc");  // ^D is not echoed
}

TEST_F(LineDisciplineTest, EofAtTheStartOfALineReadsAsZero)
{
    type("\x04");
    EXPECT_TRUE(ld.readable());
    EXPECT_EQ(read(), "");
    EXPECT_TRUE(last_ended);  // end of file, not "nothing yet"
    EXPECT_FALSE(ld.readable());
}

TEST_F(LineDisciplineTest, EofRightAfterAFullBufferIsConsumed)
{
    type("abc\x04" "x\n");
    EXPECT_EQ(read(3), "abc");
    EXPECT_TRUE(last_ended);
    EXPECT_EQ(read(), "x\n");  // not an empty "end of file" read first
}

TEST_F(LineDisciplineTest, InterruptFlushesAndEchoes)
{
    type("partial");
    echo.take();
    EXPECT_EQ(type("\x03"), "I");
    EXPECT_EQ(echo.take(), "^C");
    type("\n");
    EXPECT_EQ(read(), "\n");  // "partial" was dropped
}

TEST_F(LineDisciplineTest, QuitAndSuspend)
{
    EXPECT_EQ(type("\x1c\x1a"), "QS");
    EXPECT_EQ(echo.text, "^\\^Z");
    EXPECT_FALSE(ld.readable());
}

TEST_F(LineDisciplineTest, NoflshKeepsTheInput)
{
    set_lflag(NOFLSH);
    type("keep");
    EXPECT_EQ(type("\x03"), "I");
    type("\n");
    EXPECT_EQ(read(), "keep\n");
}

TEST_F(LineDisciplineTest, WithoutIsigControlCIsData)
{
    set_lflag(0, ISIG);
    EXPECT_EQ(type("\x03\n"), "");
    EXPECT_EQ(read(), "\x03\n");
}

TEST_F(LineDisciplineTest, EchoOff)
{
    set_lflag(0, ECHO);
    type("secret\n");
    EXPECT_EQ(echo.text, "");
    EXPECT_EQ(read(), "secret\n");
}

TEST_F(LineDisciplineTest, EchonlEchoesOnlyNewlines)
{
    set_lflag(ECHONL, ECHO);
    type("pw\n");
    EXPECT_EQ(echo.text, "\r\n");
}

TEST_F(LineDisciplineTest, CarriageReturnFlags)
{
    Termios t = ld.termios();
    t.c_iflag = (t.c_iflag & ~ICRNL) | IGNCR;
    ld.set_termios(t);
    type("a\rb\n");
    EXPECT_EQ(read(), "ab\n");
    t.c_iflag = (t.c_iflag & ~IGNCR) | INLCR;
    t.c_cc[VEOL] = '\r';  // so that the CR that NL became ends the line
    ld.set_termios(t);
    type("c\n");
    EXPECT_EQ(read(), "c\r");
}

TEST_F(LineDisciplineTest, IstripClearsTheHighBit)
{
    Termios t = ld.termios();
    t.c_iflag |= ISTRIP;
    ld.set_termios(t);
    type("\xe1\n");
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, OutputProcessing)
{
    StringSink out;
    ld.write("a\nb\n", 4, out);
    EXPECT_EQ(out.take(), "a\r\nb\r\n");
    Termios t = ld.termios();
    t.c_oflag = OPOST | OCRNL;
    ld.set_termios(t);
    ld.write("x\ry\n", 4, out);
    EXPECT_EQ(out.take(), "x\ny\n");
    t.c_oflag = 0;  // no OPOST: bytes as they are
    ld.set_termios(t);
    ld.write("p\nq", 3, out);
    EXPECT_EQ(out.take(), "p\nq");
}

TEST_F(LineDisciplineTest, OnocrDropsCarriageReturnInColumnZero)
{
    Termios t = ld.termios();
    t.c_oflag = OPOST | ONOCR;
    ld.set_termios(t);
    StringSink out;
    ld.write("\rab\r", 4, out);
    EXPECT_EQ(out.text, "ab\r");
}

TEST_F(LineDisciplineTest, RawModeIsReadableAtOnce)
{
    set_lflag(0, ICANON | ECHO);
    type("ab");
    EXPECT_TRUE(ld.readable());
    EXPECT_FALSE(ld.readable(3));  // VMIN 3 would wait
    EXPECT_EQ(ld.available(), 2u);
    EXPECT_EQ(read(1), "a");
    EXPECT_FALSE(last_ended);
    type("\x7f\x04\r");  // no editing in raw mode; ICRNL still applies
    EXPECT_EQ(read(), std::string("b\x7f\x04\n"));
    EXPECT_EQ(echo.text, "");
}

TEST_F(LineDisciplineTest, RawModeEchoesAndSignals)
{
    set_lflag(0, ICANON);
    type("a\x01");
    EXPECT_EQ(echo.take(), "a^A");
    EXPECT_EQ(type("\x03"), "I");
    EXPECT_FALSE(ld.readable());
}

TEST_F(LineDisciplineTest, LeavingCanonicalModeMakesThePartialLineReadable)
{
    type("abc");
    set_lflag(0, ICANON);
    EXPECT_EQ(ld.available(), 3u);
    EXPECT_EQ(read(), "abc");
}

TEST_F(LineDisciplineTest, EnteringCanonicalModePushesWhatIsWaiting)
{
    set_lflag(0, ICANON);
    type("xy");
    set_lflag(ICANON);
    EXPECT_TRUE(ld.readable());
    EXPECT_EQ(read(), "xy");
    EXPECT_TRUE(last_ended);
    type("z");
    EXPECT_FALSE(ld.readable());
}

TEST_F(LineDisciplineTest, FlushDropsEverything)
{
    type("line\npartial");
    ld.flush_input();
    EXPECT_FALSE(ld.readable());
    EXPECT_EQ(ld.available(), 0u);
    type("\n");
    EXPECT_EQ(read(), "\n");
}

TEST_F(LineDisciplineTest, FullCanonicalBufferKeepsRoomForTheNewline)
{
    set_lflag(0, ECHO);
    std::string lots(LineDiscipline::BUFFER_SIZE + 10, 'x');
    type(lots);
    EXPECT_TRUE(ld.can_receive());  // one slot left, for the line's end
    type("\n");
    EXPECT_FALSE(ld.can_receive());
    std::string line = read(LineDiscipline::BUFFER_SIZE + 10);
    EXPECT_EQ(line.size(), LineDiscipline::BUFFER_SIZE);
    EXPECT_EQ(line.back(), '\n');
    EXPECT_TRUE(ld.can_receive());
}

TEST_F(LineDisciplineTest, RawBufferFillsCompletely)
{
    set_lflag(0, ICANON | ECHO);
    type(std::string(LineDiscipline::BUFFER_SIZE, 'r'));
    EXPECT_FALSE(ld.can_receive());
    EXPECT_EQ(read(LineDiscipline::BUFFER_SIZE).size(), LineDiscipline::BUFFER_SIZE);
}

TEST_F(LineDisciplineTest, WrapsAroundTheRing)
{
    set_lflag(0, ECHO);
    for (int i = 0; i < 3000; ++i) {
        std::string line = "line " + std::to_string(i) + "\n";
        type(line);
        ASSERT_EQ(read(), line);
    }
}

TEST_F(LineDisciplineTest, Utf8EraseTakesTheWholeCharacter)
{
    Termios t = ld.termios();
    t.c_iflag |= IUTF8;
    ld.set_termios(t);
    type("a\xc3\xa9");  // "aé"
    EXPECT_EQ(ld.column(), 2u);
    echo.take();
    type("\x7f\n");
    EXPECT_EQ(echo.text, "\b \b\r\n");
    EXPECT_EQ(read(), "a\n");
}
