// FutexTests: futex(2) driven by the deterministic scheduler — a wait whose
// word differs is EAGAIN at once; a waiter blocks until FUTEX_WAKE picks it
// (oldest first, at most the count, bitsets matching); a timeout answers
// ETIMEDOUT; REQUEUE moves waiters; a misaligned word or zero bitset is
// EINVAL; unknown operations are ENOSYS.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class FutexTests
{
    private const ulong Word = Scratch, Word2 = Scratch + 0x40;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public FutexTests()
    {
        _p = _k.NewProcess(cpu: 0);
        PutUInt64(_p, Word, 5);
        PutUInt64(_p, Word2, 9);
    }

    private UserThread NewThread()
    {
        var t = new UserThread(_p, _k.Host.AllocatePid());
        _p.AddThread(t);
        _k.Scheduler.Register(t, 0);
        return t;
    }

    private KernelTask<long> Call(UserThread t, ulong address, int op, ulong val, ulong timeout = 0, ulong address2 = 0, ulong val3 = 0)
        => _k.OnCpu(0, () => Futex.Invoke(t, Args(address, (ulong)op, val, timeout, address2, val3)));

    private KernelTask<long> Wait(UserThread t, ulong val = 5, uint bitset = Futex.BitsetMatchAny)
        => bitset == Futex.BitsetMatchAny
            ? Call(t, Word, Futex.FUTEX_WAIT | Futex.FUTEX_PRIVATE_FLAG, val)
            : Call(t, Word, Futex.FUTEX_WAIT_BITSET | Futex.FUTEX_PRIVATE_FLAG, val, 0, 0, bitset);

    private long Wake(int count, uint bitset = Futex.BitsetMatchAny)
    {
        KernelTask<long> r = bitset == Futex.BitsetMatchAny
            ? Call(_p.MainThread, Word, Futex.FUTEX_WAKE, (ulong)count)
            : Call(_p.MainThread, Word, Futex.FUTEX_WAKE_BITSET, (ulong)count, 0, 0, bitset);
        Assert.True(r.IsCompleted);
        _k.Run();
        return r.Result;
    }

    [Fact]
    public void Wait_WordDiffers_ReturnsEagainAtOnce()
    {
        KernelTask<long> r = Wait(NewThread(), val: 6);
        Assert.True(r.IsCompleted);
        Assert.Equal(Err(Errno.EAGAIN), r.Result);
        Assert.Equal(0, _p.Futexes.Count);
    }

    [Fact]
    public void Wait_ThenWake_CompletesWithZero()
    {
        KernelTask<long> r = Wait(NewThread());
        Assert.False(r.IsCompleted);
        Assert.Equal(1, Wake(1));
        Assert.True(r.IsCompleted);
        Assert.Equal(0, r.Result);
    }

    [Fact]
    public void Wake_Count_WakesOldestFirstAndNoMore()
    {
        KernelTask<long> a = Wait(NewThread()), b = Wait(NewThread()), c = Wait(NewThread());
        Assert.Equal(2, Wake(2));
        Assert.True(a.IsCompleted && b.IsCompleted);
        Assert.False(c.IsCompleted);
        Assert.Equal(1, Wake(int.MaxValue));
        Assert.True(c.IsCompleted);
    }

    [Fact]
    public void WakeBitset_OnlyMatchingWaiters()
    {
        KernelTask<long> one = Wait(NewThread(), bitset: 1), two = Wait(NewThread(), bitset: 2);
        Assert.Equal(1, Wake(10, bitset: 2));
        Assert.False(one.IsCompleted);
        Assert.True(two.IsCompleted);
    }

    [Fact]
    public void Wait_Timeout_ReturnsEtimedoutAndLeavesTheQueue()
    {
        PutUInt64(_p, Scratch + 0x100, 0, 1_000_000); // 1 ms
        KernelTask<long> r = Call(NewThread(), Word, Futex.FUTEX_WAIT, 5, Scratch + 0x100);
        Assert.False(r.IsCompleted);
        _k.Clock.MonotonicNanoseconds += 2_000_000;
        _k.Timers.FireDue(_k.Clock.MonotonicNanoseconds);
        _k.Run();
        Assert.True(r.IsCompleted);
        Assert.Equal(Err(Errno.ETIMEDOUT), r.Result);
        Assert.Equal(0, _p.Futexes.Count);
    }

    [Fact]
    public void Requeue_MovesWaitersToTheSecondWord()
    {
        KernelTask<long> a = Wait(NewThread()), b = Wait(NewThread()), c = Wait(NewThread());
        KernelTask<long> r = Call(_p.MainThread, Word, Futex.FUTEX_CMP_REQUEUE, 1, 2, Word2, 5);
        Assert.Equal(3, r.Result);
        _k.Run();
        Assert.True(a.IsCompleted);
        Assert.False(b.IsCompleted || c.IsCompleted);
        Assert.Equal(0, Call(_p.MainThread, Word, Futex.FUTEX_WAKE, 10).Result);
        Assert.Equal(2, Call(_p.MainThread, Word2, Futex.FUTEX_WAKE, 10).Result);
    }

    [Fact]
    public void CmpRequeue_WordChanged_ReturnsEagain()
    {
        Assert.Equal(Err(Errno.EAGAIN), Call(_p.MainThread, Word, Futex.FUTEX_CMP_REQUEUE, 1, 1, Word2, 6).Result);
    }

    [Theory]
    [InlineData(Word + 1, Futex.FUTEX_WAIT, Errno.EINVAL)]
    [InlineData(Word, Futex.FUTEX_WAIT_BITSET, Errno.EINVAL)]
    [InlineData(Word, 5, Errno.ENOSYS)]
    [InlineData(0x7000_0000, Futex.FUTEX_WAIT, Errno.EFAULT)]
    public void Invoke_BadArguments_ReturnErrno(ulong address, int op, int errno)
    {
        Assert.Equal(Err(errno), Call(_p.MainThread, address, op, 5).Result);
    }
}
