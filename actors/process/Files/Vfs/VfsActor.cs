// VfsActor: the owner of the mount tree and of every in-memory filesystem
// mounted in it (the tmpfs root, /dev, tmpfs mounts): their inodes, their
// directory entries, and the offsets of the open file descriptions on them.
// Every path operation and every read, write, seek or stat of such a file
// runs here as a closure (FileOwner.Run) — inline when the caller is on this actor's CPU,
// as a message round trip otherwise (FileCall) — so two CPUs never change a
// directory at once and a path walk sees one consistent tree.
//
// State (owned here): Namespace and everything reachable from it (with each
// inode's lock table); Types; Locks.
// Waits on: nothing (every request is answered at once).
// Why one actor for all mounts: path walks cross mounts at every "..", and one
// owner keeps a walk a single run-to-completion step; per-mount actors can
// split it when block-device filesystems arrive (docs/decisions.md).
using System;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Operations;

namespace Kevlar.Process.Files.Vfs;

public sealed class VfsActor : FileOwner
{
    public override string DiagnosticName => "vfs";

    public readonly Namespace Namespace;
    /// <summary>What mount(2) can make: new tmpfs instances, the one devtmpfs, proc and sysfs.</summary>
    public readonly FilesystemTypes Types;
    /// <summary>The lock tables of the inodes owned here (Inode.Locks) and the POSIX waits-for
    /// graph across them (actors/locks).</summary>
    public readonly Kevlar.Locks.LockRegistry Locks = new Kevlar.Locks.LockRegistry();

    public VfsActor(Namespace ns, FilesystemTypes types)
    {
        Namespace = ns;
        Types = types;
    }

    // The pipe behind each FIFO open now, homed here so open can touch it inline. It goes when
    // its last end closes, with whatever it still held, as Linux frees a FIFO's pipe then.
    private readonly System.Collections.Generic.Dictionary<Kevlar.Vfs.Inodes.Inode, Pipes.Pipe> _fifos =
        new System.Collections.Generic.Dictionary<Kevlar.Vfs.Inodes.Inode, Pipes.Pipe>();

    /// <summary>The pipe of a FIFO node (made on its first open). Call on this actor's CPU.</summary>
    public Pipes.Pipe FifoOf(Kevlar.Vfs.Inodes.Inode fifo)
    {
        if (_fifos.TryGetValue(fifo, out Pipes.Pipe? pipe)) return pipe;
        pipe = new Pipes.Pipe();
        Scheduler!.Register(pipe, Home);
        _fifos.Add(fifo, pipe);
        Pipes.Pipe made = pipe;
        made.Unused = () => ForgetFifo(fifo, made);
        return pipe;
    }

    /// <summary>Drops the FIFO's pipe once no end is open (after its last close, or an open that
    /// failed before counting). On this actor's CPU, where the pipe lives too.</summary>
    public void ForgetFifo(Kevlar.Vfs.Inodes.Inode fifo, Pipes.Pipe pipe)
    {
        if (pipe.Readers == 0 && pipe.Writers == 0 && _fifos.TryGetValue(fifo, out Pipes.Pipe? known) && known == pipe)
            _fifos.Remove(fifo);
    }

    /// <summary>The names AF_UNIX sockets are bound to: socket inodes here and the abstract namespace.</summary>
    public readonly Sockets.UnixNames UnixNames = new Sockets.UnixNames();

    /// <summary>FIFOs with a pipe now (for tests).</summary>
    public int FifoCount => _fifos.Count;
}
