// TestEpollReadyList: an epoll set homed on CPU 1 with two level-triggered
// entries, the read ends of pipe A (homed on CPU 0) and pipe B (on CPU 3); a
// waiter W(2)@1 loops in epoll_wait(-1), reading each reported pipe, until it
// has read one byte from each; writers X(3)@2 and Y(4)@0 write one byte each,
// to A and B, then exit. A round polls A and B in turn (each a message round
// trip) and Decides on CPU 1, so a write may land before a poll, between a
// poll's answer and the Decide (the entry's watch fires then: the round must
// not take the entry off the ready list), or after. Checks: the waiter reads
// both bytes and exits (NoLostEpollWakeup, at quiescence); all three exit
// and are reaped by init(1)@0.
using System.Buffers.Binary;
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class EpollReadyListScenario
{
    public const int Cpus = 4;
    private const ulong Buffer = UserScript.DataPage + 64, Event = UserScript.DataPage + 128, Events = UserScript.DataPage + 192;

    public static void Run(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var outcome = new Outcome();
        var a = new Pipe { Readers = 1, Writers = 1, ReaderOpens = 1, WriterOpens = 1 };
        var b = new Pipe { Readers = 1, Writers = 1, ReaderOpens = 1, WriterOpens = 1 };
        w.Host.Scheduler.Register(a, 0);
        w.Host.Scheduler.Register(b, 3);
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var waiter = w.Spawn(init, 1, s => WaiterSteps(s, outcome));
        var x = w.Spawn(init, 2, WriterSteps);
        var y = w.Spawn(init, 0, WriterSteps);
        waiter.Files.Install(0, new PipeEnd(a, false, OpenFlags.O_RDONLY), false);
        waiter.Files.Install(1, new PipeEnd(b, false, OpenFlags.O_RDONLY), false);
        x.Files.Install(0, new PipeEnd(a, true, OpenFlags.O_WRONLY), false);
        y.Files.Install(0, new PipeEnd(b, true, OpenFlags.O_WRONLY), false);
        foreach (var p in new[] { waiter, x, y })
        {
            w.Ledger.ExpectStatus(p.Pid, WaitStatus.Exited(0));
        }
        w.MustDie(waiter, x, y);
        w.MustLive(init);
        w.AtQuiescence(() => Specification.Assert(outcome.Bytes == 2 && outcome.Error == 0,
            "NoLostEpollWakeup: the epoll waiter read {0} of 2 bytes{1}", outcome.Bytes,
            outcome.Error != 0 ? " (epoll_wait returned " + outcome.Error + ")" : outcome.Bytes < 2 ? " and was left waiting" : ""));
        w.Run();
    }

    private sealed class Outcome
    {
        public int Bytes;
        public long Error;
    }

    // ep = epoll_create1(0); ADD fd 0 and fd 1 for EPOLLIN (data = the fd);
    // while (bytes < 2) { n = epoll_wait(ep, evs, 4, -1);
    //     for each: bytes += read(data, buf, 8), epoll_ctl(ep, DEL, data); } exit(0);
    private static IEnumerable<UserOp> WaiterSteps(UserScript s, Outcome outcome)
    {
        yield return UserOp.Syscall(SyscallNumber.epoll_create1, 0);
        ulong ep = (ulong)s.Result;
        for (ulong fd = 0; fd < 2; fd++)
        {
            var ev = new byte[EpollEvents.EventSize];
            BinaryPrimitives.WriteUInt32LittleEndian(ev, (uint)PollEvents.POLLIN);
            BinaryPrimitives.WriteUInt64LittleEndian(ev.AsSpan(4), fd);
            s.Process!.UserMemory.Write(Event, ev);
            yield return UserOp.Syscall(SyscallNumber.epoll_ctl, ep, EpollEvents.EPOLL_CTL_ADD, fd, Event);
        }
        while (outcome.Bytes < 2)
        {
            yield return UserOp.Syscall(SyscallNumber.epoll_wait, ep, Events, 4, unchecked((ulong)-1L));
            long n = s.Result;
            if (n <= 0)
            {
                outcome.Error = n;
                break;
            }
            var got = new byte[(int)n * EpollEvents.EventSize];
            s.Process!.UserMemory.Read(Events, got);
            for (int i = 0; i < n; i++)
            {
                int fd = (int)BinaryPrimitives.ReadUInt64LittleEndian(got.AsSpan(i * EpollEvents.EventSize + 4));
                yield return UserOp.Read(fd, Buffer, 8);
                if (s.Result > 0) outcome.Bytes += (int)s.Result;
                // Done with this pipe (its writer's exit would keep it ready with POLLHUP).
                yield return UserOp.Syscall(SyscallNumber.epoll_ctl, ep, EpollEvents.EPOLL_CTL_DEL, (ulong)fd, 0);
            }
        }
        yield return UserOp.ExitGroup(0);
    }

    // write(0, "\0", 1); exit(0);
    private static IEnumerable<UserOp> WriterSteps(UserScript s)
    {
        yield return UserOp.Write(0, Buffer, 1);
        yield return UserOp.ExitGroup(0);
    }
}
