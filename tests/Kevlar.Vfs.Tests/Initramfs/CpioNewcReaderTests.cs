// CpioNewcReaderTests: archives written at test time by GNU cpio (newc and
// crc) from a real directory read back to that directory's names, types,
// permissions, owners, times and bytes; concatenated archives read through.
using Kevlar.Vfs.Initramfs;
using Kevlar.Vfs.Tests.Support;
using Xunit;

namespace Kevlar.Vfs.Tests.Initramfs;

public class CpioNewcReaderTests : IClassFixture<SampleTree>
{
    private readonly SampleTree _tree;

    public CpioNewcReaderTests(SampleTree tree) => _tree = tree;

    [Theory]
    [InlineData("newc")]
    [InlineData("crc")]
    public void ReadAll_GnuCpioArchive_MatchesDirectory(string format)
    {
        byte[] archive = GnuCpio.Create(_tree.Root, format, SampleTree.Names);

        List<CpioEntry> entries = ReadAll(archive);

        Assert.Equal(new[] { ".", "hello.txt", "empty", "bin", "bin/tool", "link", "hard1", "hard2" }, entries.Select(e => e.Name));
        foreach (CpioEntry e in entries)
        {
            Assert.Equal(1234u, e.Uid);
            Assert.Equal(5678u, e.Gid);
            if (e.Name != "link")
                Assert.Equal((uint)File.GetUnixFileMode(_tree.Path(e.Name)), e.Mode & 0xFFF);
        }
    }

    [Fact]
    public void ReadAll_GnuCpioArchive_GivesFileTypesAndBytes()
    {
        byte[] archive = GnuCpio.Create(_tree.Root, "newc", SampleTree.Names);

        var byName = ReadAll(archive).ToDictionary(e => e.Name);

        Assert.Equal(FileType.S_IFDIR, FileType.Of(byName["."].Mode));
        Assert.Equal(FileType.S_IFDIR, FileType.Of(byName["bin"].Mode));
        Assert.True(byName["bin"].Nlink >= 2);
        Assert.Equal(FileType.S_IFREG, FileType.Of(byName["empty"].Mode));
        Assert.Equal(0, byName["empty"].DataLength);
        Assert.Equal("hello, initramfs\n"u8.ToArray(), byName["hello.txt"].DataIn(archive).ToArray());
        Assert.Equal(_tree.Tool, byName["bin/tool"].DataIn(archive).ToArray());
        Assert.Equal(0, byName["bin/tool"].DataOffset % 4);
        Assert.Equal(FileType.S_IFLNK, FileType.Of(byName["link"].Mode));
        Assert.Equal("bin/tool"u8.ToArray(), byName["link"].DataIn(archive).ToArray());
        Assert.Equal(1_700_000_000u, byName["hello.txt"].Mtime);
        Assert.Equal(1_700_000_000u, byName["bin/tool"].Mtime);
    }

    [Fact]
    public void ReadAll_HardLinks_ShareInodeAndCarryDataOnce()
    {
        byte[] archive = GnuCpio.Create(_tree.Root, "newc", SampleTree.Names);

        var links = ReadAll(archive).Where(e => e.Name.StartsWith("hard")).ToList();

        Assert.Equal(2, links.Count);
        Assert.Equal(links[0].Ino, links[1].Ino);
        Assert.All(links, e => Assert.Equal(2u, e.Nlink));
        Assert.Equal("shared bytes"u8.ToArray(), links.Single(e => e.DataLength > 0).DataIn(archive).ToArray());
    }

    [Fact]
    public void ReadAll_CrcArchive_CarriesByteSums()
    {
        byte[] archive = GnuCpio.Create(_tree.Root, "crc", SampleTree.Names);

        CpioEntry tool = ReadAll(archive).Single(e => e.Name == "bin/tool");

        Assert.Equal((uint)_tree.Tool.Sum(b => b), tool.Check);
    }

    [Fact]
    public void ReadAll_ConcatenatedArchivesWithZeroPadding_ReadsAll()
    {
        byte[] first = GnuCpio.Create(_tree.Root, "newc", new[] { "./hello.txt", "./bin" });
        byte[] second = GnuCpio.Create(_tree.Root, "crc", new[] { "./bin/tool" });
        byte[] archive = first.Concat(new byte[12]).Concat(second).Concat(new byte[100]).ToArray();

        List<CpioEntry> entries = ReadAll(archive);

        Assert.Equal(new[] { "hello.txt", "bin", "bin/tool" }, entries.Select(e => e.Name));
        Assert.Equal(_tree.Tool, entries[2].DataIn(archive).ToArray());
    }

    [Fact]
    public void ReadAll_SecondArchiveMisaligned_ReturnsBadPadding()
    {
        byte[] first = GnuCpio.Create(_tree.Root, "newc", new[] { "./hello.txt" });
        byte[] second = GnuCpio.Create(_tree.Root, "newc", new[] { "./empty" });
        byte[] archive = first.Concat(new byte[2]).Concat(second).ToArray();

        var entries = new List<CpioEntry>();
        Assert.Equal(CpioError.BadPadding, CpioNewcReader.ReadAll(archive, entries));
        Assert.Single(entries);
    }

    [Fact]
    public void ReadNext_AfterLastEntry_KeepsReturningEnd()
    {
        byte[] archive = GnuCpio.Create(_tree.Root, "newc", new[] { "./hello.txt" });
        var reader = new CpioNewcReader(archive);

        Assert.Equal(CpioError.None, reader.ReadNext(out CpioEntry? entry));
        Assert.Equal("hello.txt", entry!.Name);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(CpioError.None, reader.ReadNext(out entry));
            Assert.Null(entry);
        }
        Assert.Equal(archive.Length, reader.Offset);
    }

    private static List<CpioEntry> ReadAll(byte[] archive)
    {
        var entries = new List<CpioEntry>();
        Assert.Equal(CpioError.None, CpioNewcReader.ReadAll(archive, entries));
        return entries;
    }
}
