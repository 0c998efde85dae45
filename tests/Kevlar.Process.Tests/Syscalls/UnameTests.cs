// UnameTests: uname(2) fills struct utsname (six 65-byte NUL-terminated fields).
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class UnameTests
{
    private readonly ProcessHarness _k = new();

    [Fact]
    public void Invoke_ValidBuffer_FillsSixNulTerminatedFields()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(0, Uname.Invoke(p.MainThread, Args(Scratch)));

        byte[] b = Get(p, Scratch, 6 * 65);
        string Field(int i) => System.Text.Encoding.Latin1.GetString(b, i * 65, 65).Split('\0')[0];
        Assert.Equal(new[] { "Linux", "kevlar", Uname.Release, Uname.Version, "x86_64", "(none)" }, Enumerable.Range(0, 6).Select(Field));
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal(0, b[i * 65 + 64]));
        Assert.StartsWith("6.", Uname.Release);
    }

    [Fact]
    public void Invoke_BadPointer_ReturnsEfault()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.EFAULT), Uname.Invoke(p.MainThread, Args(0)));
        Assert.Equal(Err(Errno.EFAULT), Uname.Invoke(p.MainThread, Args(Scratch + ScratchSize - 100)));
    }
}
