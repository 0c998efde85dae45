// MprotectTests: mprotect(2) changes the rights of mapped pages; ENOMEM for a
// hole or a wrapping range, EINVAL for an unaligned start or unknown bits.
using Kevlar.Process.Memory;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Syscalls.Mmap;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class MprotectTests
{
    private const ulong P = MemoryMap.PageSize, At = 0x3000_0000;
    private const int Anon = MAP_PRIVATE | MAP_ANONYMOUS, RW = PROT_READ | PROT_WRITE;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public MprotectTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private long Map(ulong hint, ulong length, int prot, int flags) => Mmap.Do(_p, hint, length, prot, flags, -1, 0);

    [Fact]
    public void Invoke_ReadOnly_MakesWritesFault()
    {
        Map(At, 2 * P, RW, Anon);
        Assert.Equal(0, _p.UserMemory.WriteUInt64(At, 5));

        Assert.Equal(0, Mprotect.Invoke(_t, Args(At, 2 * P, PROT_READ)));

        Assert.Equal(-Errno.EFAULT, _p.UserMemory.WriteUInt64(At, 6));
        Assert.Equal(5UL, GetUInt64(_p, At));
        Assert.Equal(PageState.ReadOnly, _p.Pages.Query(At));
    }

    [Fact]
    public void Invoke_OverAHole_ReturnsEnomem()
    {
        Map(At, P, RW, Anon);
        Map(At + 2 * P, P, RW, Anon);

        Assert.Equal(Err(Errno.ENOMEM), Mprotect.Invoke(_t, Args(At, 3 * P, PROT_READ)));
        Assert.Equal(Err(Errno.ENOMEM), Mprotect.Invoke(_t, Args(0x7000_0000, P, PROT_READ)));
    }

    [Fact]
    public void Invoke_UnalignedStart_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Mprotect.Invoke(_t, Args(Scratch + 1, P, PROT_READ)));
    }

    [Fact]
    public void Invoke_UnknownProtectionBits_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Mprotect.Invoke(_t, Args(Scratch, P, 0x40)));
    }

    [Fact]
    public void Invoke_ZeroLength_SucceedsWithoutLooking()
    {
        Assert.Equal(0, Mprotect.Invoke(_t, Args(0x7000_0000, 0, PROT_READ)));
    }

    [Fact]
    public void Invoke_RangeThatWraps_ReturnsEnomem()
    {
        Assert.Equal(Err(Errno.ENOMEM), Mprotect.Invoke(_t, Args(Scratch, ulong.MaxValue - 100, PROT_READ)));
    }

    [Fact]
    public void Invoke_ProtSem_Succeeds()
    {
        Assert.Equal(0, Mprotect.Invoke(_t, Args(Scratch, P, PROT_READ | 0x8)));
    }
}
