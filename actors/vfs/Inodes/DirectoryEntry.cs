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
    internal bool Removed { get; private set; }

    /// <summary>The name is gone: the entry stays behind as a position for getdents cursors
    /// (until the directory compacts), and lets go of its inode. Holding it kept an unlinked file's
    /// pages, or a removed directory's whole tree, alive while the directory had up to 32 such
    /// entries (found by the fuzzer's leak check: its removed sandbox, held from /tmp).</summary>
    internal void MarkRemoved()
    {
        Removed = true;
        Inode = null!;
    }
}
