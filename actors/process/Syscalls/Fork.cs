// fork(2), vfork(2), clone(2) for new processes. The child gets a
// copy-on-write clone of the address space, the same open file descriptions,
// credentials, limits, signal dispositions, mask and working directory, and a
// copy of the calling thread's registers with rax = 0; it starts on another
// CPU (round robin). vfork is fork: the parent is not suspended, which
// programs that use vfork correctly (only exec or _exit in the child) cannot
// tell. RLIMIT_NPROC counts the processes of the caller's real uid; root is
// exempt (-EAGAIN past it). clone with CLONE_THREAD makes a thread: it must
// share memory, files, fs state and signal handlers (CLONE_VM|CLONE_FS|
// CLONE_FILES|CLONE_SIGHAND, as the C libraries pass), and it starts on another
// CPU (round robin), where it runs in parallel with the others. Other
// sharing combinations (CLONE_VM without CLONE_THREAD, ...) are -ENOSYS.
// A process in a cgroup other than the root is charged to it first, by the
// tree's owner: past a pids.max up the tree the fork is -EAGAIN (CgroupCall).
// CLONE_NEWNS first has the VfsActor copy the caller's mount namespace; the
// child starts in the copy (MountNamespace). The child's PID namespace is the
// calling thread's PidsForChildren, or a new one below it for CLONE_NEWPID
// (the child its init); the pid returned and written for CLONE_PARENT_SETTID
// is the child's number in the caller's namespace, CLONE_CHILD_SETTID's the
// child's own (PidNamespace).
using Kevlar.Process.Files.Cgroups;
using Kevlar.Process.Memory;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Threading;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Syscalls;

public static class Fork
{
    public const ulong CSIGNAL = 0xFF, CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
        CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000,
        CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
        CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000;

    public static KernelTask<long> InvokeFork(UserThread t, SyscallArgs a) => Start(t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0);

    public static KernelTask<long> InvokeVfork(UserThread t, SyscallArgs a) => Start(t, CLONE_VFORK | CLONE_VM | (ulong)Signal.SIGCHLD, 0, 0, 0, 0);

    // clone(flags, stack, parent_tid, child_tid, tls) — the x86_64 argument order.
    public static KernelTask<long> InvokeClone(UserThread t, SyscallArgs a) => Start(t, a[0], a.Pointer(1), a.Pointer(2), a.Pointer(3), a.Pointer(4));

    /// <summary>fork, vfork or clone as the syscall runs it: a new process or thread of a caller
    /// in a cgroup other than the root is first charged to it (pids.max checked up the tree,
    /// -EAGAIN) by the tree's owner; in the root cgroup nothing is asked.</summary>
    public static KernelTask<long> Start(UserThread t, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls)
    {
        bool charge = CgroupCall.MustCharge(t.Process);
        if ((flags & CLONE_THREAD) != 0)
        {
            if (charge) return ChargedThread(t, flags, stack, parentTid, childTid, tls);
            return KernelTask<long>.FromResult(NewThread(t, flags, stack, parentTid, childTid, tls));
        }
        if ((flags & CLONE_NEWNS) != 0) return InNewMountNamespace(t, flags, stack, parentTid, childTid, tls, charge);
        if (!charge) return KernelTask<long>.FromResult(Do(t, flags, stack, parentTid, childTid, tls));
        return Charged(t, flags, stack, parentTid, childTid, tls, null);
    }

    // CLONE_NEWNS: the checks, then the copy of the caller's mount namespace the child starts in.
    private static async KernelTask<long> InNewMountNamespace(UserThread t, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls,
        bool charge)
    {
        long r = Check(t.Process, flags);
        if (r != 0) return r;
        var made = new Namespaces.MountNamespace?[1];
        await Namespaces.MountNamespace.CopyOf(t, made);
        long pid = charge ? await Charged(t, flags, stack, parentTid, childTid, tls, made[0])
            : Create(t, flags, stack, parentTid, childTid, tls, null, mounts: made[0]);
        if (pid < 0) made[0]!.Abandon(t.Process.Host);
        return pid;
    }

    // A thread of a process in a cgroup: charged (pids.max checked) before it is made.
    // Its id is chosen first: a thread placed apart (cgroup thread mode) makes its new thread there.
    private static async KernelTask<long> ChargedThread(UserThread t, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls)
    {
        int newTid = t.Process.Host.AllocatePid();
        long r = await CgroupCall.ChargeThread(t, newTid);
        if (r < 0) return r;
        long tid = NewThread(t, flags, stack, parentTid, childTid, tls, newTid);
        if (tid < 0) CgroupCall.ThreadEnded(t.Process, newTid);
        return tid;
    }

