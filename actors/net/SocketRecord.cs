// SocketRecord: one message in a socket's receive queue — what Linux keeps
// as an skb: its bytes, the sender's credentials, the sender's address (a
// datagram's source), and the files an SCM_RIGHTS message carries in flight
// (TRights, so this project needs no file type). A stream read may take a
// record in parts (Offset, Length move); a datagram read takes it whole.
namespace Kevlar.Net;

public sealed class SocketRecord<TRights> where TRights : class
{
    /// <summary>The bytes; [Offset, Offset + Length) are still unread.</summary>
    public readonly byte[] Data;
    public int Offset;
    public int Length;
    /// <summary>The files in flight with this record; detached (set null) by the first read that
    /// takes any of its bytes, so they are delivered once.</summary>
    public TRights? Rights;
    public readonly UnixCredentials Credentials;
    /// <summary>The sender's bound address when it sent (recvfrom's address); null for unnamed.</summary>
    public readonly UnixAddress? Source;

    public SocketRecord(byte[] data, int offset, int length, TRights? rights, UnixCredentials credentials, UnixAddress? source)
    {
        Data = data;
        Offset = offset;
        Length = length;
        Rights = rights;
        Credentials = credentials;
        Source = source;
    }
}
