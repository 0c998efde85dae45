// mount(2), umount2(2): attach and detach filesystems in the caller's mount
// namespace, a tree the VfsActor owns (fs/namespace.c's order of checks). A
// place in another namespace or in a lazily unmounted tree is -EINVAL
// (check_mnt). mount copies the type, source and
// data strings (-EFAULT), resolves the target (-ENOENT, -ENOTDIR, -ELOOP,
// -EACCES), then needs root (-EPERM) and does one of:
//   MS_REMOUNT|MS_BIND  change a mount's flags (-EINVAL when not a mount's root);
//   MS_REMOUNT          the same, and the filesystem's: read-only, tmpfs limits, devpts modes;
//   MS_BIND             show the source directory at the target (directories only:
//                       a file bind is -EINVAL here, where Linux allows it);
//   MS_PRIVATE          accepted on a mount's root: every mount here is private;
//   MS_SHARED, MS_SLAVE, MS_UNBINDABLE, MS_MOVE  -EINVAL (not supported);
//   otherwise           a new mount of tmpfs, devtmpfs, devpts, proc or sysfs (-ENODEV for
//                       another type, -EINVAL for a bad option or no type, -EBUSY
//                       for the same filesystem already on top there).
// umount2 checks its flags (-EINVAL), needs root (-EPERM), resolves the path
// (UMOUNT_NOFOLLOW: the last symlink is not followed), then: -EINVAL when not
// a mount's root; -EBUSY for the root mount, a mount with mounts inside, or a
// mount a process uses (cwd, root, open file: MountUsers) — all but the first
// lifted by MNT_DETACH, which detaches the whole subtree lazily; MNT_EXPIRE
// marks an idle mount (-EAGAIN) and unmounts it on the second call; MNT_FORCE
// changes nothing for in-memory filesystems (Linux asks the filesystem's
// umount_begin, which tmpfs lacks). A tmpfs left with no mount and no user
// gives its pages back to the shared budget (MountUsers.RetireUnused). pivot_root(2) is PivotRoot.cs.
using Kevlar.Process.Files;
using Kevlar.Process.Memory;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Text;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;
using VfsMount = Kevlar.Vfs.Mounts.Mount;

namespace Kevlar.Process.Syscalls;

public static class MountCall
{
    public const ulong MS_REMOUNT = 32, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
        MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
        MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24, MS_NOUSER = 1UL << 31,
        MS_MGC_VAL = 0xC0ED0000, MS_MGC_MSK = 0xFFFF0000;
    public const int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

    private const int PageSize = 4096;

    public static KernelTask<long> InvokeMount(UserThread t, SyscallArgs a)
    {
        UserProcess p = t.Process;
        ulong flags = a.Size(3);
        if ((flags & MS_MGC_MSK) == MS_MGC_VAL) flags &= ~MS_MGC_MSK;
        int r = ReadStrings(p, a, out string? type, out string? source, out string data);
        if (r != 0) return KernelTask<long>.FromResult(r);
        r = PathLookup.Prepare(p, PathLookup.AT_FDCWD, a.Pointer(1), out string target, out PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        VfsActor vfs = p.Host.Vfs;
        bool root = p.Euid == 0;
        MountTree mounts = p.Mounts;
        Kevlar.Cgroups.Cgroup cgroupRoot = t.Cgroups.Root;
        Namespaces.PidNamespace pids = t.Process.PidNs;
        return vfs.Run(t, () =>
        {
            int e = vfs.Namespace.Lookup(ctx, target, true, out Location at);
            if (e != 0) return e;
            if (!root) return -Errno.EPERM;
            if ((flags & MS_NOUSER) != 0) return -Errno.EINVAL;
            return Dispatch(vfs, mounts, cgroupRoot, pids, ctx, at, flags, type, source ?? "none", data);
        });
    }

    private static int Dispatch(VfsActor vfs, MountTree mounts, Kevlar.Cgroups.Cgroup cgroupRoot, Namespaces.PidNamespace pids, in PathContext ctx, Location at, ulong flags,
        string? type, string source, string data)
    {
        uint perMount = (uint)flags & MountFlags.PerMount;
        if (!mounts.Holds(at.Mount)) return -Errno.EINVAL;
        if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) return Reconfigure(at, perMount, flags);
        if ((flags & MS_REMOUNT) != 0) return Remount(vfs.Types, at, perMount, flags, data);
        if ((flags & MS_BIND) != 0) return Bind(vfs.Namespace, mounts, ctx, at, source);
        if ((flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) != 0)
            return (flags & (MS_SHARED | MS_SLAVE | MS_UNBINDABLE)) == 0 && at.IsMountRoot ? 0 : -Errno.EINVAL;
        if ((flags & MS_MOVE) != 0) return -Errno.EINVAL;
        if (type == null) return -Errno.EINVAL;
        return NewMount(vfs, mounts, cgroupRoot, pids, at, perMount, type, source, data);
    }

