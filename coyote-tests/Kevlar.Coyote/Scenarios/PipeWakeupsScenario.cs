// TestPipeWakeups: one pipe homed on CPU 0; a reader R(2)@1 blocked in read
// until end of file, a poller P(3)@2 in poll(events 0) waiting for the hangup,
// and a writer W(4)@3 that writes one byte, then closes its end and exits;
// init(1)@0 reaps them. Every request reaches the pipe from another CPU as a
// message round trip, so the close may land before, between or after the
// reader's and the poller's registrations. Checks: no waiter is left waiting
// after the close — the reader reads the byte and then end of file, the
// poller sees POLLHUP (NoWaiterAfterClose, at quiescence); all three exit
// and are reaped.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Signals;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class PipeWakeupsScenario
{
    public const int Cpus = 4;
    private const ulong Buffer = UserScript.DataPage + 64, PollFd = UserScript.DataPage + 128;

    public static void Run(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var outcome = new Outcome();
        var pipe = new Pipe { Readers = 2, Writers = 1, ReaderOpens = 2, WriterOpens = 1 };
        w.Host.Scheduler.Register(pipe, 0);
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var reader = w.Spawn(init, 1, s => ReaderSteps(s, outcome));
        var poller = w.Spawn(init, 2, s => PollerSteps(s, outcome));
        var writer = w.Spawn(init, 3, WriterSteps);
        reader.Files.Install(0, new PipeEnd(pipe, false, OpenFlags.O_RDONLY), false);
        poller.Files.Install(0, new PipeEnd(pipe, false, OpenFlags.O_RDONLY), false);
        writer.Files.Install(0, new PipeEnd(pipe, true, OpenFlags.O_WRONLY), false);
        foreach (var p in new[] { reader, poller, writer })
        {
            w.Ledger.ExpectStatus(p.Pid, WaitStatus.Exited(0));
        }
        w.MustDie(reader, poller, writer);
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(outcome.ReaderBytes == 1 && outcome.ReaderSawEof,
                "NoWaiterAfterClose: the reader read {0} byte(s) and {1} end of file after the writer closed",
                outcome.ReaderBytes, outcome.ReaderSawEof ? "saw" : "never saw");
            Specification.Assert(outcome.PollerRevents == PollEvents.POLLHUP,
                "NoWaiterAfterClose: the poller {0} after the writer closed",
                outcome.PollerRevents < 0 ? "was left waiting" : "returned revents " + outcome.PollerRevents + " instead of POLLHUP");
        });
        w.Run();
    }

    /// <summary>What the programs saw, for the end-state check.</summary>
    private sealed class Outcome
    {
        public int ReaderBytes;
        public bool ReaderSawEof;
        public int PollerRevents = -1;
    }

    // while ((n = read(0, buf, 8)) > 0) bytes += n; exit(0);
    private static IEnumerable<UserOp> ReaderSteps(UserScript s, Outcome outcome)
    {
        while (true)
        {
            yield return UserOp.Read(0, Buffer, 8);
            if (s.Result <= 0)
            {
                outcome.ReaderSawEof = s.Result == 0;
                break;
            }
            outcome.ReaderBytes += (int)s.Result;
        }
        yield return UserOp.ExitGroup(0);
    }

    // struct pollfd p = { 0, 0 }; poll(&p, 1, -1); exit(0);
    private static IEnumerable<UserOp> PollerSteps(UserScript s, Outcome outcome)
    {
        s.Process!.UserMemory.Write(PollFd, new byte[8]);
        yield return UserOp.Poll(PollFd, 1, -1);
        var revents = new byte[2];
        s.Process.UserMemory.Read(PollFd + 6, revents);
        outcome.PollerRevents = s.Result == 1 ? revents[0] | (revents[1] << 8) : (int)s.Result;
        yield return UserOp.ExitGroup(0);
    }

    // write(0, "\0", 1); close(0); exit(0);
    private static IEnumerable<UserOp> WriterSteps(UserScript s)
    {
        yield return UserOp.Write(0, Buffer, 1);
        yield return UserOp.Close(0);
        yield return UserOp.ExitGroup(0);
    }
}
