// EarlyArena: the bump region for objects made before the heap exists.
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Metal.Tests.Memory;

public unsafe class EarlyArenaTests
{
    [Fact]
    public void Allocate_InGarbage_ZeroedObjectsEightBytesIntoTheirCells()
    {
        byte* region = (byte*)NativeMemory.Alloc(4096);
        try
        {
            new System.Span<byte>(region, 4096).Fill(0xCC);
            EarlyArena.Initialize(region, 4096);
            var mt = FakeTypes.Class(3);
            byte* a = EarlyArena.Allocate(mt, mt->BaseSize), b = EarlyArena.Allocate(mt, mt->BaseSize);
            Assert.True(a == region + 8);
            Assert.Equal(40, b - a);
            Assert.True(*(MethodTable**)a == mt);
            Assert.Equal(0UL, *(ulong*)(a - 8));
            for (int i = 0; i < 3; i++) Assert.Equal(0, TestHeap.Field(a, i));
            Assert.Equal(80UL, EarlyArena.UsedBytes);
            Assert.True(EarlyArena.Next == region + 80);
        }
        finally
        {
            NativeMemory.Free(region);
        }
    }

    [Fact]
    public void Allocate_TinySize_RoundedToTheMinimumObject()
    {
        byte* region = (byte*)NativeMemory.AllocZeroed(4096);
        try
        {
            EarlyArena.Initialize(region, 4096);
            EarlyArena.Allocate(FakeTypes.Class(0), 13);
            Assert.Equal(24UL, EarlyArena.UsedBytes);
        }
        finally
        {
            NativeMemory.Free(region);
        }
    }

    [Fact]
    public void Allocate_PastTheEnd_FailsFast()
    {
        byte* region = (byte*)NativeMemory.AllocZeroed(100);
        try
        {
            EarlyArena.Initialize(region, 100);
            var mt = FakeTypes.Class(4); // 48 bytes
            EarlyArena.Allocate(mt, mt->BaseSize);
            EarlyArena.Allocate(mt, mt->BaseSize);
            var e = Assert.Throws<KernelPanicException>(() => { EarlyArena.Allocate(mt, mt->BaseSize); });
            Assert.Contains("early arena exhausted", e.Reason);
        }
        finally
        {
            NativeMemory.Free(region);
        }
    }
}
