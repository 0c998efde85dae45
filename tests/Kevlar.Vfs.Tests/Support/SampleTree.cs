// SampleTree: a temporary directory with the kinds of files an initramfs
// holds (regular files, an empty file, a directory, a symlink, two hard
// links), removed afterwards. Names are listed the way `find .` prints them.
using System.Diagnostics;

namespace Kevlar.Vfs.Tests.Support;

public sealed class SampleTree : IDisposable
{
    public static readonly DateTime Mtime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime;

    public SampleTree()
    {
        Root = Directory.CreateTempSubdirectory("kevlar-cpio-").FullName;
        Tool = new byte[5001];
        new Random(5).NextBytes(Tool);
        File.WriteAllText(Path("hello.txt"), "hello, initramfs\n");
        File.WriteAllBytes(Path("empty"), Array.Empty<byte>());
        Directory.CreateDirectory(Path("bin"));
        File.WriteAllBytes(Path("bin/tool"), Tool);
        File.SetUnixFileMode(Path("bin/tool"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(Path("empty"), (UnixFileMode)Convert.ToInt32("600", 8));
        File.CreateSymbolicLink(Path("link"), "bin/tool");
        File.WriteAllText(Path("hard1"), "shared bytes");
        Process.Start("ln", new[] { Path("hard1"), Path("hard2") })!.WaitForExit();
        foreach (string f in new[] { "hello.txt", "empty", "bin/tool", "hard1" })
            File.SetLastWriteTimeUtc(Path(f), Mtime);
    }

    public string Root { get; }
    /// <summary>The bytes of bin/tool (5001: not a multiple of 4, so padding shows).</summary>
    public byte[] Tool { get; }

    /// <summary>Every member, in `find .` style.</summary>
    public static readonly string[] Names =
        { ".", "./hello.txt", "./empty", "./bin", "./bin/tool", "./link", "./hard1", "./hard2" };

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
