// ExecLoaderTests: exec over fake page tables. ExecLoader.Load — each
// PT_LOAD becomes a region with the segment's rights and its file bytes (the
// rest zero), the heap starts above the highest segment, the stack carries
// argv/envp/auxv, the registers start at the entry point, close-on-exec fds
// close; a failure before the point of no return leaves the old image as it
// was. ExecLoader.FollowScript — a "#!" file hands over to its interpreter
// with the argv Linux builds, up to MaxScriptDepth. Through execve(2): the
// path's lookup and Linux's permission checks before anything is read.
using System.Text;
using Kevlar.Process.Exec;
using Kevlar.Process.Files;
using Kevlar.Process.Memory;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Exec;

public class ExecLoaderTests
{
    private const uint X = SampleInitramfs.File755;
    private const PageProtection R = PageProtection.Read, RX = PageProtection.Read | PageProtection.Execute;

    private static byte[] Program(Action<ElfFileBuilder>? bend = null)
    {
        ElfFileBuilder b = ElfFileBuilder.Minimal();
        bend?.Invoke(b);
        byte[] file = b.Build();
        for (int i = 0x1000; i < 0x1010; i++) file[i] = (byte)(0xC0 + i - 0x1000); // "code"
        for (int i = 0x2000; i < 0x2800; i++) file[i] = 0xDA;                       // initialised data
        return file;
    }

    private static ProcessHarness With(params SampleInitramfs.Extra[] extras) => new(extras: extras);

    private static SampleInitramfs.Extra Exe(string name, uint mode, byte[] data) => new(name, mode, data);

    private static byte[][] Strings(params string[] s) => s.Select(Encoding.Latin1.GetBytes).ToArray();

    private static string[] Texts(byte[][] b) => b.Select(Encoding.Latin1.GetString).ToArray();

    private static (ulong, ulong, PageProtection, RegionKind)[] Regions(UserProcess p)
        => Enumerable.Range(0, p.Memory.Count).Select(i => (p.Memory[i].Start, p.Memory[i].End, p.Memory[i].Protection, p.Memory[i].Kind)).ToArray();

    private static int Load(UserProcess p, string path, byte[] file, string[] argv, params string[] envp)
        => ExecLoader.Load(p.MainThread, path, path, file, Strings(argv), Strings(envp));

    /// <summary>execve(path, argv, NULL) from <paramref name="p"/>'s main thread, the strings in its scratch region.</summary>
    private static long Execve(ProcessHarness k, UserProcess p, string path, params string[] argv)
    {
        ulong pathAt = PutString(p, Scratch, path), at = Scratch + 0x1000, argvAt = Scratch + 0x800;
        var pointers = new List<ulong>();
        foreach (string s in argv)
        {
            pointers.Add(PutString(p, at, s));
            at += (ulong)s.Length + 1;
        }
        pointers.Add(0);
        PutUInt64(p, argvAt, pointers.ToArray());
        return k.Call(p, t => Kevlar.Process.Syscalls.Execve.Invoke(t, Args(pathAt, argvAt, 0)));
    }

    [Fact]
    public void Load_StaticElf_MapsEachSegmentWithItsRightsAndBytes()
    {
        UserProcess p = With().NewProcess();

        Assert.Equal(0, Load(p, "/bin/prog", Program(), new[] { "prog" }));

        var regions = Regions(p);
        Assert.Equal(new[]
        {
            (0x400000UL, 0x401000UL, R, RegionKind.Image),
            (0x401000UL, 0x402000UL, RX, RegionKind.Image),
            (0x402000UL, 0x405000UL, UserRW, RegionKind.Image),
        }, regions.Take(3));
        Assert.Equal((MemoryMap.StackTop - MemoryMap.StackReserve, MemoryMap.StackTop + MemoryMap.PageSize, UserRW, RegionKind.Stack), regions[3]);
        Assert.Equal(4, regions.Length); // the scratch region went with the old image
        Assert.Equal(Enumerable.Range(0xC0, 16).Select(i => (byte)i), Get(p, 0x401000, 16));
        Assert.All(Get(p, 0x402000, 0x800), b => Assert.Equal(0xDA, b));
        Assert.All(Get(p, 0x402800, 0x2800), b => Assert.Equal(0, b)); // .bss
        Assert.Equal((0x405000UL, 0x405000UL), (p.BrkStart, p.Brk));
        Assert.Equal("/bin/prog", p.ExecutablePath);
    }

