// PtyLink: the wire between a pseudo-terminal's master and its slave — what
// the slave's Terminal writes (after output processing) waits here for the
// master to read, and what the master writes waits here as the slave's
// input. It is the slave Terminal's device and input (IConsoleDevice,
// IConsoleInput), owned by that Terminal: every method runs in its handlers
// or in requests executed on its CPU.
//
// State (owned by the slave Terminal):
//   _toMaster, _toSlave   bytes in flight each way (the master side holds at
//                         most MasterBufferSize unread; past that the slave's
//                         output is dropped, as an N_TTY flip buffer overflows).
//   _notify, _notifyTarget  the one outstanding input notification.
//   MasterWaiters          master readers and pollers.
//   SlaveOpens, MasterClosed  for EIO/EOF on each side after the other closed.
using System;
using System.Collections.Generic;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Tty;

public sealed class PtyLink : IConsoleDevice, IConsoleInput
{
    public const int MasterBufferSize = 65536;

    private readonly Queue<byte> _toMaster = new Queue<byte>();
    private readonly Queue<byte> _toSlave = new Queue<byte>();
    private Actor? _notifyTarget;
    private Message? _notify;
    private long _dropped;

    /// <summary>The pty's number (/dev/pts/N).</summary>
    public readonly int Index;
    /// <summary>The slave side's terminal; set once after construction.</summary>
    public Terminal Slave = null!;
    public readonly WaitQueue MasterWaiters = new WaitQueue();
    /// <summary>TIOCSPTLCK: the slave cannot be opened while locked (a new pty starts locked).</summary>
    public bool Locked = true;
    /// <summary>Slave descriptions open now, and whether one ever was.</summary>
    public int SlaveOpens;
    public bool SlaveEverOpened;
    public bool MasterClosed;

    public PtyLink(int index) { Index = index; }

    /// <summary>Bytes the master may read.</summary>
    public int ForMaster => _toMaster.Count;

    // The slave's processed output.
    void IConsoleDevice.Write(ReadOnlySpan<byte> bytes)
    {
        if (MasterClosed) return;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (_toMaster.Count >= MasterBufferSize)
            {
                _dropped += bytes.Length - i;
                break;
            }
            _toMaster.Enqueue(bytes[i]);
        }
        MasterWaiters.Wake(Slave.Scheduler!, PollEvents.POLLIN | PollEvents.POLLRDNORM);
    }

    /// <summary>The master reads what the slave wrote: the count, 0 when nothing is there.</summary>
    public int TakeForMaster(Span<byte> into)
    {
        int n = 0;
        while (n < into.Length && _toMaster.Count > 0) into[n++] = _toMaster.Dequeue();
        return n;
    }

    /// <summary>The master writes the slave's input; the slave's terminal is told.</summary>
    public void PutForSlave(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) _toSlave.Enqueue(bytes[i]);
        if (_notify != null && _toSlave.Count > 0)
        {
            Message m = _notify;
            Actor target = _notifyTarget!;
            _notify = null;
            _notifyTarget = null;
            Slave.Scheduler!.Send(target, m);
        }
    }

    int IConsoleInput.Take(Span<byte> into)
    {
        int n = 0;
        while (n < into.Length && _toSlave.Count > 0) into[n++] = _toSlave.Dequeue();
        return n;
    }

    void IConsoleInput.NotifyWhenReadable(Actor target, Message message)
    {
        if (_toSlave.Count > 0)
        {
            target.Scheduler!.Send(target, message);
            return;
        }
        _notifyTarget = target;
        _notify = message;
    }

    long IConsoleInput.Dropped => _dropped;
}
