// ProcFsTests: /proc made at lookup — /proc/self names the caller, a
// process's directory holds its stat and status, and goes when it is reaped;
// the system files read as proc(5) lays them out.
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;

namespace Kevlar.Process.Tests.Files;

public class ProcFsTests
{
    private readonly ProcessHarness _k = new();

    private string ReadFile(UserProcess p, string path)
    {
        PutString(p, Scratch, path);
        long fd = _k.Call(p.MainThread, () => Open.Do(p.MainThread, PathLookup.AT_FDCWD, Scratch, OpenFlags.O_RDONLY, 0));
        Assert.True(fd >= 0, path + ": " + fd);
        long n = _k.Call(p.MainThread, () => ReadWrite.DoRead(p.MainThread, (int)fd, Scratch + 0x1000, 0x4000));
        p.Files.Close((int)fd);
        Assert.True(n >= 0, path + ": read " + n);
        return GetString(p, Scratch + 0x1000, (int)n);
    }

    private long Readlink(UserProcess p, string path, out string target)
    {
        PutString(p, Scratch, path);
        long n = _k.Call(p.MainThread, () => Kevlar.Process.Syscalls.Readlink.Do(p.MainThread, PathLookup.AT_FDCWD, Scratch, Scratch + 0x1000, 256));
        target = n > 0 ? GetString(p, Scratch + 0x1000, (int)n) : "";
        return n;
    }

    [Fact]
    public void Self_NamesTheCallersPid_FromAnyCpu()
    {
        UserProcess a = _k.NewProcess(cpu: 0), b = _k.NewProcess(cpu: 1);

        Readlink(a, "/proc/self", out string ta);
        Readlink(b, "/proc/self", out string tb);

        Assert.Equal(a.Pid.ToString(), ta);
        Assert.Equal(b.Pid.ToString(), tb);
    }

    [Fact]
    public void PidStat_StartsWithPidCommStateAndParent()
    {
        UserProcess p = _k.NewProcess(cpu: 1);
        p.MainThread.Name = Encoding.Latin1.GetBytes("worker\0\0\0\0\0\0\0\0\0\0");

        string stat = ReadFile(p, "/proc/self/stat");
        string status = ReadFile(p, "/proc/" + p.Pid + "/status");

        Assert.StartsWith(p.Pid + " (worker) R " + p.ParentPid + " ", stat);
        Assert.Equal(52, stat.TrimEnd('\n').Split(' ').Length);
        Assert.Contains("Name:\tworker\n", status);
        Assert.Contains("Pid:\t" + p.Pid + "\n", status);
    }

    [Fact]
    public void Forget_DropsThePidTreeAndItsMapsFile_WithoutAListing()
    {
        UserProcess p = _k.NewProcess();
        ReadFile(p, "/proc/self/maps");
        var procfs = p.Host.Vfs.Types.ProcFiles!;
        string name = p.Pid.ToString();
        Assert.NotNull(procfs.Filesystem.Root.Lookup(name));

        _k.OnCpu(p.Host.Vfs.Home, () => { procfs.Forget(p.Pid); return 0L; });

        Assert.Null(procfs.Filesystem.Root.Lookup(name));
    }

    [Fact]
    public void PidDirectory_OfAProcessThatIsGone_IsEnoent()
    {
        UserProcess p = _k.NewProcess();
        string path = "/proc/" + 4242 + "/stat";

        PutString(p, Scratch, path);
        long fd = _k.Call(p.MainThread, () => Open.Do(p.MainThread, PathLookup.AT_FDCWD, Scratch, OpenFlags.O_RDONLY, 0));

        Assert.Equal(-(long)Errno.ENOENT, fd);
    }

    [Fact]
    public void Meminfo_ReportsTotalAndFreeInKilobytes()
    {
        UserProcess p = _k.NewProcess();

        string meminfo = ReadFile(p, "/proc/meminfo");

        Assert.Matches(@"^MemTotal: +\d+ kB\nMemFree: +\d+ kB\n", meminfo);
    }

    [Fact]
    public void KevlarGc_OnTheHost_HeaderAndColumnsOnly()
    {
        UserProcess p = _k.NewProcess();

        string gc = ReadFile(p, "/proc/kevlar/gc");

        Assert.Equal("# kevlar gc: 0 collections, last 0 below; times in us\n" + Kevlar.Runtime.Diagnostics.GcPauseTable.Columns + "\n", gc);
    }

    [Fact]
    public void FdDirectory_ListsOpenFilesAsLinks()
    {
        UserProcess p = _k.NewProcess();
        PutString(p, Scratch + 0x2000, "/etc/passwd");
        long fd = _k.Call(p.MainThread, () => Open.Do(p.MainThread, PathLookup.AT_FDCWD, Scratch + 0x2000, OpenFlags.O_RDONLY, 0));

        Readlink(p, "/proc/self/fd/" + fd, out string target);

        Assert.Equal("/etc/passwd", target);
    }
}
