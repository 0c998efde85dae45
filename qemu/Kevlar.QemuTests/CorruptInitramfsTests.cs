// CorruptInitramfsTests: the kernel booted with an initramfs that is valid up
// to a point and then damaged — a second concatenated archive whose header is
// garbled, or one cut off in the middle of a file's data — must say the
// initramfs is damaged, keep every entry before the damage (init, its argv,
// BusyBox, /before) and run init from them, and not panic. The archive is made
// here as qemu/run-user.sh makes its own, then damaged.
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class CorruptInitramfsTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 300;

    [Theory]
    [InlineData("garbled")]
    [InlineData("truncated")]
    public void Boot_DamagedArchiveAfterValidInit_KeepsEntriesBeforeTheDamage(string damage)
    {
        string work = Directory.CreateTempSubdirectory("kevlar-cpio-").FullName;
        try
        {
            string initrd = BuildArchive(work, damage);
            string control = Path.Combine(work, "control");
            string console = RunQemu(initrd, control);
            output.WriteLine(console);
            Assert.DoesNotContain("KEVLAR PANIC", console);
            Assert.Contains("kevlar: the initramfs is damaged; using the entries before the damage", console);
            Assert.Contains("before-content", console);
            Assert.Contains("after-missing", console);
            Assert.DoesNotContain("after-content", console);
            Assert.Contains("exit 0", File.Exists(control) ? File.ReadAllLines(control) : []);
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    // A valid archive (init, argv, BusyBox, /before) followed by a second archive holding
    // /after whose magic is garbled, or which stops 100 bytes into /after's data.
    private static string BuildArchive(string work, string damage)
    {
        string script = """
            set -euo pipefail
            root=$1 work=$2 damage=$3
            init=$root/qemu/out/kevlar-init
            [ -x "$init" ] || musl-gcc -static -O2 -o "$init" "$root/qemu/init/kevlar-init.c"
            mkdir -p "$work/a/kevlar" "$work/a/bin" "$work/b"
            cp "$init" "$work/a/kevlar/init"
            cp "$(command -v busybox)" "$work/a/bin/busybox"
            echo before-content > "$work/a/before"
            printf '%s\0' /kevlar/init /bin/busybox sh -c 'cat /before; cat /after 2>/dev/null || echo after-missing' > "$work/a/kevlar/argv"
            head -c 4096 /dev/zero | tr '\0' 'x' > "$work/b/after"
            sed -i '1s/^/after-content\n/' "$work/b/after"
            (cd "$work/a" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) > "$work/first.cpio"
            (cd "$work/b" && echo after | cpio -o -H newc --quiet) > "$work/second.cpio"
            if [ "$damage" = garbled ]; then
              printf '0707X1' | dd of="$work/second.cpio" bs=1 seek=0 conv=notrunc status=none
            else
              truncate -s $((110 + 8 + 100)) "$work/second.cpio"
            fi
            cat "$work/first.cpio" "$work/second.cpio" > "$work/initramfs.cpio"
            """;
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("bash");
        psi.ArgumentList.Add(KernelImage.Root);
        psi.ArgumentList.Add(work);
        psi.ArgumentList.Add(damage);
        using var p = Process.Start(psi)!;
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "building the archive failed: " + errors);
        return Path.Combine(work, "initramfs.cpio");
    }

    private static string RunQemu(string initrd, string control)
    {
        KernelImage.EnsureBuilt();
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(KernelImage.Root, "qemu", "run-qemu.sh"));
        foreach (string a in new[] { "--smp", "4", "--timeout", TimeoutSeconds.ToString(), "--append", "quiet", "--initrd", initrd, "--control", control })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return stdout + stderr.Result;
    }
}
