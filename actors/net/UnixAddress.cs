// UnixAddress: a bound AF_UNIX name (unix(7)) — a filesystem path, an
// abstract name (sun_path[0] == 0), or unnamed — with the sockaddr_un
// length Linux reports for it. struct sockaddr_un is 110 bytes: a 2-byte
// sun_family, then 108 bytes of sun_path.
//
// Lengths, as Linux's unix_mkname_bsd and getname give them:
//   unnamed   2 (sizeof(sa_family_t))
//   path      2 + strlen(path) + 1 (the terminating NUL counted even when the
//             caller passed none)
//   abstract  exactly the length passed to bind (the name is every byte after
//             the leading NUL, NULs included)
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public sealed class UnixAddress : SocketAddress
{
    /// <summary>offsetof(struct sockaddr_un, sun_path).</summary>
    public const int PathOffset = 2;
    /// <summary>sizeof(struct sockaddr_un).</summary>
    public const int MaxLength = 110;
    /// <summary>sizeof(struct sockaddr_storage): the most any socket call copies in (-EINVAL above).</summary>
    public const int StorageLength = 128;

    /// <summary>The unnamed address (a socketpair end, an unbound socket).</summary>
    public static readonly UnixAddress Unnamed = new UnixAddress(false, Array.Empty<byte>());

    /// <summary>True for an abstract name; false for a path (or unnamed, when Name is empty).</summary>
    public readonly bool IsAbstract;
    /// <summary>The path's bytes without its NUL, or the abstract name's bytes after the leading NUL.</summary>
    public readonly byte[] Name;

    private UnixAddress(bool isAbstract, byte[] name)
    {
        IsAbstract = isAbstract;
        Name = name;
    }

    public static UnixAddress Abstract(byte[] name) => new UnixAddress(true, name);

    public bool IsUnnamed => !IsAbstract && Name.Length == 0;
    public bool IsPath => !IsAbstract && Name.Length > 0;

    /// <summary>The sockaddr_un length getsockname reports.</summary>
    public override int Length => IsUnnamed ? PathOffset : IsAbstract ? PathOffset + 1 + Name.Length : PathOffset + Name.Length + 1;

    /// <summary>Decodes a sockaddr_un of <paramref name="length"/> bytes (unix_validate_addr then
    /// unix_mkname_bsd): 0 with the address, or -EINVAL for a length outside (2, 110] or a family
    /// other than AF_UNIX.</summary>
    public static int Parse(ReadOnlySpan<byte> sockaddr, out UnixAddress address)
    {
        address = Unnamed;
        if (sockaddr.Length <= PathOffset || sockaddr.Length > MaxLength) return -Errno.EINVAL;
        if (BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) != SocketConstants.AF_UNIX) return -Errno.EINVAL;
        ReadOnlySpan<byte> path = sockaddr.Slice(PathOffset);
        if (path[0] == 0)
        {
            address = new UnixAddress(true, Copy(path.Slice(1)));
            return 0;
        }
        int end = 0;
        while (end < path.Length && path[end] != 0) end++;
        address = new UnixAddress(false, Copy(path.Slice(0, end)));
        return 0;
    }

    /// <summary>Writes the sockaddr_un into <paramref name="dest"/> (at least Length bytes).</summary>
    public override void Write(Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(dest, SocketConstants.AF_UNIX);
        if (IsUnnamed) return;
        int at = PathOffset;
        if (IsAbstract) dest[at++] = 0;
        new ReadOnlySpan<byte>(Name).CopyTo(dest.Slice(at));
        if (!IsAbstract) dest[at + Name.Length] = 0;
    }

    /// <summary>Whether two addresses name the same thing.</summary>
    public bool SameAs(UnixAddress other)
    {
        if (IsAbstract != other.IsAbstract || Name.Length != other.Name.Length) return false;
        for (int i = 0; i < Name.Length; i++)
            if (Name[i] != other.Name[i]) return false;
        return true;
    }

    private static byte[] Copy(ReadOnlySpan<byte> bytes)
    {
        var copy = new byte[bytes.Length];
        bytes.CopyTo(copy);
        return copy;
    }
}
