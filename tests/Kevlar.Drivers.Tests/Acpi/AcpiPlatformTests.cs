// AcpiPlatformTests: discovery end to end, from the PVH start info's
// rsdp_paddr or a BIOS scan, and its failure modes.
using Kevlar.Drivers.X86_64.Acpi;
using Kevlar.Drivers.X86_64.Boot;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class AcpiPlatformTests
{
    [Theory]
    [InlineData("pvh-pc-smp4", false)]
    [InlineData("pvh-microvm-smp4", true)]
    public void TryDiscover_PvhRsdpHint_FindsFourCpus(string capture, bool xsdt)
    {
        var memory = CapturedMemory.Load(capture);
        Assert.Equal(PvhError.None, PvhStartInfo.TryRead(memory, CapturedMemory.AddressOf(capture, "startinfo"), out PvhStartInfo info));

        Assert.Equal(AcpiError.None, AcpiPlatform.TryDiscover(memory, info.RsdpAddress, out AcpiPlatform? platform));

        Assert.Equal(info.RsdpAddress, platform!.Rsdp.Address);
        Assert.Equal(xsdt, platform.RootTable.IsXsdt);
        Assert.Equal(4, platform.Madt.Processors.Length);
    }

    [Fact]
    public void TryDiscover_NoMadtListed_ReturnsTableNotFound()
    {
        var memory = CapturedMemory.Load("qemu-microvm-smp4");
        byte[] tables = memory.RegionAt(0xEFD00);
        tables[0xEFF28 - 0xEFD00] = (byte)'X'; // "APIC" -> "XPIC"

        Assert.Equal(AcpiError.TableNotFound, AcpiPlatform.TryDiscover(memory, 0, out AcpiPlatform? platform));
        Assert.Null(platform);
    }

    [Fact]
    public void TryDiscover_CorruptedMadt_ReturnsBadChecksum()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp1");
        memory.RegionAt(0x7FE0000)[0x7FE19CC - 0x7FE0000 + 50] ^= 0x04;

        Assert.Equal(AcpiError.BadChecksum, AcpiPlatform.TryDiscover(memory, 0, out _));
    }

    [Fact]
    public void TryDiscover_NoRsdp_ReturnsRsdpNotFound()
    {
        Assert.Equal(AcpiError.RsdpNotFound, AcpiPlatform.TryDiscover(new CapturedMemory(), 0, out _));
    }
}
