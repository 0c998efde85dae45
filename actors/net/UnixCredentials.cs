// UnixCredentials: struct ucred (12 bytes: pid, uid, gid), what SO_PEERCRED
// reports and SCM_CREDENTIALS carries.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public readonly struct UnixCredentials : IEquatable<UnixCredentials>
{
    public const int Size = 12;
    public readonly int Pid;
    public readonly uint Uid, Gid;

    public UnixCredentials(int pid, uint uid, uint gid)
    {
        Pid = pid;
        Uid = uid;
        Gid = gid;
    }

    /// <summary>What Linux reports when there is no peer: pid 0 and the overflow ids (65534).</summary>
    public static UnixCredentials None => new UnixCredentials(0, 65534, 65534);

    public void Write(Span<byte> dest)
    {
        BinaryPrimitives.WriteInt32LittleEndian(dest, Pid);
        BinaryPrimitives.WriteUInt32LittleEndian(dest.Slice(4), Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(dest.Slice(8), Gid);
    }

    public static UnixCredentials Read(ReadOnlySpan<byte> src)
        => new UnixCredentials(BinaryPrimitives.ReadInt32LittleEndian(src),
            BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(4)), BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(8)));

    public bool Equals(UnixCredentials other) => Pid == other.Pid && Uid == other.Uid && Gid == other.Gid;

    public override bool Equals(object? obj) => obj is UnixCredentials c && Equals(c);

    public override int GetHashCode() => Pid ^ (int)(Uid * 31) ^ (int)(Gid * 17);
}