    // cgroup2 shows the caller's cgroup namespace's root cgroup at the mount's root, proc the
    // processes of the caller's PID namespace.
    private static int NewMount(VfsActor vfs, MountTree mounts, Kevlar.Cgroups.Cgroup cgroupRoot, Namespaces.PidNamespace pids, Location at,
        uint perMount, string type, string source, string data)
    {
        int e = vfs.Types.Make(type, data, out Filesystem? fs, out bool readOnly, pids);
        if (e != 0) return e;
        Kevlar.Vfs.Inodes.DirectoryInode? shown = fs!.Root;
        if (ReferenceEquals(fs, vfs.Types.Cgroups!.Filesystem) && !cgroupRoot.IsRoot) shown = vfs.Types.Cgroups.DirectoryOf(cgroupRoot);
        if (shown == null) return -Errno.ENOENT; // the namespace's root cgroup was removed
        if (at.IsMountRoot && ReferenceEquals(at.Mount.Filesystem, fs) && ReferenceEquals(at.Mount.Root, shown)) return -Errno.EBUSY;
        if (readOnly) perMount |= MountFlags.MS_RDONLY;
        return mounts.Attach(at, fs, shown, perMount, source, out _);
    }

    // MS_REMOUNT|MS_BIND: the mount's own flags; access-time flags kept unless given (do_reconfigure_mnt).
    private static int Reconfigure(Location at, uint perMount, ulong flags)
    {
        if (!at.IsMountRoot) return -Errno.EINVAL;
        at.Mount.Flags = KeepAtime(at.Mount.Flags, perMount, flags);
        return 0;
    }

    // MS_REMOUNT: the filesystem's options (read-only, tmpfs's size= and nr_inodes=), then the mount's flags.
    private static int Remount(FilesystemTypes types, Location at, uint perMount, ulong flags, string data)
    {
        if (!at.IsMountRoot) return -Errno.EINVAL;
        Filesystem fs = at.Mount.Filesystem;
        bool readOnly;
        if (fs is Tmpfs tmpfs && fs.TypeName == "tmpfs")
        {
            var request = new TmpfsMountRequest();
            int e = TmpfsOptionParser.Parse(data, 0, 0, request);
            if (e != 0) return e;
            e = tmpfs.Reconfigure(request.HasSize ? request.Options.MaxPages : -1, request.HasInodes ? request.Options.MaxInodes : -1);
            if (e != 0) return e;
            tmpfs.ShownOptions = tmpfs.OptionsText(types.RamPages / 2, types.RamPages / 2);
            readOnly = request.ReadOnly;
        }
        else if (ReferenceEquals(fs, types.Devpts))
        {
            int e = DevptsOptions.Parse(data, out DevptsOptions options, out readOnly);
            if (e != 0) return e;
            types.ApplyDevpts(options);
        }
        else
        {
            int e = FilesystemTypes.GenericOptionsOnly(data, out readOnly);
            if (e != 0) return e;
        }
        if (readOnly) perMount |= MountFlags.MS_RDONLY;
        at.Mount.Flags = KeepAtime(at.Mount.Flags, perMount, flags);
        return 0;
    }

    private static uint KeepAtime(uint old, uint perMount, ulong flags)
    {
        const uint atime = MountFlags.MS_NOATIME | MountFlags.MS_NODIRATIME;
        if ((flags & (atime | MS_RELATIME | MS_STRICTATIME)) == 0) perMount = (perMount & ~atime) | (old & atime);
        return perMount;
    }

