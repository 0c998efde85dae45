// ReaderText: marks a /proc file whose text depends on who reads it
// (/proc/<pid>/cgroup: paths from the reader's cgroup namespace). procfs
// writes the text for the reader at its lookup, in the same VfsActor step as
// the open; open(2) then copies it into the new description (VfsFile
// .KeepContents), so another reader's lookup, which rewrites the shared inode,
// cannot change what this description reads.
namespace Kevlar.Process.Files.Procfs;

public sealed class ReaderText
{
    /// <summary>The one marker (the inode's Generator).</summary>
    public static ReaderText Marker => s_marker ??= new ReaderText();

    // Built on first use: a static initializer would make a class constructor (docs/portable-csharp.md).
    private static ReaderText? s_marker;

    private ReaderText()
    {
    }
}
