// MountTree: every mount of one mount namespace. Mounts are found by the
// (parent mount, directory) they cover; mounting on a place that is already
// covered is done by resolving to the top mount first, which stacks the new
// one on its root, as Linux does. Mount order is kept for /proc/mounts.
using System.Collections.Generic;
using System.Text;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Mounts;

/// <summary>The mounts of a namespace: attach, detach, cross, and print paths.</summary>
public sealed partial class MountTree
{
    private readonly Dictionary<Location, Mount> _covering = new Dictionary<Location, Mount>();
    private readonly List<Mount> _inOrder = new List<Mount>();
    private int _nextId = 1;

    /// <summary>A tree whose root mount shows <paramref name="rootFs"/>'s root.</summary>
    public MountTree(Filesystem rootFs, string source, uint flags = 0)
    {
        RootMount = new Mount(_nextId++, rootFs, rootFs.Root, null, null, flags, source);
        _inOrder.Add(RootMount);
    }

    public Mount RootMount { get; }
    /// <summary>The root of the whole tree.</summary>
    public Location Root => new Location(RootMount, RootMount.Root);
    /// <summary>Number of mounts.</summary>
    public int Count => _inOrder.Count;
    /// <summary>The <paramref name="index"/>th mount in mount order (0 is the root mount).</summary>
    public Mount this[int index] => _inOrder[index];

    /// <summary>
    /// Attaches <paramref name="fs"/>'s root at <paramref name="at"/>. 0;
    /// -ENOTDIR when <paramref name="at"/> is not a directory; -EBUSY when
    /// something is already mounted exactly there (resolve to the top first);
    /// -ENOENT when the directory has been removed.
    /// </summary>
    public int Attach(Location at, Filesystem fs, uint flags, string source, out Mount? mount)
        => Attach(at, fs, fs.Root, flags, source, out mount);

    /// <summary>
    /// Attaches directory <paramref name="root"/> of <paramref name="fs"/> at
    /// <paramref name="at"/> (a bind mount shows a directory other than the
    /// filesystem's root); errors as the overload above.
    /// </summary>
    public int Attach(Location at, Filesystem fs, DirectoryInode root, uint flags, string source, out Mount? mount)
    {
        mount = null;
        if (at.Mount.Detached)
            return -Errno.EINVAL;
        if (at.Inode is not DirectoryInode dir)
            return -Errno.ENOTDIR;
        if (dir.IsDead)
            return -Errno.ENOENT;
        if (_covering.ContainsKey(at))
            return -Errno.EBUSY;
        mount = new Mount(_nextId++, fs, root, at.Mount, dir, flags, source);
        _covering.Add(at, mount);
        at.Mount.Children.Add(mount);
        _inOrder.Add(mount);
        return 0;
    }

    /// <summary>
    /// Detaches the mount whose root <paramref name="at"/> is. 0; -EINVAL when
    /// <paramref name="at"/> is not a mount's root; -EBUSY for the tree's root
    /// mount or a mount with mounts inside it. Open files are the caller's to check.
    /// </summary>
    public int Detach(Location at)
    {
        Mount m = at.Mount;
        if (!at.IsMountRoot || m.Detached)
            return -Errno.EINVAL;
        if (m.Parent == null || m.Children.Count != 0)
            return -Errno.EBUSY;
        _covering.Remove(new Location(m.Parent, m.Mountpoint!));
        m.Parent.Children.Remove(m);
        _inOrder.Remove(m);
        m.Detached = true;
        return 0;
    }

    /// <summary>
    /// umount2's MNT_DETACH: detaches the mount whose root <paramref name="at"/>
    /// is together with every mount inside it (innermost first). 0; -EINVAL
    /// when <paramref name="at"/> is not a mount's root; -EBUSY for the tree's
    /// root mount. Open files and working directories inside keep their
    /// Locations and go on working, unreachable by path, as Linux's lazy umount.
    /// </summary>
    public int DetachTree(Location at)
    {
        if (!at.IsMountRoot || at.Mount.Detached)
            return -Errno.EINVAL;
        if (at.Mount.Parent == null)
            return -Errno.EBUSY;
        DetachWithChildren(at.Mount);
        return 0;
    }

    private void DetachWithChildren(Mount m)
    {
        while (m.Children.Count != 0)
            DetachWithChildren(m.Children[m.Children.Count - 1]);
        Detach(new Location(m, m.Root));
    }

    /// <summary>True when <paramref name="mount"/> has mounts attached inside it.</summary>
    public bool HasChildren(Mount mount) => mount.Children.Count != 0;

    /// <summary>True when a mount covers <paramref name="inode"/> as seen through <paramref name="mount"/>.</summary>
    public bool IsMountpoint(Mount mount, Inode inode) => _covering.ContainsKey(new Location(mount, inode));

    /// <summary>Follows mounts stacked on <paramref name="at"/> to the top one's root.</summary>
    public Location Cross(Location at)
    {
        while (_covering.TryGetValue(at, out Mount? m))
            at = new Location(m, m.Root);
        return at;
    }
}
