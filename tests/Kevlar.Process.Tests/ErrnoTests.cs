// ErrnoTests: Errno holds exactly the Linux errno names and values of the
// host's kernel headers.
using Kevlar.Process.Tests.Support;
using Xunit;

namespace Kevlar.Process.Tests;

public class ErrnoTests
{
    [Fact]
    public void Errno_ComparedWithAsmGenericHeaders_MatchesExactly()
    {
        var linux = CHeader.Defines("/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h")
            .Where(p => p.Key.StartsWith('E')).ToDictionary();
        var ours = CHeader.ConstantsOf(typeof(Errno));

        Assert.Equal(linux.OrderBy(p => p.Key), ours.OrderBy(p => p.Key));
        Assert.Equal(133UL, ours["EHWPOISON"]);
    }
}
