// MountTree: every mount of one mount namespace. Mounts are found by the
// (parent mount, directory) they cover; mounting on a place that is already
// covered is done by resolving to the top mount first, which stacks the new
// one on its root, as Linux does. Mount order is kept for /proc/mounts.
// CLONE_NEWNS copies a tree (Copy): the copy's mounts show the same
// filesystems, so files are shared, but mounting and unmounting in one tree
// does not show in the other (every mount is private: no propagation).
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Mounts;

/// <summary>The mounts of a namespace: attach, detach, cross, and print paths.</summary>
public sealed partial class MountTree
{
    private readonly Dictionary<Location, Mount> _covering = new Dictionary<Location, Mount>();
    private readonly List<Mount> _inOrder = new List<Mount>();
    // Shared by a tree and its copies, so a mount id names one mount among them (Linux's are global).
    private readonly IdSource _ids;

    /// <summary>A tree whose root mount shows <paramref name="rootFs"/>'s root.</summary>
    public MountTree(Filesystem rootFs, string source, uint flags = 0)
        : this(new IdSource(), rootFs, rootFs.Root, flags, source)
    {
    }

    private MountTree(IdSource ids, Filesystem rootFs, DirectoryInode root, uint flags, string source)
    {
        _ids = ids;
        RootMount = new Mount(this, _ids.Next++, rootFs, root, null, null, flags, source);
        _inOrder.Add(RootMount);
        rootFs.MountCount++;
    }

    // Processes whose namespace this is (Join/Leave; any CPU).
    private int _users;

