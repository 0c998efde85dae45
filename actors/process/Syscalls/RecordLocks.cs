// fcntl(2) record locks: F_GETLK, F_SETLK, F_SETLKW (owned by the process)
// and F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW (owned by the open file
// description), over a struct flock in user memory. The range arithmetic,
// split/merge, conflicts and EDEADLK are actors/locks'; this file decodes the
// struct, checks it in Linux's order and runs the request on the actor that
// owns the file's lock table (LockCall).
//
// Errors, in Linux's order (fcntl_getlk, fcntl_setlk): -EBADF for a bad or
// O_PATH fd; -EFAULT for an unreadable struct (or, for GETLK, unwritable);
// GETLK: -EINVAL for an l_type other than F_RDLCK/F_WRLCK; the range's
// -EINVAL/-EOVERFLOW (LockRange); -EINVAL for another l_type; SETLK: -EBADF
// when the fd's access mode does not allow the type (F_RDLCK needs read,
// F_WRLCK write); OFD: -EINVAL when l_pid is not 0; -EAGAIN for a conflict
// with F_SETLK; -EDEADLK when F_SETLKW would close a cycle of waiting
// processes. F_SETLKW waits holding no CPU and restarts under SA_RESTART.
using System;
using System.Buffers.Binary;
using Kevlar.Locks;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Locks;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class RecordLocks
{
    public const int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    /// <summary>sizeof(struct flock) on x86_64: l_type, l_whence (shorts), l_start, l_len (longs), l_pid, padding.</summary>
    public const int FlockSize = 32;

    public static bool Handles(int cmd)
        => (cmd >= F_GETLK && cmd <= F_SETLKW) || (cmd >= F_OFD_GETLK && cmd <= F_OFD_SETLKW);

    public static KernelTask<long> Invoke(UserThread t, int fd, int cmd, ulong pointer)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null || (f is VfsFile v && v.IsPathOnly)) return KernelTask<long>.FromResult(-Errno.EBADF);
        var raw = new byte[FlockSize];
        if (t.Process.UserMemory.Read(pointer, raw) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
        var r = new Request(t.Process, f, cmd, raw);
        if (cmd == F_GETLK || cmd == F_OFD_GETLK) return Test(t, r, pointer, raw);
        VfsActor vfs = LockCall.ActorOf(f, t.Process);
        f.LockActor = vfs;
        if (!r.Ofd) t.Process.TookRecordLocks = true;
        bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
        return LockCall.Loop(t, vfs, wait, w => r.Set(vfs, w));
    }

    private static async KernelTask<long> Test(UserThread t, Request r, ulong pointer, byte[] raw)
    {
        VfsActor vfs = LockCall.ActorOf(r.File, t.Process);
        long result = await vfs.Run(t, () => r.Test());
        if (result < 0) return result;
        FileLock? found = r.Found;
        BinaryPrimitives.WriteInt16LittleEndian(new Span<byte>(raw, 0, 2), (short)(found == null ? FileLock.F_UNLCK : found.Type));
        if (found != null)
        {
            BinaryPrimitives.WriteInt16LittleEndian(new Span<byte>(raw, 2, 2), 0);
            BinaryPrimitives.WriteInt64LittleEndian(new Span<byte>(raw, 8, 8), found.Start);
            BinaryPrimitives.WriteInt64LittleEndian(new Span<byte>(raw, 16, 8), found.Length);
            BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(raw, 24, 4), found.Pid > 0 ? t.Process.PidNs.NumberOfGlobal(found.Pid) : found.Pid);
        }
        return t.Process.UserMemory.Write(pointer, raw) != 0 ? -Errno.EFAULT : 0;
    }

    // One call's decoded struct flock; its range is resolved once, on the table's actor.
    private sealed class Request
    {
        private readonly UserProcess _process;
        public readonly OpenFile File;
        public readonly bool Ofd;
        private readonly int _type, _whence, _pid;
        private readonly long _start, _length;
        private bool _resolved;
        private long _first, _last;
        /// <summary>GETLK's answer: the lock in the way, or null.</summary>
        public FileLock? Found;

        public Request(UserProcess p, OpenFile f, int cmd, byte[] raw)
        {
            _process = p;
            File = f;
            Ofd = cmd >= F_OFD_GETLK;
            _type = BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(raw, 0, 2));
            _whence = BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(raw, 2, 2));
            _start = BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(raw, 8, 8));
            _length = BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(raw, 16, 8));
            _pid = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(raw, 24, 4));
        }

        /// <summary>F_GETLK on the table's actor: 0 (Found set) or -errno.</summary>
        public long Test()
        {
            if (_type != FileLock.F_RDLCK && _type != FileLock.F_WRLCK) return -Errno.EINVAL;
            int error = Resolve();
            if (error != 0) return error;
            if (Ofd && _pid != 0) return -Errno.EINVAL;
            Found = LockCall.FindTable(File)?.Test(NewLock());
            return 0;
        }

        /// <summary>F_SETLK/F_SETLKW on the table's actor: 0, -errno, or FileLocks.Blocked.</summary>
        public int Set(VfsActor vfs, ILockWaiter? waiter)
        {
            int error = Resolve();
            if (error != 0) return error;
            if (_type != FileLock.F_RDLCK && _type != FileLock.F_WRLCK && _type != FileLock.F_UNLCK) return -Errno.EINVAL;
            int access = File.StatusFlags & OpenFlags.O_ACCMODE;
            if (_type == FileLock.F_RDLCK && access != OpenFlags.O_RDONLY && access != OpenFlags.O_RDWR) return -Errno.EBADF;
            if (_type == FileLock.F_WRLCK && access != OpenFlags.O_WRONLY && access != OpenFlags.O_RDWR) return -Errno.EBADF;
            if (Ofd && _pid != 0) return -Errno.EINVAL;
            return LockCall.TableOf(File, vfs).SetRecord(NewLock(), waiter);
        }

        private FileLock NewLock()
            => Ofd ? new FileLock(File, LockKind.Ofd, _type, _first, _last, -1)
                   : new FileLock(_process, LockKind.Posix, _type, _first, _last, _process.Pid);

        private int Resolve()
        {
            if (_resolved) return 0;
            long offset = (File as VfsFile)?.OffsetOnOwner ?? 0;
            long size = File.NodeVfs != null ? File.NodeLocation.Inode.Size : 0;
            int error = LockRange.Resolve(_whence, _start, _length, offset, size, out _first, out _last);
            _resolved = error == 0;
            return error;
        }
    }
}
