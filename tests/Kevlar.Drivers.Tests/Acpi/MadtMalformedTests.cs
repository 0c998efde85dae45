// MadtMalformedTests: hand-built MADTs with the entry kinds QEMU does not
// emit and with broken entries.
using System;
using Kevlar.Drivers.X86_64.Acpi;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class MadtMalformedTests
{
    private static AcpiError Parse(byte[] table, out Madt? madt) => MadtParser.TryParse(table, out madt);

    [Fact]
    public void TryParse_AddressOverrideEntry_Uses64BitAddress()
    {
        byte[] table = TableBuilder.Madt()
            .Bytes(5, 12, 0, 0).U64(0x1_2345_6000)
            .Build();

        Assert.Equal(AcpiError.None, Parse(table, out Madt? madt));

        Assert.Equal(0x1_2345_6000UL, madt!.LocalApicAddress);
    }

    [Fact]
    public void TryParse_X2ApicEntries_AreProcessors()
    {
        byte[] table = TableBuilder.Madt()
            .Bytes(9, 16, 0, 0).U32(300).U32(1).U32(7)   // x2APIC ID 300, enabled, UID 7
            .Bytes(10, 12, 5, 0).U32(7).Bytes(1, 0, 0, 0) // x2APIC NMI: flags 5, UID 7, LINT1
            .Build();

        Assert.Equal(AcpiError.None, Parse(table, out Madt? madt));

        MadtProcessor cpu = Assert.Single(madt!.Processors);
        Assert.True(cpu.IsX2Apic);
        Assert.Equal(300u, cpu.ApicId);
        Assert.Equal(7u, cpu.ProcessorUid);
        MadtLocalApicNmi nmi = Assert.Single(madt.LocalApicNmis);
        Assert.Equal(7u, nmi.ProcessorUid);
        Assert.Equal(5, nmi.Flags);
        Assert.Equal(1, nmi.Lint);
    }

    [Fact]
    public void TryParse_DisabledAndOnlineCapableCpus_KeepsOnlyUsable()
    {
        byte[] table = TableBuilder.Madt()
            .Bytes(0, 8, 0, 0).U32(1)  // enabled
            .Bytes(0, 8, 1, 1).U32(0)  // neither flag: absent
            .Bytes(0, 8, 2, 2).U32(2)  // online-capable (hot-pluggable)
            .Build();

        Assert.Equal(AcpiError.None, Parse(table, out Madt? madt));

        Assert.Equal(2, madt!.Processors.Length);
        Assert.Equal(2u, madt.Processors[1].ApicId);
        Assert.Equal(1, madt.EnabledProcessorCount);
    }

    [Fact]
    public void TryParse_UnknownEntryType_IsSkipped()
    {
        byte[] table = TableBuilder.Madt().Bytes(0x7F, 4, 0xAA, 0xBB).Bytes(0, 8, 0, 0).U32(1).Build();

        Assert.Equal(AcpiError.None, Parse(table, out Madt? madt));

        Assert.Single(madt!.Processors);
    }

    [Fact]
    public void TryParse_ZeroLengthEntry_ReturnsMalformedEntry()
    {
        Assert.Equal(AcpiError.MalformedEntry, Parse(TableBuilder.Madt().Bytes(0, 0, 0, 0).Build(), out Madt? madt));
        Assert.Null(madt);
    }

    [Fact]
    public void TryParse_EntryShorterThanItsType_ReturnsMalformedEntry()
    {
        Assert.Equal(AcpiError.MalformedEntry, Parse(TableBuilder.Madt().Bytes(1, 6, 0, 0, 0, 0).Build(), out _));
    }

    [Fact]
    public void TryParse_EntryPastEnd_ReturnsTruncated()
    {
        Assert.Equal(AcpiError.Truncated, Parse(TableBuilder.Madt().Bytes(0, 8, 0, 0).Build(), out _));
    }

    [Fact]
    public void TryParse_LoneTypeByteAtEnd_ReturnsTruncated()
    {
        Assert.Equal(AcpiError.Truncated, Parse(TableBuilder.Madt().Bytes(0).Build(), out _));
    }

    [Fact]
    public void TryParse_HeaderLongerThanBuffer_ReturnsBadLength()
    {
        byte[] table = TableBuilder.Madt().Bytes(0, 8, 0, 0).U32(1).Build();

        Assert.Equal(AcpiError.BadLength, MadtParser.TryParse(table.AsSpan(0, table.Length - 1), out _));
    }

    [Fact]
    public void TryParse_ShorterThanFixedPart_ReturnsBadLength()
    {
        Assert.Equal(AcpiError.BadLength, MadtParser.TryParse(new byte[40], out _));
    }

    [Fact]
    public void TryParse_WrongSignature_ReturnsBadSignature()
    {
        Assert.Equal(AcpiError.BadSignature, Parse(new TableBuilder("APIX").U32(0).U32(0).Build(), out _));
    }
}
