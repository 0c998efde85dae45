// LineDisciplineCanonicalTests: ICANON line editing with Linux's default
// termios — what reads return and the exact echo bytes.
using Kevlar.Vfs.Tests.Support;
using Kevlar.Vfs.Tty;
using Xunit;

namespace Kevlar.Vfs.Tests.Tty;

public class LineDisciplineCanonicalTests
{
    [Fact]
    public void Input_PartialLine_NotReadable()
    {
        var t = new TtyDriver();
        t.Type("hello");

        Assert.False(t.Ld.ReadReady);
        Assert.Null(t.Read());
        Assert.Equal(0, t.Ld.Available);
        Assert.Equal("hello", t.Echo.Take());
    }

    [Fact]
    public void Input_CarriageReturn_EndsLineAsNewline()
    {
        var t = new TtyDriver();
        t.Type("ls -l\r");

        Assert.True(t.Ld.ReadReady);
        Assert.Equal(6, t.Ld.Available);
        Assert.Equal("ls -l\r\n", t.Echo.Take());
        Assert.Equal("ls -l\n", t.Read());
        Assert.Null(t.Read());
    }

    [Fact]
    public void Read_TwoLines_OneLinePerRead()
    {
        var t = new TtyDriver();
        t.Type("one\ntwo\n");

        Assert.Equal("one\n", t.Read());
        Assert.Equal("two\n", t.Read());
    }

    [Fact]
    public void Read_SmallBuffer_ReturnsLineInPieces()
    {
        var t = new TtyDriver();
        t.Type("abcdef\n");

        Assert.Equal("abc", t.Read(3));
        Assert.Equal("def", t.Read(3));
        Assert.Equal("\n", t.Read(3));
        Assert.Null(t.Read());
    }

    [Fact]
    public void Erase_MidLine_RemovesCharacterAndEchoesBackSpaceSpaceBackSpace()
    {
        var t = new TtyDriver();
        t.Type("abc\x7f\n");

        Assert.Equal("abc\b \b\r\n", t.Echo.Take());
        Assert.Equal("ab\n", t.Read());
    }

    [Fact]
    public void Erase_ControlCharacter_ErasesBothColumnsOfCaret()
    {
        var t = new TtyDriver();
        t.Type("a\x01\x7f\n");

        Assert.Equal("a^A\b \b\b \b\r\n", t.Echo.Take());
        Assert.Equal("a\n", t.Read());
    }

    [Fact]
    public void EraseKillWerase_AtLineStart_DoNothing()
    {
        var t = new TtyDriver();
        t.Type("\x7f\x15\x17");

        Assert.Equal("", t.Echo.Take());
        t.Type("\n");
        Assert.Equal("\n", t.Read());
    }

    [Fact]
    public void Erase_AfterCompleteLine_DoesNotReachIntoIt()
    {
        var t = new TtyDriver();
        t.Type("ab\n\x7f\x7f");

        Assert.Equal("ab\r\n", t.Echo.Take());
        Assert.Equal("ab\n", t.Read());
    }

    [Fact]
    public void Kill_WithEchoke_ErasesEachCharacter()
    {
        var t = new TtyDriver();
        t.Type("xyz\x15q\n");

        Assert.Equal("xyz\b \b\b \b\b \bq\r\n", t.Echo.Take());
        Assert.Equal("q\n", t.Read());
    }

    [Fact]
    public void Kill_WithoutEchoke_EchoesKillCharacterAndNewline()
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag &= ~Termios.ECHOKE;
        var t = new TtyDriver(termios);
        t.Type("xyz\x15");

