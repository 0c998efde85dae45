// ReceiveQueueTests: the record queue's two reads — a stream read crosses
// records but stops after files and (for a credentials reader) at another
// writer; a datagram read takes one record and reports its whole length;
// MSG_PEEK consumes nothing and detaches nothing.
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class ReceiveQueueTests
{
    private static readonly UnixCredentials Alice = new(10, 1000, 1000), Bob = new(11, 1001, 1001);

    private static SocketRecord<string> Record(string text, string? rights = null, UnixCredentials? from = null)
        => new(System.Text.Encoding.Latin1.GetBytes(text), 0, text.Length, rights, from ?? Alice, null);

    private static string Text(byte[] b, int n) => System.Text.Encoding.Latin1.GetString(b, 0, n);

    [Fact]
    public void ReadStream_AcrossRecords_KeepsByteOrder()
    {
        var q = new ReceiveQueue<string>();
        q.Enqueue(Record("abc"));
        q.Enqueue(Record("defg"));
        var b = new byte[5];

        int n = q.ReadStream(b, false, false, out _, out _, out _);

        Assert.Equal("abcde", Text(b, n));
        Assert.Equal(2, q.Bytes);
        Assert.Equal(1, q.Count);
        Assert.Equal("fg", Text(b, q.ReadStream(b, false, false, out _, out _, out _)));
        Assert.Equal(0, q.Bytes);
    }

    [Fact]
    public void ReadStream_StopsAfterARecordWithFiles_AndHandsThemOutOnce()
    {
        var q = new ReceiveQueue<string>();
        q.Enqueue(Record("ab", rights: "fds"));
        q.Enqueue(Record("cd"));
        var b = new byte[10];

        int n = q.ReadStream(b, false, false, out string? rights, out _, out _);
        int m = q.ReadStream(b, false, false, out string? none, out _, out _);

        Assert.Equal(2, n);
        Assert.Equal("fds", rights);
        Assert.Equal(2, m);
        Assert.Null(none);
    }

    [Fact]
    public void ReadStream_WithCredentialChecks_DoesNotGlueTwoWriters()
    {
        var q = new ReceiveQueue<string>();
        q.Enqueue(Record("ab", from: Alice));
        q.Enqueue(Record("cd", from: Bob));
        var b = new byte[10];

        Assert.Equal(2, q.ReadStream(b, false, true, out _, out UnixCredentials first, out _));
        Assert.Equal(Alice, first);
        Assert.Equal(2, q.ReadStream(b, false, true, out _, out UnixCredentials second, out _));
        Assert.Equal(Bob, second);
    }

    [Fact]
    public void Peek_ConsumesNothing_AndLeavesFilesAttached()
    {
        var q = new ReceiveQueue<string>();
        q.Enqueue(Record("xyz", rights: "fds"));
        var b = new byte[10];

        Assert.Equal(3, q.ReadStream(b, true, false, out string? peeked, out _, out _));
        Assert.Equal("fds", peeked);
        Assert.Equal(3, q.Bytes);
        Assert.Equal(3, q.ReadStream(b, false, false, out string? taken, out _, out _));
        Assert.Equal("fds", taken);
    }

    [Fact]
    public void ReadDatagram_TakesOneRecord_CutToTheBuffer_WithItsWholeLength()
    {
        var q = new ReceiveQueue<string>();
        q.Enqueue(Record("hello"));
        q.Enqueue(Record(""));
        var b = new byte[2];

        SocketRecord<string>? r = q.ReadDatagram(b, false);

        Assert.Equal(5, r!.Length);
        Assert.Equal("he", Text(b, 2));
        Assert.Equal(0, q.ReadDatagram(b, false)!.Length);
        Assert.Null(q.ReadDatagram(b, false));
    }

    [Fact]
    public void Clear_HandsEveryRecordToTheCaller_InOrder()
    {
        var q = new ReceiveQueue<string>();
        for (int i = 0; i < 20; i++) q.Enqueue(Record(i.ToString(), rights: "r" + i));
        var seen = new List<string>();

        q.Clear(r => seen.Add(r.Rights!));

        Assert.Equal(20, seen.Count);
        Assert.Equal("r0", seen[0]);
        Assert.Equal("r19", seen[19]);
        Assert.Equal(0, q.Count);
        Assert.Equal(0, q.Bytes);
    }
}