    private static int Bind(Namespace ns, MountTree mounts, in PathContext ctx, Location at, string source)
    {
        int e = ns.Lookup(ctx, source, true, out Location from);
        if (e != 0) return e;
        if (!(from.Inode is Kevlar.Vfs.Inodes.DirectoryInode dir)) return -Errno.EINVAL;
        if (!at.Inode.IsDirectory) return -Errno.ENOTDIR;
        if (!mounts.Holds(from.Mount)) return -Errno.EINVAL; // do_loopback: the source in another namespace
        return mounts.Attach(at, from.Mount.Filesystem, dir, from.Mount.Flags, from.Mount.Source, out _);
    }

    public static KernelTask<long> InvokeUmount2(UserThread t, SyscallArgs a)
    {
        UserProcess p = t.Process;
        int flags = a.Int(1);
        if ((flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        if (p.Euid != 0) return KernelTask<long>.FromResult(-Errno.EPERM);
        int r = PathLookup.Prepare(p, PathLookup.AT_FDCWD, a.Pointer(0), out string path, out PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        VfsActor vfs = p.Host.Vfs;
        ProcessHost host = p.Host;
        MountTree mounts = p.Mounts;
        return vfs.Run(t, () =>
        {
            int e = vfs.Namespace.Lookup(ctx, path, (flags & UMOUNT_NOFOLLOW) == 0, out Location at);
            return e != 0 ? e : Unmount(host, mounts, at, flags);
        });
    }

    private static int Unmount(ProcessHost host, MountTree mounts, Location at, int flags)
    {
        if (!at.IsMountRoot || !mounts.Holds(at.Mount)) return -Errno.EINVAL;
        VfsMount m = at.Mount;
        if (m.Parent == null) return -Errno.EBUSY;
        bool busy = mounts.HasChildren(m) || MountUsers.InUse(host, m);
        if ((flags & MNT_EXPIRE) != 0)
        {
            if ((flags & (MNT_FORCE | MNT_DETACH)) != 0) return -Errno.EINVAL;
            if (!busy && !m.ExpiryMark)
            {
                m.ExpiryMark = true;
                return -Errno.EAGAIN;
            }
        }
        if (busy && (flags & MNT_DETACH) == 0) return -Errno.EBUSY;
        var unmounted = new System.Collections.Generic.List<Filesystem>();
        int r = (flags & MNT_DETACH) != 0 ? mounts.DetachTree(at, unmounted) : mounts.Detach(at, unmounted);
        MountUsers.RetireUnused(host, unmounted);
        return r;
    }

    // The type, source and data strings, in the kernel's order: 0 or the first error.
    private static int ReadStrings(UserProcess p, in SyscallArgs a, out string? type, out string? source, out string data)
    {
        source = null;
        data = string.Empty;
        int r = ReadOptionalString(p, a.Pointer(2), out type);
        if (r == 0) r = ReadOptionalString(p, a.Pointer(0), out source);
        if (r == 0) r = ReadData(p, a.Pointer(4), out data);
        return r;
    }

    // copy_mount_string: NULL stays null; else a string of at most PATH_MAX bytes (-EFAULT, -EINVAL).
    private static int ReadOptionalString(UserProcess p, ulong address, out string? value)
    {
        value = null;
        if (address == 0) return 0;
        int r = p.UserMemory.ReadCString(address, UserMemory.PathMax, out byte[] bytes);
        if (r == -Errno.ENAMETOOLONG) return -Errno.EINVAL;
        if (r != 0) return r;
        value = Latin1.Decode(bytes);
        return 0;
    }

    // copy_mount_options: up to a page, as much as is readable (-EFAULT only when none is); cut at the first NUL.
    private static int ReadData(UserProcess p, ulong address, out string data)
    {
        data = string.Empty;
        if (address == 0) return 0;
        var page = new byte[PageSize];
        int n = 0;
        var one = new byte[1];
        for (; n < PageSize - 1; n++)
        {
            if (p.UserMemory.Read(address + (ulong)n, one) != 0) break;
            if (one[0] == 0) break;
            page[n] = one[0];
        }
        if (n == 0 && p.UserMemory.Read(address, one) != 0) return -Errno.EFAULT;
        var bytes = new byte[n];
        System.Array.Copy(page, 0, bytes, 0, n);
        data = Latin1.Decode(bytes);
        return 0;
    }
}
