// UtsNamespace: a UTS namespace (uts_namespaces(7)) — the host name and NIS
// domain name that uname(2) reports and sethostname(2)/setdomainname(2)
// change. Each thread holds one (Linux keeps namespaces per task: unshare
// moves only the caller); fork and clone share the creator's, and
// CLONE_NEWUTS (clone or unshare) gives a copy.
//
// State: Inode is immutable. The two names are one immutable pair replaced
// whole by compare-and-exchange, so a reader on any CPU sees a consistent
// pair and a host-name and a domain-name change racing on two CPUs both land.
using Kevlar.Runtime.Threading;

namespace Kevlar.Process.Namespaces;

public sealed class UtsNamespace
{
    /// <summary>__NEW_UTS_LEN: the longest name, without its NUL.</summary>
    public const int MaxName = 64;
    /// <summary>PROC_UTS_INIT_INO: the initial namespace's inode, as /proc/[pid]/ns/uts shows it.</summary>
    public const ulong InitialInode = 0xEFFFFFFE;

    /// <summary>The namespace's inode number in nsfs ("uts:[Inode]").</summary>
    public readonly ulong Inode;
    private UtsNames _names;

    public UtsNamespace(ulong inode, byte[] hostName, byte[] domainName)
    {
        Inode = inode;
        _names = new UtsNames(hostName, domainName);
    }

    public UtsNames Names => Atomic.Load(ref _names);

    /// <summary>A new namespace with this one's names now (CLONE_NEWUTS).</summary>
    public UtsNamespace Copy(ulong inode)
    {
        UtsNames now = Names;
        return new UtsNamespace(inode, now.HostName, now.DomainName);
    }

    public void SetHostName(byte[] name) => Replace(name, true);

    public void SetDomainName(byte[] name) => Replace(name, false);

    private void Replace(byte[] name, bool host)
    {
        while (true)
        {
            UtsNames now = Names;
            var next = host ? new UtsNames(name, now.DomainName) : new UtsNames(now.HostName, name);
            if (Atomic.CompareExchange(ref _names, next, now) == now) return;
        }
    }
}

/// <summary>A UTS namespace's names at one moment (never changed after it is made).</summary>
public sealed class UtsNames
{
    public readonly byte[] HostName;
    public readonly byte[] DomainName;

    public UtsNames(byte[] hostName, byte[] domainName)
    {
        HostName = hostName;
        DomainName = domainName;
    }
}
