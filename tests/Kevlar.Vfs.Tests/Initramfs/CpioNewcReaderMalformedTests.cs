// CpioNewcReaderMalformedTests: every malformation gives its CpioError (never
// an exception), errors stick, names are normalised, and truncated or
// randomly corrupted real archives are survived.
using System.Text;
using Kevlar.Vfs.Initramfs;
using Kevlar.Vfs.Tests.Support;
using Xunit;

namespace Kevlar.Vfs.Tests.Initramfs;

public class CpioNewcReaderMalformedTests : IClassFixture<SampleTree>
{
    private const uint Regular = FileType.S_IFREG | 0x1A4;  // 0644
    private readonly SampleTree _tree;

    public CpioNewcReaderMalformedTests(SampleTree tree) => _tree = tree;

    [Fact]
    public void ReadAll_SyntheticArchive_Succeeds()
    {
        byte[] archive = new NewcWriter().Add("a", Regular, "xyz"u8.ToArray()).Add("dev/null", FileType.S_IFCHR | 0x1B6,
            rdevMajor: 1, rdevMinor: 3).Trailer().ToArray();

        var entries = new List<CpioEntry>();
        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(archive, entries));

        Assert.Equal(2, entries.Count);
        Assert.Equal("xyz"u8.ToArray(), entries[0].DataIn(archive).ToArray());
        Assert.Equal((1u, 3u), (entries[1].RdevMajor, entries[1].RdevMinor));
        Assert.Equal((8u, 1u), (entries[1].DevMajor, entries[1].DevMinor));
    }

    [Theory]
    [InlineData("070707")]  // odc
    [InlineData("070703")]
    [InlineData("170701")]
    [InlineData("07070\0")]
    public void ReadNext_BadMagic_ReturnsBadMagic(string magic) =>
        AssertError(CpioError.BadMagic, new NewcWriter().Add("a", Regular, magic: magic).Trailer().ToArray());

    [Theory]
    [InlineData(6, (byte)'g')]
    [InlineData(20, (byte)' ')]
    [InlineData(101, (byte)'x')]
    [InlineData(109, 0)]
    public void ReadNext_BadHexDigit_ReturnsBadHex(int index, byte value)
    {
        byte[] archive = new NewcWriter().Add("a", Regular).Trailer().ToArray();
        archive[index] = value;

        AssertError(CpioError.BadHex, archive);
    }

    [Fact]
    public void ReadNext_LowerCaseHex_IsAccepted()
    {
        byte[] archive = new NewcWriter().Add("a", FileType.S_IFDIR | 0x1ED).Trailer().ToArray();
        string header = Encoding.ASCII.GetString(archive, 0, 110).ToLowerInvariant();
        Encoding.ASCII.GetBytes(header).CopyTo(archive, 0);

        var entries = new List<CpioEntry>();
        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(archive, entries));
        Assert.Equal(FileType.S_IFDIR | 0x1EDu, entries[0].Mode);
    }

    [Fact]
    public void ReadNext_NameSizeZero_ReturnsEmptyName() =>
        AssertError(CpioError.EmptyName, new NewcWriter().Add("a", Regular, nameSize: 0).Trailer().ToArray());

    [Fact]
    public void ReadNext_NameWithoutNul_ReturnsMissingNul() =>
        AssertError(CpioError.MissingNul, new NewcWriter().Add("abc", Regular, nul: false).Trailer().ToArray());

    [Fact]
    public void ReadNext_NamePastEnd_ReturnsTruncated() =>
        AssertError(CpioError.Truncated, new NewcWriter().Add("a", Regular, nameSize: 4096).ToArray());

    [Fact]
    public void ReadNext_DataPastEnd_ReturnsTruncated() =>
        AssertError(CpioError.Truncated, new NewcWriter().Add("a", Regular, "xy"u8.ToArray(), fileSize: 0xFFFF_FFF0).ToArray());

    [Fact]
    public void ReadNext_HeaderCutShort_ReturnsTruncated() =>
        AssertError(CpioError.Truncated, new NewcWriter().Add("a", Regular).ToArray().AsSpan(0, 109).ToArray());

    [Fact]
    public void ReadNext_CrcSumWrong_ReturnsBadChecksum() =>
        AssertError(CpioError.BadChecksum, new NewcWriter().Add("a", Regular, "abc"u8.ToArray(), magic: "070702", check: 1).Trailer().ToArray());

    [Fact]
    public void ReadNext_CrcSumRight_Succeeds()
    {
        byte[] archive = new NewcWriter().Add("a", Regular, "abc"u8.ToArray(), magic: "070702", check: 'a' + 'b' + 'c')
            .Trailer().ToArray();

        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(archive, new List<CpioEntry>()));
    }

    [Fact]
    public void ReadNext_AfterError_KeepsReturningIt()
    {
        var reader = new CpioNewcReader(new NewcWriter().Add("a", Regular, magic: "070707").ToArray());

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(CpioError.BadMagic, reader.ReadNext(out CpioEntry? entry));
            Assert.Null(entry);
        }
    }

    [Theory]
    [InlineData("./a/b", "a/b")]
    [InlineData("/a", "a")]
    [InlineData("a", "a")]
    [InlineData(".", ".")]
    [InlineData("./", ".")]
    [InlineData("/", ".")]
    [InlineData(".//./x", "x")]
    [InlineData("..", "..")]
    [InlineData(".hidden", ".hidden")]
    public void ReadNext_LeadingSlashOrDotSlash_IsStripped(string raw, string expected)
    {
        var entries = new List<CpioEntry>();
        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(new NewcWriter().Add(raw, Regular).Trailer().ToArray(), entries));

        Assert.Equal(expected, entries.Single().Name);
    }

    [Fact]
    public void ReadAll_EmptyOrAllZeros_GivesNoEntries()
    {
        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(Array.Empty<byte>(), new List<CpioEntry>()));
        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(new byte[1024], new List<CpioEntry>()));
    }

    [Fact]
    public void ReadAll_NoTrailer_GivesEntriesThenEnd()
    {
        var entries = new List<CpioEntry>();

        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(new NewcWriter().Add("a", Regular).ToArray(), entries));
        Assert.Single(entries);
    }

    [Fact]
    public void ReadAll_GarbageAfterTrailer_ReturnsBadMagic() =>
        AssertError(CpioError.BadMagic, new NewcWriter().Add("a", Regular).Trailer().Raw(Enumerable.Repeat((byte)'j', 128).ToArray()).ToArray());

    [Fact]
    public void ReadAll_EveryTruncationOfRealArchive_NeverThrows()
    {
        byte[] archive = GnuCpio.Create(_tree.Root, "newc", SampleTree.Names);
        for (int length = 0; length <= archive.Length; length++)
        {
            var entries = new List<CpioEntry>();
            CpioError error = CpioNewcReader.ReadAll(archive.AsSpan(0, length), entries);

            Assert.True(error == CpioError.None || error == CpioError.Truncated, error + " at length " + length);
            Assert.All(entries, e => Assert.InRange(e.DataOffset + e.DataLength, 0, length));
        }
    }

    [Fact]
    public void ReadAll_RandomCorruptionOfRealArchive_NeverThrows()
    {
        byte[] original = GnuCpio.Create(_tree.Root, "crc", SampleTree.Names);
        var random = new Random(31337);
        for (int round = 0; round < 3000; round++)
        {
            byte[] archive = (byte[])original.Clone();
            int flips = 1 + random.Next(6);
            for (int i = 0; i < flips; i++)
                archive[random.Next(archive.Length)] = round % 2 == 0 ? (byte)random.Next(256) : (byte)"0123456789abcdef"[random.Next(16)];

            var entries = new List<CpioEntry>();
            CpioNewcReader.ReadAll(archive, entries);

            Assert.All(entries, e => Assert.InRange(e.DataOffset + (long)e.DataLength, 0, archive.Length));
        }
    }

    private static void AssertError(CpioError expected, byte[] archive)
    {
        var entries = new List<CpioEntry>();
        Assert.Equal(expected, CpioNewcReader.ReadAll(archive, entries));
    }
}
