// ConstantsTests: the AT_* and ELF constants exec declares have the values
// of the host's Linux and ELF headers (AT_SYSINFO is i386-only).
using Kevlar.Process.Exec;
using Kevlar.Process.Tests.Support;
using Xunit;

namespace Kevlar.Process.Tests.Exec;

public class ConstantsTests
{
    [Fact]
    public void AuxvType_ComparedWithLinuxAuxvecHeaders_Matches()
    {
        var linux = CHeader.Defines("/usr/include/linux/auxvec.h", "/usr/include/x86_64-linux-gnu/asm/auxvec.h")
            .Where(p => p.Key.StartsWith("AT_") && p.Key != "AT_VECTOR_SIZE_ARCH" && p.Key != "AT_SYSINFO").ToDictionary();
        var ours = CHeader.ConstantsOf(typeof(AuxvType));

        foreach (var (name, value) in linux)
        {
            Assert.True(ours.ContainsKey(name), "AuxvType lacks " + name);
            Assert.Equal(value, ours[name]);
        }
    }

    [Fact]
    public void ElfConstants_ComparedWithElfH_Match()
    {
        var elf = CHeader.Defines("/usr/include/elf.h");
        var ours = CHeader.ConstantsOf(typeof(ElfConstants));

        foreach (string name in ours.Keys.Where(n => n.StartsWith("E") && n.ToUpperInvariant() == n || n.StartsWith("PT_") || n.StartsWith("PF_")))
        {
            Assert.True(elf.ContainsKey(name), "elf.h lacks " + name);
            Assert.Equal(elf[name], ours[name]);
        }
    }
}