    /// <summary>The namespace's inode number in nsfs ("mnt:[N]" in /proc/[pid]/ns/mnt); 0 until the
    /// process layer gives it one.</summary>
    public ulong NamespaceInode { get; set; }

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
        if (!Holds(at.Mount))
            return -Errno.EINVAL;
        if (at.Inode is not DirectoryInode dir)
            return -Errno.ENOTDIR;
        if (dir.IsDead)
            return -Errno.ENOENT;
        if (_covering.ContainsKey(at))
            return -Errno.EBUSY;
        mount = new Mount(this, _ids.Next++, fs, root, at.Mount, dir, flags, source);
        _covering.Add(at, mount);
        at.Mount.Children.Add(mount);
        _inOrder.Add(mount);
        fs.MountCount++;
        return 0;
    }

    /// <summary>Linux's check_mnt: <paramref name="mount"/> is one of this tree's and not lazily
    /// unmounted. Mount operations elsewhere (another namespace's mount, reached through a
    /// directory fd opened before an unshare; a detached tree) are -EINVAL.</summary>
    public bool Holds(Mount mount) => ReferenceEquals(mount.Tree, this) && !mount.Detached;

    /// <summary>
    /// Detaches the mount whose root <paramref name="at"/> is. 0; -EINVAL when
    /// <paramref name="at"/> is not a mount's root or not in this tree;
    /// -EBUSY for the tree's root mount or a mount with mounts inside it. Open files are the caller's to check.
    /// A filesystem left with no mount anywhere goes into <paramref name="unmounted"/>.
    /// </summary>
    public int Detach(Location at, List<Filesystem>? unmounted = null)
    {
        Mount m = at.Mount;
        if (!at.IsMountRoot || !Holds(m))
            return -Errno.EINVAL;
        if (m.Parent == null || m.Children.Count != 0)
            return -Errno.EBUSY;
        _covering.Remove(new Location(m.Parent, m.Mountpoint!));
        m.Parent.Children.Remove(m);
        Forget(m, unmounted);
        return 0;
    }

    // m leaves the mount order and its filesystem's count.
    private void Forget(Mount m, List<Filesystem>? unmounted)
    {
        _inOrder.Remove(m);
        m.Detached = true;
        if (--m.Filesystem.MountCount == 0)
            unmounted?.Add(m.Filesystem);
    }

    /// <summary>
    /// umount2's MNT_DETACH: detaches the mount whose root <paramref name="at"/>
    /// is together with every mount inside it (innermost first). 0; -EINVAL
    /// when <paramref name="at"/> is not a mount's root; -EBUSY for the tree's
    /// root mount. Open files and working directories inside keep their
    /// Locations and go on working, unreachable by path, as Linux's lazy umount.
    /// </summary>
    public int DetachTree(Location at, List<Filesystem>? unmounted = null)
    {
        if (!at.IsMountRoot || !Holds(at.Mount))
            return -Errno.EINVAL;
        if (at.Mount.Parent == null)
            return -Errno.EBUSY;
        DetachWithChildren(at.Mount, unmounted);
        return 0;
    }

    private void DetachWithChildren(Mount m, List<Filesystem>? unmounted)
    {
        while (m.Children.Count != 0)
            DetachWithChildren(m.Children[m.Children.Count - 1], unmounted);
        Detach(new Location(m, m.Root), unmounted);
    }

    /// <summary>The machine's first namespace: never taken down, so its processes are not counted
    /// (no shared counter touched by every fork and exit).</summary>
    public bool Lasting { get; set; }

    // A plain counter, not a protocol step: no scheduling point (Interlocked, not Atomic), so forks
    // do not grow every Coyote schedule. Its users are the processes in the namespace and the open
    // descriptions of its nsfs file. Only the last Leave acts; a namespace taken down is joined
    // again only through a zombie's /proc ns link, and then stays empty (TearDown is idempotent).

    /// <summary>A process enters this namespace (any CPU).</summary>
    public void Join()
    {
        if (!Lasting)
            Interlocked.Increment(ref _users);
    }

    /// <summary>A process leaves this namespace (exit, unshare, setns; any CPU): true for the last
    /// one, whose caller then has the tree's owner call TearDown.</summary>
    public bool Leave() => !Lasting && Interlocked.Decrement(ref _users) == 0;

    /// <summary>
    /// put_mnt_ns: the namespace's last process is gone, so every mount goes, as
    /// a lazy umount of the whole tree would take them (open files and working
    /// directories inside keep working). Filesystems left with no mount anywhere
    /// go into <paramref name="unmounted"/>. An open nsfs file of the namespace
    /// counts as a user, so this waits for its last close.
    /// </summary>
    public void TearDown(List<Filesystem>? unmounted = null)
    {
        if (RootMount.Detached)
            return;
        while (RootMount.Children.Count != 0)
            DetachWithChildren(RootMount.Children[RootMount.Children.Count - 1], unmounted);
        Forget(RootMount, unmounted);
    }

    /// <summary>True when <paramref name="mount"/> has mounts attached inside it.</summary>
    public bool HasChildren(Mount mount) => mount.Children.Count != 0;

    /// <summary>True when a mount covers <paramref name="inode"/> as seen through <paramref name="mount"/>.</summary>
    public bool IsMountpoint(Mount mount, Inode inode) => _covering.ContainsKey(new Location(mount, inode));

    /// <summary>
    /// CLONE_NEWNS's copy_tree: a new tree with a copy of each of this tree's
    /// mounts (same filesystem, root directory, flags and source; new ids in
    /// depth-first order, which is the copy's mount order), each attached to
    /// the copy of its parent at the same directory. Lazily unmounted mounts
    /// are not in the tree and are not copied. <paramref name="copies"/> gets
    /// each mount's copy, to move roots and working directories across.
    /// </summary>
    public MountTree Copy(Dictionary<Mount, Mount> copies)
    {
        var copy = new MountTree(_ids, RootMount.Filesystem, RootMount.Root, RootMount.Flags, RootMount.Source);
        copies.Add(RootMount, copy.RootMount);
        copy.CopyChildren(RootMount, copies);
        return copy;
    }

    private void CopyChildren(Mount from, Dictionary<Mount, Mount> copies)
    {
        Mount parent = copies[from];
        for (int i = 0; i < from.Children.Count; i++)
        {
            Mount child = from.Children[i];
            var made = new Mount(this, _ids.Next++, child.Filesystem, child.Root, parent, child.Mountpoint, child.Flags, child.Source);
            _covering.Add(new Location(parent, child.Mountpoint!), made);
            parent.Children.Add(made);
            _inOrder.Add(made);
            child.Filesystem.MountCount++;
            copies.Add(child, made);
            CopyChildren(child, copies);
        }
    }

    /// <summary>The copy in <paramref name="copies"/> of <paramref name="at"/>'s mount at the same
    /// directory; <paramref name="at"/> itself when its mount was not copied (lazily unmounted).</summary>
    public static Location CopyOf(Location at, Dictionary<Mount, Mount> copies)
        => copies.TryGetValue(at.Mount, out Mount? m) ? new Location(m, at.Inode) : at;

    /// <summary>Follows mounts stacked on <paramref name="at"/> to the top one's root.</summary>
    public Location Cross(Location at)
    {
        while (_covering.TryGetValue(at, out Mount? m))
            at = new Location(m, m.Root);
        return at;
    }

    private sealed class IdSource
    {
        public int Next = 1;
    }
}
