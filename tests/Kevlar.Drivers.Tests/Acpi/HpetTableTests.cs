// HpetTableTests: the HPET table QEMU's pc machine carries.
using System;
using System.Buffers.Binary;
using Kevlar.Drivers.X86_64.Acpi;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class HpetTableTests
{
    [Fact]
    public void TryDiscover_Pc_FindsHpetAtFed00000()
    {
        var memory = CapturedMemory.Load("qemu-pc-smp4");

        Assert.Equal(AcpiError.None, AcpiPlatform.TryDiscover(memory, 0, out AcpiPlatform? platform));

        Assert.True(platform!.HasHpet);
        Assert.Equal(0xFED00000UL, platform.Hpet.Address);
        Assert.Equal(HpetTable.AddressSpaceMemory, platform.Hpet.AddressSpace);
        Assert.Equal(0x8086u, platform.Hpet.EventTimerBlockId >> 16); // PCI vendor ID field
    }

    [Fact]
    public void TryDiscover_Microvm_HasNoHpet()
    {
        var memory = CapturedMemory.Load("qemu-microvm-smp4");

        Assert.Equal(AcpiError.None, AcpiPlatform.TryDiscover(memory, 0, out AcpiPlatform? platform));

        Assert.False(platform!.HasHpet);
    }

    [Fact]
    public void TryParse_ShortTable_ReturnsBadLength()
    {
        byte[] table = new TableBuilder("HPET").U32(0).Build();

        Assert.Equal(AcpiError.BadLength, HpetTable.TryParse(table, out _));
    }

    [Fact]
    public void TryParse_HeaderLengthBelowSize_ReturnsBadLength()
    {
        byte[] table = new TableBuilder("HPET").Bytes(new byte[20]).Build();
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 40);

        Assert.Equal(AcpiError.BadLength, HpetTable.TryParse(table, out _));
    }
}
