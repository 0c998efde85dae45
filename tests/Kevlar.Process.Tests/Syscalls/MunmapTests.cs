// MunmapTests: munmap(2) removes whole pages, splitting a mapping; unmapping
// nothing succeeds; an unaligned, empty or out-of-range request is EINVAL.
using Kevlar.Process.Memory;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Syscalls.Mmap;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class MunmapTests
{
    private const ulong P = MemoryMap.PageSize, At = 0x3000_0000;
    private const int Anon = MAP_PRIVATE | MAP_ANONYMOUS, RW = PROT_READ | PROT_WRITE;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public MunmapTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private long Map(ulong hint, ulong length, int prot, int flags) => Mmap.Do(_p, hint, length, prot, flags, -1, 0);

    [Fact]
    public void Invoke_MiddleOfAMapping_SplitsItAndTheHoleFaults()
    {
        Map(At, 3 * P, RW, Anon);
        Assert.Equal(0, _p.UserMemory.WriteUInt64(At + P, 1));

        Assert.Equal(0, Munmap.Invoke(_t, Args(At + P, P)));

        Assert.Null(_p.Memory.Find(At + P));
        Assert.Equal(PageState.NotMapped, _p.Pages.Query(At + P));
        Assert.NotNull(_p.Memory.Find(At));
        Assert.NotNull(_p.Memory.Find(At + 2 * P));
        Assert.Equal(-Errno.EFAULT, _p.UserMemory.WriteUInt64(At + P, 1));
    }

    [Fact]
    public void Invoke_LengthNotAPageMultiple_RemovesTheWholeLastPage()
    {
        Map(At, 2 * P, RW, Anon);

        Assert.Equal(0, Munmap.Invoke(_t, Args(At, P + 1)));

        Assert.Null(_p.Memory.Find(At + P));
    }

    [Fact]
    public void Invoke_NothingMapped_Succeeds()
    {
        Assert.Equal(0, Munmap.Invoke(_t, Args(At, 16 * P)));
    }

    [Theory]
    [InlineData(At + 1, P)]                   // unaligned
    [InlineData(At, 0)]                       // empty
    [InlineData(FakePageTables.End - P, 2 * P)] // past the user half
    [InlineData(At, ulong.MaxValue - 100)]    // wraps
    public void Invoke_BadRange_ReturnsEinval(ulong start, ulong length)
    {
        Assert.Equal(Err(Errno.EINVAL), Munmap.Invoke(_t, Args(start, length)));
    }
}