    private static async KernelTask<long> Charged(UserThread t, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls,
        Namespaces.MountNamespace? mounts)
    {
        long r = Check(t.Process, flags);
        if (r != 0) return r;
        ProcessHost host = t.Process.Host;
        var member = new Kevlar.Cgroups.CgroupMember(host.AllocatePid());
        r = await CgroupCall.Charge(t, member);
        if (r < 0) return r;
        long made = Create(t, flags, stack, parentTid, childTid, tls, member, mounts: mounts);
        if (made < 0) CgroupCall.Abandon(host, member);
        return made;
    }

    /// <summary>fork, vfork or clone with no cgroup charge and no CLONE_NEWNS (Start copies the mount
    /// namespace first): the child's pid, or -errno.</summary>
    public static long Do(UserThread t, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls)
    {
        if ((flags & CLONE_THREAD) != 0) return NewThread(t, flags, stack, parentTid, childTid, tls);
        long r = Check(t.Process, flags);
        return r != 0 ? r : Create(t, flags, stack, parentTid, childTid, tls, null);
    }

    // The flags and RLIMIT_NPROC, checked before anything is made: 0 or -errno.
    private static long Check(UserProcess p, ulong flags)
    {
        bool vfork = (flags & CLONE_VFORK) != 0;
        if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0) return -Errno.EINVAL;
        if (((flags & CLONE_VM) != 0 && !vfork) || (flags & (CLONE_FILES | CLONE_FS | CLONE_SIGHAND | CLONE_PIDFD)) != 0)
            return -Errno.ENOSYS;
        long ns = Unshare.CheckNewNamespaces(p, flags, Unshare.CloneNamespacesNotYet);
        if (ns != 0) return ns;
        // Root (CAP_SYS_RESOURCE/CAP_SYS_ADMIN: effective uid 0 here) is exempt.
        if (p.Uid != 0 && p.Euid != 0 && CountOf(p) >= p.Limits.Soft(ResourceLimits.RLIMIT_NPROC)) return -Errno.EAGAIN;
        return 0;
    }

    // The new process, with <paramref name="member"/> (already charged, its pid chosen) or in the root cgroup,
    // in <paramref name="mounts"/> (CLONE_NEWNS's copy) or its parent's mount namespace.
    private static long Create(UserThread t, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls, Kevlar.Cgroups.CgroupMember? member,
        Namespaces.MountNamespace? mounts = null)
    {
        UserProcess p = t.Process;
        ProcessHost host = p.Host;
        Namespaces.PidNamespace pids = t.PidsForChildren;
        if ((flags & Unshare.CLONE_NEWPID) != 0)
        {
            if (pids != p.PidNs) return -Errno.EINVAL; // after unshare(CLONE_NEWPID), before its first fork
            Namespaces.PidNamespace? below = pids.NewChild(host.AllocateNamespaceInode());
            if (below == null) return -Errno.ENOSPC;
            pids = below;
        }
        int pid = member != null ? member.Pid : host.AllocatePid();
        if (!pids.NumbersForProcess(pid, out int[]? numbers)) return -Errno.ENOMEM; // its init has exited
        IPageTables? pages = p.Memory.PrepareSharedForFork() ? p.Pages.CloneCopyOnWrite() : null;
        if (pages == null)
        {
            if (numbers != null) pids.ReleaseProcess(host, pid);
            return -Errno.ENOMEM;
        }
        var child = new UserProcess(host, pid, p, pages, pids, numbers);
        pids.Made(child);
        if (member != null) CgroupCall.Adopt(child, member);
        CopyState(p, child);
        mounts?.Enter(child);
        child.Memory = p.Memory.CloneOnto(pages);
        child.UserMemory = new UserMemory(child.Memory);
        var thread = new UserThread(child, child.Pid, numbers);
        child.MainThread = thread;
        child.AddThread(thread);
        StartLike(t, thread, flags, stack, parentTid, childTid, tls);
        Unshare.EnterNewNamespaces(t, thread, flags); // checked in Check
        thread.AltStackBase = t.AltStackBase; // fork keeps sigaltstack; a thread (CLONE_VM) starts without one
        thread.AltStackSize = t.AltStackSize;
        thread.AltStackFlags = t.AltStackFlags;
        p.Children.Add(child);
        host.Scheduler.Register(thread, host.PickCpu(thread.AffinityMask));
        child.EnterTable(thread);
        if (member != null) CgroupCall.FollowFreeze(child, member); // before its first run
        thread.Start();
        return p.PidNs.NumberOf(child);
    }

    private const ulong ThreadNeeds = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND;

    // clone(CLONE_THREAD ...): a thread of the caller's process, on the next CPU round robin
    // that its (inherited) affinity mask allows.
    private static long NewThread(UserThread t, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls, int chosenTid = 0)
    {
        if ((flags & ThreadNeeds) != ThreadNeeds) return (flags & CLONE_SIGHAND) == 0 || (flags & CLONE_VM) == 0 ? -Errno.EINVAL : -Errno.ENOSYS;
        if ((flags & (CLONE_VFORK | CLONE_NEWNS | CLONE_PIDFD | CLONE_PARENT | Unshare.CLONE_NEWUSER | Unshare.CLONE_NEWPID)) != 0) return -Errno.EINVAL;
        UserProcess p = t.Process;
        long ns = Unshare.CheckNewNamespaces(p, flags, Unshare.CloneNamespacesNotYet);
        if (ns != 0) return ns;
        if (t.PidsForChildren != p.PidNs) return -Errno.EINVAL; // a thread cannot be in another PID namespace
        ProcessHost host = p.Host;
        int tid = chosenTid != 0 ? chosenTid : host.AllocatePid();
        var thread = new UserThread(p, tid, p.PidNs.NumbersForThread(tid));
        StartLike(t, thread, flags, stack, parentTid, childTid, tls);
        Unshare.EnterNewNamespaces(t, thread, flags);
        p.AddThread(thread);
        host.Scheduler.Register(thread, host.PickCpu(thread.AffinityMask));
        thread.Start();
        return thread.OwnTid;
    }

    // The new thread resumes where the caller is, with rax 0, and the clone flags' extras:
    // a new stack and TLS, the tid written into parent and child memory, cleared at exit.
    private static void StartLike(UserThread t, UserThread thread, ulong flags, ulong stack, ulong parentTid, ulong childTid, ulong tls)
    {
        t.Process.Host.UserMode.TakeFpu(ref t.Registers); // the FPU image whole, for the copy
        thread.Registers = t.Registers;
        thread.Registers.Rax = 0;
        if (stack != 0) thread.Registers.Rsp = stack;
        if ((flags & CLONE_SETTLS) != 0) thread.Registers.FsBase = tls;
        thread.SignalMask = t.SignalMask;
        thread.AffinityMask = Atomic.Load(ref t.AffinityMask);
        thread.Name = t.Name;
        thread.Uts = t.Uts;
        thread.Cgroups = t.Cgroups;
        if (thread.Process == t.Process) thread.FrozenApart = t.FrozenApart; // a thread starts in its creator's cgroup
        if ((flags & CLONE_CHILD_CLEARTID) != 0) thread.ClearChildTid = childTid;
        if ((flags & CLONE_CHILD_SETTID) != 0) thread.Process.UserMemory.WriteInt32(childTid, thread.OwnTid);
        if ((flags & CLONE_PARENT_SETTID) != 0) t.Process.UserMemory.WriteInt32(parentTid, t.Process.PidNs.NumberOf(thread));
    }

    private static void CopyState(UserProcess p, UserProcess c)
    {
        c.ProcessGroup = p.ProcessGroup;
        c.Session = p.Session;
        c.ControllingTty = p.ControllingTty;
        c.Files = p.Files.Clone();
        c.Files.Process = c;
        c.BrkStart = p.BrkStart;
        c.Brk = p.Brk;
        c.ExecutablePath = p.ExecutablePath;
        c.CommandLine = p.CommandLine;
        c.Environment = p.Environment;
        c.Cwd = p.Cwd;
        c.Root = p.Root;
        c.Umask = p.Umask;
        c.Uid = p.Uid; c.Euid = p.Euid; c.Suid = p.Suid;
        c.Gid = p.Gid; c.Egid = p.Egid; c.Sgid = p.Sgid;
        c.Groups = p.Groups;
        c.Limits.CopyFrom(p.Limits);
        c.SignalActions.CopyFrom(p.SignalActions);
        c.Dumpable = p.Dumpable;
        c.NoNewPrivileges = p.NoNewPrivileges;
    }

    private static ulong CountOf(UserProcess p)
    {
        UserProcess[] all = p.Host.Table.Snapshot;
        ulong n = 0;
        for (int i = 0; i < all.Length; i++) if (all[i].Uid == p.Uid) n++; // zombies count until reaped
        return n;
    }
}
