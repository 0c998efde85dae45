// BrkTests: brk(2) moves the heap's end, returns the new break, and on any
// failure returns the old one (which is how the C library detects it).
using Kevlar.Process.Memory;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;

namespace Kevlar.Process.Tests.Syscalls;

public class BrkTests
{
    private const ulong Start = 0x60_0000, P = MemoryMap.PageSize;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public BrkTests()
    {
        _p = _k.NewProcess();
        _p.BrkStart = _p.Brk = Start;
    }

    [Fact]
    public void Do_Zero_ReturnsTheCurrentBreak()
    {
        Assert.Equal(Start, Brk.Do(_p, 0));
        Assert.Equal(Start, _p.Brk);
    }

    [Fact]
    public void Do_Grow_AddsAWritableHeapRegionUpToThePageAbove()
    {
        Assert.Equal(Start + 0x1800, Brk.Do(_p, Start + 0x1800));

        MemoryRegion heap = _p.Memory.Find(Start)!;
        Assert.Equal((Start, Start + 2 * P, RegionKind.Heap, "[heap]"), (heap.Start, heap.End, heap.Kind, heap.Name));
        Assert.Equal(0, _p.UserMemory.WriteUInt64(Start + 0x17F8, 42));
        Assert.Equal(Start + 0x1800, _p.Brk);
    }

    [Fact]
    public void Do_Shrink_UnmapsThePagesAbove()
    {
        Brk.Do(_p, Start + 3 * P);
        Assert.Equal(0, _p.UserMemory.WriteUInt64(Start + 2 * P, 42));

        Assert.Equal(Start + P, Brk.Do(_p, Start + P));

        Assert.Null(_p.Memory.Find(Start + P));
        Assert.Equal(PageState.NotMapped, _p.Pages.Query(Start + 2 * P));
        Assert.Equal(-Errno.EFAULT, _p.UserMemory.WriteUInt64(Start + 2 * P, 1));
    }

    [Fact]
    public void Do_IntoAnotherMapping_ReturnsTheOldBreakAndMapsNothing()
    {
        Brk.Do(_p, Start + P);
        Map(_p, Start + 4 * P, P, PageProtection.Read);

        Assert.Equal(Start + P, Brk.Do(_p, Start + 5 * P));

        Assert.Equal(Start + P, _p.Brk);
        Assert.Null(_p.Memory.Find(Start + 2 * P));
    }

    [Fact]
    public void Do_BelowTheStart_ReturnsTheOldBreak()
    {
        Brk.Do(_p, Start + P);

        Assert.Equal(Start + P, Brk.Do(_p, Start - P));
        Assert.Equal(Start + P, _p.Brk);
    }

    [Fact]
    public void Do_PastTheHeapLimitOrTheTop_ReturnsTheOldBreak()
    {
        Assert.Equal(Start, Brk.Do(_p, Start + Brk.MaxHeap + P));
        Assert.Equal(Start, Brk.Do(_p, ulong.MaxValue));
        Assert.Equal(0, _p.Memory.Count - 1); // only the scratch region
    }

    [Fact]
    public void Invoke_ReturnsTheBreakInRax()
    {
        Assert.Equal((long)(Start + 10), Brk.Invoke(_p.MainThread, Sys.Args(Start + 10)));
    }
}
