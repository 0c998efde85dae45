// UserMemoryTests: the checked copies between kernel and user memory — rights
// as user code has them, nothing partial on a fault, no wrap-around — and
// NUL-terminated strings with their limit.
using System.Text;
using Kevlar.Process.Memory;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;

namespace Kevlar.Process.Tests.Memory;

public class UserMemoryTests
{
    private const ulong A = 0x40_0000, B = A + 0x2000, Ro = 0x50_0000, P = MemoryMap.PageSize;
    private readonly FakePageTables _pages = new(new FramePool());
    private readonly MemoryMap _map;
    private readonly UserMemory _memory;

    public UserMemoryTests()
    {
        _map = new MemoryMap(_pages);
        _map.Add(new MemoryRegion(A, A + 2 * P, PageProtection.Read | PageProtection.Write, RegionKind.Anonymous, null));
        _map.Add(new MemoryRegion(B, B + P, PageProtection.Read | PageProtection.Write, RegionKind.Heap, "[heap]"));
        _map.Add(new MemoryRegion(Ro, Ro + P, PageProtection.Read, RegionKind.Image, "/bin/busybox"));
        _memory = new UserMemory(_map);
    }

    private static byte[] Pattern(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 + 1)).ToArray();

    [Fact]
    public void WriteThenRead_WithinOneRegion_RoundTrips()
    {
        byte[] data = Pattern(100);

        Assert.Equal(0, _memory.Write(A + 10, data));
        var back = new byte[100];
        Assert.Equal(0, _memory.Read(A + 10, back));

        Assert.Equal(data, back);
    }

    [Fact]
    public void WriteThenRead_AcrossAPageAndIntoTheNextRegion_RoundTrips()
    {
        byte[] data = Pattern((int)P + 64);
        ulong at = B - P - 32; // second page of the first region, then into the heap

        Assert.Equal(0, _memory.Write(at, data));
        var back = new byte[data.Length];
        Assert.Equal(0, _memory.Read(at, back));

        Assert.Equal(data, back);
        Assert.Equal(PageState.Writable, _pages.Query(B));
    }

    [Fact]
    public void Read_UntouchedPages_ReadsZeros()
    {
        byte[] back = Pattern(16);

        Assert.Equal(0, _memory.Read(A + P, back));

        Assert.Equal(new byte[16], back);
    }

    [Fact]
    public void Read_RunningIntoUnmappedMemory_ReturnsEfault()
    {
        var back = new byte[64];

        Assert.Equal(-Errno.EFAULT, _memory.Read(B + P - 32, back));
        Assert.Equal(-Errno.EFAULT, _memory.Read(0x1000, back));
    }

    [Fact]
    public void Write_RunningIntoUnmappedMemory_ReturnsEfaultAndWritesNothing()
    {
        Assert.Equal(0, _memory.Write(B + P - 32, new byte[32]));

        Assert.Equal(-Errno.EFAULT, _memory.Write(B + P - 32, Pattern(64)));

        var back = new byte[32];
        Assert.Equal(0, _memory.Read(B + P - 32, back));
        Assert.Equal(new byte[32], back);
    }

    [Fact]
    public void Write_IntoReadOnlyRegion_ReturnsEfaultAndLeavesItAlone()
    {
        Assert.Equal(-Errno.EFAULT, _memory.Write(Ro + 8, Pattern(8)));

        var back = Pattern(8);
        Assert.Equal(0, _memory.Read(Ro + 8, back));
        Assert.Equal(new byte[8], back);
    }

    [Fact]
    public void Write_StartingWritableEndingReadOnly_ReturnsEfaultAndWritesNothing()
    {
        _map.Add(new MemoryRegion(Ro - P, Ro, PageProtection.Read | PageProtection.Write, RegionKind.Anonymous, null));

        Assert.Equal(-Errno.EFAULT, _memory.Write(Ro - 4, Pattern(8)));

        Assert.Equal(new byte[4], Read(Ro - 4, 4));
    }

    [Fact]
    public void ReadAndWrite_AddressPlusLengthWraps_ReturnEfault()
    {
        var buffer = new byte[0x2000];

        Assert.Equal(-Errno.EFAULT, _memory.Read(ulong.MaxValue - 0xFFF, buffer));
        Assert.Equal(-Errno.EFAULT, _memory.Write(ulong.MaxValue - 0xFFF, buffer));
        Assert.Equal(-Errno.EFAULT, _memory.Read(FakePageTables.End - 8, new byte[16]));
    }

    [Fact]
    public void Read_ZeroLength_SucceedsAnywhere()
    {
        Assert.Equal(0, _memory.Read(0, Span<byte>.Empty));
        Assert.Equal(0, _memory.Write(ulong.MaxValue, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void WriteUInt64ThenReadUInt64_LittleEndian_RoundTrips()
    {
        Assert.Equal(0, _memory.WriteUInt64(A + 3, 0x0102_0304_0506_0708));

        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, Read(A + 3, 8));
        Assert.Equal(0, _memory.ReadUInt64(A + 3, out ulong v));
        Assert.Equal(0x0102_0304_0506_0708UL, v);
        Assert.Equal(0, _memory.WriteInt32(A, -2));
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF }, Read(A, 4));
    }

    [Fact]
    public void ReadCString_NulWithinLimit_ReturnsTheBytesBeforeIt()
    {
        Assert.Equal(0, _memory.Write(A, Encoding.ASCII.GetBytes("/bin/sh\0junk")));

        Assert.Equal(0, _memory.ReadCString(A, 4096, out byte[] value));

        Assert.Equal("/bin/sh", Encoding.ASCII.GetString(value));
    }

    [Fact]
    public void ReadCString_EmptyString_ReturnsNoBytes()
    {
        Assert.Equal(0, _memory.ReadCString(A, 4096, out byte[] value));

        Assert.Empty(value);
    }

    [Fact]
    public void ReadCString_NulAsTheLastAllowedByte_Succeeds()
    {
        Assert.Equal(0, _memory.Write(A, Encoding.ASCII.GetBytes("abcd\0")));

        Assert.Equal(0, _memory.ReadCString(A, 5, out byte[] value));
        Assert.Equal(4, value.Length);
    }

    [Fact]
    public void ReadCString_NoNulWithinLimit_ReturnsEnametoolong()
    {
        Assert.Equal(0, _memory.Write(A, Encoding.ASCII.GetBytes("abcde\0")));

        Assert.Equal(-Errno.ENAMETOOLONG, _memory.ReadCString(A, 5, out _));
    }

    [Fact]
    public void ReadCString_StringRunsIntoUnmappedMemory_ReturnsEfault()
    {
        byte[] fill = Enumerable.Repeat((byte)'x', 16).ToArray();
        Assert.Equal(0, _memory.Write(B + P - 16, fill));

        Assert.Equal(-Errno.EFAULT, _memory.ReadCString(B + P - 16, 4096, out _));
        Assert.Equal(-Errno.EFAULT, _memory.ReadCString(0x30_0000, 4096, out _));
    }

    [Fact]
    public void ReadCString_AcrossARegionBoundary_Succeeds()
    {
        Assert.Equal(0, _memory.Write(B - 3, Encoding.ASCII.GetBytes("abcdef\0")));

        Assert.Equal(0, _memory.ReadCString(B - 3, 4096, out byte[] value));

        Assert.Equal("abcdef", Encoding.ASCII.GetString(value));
    }

    [Fact]
    public void ReadCString_NulAtTheEndOfTheLastMappedPage_Succeeds_LongStringsInChunks()
    {
        byte[] fill = Enumerable.Repeat((byte)'y', 15).Append((byte)0).ToArray();
        Assert.Equal(0, _memory.Write(B + P - 16, fill));
        Assert.Equal(0, _memory.ReadCString(B + P - 16, 4096, out byte[] value));   // the next page is never touched
        Assert.Equal(15, value.Length);

        byte[] longer = Enumerable.Range(0, 1000).Select(i => (byte)('a' + i % 26)).Append((byte)0).ToArray();
        Assert.Equal(0, _memory.Write(A + 100, longer));
        Assert.Equal(0, _memory.ReadCString(A + 100, 4096, out value));
        Assert.Equal(longer.Take(1000).ToArray(), value);
        Assert.Equal(-Errno.ENAMETOOLONG, _memory.ReadCString(A + 100, 1000, out _));
        Assert.Equal(0, _memory.ReadCString(A + 100, 1001, out value));
        Assert.Equal(1000, value.Length);
    }

    private byte[] Read(ulong at, int n)
    {
        var b = new byte[n];
        Assert.Equal(0, _memory.Read(at, b));
        return b;
    }
}
