// FlockTests: flock(2) and fcntl record locks through the syscall handlers —
// two processes on two CPUs, each with its own description of one file, so
// every lock request is a round trip to the VfsActor and a blocked one
// resumes through a wake message.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class FlockTests
{
    private const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _a, _b;

    public FlockTests()
    {
        _a = _k.NewProcess(cpu: 0);
        _b = _k.NewProcess(cpu: 1);
        foreach (UserProcess p in new[] { _a, _b })
        {
            p.Files.Install(5, Description(), false);
            ProcessHarness.Map(p, ProcessHarness.Scratch, ProcessHarness.ScratchSize, ProcessHarness.UserRW);
        }
    }

    private VfsFile Description()
    {
        var root = _k.Lookup("/");
        _k.OnCpu(0, () => { root.Inode.Acquire(); return 0; });
        return new VfsFile(_k.Host.Vfs, root, OpenFlags.O_RDWR, Kevlar.Vfs.Credentials.Root);
    }

    private KernelTask<long> StartFlock(UserProcess p, int op) => _k.Start(p.MainThread, () => Flock.InvokeAsync(p.MainThread, Args(5, (ulong)op)));

    private long Flock_(UserProcess p, int op) => _k.Call(p, t => Flock.InvokeAsync(t, Args(5, (ulong)op)));

    private KernelTask<long> StartRecord(UserProcess p, int cmd, int type, long start, long len)
    {
        var raw = new byte[RecordLocks.FlockSize];
        raw[0] = (byte)type;
        System.BitConverter.GetBytes(start).CopyTo(raw, 8);
        System.BitConverter.GetBytes(len).CopyTo(raw, 16);
        ProcessHarness.Put(p, ProcessHarness.Scratch, raw);
        return _k.Start(p.MainThread, () => Fcntl.InvokeAsync(p.MainThread, Args(5, (ulong)cmd, ProcessHarness.Scratch)));
    }

    private long Record(UserProcess p, int cmd, int type, long start, long len)
    {
        KernelTask<long> task = StartRecord(p, cmd, type, start, len);
        _k.Run();
        Assert.True(task.IsCompleted);
        return task.Result;
    }

    [Fact]
    public void Flock_OtherDescriptionExclusive_NonBlockingReturnsEwouldblock()
    {
        Assert.Equal(0, Flock_(_a, LOCK_EX));
        Assert.Equal(Err(Errno.EWOULDBLOCK), Flock_(_b, LOCK_SH | LOCK_NB));
        Assert.Equal(0, Flock_(_a, LOCK_SH));
        Assert.Equal(0, Flock_(_b, LOCK_SH | LOCK_NB));
    }

    [Fact]
    public void Flock_Blocked_WaitsUntilTheHolderUnlocks()
    {
        Assert.Equal(0, Flock_(_a, LOCK_EX));
        KernelTask<long> waiting = StartFlock(_b, LOCK_EX);
        _k.Run();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, Flock_(_a, LOCK_UN));
        _k.Run();
        Assert.True(waiting.IsCompleted);
        Assert.Equal(0, waiting.Result);
    }

    [Fact]
    public void Flock_LastCloseOfDescription_ReleasesIt()
    {
        Assert.Equal(0, Flock_(_a, LOCK_EX));
        _k.OnCpu(0, () => { _a.Files.Install(6, _a.Files.Get(5)!, false); return 0; });
        _k.OnCpu(0, () => _a.Files.Close(5));
        _k.Run();
        Assert.Equal(Err(Errno.EWOULDBLOCK), Flock_(_b, LOCK_EX | LOCK_NB));
        _k.OnCpu(0, () => _a.Files.Close(6));
        _k.Run();
        Assert.Equal(0, Flock_(_b, LOCK_EX | LOCK_NB));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(LOCK_SH | LOCK_EX)]
    [InlineData(LOCK_NB)]
    public void Flock_BadOperation_ReturnsEinvalEvenForABadFd(int op)
    {
        Assert.Equal(Err(Errno.EINVAL), Flock_(_a, op));
        Assert.Equal(Err(Errno.EINVAL), _k.Call(_a, t => Flock.InvokeAsync(t, Args(I(-1), (ulong)op))));
    }

    [Fact]
    public void Setlkw_TwoProcessCycle_SecondWaiterGetsEdeadlk()
    {
        Assert.Equal(0, Record(_a, RecordLocks.F_SETLK, 1, 0, 1));
        Assert.Equal(0, Record(_b, RecordLocks.F_SETLK, 1, 1, 1));
        KernelTask<long> waiting = StartRecord(_a, RecordLocks.F_SETLKW, 1, 1, 1);
        _k.Run();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(Err(Errno.EDEADLK), Record(_b, RecordLocks.F_SETLKW, 1, 0, 1));
        Assert.Equal(0, Record(_b, RecordLocks.F_SETLK, 2, 0, 0));
        _k.Run();
        Assert.Equal(0, waiting.Result);
    }

    [Fact]
    public void Close_AnyFdOfTheFile_DropsTheProcessRecordLocks()
    {
        Assert.Equal(0, Record(_a, RecordLocks.F_SETLK, 1, 0, 10));
        Assert.Equal(Err(Errno.EAGAIN), Record(_b, RecordLocks.F_SETLK, 1, 5, 1));
        _k.OnCpu(0, () => { _a.Files.Install(7, Description(), false); return 0; });
        _k.OnCpu(0, () => _a.Files.Close(7));
        _k.Run();
        Assert.Equal(0, Record(_b, RecordLocks.F_SETLK, 1, 5, 1));
    }

    [Fact]
    public void Setlk_WildPointer_ReturnsEfault()
    {
        long r = _k.Call(_a, t => Fcntl.InvokeAsync(t, Args(5, (ulong)RecordLocks.F_SETLK, 8)));
        Assert.Equal(Err(Errno.EFAULT), r);
    }
}
