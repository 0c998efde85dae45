// LineDisciplineRawTests: non-canonical input, the VMIN/VTIME decisions, poll
// readiness, and switching ICANON with data queued.
using Kevlar.Vfs.Tests.Support;
using Kevlar.Vfs.Tty;
using Xunit;

namespace Kevlar.Vfs.Tests.Tty;

public class LineDisciplineRawTests
{
    private const ulong Tenth = 100_000_000;

    private static TtyDriver Raw(byte vmin, byte vtime, bool echo = false)
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag &= ~(Termios.ICANON | (echo ? 0 : Termios.ECHO));
        termios.Cc[Termios.VMIN] = vmin;
        termios.Cc[Termios.VTIME] = vtime;
        return new TtyDriver(termios);
    }

    [Fact]
    public void Input_RawMode_ReadableAsItArrives()
    {
        var t = Raw(1, 0);
        t.Type("a\x7f\x15");

        Assert.True(t.Ld.ReadReady);
        Assert.Equal(3, t.Ld.Available);
        Assert.Equal("a\x7f\x15", t.Read());
        Assert.Equal("", t.Echo.Take());
    }

    [Fact]
    public void Input_RawModeWithEcho_EchoesCrAsNewlineAndLfAsCaretJ()
    {
        var t = Raw(1, 0, echo: true);
        t.Type("a\r\n\x01");

        Assert.Equal("a\r\n^J^A", t.Echo.Take());
        Assert.Equal("a\n\n\x01", t.Read());
    }

    [Fact]
    public void Read_RawModeSmallBuffer_TakesWhatFits()
    {
        var t = Raw(1, 0);
        t.Type("abcdef");

        Assert.Equal("abcd", t.Read(4));
        Assert.Equal("ef", t.Read());
        Assert.Null(t.Read());
    }

    [Fact]
    public void Decide_MinZeroTimeZero_CompletesAtOnce()
    {
        LineDiscipline ld = Raw(0, 0).Ld;

        Assert.True(ld.NonCanonicalReadComplete(0, 10, 0, 0));
        Assert.True(ld.NonCanonicalReadComplete(3, 10, 0, 0));
        Assert.Equal(0UL, ld.ReadTimeoutNanoseconds);
    }

    [Fact]
    public void Decide_MinPositiveTimeZero_WaitsForMinOrRequested()
    {
        LineDiscipline ld = Raw(4, 0).Ld;

        Assert.False(ld.NonCanonicalReadComplete(0, 10, 50 * Tenth, 50 * Tenth));
        Assert.False(ld.NonCanonicalReadComplete(3, 10, 50 * Tenth, 50 * Tenth));
        Assert.True(ld.NonCanonicalReadComplete(4, 10, 0, 0));
        Assert.True(ld.NonCanonicalReadComplete(2, 2, 0, 0));
    }

    [Fact]
    public void Decide_MinZeroTimePositive_ByteOrTimeoutFromStart()
    {
        LineDiscipline ld = Raw(0, 5).Ld;

        Assert.Equal(5 * Tenth, ld.ReadTimeoutNanoseconds);
        Assert.False(ld.NonCanonicalReadComplete(0, 10, 5 * Tenth - 1, 0));
        Assert.True(ld.NonCanonicalReadComplete(0, 10, 5 * Tenth, 0));
        Assert.True(ld.NonCanonicalReadComplete(1, 10, 0, 0));
    }

    [Fact]
    public void Decide_MinPositiveTimePositive_InterByteTimerAfterFirstByte()
    {
        LineDiscipline ld = Raw(3, 2).Ld;

        Assert.False(ld.NonCanonicalReadComplete(0, 10, 100 * Tenth, 100 * Tenth));
        Assert.False(ld.NonCanonicalReadComplete(1, 10, 100 * Tenth, 2 * Tenth - 1));
        Assert.True(ld.NonCanonicalReadComplete(1, 10, 100 * Tenth, 2 * Tenth));
        Assert.True(ld.NonCanonicalReadComplete(3, 10, 0, 0));
    }

    [Fact]
    public void ReadReady_MinWithoutTime_NeedsMinBytesForPoll()
    {
        var t = Raw(3, 0);
        t.Type("ab");

        Assert.False(t.Ld.ReadReady);
        Assert.Equal("ab", t.Read());

        var timed = Raw(3, 1);
        timed.Type("a");
        Assert.True(timed.Ld.ReadReady);
    }

    [Fact]
    public void SetTermios_IcanonOff_MakesPartialLineReadable()
    {
        var t = new TtyDriver();
        t.Type("half");
        Assert.Null(t.Read());

        Termios raw = t.Ld.GetTermios();
        raw.Lflag &= ~Termios.ICANON;
        t.Ld.SetTermios(raw);

        Assert.False(t.Ld.IsCanonical);
        Assert.True(t.Ld.ReadReady);
        Assert.Equal("half", t.Read());
    }

    [Fact]
    public void SetTermios_IcanonOn_MakesQueuedBytesOneLine()
    {
        var t = Raw(1, 0);
        t.Type("xyz");

        Termios cooked = t.Ld.GetTermios();
        cooked.Lflag |= Termios.ICANON;
        t.Ld.SetTermios(cooked);

        Assert.True(t.Ld.ReadReady);
        Assert.Equal("xyz", t.Read());
        Assert.Null(t.Read());
    }

    [Fact]
    public void FlushInput_DropsEverything()
    {
        var t = new TtyDriver();
        t.Type("line\npart");

        t.Ld.FlushInput();
        t.Type("new\n");

        Assert.Equal("new\n", t.Read());
        Assert.Null(t.Read());
    }

    [Fact]
    public void Input_RawQueueFull_StopsAt4095()
    {
        var t = Raw(1, 0);

        InputResult r = t.Type(new string('x', 5000));

        Assert.Equal(4095, r.Consumed);
        Assert.Equal(4095, t.Ld.Available);
    }
}
