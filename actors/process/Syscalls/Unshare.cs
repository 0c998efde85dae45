// unshare(2): the caller stops sharing what the flags name. Linux's order:
// the implied flags added (CLONE_NEWUSER -> THREAD|FS, VM -> SIGHAND,
// SIGHAND -> THREAD, NEWNS -> FS); -EINVAL for a bit outside the set, or for
// THREAD/SIGHAND/VM while the process has other threads; then the new
// namespaces, which need privilege (-EPERM). A CLONE_NEWUTS gives the calling
// thread a copy of its UTS namespace, CLONE_NEWCGROUP a cgroup namespace rooted
// at its process's cgroup; CLONE_NEWNS gives the process a copy of
// its mount namespace (MountNamespace), its root and working directory moved
// into it. Root, working directory and mount namespace are the process's here
// (Linux's fs_struct, which CLONE_NEWNS unshares for the calling thread only),
// so CLONE_NEWNS in a process with other threads is -EINVAL. CLONE_NEWPID
// makes a PID namespace below the caller's that its next fork's child starts
// (as its init); the caller stays where it is (-EINVAL when it already did
// so, -ENOSPC past PidNamespace.MaxLevel). CLONE_FS,
// CLONE_FILES and CLONE_SYSVSEM otherwise succeed with nothing to do: nothing
// here is shared that they would split (no CLONE_FS/CLONE_FILES clone is
// accepted, no System V semaphores). The other namespaces are not built yet:
// -ENOSYS, before anything changes.
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Unshare
{
    public const ulong CLONE_NEWTIME = 0x80, CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
        CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    /// <summary>The namespaces clone accepts but this kernel does not make yet (CLONE_NEWTIME's bit
    /// is clone's exit signal: only unshare and clone3 take it).</summary>
    public const ulong CloneNamespacesNotYet = CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWNET;

    /// <summary>The same for unshare.</summary>
    public const ulong NamespacesNotYet = CloneNamespacesNotYet | CLONE_NEWTIME;

    private const ulong Valid = Fork.CLONE_THREAD | Fork.CLONE_FS | Fork.CLONE_NEWNS | Fork.CLONE_SIGHAND | Fork.CLONE_VM | Fork.CLONE_FILES
        | Fork.CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        long r = Check(t, a[0]);
        if (r != 0) return KernelTask<long>.FromResult(r);
        ulong flags = a[0];
        if ((flags & Fork.CLONE_NEWNS) != 0) return WithNewMountNamespace(t, flags);
        EnterNewNamespaces(t, t, flags);
        NewPidsForChildren(t, flags);
        return KernelTask<long>.FromResult(0);
    }

    private static async KernelTask<long> WithNewMountNamespace(UserThread t, ulong flags)
    {
        var made = new Namespaces.MountNamespace?[1];
        await Namespaces.MountNamespace.CopyOf(t, made);
        made[0]!.Enter(t.Process);
        EnterNewNamespaces(t, t, flags);
        NewPidsForChildren(t, flags);
        return 0;
    }

    // unshare(CLONE_NEWPID): the caller's next children go into a new namespace below its own.
    private static void NewPidsForChildren(UserThread t, ulong flags)
    {
        if ((flags & CLONE_NEWPID) != 0) t.PidsForChildren = t.PidsForChildren.NewChild(t.Process.Host.AllocateNamespaceInode())!;
    }

    // unshare's checks in Linux's order (flags, then privilege): 0 or -errno, nothing changed.
    private static long Check(UserThread t, ulong flags)
    {
        if ((flags & CLONE_NEWUSER) != 0) flags |= Fork.CLONE_THREAD | Fork.CLONE_FS;
        if ((flags & Fork.CLONE_VM) != 0) flags |= Fork.CLONE_SIGHAND;
        if ((flags & Fork.CLONE_SIGHAND) != 0) flags |= Fork.CLONE_THREAD;
        if ((flags & Fork.CLONE_NEWNS) != 0) flags |= Fork.CLONE_FS;
        if ((flags & ~Valid) != 0) return -Errno.EINVAL;
        if ((flags & (Fork.CLONE_THREAD | Fork.CLONE_NEWNS)) != 0 && t.Process.Threads.Count > 1) return -Errno.EINVAL;
        long r = CheckNewNamespaces(t.Process, flags, NamespacesNotYet);
        if (r != 0 || (flags & CLONE_NEWPID) == 0) return r;
        if (t.PidsForChildren != t.Process.PidNs) return -Errno.EINVAL; // copy_pid_ns
        return t.PidsForChildren.Level >= Namespaces.PidNamespace.MaxLevel ? -Errno.ENOSPC : 0;
    }

    /// <summary>Whether <paramref name="p"/> may make the namespaces <paramref name="flags"/> ask for
    /// (<paramref name="notYet"/>: the kinds not built, which clone and unshare name differently):
    /// 0, -ENOSYS for one not built yet, or -EPERM without privilege (CAP_SYS_ADMIN: euid 0 here).</summary>
    public static long CheckNewNamespaces(UserProcess p, ulong flags, ulong notYet)
    {
        if ((flags & notYet) != 0) return -Errno.ENOSYS;
        if ((flags & (CLONE_NEWUTS | Fork.CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWPID)) != 0 && p.Euid != 0) return -Errno.EPERM;
        return 0;
    }

    /// <summary>Gives <paramref name="thread"/> the new namespaces <paramref name="flags"/> ask for,
    /// copied from <paramref name="from"/>'s (unshare: the caller itself; clone: its creator). The
    /// caller checked them (CheckNewNamespaces).</summary>
    public static void EnterNewNamespaces(UserThread from, UserThread thread, ulong flags)
    {
        ProcessHost host = from.Process.Host;
        if ((flags & CLONE_NEWUTS) != 0) thread.Uts = from.Uts.Copy(host.AllocateNamespaceInode());
        // Rooted at the creator's cgroup, where a new process starts too.
        if ((flags & CLONE_NEWCGROUP) != 0) thread.Cgroups = new Namespaces.CgroupNamespace(host.AllocateNamespaceInode(), host.CgroupOf(from));
    }
}
