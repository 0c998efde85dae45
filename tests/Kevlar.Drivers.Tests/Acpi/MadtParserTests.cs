// MadtParserTests: the MADTs QEMU builds for -smp 4 and -smp 1 (pc) and for
// microvm, parsed through the whole discovery path.
using Kevlar.Drivers.X86_64.Acpi;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class MadtParserTests
{
    internal static Madt LoadMadt(string capture)
    {
        var memory = CapturedMemory.Load(capture);
        Assert.Equal(AcpiError.None, AcpiPlatform.TryDiscover(memory, 0, out AcpiPlatform? platform));
        return platform!.Madt;
    }

    [Fact]
    public void TryParse_PcSmp4_FindsFourEnabledCpus()
    {
        Madt madt = LoadMadt("qemu-pc-smp4");

        Assert.Equal(4, madt.Processors.Length);
        Assert.Equal(4, madt.EnabledProcessorCount);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal((uint)i, madt.Processors[i].ApicId);
            Assert.Equal((uint)i, madt.Processors[i].ProcessorUid);
            Assert.False(madt.Processors[i].IsX2Apic);
        }
    }

    [Fact]
    public void TryParse_PcSmp1_FindsOneCpu()
    {
        Madt madt = LoadMadt("qemu-pc-smp1");

        Assert.Single(madt.Processors);
        Assert.Equal(0u, madt.Processors[0].ApicId);
    }

    [Theory]
    [InlineData("qemu-pc-smp4")]
    [InlineData("qemu-pc-smp1")]
    [InlineData("qemu-microvm-smp4")]
    public void TryParse_QemuTables_LocalApicAtFee00000(string capture)
    {
        Madt madt = LoadMadt(capture);

        Assert.Equal(0xFEE00000UL, madt.LocalApicAddress);
        Assert.Equal(Madt.FlagPcatCompat, madt.Flags);
    }

    [Fact]
    public void TryParse_PcSmp4_FindsIoApicAndIsaOverrides()
    {
        Madt madt = LoadMadt("qemu-pc-smp4");

        MadtIoApic ioApic = Assert.Single(madt.IoApics);
        Assert.Equal(0, ioApic.Id);
        Assert.Equal(0xFEC00000u, ioApic.Address);
        Assert.Equal(0u, ioApic.GsiBase);
        Assert.Equal(5, madt.InterruptOverrides.Length);
        Assert.Equal(2u, madt.IsaIrqToGsi(0)); // the PIT arrives on GSI 2
        Assert.Equal(4u, madt.IsaIrqToGsi(4)); // no override: identity
        Assert.True(madt.InterruptOverrides[1].IsLevelTriggered); // IRQ 5, PCI
        Assert.False(madt.InterruptOverrides[1].IsActiveLow);
    }

    [Fact]
    public void TryParse_PcSmp4_FindsLint1Nmi()
    {
        MadtLocalApicNmi nmi = Assert.Single(LoadMadt("qemu-pc-smp4").LocalApicNmis);

        Assert.Equal(MadtLocalApicNmi.AllProcessors, nmi.ProcessorUid);
        Assert.Equal(1, nmi.Lint);
    }

    [Fact]
    public void TryParse_Microvm_FindsFourCpusAndTwoIoApics()
    {
        Madt madt = LoadMadt("qemu-microvm-smp4");

        Assert.Equal(4, madt.Processors.Length);
        Assert.Equal(2, madt.IoApics.Length);
        Assert.Equal(0xFEC10000u, madt.IoApics[1].Address);
        Assert.Equal(24u, madt.IoApics[1].GsiBase);
        Assert.Empty(madt.InterruptOverrides);
    }
}
