// FakeTimers: the clock and the timer service the TCP scenarios give their
// sockets (HostDevices' clock stands still and its timer service refuses to
// be used). Time is the harness's: the clock moves 1 ms at every read (so two
// connects of one socket pick different initial sequence numbers, as a real
// clock makes them), and jumps to a timer's deadline when the network device
// (LossyLink) fires it — that is all "time passing" means here, so an RTO
// fires exactly when the device decides the wait is over, and Timer always
// finds now >= the deadline it armed.
//
// Armed timers are kept until fired; the device fires the earliest one when
// the machine is otherwise idle (and a few early, racing the traffic). Every
// arming (a connection opening, or changing its deadline) is checked:
//   - a socket whose connection is Closed must not ask for a timer
//     (NoTimerAfterClose — a closed connection's RTO left armed, so its timer
//     would run again and again on a dead connection);
//   - no two sockets whose connections are not Closed have the same local and
//     remote address and port (OneSocketPerConnection: segments of a
//     four-tuple reach one socket; a second one takes them from the first).
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;
using Actor = Kevlar.Runtime.Scheduling.Actor;
using Message = Kevlar.Runtime.Scheduling.Message;

namespace Kevlar.Coyote.Mocks.Net;

public sealed class FakeTimers : ITimerService, ISystemClock
{
    /// <summary>How far each read of the clock moves it.</summary>
    public const ulong ReadStep = 1_000_000;

    private readonly Scheduler _scheduler;
    private readonly IActorRuntime _runtime;
    private readonly List<Armed> _armed = new();
    private ulong _now = 1_000_000_000;

    private sealed record Armed(ulong Deadline, Actor Target, Message Message, TimerHandle? Handle);

    public FakeTimers(Scheduler scheduler, IActorRuntime runtime)
    {
        _scheduler = scheduler;
        _runtime = runtime;
    }

    /// <summary>Every TcpSocket that ever armed a timer (every connection arms one when it opens), in
    /// the order of their first arming (a list, so reports do not depend on hash codes).</summary>
    public List<TcpSocket> Sockets { get; } = new();

    private readonly Dictionary<TcpSocket, string> _labels = new(ReferenceEqualityComparer.Instance);

    /// <summary>Names <paramref name="s"/> in reports (a socket without a name is "child N", N
    /// counting the unnamed sockets in the order they first armed a timer: the same in a replay,
    /// where inode numbers are not).</summary>
    public void Label(TcpSocket s, string name) => _labels[s] = name;

    public string NameOf(TcpSocket s)
    {
        if (_labels.TryGetValue(s, out string? name))
        {
            return name;
        }
        int n = 0;
        foreach (TcpSocket o in Sockets)
        {
            if (!_labels.ContainsKey(o))
            {
                n++;
            }
            if (o == s)
            {
                break;
            }
        }
        return "child " + n;
    }

    /// <summary>Timers armed and not yet fired.</summary>
    public int Pending => _armed.Count(a => a.Handle == null || !a.Handle.IsCancelled);

    /// <summary>Timers fired so far.</summary>
    public int Fired { get; private set; }

    public ulong MonotonicNanoseconds => _now += ReadStep;

    public ulong RealtimeAtBoot => 1_700_000_000UL * 1_000_000_000;

    /// <summary>Called by a socket on its CPU, from its handler: kept until the device fires it.</summary>
    public void SendAt(ulong deadlineNanoseconds, Actor target, Message message)
    {
        if (target is TcpSocket s)
        {
            if (!Sockets.Contains(s))
            {
                Sockets.Add(s);
            }
            Specification.Assert(s.StateHint != (int)TcpState.Closed,
                "NoTimerAfterClose: tcp socket {0} armed a timer (deadline {1} ms) with its connection Closed", NameOf(s), deadlineNanoseconds / 1_000_000);
            TcpSocket? twin = TwinOf(s);
            Specification.Assert(twin == null,
                "OneSocketPerConnection: tcp sockets {0} ({1}) and {2} ({3}) both hold the connection {4} <- {5}", twin == null ? "" : NameOf(twin),
                (TcpState)(twin?.StateHint ?? 0), NameOf(s), (TcpState)s.StateHint, Name(s.LocalHint), Name(s.RemoteHint));
        }
        _armed.Add(new Armed(deadlineNanoseconds, target, message, null));
    }

    /// <summary>As SendAt; a handle called off is never fired (and not counted as pending).</summary>
    public TimerHandle Start(ulong deadlineNanoseconds, Actor target, Message message)
    {
        var handle = new TimerHandle(deadlineNanoseconds, target, message);
        SendAt(deadlineNanoseconds, target, message);
        _armed[_armed.Count - 1] = new Armed(deadlineNanoseconds, target, message, handle);
        return handle;
    }

    /// <summary>Fires the earliest armed timer: the clock moves to its deadline and its message is
    /// sent (from outside any CPU, as the timer interrupt's handler would). False when none is armed.</summary>
    public bool FireEarliest(string why)
    {
        _armed.RemoveAll(a => a.Handle != null && a.Handle.IsCancelled);
        if (_armed.Count == 0)
        {
            return false;
        }
        int at = 0;
        for (int i = 1; i < _armed.Count; i++)
        {
            if (_armed[i].Deadline < _armed[at].Deadline)
            {
                at = i;
            }
        }
        Armed t = _armed[at];
        _armed.RemoveAt(at);
        _now = Math.Max(_now, t.Deadline);
        Fired++;
        _runtime.Logger.WriteLine("<NetLog> timer fires (" + why + ") for " + (t.Target is TcpSocket s ? "tcp socket " + NameOf(s) : t.Target.GetType().Name) + " at " + t.Deadline / 1_000_000 + " ms");
        if (t.Handle == null)
        {
            _scheduler.Send(t.Target, t.Message);
        }
        else if (t.Handle.TryFire(out Actor target, out Message message))
        {
            _scheduler.Send(target, message);
        }
        return true;
    }

    // Another socket, its connection not Closed, with the same four-tuple as s.
    private TcpSocket? TwinOf(TcpSocket s)
    {
        InetAddress local = s.LocalHint;
        InetAddress? remote = s.RemoteHint;
        if (remote == null)
        {
            return null;
        }
        foreach (TcpSocket o in Sockets)
        {
            InetAddress? r = o.RemoteHint;
            if (o != s && r != null && r.SameAs(remote) && o.LocalHint.SameAs(local)
                && o.StateHint != (int)TcpState.Closed && o.StateHint != (int)TcpState.Listen)
            {
                return o;
            }
        }
        return null;
    }

    private static string Name(InetAddress? a) => a == null ? "-" : InetAddress.Format(a.Address) + ":" + a.Port;
}
