// MuslPrograms: a small C program compiled at test time, four ways, into a
// temporary directory that is removed afterwards. Shared by a test class as
// an xunit class fixture so each compiler run happens once.
namespace Kevlar.Process.Tests.Support;

public sealed class MuslPrograms : IDisposable
{
    private const string Source = """
        #include <stdio.h>
        static _Thread_local int calls = 3;
        int main(int argc, char **argv)
        {
            calls += argc;
            printf("%s %d\n", argv[0], calls);
            return 0;
        }
        """;

    private readonly string _directory;

    public MuslPrograms()
    {
        _directory = Directory.CreateTempSubdirectory("kevlar-elf-").FullName;
        File.WriteAllText(Path.Combine(_directory, "hello.c"), Source);
        Static = Compile("static", "-static", "-O2");
        StaticExecStack = Compile("execstack", "-static", "-z", "execstack");
        Dynamic = Compile("dynamic", "-O2");
        StaticPie = CompileStaticPie("static-pie");
    }

    /// <summary>musl-gcc -static: ET_EXEC, no PT_PHDR, a PT_TLS.</summary>
    public string Static { get; }
    /// <summary>musl-gcc -static -z execstack: PT_GNU_STACK with PF_X.</summary>
    public string StaticExecStack { get; }
    /// <summary>musl-gcc (dynamic): ET_DYN with PT_PHDR and PT_INTERP /lib/ld-musl-x86_64.so.1.</summary>
    public string Dynamic { get; }
    /// <summary>A static PIE: ET_DYN with no PT_INTERP.</summary>
    public string StaticPie { get; }

    private string Compile(string name, params string[] flags)
    {
        var arguments = new List<string>(flags) { "-o", name, "hello.c" };
        HostTools.Run("musl-gcc", _directory, arguments.ToArray());
        return Path.Combine(_directory, name);
    }

    /// <summary>
    /// Debian's musl-gcc.specs turns -static-pie into a plain -pie link with
    /// Scrt1.o and a dynamic linker, so the static PIE is linked by hand the
    /// way musl's own musl-gcc does it: rcrt1.o (which relocates itself),
    /// -static -pie --no-dynamic-linker.
    /// </summary>
    private string CompileStaticPie(string name)
    {
        const string lib = "/usr/lib/x86_64-linux-musl";
        string beginS = HostTools.Run("musl-gcc", _directory, "-print-file-name=crtbeginS.o").Trim();
        string endS = HostTools.Run("musl-gcc", _directory, "-print-file-name=crtendS.o").Trim();
        HostTools.Run("musl-gcc", _directory, "-fPIE", "-static-pie", "-nostartfiles",
            "-Wl,-static,--no-dynamic-linker,-z,text", "-o", name,
            lib + "/rcrt1.o", lib + "/crti.o", beginS, "hello.c", endS, lib + "/crtn.o");
        return Path.Combine(_directory, name);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
