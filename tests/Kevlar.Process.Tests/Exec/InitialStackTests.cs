// InitialStackTests: the built stack decodes back to what went in (argc,
// argv and envp through their pointers, auxv in place, AT_RANDOM/AT_EXECFN/
// AT_PLATFORM pointing at their data, rsp 16-byte aligned), the E2BIG and
// EINVAL rules hold, and the layout equals a real Linux stack byte for byte.
using System.Text;
using Kevlar.Process.Exec;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Exec.AuxvType;

namespace Kevlar.Process.Tests.Exec;

public class InitialStackTests
{
    private const ulong Top = 0x7FFF_FFFF_F000;
    private static readonly byte[] Random16 = Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray();
    private static readonly AuxvEntry[] CallerAuxv =
    {
        new(AT_PHDR, 0x400040), new(AT_PHENT, 56), new(AT_PHNUM, 10), new(AT_PAGESZ, 4096),
        new(AT_BASE, 0), new(AT_FLAGS, 0), new(AT_ENTRY, 0x40EBF0), new(AT_UID, 1000), new(AT_EUID, 1000),
        new(AT_GID, 100), new(AT_EGID, 100), new(AT_SECURE, 0), new(AT_HWCAP, 0x178BFBFF),
        new(AT_HWCAP2, 2), new(AT_CLKTCK, 100), new(AT_MINSIGSTKSZ, 3376),
    };

    [Fact]
    public void TryBuild_BusyboxShell_DecodesBack()
    {
        string[] argv = { "/bin/busybox", "sh", "-c", "echo hi" };
        string[] envp = { "HOME=/", "PATH=/bin:/sbin", "TERM=linux" };

        InitialStack stack = Build(argv, envp, "/bin/busybox");
        var d = new StackDecoder(stack.Bytes, stack.StackPointer);

        Assert.Equal(0UL, stack.StackPointer % 16);
        Assert.Equal(Top - stack.StackPointer, (ulong)stack.Bytes.Length);
        Assert.Equal(argv, d.Argv);
        Assert.Equal(envp, d.Envp);
        Assert.Equal(CallerAuxv.Length + 3, d.Auxv.Count);
        for (int i = 0; i < CallerAuxv.Length; i++)
            Assert.Equal((CallerAuxv[i].Type, CallerAuxv[i].Value), d.Auxv[i]);
        Assert.Equal(new[] { AT_RANDOM, AT_EXECFN, AT_PLATFORM }, d.Auxv.Skip(CallerAuxv.Length).Select(e => e.Type));
        Assert.Equal(Random16, d.Slice(d.AuxvValue(AT_RANDOM), 16));
        Assert.Equal("/bin/busybox", d.CString(d.AuxvValue(AT_EXECFN)));
        Assert.Equal("x86_64", d.CString(d.AuxvValue(AT_PLATFORM)));
        Assert.Equal(d.AuxvAddress, stack.AuxvAddress);
    }

    [Fact]
    public void TryBuild_StringAreas_SitAtTheTopInLinuxOrder()
    {
        InitialStack stack = Build(new[] { "prog", "a1" }, new[] { "E=1" }, "/prog");
        var d = new StackDecoder(stack.Bytes, stack.StackPointer);

        Assert.Equal(new byte[8], d.Slice(Top - 8, 8));
        Assert.Equal(Top - 8 - 6, d.AuxvValue(AT_EXECFN));
        Assert.Equal(d.AuxvValue(AT_EXECFN) - 4, d.EnvpPointers[0]);
        Assert.Equal(d.EnvpPointers[0] - 3, d.ArgvPointers[1]);
        Assert.Equal(d.ArgvPointers[1] - 5, d.ArgvPointers[0]);
        Assert.Equal(d.ArgvPointers[0], stack.ArgumentsStart);
        Assert.Equal(d.EnvpPointers[0], stack.ArgumentsEnd);
        Assert.Equal(d.AuxvValue(AT_EXECFN), stack.EnvironmentEnd);
        Assert.Equal(0UL, (d.AuxvValue(AT_PLATFORM) + 7) % 16);
        Assert.Equal(d.AuxvValue(AT_PLATFORM) - 16, d.AuxvValue(AT_RANDOM));
        Assert.InRange(d.AuxvValue(AT_RANDOM) - d.AuxvEnd, 0UL, 15UL);
    }

    [Fact]
    public void TryBuild_EveryShapeUpToSixStrings_KeepsRspAlignedAndDecodes()
    {
        for (int argc = 0; argc <= 6; argc++)
            for (int envc = 0; envc <= 6; envc++)
                for (int extra = 0; extra < 16; extra += 5)
                {
                    string[] argv = Enumerable.Range(0, argc).Select(i => new string('a', i + extra)).ToArray();
                    string[] envp = Enumerable.Range(0, envc).Select(i => "V" + i + "=" + new string('b', extra)).ToArray();

                    InitialStack stack = Build(argv, envp, "/f" + new string('c', extra), Top - (ulong)extra * 8);
                    var d = new StackDecoder(stack.Bytes, stack.StackPointer);

                    Assert.Equal(0UL, stack.StackPointer % 16);
                    Assert.Equal(argc == 0 ? new[] { "" } : argv, d.Argv);
                    Assert.Equal(envp, d.Envp);
                }
    }

    [Fact]
    public void TryBuild_EmptyArgv_GetsOneEmptyArgumentLikeLinux()
    {
        var d = Decode(Build(Array.Empty<string>(), Array.Empty<string>(), "/init"));

        Assert.Equal(new[] { "" }, d.Argv);
    }

