// ConsoleReaderActor: the shape of a console input consumer — on each
// notification it takes what is waiting and asks for the next, reusing one
// pre-allocated message.
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Support;

public sealed class ConsoleReaderActor : Actor
{
    private sealed class InputWaiting : Message { }

    private readonly IConsoleInput _input;
    private readonly InputWaiting _waiting = new();
    private readonly int _chunk;

    public ConsoleReaderActor(IConsoleInput input, int chunk = 64)
    {
        _input = input;
        _chunk = chunk;
    }

    public List<byte> Received { get; } = new();

    public int Notifications { get; private set; }

    /// <summary>Received.Count, published for other threads after each handler.</summary>
    public int Count;

    /// <summary>Asks for the first notification (call once the actor is registered).</summary>
    public void Start() => _input.NotifyWhenReadable(this, _waiting);

    protected override void Receive(Message m)
    {
        Notifications++;
        var buf = new byte[_chunk];
        int n = _input.Take(buf);
        Received.AddRange(buf.Take(n));
        Volatile.Write(ref Count, Received.Count);
        _input.NotifyWhenReadable(this, _waiting);
    }
}