    [Fact]
    public void Load_StaticElf_StartsAtTheEntryWithArgvEnvpAndAuxvOnTheStack()
    {
        UserProcess p = With().NewProcess(uid: 1000);

        Assert.Equal(0, Load(p, "/bin/prog", Program(), new[] { "prog", "-x" }, "HOME=/"));

        ref UserRegisters r = ref p.MainThread.Registers;
        Assert.Equal(0x401000UL, r.Rip);
        Assert.Equal(0UL, r.Rsp % 16);
        var stack = new StackDecoder(Get(p, r.Rsp, (int)(MemoryMap.StackTop - r.Rsp)), r.Rsp);
        Assert.Equal(new[] { "prog", "-x" }, stack.Argv);
        Assert.Equal(new[] { "HOME=/" }, stack.Envp);
        Assert.Equal(0x401000UL, stack.AuxvValue(AuxvType.AT_ENTRY));
        Assert.Equal(1000UL, stack.AuxvValue(AuxvType.AT_UID));
        Assert.Equal("/bin/prog", stack.CString(stack.AuxvValue(AuxvType.AT_EXECFN)));
        Assert.Equal((UserRegisters.UserCode, UserRegisters.UserData), (r.Cs, r.Ss));
    }

    [Fact]
    public void Load_CloseOnExecFds_AreClosedAndOthersKept()
    {
        UserProcess p = With().NewProcess();
        p.Files.SetCloseOnExec(2, true);

        Assert.Equal(0, Load(p, "/bin/prog", Program(), new[] { "prog" }));

        Assert.NotNull(p.Files.Get(1));
        Assert.Null(p.Files.Get(2));
    }

    [Fact]
    public void Execve_Script_RunsItsInterpreterWithThePathAsAnArgument()
    {
        ProcessHarness k = With(Exe("bin/prog", X, Program()), Exe("bin/script", X, Encoding.ASCII.GetBytes("#!/bin/prog -f\necho\n")));
        UserProcess p = k.NewProcess();

        Assert.Equal(0, Execve(k, p, "/bin/script", "script", "a1"));

        ulong rsp = p.MainThread.Registers.Rsp;
        var stack = new StackDecoder(Get(p, rsp, (int)(MemoryMap.StackTop - rsp)), rsp);
        Assert.Equal(new[] { "/bin/prog", "-f", "/bin/script", "a1" }, stack.Argv);
        Assert.Equal("/bin/prog", p.ExecutablePath);
    }

    [Theory]
    [InlineData("/bin/nothing", Errno.ENOENT)]
    [InlineData("/etc/passwd", Errno.EACCES)]     // no execute bit
    [InlineData("/dir", Errno.EACCES)]            // not a regular file
    [InlineData("/dev/null", Errno.EACCES)]       // nor is a device
    [InlineData("/bin/busybox", Errno.ENOEXEC)]   // executable, but not an ELF file
    [InlineData("/bin/busybox/x", Errno.ENOTDIR)]
    [InlineData("/loop", Errno.ELOOP)]
    public void Execve_Unrunnable_FailsAndKeepsTheOldImage(string path, int errno)
    {
        ProcessHarness k = With();
        UserProcess p = k.NewProcess();
        PutString(p, Scratch + 0x2000, "still here");
        p.MainThread.Registers.Rip = 0x1234;

        Assert.Equal(-errno, Execve(k, p, path, "x"));

        Assert.Equal("still here", GetString(p, Scratch + 0x2000, 10));
        Assert.Equal(0x1234UL, p.MainThread.Registers.Rip);
        Assert.False(p.Exited);
    }

    [Fact]
    public void Execve_OwnerOnlyProgram_OthersGetEaccesRootRunsIt()
    {
        ProcessHarness k = With(Exe("bin/mine", 0x8000 | 0x1C0, Program())); // -rwx------ root
        UserProcess user = k.NewProcess(uid: 1000), root = k.NewProcess();

        Assert.Equal(Err(Errno.EACCES), Execve(k, user, "/bin/mine", "mine"));
        Assert.Equal(0, Execve(k, root, "/bin/mine", "mine"));
        Assert.Equal(0x401000UL, root.MainThread.Registers.Rip);
    }

