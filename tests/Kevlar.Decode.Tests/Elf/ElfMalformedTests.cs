// ElfMalformedTests: broken, truncated and randomly corrupted ELF files give
// an ElfError, never an exception.
using System;
using System.Buffers.Binary;
using Kevlar.Elf;
using Xunit;

namespace Kevlar.Decode.Tests.Elf;

public class ElfMalformedTests
{
    private static ElfError Parse(byte[] data) => ElfFile.TryParse(data, out _);

    [Fact]
    public void TryParse_Empty_ReturnsTooSmall()
    {
        Assert.Equal(ElfError.TooSmall, Parse(Array.Empty<byte>()));
    }

    [Fact]
    public void TryParse_TextFile_ReturnsBadMagic()
    {
        Assert.Equal(ElfError.BadMagic, Parse(System.Text.Encoding.ASCII.GetBytes(new string('x', 100))));
    }

    [Fact]
    public void TryParse_Elf32Class_ReturnsNotElf64()
    {
        byte[] data = TestKernel.Bytes();
        data[4] = 1;

        Assert.Equal(ElfError.NotElf64, Parse(data));
    }

    [Fact]
    public void TryParse_BigEndian_ReturnsNotLittleEndian()
    {
        byte[] data = TestKernel.Bytes();
        data[5] = 2;

        Assert.Equal(ElfError.NotLittleEndian, Parse(data));
    }

    [Fact]
    public void TryParse_SectionTableCutOff_ReturnsHeaderTableOutOfRange()
    {
        byte[] data = TestKernel.Bytes();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(40));

        Assert.Equal(ElfError.HeaderTableOutOfRange, Parse(data.AsSpan(0, (int)shoff + 100).ToArray()));
    }

    [Fact]
    public void TryParse_SectionOffsetPastEnd_ReturnsSectionOutOfRange()
    {
        byte[] data = TestKernel.Bytes();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(40));
        // Section 1 (.text): sh_offset at +24 of its header.
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan((int)shoff + 64 + 24), 0xFFFF_FFFF_FFFF_0000);

        Assert.Equal(ElfError.SectionOutOfRange, Parse(data));
    }

    [Fact]
    public void TryParse_TinySectionEntrySize_ReturnsBadHeader()
    {
        byte[] data = TestKernel.Bytes();
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(58), 16);

        Assert.Equal(ElfError.BadHeader, Parse(data));
    }

    [Fact]
    public void TryParse_WrongSymbolEntrySize_ReturnsBadSymbolTable()
    {
        byte[] data = TestKernel.Bytes();
        Assert.Equal(ElfError.None, ElfFile.TryParse((byte[])data.Clone(), out ElfFile? elf));
        ElfSection symtab = elf!.FindSection(".symtab")!;
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(40));
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan((int)shoff + symtab.Index * 64 + 56), 23);

        Assert.Equal(ElfError.BadSymbolTable, Parse(data));
    }

    [Fact]
    public void TryParse_RandomCorruption_NeverThrows()
    {
        byte[] original = TestKernel.Bytes();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(40));
        var random = new Random(4242);
        for (int round = 0; round < 2000; round++)
        {
            byte[] data = (byte[])original.Clone();
            for (int i = 0; i < 1 + random.Next(6); i++)
            {
                // Aim at the headers and tables, where the structure lives.
                int at = random.Next(3) switch
                {
                    0 => random.Next(64),
                    1 => (int)shoff + random.Next(data.Length - (int)shoff),
                    _ => random.Next(data.Length),
                };
                data[at] = (byte)random.Next(256);
            }
            if (random.Next(4) == 0)
                data = data.AsSpan(0, random.Next(data.Length)).ToArray();

            ElfError error = ElfFile.TryParse(data, out ElfFile? elf);

            Assert.Equal(error == ElfError.None, elf != null);
            if (elf != null)
            {
                elf.Functions.Format(TestKernel.FaultSite);
                elf.ReadAt(TestKernel.FaultSite, 48);
            }
        }
    }
}
