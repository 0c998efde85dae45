// WaitStatusTests: the wait status ints against the meaning glibc's
// <sys/wait.h> macros give them (bits/waitstatus.h, written out below), plus
// the values worked out by hand, and the shell's view of them.
using Kevlar.Process.Signals;
using Xunit;

namespace Kevlar.Process.Tests.Signals;

public class WaitStatusTests
{
    // glibc bits/waitstatus.h, as C# over int.
    private static int WEXITSTATUS(int s) => (s & 0xff00) >> 8;
    private static int WTERMSIG(int s) => s & 0x7f;
    private static int WSTOPSIG(int s) => WEXITSTATUS(s);
    private static bool WIFEXITED(int s) => WTERMSIG(s) == 0;
    private static bool WIFSIGNALED(int s) => ((sbyte)((s & 0x7f) + 1) >> 1) > 0;
    private static bool WIFSTOPPED(int s) => (s & 0xff) == 0x7f;
    private static bool WIFCONTINUED(int s) => s == 0xffff;
    private static bool WCOREDUMP(int s) => (s & 0x80) != 0;

    [Theory]
    [InlineData(0, 0x0000)]
    [InlineData(1, 0x0100)]
    [InlineData(42, 0x2A00)]
    [InlineData(255, 0xFF00)]
    [InlineData(256, 0x0000)] // exit(256): only the low 8 bits reach the parent
    [InlineData(-1, 0xFF00)]
    public void Exited_Code_EncodesAsWifexitedWithTheLowEightBits(int code, int expected)
    {
        int s = WaitStatus.Exited(code);

        Assert.Equal(expected, s);
        Assert.True(WIFEXITED(s));
        Assert.False(WIFSIGNALED(s) || WIFSTOPPED(s) || WIFCONTINUED(s));
        Assert.Equal(code & 0xFF, WEXITSTATUS(s));
    }

    [Theory]
    [InlineData(Signal.SIGKILL, false, 0x09)]
    [InlineData(Signal.SIGTERM, false, 0x0F)]
    [InlineData(Signal.SIGSEGV, true, 0x8B)]
    [InlineData(64, false, 0x40)]
    public void Killed_Signal_EncodesAsWifsignaled(int signal, bool core, int expected)
    {
        int s = WaitStatus.Killed(signal, core);

        Assert.Equal(expected, s);
        Assert.True(WIFSIGNALED(s));
        Assert.False(WIFEXITED(s) || WIFSTOPPED(s) || WIFCONTINUED(s));
        Assert.Equal(signal, WTERMSIG(s));
        Assert.Equal(core, WCOREDUMP(s));
    }

    [Theory]
    [InlineData(Signal.SIGSTOP, 0x137F)]
    [InlineData(Signal.SIGTSTP, 0x147F)]
    [InlineData(Signal.SIGTTIN, 0x157F)]
    public void Stopped_Signal_EncodesAsWifstopped(int signal, int expected)
    {
        int s = WaitStatus.Stopped(signal);

        Assert.Equal(expected, s);
        Assert.True(WIFSTOPPED(s));
        Assert.False(WIFEXITED(s) || WIFSIGNALED(s) || WIFCONTINUED(s));
        Assert.Equal(signal, WSTOPSIG(s));
    }

    [Fact]
    public void Continued_IsWifcontinuedOnly()
    {
        int s = WaitStatus.Continued;

        Assert.Equal(0xFFFF, s);
        Assert.True(WIFCONTINUED(s));
        Assert.False(WIFEXITED(s) || WIFSIGNALED(s));
    }

    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0300, 3)]
    [InlineData(0xFF00, 255)]
    [InlineData(0x09, 137)]
    [InlineData(0x8B, 139)]   // a core dump does not change what the shell reports
    [InlineData(0x0F, 143)]
    public void ShellStatus_ExitedOrKilled_IsTheCodeOr128PlusTheSignal(int waitStatus, int expected)
    {
        Assert.Equal(expected, WaitStatus.ShellStatus(waitStatus));
    }
}
