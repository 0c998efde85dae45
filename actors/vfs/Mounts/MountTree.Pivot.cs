// MountTree: pivot_root(2)'s move (fs/namespace.c). The mount of the caller's
// root goes to put_old and the mount of new_root takes its place. Linux's
// checks, in its order: -EINVAL when a mount is not this tree's (another
// namespace's, or lazily unmounted: check_mnt); -EBUSY when new_root or put_old is on the root's
// mount; -EINVAL when the root or new_root is not a mount's root or has no
// parent mount (so, as on Linux, the initramfs root itself cannot be pivoted:
// that is what switch_root is for), when put_old is not at or under new_root,
// or when new_root is not under the root.
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Mounts;

public sealed partial class MountTree
{
    /// <summary>
    /// pivot_root from a process whose root is <paramref name="root"/>: 0 or
    /// the first failed check. The caller has resolved both paths to
    /// directories and moves processes' roots and working directories.
    /// </summary>
    public int PivotRoot(Location root, Location newRoot, Location putOld)
    {
        Mount rootMount = root.Mount, newMount = newRoot.Mount;
        if (!Holds(rootMount) || !Holds(newMount) || !Holds(putOld.Mount))
            return -Errno.EINVAL;
        if (ReferenceEquals(newMount, rootMount) || ReferenceEquals(putOld.Mount, rootMount))
            return -Errno.EBUSY;
        if (!root.IsMountRoot || rootMount.Parent == null || !newRoot.IsMountRoot || newMount.Parent == null)
            return -Errno.EINVAL;
        if (!CollectNames(putOld, newRoot, new System.Collections.Generic.List<string>()))
            return -Errno.EINVAL;
        if (!CollectNames(newRoot, root, new System.Collections.Generic.List<string>()))
            return -Errno.EINVAL;
        Mount rootParent = rootMount.Parent;
        DirectoryInode rootPlace = rootMount.Mountpoint!;
        Unhook(newMount);
        Unhook(rootMount);
        Hook(rootMount, putOld.Mount, (DirectoryInode)putOld.Inode);
        Hook(newMount, rootParent, rootPlace);
        return 0;
    }

    private void Unhook(Mount m)
    {
        _covering.Remove(new Location(m.Parent!, m.Mountpoint!));
        m.Parent!.Children.Remove(m);
    }

    // Attaches m on top of whatever already covers the place, as a mount there would stack.
    private void Hook(Mount m, Mount parent, DirectoryInode place)
    {
        Location at = Cross(new Location(parent, place));
        m.Parent = at.Mount;
        m.Mountpoint = (DirectoryInode)at.Inode;
        _covering.Add(at, m);
        at.Mount.Children.Add(m);
    }
}
