// Location: where a path leads — an inode as seen through a mount (Linux's
// struct path). The same inode can be reached through different mounts,
// and ".." and mount crossing depend on which.
using System;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Mounts;

/// <summary>A (mount, inode) pair.</summary>
public readonly struct Location : IEquatable<Location>
{
    public Location(Mount mount, Inode inode)
    {
        Mount = mount;
        Inode = inode;
    }

    public Mount Mount { get; }
    public Inode Inode { get; }

    /// <summary>True when this is the root of its mount.</summary>
    public bool IsMountRoot => ReferenceEquals(Inode, Mount.Root);

    public bool Equals(Location other) => ReferenceEquals(Mount, other.Mount) && ReferenceEquals(Inode, other.Inode);
    public override bool Equals(object? obj) => obj is Location l && Equals(l);
    public override int GetHashCode() => Mount.GetHashCode() * 31 + Inode.GetHashCode();
    public static bool operator ==(Location a, Location b) => a.Equals(b);
    public static bool operator !=(Location a, Location b) => !a.Equals(b);
}