    [Fact]
    public void Execve_NoExecuteBitAtAll_IsEaccesEvenForRoot()
    {
        ProcessHarness k = With(Exe("bin/plain", SampleInitramfs.File644, Program()));

        Assert.Equal(Err(Errno.EACCES), Execve(k, k.NewProcess(), "/bin/plain", "plain"));
    }

    [Fact]
    public void Execve_DirectoryWithoutSearchPermission_ReturnsEacces()
    {
        ProcessHarness k = With(Exe("priv", 0x4000 | 0x1C0, Array.Empty<byte>()), Exe("priv/prog", X, Program()));

        Assert.Equal(Err(Errno.EACCES), Execve(k, k.NewProcess(uid: 1000), "/priv/prog", "prog"));
    }

    [Fact]
    public void Execve_ThroughASymlink_RunsTheTargetUnderTheGivenPath()
    {
        ProcessHarness k = With(Exe("bin/prog", X, Program()), Exe("bin/alias", SampleInitramfs.Link, Encoding.ASCII.GetBytes("prog")));
        UserProcess p = k.NewProcess();

        Assert.Equal(0, Execve(k, p, "/bin/alias", "alias"));

        Assert.Equal(0x401000UL, p.MainThread.Registers.Rip);
        ulong rsp = p.MainThread.Registers.Rsp;
        var stack = new StackDecoder(Get(p, rsp, (int)(MemoryMap.StackTop - rsp)), rsp);
        Assert.Equal("/bin/alias", stack.CString(stack.AuxvValue(AuxvType.AT_EXECFN))); // the name execve was given
        Assert.Equal("alias", Encoding.Latin1.GetString(p.MainThread.Name).TrimEnd('\0'));
        Assert.Equal("/bin/prog", ProcSelfExe(k, p)); // /proc/self/exe: the file itself
    }

    /// <summary>readlink("/proc/self/exe") after an exec, in a region mapped for it.</summary>
    private static string ProcSelfExe(ProcessHarness k, UserProcess p)
    {
        const ulong Fresh = 0x2000_0000;
        Map(p, Fresh, 0x1000, UserRW);
        PutString(p, Fresh, "/proc/self/exe");
        long n = k.Call(p, t => Readlink.InvokeReadlink(t, Args(Fresh, Fresh + 0x100, 256)));
        Assert.True(n > 0, "readlink: " + n);
        return GetString(p, Fresh + 0x100, (int)n);
    }

    [Fact]
    public void Execve_Script_CommAndExecfnNameTheScriptAndExeTheInterpreter()
    {
        ProcessHarness k = With(Exe("bin/prog", X, Program()), Exe("bin/script", X, Encoding.ASCII.GetBytes("#!/bin/prog\n")));
        UserProcess p = k.NewProcess();

        Assert.Equal(0, Execve(k, p, "/bin/script", "script"));

        ulong rsp = p.MainThread.Registers.Rsp;
        var stack = new StackDecoder(Get(p, rsp, (int)(MemoryMap.StackTop - rsp)), rsp);
        Assert.Equal("/bin/prog", ProcSelfExe(k, p));
        // fs/exec.c: AT_EXECFN is bprm->exec and comm is kbasename(bprm->filename), both the
        // name execve was called with, not the interpreter's.
        Assert.Equal("/bin/script", stack.CString(stack.AuxvValue(AuxvType.AT_EXECFN)));
        Assert.Equal("script", Encoding.Latin1.GetString(p.MainThread.Name).TrimEnd('\0'));
    }

    [Fact]
    public void Execve_ScriptWhoseInterpreterIsMissing_ReturnsEnoent()
    {
        ProcessHarness k = With(Exe("bin/script", X, Encoding.ASCII.GetBytes("#!/bin/nothing\n")));

        Assert.Equal(Err(Errno.ENOENT), Execve(k, k.NewProcess(), "/bin/script", "script"));
    }

    [Fact]
    public void Execve_ScriptsNestedPastTheLimit_ReturnsEloop()
    {
        // fs/exec.c exec_binprm: "if (depth > 5) return -ELOOP" before each handler, so five
        // scripts may lead to the program (handlers at depths 0-4, the ELF at 5) and six may not.
        var extras = new List<SampleInitramfs.Extra> { Exe("bin/prog", X, Program()) };
        string previous = "/bin/prog";
        for (int i = 1; i <= 6; i++)
        {
            extras.Add(Exe("bin/s" + i, X, Encoding.ASCII.GetBytes("#!" + previous + "\n")));
            previous = "/bin/s" + i; // s<i> is i scripts deep
        }
        ProcessHarness k = With(extras.ToArray());

        Assert.Equal(0, Execve(k, k.NewProcess(), "/bin/s5", "s5"));
        Assert.Equal(Err(Errno.ELOOP), Execve(k, k.NewProcess(), "/bin/s6", "s6"));
    }

