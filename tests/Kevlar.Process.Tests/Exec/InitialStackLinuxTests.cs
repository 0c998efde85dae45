// InitialStackLinuxTests: the host's own Linux kernel as the reference. A
// static musl program run with address randomisation off (setarch -R) dumps
// its initial stack from rsp to the top; the builder, given the same top,
// strings, random bytes and auxv entries, must produce the same rsp and the
// same bytes (the auxv pairs may come in another order: the builder puts
// AT_RANDOM, AT_EXECFN and AT_PLATFORM last).
using System.Globalization;
using Kevlar.Process.Exec;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Exec.AuxvType;

namespace Kevlar.Process.Tests.Exec;

public class InitialStackLinuxTests : IDisposable
{
    private const string DumpSource = """
        #include <stdio.h>
        #include <string.h>
        #include <stdint.h>
        #include <sys/auxv.h>
        int main(int argc, char **argv)
        {
            /* Linux puts the exec filename right below an 8-byte NULL at the stack top. */
            char *execfn = (char *)getauxval(AT_EXECFN);
            uintptr_t top = (uintptr_t)execfn + strlen(execfn) + 1 + 8;
            unsigned char *sp = (unsigned char *)(argv - 1);
            printf("%lx %lx\n", (unsigned long)top, (unsigned long)sp);
            for (unsigned char *p = sp; (uintptr_t)p < top; p++)
                printf("%02x", *p);
            printf("\n");
            return argc == 0;
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("kevlar-stack-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TryBuild_SameInputsAsLinuxExec_MatchesLinuxStackBytes()
    {
        var (top, sp, bytes) = DumpLinuxStack("alpha", "two words", "");
        var linux = new StackDecoder(bytes, sp);
        Assert.Equal(0UL, top % 4096);

        int result = InitialStack.TryBuild(top, linux.Argv.ToArray(), linux.Envp.ToArray(),
            linux.CString(linux.AuxvValue(AT_EXECFN)), linux.Slice(linux.AuxvValue(AT_RANDOM), 16),
            linux.CString(linux.AuxvValue(AT_PLATFORM)), CallerEntries(linux), ArgumentLimits.ForStackLimit(8 << 20),
            out InitialStack? ours);

        Assert.Equal(0, result);
        Assert.Equal(sp, ours!.StackPointer);
        Assert.Equal(bytes.Length, ours.Bytes.Length);
        var decoded = new StackDecoder(ours.Bytes, ours.StackPointer);
        Assert.Equal(linux.AuxvEnd, decoded.AuxvEnd);
        Assert.Equal(linux.Auxv.OrderBy(e => e.Type), decoded.Auxv.OrderBy(e => e.Type));
        int tablesEnd = (int)(linux.AuxvAddress - sp);
        int auxvEnd = (int)(linux.AuxvEnd - sp);
        Assert.Equal(bytes.AsSpan(0, tablesEnd).ToArray(), ours.Bytes.AsSpan(0, tablesEnd).ToArray());
        Assert.Equal(bytes.AsSpan(auxvEnd).ToArray(), ours.Bytes.AsSpan(auxvEnd).ToArray());
    }

    /// <summary>Linux's auxv without the entries the builder writes itself.</summary>
    private static AuxvEntry[] CallerEntries(StackDecoder linux) =>
        linux.Auxv.Where(e => e.Type != AT_RANDOM && e.Type != AT_EXECFN && e.Type != AT_PLATFORM)
            .Select(e => new AuxvEntry(e.Type, e.Value)).ToArray();

    private (ulong Top, ulong Sp, byte[] Bytes) DumpLinuxStack(params string[] arguments)
    {
        File.WriteAllText(Path.Combine(_directory, "dump.c"), DumpSource);
        HostTools.Run("musl-gcc", _directory, "-static", "-O2", "-o", "dump", "dump.c");
        string dump = Path.Combine(_directory, "dump");
        string output = HostTools.RunWithEnvironment("setarch", _directory, new[] { "HOME=/root", "LANG=C", "X=" },
            new[] { "-R", dump }.Concat(arguments).ToArray());
        string[] lines = output.Split('\n');
        string[] addresses = lines[0].Split(' ');
        return (ulong.Parse(addresses[0], NumberStyles.HexNumber), ulong.Parse(addresses[1], NumberStyles.HexNumber),
            Convert.FromHexString(lines[1].Trim()));
    }
}
