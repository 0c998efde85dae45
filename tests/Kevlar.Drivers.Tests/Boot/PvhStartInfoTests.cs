// PvhStartInfoTests: the hvm_start_info QEMU 7.2 passed to a PVH kernel
// (captured), and hand-built ones for the older and broken shapes.
using System;
using System.Buffers.Binary;
using System.Text;
using Kevlar.Drivers.X86_64.Boot;
using Xunit;

namespace Kevlar.Drivers.Tests.Boot;

public class PvhStartInfoTests
{
    private static PvhStartInfo Read(CapturedMemory memory, string capture)
    {
        Assert.Equal(PvhError.None, PvhStartInfo.TryRead(memory, CapturedMemory.AddressOf(capture, "startinfo"), out PvhStartInfo info));
        return info;
    }

    [Fact]
    public void TryRead_QemuPc_ReadsVersion1Fields()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");

        PvhStartInfo info = Read(memory, "pvh-pc-smp4");

        Assert.Equal(0x21E0UL, info.Address);
        Assert.Equal(1u, info.Version);
        Assert.Equal(1u, info.ModuleCount);
        Assert.Equal(0xF59D0UL, info.RsdpAddress);
        Assert.Equal(7u, info.MemoryMapEntryCount);
        Assert.Equal(PvhStartInfo.SizeV1, info.ByteSize);
    }

    [Fact]
    public void TryReadCommandLine_QemuPc_ReturnsAppendText()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");
        PvhStartInfo info = Read(memory, "pvh-pc-smp4");
        var buffer = new byte[256];

        Assert.Equal(PvhError.None, info.TryReadCommandLine(memory, buffer, out int length));

        Assert.Equal("console=ttyS0 kevlar.test=1", Encoding.ASCII.GetString(buffer, 0, length));
    }

    [Fact]
    public void TryReadCommandLine_BufferTooSmall_ReturnsCommandLineTooLong()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");
        var buffer = new byte[7];

        Assert.Equal(PvhError.CommandLineTooLong, Read(memory, "pvh-pc-smp4").TryReadCommandLine(memory, buffer, out int length));

        Assert.Equal(7, length);
        Assert.Equal("console", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public void TryReadMemoryMapEntry_QemuPc_ReadsE820Layout()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");
        PvhStartInfo info = Read(memory, "pvh-pc-smp4");

        Assert.Equal(PvhError.None, info.TryReadMemoryMapEntry(memory, 3, out PvhMemoryMapEntry ram));
        Assert.Equal(PvhError.None, info.TryReadMemoryMapEntry(memory, 6, out PvhMemoryMapEntry last));

        Assert.Equal(0x100000UL, ram.Address);
        Assert.Equal(0x7EE0000UL, ram.Length);
        Assert.Equal(PvhMemoryMapEntry.TypeRam, ram.Type);
        Assert.Equal(0xFD00000000UL, last.Address);
        Assert.Equal(PvhMemoryMapEntry.TypeReserved, last.Type);
    }

    [Fact]
    public void TryReadMemoryMapEntry_IndexPastCount_ReturnsNotPresent()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");

        Assert.Equal(PvhError.NotPresent, Read(memory, "pvh-pc-smp4").TryReadMemoryMapEntry(memory, 7, out _));
    }

    [Fact]
    public void TryReadModule_QemuPcInitrd_ReturnsItsPlacement()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");

        Assert.Equal(PvhError.None, Read(memory, "pvh-pc-smp4").TryReadModule(memory, 0, out PvhModule initrd));

        Assert.Equal(0x7FD7000UL, initrd.Address);
        Assert.Equal(16UL, initrd.Length); // "initrd-contents\n"
    }

    [Fact]
    public void TryRead_WrongMagic_ReturnsBadMagic()
    {
        var memory = CapturedMemory.Load("pvh-pc-smp4");
        memory.RegionAt(0x21E0)[0] ^= 1;

        Assert.Equal(PvhError.BadMagic, PvhStartInfo.TryRead(memory, 0x21E0, out _));
    }

    [Fact]
    public void TryRead_Unreadable_ReturnsReadFailed()
    {
        Assert.Equal(PvhError.ReadFailed, PvhStartInfo.TryRead(new CapturedMemory(), 0x2_0000_0000, out _));
    }

    [Fact]
    public void TryRead_Version0_HasNoMemoryMap()
    {
        var raw = new byte[PvhStartInfo.SizeV0];
        BinaryPrimitives.WriteUInt32LittleEndian(raw, PvhStartInfo.Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(raw.AsSpan(32), 0xE0000);
        var memory = new CapturedMemory { ZeroFilledLimit = 0 };
        memory.Add(0x5000, raw); // only 40 bytes readable: a v0 reader must not touch more

        Assert.Equal(PvhError.None, PvhStartInfo.TryRead(memory, 0x5000, out PvhStartInfo info));

        Assert.Equal(0u, info.Version);
        Assert.Equal(0xE0000UL, info.RsdpAddress);
        Assert.Equal(0UL, info.MemoryMapAddress);
        Assert.Equal(PvhError.NotPresent, info.TryReadMemoryMapEntry(memory, 0, out _));
        Assert.Equal(PvhError.None, info.TryReadCommandLine(memory, new byte[16], out int length));
        Assert.Equal(0, length);
    }
}
