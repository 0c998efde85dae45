// SpecialInode: a character or block device node, FIFO or socket. The node
// holds only attributes; the device, pipe or socket behind it lives elsewhere.
using Kevlar.Vfs.Filesystems;

namespace Kevlar.Vfs.Inodes;

/// <summary>A device node (RawDevice names the device), FIFO or socket.</summary>
public sealed class SpecialInode : Inode
{
    internal SpecialInode(Filesystem filesystem, ulong number, uint mode, uint uid, uint gid, ulong rawDevice)
        : base(filesystem, number, mode, uid, gid)
    {
        RawDevice = rawDevice;
    }
}
