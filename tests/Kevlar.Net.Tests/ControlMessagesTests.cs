// ControlMessagesTests: cmsg parsing as __scm_send does it, and the control
// buffer recvmsg fills as put_cmsg and scm_detach_fds cut it.
using System.Buffers.Binary;
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class ControlMessagesTests
{
    private static byte[] Cmsg(int level, int type, byte[] data, ulong? length = null)
    {
        var b = new byte[ControlMessages.Space(data.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(b, length ?? (ulong)ControlMessages.Len(data.Length));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), level);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(12), type);
        data.CopyTo(b, 16);
        return b;
    }

    private static byte[] Ints(params int[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(i * 4), v[i]);
        return b;
    }

    [Fact]
    public void Rights_AndCredentials_AreBothRead()
    {
        var creds = new byte[12];
        new UnixCredentials(5, 6, 7).Write(creds);
        byte[] control = [.. Cmsg(SocketConstants.SOL_SOCKET, SocketConstants.SCM_RIGHTS, Ints(3, 4)),
            .. Cmsg(SocketConstants.SOL_SOCKET, SocketConstants.SCM_CREDENTIALS, creds)];
        var fds = new List<int>();

        Assert.Equal(0, ControlMessages.Parse(control, fds, out bool has, out UnixCredentials c));

        Assert.Equal([3, 4], fds);
        Assert.True(has);
        Assert.Equal(new UnixCredentials(5, 6, 7), c);
    }

    [Fact]
    public void OtherLevels_AreSkipped()
    {
        var fds = new List<int>();
        Assert.Equal(0, ControlMessages.Parse(Cmsg(6, 1, Ints(1)), fds, out bool has, out _));
        Assert.Empty(fds);
        Assert.False(has);
    }

    [Theory]
    [InlineData(8ul)]
    [InlineData(1000ul)]
    public void LengthBelowTheHeaderOrPastTheBuffer_IsEinval(ulong length)
        => Assert.Equal(-Errno.EINVAL, ControlMessages.Parse(Cmsg(SocketConstants.SOL_SOCKET, SocketConstants.SCM_RIGHTS, Ints(1), length), new List<int>(), out _, out _));

    [Fact]
    public void UnknownType_AndShortCredentials_AreEinval()
    {
        Assert.Equal(-Errno.EINVAL, ControlMessages.Parse(Cmsg(SocketConstants.SOL_SOCKET, 9, Ints(1)), new List<int>(), out _, out _));
        Assert.Equal(-Errno.EINVAL, ControlMessages.Parse(Cmsg(SocketConstants.SOL_SOCKET, SocketConstants.SCM_CREDENTIALS, Ints(1, 2)), new List<int>(), out _, out _));
    }

    [Fact]
    public void MoreThanScmMaxFd_IsEinval()
        => Assert.Equal(-Errno.EINVAL, ControlMessages.Parse(Cmsg(SocketConstants.SOL_SOCKET, SocketConstants.SCM_RIGHTS, new byte[254 * 4]), new List<int>(), out _, out _));

    [Fact]
    public void Writer_CutsFdsToTheRoom_AndSetsCtrunc()
    {
        var w = new ControlWriter(ControlMessages.Len(4));
        Assert.Equal(1, w.FdsThatFit(3));
        w.PutRights([9], 1, 3);

        Assert.Equal(SocketConstants.MSG_CTRUNC, w.Flags);
        Assert.Equal(20, w.Used);
        Assert.Equal(20ul, BinaryPrimitives.ReadUInt64LittleEndian(w.Buffer));
    }

    [Fact]
    public void Writer_WithNoRoom_OnlySetsCtrunc()
    {
        var w = new ControlWriter(0);
        w.PutCredentials(new UnixCredentials(1, 2, 3));
        Assert.Equal(0, w.Used);
        Assert.Equal(SocketConstants.MSG_CTRUNC, w.Flags);
    }
}
