// PathParent: a path resolved up to its last component — the directory that
// holds (or would hold) the last name, the name, and whether slashes
// followed it.
using Kevlar.Vfs.Mounts;

namespace Kevlar.Vfs.Paths;

/// <summary>The parent directory of a path's last component, and that component.</summary>
public readonly struct PathParent
{
    public PathParent(Location directory, string name, LastKind kind, bool trailingSlash)
    {
        Directory = directory;
        Name = name;
        Kind = kind;
        TrailingSlash = trailingSlash;
    }

    /// <summary>The directory the last name is looked up in (search permission on it was checked).</summary>
    public Location Directory { get; }
    /// <summary>The last component ("" for LastKind.Root).</summary>
    public string Name { get; }
    public LastKind Kind { get; }
    /// <summary>One or more '/' followed the last component.</summary>
    public bool TrailingSlash { get; }
}
