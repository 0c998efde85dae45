// AcpiRootTableTests: walking the RSDT (pc) and XSDT (microvm) QEMU built.
using Kevlar.Drivers.X86_64.Acpi;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class AcpiRootTableTests
{
    private static AcpiRootTable LoadRoot(CapturedMemory memory)
    {
        Assert.Equal(AcpiError.None, Rsdp.TryFind(memory, 0, out Rsdp rsdp));
        Assert.Equal(AcpiError.None, AcpiRootTable.TryLoad(memory, rsdp, out AcpiRootTable? root));
        return root!;
    }

    [Fact]
    public void TryLoad_PcRsdt_ListsFourTables()
    {
        AcpiRootTable root = LoadRoot(CapturedMemory.Load("qemu-pc-smp4"));

        Assert.False(root.IsXsdt);
        Assert.Equal(4, root.Count); // FACP, APIC, HPET, WAET
    }

    [Fact]
    public void TryLoad_MicrovmXsdt_ListsTwoTables()
    {
        AcpiRootTable root = LoadRoot(CapturedMemory.Load("qemu-microvm-smp4"));

        Assert.True(root.IsXsdt);
        Assert.Equal(2, root.Count); // FACP, APIC
    }

    [Fact]
    public void TryFind_Madt_ReturnsItsAddress()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp4");

        Assert.Equal(AcpiError.None, LoadRoot(memory).TryFind(memory, AcpiSignature.Madt, out ulong address));

        Assert.Equal(0x7FE1ACBUL, address);
    }

    [Fact]
    public void TryFind_AbsentSignature_ReturnsTableNotFound()
    {
        var memory = CapturedMemory.Load("qemu-microvm-smp4");

        Assert.Equal(AcpiError.TableNotFound, LoadRoot(memory).TryFind(memory, AcpiSignature.Hpet, out _));
    }

    [Fact]
    public void TryLoad_CorruptedRsdt_ReturnsBadChecksum()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp4");
        Assert.Equal(AcpiError.None, Rsdp.TryFind(memory, 0, out Rsdp rsdp));
        memory.RegionAt(0x7FE0000)[(int)(rsdp.RootTableAddress - 0x7FE0000) + 40] ^= 0x10;

        Assert.Equal(AcpiError.BadChecksum, AcpiRootTable.TryLoad(memory, rsdp, out AcpiRootTable? root));
        Assert.Null(root);
    }

    [Fact]
    public void AcpiSignature_FromChars_MatchesConstants()
    {
        Assert.Equal(AcpiSignature.Madt, AcpiSignature.FromChars('A', 'P', 'I', 'C'));
        Assert.Equal(AcpiSignature.Xsdt, AcpiSignature.FromChars('X', 'S', 'D', 'T'));
        Assert.Equal(AcpiSignature.Rsdt, AcpiSignature.FromChars('R', 'S', 'D', 'T'));
        Assert.Equal(AcpiSignature.Hpet, AcpiSignature.FromChars('H', 'P', 'E', 'T'));
        Assert.Equal(AcpiSignature.Fadt, AcpiSignature.FromChars('F', 'A', 'C', 'P'));
    }
}