    [Fact]
    public void TryBuild_ByteStrings_KeptExactly()
    {
        byte[] arg = { 0xFF, 0x80, (byte)'x' };
        int result = InitialStack.TryBuild(Top, new[] { arg }, Array.Empty<byte[]>(), Encoding.ASCII.GetBytes("/x"),
            Random16, Encoding.ASCII.GetBytes("x86_64"), CallerAuxv, ArgumentLimits.ArgMax, out InitialStack? stack);

        Assert.Equal(0, result);
        var d = Decode(stack!);
        Assert.Equal(arg, Encoding.Latin1.GetBytes(d.Argv[0]));
    }

    [Fact]
    public void TryBuild_StringOfMaxArgStrlen_Succeeds()
    {
        string longest = new string('x', (int)ArgumentLimits.MaxArgStrlen - 1);

        Assert.Equal(0, TryBuild(new[] { "p", longest }, Array.Empty<string>(), "/p", 1 << 20));
    }

    [Fact]
    public void TryBuild_StringOverMaxArgStrlen_ReturnsE2big()
    {
        string tooLong = new string('x', (int)ArgumentLimits.MaxArgStrlen);

        Assert.Equal(-Errno.E2BIG, TryBuild(new[] { "p" }, new[] { tooLong }, "/p", 1 << 20));
        Assert.Equal(-Errno.E2BIG, TryBuild(new[] { "p" }, Array.Empty<string>(), "/" + tooLong, 1 << 20));
    }

    [Fact]
    public void TryBuild_StringsExactlyAtLimit_Succeeds()
    {
        // Pointers: 2 * 8; strings: "p\0" + "0123456789\0" + "/p\0".
        const ulong needed = 2 * 8 + 2 + 11 + 3;

        Assert.Equal(0, TryBuild(new[] { "p" }, new[] { "0123456789" }, "/p", needed));
        Assert.Equal(-Errno.E2BIG, TryBuild(new[] { "p" }, new[] { "0123456789" }, "/p", needed - 1));
    }

    [Fact]
    public void TryBuild_LimitBelowPointers_ReturnsE2big() =>
        Assert.Equal(-Errno.E2BIG, TryBuild(new[] { "a", "b" }, new[] { "c" }, "/p", 24));

    [Fact]
    public void TryBuild_ManyArgumentsOverQuarterOfStackLimit_ReturnsE2big()
    {
        ulong limit = ArgumentLimits.ForStackLimit(8 * 1024 * 1024);
        string[] argv = Enumerable.Repeat(new string('z', 4095), (int)(limit / 4096) + 1).ToArray();

        Assert.Equal(-Errno.E2BIG, TryBuild(argv, Array.Empty<string>(), "/p", limit));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(0)]
    public void TryBuild_RandomNotSixteenBytes_ReturnsEinval(int length)
    {
        int result = InitialStack.TryBuild(Top, new[] { "p" }, Array.Empty<string>(), "/p", new byte[length], "x86_64",
            CallerAuxv, ArgumentLimits.ArgMax, out InitialStack? stack);

        Assert.Equal(-Errno.EINVAL, result);
        Assert.Null(stack);
    }

    [Fact]
    public void TryBuild_StringWithNul_ReturnsEinval() =>
        Assert.Equal(-Errno.EINVAL, TryBuild(new[] { "p\0q" }, Array.Empty<string>(), "/p", ArgumentLimits.ArgMax));

    [Fact]
    public void TryBuild_CharAboveLatin1_ReturnsEinval() =>
        Assert.Equal(-Errno.EINVAL, TryBuild(new[] { "p" }, new[] { "X=\u0100" }, "/p", ArgumentLimits.ArgMax));

    [Theory]
    [InlineData(AT_NULL)]
    [InlineData(AT_RANDOM)]
    [InlineData(AT_EXECFN)]
    [InlineData(AT_PLATFORM)]
    public void TryBuild_CallerAuxvHoldsBuilderEntry_ReturnsEinval(ulong type)
    {
        int result = InitialStack.TryBuild(Top, new[] { "p" }, Array.Empty<string>(), "/p", Random16, "x86_64",
            new[] { new AuxvEntry(AT_PAGESZ, 4096), new AuxvEntry(type, 1) }, ArgumentLimits.ArgMax, out _);

        Assert.Equal(-Errno.EINVAL, result);
    }

    [Fact]
    public void TryBuild_TopTooLow_ReturnsEfault()
    {
        int result = InitialStack.TryBuild(256, new[] { "p" }, Array.Empty<string>(), "/p", Random16, "x86_64",
            CallerAuxv, ArgumentLimits.ArgMax, out InitialStack? stack);

        Assert.Equal(-Errno.EFAULT, result);
        Assert.Null(stack);
    }

    [Theory]
    [InlineData(8UL * 1024 * 1024, 2UL * 1024 * 1024)]
    [InlineData(ulong.MaxValue, 6UL * 1024 * 1024)]
    [InlineData(64UL * 1024, 128UL * 1024)]
    [InlineData(0UL, 128UL * 1024)]
    public void ForStackLimit_RlimitStack_GivesLinuxBudget(ulong rlimit, ulong expected) =>
        Assert.Equal(expected, ArgumentLimits.ForStackLimit(rlimit));

    private static InitialStack Build(string[] argv, string[] envp, string execFn, ulong top = Top)
    {
        int result = InitialStack.TryBuild(top, argv, envp, execFn, Random16, "x86_64", CallerAuxv,
            ArgumentLimits.ForStackLimit(8 * 1024 * 1024), out InitialStack? stack);
        Assert.Equal(0, result);
        return stack!;
    }

    private static int TryBuild(string[] argv, string[] envp, string execFn, ulong limit) =>
        InitialStack.TryBuild(Top, argv, envp, execFn, Random16, "x86_64", CallerAuxv, limit, out _);

    private static StackDecoder Decode(InitialStack stack) => new(stack.Bytes, stack.StackPointer);
}
