// Async methods inside actors on the real Scheduler, driven by the
// deterministic twin: a client's handler starts a method that sends requests
// to a server actor and awaits each reply (request and reply are two
// messages). The reply's delivery sets the client's event, and the method
// resumes inside the client's Receive on the client's home CPU — also when the
// client migrated while the method was suspended.
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Async;

public class AsyncActorTests
{
    public AsyncActorTests() => KassertFailure.Install();

    private sealed class Request(Actor replyTo, int value) : Message
    {
        public Actor ReplyTo { get; } = replyTo;

        public int Value { get; } = value;
    }

    private sealed class Reply(int value) : Message
    {
        public int Value { get; } = value;
    }

    private sealed class Start(int calls) : Message
    {
        public int Calls { get; } = calls;
    }

    private sealed class Move(int cpu) : Message
    {
        public int Cpu { get; } = cpu;
    }

    private static int Answer(int value) => value * 2 + 1;

    private sealed class Server : Actor
    {
        protected override void Receive(Message m)
        {
            var r = (Request)m;
            Send(r.ReplyTo, new Reply(Answer(r.Value)));
        }
    }

    private sealed class Client : Actor
    {
        private readonly Actor _server;
        private readonly KernelEvent<int> _reply;
        private bool _inReceive;

        public Client(Actor server)
        {
            _server = server;
            _reply = new KernelEvent<int>(this);
        }

        /// <summary>Each resumption after a reply: the value, the CPU, and whether it ran inside Receive.</summary>
        public List<(int Value, int Cpu, bool InReceive)> Resumed { get; } = new();

        public KernelTask<long>? Run { get; private set; }

        public int CompletedOnCpu { get; private set; } = -1;

        protected override void Receive(Message m)
        {
            _inReceive = true;
            switch (m)
            {
                case Reply r:
                    _reply.Set(r.Value);
                    break;
                case Start s:
                    Run = CallMany(s.Calls);
                    if (!Run.OnCompleted(_ => CompletedOnCpu = Scheduler!.Platform.CurrentCpu))
                    {
                        CompletedOnCpu = Scheduler!.Platform.CurrentCpu;
                    }
                    break;
                case Move mv:
                    Assert.True(Scheduler!.Migrate(this, mv.Cpu));
                    break;
            }
            _inReceive = false;
        }

        private async KernelTask<int> Call(int value)
        {
            _reply.Reset();
            Send(_server, new Request(this, value));
            return await _reply;
        }

        private async KernelTask<long> CallMany(int calls)
        {
            long sum = 0;
            for (int i = 0; i < calls; i++)
            {
                int r = await Call(i);
                Resumed.Add((r, Scheduler!.Platform.CurrentCpu, _inReceive));
                sum += r;
            }
            return sum;
        }
    }

    private static long SumOfAnswers(int calls)
    {
        long sum = 0;
        for (int i = 0; i < calls; i++)
        {
            sum += Answer(i);
        }
        return sum;
    }

    public static IEnumerable<object?[]> Placements()
    {
        yield return new object?[] { 0, 0, null };
        yield return new object?[] { 0, 1, null };
        yield return new object?[] { 3, 1, 5 };
        yield return new object?[] { 2, 2, 9 };
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Await_RequestReply_ResumesInReceiveOnHomeCpu(int clientCpu, int serverCpu, int? seed)
    {
        const int calls = 50;
        var platform = new DeterministicPlatform(4);
        var s = new Scheduler(platform);
        var server = new Server();
        var client = new Client(server);
        s.Register(server, serverCpu);
        s.Register(client, clientCpu);
        s.Send(client, new Start(calls));
        new DeterministicDriver(s, platform, seed).RunUntilQuiescent();
        Assert.True(client.Run!.IsCompleted);
        Assert.Equal(SumOfAnswers(calls), client.Run.Result);
        Assert.Equal(clientCpu, client.CompletedOnCpu);
        Assert.Equal(calls, client.Resumed.Count);
        for (int i = 0; i < calls; i++)
        {
            Assert.Equal((Answer(i), clientCpu, true), client.Resumed[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Await_ClientOnEveryCpuOneServer_EachGetsItsOwnReplies(int seed)
    {
        const int calls = 40;
        var platform = new DeterministicPlatform(4);
        var s = new Scheduler(platform);
        var server = new Server();
        s.Register(server, 1);
        var clients = new Client[4];
        for (int c = 0; c < clients.Length; c++)
        {
            clients[c] = new Client(server);
            s.Register(clients[c], c);
            s.Send(clients[c], new Start(calls));
        }
        new DeterministicDriver(s, platform, seed).RunUntilQuiescent();
        for (int c = 0; c < clients.Length; c++)
        {
            Assert.Equal(SumOfAnswers(calls), clients[c].Run!.Result);
            Assert.All(clients[c].Resumed, r => Assert.Equal(c, r.Cpu));
            Assert.All(clients[c].Resumed, r => Assert.True(r.InReceive));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)]
    [InlineData(8)]
    public void Await_OwnerMigratesWhileSuspended_ResumesOnNewHome(int? seed)
    {
        const int calls = 10;
        var platform = new DeterministicPlatform(4);
        var s = new Scheduler(platform);
        var server = new Server();
        var client = new Client(server);
        s.Register(server, 1);
        s.Register(client, 0);
        // Start sends the first request and suspends; Move runs before its reply can.
        s.Send(client, new Start(calls));
        s.Send(client, new Move(3));
        new DeterministicDriver(s, platform, seed).RunUntilQuiescent();
        Assert.Equal(3, client.Home);
        Assert.Equal(SumOfAnswers(calls), client.Run!.Result);
        Assert.Equal(3, client.CompletedOnCpu);
        Assert.All(client.Resumed, r => Assert.Equal((3, true), (r.Cpu, r.InReceive)));
    }

    private sealed class Intruder(KernelEvent<int> target) : Actor
    {
        protected override void Receive(Message m) => target.Set(1);
    }

    [Fact]
    public void Set_FromAnotherCpu_FailsOwnerCpu()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var owner = new Server();
        s.Register(owner, 0);
        var e = new KernelEvent<int>(owner);
        var intruder = new Intruder(e);
        s.Register(intruder, 1);
        s.Send(intruder, new Start(0));
        var ex = Assert.Throws<KassertFailure>(() => new DeterministicDriver(s, platform).RunUntilQuiescent());
        Assert.StartsWith("KernelEventOwnerCpu:", ex.Message);
    }
}
