// UtsNamespaceTests: sethostname/setdomainname change the caller's UTS
// namespace, which fork shares; unshare(CLONE_NEWUTS) and clone(CLONE_NEWUTS)
// give a copy with a new nsfs inode, leaving the creator's names alone; the
// errors in Linux's order (EPERM before EINVAL before EFAULT); unshare's
// EINVAL for unknown flags or a thread flag in a threaded process, and
// ENOSYS for the namespaces not built yet. (qemu/user/process/uts.c runs the
// same natively and on the kernel.)
using Kevlar.Process.Namespaces;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class UtsNamespaceTests
{
    private readonly ProcessHarness _k = new();

    private static string Node(UserThread t) => System.Text.Encoding.Latin1.GetString(t.Uts.Names.HostName);

    private static long SetHost(UserThread t, string name, int? length = null)
    {
        PutString(t.Process, Scratch, name);
        return Hostname.InvokeSetHostName(t, Args(Scratch, (ulong)(long)(length ?? name.Length)));
    }

    private UserThread Forked(UserThread t, ulong flags = (ulong)Signal.SIGCHLD)
    {
        long pid = Fork.Do(t, flags, 0, 0, 0, 0);
        Assert.True(pid > 0, "fork: " + pid);
        return _k.Host.Table.Find((int)pid)!.MainThread;
    }

    [Fact]
    public void SetHostName_ChangesTheNamespaceForkShares()
    {
        UserThread t = _k.NewProcess().MainThread;
        UserThread child = Forked(t);

        Assert.Equal(0, SetHost(child, "shared"));

        Assert.Same(t.Uts, child.Uts);
        Assert.Equal("shared", Node(t));
        Assert.Equal(UtsNamespace.InitialInode, t.Uts.Inode);
    }

    [Fact]
    public void Unshare_NewUts_CopiesTheNames_AndChangesStayInside()
    {
        UserThread t = _k.NewProcess().MainThread;
        UtsNamespace before = t.Uts;

        Assert.Equal(0, _k.Call(t, () => Unshare.Invoke(t, Args(Unshare.CLONE_NEWUTS))));
        Assert.Equal("kevlar", Node(t));
        Assert.Equal(0, SetHost(t, "inside"));
        PutString(t.Process, Scratch, "dom");
        Assert.Equal(0, Hostname.InvokeSetDomainName(t, Args(Scratch, 3)));

        Assert.NotSame(before, t.Uts);
        Assert.True(t.Uts.Inode >= 0xF0000000UL);
        Assert.Equal(("inside", "dom"), (Node(t), System.Text.Encoding.Latin1.GetString(t.Uts.Names.DomainName)));
        Assert.Equal("kevlar", System.Text.Encoding.Latin1.GetString(before.Names.HostName));
    }

    [Fact]
    public void Clone_NewUts_GivesTheChildACopy()
    {
        UserThread t = _k.NewProcess().MainThread;
        UserThread child = Forked(t, Unshare.CLONE_NEWUTS | (ulong)Signal.SIGCHLD);

        Assert.Equal(0, SetHost(child, "cloned"));

        Assert.NotSame(t.Uts, child.Uts);
        Assert.Equal("kevlar", Node(t));
    }

    [Fact]
    public void Errors_InLinuxOrder()
    {
        UserThread root = _k.NewProcess().MainThread;
        UserThread user = _k.NewProcess(uid: 1000).MainThread;

        Assert.Equal(Err(Errno.EPERM), SetHost(user, "x", 100));                        // privilege first
        Assert.Equal(Err(Errno.EINVAL), SetHost(root, "x", 65));
        Assert.Equal(Err(Errno.EINVAL), SetHost(root, "x", -1));
        Assert.Equal(Err(Errno.EFAULT), Hostname.InvokeSetHostName(root, Args(8, 5)));
        Assert.Equal(0, SetHost(root, "", 0));
        Assert.Equal(Err(Errno.EPERM), _k.Call(user, () => Unshare.Invoke(user, Args(Unshare.CLONE_NEWUTS))));
        Assert.Equal(Err(Errno.EPERM), Fork.Do(user, Unshare.CLONE_NEWUTS | (ulong)Signal.SIGCHLD, 0, 0, 0, 0));
        Assert.Equal(Err(Errno.EINVAL), _k.Call(root, () => Unshare.Invoke(root, Args(0x1))));
        Assert.Equal(Err(Errno.ENOSYS), _k.Call(root, () => Unshare.Invoke(root, Args(Unshare.CLONE_NEWNET))));
        Assert.Equal(0, _k.Call(root, () => Unshare.Invoke(root, Args(Fork.CLONE_FILES | Fork.CLONE_FS | Fork.CLONE_THREAD))));
    }
}
