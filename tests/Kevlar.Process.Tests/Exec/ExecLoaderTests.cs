// ExecLoaderTests: exec over fake page tables — each PT_LOAD becomes a region
// with the segment's rights and its file bytes (the rest zero), the heap
// starts above the highest segment, the stack carries argv/envp/auxv, the
// registers start at the entry point, close-on-exec fds close; a failure
// before the point of no return leaves the old image as it was.
using System.Text;
using Kevlar.Process.Exec;
using Kevlar.Process.Files;
using Kevlar.Process.Memory;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;

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

    private static (ulong, ulong, PageProtection, RegionKind)[] Regions(UserProcess p)
        => Enumerable.Range(0, p.Memory.Count).Select(i => (p.Memory[i].Start, p.Memory[i].End, p.Memory[i].Protection, p.Memory[i].Kind)).ToArray();

    [Fact]
    public void Exec_StaticElf_MapsEachSegmentWithItsRightsAndBytes()
    {
        ProcessHarness k = With(Exe("bin/prog", X, Program()));
        UserProcess p = k.NewProcess();

        Assert.Equal(0, ExecLoader.Exec(p.MainThread, "/bin/prog", Strings("prog"), Strings()));

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
    public void Exec_StaticElf_StartsAtTheEntryWithArgvEnvpAndAuxvOnTheStack()
    {
        ProcessHarness k = With(Exe("bin/prog", X, Program()));
        UserProcess p = k.NewProcess(uid: 1000);

        Assert.Equal(0, ExecLoader.Exec(p.MainThread, "/bin/prog", Strings("prog", "-x"), Strings("HOME=/")));

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
    public void Exec_CloseOnExecFds_AreClosedAndOthersKept()
    {
        ProcessHarness k = With(Exe("bin/prog", X, Program()));
        UserProcess p = k.NewProcess();
        p.Files.SetCloseOnExec(2, true);

        Assert.Equal(0, ExecLoader.Exec(p.MainThread, "/bin/prog", Strings("prog"), Strings()));

        Assert.NotNull(p.Files.Get(1));
        Assert.Null(p.Files.Get(2));
    }

    [Fact]
    public void Exec_Script_RunsItsInterpreterWithThePathAsAnArgument()
    {
        ProcessHarness k = With(Exe("bin/prog", X, Program()), Exe("bin/script", X, Encoding.ASCII.GetBytes("#!/bin/prog -f\necho\n")));
        UserProcess p = k.NewProcess();

        Assert.Equal(0, ExecLoader.Exec(p.MainThread, "/bin/script", Strings("script", "a1"), Strings()));

        ulong rsp = p.MainThread.Registers.Rsp;
        var stack = new StackDecoder(Get(p, rsp, (int)(MemoryMap.StackTop - rsp)), rsp);
        Assert.Equal(new[] { "/bin/prog", "-f", "/bin/script", "a1" }, stack.Argv);
        Assert.Equal("/bin/prog", p.ExecutablePath);
    }

    [Theory]
    [InlineData("/bin/nothing", Errno.ENOENT)]
    [InlineData("/etc/passwd", Errno.EACCES)]     // no execute bit
    [InlineData("/bin/busybox", Errno.ENOEXEC)]   // executable, but not an ELF file
    public void Exec_Unrunnable_FailsAndKeepsTheOldImage(string path, int errno)
    {
        ProcessHarness k = With();
        UserProcess p = k.NewProcess();
        PutString(p, Scratch, "still here");
        p.MainThread.Registers.Rip = 0x1234;

        Assert.Equal(-errno, ExecLoader.Exec(p.MainThread, path, Strings("x"), Strings()));

        Assert.Equal("still here", GetString(p, Scratch, 10));
        Assert.Equal(0x1234UL, p.MainThread.Registers.Rip);
        Assert.False(p.Exited);
    }

    [Fact]
    public void Exec_DynamicallyLinked_ReturnsEnoentAsWhenTheInterpreterIsMissing()
    {
        ProcessHarness k = With(Exe("bin/dyn", X, Program(b => b.WithInterpreter("/lib/ld-musl-x86_64.so.1\0"))));
        UserProcess p = k.NewProcess();

        Assert.Equal(-Errno.ENOENT, ExecLoader.Exec(p.MainThread, "/bin/dyn", Strings("dyn"), Strings()));
    }

    [Fact]
    public void Exec_Directory_ReturnsEacces()
    {
        ProcessHarness k = With();
        UserProcess p = k.NewProcess();

        Assert.Equal(-Errno.EACCES, ExecLoader.Exec(p.MainThread, "/dir", Strings("dir"), Strings()));
    }

    [Fact]
    public void Exec_SegmentsSharingAPage_DataInThatPageIsWritable()
    {
        byte[] file = Program(b =>
        {
            b.Headers.Clear();
            b.Headers.Add(ElfFileBuilder.Load(ElfConstants.PF_R | ElfConstants.PF_X, 0, 0x400000, 0x1800, 0x1800));
            b.Headers.Add(ElfFileBuilder.Load(ElfConstants.PF_R | ElfConstants.PF_W, 0x1800, 0x401800, 0x100, 0x1000));
        });
        ProcessHarness k = With(Exe("bin/packed", X, file));
        UserProcess p = k.NewProcess();
        Assert.Equal(0, ExecLoader.Exec(p.MainThread, "/bin/packed", Strings("packed"), Strings()));

        Assert.Equal(0, p.UserMemory.WriteUInt64(0x401800, 42)); // the data segment's first word
    }
}
