// InitialNamespace: a namespace kind this kernel has exactly one of — ipc,
// net, time, user — the one every process is in (Linux's init_ipc_ns,
// init_net, init_time_ns, init_user_ns). /proc/[pid]/ns shows it
// with Linux's fixed inode numbers (PROC_*_INIT_INO; init_net's is allocated),
// and setns(2) into it joins what the caller is already in: Linux's checks,
// then nothing to change. Creating another one (CLONE_NEW*) is still -ENOSYS.
namespace Kevlar.Process.Namespaces;

public sealed class InitialNamespace
{
    private InitialNamespace(string kind, ulong cloneFlag, ulong inode)
    {
        Kind = kind;
        CloneFlag = cloneFlag;
        Inode = inode;
    }

    /// <summary>The name in /proc/[pid]/ns and in the link's text ("net:[N]").</summary>
    public string Kind { get; }
    /// <summary>setns's nstype for this kind (CLONE_NEWNET, ...).</summary>
    public ulong CloneFlag { get; }
    /// <summary>Its nsfs inode number.</summary>
    public ulong Inode { get; }

    public static readonly InitialNamespace Ipc = new InitialNamespace("ipc", Syscalls.Unshare.CLONE_NEWIPC, 0xEFFFFFFF);
    public static readonly InitialNamespace Time = new InitialNamespace("time", Syscalls.Unshare.CLONE_NEWTIME, 0xEFFFFFFA);
    public static readonly InitialNamespace User = new InitialNamespace("user", Syscalls.Unshare.CLONE_NEWUSER, 0xEFFFFFFD);

    /// <summary>init_net's number comes from proc_alloc_inum like the first mount namespace's; here
    /// the one after it (ProcessHost's allocator starts above both).</summary>
    public static readonly InitialNamespace Net = new InitialNamespace("net", Syscalls.Unshare.CLONE_NEWNET, 0xF0000001);

    /// <summary>setns into this namespace from <paramref name="t"/>, its nstype checked: 0 or
    /// Linux's errno (userns_install, pidns_install, netns_install, ipcns_install, timens_install,
    /// for a caller already in it).</summary>
    public long Join(UserThread t)
    {
        UserProcess p = t.Process;
        if (ReferenceEquals(this, User)) return -Errno.EINVAL; // reentering one's own user namespace
        if (ReferenceEquals(this, Time) && p.Threads.Count > 1) return -Errno.EUSERS;
        return p.Euid != 0 ? -Errno.EPERM : 0;
    }
}
