// ExecveTests: execve(2) reads the path, argv and envp from user memory
// (EFAULT for a bad pointer anywhere, E2BIG past the limits), then replaces
// the image; on success handlers go back to SIG_DFL (ignored stay ignored),
// the alternate stack is dropped and the thread takes the program's name.
using System.Text;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class ExecveTests
{
    private const ulong Path = Scratch, Argv = Scratch + 0x100, Strs = Scratch + 0x200;
    private readonly ProcessHarness _k = new(extras: new SampleInitramfs.Extra[] { new("bin/prog", SampleInitramfs.File755, ElfFileBuilder.Minimal().Build()) });
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public ExecveTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private long Execve(string path, params string[] argv)
    {
        PutString(_p, Path, path);
        ulong at = Strs;
        var pointers = new List<ulong>();
        foreach (string s in argv)
        {
            pointers.Add(PutString(_p, at, s));
            at += (ulong)s.Length + 1;
        }
        pointers.Add(0);
        PutUInt64(_p, Argv, pointers.ToArray());
        return Raw(Path, Argv, 0);
    }

    private long Raw(ulong path, ulong argv, ulong envp) => Raw(_t, path, argv, envp);

    private long Raw(UserThread t, ulong path, ulong argv, ulong envp)
        => _k.Call(t, () => Kevlar.Process.Syscalls.Execve.Invoke(t, Args(path, argv, envp)));

    [Fact]
    public void Do_Program_ResetsHandlersKeepsIgnoredAndTakesTheName()
    {
        _p.SignalActions.Set(Signal.SIGUSR1, new SignalAction { Handler = 0x40_8000, Flags = SignalAction.SA_RESTORER });
        _p.SignalActions.Set(Signal.SIGINT, new SignalAction { Handler = SignalAction.SIG_IGN });
        _t.AltStackBase = Scratch;
        _t.AltStackSize = 0x4000;
        _t.AltStackFlags = 0;
        _t.SignalMask = 1UL << (Signal.SIGHUP - 1);

        Assert.Equal(0, Execve("/bin/prog", "prog"));

        Assert.Equal(SignalAction.SIG_DFL, _p.SignalActions.Get(Signal.SIGUSR1).Handler);
        Assert.Equal(SignalAction.SIG_IGN, _p.SignalActions.Get(Signal.SIGINT).Handler);
        Assert.Equal((0UL, 0UL, 2), (_t.AltStackBase, _t.AltStackSize, _t.AltStackFlags));
        Assert.Equal(1UL << (Signal.SIGHUP - 1), _t.SignalMask); // the mask survives exec
        Assert.Equal("prog", Encoding.Latin1.GetString(_t.Name).TrimEnd('\0'));
        Assert.Equal(0x401000UL, _t.Registers.Rip);
    }

    [Fact]
    public void Do_SameFileTwice_MapsTheCachedImagesFrames()
    {
        Assert.Equal(0, Execve("/bin/prog", "prog"));
        UserProcess other = _k.NewProcess();
        PutString(other, Path, "/bin/prog");
        PutUInt64(other, Argv, new ulong[] { 0 });
        Assert.Equal(0, Raw(other.MainThread, Path, Argv, 0));

        Assert.Equal(1, _k.Host.ExecImages.Count);
        Frame? mine = ((FakePageTables)_p.Pages).FrameOf(0x401000), theirs = ((FakePageTables)other.Pages).FrameOf(0x401000);
        Assert.NotNull(mine);
        Assert.Same(mine, theirs); // one frame of text for both, copy-on-write
        Assert.Equal(PageState.CopyOnWrite, other.Pages.Query(0x401000));
        Assert.Equal(0x401000UL, other.MainThread.Registers.Rip);
    }

    [Fact]
    public void Do_FileWrittenSinceCached_LoadsItsNewContents()
    {
        Assert.Equal(0, Execve("/bin/prog", "prog"));
        var file = (Kevlar.Vfs.Inodes.RegularInode)_k.Lookup("/bin/prog").Inode;
        Assert.Equal(1, file.Write(0x1000, new byte[] { 0xCC })); // the first byte of the text (at 0x401000)
        UserProcess other = _k.NewProcess();
        PutString(other, Path, "/bin/prog");
        PutUInt64(other, Argv, new ulong[] { 0 });
        Assert.Equal(0, Raw(other.MainThread, Path, Argv, 0));

        Assert.NotSame(((FakePageTables)_p.Pages).FrameOf(0x401000), ((FakePageTables)other.Pages).FrameOf(0x401000));
        var before = new byte[1];
        var after = new byte[1];
        Assert.Equal(1, _k.Host.ExecImages.Count); // the stale image went
        Assert.Equal(1, _p.Pages.Read(0x401000, before));
        Assert.Equal(1, other.Pages.Read(0x401000, after));
        Assert.NotEqual(0xCC, before[0]);
        Assert.Equal(0xCC, after[0]);
    }

    [Fact]
    public void Do_RelativePath_ResolvesFromTheWorkingDirectory()
    {
        _p.Cwd = _k.Lookup("/bin");

        Assert.Equal(0, Execve("prog", "prog"));

        Assert.Equal(0x401000UL, _t.Registers.Rip);
        Assert.Equal("/bin/prog", ProcSelfExe()); // Linux's /proc/self/exe is the file's absolute path
    }

    /// <summary>readlink("/proc/self/exe") after an exec (in a region mapped for the purpose: the
    /// scratch region went with the old image).</summary>
    private string ProcSelfExe()
    {
        const ulong Fresh = 0x2000_0000;
        Map(_p, Fresh, 0x1000, UserRW);
        PutString(_p, Fresh, "/proc/self/exe");
        long n = _k.Call(_t, () => Readlink.InvokeReadlink(_t, Args(Fresh, Fresh + 0x100, 256)));
        Assert.True(n > 0, "readlink: " + n);
        return GetString(_p, Fresh + 0x100, (int)n);
    }

    [Fact]
    public void Do_FromAThreadOnAnotherCpu_LoadsWhenTheVfsActorHasReadTheFile()
    {
        UserProcess p = _k.NewProcess(cpu: 1);
        PutString(p, Path, "/bin/prog");

        var task = _k.Start(p.MainThread, () => Kevlar.Process.Syscalls.Execve.Invoke(p.MainThread, Args(Path, 0, 0)));

        Assert.False(task.IsCompleted);
        Assert.NotNull(p.Memory.Find(Scratch)); // the old image stays until the file has been read
        _k.Run();
        Assert.Equal(0, task.Result);
        Assert.Equal(0x401000UL, p.MainThread.Registers.Rip);
        Assert.Null(p.Memory.Find(Scratch));
    }

    [Fact]
    public void Do_EmptyPath_ReturnsEnoent()
    {
        Assert.Equal(Err(Errno.ENOENT), Execve("", "x"));
    }

    [Fact]
    public void Do_BadPathArgvOrStringPointer_ReturnsEfaultAndKeepsTheImage()
    {
        PutString(_p, Path, "/bin/prog");
        PutUInt64(_p, Argv, 0x30_0000, 0);

        Assert.Equal(Err(Errno.EFAULT), Raw(0x30_0000, 0, 0));
        Assert.Equal(Err(Errno.EFAULT), Raw(Path, 0x30_0000, 0));
        Assert.Equal(Err(Errno.EFAULT), Raw(Path, Argv, 0));

        Assert.NotNull(_p.Memory.Find(Scratch));
    }

    [Fact]
    public void Do_ArgumentLongerThanMaxArgStrlen_ReturnsE2big()
    {
        ulong big = 0x2000_0000;
        Map(_p, big, 0x30000, UserRW);
        Put(_p, big, Enumerable.Repeat((byte)'a', (int)Kevlar.Process.Exec.ArgumentLimits.MaxArgStrlen + 1).ToArray());
        PutString(_p, Path, "/bin/prog");
        PutUInt64(_p, Argv, big, 0);

        Assert.Equal(Err(Errno.E2BIG), Raw(Path, Argv, 0));
    }

    [Fact]
    public void Do_MissingProgram_ReturnsEnoent()
    {
        Assert.Equal(Err(Errno.ENOENT), Execve("/bin/nothing", "nothing"));
    }
}
