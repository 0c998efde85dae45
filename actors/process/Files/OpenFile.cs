// OpenFile: an open file description (what an fd points at, shared by dup
// and fork): its operations and status flags. Descriptions whose state lives
// with an owner actor (a pipe, a tty) override the async operations and reach
// the owner through FileCall; the simple ones (devices, the initramfs) are
// served inline on the caller's CPU by the synchronous Read and Write.
//
// References: every fd that points here holds one (FileDescriptorTable), on
// any CPU, so the count is atomic. The last release calls OnLastClose once —
// where a pipe end tells its pipe it closed. A message carrying it with
// SCM_RIGHTS in a socket's queue holds one too, counted also as in flight
// (UnixGarbage); a release that leaves only those calls OnlyInFlight.
using System;
using System.Threading;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files;

public abstract class OpenFile
{
    /// <summary>O_* status flags (O_APPEND, O_NONBLOCK, the access mode).</summary>
    public int StatusFlags;

    private int _references;
    private int _inFlight;
    private int _closed;

    /// <summary>References held now (any CPU; a moment's count).</summary>
    public int References => Volatile.Read(ref _references);

    /// <summary>Of those, the ones queued messages hold (SCM_RIGHTS in flight).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    internal void EnterFlight() => Interlocked.Increment(ref _inFlight);
    internal void LeaveFlight() => Interlocked.Decrement(ref _inFlight);

    /// <summary>No fd points here any more (the last Release ran): epoll sets drop it.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The filesystem node it was opened through (a file, or a device's node), whose
    /// attributes fstat reports; the node is held until the last close. Null for pipes and the
    /// descriptions made without a path.</summary>
    public Vfs.VfsActor? NodeVfs;
    public Kevlar.Vfs.Mounts.Location NodeLocation;

    /// <summary>The actor owning this file's lock table, set by the first flock or record lock
    /// through this description (so the last close knows where to drop its locks).</summary>
    public Vfs.VfsActor? LockActor
    {
        get => Volatile.Read(ref _lockActor);
        set => Volatile.Write(ref _lockActor, value);
    }
    private Vfs.VfsActor? _lockActor;

    /// <summary>The lock table of a description without an inode (a pipe, an eventfd), made on
    /// first use; owned by LockActor.</summary>
    public Kevlar.Locks.FileLocks? AnonymousLocks;

    /// <summary>Reads up to dest.Length bytes at the current offset: count, 0 at end, or -errno.</summary>
    public virtual long Read(Span<byte> dest) => -Errno.EINVAL;

    /// <summary>Writes src at the current offset: count or -errno.</summary>
    public virtual long Write(ReadOnlySpan<byte> src) => -Errno.EINVAL;

    /// <summary>read(2) into user memory: count, 0 at end of file, or -errno; may wait.</summary>
    public virtual KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
        => KernelTask<long>.FromResult(UserCopy.ReadInto(t, this, buffer, count));

    /// <summary>write(2) from user memory: count or -errno; may wait.</summary>
    public virtual KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
        => KernelTask<long>.FromResult(UserCopy.WriteFrom(t, this, buffer, count));

    /// <summary>Writes kernel bytes (sendfile, copy_file_range): count or -errno; may wait.
    /// -EINVAL for a description that does not take them.</summary>
    public virtual KernelTask<long> WriteBytesAsync(UserThread t, byte[] data, int count)
    {
        long n = Write(new ReadOnlySpan<byte>(data, 0, count));
        return KernelTask<long>.FromResult(n);
    }

    /// <summary>The poll events true now (POLLIN, POLLOUT, ...): always readable and writable
    /// unless a description says otherwise, as for regular files.</summary>
    public virtual int PollMask() => PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLOUT | PollEvents.POLLWRNORM;

    /// <summary>poll: the events true now; when none of <paramref name="events"/> is and
    /// <paramref name="waiter"/> is given, registers it to be woken when one may be.</summary>
    public virtual KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
        => KernelTask<long>.FromResult(PollMask());

    /// <summary>PollAsync's answer when it needs no other CPU (the file's owner runs on
    /// <paramref name="cpu"/>, the caller's: FileOwner.CpuOf): true with the mask; false when the
    /// caller must use PollThere. Poll and select loops over many
    /// files ask this first, which spares each a task.</summary>
    public virtual bool TryPollHere(int cpu, int events, FileWaiter? waiter, out int mask)
    {
        mask = 0;
        return false;
    }

    /// <summary>PollAsync for a caller that TryPollHere just answered false: where the owner runs
    /// is not asked again (it is a shared field, read once per question).</summary>
    public virtual KernelTask<long> PollThere(UserThread t, int events, FileWaiter? waiter) => PollAsync(t, events, waiter);

    /// <summary>Whether epoll may watch it (Linux's file_can_poll): false for regular files,
    /// directories and devices without a poll operation, which epoll_ctl refuses with EPERM.</summary>
    public virtual bool Pollable => false;

    /// <summary>How many times the readiness for <paramref name="events"/> may have changed since
    /// the description was made (data added, room made, an end closed): a counter epoll's
    /// edge-triggered mode compares. 0 when the description does not count; read from any CPU as a
    /// hint (read before polling, a change is never missed, only reported twice).</summary>
    public virtual ulong EdgeCount(int events) => 0;

    /// <summary>lseek: the new offset or -errno (-ESPIPE for a device that cannot seek).</summary>
    public virtual long Seek(long offset, int whence) => -Errno.ESPIPE;

    /// <summary>Fills a Linux struct stat for fstat.</summary>
    public abstract void Stat(ref FileStatus status);

    public virtual bool IsDirectory => false;

    /// <summary>getdents64 into dest: bytes written, 0 at the end, or -errno (-ENOTDIR).</summary>
    public virtual long ReadDirectory(Span<byte> dest) => -Errno.ENOTDIR;

    /// <summary>ioctl: result or -errno (-ENOTTY for a request this file does not know).</summary>
    public virtual long Ioctl(uint request, ulong argument, Memory.UserMemory memory) => -Errno.ENOTTY;

    /// <summary>ioctl(2) as the syscall runs it: may wait (a tty's requests run on its owner);
    /// by default the synchronous Ioctl.</summary>
    public virtual KernelTask<long> IoctlAsync(UserThread t, uint request, ulong argument)
        => KernelTask<long>.FromResult(Ioctl(request, argument, t.Process.UserMemory));

    /// <summary>An fd now points here.</summary>
    public void Acquire() => Interlocked.Increment(ref _references);

    /// <summary>An fd that pointed here closed; the last one runs OnLastClose.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left != 0)
        {
            if (left == Volatile.Read(ref _inFlight)) OnlyInFlight();
            return;
        }
        Volatile.Write(ref _closed, 1);
        OnLastClose();
        Vfs.VfsActor? locks = LockActor;
        if (locks != null) Locks.LockCall.ReleaseDescription(this, locks);
        Vfs.VfsActor? vfs = NodeVfs;
        if (vfs == null) return;
        Kevlar.Vfs.Inodes.Inode inode = NodeLocation.Inode;
        vfs.Post(() =>
        {
            inode.Release();
            return 0;
        });
    }

    /// <summary>The description is no longer reachable from any fd.</summary>
    protected virtual void OnLastClose()
    {
    }

    /// <summary>A release left only references that queued messages hold (UnixGarbage).</summary>
    protected virtual void OnlyInFlight()
    {
    }
}
