// IFileSource: whole files by path, for exec and the read-only opens of this
// stage (the initramfs). The VFS replaces it with mounts and inodes.
namespace Kevlar.Process;

public interface IFileSource
{
    /// <summary>The contents of the regular file at absolute <paramref name="path"/>: 0,
    /// -ENOENT, -ENOTDIR, -EISDIR or -EACCES.</summary>
    int TryReadFile(string path, out byte[] contents, out uint mode);

    /// <summary>The target of the symbolic link at <paramref name="path"/>: 0, -ENOENT or -EINVAL (not a link).</summary>
    int TryReadLink(string path, out string target);
}