        Assert.Equal("xyz^U\r\n", t.Echo.Take());
        t.Type("q\n");
        Assert.Equal("q\n", t.Read());
    }

    [Fact]
    public void Werase_RemovesLastWordAndTrailingSpaces()
    {
        var t = new TtyDriver();
        t.Type("echo foo_1  \x17" + "bar\n");

        Assert.Equal("echo bar\n", t.Read());
        Assert.Equal("echo foo_1  " + string.Concat(Enumerable.Repeat("\b \b", 7)) + "bar\r\n", t.Echo.Take());
    }

    [Fact]
    public void Werase_Punctuation_StopsAtWordBoundary()
    {
        var t = new TtyDriver();
        t.Type("a/b.c\x17\n");

        Assert.Equal("a/b.\n", t.Read());
    }

    [Fact]
    public void Eof_AtLineStart_ReadsZeroOnce()
    {
        var t = new TtyDriver();
        t.Type("\x04");

        Assert.True(t.Ld.ReadReady);
        Assert.Equal(0, t.Ld.Available);
        Assert.Equal("", t.Read());
        Assert.Null(t.Read());
        Assert.Equal("", t.Echo.Take());
    }

    [Fact]
    public void Eof_MidLine_EndsReadWithoutTheCharacter()
    {
        var t = new TtyDriver();
        t.Type("abc\x04\x04");

        Assert.Equal(3, t.Ld.Available);
        Assert.Equal("abc", t.Read());
        Assert.Equal("", t.Read());
        Assert.Null(t.Read());
    }

    [Fact]
    public void Eol_WhenSet_EndsLineAndIsRead()
    {
        Termios termios = Termios.CreateDefault();
        termios.Cc[Termios.VEOL] = (byte)';';
        var t = new TtyDriver(termios);
        t.Type("ab;c");

        Assert.Equal("ab;", t.Read());
        Assert.Equal("ab;c", t.Echo.Take());
    }

    [Fact]
    public void Nul_WithEolDisabled_IsOrdinary()
    {
        var t = new TtyDriver();
        t.Type("a\0b");

        Assert.False(t.Ld.ReadReady);
        Assert.Equal("a^@b", t.Echo.Take());
        t.Type("\n");
        Assert.Equal("a\0b\n", t.Read());
    }

    [Fact]
    public void Lnext_QuotesEraseCharacter()
    {
        var t = new TtyDriver();
        t.Type("\x16\x7f\n");

        Assert.Equal("^\b^?\r\n", t.Echo.Take());
        Assert.Equal("\x7f\n", t.Read());
    }

    [Fact]
    public void Reprint_EchoesLineAgain()
    {
        var t = new TtyDriver();
        t.Type("abc\x12");

        Assert.Equal("abc^R\r\nabc", t.Echo.Take());
    }

    [Fact]
    public void Echoctl_ControlCharactersShowAsCaret_TabAsItself()
    {
        var t = new TtyDriver();
        t.Type("\x01\x1b\t\n");

        Assert.Equal("^A^[\t\r\n", t.Echo.Take());
        Assert.Equal("\x01\x1b\t\n", t.Read());
    }

    [Fact]
    public void Echo_Off_EchoesNothingButEchonlNewline()
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag = (termios.Lflag & ~Termios.ECHO) | Termios.ECHONL;
        var t = new TtyDriver(termios);
        t.Type("secret\r");

        Assert.Equal("\r\n", t.Echo.Take());
        Assert.Equal("secret\n", t.Read());
    }

    [Fact]
    public void Erase_Tab_BacksUpToTabStart()
    {
        var t = new TtyDriver();
        t.Type("ab\t\x7f");

        Assert.Equal("ab\t\b\b\b\b\b\b", t.Echo.Take());
    }

    [Fact]
    public void Echoprt_EraseShowsRemovedCharactersBetweenBackslashAndSlash()
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag = (termios.Lflag & ~Termios.ECHOE) | Termios.ECHOPRT;
        var t = new TtyDriver(termios);
        t.Type("abc\x7f\x7f" + "d\n");

        Assert.Equal("abc\\cb/d\r\n", t.Echo.Take());
        Assert.Equal("ad\n", t.Read());
    }

    [Fact]
    public void InputFlags_IgncrInlcrIstripIuclc_TranslateAsLinux()
    {
        Termios termios = Termios.CreateDefault();
        termios.Iflag = Termios.IGNCR | Termios.ISTRIP | Termios.IUCLC;
        var t = new TtyDriver(termios);
        t.Type("A\rB\xC1\n");

        Assert.Equal("ab" + "a\n", t.Read());

        termios.Iflag = Termios.INLCR;
        t.Ld.SetTermios(termios);
        t.Type("x\n");
        Assert.False(t.Ld.ReadReady);
    }

    [Fact]
    public void Line_OverLimit_KeepsLinuxCapOf4095PlusNewline()
    {
        var t = new TtyDriver();
        string typed = new string('a', 4094) + "bcdef";
        InputResult r = t.Type(typed + "\n");

        Assert.Equal(typed.Length + 1, r.Consumed);
        string? line = t.Read();
        Assert.Equal(4096, line!.Length);
        Assert.Equal(new string('a', 4094) + "b\n", line);
        Assert.Equal(4096, LineDiscipline.BufferSize);
    }

    [Fact]
    public void Input_QueueFullOfLines_StopsConsumingUntilRead()
    {
        var t = new TtyDriver();
        string lines = string.Concat(Enumerable.Repeat("123456789\n", 409));
        Assert.Equal(4090, t.Type(lines).Consumed);

        InputResult r = t.Type("abcdefgh");
        Assert.Equal(5, r.Consumed);
        Assert.Equal("123456789\n", t.Read());
        Assert.Equal(3, t.Type("fgh").Consumed);
    }

    [Fact]
    public void Ixon_StopAndStart_AreConsumedAndToggleOutput()
    {
        var t = new TtyDriver();
        t.Type("a\x13");
        Assert.True(t.Ld.OutputStopped);
        t.Type("b\x11\n");

        Assert.False(t.Ld.OutputStopped);
        Assert.Equal("ab\n", t.Read());
        Assert.Equal("ab\r\n", t.Echo.Take());
    }
}
