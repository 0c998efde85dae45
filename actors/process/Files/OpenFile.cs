// OpenFile: an open file description (what an fd points at, shared by dup
// and fork): its operations and status flags. The VFS (actors/vfs) will make
// each description an actor; until then the few kinds here (the console,
// /dev/null, initramfs files read-only) are served inline on the caller's CPU.
using System;

namespace Kevlar.Process.Files;

public abstract class OpenFile
{
    /// <summary>O_* status flags (O_APPEND, O_NONBLOCK, the access mode).</summary>
    public int StatusFlags;

    /// <summary>Reads up to dest.Length bytes at the current offset: count, 0 at end, or -errno.</summary>
    public virtual long Read(Span<byte> dest) => -Errno.EINVAL;

    /// <summary>Writes src at the current offset: count or -errno.</summary>
    public virtual long Write(ReadOnlySpan<byte> src) => -Errno.EINVAL;

    /// <summary>lseek: the new offset or -errno (-ESPIPE for a device that cannot seek).</summary>
    public virtual long Seek(long offset, int whence) => -Errno.ESPIPE;

    /// <summary>Fills a Linux struct stat for fstat.</summary>
    public abstract void Stat(ref FileStatus status);

    public virtual bool IsDirectory => false;

    /// <summary>getdents64 into dest: bytes written, 0 at the end, or -errno (-ENOTDIR).</summary>
    public virtual long ReadDirectory(Span<byte> dest) => -Errno.ENOTDIR;

    /// <summary>ioctl: result or -errno (-ENOTTY for a request this file does not know).</summary>
    public virtual long Ioctl(uint request, ulong argument, Memory.UserMemory memory) => -Errno.ENOTTY;
}
