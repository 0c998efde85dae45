// PathContext: what a path is resolved against — who asks, the process's
// root (chroot; ".." stops there and absolute paths and symlinks start
// there), and where relative paths start (the cwd or a dirfd's directory).
using Kevlar.Vfs.Mounts;

namespace Kevlar.Vfs.Paths;

/// <summary>Credentials, root and starting directory of a lookup.</summary>
public readonly struct PathContext
{
    public PathContext(Credentials credentials, Location root, Location start, int callerPid = 0)
    {
        Credentials = credentials;
        Root = root;
        Start = start;
        CallerPid = callerPid;
    }

    public Credentials Credentials { get; }
    public Location Root { get; }
    public Location Start { get; }
    /// <summary>The asking process (what /proc/self names); 0 for the kernel.</summary>
    public int CallerPid { get; }

    /// <summary>The same caller and root, starting at <paramref name="start"/>.</summary>
    public PathContext At(Location start) => new PathContext(Credentials, Root, start, CallerPid);
}
