// AcpiTableTests: the signature, length and checksum checks every table load makes.
using System;
using System.Buffers.Binary;
using Kevlar.Drivers.X86_64.Acpi;
using Xunit;

namespace Kevlar.Drivers.Tests.Acpi;

public class AcpiTableTests
{
    private const ulong At = 0x50000;

    private static AcpiError Load(byte[] table, uint signature, out byte[] loaded)
    {
        var memory = new CapturedMemory();
        memory.Add(At, table);
        return AcpiTable.TryLoad(memory, At, signature, 36, out loaded);
    }

    [Fact]
    public void TryLoad_ValidTable_ReturnsItsBytes()
    {
        byte[] table = new TableBuilder("TEST").U32(7).Build();

        Assert.Equal(AcpiError.None, Load(table, AcpiSignature.FromChars('T', 'E', 'S', 'T'), out byte[] loaded));

        Assert.Equal(table, loaded);
    }

    [Fact]
    public void TryLoad_OtherSignature_ReturnsBadSignature()
    {
        Assert.Equal(AcpiError.BadSignature, Load(new TableBuilder("TEST").Build(), AcpiSignature.Madt, out _));
    }

    [Fact]
    public void TryLoad_FlippedByte_ReturnsBadChecksum()
    {
        byte[] table = TableBuilder.Madt().Build();
        table[40] ^= 0x80;

        Assert.Equal(AcpiError.BadChecksum, Load(table, AcpiSignature.Madt, out _));
    }

    [Fact]
    public void TryLoad_LengthBelowHeader_ReturnsBadLength()
    {
        byte[] table = TableBuilder.Madt().Build();
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 20);

        Assert.Equal(AcpiError.BadLength, Load(table, AcpiSignature.Madt, out _));
    }

    [Fact]
    public void TryLoad_HugeLength_ReturnsBadLength()
    {
        byte[] table = TableBuilder.Madt().Build();
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 0xFFFFFFF0);

        Assert.Equal(AcpiError.BadLength, Load(table, AcpiSignature.Madt, out _));
    }

    [Fact]
    public void TryLoad_LengthPastReadableMemory_ReturnsReadFailed()
    {
        var memory = new CapturedMemory { ZeroFilledLimit = 0 };
        byte[] table = TableBuilder.Madt().Build();
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 4096);
        memory.Add(At, table);

        Assert.Equal(AcpiError.ReadFailed, AcpiTable.TryLoad(memory, At, AcpiSignature.Madt, 36, out _));
    }

    [Fact]
    public void TryLoad_NullAddress_ReturnsReadFailed()
    {
        Assert.Equal(AcpiError.ReadFailed, AcpiTable.TryLoad(new CapturedMemory(), 0, AcpiSignature.Madt, 36, out _));
    }
}
