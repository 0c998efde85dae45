// MountUsers: whether some process still uses a mount or a filesystem — its
// working directory, its root, or an open file of the VfsActor's is there —
// which makes umount2 without MNT_DETACH -EBUSY, as Linux's mount reference
// count does, and keeps an unmounted filesystem's pages. Runs on the VfsActor
// and reads processes' Cwd, Root and fd tables without a message, as procfs
// does (docs/decisions.md): a process changing directory at that moment may
// be seen either side of the change. Not seen: memory mappings of files and
// the executable's own file (Linux counts them).
using System.Collections.Generic;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Process.Files.Vfs;

public static class MountUsers
{
    /// <summary>True when a live process's cwd, root or an open file is on <paramref name="mount"/>.</summary>
    public static bool InUse(ProcessHost host, Mount mount) => AnyUser(host, mount, null);

    /// <summary>True when a live process's cwd, root or an open file is in <paramref name="fs"/>, through any mount.</summary>
    public static bool InUse(ProcessHost host, Filesystem fs) => AnyUser(host, null, fs);

    /// <summary>
    /// Filesystems whose last mount went (umount, a namespace's end): a tmpfs
    /// that mount(2) made (Tmpfs.GoesWithLastMount) is gone once no process uses
    /// it, and its pages go back to the shared budget (Tmpfs.Retire). One still
    /// in use — a lazy umount's working directory or open file inside — keeps
    /// them charged for good (Linux frees it at its last reference; nothing here
    /// counts those). The boot filesystems (the root, devtmpfs, proc, sysfs,
    /// devpts) are made once and mounted again by later mounts, so they stay.
    /// </summary>
    public static void RetireUnused(ProcessHost host, List<Filesystem> unmounted)
    {
        for (int i = 0; i < unmounted.Count; i++)
        {
            if (unmounted[i] is Tmpfs { GoesWithLastMount: true } tmpfs && !InUse(host, tmpfs))
                tmpfs.Retire();
        }
    }

    // Whether a live process uses mount (when not null) or fs.
    private static bool AnyUser(ProcessHost host, Mount? mount, Filesystem? fs)
    {
        UserProcess[] live = host.Table.Snapshot;
        for (int i = 0; i < live.Length; i++)
        {
            UserProcess p = live[i];
            if (p == null || p.Exited) continue;
            if (On(p.Cwd, mount, fs) || On(p.Root, mount, fs)) return true;
            if (HasFileOn(p.Files, mount, fs)) return true;
        }
        return false;
    }

    private static bool On(Location at, Mount? mount, Filesystem? fs)
        => mount != null ? ReferenceEquals(at.Mount, mount) : ReferenceEquals(at.Inode.Filesystem, fs);

    private static bool HasFileOn(FileDescriptorTable table, Mount? mount, Filesystem? fs)
    {
        int count = table.Count;
        for (int fd = 0; fd < count; fd++)
        {
            var f = table.Get(fd) as VfsFile;
            if (f != null && On(f.Location, mount, fs)) return true;
        }
        return false;
    }
}
