// InodeStatus: struct stat's view of an inode (run on the VfsActor's CPU).
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Process.Files.Vfs;

public static class InodeStatus
{
    public static void Fill(Inode inode, ref FileStatus s)
    {
        s.Device = inode.Filesystem.Device;
        s.Inode = inode.Number;
        s.LinkCount = inode.LinkCount;
        s.Mode = inode.Mode;
        s.Uid = inode.Uid;
        s.Gid = inode.Gid;
        s.RawDevice = inode.RawDevice;
        s.FileSize = inode.Size;
        s.BlockSize = 4096;
        s.Blocks = inode.Blocks512;
        s.AccessSeconds = inode.Atime.Seconds;
        s.AccessNanoseconds = inode.Atime.Nanoseconds;
        s.ModifySeconds = inode.Mtime.Seconds;
        s.ModifyNanoseconds = inode.Mtime.Nanoseconds;
        s.ChangeSeconds = inode.Ctime.Seconds;
        s.ChangeNanoseconds = inode.Ctime.Nanoseconds;
        s.BirthSeconds = inode.Btime.Seconds;
        s.BirthNanoseconds = inode.Btime.Nanoseconds;
    }
}
