// UnixAddressTests: sockaddr_un decoded and reported with Linux's lengths.
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class UnixAddressTests
{
    private static byte[] Sockaddr(string path, int length)
    {
        var b = new byte[length];
        b[0] = SocketConstants.AF_UNIX;
        System.Text.Encoding.Latin1.GetBytes(path).AsSpan(0, Math.Min(path.Length, length - 2)).CopyTo(b.AsSpan(2));
        return b;
    }

    [Fact]
    public void Path_WithoutItsNul_IsReportedWithOne()
    {
        Assert.Equal(0, UnixAddress.Parse(Sockaddr("/tmp/s", 8), out UnixAddress a));
        Assert.True(a.IsPath);
        Assert.Equal(9, a.Length);
        var out_ = new byte[a.Length];
        a.Write(out_);
        Assert.Equal(0, out_[8]);
    }

    [Fact]
    public void Path_StopsAtTheFirstNul()
    {
        Assert.Equal(0, UnixAddress.Parse(Sockaddr("/a\0junk", 20), out UnixAddress a));
        Assert.Equal(5, a.Length);
    }

    [Fact]
    public void AbstractName_KeepsEveryByte_AndTheGivenLength()
    {
        Assert.Equal(0, UnixAddress.Parse(Sockaddr("\0ab\0", 6), out UnixAddress a));
        Assert.True(a.IsAbstract);
        Assert.Equal(6, a.Length);
        Assert.Equal(new byte[] { (byte)'a', (byte)'b', 0 }, a.Name);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(111)]
    public void LengthOutsideTheStructure_IsEinval(int length)
        => Assert.Equal(-Errno.EINVAL, UnixAddress.Parse(Sockaddr("/x", length), out _));

    [Fact]
    public void OtherFamily_IsEinval()
    {
        byte[] b = Sockaddr("/x", 5);
        b[0] = SocketConstants.AF_INET;
        Assert.Equal(-Errno.EINVAL, UnixAddress.Parse(b, out _));
    }

    [Fact]
    public void Unnamed_IsJustTheFamily()
        => Assert.Equal(2, UnixAddress.Unnamed.Length);
}
