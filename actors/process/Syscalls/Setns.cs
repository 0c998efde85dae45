// setns(2): the caller enters the namespace an fd from /proc/[pid]/ns/* names
// (an nsfs file). Linux's order: -EBADF for a closed fd; -EINVAL for an fd
// that is not a namespace file (O_PATH ones included; pidfds are not made
// here) or whose kind is not nstype when nstype is not 0; then the kind's
// install: -EPERM without privilege (CAP_SYS_ADMIN: effective uid 0 here).
// A UTS or cgroup namespace becomes the calling thread's. A mount namespace becomes the
// process's, with root and working directory at its root (the top mount
// there, as mntns_install follows mounts); -EINVAL while the process has
// other threads, which share its root and working directory (Linux: an
// fs_struct with other users). A PID namespace becomes the calling thread's
// PidsForChildren (its next fork's child starts there): the caller's own or
// one below it, else -EINVAL (pidns_install). The one ipc, net, time and
// user namespace is joined as Linux joins the caller's own (InitialNamespace.Join).
using Kevlar.Process.Files.Vfs;
using Kevlar.Process.Namespaces;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Process.Syscalls;

public static class Setns
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        UserProcess p = t.Process;
        ulong nstype = (ulong)(uint)a.Int(1);
        Files.OpenFile? f = p.Files.Get(a.Fd(0));
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        var file = f as VfsFile;
        if (file == null || file.IsPathOnly || file.Location.Inode is not NsfsInode inode) return KernelTask<long>.FromResult(-Errno.EINVAL);
        object ns = inode.Namespace;
        ulong kind = ns switch
        {
            UtsNamespace => Unshare.CLONE_NEWUTS,
            CgroupNamespace => Unshare.CLONE_NEWCGROUP,
            MountTree => Fork.CLONE_NEWNS,
            PidNamespace => Unshare.CLONE_NEWPID,
            InitialNamespace only => only.CloneFlag,
            _ => 0,
        };
        if (kind == 0 || (nstype != 0 && nstype != kind)) return KernelTask<long>.FromResult(-Errno.EINVAL);
        if (ns is InitialNamespace initial) return KernelTask<long>.FromResult(initial.Join(t));
        if (p.Euid != 0) return KernelTask<long>.FromResult(-Errno.EPERM);
        switch (ns)
        {
            case UtsNamespace uts:
                t.Uts = uts;
                return KernelTask<long>.FromResult(0);
            case CgroupNamespace cgroups:
                t.Cgroups = cgroups;
                return KernelTask<long>.FromResult(0);
            case PidNamespace pids:
                if (!p.PidNs.Contains(pids)) return KernelTask<long>.FromResult(-Errno.EINVAL);
                t.PidsForChildren = pids;
                return KernelTask<long>.FromResult(0);
            default:
                if (p.Threads.Count > 1) return KernelTask<long>.FromResult(-Errno.EINVAL);
                return EnterMounts(t, (MountTree)ns);
        }
    }

    // The tree is the VfsActor's: its top root is read there.
    private static async KernelTask<long> EnterMounts(UserThread t, MountTree mounts)
    {
        var top = new Location[1];
        await t.Process.Host.Vfs.Run(t, () =>
        {
            top[0] = mounts.Cross(mounts.Root);
            return 0;
        });
        new MountNamespace(mounts, top[0], top[0]).Enter(t.Process);
        return 0;
    }
}
