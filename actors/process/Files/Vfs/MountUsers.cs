// MountUsers: whether some process still uses a mount — its working
// directory, its root, or an open file of the VfsActor's is there — which
// makes umount2 without MNT_DETACH -EBUSY, as Linux's mount reference count
// does. Runs on the VfsActor and reads processes' Cwd, Root and fd tables
// without a message, as procfs does (docs/decisions.md): a process changing
// directory at that moment may be seen either side of the change. Not seen:
// memory mappings of files and the executable's own file (Linux counts them).
using Kevlar.Vfs.Mounts;

namespace Kevlar.Process.Files.Vfs;

public static class MountUsers
{
    /// <summary>True when a live process's cwd, root or an open file is on <paramref name="mount"/>.</summary>
    public static bool InUse(ProcessHost host, Mount mount)
    {
        UserProcess[] live = host.Table.Snapshot;
        for (int i = 0; i < live.Length; i++)
        {
            UserProcess p = live[i];
            if (p == null || p.Exited) continue;
            if (ReferenceEquals(p.Cwd.Mount, mount) || ReferenceEquals(p.Root.Mount, mount)) return true;
            if (HasFileOn(p.Files, mount)) return true;
        }
        return false;
    }

    private static bool HasFileOn(FileDescriptorTable table, Mount mount)
    {
        int count = table.Count;
        for (int fd = 0; fd < count; fd++)
        {
            var f = table.Get(fd) as VfsFile;
            if (f != null && ReferenceEquals(f.Location.Mount, mount)) return true;
        }
        return false;
    }
}
