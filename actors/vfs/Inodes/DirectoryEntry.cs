// DirectoryEntry: one name in a directory, with the cookie that orders it
// for getdents. Cookies only grow, so a cursor stays meaningful however the
// directory changes after it was taken.
namespace Kevlar.Vfs.Inodes;

/// <summary>A name, the inode it names, and its position cookie.</summary>
public sealed class DirectoryEntry
{
    internal DirectoryEntry(string name, Inode inode, long cookie)
    {
        Name = name;
        Inode = inode;
        Cookie = cookie;
    }

    /// <summary>The name (bytes as Latin-1 chars; no '/' or NUL).</summary>
    public string Name { get; }
    /// <summary>The inode named.</summary>
    public Inode Inode { get; internal set; }
    /// <summary>Position: unique in the directory, increasing in insertion order.</summary>
    public long Cookie { get; }
    /// <summary>Set when the name is removed; the entry then stays only until the directory compacts.</summary>
    internal bool Removed { get; set; }
}
