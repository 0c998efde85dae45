// MemoryMapTests: building the usable-RAM map from captured PVH memory maps,
// and the add/subtract/merge rules on hand-made ranges.
using System.Collections.Generic;
using Kevlar.Drivers.X86_64.Boot;
using Xunit;

namespace Kevlar.Drivers.Tests.Boot;

public class MemoryMapTests
{
    private static List<(ulong, ulong)> Ranges(MemoryMap map)
    {
        var list = new List<(ulong, ulong)>();
        for (int i = 0; i < map.Count; i++)
            list.Add((map[i].Start, map[i].End));
        return list;
    }

    private static MemoryMap BuildFromCapture(string capture)
    {
        var memory = CapturedMemory.Load(capture);
        Assert.Equal(PvhError.None, PvhStartInfo.TryRead(memory, CapturedMemory.AddressOf(capture, "startinfo"), out PvhStartInfo info));
        var map = new MemoryMap(MemoryMap.DefaultCapacity);
        Assert.Equal(MemoryMapError.None, MemoryMap.TryBuildFromPvh(memory, info, map));
        return map;
    }

    [Fact]
    public void TryBuildFromPvh_QemuPc_LeavesRamMinusBootData()
    {
        MemoryMap map = BuildFromCapture("pvh-pc-smp4");

        // Low RAM minus the start info, memmap, module list and command line
        // pages and the EBDA; high RAM minus the initrd page.
        Assert.Equal(new List<(ulong, ulong)>
        {
            (0x3000, 0x9F000),
            (0x100000, 0x7FD7000),
            (0x7FD8000, 0x7FE0000),
        }, Ranges(map));
    }

    [Fact]
    public void TryBuildFromPvh_QemuMicrovm_SkipsZeroEntryAndInitrd()
    {
        MemoryMap map = BuildFromCapture("pvh-microvm-smp4");

        Assert.Equal(new List<(ulong, ulong)>
        {
            (0x0, 0x7000),
            (0x8000, 0x9F000),
            (0x100000, 0x7FFF000),
        }, Ranges(map));
    }

    [Fact]
    public void Subtract_LowMemoryAndKernelImage_LeavesHighRamAroundKernel()
    {
        MemoryMap map = BuildFromCapture("pvh-pc-smp4");

        map.Subtract(0, 0x100000);
        map.Subtract(0x100000, 0x2345); // kernel image [1 MiB, 1 MiB + 0x2345)

        Assert.Equal(new List<(ulong, ulong)> { (0x103000, 0x7FD7000), (0x7FD8000, 0x7FE0000) }, Ranges(map));
        Assert.Equal(0x7FD7000UL - 0x103000 + 0x8000, map.TotalBytes);
    }

    [Fact]
    public void TryBuildFromPvh_NoMemoryMap_ReturnsNoMemoryMap()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");
        memory.RegionAt(0x21E0)[48] = 0; // memmap_entries = 0
        Assert.Equal(PvhError.None, PvhStartInfo.TryRead(memory, 0x21E0, out PvhStartInfo info));

        Assert.Equal(MemoryMapError.NoMemoryMap, MemoryMap.TryBuildFromPvh(memory, info, new MemoryMap(8)));
    }

    [Fact]
    public void Add_OverlappingAndAdjacent_MergesAndSorts()
    {
        var map = new MemoryMap(8);

        map.Add(0x10000, 0x1000);
        map.Add(0x1000, 0x1000);
        map.Add(0x2000, 0x1000);   // adjacent to the second
        map.Add(0x8000, 0x9000);   // overlaps the first

        Assert.Equal(new List<(ulong, ulong)> { (0x1000, 0x3000), (0x8000, 0x11000) }, Ranges(map));
    }

    [Fact]
    public void Add_Unaligned_ShrinksToWholePages()
    {
        var map = new MemoryMap(8);

        map.Add(0x1234, 0x3000);  // [0x1234, 0x4234) -> [0x2000, 0x4000)
        map.Add(0x9100, 0x800);   // no whole page inside

        Assert.Equal(new List<(ulong, ulong)> { (0x2000, 0x4000) }, Ranges(map));
    }

    [Fact]
    public void Subtract_Middle_SplitsRangeAndGrowsToPages()
    {
        var map = new MemoryMap(8);
        map.Add(0x0, 0x10000);

        map.Subtract(0x4100, 0x100);

        Assert.Equal(new List<(ulong, ulong)> { (0x0, 0x4000), (0x5000, 0x10000) }, Ranges(map));
    }

    [Fact]
    public void Subtract_SpanningSeveralRanges_RemovesAllCovered()
    {
        var map = new MemoryMap(8);
        map.Add(0x1000, 0x1000);
        map.Add(0x3000, 0x1000);
        map.Add(0x5000, 0x2000);

        map.Subtract(0x1800, 0x4000); // [0x1000, 0x6000) after widening

        Assert.Equal(new List<(ulong, ulong)> { (0x6000, 0x7000) }, Ranges(map));
    }

    [Fact]
    public void Subtract_SplitWithFullMap_ReturnsTooManyRanges()
    {
        var map = new MemoryMap(1);
        map.Add(0, 0x10000);

        Assert.Equal(MemoryMapError.TooManyRanges, map.Subtract(0x4000, 0x1000));

        Assert.Equal(new List<(ulong, ulong)> { (0x0, 0x4000) }, Ranges(map));
    }

    [Fact]
    public void Add_BeyondCapacity_ReturnsTooManyRanges()
    {
        var map = new MemoryMap(1);
        map.Add(0, 0x1000);

        Assert.Equal(MemoryMapError.TooManyRanges, map.Add(0x5000, 0x1000));
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void AddAndSubtract_AtTopOfAddressSpace_DoNotWrap()
    {
        var map = new MemoryMap(4);

        map.Add(0xFFFF_FFFF_FFFF_E000, 0x10000);   // runs past 2^64: clamped
        map.Add(0xFFFF_FFFF_FFFF_FF00, 0x10);      // rounding up would wrap to 0
        map.Subtract(0xFFFF_FFFF_FFFF_FFF0, 0x100);

        Assert.Equal(new List<(ulong, ulong)> { (0xFFFF_FFFF_FFFF_E000, 0xFFFF_FFFF_FFFF_F000) }, Ranges(map));
    }
}
