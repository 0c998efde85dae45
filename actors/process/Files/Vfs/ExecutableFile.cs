// ExecutableFile: execve's look at the file it runs, on the VfsActor's CPU:
// the path resolved with every symlink followed, then the checks Linux makes
// before reading (fs/exec.c do_open_execat, may_open): -EACCES for anything
// but a regular file, for a noexec mount, or without execute permission
// (root needs one execute bit), and the bytes.
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Vfs;

public static class ExecutableFile
{
    /// <summary>0 with the file's contents, or -errno.</summary>
    public static int Read(Namespace ns, in PathContext ctx, string path, out byte[] contents)
    {
        contents = new byte[0];
        int r = ns.Lookup(ctx, path, true, out Location at);
        if (r != 0) return r;
        var file = at.Inode as RegularInode;
        if (file == null) return -Errno.EACCES;
        if ((at.Mount.Flags & MountFlags.MS_NOEXEC) != 0) return -Errno.EACCES;
        r = Permission.Check(ctx.Credentials, file, FileMode.MAY_EXEC);
        if (r != 0) return r;
        if (file.Size > int.MaxValue) return -Errno.ENOEXEC;
        contents = new byte[(int)file.Size];
        file.Read(0, contents);
        return 0;
    }
}
