// TimerFd: the actor that owns a timerfd's timer (timerfd_create(2)), homed
// on the CPU of the thread that made it. Expirations are driven by the timer
// service: arming sends this actor a TimerFdTick at the deadline; every
// request also counts the expirations the clock says have passed, so a read
// never waits for a tick already due.
//
// State (owned here):
//   _armed, _deadline  whether it runs, and its next expiration (monotonic ns;
//                      CLOCK_REALTIME deadlines are converted when set — the
//                      realtime clock is a fixed offset from the monotonic one
//                      here, as nothing sets it).
//   _interval          the period after the first expiration, 0 for one shot.
//   _expirations       expirations not yet read.
//   _generation        bumped by every settime: a tick of an older one is stale.
//   _tickPending       a tick of this generation is on its way (_tick, its timer:
//                      called off by a new settime and when the last fd closes,
//                      so a far deadline does not keep this actor in the queue).
// Invariants:
//   1. While _armed, _deadline is in the future after Advance (expired
//      periods are counted into _expirations, a one-shot timer disarms).
//   2. At most one tick of the current generation is pending while armed.
//   3. Every increase of _expirations wakes the readers.
// Waits on: nothing (replies at once; waiting is the caller's FileWaiter).
using System.Threading;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Events;

public sealed class TimerFd : FileOwner
{
    public override string DiagnosticName => "timerfd";

    public const int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;

    private readonly ProcessHost _host;
    /// <summary>Whether absolute times are CLOCK_REALTIME (else monotonic; BOOTTIME is the same here).</summary>
    public readonly bool Realtime;
    private bool _armed, _tickPending;
    private ulong _deadline, _interval, _expirations;
    private int _generation;
    private TimerHandle? _tick;
    private readonly WaitQueue _readers = new WaitQueue();
    private long _edges;

    public TimerFd(ProcessHost host, bool realtime)
    {
        _host = host;
        Realtime = realtime;
    }

    private ulong Now => _host.Clock.MonotonicNanoseconds;

    /// <summary>timerfd_settime: arms for <paramref name="value"/> (relative ns, or an absolute time on
    /// the timer's clock when <paramref name="absolute"/>; 0 disarms) and then every
    /// <paramref name="interval"/> ns; the old setting goes to <paramref name="old"/>. Unread
    /// expirations are dropped, as Linux's timerfd_setup does.</summary>
    internal long Set(ulong value, ulong interval, bool absolute, TimerFdSetting old)
    {
        Get(old);
        _generation++;
        CancelTick();
        _expirations = 0;
        _interval = interval;
        _armed = value != 0;
        if (!_armed) return 0;
        ulong now = Now;
        if (!absolute) _deadline = now + value;
        else if (!Realtime) _deadline = value;
        else _deadline = value > _host.Clock.RealtimeAtBoot ? value - _host.Clock.RealtimeAtBoot : 0;
        Advance(now);
        Arm();
        return 0;
    }

    /// <summary>timerfd_gettime: the time to the next expiration (0 when disarmed) and the interval.</summary>
    internal long Get(TimerFdSetting setting)
    {
        ulong now = Now;
        Advance(now);
        setting.Value = _armed ? _deadline - now : 0;
        setting.Interval = _interval;
        return 0;
    }

    /// <summary>read: the expirations since the last read (taken), -EAGAIN when there are none and
    /// <paramref name="waiter"/> is null, else WouldBlock with it registered.</summary>
    internal long Take(FileWaiter? waiter)
    {
        Advance(Now);
        if (_expirations == 0)
        {
            if (waiter == null) return -Errno.EAGAIN;
            _readers.Add(waiter);
            return FileRequest.WouldBlock;
        }
        long n = (long)_expirations;
        _expirations = 0;
        return n;
    }

    /// <summary>poll: POLLIN while expirations wait to be read; registers <paramref name="waiter"/> otherwise.</summary>
    internal long Poll(int events, FileWaiter? waiter)
    {
        Advance(Now);
        int mask = _expirations > 0 ? PollEvents.POLLIN : 0;
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null) _readers.Add(waiter);
        return mask;
    }

    /// <summary>Expirations counted so far; read from any CPU as a hint.</summary>
    public ulong Edges => (ulong)Volatile.Read(ref _edges);

    // Counts the expirations due by now (invariant 1) and wakes readers for them.
    private void Advance(ulong now)
    {
        if (!_armed || now < _deadline) return;
        ulong periods = 1;
        if (_interval == 0) _armed = false;
        else
        {
            periods += (now - _deadline) / _interval;
            _deadline += periods * _interval;
        }
        _expirations += periods;
        Volatile.Write(ref _edges, _edges + 1);
        _readers.Wake(Scheduler!, PollEvents.POLLIN);
    }

    // Asks the timer service for a tick at the deadline, unless one of this generation is pending.
    private void Arm()
    {
        if (!_armed || _tickPending) return;
        _tickPending = true;
        _tick = _host.Timers.Start(_deadline, this, new TimerFdTick(_generation));
    }

    private void CancelTick()
    {
        _tickPending = false;
        _tick?.Cancel();
        _tick = null;
    }

    /// <summary>The last fd closed: the timer stops (on this actor).</summary>
    internal void Stop()
    {
        _armed = false;
        CancelTick();
    }

    protected internal override void Receive(Message m)
    {
        var tick = m as TimerFdTick;
        if (tick == null)
        {
            base.Receive(m);
            return;
        }
        if (tick.Generation != _generation) return;
        _tickPending = false;
        _tick = null;
        Advance(Now);
        Arm();
    }
}

/// <summary>The timer service's message to a TimerFd at its deadline; Generation names the
/// settime that armed it (older ones are dropped). No reply.</summary>
public sealed class TimerFdTick : Message
{
    public readonly int Generation;

    public TimerFdTick(int generation) { Generation = generation; }
}

/// <summary>struct itimerspec as nanoseconds: it_value (time left) and it_interval.</summary>
public sealed class TimerFdSetting
{
    public ulong Value, Interval;
}
