// PageFrameAllocator: every frame starts in use, released RAM becomes free,
// single and contiguous allocations, the address limit, reservations, and
// double frees failing fast.
using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Metal.Tests.Memory;

public sealed unsafe class PageFrameAllocatorTests : IDisposable
{
    private const ulong Page = PageFrameAllocator.PageSize;
    private const ulong Frames = 4096; // 16 MiB

    private readonly ulong* _bitmap;
    private readonly PageFrameAllocator* _pfa;

    public PageFrameAllocatorTests()
    {
        _bitmap = (ulong*)NativeMemory.AllocZeroed((nuint)((Frames + 63) / 64 * 8));
        _pfa = (PageFrameAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(PageFrameAllocator));
        _pfa->Initialize(_bitmap, Frames);
    }

    public void Dispose()
    {
        NativeMemory.Free(_bitmap);
        NativeMemory.Free(_pfa);
    }

    [Fact]
    public void Initialize_NothingReleased_EveryFrameInUse()
    {
        Assert.Equal(Frames, _pfa->TotalFrames);
        Assert.Equal(0UL, _pfa->FreeFrames);
        Assert.Equal(0UL, _pfa->Allocate(1));
    }

    [Fact]
    public void Release_UnalignedRange_FreesOnlyWholeFramesInside()
    {
        _pfa->Release(0x1800, 0x3000); // [0x1800, 0x4800): frames 2 and 3 only
        Assert.Equal(2UL, _pfa->FreeFrames);
        Assert.Equal(0x2000UL, _pfa->Allocate(1));
        Assert.Equal(0x3000UL, _pfa->Allocate(1));
        Assert.Equal(0UL, _pfa->Allocate(1));
    }

    [Fact]
    public void Release_PastTheEnd_Ignored()
    {
        _pfa->Release((Frames - 2) * Page, 100 * Page);
        Assert.Equal(2UL, _pfa->FreeFrames);
    }

    [Fact]
    public void Allocate_Single_NeverFrameZeroAndPageAligned()
    {
        _pfa->Release(0, Frames * Page);
        Assert.Equal(Frames - 1, _pfa->FreeFrames); // frame 0 is never free: 0 means "no memory"
        for (int i = 0; i < 100; i++)
        {
            ulong a = _pfa->Allocate(1);
            Assert.NotEqual(0UL, a);
            Assert.Equal(0UL, a % Page);
        }
        Assert.Equal(Frames - 1 - 100, _pfa->FreeFrames);
    }

    [Fact]
    public void Allocate_AllFrames_DistinctUntilExhausted()
    {
        _pfa->Release(0, Frames * Page);
        var seen = new System.Collections.Generic.HashSet<ulong>();
        for (ulong i = 1; i < Frames; i++) Assert.True(seen.Add(_pfa->Allocate(1)));
        Assert.Equal(0UL, _pfa->Allocate(1));
        Assert.Equal(0UL, _pfa->FreeFrames); // frame 0 is never handed out, nor counted free
    }

    [Fact]
    public void Allocate_Contiguous_FirstRunThatFits()
    {
        _pfa->Release(0x10000, 3 * Page);   // frames 16..18: too short
        _pfa->Release(0x20000, 8 * Page);   // frames 32..39
        ulong run = _pfa->Allocate(5);
        Assert.Equal(0x20000UL, run);
        Assert.Equal(0UL, _pfa->Allocate(4));
        Assert.Equal(0x10000UL, _pfa->Allocate(3));
        Assert.Equal(0x25000UL, _pfa->Allocate(3));
        Assert.Equal(0UL, _pfa->FreeFrames);
    }

    [Fact]
    public void Allocate_Contiguous_SkipsFullWordsOfTheBitmap()
    {
        _pfa->Release(2000 * Page, 64 * Page);
        Assert.Equal(2000 * Page, _pfa->Allocate(64));
    }

    [Fact]
    public void Allocate_BelowLimit_RunEndsBelowIt()
    {
        _pfa->Release(0x8000, 16 * Page);    // frames 8..23
        _pfa->Release(0x100000, 16 * Page);  // frames 256..271
        Assert.Equal(0UL, _pfa->Allocate(17, limit: 0x100000));
        Assert.Equal(0x8000UL, _pfa->Allocate(16, limit: 0x18000));
        Assert.Equal(0UL, _pfa->Allocate(1, limit: 0x100000));
        Assert.Equal(0x100000UL, _pfa->Allocate(1, limit: 0x200000));
        Assert.Equal(0UL, _pfa->Allocate(16, limit: 0x110000)); // 15 frames left below the limit
    }

    [Fact]
    public void Free_ThenAllocate_ReusesTheFrame()
    {
        _pfa->Release(Page, 63 * Page);
        ulong a = _pfa->Allocate(1), b = _pfa->Allocate(1);
        _pfa->Free(a, 1);
        Assert.Equal(a, _pfa->Allocate(1));
        _pfa->Free(b, 1);
        _pfa->Free(a, 1);
        Assert.Equal(63UL, _pfa->FreeFrames);
    }

    [Fact]
    public void Free_Contiguous_WholeRunReturned()
    {
        _pfa->Release(Page, 63 * Page);
        ulong run = _pfa->Allocate(10);
        Assert.Equal(53UL, _pfa->FreeFrames);
        _pfa->Free(run, 10);
        Assert.Equal(63UL, _pfa->FreeFrames);
        Assert.Equal(run, _pfa->Allocate(10));
    }

    [Fact]
    public void Free_Twice_FailsFast()
    {
        _pfa->Release(Page, 63 * Page);
        ulong a = _pfa->Allocate(1);
        _pfa->Free(a, 1);
        var e = Assert.Throws<KernelPanicException>(() => _pfa->Free(a, 1));
        Assert.Contains("freed twice", e.Reason);
    }

    [Fact]
    public void Reserve_InsideFreeRange_NeverAllocatedAndCounted()
    {
        _pfa->Release(Page, 63 * Page);
        _pfa->Reserve(0x3800, 0x1000);   // touches frames 3 and 4
        Assert.Equal(61UL, _pfa->FreeFrames);
        var got = Enumerable.Range(0, 61).Select(_ => _pfa->Allocate(1)).ToList();
        Assert.DoesNotContain(0x3000UL, got);
        Assert.DoesNotContain(0x4000UL, got);
        Assert.Equal(0UL, _pfa->Allocate(1));
    }

    [Fact]
    public void Reserve_AlreadyUsed_CountUnchanged()
    {
        _pfa->Release(Page, 63 * Page);
        ulong a = _pfa->Allocate(1);
        ulong free = _pfa->FreeFrames;
        _pfa->Reserve(a, Page);
        Assert.Equal(free, _pfa->FreeFrames);
    }

    [Fact]
    public void Allocate_FourThreads_NoFrameHeldTwice()
    {
        _pfa->Release(0, Frames * Page);
        PageFrameAllocator* pfa = _pfa;
        var held = new System.Collections.Generic.List<ulong>[4];
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var mine = new System.Collections.Generic.List<ulong>();
            for (int i = 0; i < 900; i++)
            {
                ulong a = pfa->Allocate(1);
                if (i % 3 == 0) pfa->Free(a, 1);
                else mine.Add(a);
            }
            held[t] = mine;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var all = held.SelectMany(h => h).ToList();
        Assert.DoesNotContain(0UL, all);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(Frames - 1 - (ulong)all.Count, _pfa->FreeFrames);
    }
}
