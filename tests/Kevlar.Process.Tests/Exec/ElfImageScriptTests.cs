// ElfImageScriptTests: ElfImage.IsScript splits "#!" lines the way Linux
// fs/binfmt_script.c does: one interpreter, at most one argument holding the
// rest of the line, blanks trimmed, nothing truncated silently.
using System.Text;
using Kevlar.Process.Exec;
using Xunit;

namespace Kevlar.Process.Tests.Exec;

public class ElfImageScriptTests
{
    [Theory]
    [InlineData("#!/bin/sh\necho hi\n", "/bin/sh", null)]
    [InlineData("#! /bin/sh\n", "/bin/sh", null)]
    [InlineData("#!\t /bin/sh \t \n", "/bin/sh", null)]
    [InlineData("#!/bin/sh -e\n", "/bin/sh", "-e")]
    [InlineData("#!/usr/bin/env python3 -u -v\n", "/usr/bin/env", "python3 -u -v")]
    [InlineData("#!/bin/busybox\tsh  \n", "/bin/busybox", "sh")]
    [InlineData("#!/bin/sh  -x   -v \n", "/bin/sh", "-x   -v")]
    [InlineData("#!/bin/sh\r\n", "/bin/sh\r", null)]
    [InlineData("#!/bin/sh", "/bin/sh", null)]
    [InlineData("#!/bin/sh -x", "/bin/sh", "-x")]
    [InlineData("#!", "", null)]
    public void IsScript_InterpreterLine_SplitsLikeLinux(string text, string interpreter, string? argument)
    {
        Assert.True(ElfImage.IsScript(Encoding.ASCII.GetBytes(text), out string name, out string? arg));

        Assert.Equal(interpreter, name);
        Assert.Equal(argument, arg);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("#!\n/bin/sh\n")]
    [InlineData("#!   \t\n")]
    [InlineData("# !/bin/sh\n")]
    [InlineData("\u007fELF")]
    [InlineData(" #!/bin/sh\n")]
    public void IsScript_NoInterpreterLine_ReturnsFalse(string text)
    {
        Assert.False(ElfImage.IsScript(Encoding.ASCII.GetBytes(text), out string name, out string? arg));

        Assert.Equal("", name);
        Assert.Null(arg);
    }

    [Fact]
    public void IsScript_InterpreterCutByBufferEnd_ReturnsFalse()
    {
        string line = "#!/" + new string('a', 300) + "\n";

        Assert.False(ElfImage.IsScript(Encoding.ASCII.GetBytes(line), out _, out _));
    }

    [Fact]
    public void IsScript_AllBlanksToBufferEnd_ReturnsFalse()
    {
        string line = "#!" + new string(' ', 300) + "/bin/sh\n";

        Assert.False(ElfImage.IsScript(Encoding.ASCII.GetBytes(line), out _, out _));
    }

    [Fact]
    public void IsScript_ArgumentCutByBufferEnd_KeepsBytesBeforeLastBufferByte()
    {
        string argument = new string('x', 400);
        byte[] file = Encoding.ASCII.GetBytes("#!/bin/sh " + argument + "\n");

        Assert.True(ElfImage.IsScript(file, out string name, out string? arg));

        Assert.Equal("/bin/sh", name);
        Assert.Equal(argument.Substring(0, ElfImage.BinprmBufSize - 1 - "#!/bin/sh ".Length), arg);
    }

    [Fact]
    public void IsScript_NewlineAtLastBufferByte_KeepsWholeArgument()
    {
        string argument = new string('y', ElfImage.BinprmBufSize - 1 - "#!/bin/sh ".Length);
        byte[] file = Encoding.ASCII.GetBytes("#!/bin/sh " + argument + "\nrest");

        Assert.True(ElfImage.IsScript(file, out _, out string? arg));

        Assert.Equal(argument, arg);
    }

    [Fact]
    public void IsScript_NulInsideInterpreter_EndsInterpreter()
    {
        byte[] file = Encoding.ASCII.GetBytes("#!/bin/sh\0junk\n");

        Assert.True(ElfImage.IsScript(file, out string name, out string? arg));

        Assert.Equal("/bin/sh", name);
        Assert.Null(arg);
    }

    [Fact]
    public void IsScript_HighBytes_KeptOneCharPerByte()
    {
        byte[] file = { (byte)'#', (byte)'!', (byte)'/', 0xC3, 0xA9, (byte)'\n' };

        Assert.True(ElfImage.IsScript(file, out string name, out _));

        Assert.Equal("/\u00C3\u00A9", name);
    }
}
