// EventFdTests: eventfd's counter owned by an actor — values, EFD_SEMAPHORE,
// the limits, and a reader on one CPU waiting without a CPU until a writer in
// another process on another CPU adds (a message round trip and a wakeup).
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class EventFdTests
{
    private readonly ProcessHarness _k = new();

    private int Create(UserThread t, uint initial, int flags)
        => (int)_k.OnCpu(t.Home, () => Eventfd.Do(t, initial, flags));

    private long Write(UserThread t, int fd, ulong value)
    {
        PutUInt64(t.Process, Scratch, value);
        return _k.Call(t, () => ReadWrite.DoWrite(t, fd, Scratch, 8));
    }

    private long Read(UserThread t, int fd, out ulong value)
    {
        long r = _k.Call(t, () => ReadWrite.DoRead(t, fd, Scratch + 8, 8));
        value = GetUInt64(t.Process, Scratch + 8);
        return r;
    }

    [Fact]
    public void Read_Semaphore_TakesOneAtATime()
    {
        UserThread t = _k.NewProcess(cpu: 1).MainThread;
        int fd = Create(t, 2, Eventfd.EFD_SEMAPHORE | Eventfd.EFD_NONBLOCK);
        Assert.Equal(8, Read(t, fd, out ulong v));
        Assert.Equal(1UL, v);
        Assert.Equal(8, Read(t, fd, out v));
        Assert.Equal(Err(Errno.EAGAIN), Read(t, fd, out _));
    }

    [Fact]
    public void Write_PastMaximum_WouldBlockAndAllOnesIsInvalid()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        int fd = Create(t, 0, Eventfd.EFD_NONBLOCK);
        Assert.Equal(8, Write(t, fd, EventFd.Max));
        Assert.Equal(Err(Errno.EAGAIN), Write(t, fd, 1));
        Assert.Equal(Err(Errno.EINVAL), Write(t, fd, ulong.MaxValue));
        Assert.Equal(8, Read(t, fd, out ulong v));
        Assert.Equal(EventFd.Max, v);
    }

    [Fact]
    public void Read_ShortBuffer_IsInvalid()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        int fd = Create(t, 1, 0);
        Assert.Equal(Err(Errno.EINVAL), _k.Call(t, () => ReadWrite.DoRead(t, fd, Scratch, 7)));
    }

    [Fact]
    public void Read_EmptyOnOtherCpu_WaitsUntilAnotherProcessWrites()
    {
        UserThread reader = _k.NewProcess(cpu: 1).MainThread;
        UserThread writer = _k.NewProcess(cpu: 0).MainThread;
        int fd = Create(reader, 0, 0);
        OpenFile file = reader.Process.Files.Get(fd)!;
        writer.Process.Files.Install(fd, file, false);
        KernelTask<long> read = _k.Start(writer, () => ReadWrite.DoRead(writer, fd, Scratch + 8, 8));
        _k.Run();
        Assert.False(read.IsCompleted);
        Assert.True(writer.IsBlocked || !read.IsCompleted);
        Assert.Equal(8, Write(reader, fd, 5));
        _k.Run();
        Assert.True(read.IsCompleted);
        Assert.Equal(8, read.Result);
        Assert.Equal(5UL, GetUInt64(writer.Process, Scratch + 8));
    }

    [Fact]
    public void Create_UnknownFlag_IsInvalid()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        Assert.Equal(Err(Errno.EINVAL), (long)Create(t, 0, 0x400));
    }
}
