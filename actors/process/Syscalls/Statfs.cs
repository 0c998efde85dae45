// statfs(2), fstatfs(2): struct statfs (x86_64, 120 bytes) of the filesystem
// holding a path or an fd: the filesystem's magic, block and inode counts,
// name length and mount flags (ST_VALID plus ST_RDONLY/NOSUID/NODEV/NOEXEC).
// Pipes report pipefs (0x50495045), as Linux does.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Operations;

namespace Kevlar.Process.Syscalls;

public static class Statfs
{
    private const int Size = 120;
    private const long PIPEFS_MAGIC = 0x50495045;

    public static KernelTask<long> InvokeStatfs(UserThread t, SyscallArgs a)
    {
        var info = new StatfsInfo[1];
        return Finish(t, VfsPath.OnFile(t, PathLookup.AT_FDCWD, a.Pointer(0), true, false, at =>
        {
            Namespace.Statfs(at, out info[0]);
            return 0;
        }), info, a.Pointer(1));
    }

    public static KernelTask<long> InvokeFstatfs(UserThread t, SyscallArgs a)
    {
        var info = new StatfsInfo[1];
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        if (!(f is VfsFile))
        {
            // Pipes and devices: the pseudo filesystems that hold them.
            info[0].Type = f is PipeEnd ? PIPEFS_MAGIC : Tmpfs.TMPFS_MAGIC;
            info[0].Bsize = info[0].Frsize = 4096;
            info[0].Namelen = 255;
            info[0].Flags = StatfsInfo.ST_VALID;
            return Finish(t, KernelTask<long>.FromResult(0), info, a.Pointer(1));
        }
        return Finish(t, VfsPath.OnFd(t, a.Fd(0), true, at =>
        {
            Namespace.Statfs(at, out info[0]);
            return 0;
        }), info, a.Pointer(1));
    }

    private static async KernelTask<long> Finish(UserThread t, KernelTask<long> lookup, StatfsInfo[] info, ulong address)
    {
        long r = await lookup;
        if (r != 0) return r;
        var b = new byte[Size];
        Encode(info[0], b);
        return t.Process.UserMemory.Write(address, b);
    }

    // struct statfs { f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_fsid (2 ints),
    // f_namelen, f_frsize, f_flags, f_spare[4] } — longs, 120 bytes (asm-generic/statfs.h).
    private static void Encode(in StatfsInfo s, Span<byte> b)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b, s.Type);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(8), s.Bsize);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(16), s.Blocks);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(24), s.Bfree);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(32), s.Bavail);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(40), s.Files);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(48), s.Ffree);
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(56), s.Fsid0);
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(60), s.Fsid1);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(64), s.Namelen);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(72), s.Frsize);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(80), s.Flags);
    }
}
