// ElfImageMalformedTests: every malformation ElfImage.TryParse promises to
// refuse gives -ENOEXEC (one field bent at a time on a synthetic executable),
// edge cases that are valid still parse, and truncated or randomly corrupted
// real binaries never make it throw.
using Kevlar.Process.Exec;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Exec.ElfConstants;

namespace Kevlar.Process.Tests.Exec;

public class ElfImageMalformedTests : IClassFixture<MuslPrograms>
{
    private readonly MuslPrograms _programs;

    public ElfImageMalformedTests(MuslPrograms programs) => _programs = programs;

    [Fact]
    public void TryParse_MinimalSyntheticExecutable_Succeeds()
    {
        ElfImage image = Parse(ElfFileBuilder.Minimal().Build());

        Assert.Equal(3, image.Segments.Length);
        Assert.Equal(0x401000UL, image.Entry);
        Assert.Equal(0x400000UL, image.LowestAddress);
        Assert.Equal(0x405000UL, image.HighestAddress);
        Assert.Equal(0x400040UL, image.ProgramHeaderAddress);
        Assert.False(image.ExecutableStack);
        Assert.Null(image.Interpreter);
    }

    [Fact]
    public void TryParse_EveryTruncationUpTo128Bytes_ReturnsNoExec()
    {
        byte[] synthetic = ElfFileBuilder.Minimal().Build();
        byte[] real = File.ReadAllBytes(_programs.Static);
        for (int length = 0; length <= 128; length++)
        {
            AssertNoExec(synthetic.AsSpan(0, length).ToArray());
            AssertNoExec(real.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void TryParse_TruncatedInsideLastSegment_ReturnsNoExec()
    {
        byte[] file = ElfFileBuilder.Minimal().Build();

        AssertNoExec(file.AsSpan(0, 0x2000 + 0x7FF).ToArray());
    }

    [Theory]
    [InlineData(0, 0x7E)]
    [InlineData(1, (byte)'e')]
    [InlineData(3, 0)]
    public void TryParse_BadMagic_ReturnsNoExec(int index, byte value)
    {
        byte[] file = ElfFileBuilder.Minimal().Build();
        file[index] = value;

        AssertNoExec(file);
    }

    [Fact]
    public void TryParse_Elfclass32_ReturnsNoExec() => AssertNoExec(With(b => b.Class = 1));

    [Fact]
    public void TryParse_BigEndian_ReturnsNoExec() => AssertNoExec(With(b => b.Data = 2));

    [Theory]
    [InlineData(3)]    // EM_386
    [InlineData(183)]  // EM_AARCH64
    [InlineData(0)]
    public void TryParse_OtherMachine_ReturnsNoExec(ushort machine) => AssertNoExec(With(b => b.Machine = machine));

    [Theory]
    [InlineData(0)]  // ET_NONE
    [InlineData(1)]  // ET_REL
    [InlineData(4)]  // ET_CORE
    public void TryParse_NotExecOrDyn_ReturnsNoExec(ushort type) => AssertNoExec(With(b => b.Type = type));

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(0)]
    public void TryParse_WrongPhentsize_ReturnsNoExec(ushort size) => AssertNoExec(With(b => b.ProgramHeaderEntrySize = size));

    [Fact]
    public void TryParse_SixtyFiveProgramHeaders_ReturnsNoExec()
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        while (b.Headers.Count < 65)
            b.Headers.Add(new ElfFileBuilder.Phdr(PT_NOTE, PF_R, 0, 0, 0, 0, 4));

        AssertNoExec(b.Build());
    }

    [Fact]
    public void TryParse_SixtyFourProgramHeaders_Succeeds()
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        while (b.Headers.Count < 64)
            b.Headers.Add(new ElfFileBuilder.Phdr(PT_NOTE, PF_R, 0, 0, 0, 0, 4));

        Assert.Equal(64, Parse(b.Build()).ProgramHeaderCount);
    }

    [Theory]
    [InlineData(0x3000UL)]                  // starts at the end of the file
    [InlineData(0x2FD0UL)]                  // starts inside, runs past the end
    [InlineData(0xFFFF_FFFF_FFFF_FFF0UL)]   // offset + size overflows
    public void TryParse_ProgramHeadersOutsideFile_ReturnsNoExec(ulong offset) =>
        AssertNoExec(With(b => b.ProgramHeaderOffset = offset));

