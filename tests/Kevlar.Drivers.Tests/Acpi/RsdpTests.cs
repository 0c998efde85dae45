// RsdpTests: finding and checking the RSDP in captured QEMU memory.
using Kevlar.Drivers.X86_64.Acpi;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class RsdpTests
{
    [Fact]
    public void TryFind_NoHintOnPc_ScansBiosAreaToRsdt()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp4");

        Assert.Equal(AcpiError.None, Rsdp.TryFind(memory, 0, out Rsdp rsdp));

        Assert.Equal(0xF59D0UL, rsdp.Address);
        Assert.Equal(0, rsdp.Revision);
        Assert.False(rsdp.UsesXsdt);
        Assert.Equal(0x7FE1BBBUL, rsdp.RootTableAddress);
    }

    [Fact]
    public void TryFind_NoHintOnMicrovm_FindsRevision2WithXsdt()
    {
        var memory = CapturedMemory.Load("qemu-microvm-smp4");

        Assert.Equal(AcpiError.None, Rsdp.TryFind(memory, 0, out Rsdp rsdp));

        Assert.Equal(2, rsdp.Revision);
        Assert.True(rsdp.UsesXsdt);
        Assert.Equal(0xEFF92UL, rsdp.RootTableAddress);
    }

    [Fact]
    public void TryFind_PvhHint_ReadsRsdpThere()
    {
        var memory = CapturedMemory.Load("pvh-microvm-smp4");

        Assert.Equal(AcpiError.None, Rsdp.TryFind(memory, 0xF34D0, out Rsdp rsdp));

        Assert.Equal(0xF34D0UL, rsdp.Address);
    }

    [Fact]
    public void TryFind_RsdpInEbda_FindsItBeforeBiosArea()
    {
        var memory = new CapturedMemory();
        var original = CapturedMemory.Load("qemu-pc-smp4").RegionAt(0xF59D0);
        memory.Add(0x40E, new byte[] { 0x00, 0x9F }); // EBDA segment 0x9F00 -> 0x9F000
        memory.Add(0x9F040, (byte[])original.Clone());

        Assert.Equal(AcpiError.None, Rsdp.TryFind(memory, 0, out Rsdp rsdp));

        Assert.Equal(0x9F040UL, rsdp.Address);
    }

    [Fact]
    public void TryFind_NothingInMemory_ReturnsRsdpNotFound()
    {
        Assert.Equal(AcpiError.RsdpNotFound, Rsdp.TryFind(new CapturedMemory(), 0, out _));
    }

    [Fact]
    public void TryFind_HintAtGarbage_ReturnsRsdpNotFound()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp4");

        Assert.Equal(AcpiError.RsdpNotFound, Rsdp.TryFind(memory, 0xF0000, out _));
    }

    [Fact]
    public void TryFind_HintUnreadable_ReturnsReadFailed()
    {
        Assert.Equal(AcpiError.ReadFailed, Rsdp.TryFind(new CapturedMemory(), 0xFFFF_0000_0000, out _));
    }

    [Fact]
    public void TryReadAt_CorruptedChecksum_ReturnsBadRsdpChecksum()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp4");
        memory.RegionAt(0xF59D0)[9] ^= 0x01; // an OEM ID byte

        Assert.Equal(AcpiError.BadRsdpChecksum, Rsdp.TryReadAt(memory, 0xF59D0, out _));
    }

    [Fact]
    public void TryReadAt_CorruptedExtendedChecksum_ReturnsBadRsdpChecksum()
    {
        var memory = CapturedMemory.Load("qemu-microvm-smp4");
        memory.RegionAt(0xF3490)[30] ^= 0x01; // a high XSDT address byte: only the extended sum covers it

        Assert.Equal(AcpiError.BadRsdpChecksum, Rsdp.TryReadAt(memory, 0xF3490, out _));
    }

    [Fact]
    public void TryFind_CorruptedRsdpOnly_ScanReturnsRsdpNotFound()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp4");
        memory.RegionAt(0xF59D0)[9] ^= 0x01;

        Assert.Equal(AcpiError.RsdpNotFound, Rsdp.TryFind(memory, 0, out _));
    }
}
