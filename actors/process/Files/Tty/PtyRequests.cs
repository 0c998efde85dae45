// The requests of a pseudo-terminal's master and slave files, run on the
// slave's Terminal (the owner of the PtyLink):
//   PtyMasterReadRequest  — what the slave wrote. Reply: count; -EIO once the
//     slave was opened and all its descriptions closed; -EAGAIN (O_NONBLOCK)
//     or WouldBlock with Waiter registered when nothing is there.
//   PtyMasterWriteRequest — the slave's input. Reply: the count.
//   PtyMasterPollRequest  — POLLIN when output waits, POLLOUT always, POLLHUP
//     after the slave closed; registers the waiter when nothing asked holds.
//   PtyLockRequest        — TIOCSPTLCK (Value 0/1) or TIOCGPTLCK (Value -1).
//   PtySlaveOpenRequest   — a /dev/pts/N open. Reply: 0, or -EIO while locked
//     or after the master closed.
//   PtyClosedMessage      — a master or slave description's last close. No reply.
using System;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Tty;

public sealed class PtyMasterReadRequest : ReadRequest
{
    private readonly PtyLink _link;
    private readonly bool _wait;

    public PtyMasterReadRequest(PtyLink link, int length, bool wait) : base(length)
    {
        _link = link;
        _wait = wait;
    }

    public override long Execute()
    {
        int n = _link.TakeForMaster(Data);
        if (n > 0) return n;
        if (_link.SlaveEverOpened && _link.SlaveOpens == 0) return -Errno.EIO;
        if (!_wait) return -Errno.EAGAIN;
        Waiter = new ThreadWaiter(Thread!, PollEvents.POLLIN);
        _link.MasterWaiters.Add(Waiter);
        return WouldBlock;
    }
}

public sealed class PtyMasterWriteRequest : FileRequest
{
    private readonly PtyLink _link;
    private readonly byte[] _data;

    public PtyMasterWriteRequest(PtyLink link, byte[] data)
    {
        _link = link;
        _data = data;
    }

    public override long Execute()
    {
        _link.PutForSlave(_data);
        return _data.Length;
    }
}

public sealed class PtyMasterPollRequest : FileRequest
{
    private readonly PtyLink _link;
    private readonly int _events;
    private readonly FileWaiter? _waiter;

    public PtyMasterPollRequest(PtyLink link, int events, FileWaiter? waiter)
    {
        _link = link;
        _events = events;
        _waiter = waiter;
    }

    public override long Execute()
    {
        int mask = PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        if (_link.ForMaster > 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if (_link.SlaveEverOpened && _link.SlaveOpens == 0) mask |= PollEvents.POLLHUP;
        if ((mask & (_events | PollEvents.Always)) == 0 && _waiter != null) _link.MasterWaiters.Add(_waiter);
        return mask;
    }
}

public sealed class PtyLockRequest : FileRequest
{
    private readonly PtyLink _link;
    private readonly int _value;

    public PtyLockRequest(PtyLink link, int value)
    {
        _link = link;
        _value = value;
    }

    public override long Execute()
    {
        if (_value < 0) return _link.Locked ? 1 : 0;
        _link.Locked = _value != 0;
        return 0;
    }
}

public sealed class PtySlaveOpenRequest : FileRequest
{
    private readonly PtyLink _link;

    public PtySlaveOpenRequest(PtyLink link) { _link = link; }

    public override long Execute()
    {
        if (_link.Locked || _link.MasterClosed) return -Errno.EIO;
        _link.SlaveOpens++;
        _link.SlaveEverOpened = true;
        return 0;
    }
}

public sealed class PtyClosedMessage : Message
{
    public readonly PtyLink Link;
    public readonly bool Master;

    public PtyClosedMessage(PtyLink link, bool master)
    {
        Link = link;
        Master = master;
    }

    /// <summary>Runs on the slave Terminal's CPU.</summary>
    public static void Apply(PtyLink link, bool master)
    {
        if (master)
        {
            link.MasterClosed = true;
            link.Slave.HangUp();
            return;
        }
        if (--link.SlaveOpens == 0) link.MasterWaiters.Wake(link.Slave.Scheduler!, PollEvents.POLLIN | PollEvents.POLLHUP);
    }
}
