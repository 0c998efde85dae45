// SymlinkInode: a symbolic link (symlink(7)); its contents are the target
// path, and st_size is the target's length.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Vfs.Inodes;

/// <summary>A symbolic link and its target.</summary>
public sealed class SymlinkInode : Inode
{
    internal SymlinkInode(Filesystem filesystem, ulong number, uint uid, uint gid, string target)
        : base(filesystem, number, FileType.S_IFLNK | 0x1FF, uid, gid)
    {
        Target = target;
    }

    /// <summary>The path the link holds (bytes as Latin-1 chars), never empty.</summary>
    public string Target { get; }
    /// <summary>A magic link's destination (procfs's /proc/[pid]/ns/*, Linux's nd_jump_link): a walk
    /// that follows the link goes there instead of resolving Target, which readlink still shows.</summary>
    public Location? Jump { get; set; }
    public override long Size => Target.Length;
}
