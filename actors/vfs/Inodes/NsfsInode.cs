// NsfsInode: one namespace as a file (Nsfs): mode 0444 regular, one link, no
// contents. It is never in a directory, so it lives while a magic link or an
// open file refers to it.
using Kevlar.Vfs.Filesystems;

namespace Kevlar.Vfs.Inodes;

public sealed class NsfsInode : Inode
{
    internal NsfsInode(Nsfs filesystem, ulong number, object ns)
        : base(filesystem, number, FileType.S_IFREG | 0x124, 0, 0)
    {
        Namespace = ns;
        LinkCount = 1; // nsfs's i_nlink: never evicted by an fd's last close
    }

    /// <summary>The namespace object (the process layer's UTS namespace, a MountTree, ...).</summary>
    public object Namespace { get; }
}
