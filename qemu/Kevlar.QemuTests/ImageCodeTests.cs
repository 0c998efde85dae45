// What the kernel image's code must not contain. The user-entry stubs leave a
// thread's x87 state in the CPU across the kernel (docs/decisions.md, "FPU
// state"): that holds only while kernel code never executes an x87 or MMX
// instruction, which a `long double` or a runtime helper could bring in.
using System;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Kevlar.QemuTests;

public class ImageCodeTests
{
    [Fact]
    public void Image_HasNoX87OrMmxInstruction_ButTheFxsaveStubs()
    {
        KernelImage.EnsureBuilt();
        var r = ProcessRunner.Run("objdump", ["-d", "--no-show-raw-insn", KernelImage.Path], KernelImage.Root, TimeSpan.FromMinutes(3));
        Assert.Equal(0, r.ExitCode);
        var mnemonics = r.Output.Split('\n')
            .Select(l => Regex.Match(l, @"^\s+[0-9a-f]+:\s+([a-z][a-z0-9]*)(\s|$)"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();
        Assert.True(mnemonics.Count > 10000, "objdump listed too few instructions");
        var x87 = mnemonics.Where(m => m.StartsWith('f') && m != "fxsave" && m != "fxrstor").Distinct().ToList();
        Assert.True(x87.Count == 0, "x87 instructions in the image: " + string.Join(", ", x87));
        Assert.DoesNotContain("emms", mnemonics);
        Assert.DoesNotContain(r.Output.Split('\n'), l => Regex.IsMatch(l, @"%mm[0-7]\b"));
    }
}