    [Fact]
    public void TryParse_NoProgramHeaders_ReturnsNoExec() => AssertNoExec(With(b => b.Headers.Clear()));

    [Fact]
    public void TryParse_NoLoadSegment_ReturnsNoExec()
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        b.Headers.Clear();
        b.Headers.Add(new ElfFileBuilder.Phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16));

        AssertNoExec(b.Build());
    }

    [Fact]
    public void TryParse_FileSizeAboveMemorySize_ReturnsNoExec() =>
        AssertNoExec(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0x2000, 0x402000, 0x800, 0x7FF)));

    [Fact]
    public void TryParse_SegmentBytesPastEndOfFile_ReturnsNoExec() =>
        AssertNoExec(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0x2000, 0x402000, 0x1001, 0x3000)));

    [Fact]
    public void TryParse_SegmentOffsetOverflows_ReturnsNoExec() =>
        AssertNoExec(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0xFFFF_FFFF_FFFF_F000, 0x402000, 0x800, 0x3000)));

    [Fact]
    public void TryParse_SegmentEndOverflows_ReturnsNoExec() =>
        AssertNoExec(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0x2000, 0xFFFF_FFFF_FFFF_F000, 0x800, 0x2000)));

    [Fact]
    public void TryParse_SegmentAboveUserSpace_ReturnsNoExec() =>
        AssertNoExec(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0x2000, 0x7FFF_FFFF_F000, 0x800, 0x1001)));

    [Fact]
    public void TryParse_SegmentEndingAtUserSpaceLimit_Succeeds()
    {
        ElfImage image = Parse(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0x2000, 0x7FFF_FFFF_F000, 0x800, 0x1000)));

        Assert.Equal(UserAddressLimit, image.HighestAddress);
    }

    [Theory]
    [InlineData(3UL)]
    [InlineData(0x1800UL)]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL)]
    public void TryParse_AlignmentNotPowerOfTwo_ReturnsNoExec(ulong alignment) =>
        AssertNoExec(WithLoad(1, ElfFileBuilder.Load(PF_R | PF_X, 0x1000, 0x401000, 0x1000, 0x1000) with { Alignment = alignment }));

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(0x200000UL)]
    public void TryParse_AlignmentZeroOneOrPowerOfTwo_Succeeds(ulong alignment) =>
        Parse(WithLoad(1, ElfFileBuilder.Load(PF_R | PF_X, 0x1000, 0x401000, 0x1000, 0x1000) with { Alignment = alignment }));

    [Theory]
    [InlineData(0x1000UL, 0x401001UL)]
    [InlineData(0x1010UL, 0x401000UL)]
    public void TryParse_AddressAndOffsetOnDifferentPageOffsets_ReturnsNoExec(ulong offset, ulong vaddr) =>
        AssertNoExec(WithLoad(1, ElfFileBuilder.Load(PF_R | PF_X, offset, vaddr, 0x100, 0x100)));

    [Fact]
    public void TryParse_SamePageOffsetInAnotherPage_Succeeds()
    {
        ElfImage image = Parse(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0x2010, 0x403010, 0x100, 0x200)));

        Assert.Equal(0x403010UL, image.Segments[2].VirtualAddress);
    }

    [Fact]
    public void TryParse_OverlappingSegments_ReturnsNoExec() =>
        AssertNoExec(WithLoad(2, ElfFileBuilder.Load(PF_R | PF_W, 0x2FFF, 0x401FFF, 0x1, 0x1000)));

    [Fact]
    public void TryParse_SegmentsSharingAPageButNoByte_Succeeds() =>
        Parse(WithLoad(1, ElfFileBuilder.Load(PF_R | PF_X, 0x1000, 0x401000, 0x800, 0x800),
            ElfFileBuilder.Load(PF_R | PF_W, 0x1800, 0x401800, 0x800, 0x800)));

    [Fact]
    public void TryParse_Interpreter_IsReadUpToItsNul()
    {
        ElfImage image = Parse(ElfFileBuilder.Minimal().WithInterpreter("/lib/ld-musl-x86_64.so.1\0").Build());

        Assert.Equal("/lib/ld-musl-x86_64.so.1", image.Interpreter);
    }

    [Fact]
    public void TryParse_InterpreterWithoutNul_ReturnsNoExec() =>
        AssertNoExec(ElfFileBuilder.Minimal().WithInterpreter("/lib/ld-musl-x86_64.so.1").Build());

    [Fact]
    public void TryParse_InterpreterOfOneByte_ReturnsNoExec() =>
        AssertNoExec(ElfFileBuilder.Minimal().WithInterpreter("\0").Build());

    [Fact]
    public void TryParse_InterpreterPastEndOfFile_ReturnsNoExec() =>
        AssertNoExec(ElfFileBuilder.Minimal().WithInterpreter("/lib/ld.so\0", fileSize: 0x3000).Build());

    [Fact]
    public void TryParse_InterpreterLongerThanPathMax_ReturnsNoExec()
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal().WithInterpreter(new string('a', 4096) + "\0");
        b.FileLength = 0x4000;

        AssertNoExec(b.Build());
    }

    [Fact]
    public void TryParse_PhdrHeader_GivesProgramHeaderAddress()
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        b.Headers.Insert(0, new ElfFileBuilder.Phdr(PT_PHDR, PF_R, 64, 0x400040, 4 * 56, 4 * 56, 8));

        Assert.Equal(0x400040UL, Parse(b.Build()).ProgramHeaderAddress);
    }

    [Fact]
    public void TryParse_ProgramHeadersOutsideEveryLoad_GivesZeroAddress()
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        b.Headers[0] = ElfFileBuilder.Load(PF_R, 0x1000, 0x400000, 0, 0x1000);

        Assert.Equal(0UL, Parse(b.Build()).ProgramHeaderAddress);
    }

    [Fact]
    public void TryParse_GnuStackWithExecute_GivesExecutableStack()
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        b.Headers.Add(new ElfFileBuilder.Phdr(PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16));

        Assert.True(Parse(b.Build()).ExecutableStack);
    }

    [Fact]
    public void TryParse_EtDyn_IsPositionIndependent() =>
        Assert.True(Parse(With(b => b.Type = ET_DYN)).IsPositionIndependent);

    [Fact]
    public void TryParse_RandomCorruptionOfRealBinary_NeverThrows()
    {
        byte[] original = File.ReadAllBytes(_programs.Static);
        var random = new Random(4242);
        for (int round = 0; round < 3000; round++)
        {
            byte[] file = (byte[])original.Clone();
            int flips = 1 + random.Next(8);
            for (int i = 0; i < flips; i++)
                file[random.Next(Math.Min(file.Length, 64 + 10 * 56))] = (byte)random.Next(256);

            int result = ElfImage.TryParse(file, out ElfImage? image);

            Assert.True(result == 0 || result == -Errno.ENOEXEC);
            Assert.Equal(result == 0, image != null);
        }
    }

    [Fact]
    public void TryParse_RandomBytesAfterValidIdent_NeverThrow()
    {
        var random = new Random(77);
        for (int round = 0; round < 3000; round++)
        {
            byte[] file = new byte[random.Next(64, 1024)];
            random.NextBytes(file);
            ElfFileBuilder.Minimal().Build().AsSpan(0, 20).CopyTo(file);

            int result = ElfImage.TryParse(file, out ElfImage? image);

            Assert.True(result == 0 || result == -Errno.ENOEXEC);
            Assert.Equal(result == 0, image != null);
        }
    }

    private static ElfImage Parse(byte[] file)
    {
        Assert.Equal(0, ElfImage.TryParse(file, out ElfImage? image));
        return image!;
    }

    private static void AssertNoExec(byte[] file)
    {
        Assert.Equal(-Errno.ENOEXEC, ElfImage.TryParse(file, out ElfImage? image));
        Assert.Null(image);
    }

    private static byte[] With(Action<ElfFileBuilder> change)
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        change(b);
        return b.Build();
    }

    /// <summary>The minimal executable with its PT_LOADs from <paramref name="index"/> on replaced by <paramref name="loads"/>.</summary>
    private static byte[] WithLoad(int index, params ElfFileBuilder.Phdr[] loads)
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        b.Headers.RemoveRange(index, b.Headers.Count - index);
        b.Headers.AddRange(loads);
        return b.Build();
    }
}
