// IDirectoryHook: lets a filesystem whose directories stand for kernel
// objects (cgroup2: a directory is a cgroup) take part in mkdir(2) and
// rmdir(2). It runs on the namespace's owner, inside the operation, so the
// object and its directory appear and go in one step.
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Filesystems;

public interface IDirectoryHook
{
    /// <summary>After mkdir made <paramref name="made"/> as <paramref name="name"/> in
    /// <paramref name="parent"/>: 0, or -errno and mkdir takes the directory away again.</summary>
    int AfterMkdir(DirectoryInode parent, string name, DirectoryInode made);

    /// <summary>Before rmdir removes <paramref name="dir"/>: 0 when it may go (the hook has taken
    /// its own files out of it), or -errno (-EBUSY) to refuse.</summary>
    int BeforeRmdir(DirectoryInode dir);

    /// <summary>Whether open(O_CREAT), mknod, symlink and link may make a file here now (kernfs
    /// has only mkdir: -EACCES for open, -EPERM for the others, when not).</summary>
    bool TakesFiles { get; }
}
