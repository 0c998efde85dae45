// TerminalTests: the console's tty actor over a host input ring and a fake
// console — reads that wait without holding a CPU until a line (or VMIN/VTIME)
// completes them, echo and OPOST, ISIG signals to the foreground group, the
// controlling-terminal rules and the ioctls, with the caller on the tty's CPU
// (inline) and on another CPU (a message round trip).
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Tty;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Devices;
using Kevlar.Vfs.Tty;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class TerminalTests
{
    private const int Fd = 3;
    private const ulong Buf = Scratch, Arg = Scratch + 0x1000;
    private static readonly ulong TtyS0 = (4UL << 8) | 64;
    private readonly ProcessHarness _k = new();
    private readonly FakeConsole _screen = new();
    private readonly ConsoleInputRing _keyboard = new();
    private readonly Terminal _tty;

    public TerminalTests()
    {
        _tty = new Terminal(_k.Host, _screen, _keyboard);
        _k.Scheduler.Register(_tty, 0);
        _tty.Begin();
        _k.Run();
    }

    private UserProcess Process(int cpu, UserProcess? parent = null)
    {
        UserProcess p = _k.NewProcess(parent ?? _k.Init, cpu);
        p.Files.Install(Fd, new TtyFile(_tty, OpenFlags.O_RDWR, TtyS0, 0x1B0, true), false);
        return p;
    }

    private void Type(string text)
    {
        _keyboard.Push(Encoding.Latin1.GetBytes(text));
        _k.Run();
    }

    private KernelTask<long> Read(UserProcess p, int cpu, int count = 100)
        => _k.OnCpu(cpu, () => ReadWrite.Read(p.MainThread, Args(Fd, Buf, (ulong)count)));

    private long Ioctl(UserProcess p, int cpu, uint request, ulong argument)
    {
        KernelTask<long> task = _k.OnCpu(cpu, () => Kevlar.Process.Syscalls.Ioctl.InvokeAsync(p.MainThread, Args(Fd, request, argument)));
        _k.Run();
        Assert.True(task.IsCompleted);
        return task.Result;
    }

    private long TakeTty(UserProcess p, int cpu) => Ioctl(p, cpu, TtyFile.TIOCSCTTY, 0);

    private static string Text(UserProcess p, long n) => Encoding.Latin1.GetString(Get(p, Buf, (int)n));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Read_CanonicalLine_WaitsUntilTheLineEnds(int cpu)
    {
        UserProcess p = Process(cpu);
        KernelTask<long> read = Read(p, cpu);
        _k.Run();
        Assert.False(read.IsCompleted);

        Type("hx\x7fi");
        Assert.False(read.IsCompleted);
        Type("\r");

        Assert.True(read.IsCompleted);
        Assert.Equal(3, read.Result);
        Assert.Equal("hi\n", Text(p, 3));
        Assert.Equal("hx\b \bi\r\n", _screen.Text);
    }

    [Fact]
    public void Read_EofAtLineStart_ReturnsZero()
    {
        UserProcess p = Process(0);
        Type("\x04");
        KernelTask<long> read = Read(p, 0);
        Assert.True(read.IsCompleted);
        Assert.Equal(0, read.Result);
    }

    [Fact]
    public void Read_NonBlockingWithNoLine_ReturnsEagain()
    {
        UserProcess p = Process(1);
        p.Files.Get(Fd)!.StatusFlags |= OpenFlags.O_NONBLOCK;
        Type("partial");
        KernelTask<long> read = Read(p, 1);
        _k.Run();
        Assert.Equal(Err(Errno.EAGAIN), read.Result);
    }

    [Fact]
    public void Read_VtimeWithoutVmin_TimesOutWithZeroBytes()
    {
        UserProcess p = Process(1);
        Termios raw = Termios.CreateDefault();
        raw.Lflag &= ~(Termios.ICANON | Termios.ECHO);
        raw.Cc[Termios.VMIN] = 0;
        raw.Cc[Termios.VTIME] = 5;
        var bytes = new byte[Termios.Size];
        raw.Encode(bytes);
        Put(p, Arg, bytes);
        Assert.Equal(0, Ioctl(p, 1, TtyFile.TCSETS, Arg));
        ulong start = _k.Clock.MonotonicNanoseconds;

        KernelTask<long> read = Read(p, 1);
        _k.Run();
        Assert.False(read.IsCompleted);
        FakeTimers.Request timer = Assert.Single(_k.Timers.Pending);
        Assert.Equal(start + 500_000_000, timer.Deadline);
        _k.Clock.MonotonicNanoseconds = timer.Deadline;
        _k.Timers.FireDue(timer.Deadline);
        _k.Run();

        Assert.True(read.IsCompleted);
        Assert.Equal(0, read.Result);
    }

    [Fact]
    public void Read_RawModeByte_CompletesAtVmin()
    {
        UserProcess p = Process(0);
        Termios raw = Termios.CreateDefault();
        raw.Lflag &= ~Termios.ICANON;
        var bytes = new byte[Termios.Size];
        raw.Encode(bytes);
        Put(p, Arg, bytes);
        Assert.Equal(0, Ioctl(p, 0, TtyFile.TCSETS, Arg));
        KernelTask<long> read = Read(p, 0);
        Type("q");
        Assert.Equal(1, read.Result);
        Assert.Equal("q", Text(p, 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Write_Text_GoesThroughOpost(int cpu)
    {
        UserProcess p = Process(cpu);
        Put(p, Buf, Encoding.Latin1.GetBytes("a\nb"));
        KernelTask<long> write = _k.OnCpu(cpu, () => ReadWrite.Write(p.MainThread, Args(Fd, Buf, 3)));
        _k.Run();
        Assert.Equal(3, write.Result);
        Assert.Equal("a\r\nb", _screen.Text);
    }

    [Fact]
    public void Input_Interrupt_KillsTheForegroundGroupOnly()
    {
        UserProcess leader = Process(1);
        Assert.Equal(0, TakeTty(leader, 1));
        UserProcess other = Process(1);
        other.Session = leader.Session; // another group of the same session: not in the foreground

        Type("\x03");

        Assert.True(leader.Exited);
        Assert.Equal(WaitStatus.Killed(Signal.SIGINT, false), leader.ExitWaitStatus);
        Assert.False(other.Exited);
        Assert.Equal("^C", _screen.Text);
    }

    [Fact]
    public void Ioctl_Tiocgpgrp_NeedsTheControllingTerminal()
    {
        UserProcess p = Process(0);
        Assert.Equal(Err(Errno.ENOTTY), Ioctl(p, 0, TtyFile.TIOCGPGRP, Arg));
        Assert.Equal(0, TakeTty(p, 0));
        Assert.Equal(0, Ioctl(p, 0, TtyFile.TIOCGPGRP, Arg));
        Assert.Equal(p.ProcessGroup, BitConverter.ToInt32(Get(p, Arg, 4)));
        Assert.Same(_tty, p.ControllingTty);
        Assert.Equal(p.Session, _tty.Session);
    }

    [Fact]
    public void Ioctl_Tiocsctty_HeldByAnotherSession_IsEperm()
    {
        UserProcess first = Process(0), second = Process(1);
        Assert.Equal(0, TakeTty(first, 0));
        second.Euid = 1000;
        Assert.Equal(Err(Errno.EPERM), TakeTty(second, 1));
        Assert.Equal(first.Session, _tty.Session);
    }

    [Fact]
    public void Ioctl_Tiocspgrp_ChecksTheGroup()
    {
        UserProcess p = Process(1), stranger = Process(1);
        Assert.Equal(0, TakeTty(p, 1));
        PutUInt64(p, Arg, (ulong)stranger.ProcessGroup);
        Assert.Equal(Err(Errno.EPERM), Ioctl(p, 1, TtyFile.TIOCSPGRP, Arg));
        PutUInt64(p, Arg, 999);
        Assert.Equal(Err(Errno.ESRCH), Ioctl(p, 1, TtyFile.TIOCSPGRP, Arg));
        UserProcess member = Process(1, p);
        member.Session = p.Session;
        PutUInt64(p, Arg, (ulong)member.ProcessGroup);
        Assert.Equal(0, Ioctl(p, 1, TtyFile.TIOCSPGRP, Arg));
        Assert.Equal(member.ProcessGroup, _tty.ForegroundGroup);
    }

    [Fact]
    public void Read_BackgroundWithSigttinIgnored_IsEio()
    {
        UserProcess leader = Process(0);
        Assert.Equal(0, TakeTty(leader, 0));
        UserProcess job = Process(1, leader);
        job.Session = leader.Session;
        job.SignalActions.Set(Signal.SIGTTIN, new SignalAction { Handler = SignalAction.SIG_IGN });
        KernelTask<long> read = Read(job, 1);
        _k.Run();
        Assert.Equal(Err(Errno.EIO), read.Result);
    }

    [Fact]
    public void Read_Background_StopsTheGroupWithSigttin()
    {
        UserProcess leader = Process(0);
        Assert.Equal(0, TakeTty(leader, 0));
        UserProcess job = Process(1, leader);
        job.Session = leader.Session;
        KernelTask<long> read = Read(job, 1);
        _k.Run();
        Assert.Equal(-InternalErrno.ERESTARTSYS, read.Result);
        Assert.True(job.Stopped);
    }

    [Fact]
    public void Ioctl_Tiocswinsz_SignalsSigwinchOnChange()
    {
        UserProcess p = Process(0);
        Assert.Equal(0, TakeTty(p, 0));
        p.MainThread.SignalMask |= 1UL << (Signal.SIGWINCH - 1);
        Put(p, Arg, new byte[] { 40, 0, 100, 0, 0, 0, 0, 0 });
        Assert.Equal(0, Ioctl(p, 0, TtyFile.TIOCSWINSZ, Arg));
        Assert.NotEqual(0UL, p.MainThread.PendingSignals & (1UL << (Signal.SIGWINCH - 1)));
        Assert.Equal(0, Ioctl(p, 0, TtyFile.TIOCGWINSZ, Arg + 16));
        Assert.Equal(new byte[] { 40, 0, 100, 0, 0, 0, 0, 0 }, Get(p, Arg + 16, 8));
    }

    [Fact]
    public void Poll_LineArrives_ReadableAndAlwaysWritable()
    {
        UserProcess p = Process(1);
        OpenFile f = p.Files.Get(Fd)!;
        KernelTask<long> before = _k.OnCpu(1, () => f.PollAsync(p.MainThread, PollEvents.POLLIN | PollEvents.POLLOUT, null));
        _k.Run();
        Assert.Equal(PollEvents.POLLOUT | PollEvents.POLLWRNORM, before.Result);
        Type("x\r");
        KernelTask<long> after = _k.OnCpu(1, () => f.PollAsync(p.MainThread, PollEvents.POLLIN, null));
        _k.Run();
        Assert.NotEqual(0, after.Result & PollEvents.POLLIN);
    }

    [Fact]
    public void Attach_SessionLeaderOpeningTtyS0_AcquiresItButNotThroughTheConsole()
    {
        UserProcess p = Process(0);
        KernelTask<long> console = _k.OnCpu(0, () => new ConsoleFile(_tty).AttachAsync(p.MainThread, OpenFlags.O_RDWR));
        _k.Run();
        Assert.Equal(0, console.Result);
        Assert.Equal(0, _tty.Session);
        KernelTask<long> serial = _k.OnCpu(0, () => ((TtyFile)p.Files.Get(Fd)!).AttachAsync(p.MainThread, OpenFlags.O_RDWR));
        _k.Run();
        Assert.Equal(0, serial.Result);
        Assert.Equal(p.Session, _tty.Session);
        Assert.Same(_tty, p.ControllingTty);
    }

    [Fact]
    public void Exit_SessionLeader_FreesTheTerminal()
    {
        UserProcess p = Process(1);
        Assert.Equal(0, TakeTty(p, 1));
        _k.OnCpu(1, () => { p.ExitGroup(0); return 0; });
        _k.Run();
        Assert.Equal(0, _tty.Session);
        Assert.Equal(0, _tty.ForegroundGroup);
    }
}
