// MmapTests: anonymous mmap(2) — placement from the top down, hints, MAP_FIXED
// replacing what was there, MAP_FIXED_NOREPLACE refusing to — with Linux's
// errno for each bad input.
using Kevlar.Process.Memory;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Syscalls.Mmap;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class MmapTests
{
    private const ulong P = MemoryMap.PageSize, At = 0x3000_0000;
    private const int Anon = MAP_PRIVATE | MAP_ANONYMOUS, RW = PROT_READ | PROT_WRITE;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public MmapTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private long Map(ulong hint, ulong length, int prot, int flags) => Mmap.Do(_p, hint, length, prot, flags, -1, 0);

    [Fact]
    public void Do_NoHint_PlacesMappingsTopDownBelowMmapTop()
    {
        long first = Map(0, 3 * P, RW, Anon);
        long second = Map(0, 100, RW, Anon);

        Assert.Equal((long)(MemoryMap.MmapTop - 3 * P), first);
        Assert.Equal(first - (long)P, second);
        MemoryRegion r = _p.Memory.Find((ulong)second)!;
        Assert.Equal(((ulong)second + P, PageProtection.Read | PageProtection.Write, RegionKind.Anonymous), (r.End, r.Protection, r.Kind));
    }

    [Fact]
    public void Do_NewMapping_ReadsAsZerosAndIsWritable()
    {
        ulong at = (ulong)Map(0, P, RW, Anon);

        Assert.Equal(new byte[64], Get(_p, at + 100, 64));
        Assert.Equal(0, _p.UserMemory.WriteUInt64(at, 7));
    }

    [Fact]
    public void Do_FreeHint_UsesTheHintRoundedDown()
    {
        Assert.Equal((long)At, Map(At + 123, P, RW, Anon));
    }

    [Fact]
    public void Do_TakenHint_PlacesElsewhereWithoutTouchingTheOldMapping()
    {
        Map(At, P, PROT_READ, Anon);

        long r = Map(At, P, RW, Anon);

        Assert.NotEqual((long)At, r);
        Assert.Equal(PageProtection.Read, _p.Memory.Find(At)!.Protection);
    }

    [Fact]
    public void Do_Fixed_ReplacesTheOldMappingAndItsContents()
    {
        Map(At, 2 * P, RW, Anon);
        Assert.Equal(0, _p.UserMemory.WriteUInt64(At + P, 0x1234));

        Assert.Equal((long)(At + P), Map(At + P, P, PROT_READ, Anon | MAP_FIXED));

        Assert.Equal(0UL, GetUInt64(_p, At + P));
        Assert.Equal(PageProtection.Read, _p.Memory.Find(At + P)!.Protection);
        Assert.Equal(PageProtection.Read | PageProtection.Write, _p.Memory.Find(At)!.Protection);
    }

    [Fact]
    public void Do_FixedNoreplaceOverAMapping_ReturnsEexistAndKeepsIt()
    {
        Map(At, 2 * P, RW, Anon);
        Assert.Equal(0, _p.UserMemory.WriteUInt64(At + P, 0x1234));

        Assert.Equal(Err(Errno.EEXIST), Map(At + P, 2 * P, PROT_READ, Anon | MAP_FIXED_NOREPLACE));

        Assert.Equal(0x1234UL, GetUInt64(_p, At + P));
    }

    [Fact]
    public void Do_FixedAndFixedNoreplaceOverAMapping_ReturnsEexist()
    {
        Map(At, P, RW, Anon);

        Assert.Equal(Err(Errno.EEXIST), Map(At, P, PROT_READ, Anon | MAP_FIXED | MAP_FIXED_NOREPLACE));
    }

    [Fact]
    public void Do_FixedNoreplaceOnAFreeRange_MapsThere()
    {
        Assert.Equal((long)At, Map(At, P, RW, Anon | MAP_FIXED_NOREPLACE));
    }

    [Fact]
    public void Do_FixedUnalignedAddress_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Map(At + 1, P, RW, Anon | MAP_FIXED));
    }

    [Fact]
    public void Do_ZeroLength_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Map(0, 0, RW, Anon));
    }

    [Theory]
    [InlineData(MAP_ANONYMOUS)]       // no sharing type
    [InlineData(MAP_ANONYMOUS | 0xF)] // an unknown one
    public void Do_BadMappingType_ReturnsEinval(int flags)
    {
        Assert.Equal(Err(Errno.EINVAL), Map(0, P, RW, flags));
    }

    [Fact]
    public void Do_UnalignedOffset_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Mmap.Do(_p, 0, P, RW, Anon, -1, 100));
    }

    [Fact]
    public void Do_LengthThatCannotBeRoundedUp_ReturnsEnomem()
    {
        Assert.Equal(Err(Errno.ENOMEM), Map(0, ulong.MaxValue - 10, RW, Anon));
        Assert.Equal(Err(Errno.ENOMEM), Map(0, FakePageTables.End + P, RW, Anon));
    }

    [Fact]
    public void Do_FileMappingOfABadFd_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), Mmap.Do(_p, 0, P, PROT_READ, MAP_PRIVATE, 42, 0));
    }

    [Fact]
    public void Invoke_ArgumentsFromRegisters_MapsAnonymousMemory()
    {
        long r = Mmap.Invoke(_t, Args(0, P, RW, Anon, I(-1), 0));

        Assert.Equal((long)(MemoryMap.MmapTop - P), r);
    }
}
