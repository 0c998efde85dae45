// TmpfsOptionParserTests: mount(2)'s tmpfs data string as shmem_parse_one reads
// it — sizes with suffixes and percentages, octal modes, ids, the generic
// ro/rw words, and -EINVAL for anything else.
using Kevlar.Vfs.Filesystems;
using Xunit;

namespace Kevlar.Vfs.Tests.Filesystems;

public class TmpfsOptionParserTests
{
    private static TmpfsMountRequest Parse(string data, int expected = 0)
    {
        var r = new TmpfsMountRequest();
        Assert.Equal(expected, TmpfsOptionParser.Parse(data, 1000, 500, r));
        return r;
    }

    [Fact]
    public void Parse_Empty_GivesHalfOfRamForPagesAndInodes()
    {
        TmpfsMountRequest r = Parse("");

        Assert.Equal(500, r.Options.MaxPages);
        Assert.Equal(500, r.Options.MaxInodes);
        Assert.False(r.HasSize);
        Assert.Equal(0x3FFu, r.Options.RootMode);
    }

    [Fact]
    public void Parse_SizesModesAndIds_AsShmem()
    {
        TmpfsMountRequest r = Parse("size=10k,nr_inodes=2k,mode=0755,uid=7,gid=8,ro");

        Assert.Equal(3, r.Options.MaxPages); // 10 KiB rounds up to 3 pages
        Assert.Equal(2048, r.Options.MaxInodes);
        Assert.Equal(0x1EDu, r.Options.RootMode);
        Assert.Equal(7u, r.Options.RootUid);
        Assert.Equal(8u, r.Options.RootGid);
        Assert.True(r.ReadOnly);
        Assert.Equal(250, Parse("size=25%").Options.MaxPages);
        Assert.Equal(0, Parse("size=0").Options.MaxPages);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("size=")]
    [InlineData("size=1x")]
    [InlineData("nr_inodes=5%")]
    [InlineData("mode=9")]
    [InlineData("uid=-1")]
    [InlineData("huge=always")]
    public void Parse_UnknownOrBadOption_ReturnsEinval(string data)
    {
        Parse(data, -Errno.EINVAL);
    }
}