    [Fact]
    public void Load_NotAnElfFile_ReturnsEnoexecAndKeepsTheOldImage()
    {
        UserProcess p = With().NewProcess();
        PutString(p, Scratch, "still here");
        p.MainThread.Registers.Rip = 0x1234;

        Assert.Equal(-Errno.ENOEXEC, Load(p, "/bin/busybox", Encoding.Latin1.GetBytes("\x7f" + "ELF not really"), new[] { "x" }));

        Assert.Equal("still here", GetString(p, Scratch, 10));
        Assert.Equal(0x1234UL, p.MainThread.Registers.Rip);
        Assert.False(p.Exited);
    }

    [Fact]
    public void Load_DynamicallyLinked_ReturnsEnoentAsWhenTheInterpreterIsMissing()
    {
        UserProcess p = With().NewProcess();

        Assert.Equal(-Errno.ENOENT, Load(p, "/bin/dyn", Program(b => b.WithInterpreter("/lib/ld-musl-x86_64.so.1\0")), new[] { "dyn" }));
        Assert.NotNull(p.Memory.Find(Scratch));
    }

    [Fact]
    public void FollowScript_InterpreterWithArgument_BuildsLinuxsArgv()
    {
        string path = "/bin/script";
        byte[][] argv = Strings("script", "a1", "a2");

        Assert.Equal(1, ExecLoader.FollowScript(Encoding.ASCII.GetBytes("#!/bin/prog -f -g\nbody\n"), 0, ref path, ref argv));

        Assert.Equal("/bin/prog", path);
        Assert.Equal(new[] { "/bin/prog", "-f -g", "/bin/script", "a1", "a2" }, Texts(argv));
    }

    [Fact]
    public void FollowScript_NoArgumentAndEmptyArgv_PutsThePathAfterTheInterpreter()
    {
        string path = "run.sh";
        byte[][] argv = Strings();

        Assert.Equal(1, ExecLoader.FollowScript(Encoding.ASCII.GetBytes("#! /bin/sh\n"), 2, ref path, ref argv));

        Assert.Equal("/bin/sh", path);
        Assert.Equal(new[] { "/bin/sh", "run.sh" }, Texts(argv));
    }

    [Fact]
    public void FollowScript_ElfFile_IsToBeLoadedAndChangesNothing()
    {
        string path = "/bin/prog";
        byte[][] argv = Strings("prog", "x");

        Assert.Equal(0, ExecLoader.FollowScript(Program(), ExecLoader.MaxScriptDepth, ref path, ref argv));

        Assert.Equal("/bin/prog", path);
        Assert.Equal(new[] { "prog", "x" }, Texts(argv));
    }

    [Fact]
    public void FollowScript_AtTheDepthLimit_ReturnsEloopAndChangesNothing()
    {
        string path = "/bin/script";
        byte[][] argv = Strings("script");

        Assert.Equal(-Errno.ELOOP, ExecLoader.FollowScript(Encoding.ASCII.GetBytes("#!/bin/sh\n"), ExecLoader.MaxScriptDepth, ref path, ref argv));

        Assert.Equal("/bin/script", path);
        Assert.Equal(new[] { "script" }, Texts(argv));
    }

    [Fact]
    public void Load_SegmentsSharingAPage_DataInThatPageIsWritable()
    {
        byte[] file = Program(b =>
        {
            b.Headers.Clear();
            b.Headers.Add(ElfFileBuilder.Load(ElfConstants.PF_R | ElfConstants.PF_X, 0, 0x400000, 0x1800, 0x1800));
            b.Headers.Add(ElfFileBuilder.Load(ElfConstants.PF_R | ElfConstants.PF_W, 0x1800, 0x401800, 0x100, 0x1000));
        });
        UserProcess p = With().NewProcess();
        Assert.Equal(0, Load(p, "/bin/packed", file, new[] { "packed" }));

        Assert.Equal(0, p.UserMemory.WriteUInt64(0x401800, 42)); // the data segment's first word
    }
}
