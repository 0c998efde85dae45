// Credentials: the identity a filesystem operation runs as — Linux's fsuid,
// fsgid and supplementary groups (credentials(7)). Capabilities follow the
// fsuid as Linux's cap_emulate_setxuid makes them: fsuid 0 holds the
// filesystem capabilities, any other fsuid none.
using System;

namespace Kevlar.Vfs;

/// <summary>Who is asking: fsuid, fsgid and supplementary groups. Immutable.</summary>
public sealed class Credentials
{
    private readonly uint[] _groups;

    public Credentials(uint fsuid, uint fsgid, uint[]? groups = null)
    {
        Fsuid = fsuid;
        Fsgid = fsgid;
        _groups = groups ?? new uint[0];
    }

    /// <summary>uid 0, gid 0, no supplementary groups.</summary>
    // Made on first use, not in a static constructor: on metal a cctor that constructs its own
    // type re-enters the cctor check and spins (runtime/corlib ClassConstructorRunner).
    public static Credentials Root => s_root ??= new Credentials(0, 0);
    private static Credentials? s_root;

    /// <summary>Filesystem user id: owner of new files, compared with an inode's owner.</summary>
    public uint Fsuid { get; }
    /// <summary>Filesystem group id: group of new files (unless the directory is setgid).</summary>
    public uint Fsgid { get; }
    /// <summary>Supplementary groups (a copy is not made: callers must not change the array).</summary>
    public ReadOnlySpan<uint> Groups => _groups;

    /// <summary>fsuid 0: holds every filesystem capability.</summary>
    public bool IsRoot => Fsuid == 0;

    /// <summary>Whether the caller holds <paramref name="capability"/> (all of them for fsuid 0, none otherwise).</summary>
    public bool HasCapability(Capability capability) => IsRoot;

    /// <summary>The same fsuid, fsgid and groups (Linux compares the cred pointer: a process that
    /// changed its ids since has new credentials).</summary>
    public bool SameAs(Credentials other)
    {
        if (Fsuid != other.Fsuid || Fsgid != other.Fsgid || _groups.Length != other._groups.Length)
            return false;
        for (int i = 0; i < _groups.Length; i++)
            if (_groups[i] != other._groups[i])
                return false;
        return true;
    }

    /// <summary>Linux in_group_p: <paramref name="gid"/> is the fsgid or a supplementary group.</summary>
    public bool InGroup(uint gid)
    {
        if (gid == Fsgid)
            return true;
        for (int i = 0; i < _groups.Length; i++)
            if (_groups[i] == gid)
                return true;
        return false;
    }
}
