// Namespace: the file operations of one mount namespace, over its MountTree
// and PathWalk, with Linux's error rules and times (fs/namei.c, fs/attr.c,
// fs/open.c, mm/shmem.c). One actor owns a Namespace and calls it one
// operation at a time: nothing here blocks, locks or throws; every method
// returns 0 (or a count) or a negated errno.
//
// Callers apply the umask to modes before passing them in. Path operations
// take a PathContext (credentials, root, start directory); operations on an
// already-resolved file take its Location.
//
// This file: construction, lookup and the shared checks (may_create,
// may_delete, the sticky rule) and link-count bookkeeping.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Operations;

/// <summary>Path-based file operations over a mount tree.</summary>
public sealed partial class Namespace
{
    /// <param name="editsKernelNames">True for the private namespace through which procfs, sysfs
    /// or devpts makes and removes its own names (Filesystem.KernelMadeNames).</param>
    public Namespace(MountTree mounts, bool editsKernelNames = false)
    {
        Mounts = mounts;
        Walk = new PathWalk();
        EditsKernelNames = editsKernelNames;
    }

    /// <summary>The tree this namespace was made with (the initial mount namespace). Paths resolve
    /// in whichever tree their context's root and start are in: other mount namespaces, copies
    /// of this one (CLONE_NEWNS), share these operations.</summary>
    public MountTree Mounts { get; }
    /// <summary>Whether this namespace may change names in a KernelMadeNames filesystem.</summary>
    public bool EditsKernelNames { get; }
    public PathWalk Walk { get; }

    /// <summary>stat/lstat: resolves <paramref name="path"/>, following a final symlink when <paramref name="follow"/>.</summary>
    public int Lookup(in PathContext ctx, string path, bool follow, out Location result)
        => Walk.Resolve(ctx, path, follow, out result);

    /// <summary>statfs(2) of the filesystem at <paramref name="at"/>, with the mount's flags in Flags.</summary>
    public static void Statfs(Location at, out StatfsInfo info)
    {
        at.Inode.Filesystem.Statfs(out info);
        uint f = at.Mount.Flags;
        if (at.Mount.IsReadOnly)
            info.Flags |= StatfsInfo.ST_RDONLY;
        if ((f & MountFlags.MS_NOSUID) != 0)
            info.Flags |= StatfsInfo.ST_NOSUID;
        if ((f & MountFlags.MS_NODEV) != 0)
            info.Flags |= StatfsInfo.ST_NODEV;
        if ((f & MountFlags.MS_NOEXEC) != 0)
            info.Flags |= StatfsInfo.ST_NOEXEC;
    }

    // Whether the directory's filesystem lets a non-directory be made in it (IDirectoryHook).
    private bool TakesFiles(DirectoryInode dir)
    {
        IDirectoryHook? hook = dir.Filesystem.DirectoryHook;
        return ChangesNames(dir) && (hook == null || hook.TakesFiles);
    }

    // Whether this caller may make or remove names in the directory: false in a filesystem whose
    // names are the kernel's, unless this is its owner's namespace (the -EPERM of Linux's missing
    // inode operations, checked after may_create/may_delete as vfs_mkdir and vfs_unlink do).
    private bool ChangesNames(DirectoryInode dir) => !dir.Filesystem.KernelMadeNames || EditsKernelNames;

    // procfs's lookup answers -ENOENT for a name it does not have (proc_root_lookup,
    // proc_pident_lookup) where other filesystems give a negative dentry, so creating a name
    // there fails at the lookup, before any permission check.
    private bool MissingNameFails(DirectoryInode dir) => !ChangesNames(dir) && dir.Filesystem.LookupHook != null;

    /// <summary>may_create: the directory is alive (-ENOENT) and writable and searchable (-EACCES).</summary>
    private static int MayCreate(Credentials cred, DirectoryInode dir)
    {
        if (dir.IsDead)
            return -Errno.ENOENT;
        return Permission.Check(cred, dir, FileMode.MAY_WRITE | FileMode.MAY_EXEC);
    }

    /// <summary>
    /// may_delete: -EACCES without write and search on the directory; -EPERM
    /// under the sticky rule; -ENOTDIR / -EISDIR when the victim's type does
    /// not match <paramref name="isDir"/>.
    /// </summary>
    private static int MayDelete(Credentials cred, DirectoryInode dir, Inode victim, bool isDir)
    {
        int r = Permission.Check(cred, dir, FileMode.MAY_WRITE | FileMode.MAY_EXEC);
        if (r < 0)
            return r;
        if (IsStickyProtected(cred, dir, victim))
            return -Errno.EPERM;
        if (isDir && !victim.IsDirectory)
            return -Errno.ENOTDIR;
        if (!isDir && victim.IsDirectory)
            return -Errno.EISDIR;
        return 0;
    }

    /// <summary>check_sticky: in a sticky directory only the file's owner, the directory's owner or CAP_FOWNER may remove a name.</summary>
    private static bool IsStickyProtected(Credentials cred, DirectoryInode dir, Inode victim)
    {
        if ((dir.Mode & FileMode.S_ISVTX) == 0)
            return false;
        if (victim.Uid == cred.Fsuid || dir.Uid == cred.Fsuid)
            return false;
        return !cred.HasCapability(Capability.CAP_FOWNER);
    }

    /// <summary>Adds <paramref name="name"/> → <paramref name="child"/>, counting the link (and the child's ".." for a directory); the directory's mtime and ctime change.</summary>
    private static void AddName(DirectoryInode dir, string name, Inode child)
    {
        dir.Insert(name, child);
        child.LinkCount++;
        if (child is DirectoryInode sub)
        {
            sub.Parent = dir;
            sub.NameInParent = name;
            dir.LinkCount++;
        }
        dir.TouchModify();
    }

    /// <summary>Removes <paramref name="name"/> (a non-directory, or an empty directory), dropping its links and evicting it when unused.</summary>
    private static void RemoveName(DirectoryInode dir, string name, Inode victim)
    {
        dir.Remove(name);
        victim.TouchChange();
        if (victim.IsDirectory)
        {
            victim.LinkCount = 0;
            dir.LinkCount--;
        }
        else
        {
            victim.LinkCount--;
        }
        dir.TouchModify();
        victim.EvictIfUnused();
    }

    /// <summary>The owner of a new inode in <paramref name="dir"/>: the caller's fsuid, and the directory's group when it is setgid (else the fsgid).</summary>
    private static uint NewGid(Credentials cred, DirectoryInode dir)
        => (dir.Mode & FileMode.S_ISGID) != 0 ? dir.Gid : cred.Fsgid;

    /// <summary>inode_init_owner's mode rules: a directory in a setgid directory is setgid; a group-executable setgid file loses S_ISGID when its creator is not in its group.</summary>
    private static uint NewMode(Credentials cred, DirectoryInode dir, uint mode, uint gid, bool isDir)
    {
        if (isDir && (dir.Mode & FileMode.S_ISGID) != 0)
            return mode | FileMode.S_ISGID;
        if (!isDir && (mode & (FileMode.S_ISGID | FileMode.S_IXGRP)) == (FileMode.S_ISGID | FileMode.S_IXGRP)
            && !cred.InGroup(gid) && !cred.HasCapability(Capability.CAP_FSETID))
            return mode & ~FileMode.S_ISGID;
        return mode;
    }
}
