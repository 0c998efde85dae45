// LockCall: flock and fcntl record locks as a syscall runs them. The lock
// tables live with the inode (Inode.Locks) and belong to the actor that owns
// the inode — the VfsActor today — so every step runs there as a request
// (inline on its CPU, a round trip elsewhere). A description without an
// inode (a pipe, an eventfd) gets its own table, owned by the host's VfsActor.
//
// Waiting (flock without LOCK_NB, F_SETLKW, F_OFD_SETLKW): the request that
// cannot be granted registers a LockWaiter in the table, atomically with the
// check (one handler); the thread then waits holding no CPU (FileCall.Wait)
// and, when woken, asks again with a fresh request. A signal ends the wait
// with -ERESTARTSYS (the table drops the abandoned waiter when it next looks);
// the syscall table restarts it under SA_RESTART, as signal(7) lists flock
// and F_SETLKW, or returns -EINTR.
//
// Release: the last close of a description drops its flock and OFD locks
// (OpenFile.Release → ReleaseDescription); every close of an fd drops the
// closing process's POSIX locks on that file (FileDescriptorTable →
// ReleaseProcess), so exit, exec's close-on-exec and dup2 release them too.
using System;
using Kevlar.Locks;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Locks;

public static class LockCall
{
    /// <summary>The actor owning <paramref name="f"/>'s lock table.</summary>
    public static VfsActor ActorOf(OpenFile f, UserProcess p) => f.NodeVfs ?? f.LockActor ?? p.Host.Vfs;

    /// <summary>The lock table of <paramref name="f"/>'s file, made on first use. Call on its actor.</summary>
    public static FileLocks TableOf(OpenFile f, VfsActor vfs)
    {
        if (f.NodeVfs != null)
        {
            Kevlar.Vfs.Inodes.Inode inode = f.NodeLocation.Inode;
            return inode.Locks ??= new FileLocks(vfs.Locks, inode.Filesystem.Device, inode.Number);
        }
        return f.AnonymousLocks ??= new FileLocks(vfs.Locks, 0, 0);
    }

    /// <summary>The existing table of <paramref name="f"/>'s file, or null. Call on its actor.</summary>
    public static FileLocks? FindTable(OpenFile f) => f.NodeVfs != null ? f.NodeLocation.Inode.Locks : f.AnonymousLocks;

    /// <summary>flock(2) with the type already decoded: 0 or -errno (-EWOULDBLOCK, -ERESTARTSYS).</summary>
    public static KernelTask<long> Flock(UserThread t, OpenFile f, int type, bool wait)
    {
        VfsActor vfs = ActorOf(f, t.Process);
        f.LockActor = vfs;
        int pid = t.Process.Pid;
        return Loop(t, vfs, wait, w => TableOf(f, vfs).SetFlock(FileLock.Flock(f, type, pid), w));
    }

    /// <summary>Runs <paramref name="attempt"/> on <paramref name="vfs"/> until it is not Blocked,
    /// waiting for a wake between tries: its result, or -ERESTARTSYS for a signal.</summary>
    public static async KernelTask<long> Loop(UserThread t, VfsActor vfs, bool wait, Func<LockWaiter?, int> attempt)
    {
        while (true)
        {
            LockWaiter? w = wait ? new LockWaiter(t) : null;
            long r = await vfs.Run(t, () => attempt(w));
            if (r != FileLocks.Blocked) return r;
            long woken = await FileCall.Wait(t, w!.Waiter, 0);
            if (woken < 0) return woken;
        }
    }

    /// <summary>The last fd of <paramref name="f"/> closed: drop its flock and OFD locks.</summary>
    public static void ReleaseDescription(OpenFile f, VfsActor vfs)
    {
        vfs.Post(() =>
        {
            FindTable(f)?.RemoveOwner(f);
            return 0;
        });
    }

    /// <summary><paramref name="p"/> closed an fd of <paramref name="f"/>'s file: drop its POSIX
    /// locks there (only a process that ever took one asks).</summary>
    public static void ReleaseProcess(UserProcess p, OpenFile f)
    {
        if (!p.TookRecordLocks) return;
        VfsActor? vfs = f.NodeVfs ?? f.LockActor;
        if (vfs == null) return;
        vfs.Post(() =>
        {
            FindTable(f)?.RemoveOwner(p);
            return 0;
        });
    }
}
