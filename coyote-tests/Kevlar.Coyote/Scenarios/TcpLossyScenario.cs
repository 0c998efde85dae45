// TestTcpLossyTransfer: one TCP connection across CPUs over a lossy network.
// The InetStack (CPU 0) carries every packet through a fake device
// (Mocks/Net/LossyLink) that the driver runs: it may drop a packet (at most
// two per run), duplicate it (two), deliver any packet on the wire before
// older ones (reordering), or fire the earliest timer early (one); when
// nothing is on the wire and every CPU is idle, the earliest armed timer
// fires (the fake clock jumps to its deadline, so an RTO retransmits, a
// TIME_WAIT ends). The sockets use that clock and timer service
// (Mocks/Net/FakeTimers), so they are made here rather than by socket(): the
// listener L homed on CPU 1, its description fd 0 of S(2)@1 and K(4)@3; C's
// socket homed on CPU 2, fd 0 of C(3)@2. init(1)@0 reaps.
//
// S binds L to 0.0.0.0:5000, listens (backlog 1) and accepts; with a
// connection it reads (8 bytes at a time) until end of file or an error and
// closes it; then accepts again, which must end with EINVAL once K has
// stopped the listener. C connects to 127.0.0.1:5000 — again, after a yield,
// while refused (six tries: nothing may listen yet, or no more) — sends the 24
// bytes "0123456789abcdefghijklmn" in three sends (10, 8, 6; MSG_NOSIGNAL),
// stopping at an error, closes and exits. K shuts L down for reading
// (shutdown(SHUT_RD): listening stops, queued connections are reset, a
// waiting accept ends with EINVAL), again after a yield while L does not
// listen yet (-ENOTCONN) — at a point Coyote picks per run: at once; once a
// connection waits in L's queue (K polls L for POLLIN, and fd 1, the read end
// of a pipe whose only write end is C's fd 1, for the hangup C's exit
// makes); or once C has exited (K reads that pipe to end of file). So the
// stop lands before C's SYN, between the handshake and the accept, or late.
//
// Checks: at every timer arming, no socket asks for a timer with its
// connection Closed (NoTimerAfterClose) and no two live sockets hold one
// four-tuple (OneSocketPerConnection); after each read, S's bytes are a
// prefix of the pattern (EveryByteOnceInOrder). At quiescence: no program is
// left blocked — S's accepts (NoLostAcceptWakeup), S's reads, C's connect and
// sends, K's wait (NoLostSocketWakeup); when S accepted, it read exactly what
// C's sends queued, then end of file, or got an error (EveryByteOnceInOrder);
// connect returned 0, ECONNREFUSED or ECONNRESET, and S accepted only a
// connection C's connect completed (ConnectOutcome); a connection C completed
// that S never accepted had an RST sent to C (NoSilentAcceptDrop); S's last
// accept EINVAL (NoLostAcceptWakeup); every socket's connection Closed or in
// TIME_WAIT and no timer left armed (ConnectionsClosed); all three exit 0 and
// are reaped.
using System.Buffers.Binary;
using System.Text;
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Net;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Net;
using Kevlar.Process;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class TcpLossyScenario
{
    public const int Cpus = 4;
    public const int Port = 5000;
    private const ulong Address = UserScript.DataPage + 64, Buffer = UserScript.DataPage + 256;
    private const string Sent = "0123456789abcdefghijklmn";
    private static readonly int[] Pieces = { 10, 8, 6 };
    private const int ReadSize = 8;
    private const int ConnectTries = 6;

    public static void Run(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var outcome = new Outcome();
        var timers = new FakeTimers(w.Host.Scheduler, runtime);
        var link = new LossyLink(w.World, w.Host.Inet, timers) { ServerPort = Port };
        w.Host.Inet.Link = link;
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var server = w.Spawn(init, 1, s => ServerSteps(s, outcome));
        var client = w.Spawn(init, 2, s => ClientSteps(s, outcome));
        // When K stops the listener (Coyote's choice, so every window of the accept queue is tried):
        // at once; once a connection waits in L's queue (or C exited); once C exited.
        var stopAt = (StopPoint)runtime.RandomInteger(3);
        runtime.Logger.WriteLine("<NetLog> K stops the listener " + stopAt);
        var stopper = w.Spawn(init, 3, s => StopperSteps(s, outcome, stopAt));
        // C's exit closes the only write end of this pipe: K's read of it ends then.
        var exitPipe = new Pipe { Readers = 1, Writers = 1, ReaderOpens = 1, WriterOpens = 1 };
        w.Host.Scheduler.Register(exitPipe, 3);
        client.Files.Install(1, new PipeEnd(exitPipe, true, OpenFlags.O_WRONLY), false);
        stopper.Files.Install(1, new PipeEnd(exitPipe, false, OpenFlags.O_RDONLY), false);
        var listener = new TcpSocket(w.Host.Inet, timers, timers);
        w.Host.Scheduler.Register(listener, 1);
        var listenerFile = new TcpSocketFile(listener, 0);
        server.Files.Install(0, listenerFile, false);
        stopper.Files.Install(0, listenerFile, false);
        var connector = new TcpSocket(w.Host.Inet, timers, timers);
        w.Host.Scheduler.Register(connector, 2);
        client.Files.Install(0, new TcpSocketFile(connector, 0), false);
        timers.Label(listener, "L");
        timers.Label(connector, "C's");
        foreach (var p in new[] { server, client, stopper })
        {
            w.Ledger.ExpectStatus(p.Pid, WaitStatus.Exited(0));
        }
        w.MustDie(server, client, stopper);
        w.MustLive(init);
        w.AtQuiescence(() => Check(outcome, link, timers, listener, connector));
        // ProcessWorld.Run, with the device running until the network is quiet before DriverDone.
        w.World.StartCpus();
        foreach (var p in new[] { init, server, client, stopper })
        {
            p.MainThread.Start();
        }
        link.RunUntilQuiet();
    }

    private static void Check(Outcome o, LossyLink link, FakeTimers timers, TcpSocket listener, TcpSocket connector)
    {
        Specification.Assert(o.ServerBlockedIn == null || !o.ServerBlockedIn.StartsWith("accept", StringComparison.Ordinal),
            "NoLostAcceptWakeup: S is still blocked in {0} (K's shutdown returned {1})", o.ServerBlockedIn, o.Stop);
        Specification.Assert(o.ServerBlockedIn == null,
            "NoLostSocketWakeup: S is still blocked in {0} after reading '{1}'", o.ServerBlockedIn, o.Received.ToString());
        Specification.Assert(o.ClientBlockedIn == null,
            "NoLostSocketWakeup: C is still blocked in {0} (connect returned {1})", o.ClientBlockedIn, o.Connect);
        Specification.Assert(o.StopperBlockedIn == null, "NoLostSocketWakeup: K is still blocked in {0}", o.StopperBlockedIn);
        string got = o.Received.ToString(), written = Sent.Substring(0, o.Written);
        bool accepted = o.FirstAccept >= 0;
        Specification.Assert(!accepted || (o.SawEof ? got == written : o.ReadError != 0),
            "EveryByteOnceInOrder: S read '{0}' then {1} where C sent '{2}'", got,
            o.SawEof ? "end of file" : o.ReadError != 0 ? "error " + o.ReadError : "nothing more", written);
        Specification.Assert(accepted || got.Length == 0, "EveryByteOnceInOrder: S read '{0}' without a connection", got);
        // ECONNRESET: established, then reset before C's thread saw it (Linux's connect says so too).
        Specification.Assert(o.Connect == 0 || o.Connect == -Errno.ECONNREFUSED || o.Connect == -Errno.ECONNRESET,
            "ConnectOutcome: C's connect returned {0}", o.Connect);
        Specification.Assert(o.Connect == 0 || !accepted, "ConnectOutcome: S accepted a connection C's connect reported failed ({0})", o.Connect);
        Specification.Assert(o.Connect != 0 || accepted || o.SendError != 0 || link.ResetsToClient > 0,
            "NoSilentAcceptDrop: C's connection completed, S never accepted it, and no RST was sent to C (C sent {0} bytes; {1} packets delivered, {2} dropped)",
            o.Written, link.Delivered, link.Dropped);
        Specification.Assert(o.LastAccept == -Errno.EINVAL,
            "NoLostAcceptWakeup: S's accept after K's shutdown returned {0}", o.LastAccept);
        var all = new List<TcpSocket>(timers.Sockets);
        if (!timers.Sockets.Contains(listener)) all.Add(listener);
        if (!timers.Sockets.Contains(connector)) all.Add(connector);
        foreach (TcpSocket s in all)
        {
            var state = (TcpState)s.StateHint;
            Specification.Assert(state == TcpState.Closed || state == TcpState.TimeWait,
                "ConnectionsClosed: tcp socket {0} is {1} at the end", timers.NameOf(s), state);
        }
        Specification.Assert(timers.Pending == 0, "ConnectionsClosed: {0} timers still armed at the end", timers.Pending);
    }

    private sealed class Outcome
    {
        public long Connect = long.MinValue;
        public long FirstAccept = long.MinValue;
        public long LastAccept = long.MinValue;
        public readonly StringBuilder Received = new();
        public bool SawEof;
        public long ReadError;
        public int Written;
        public long SendError;
        public long Stop = long.MinValue;
        // The call each program is in (set before the step, cleared when it returns).
        public string? ServerBlockedIn, ClientBlockedIn, StopperBlockedIn;
    }

    // struct sockaddr_in { AF_INET, htons(port), address } (16 bytes).
    private static ulong PutAddress(UserScript s, uint address)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(b, SocketConstants.AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), Port);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), address);
        s.Process!.UserMemory.Write(Address, b);
        return (ulong)b.Length;
    }

    // bind(0, 0.0.0.0:5000); listen(0, 1); if ((c = accept(0)) >= 0) { while ((n = read(c, buf, 8)) > 0) ...; close(c); }
    // accept(0); exit(0);
    private static IEnumerable<UserOp> ServerSteps(UserScript s, Outcome o)
    {
        ulong length = PutAddress(s, InetAddress.Any);
        yield return UserOp.Syscall(SyscallNumber.bind, 0, Address, length);
        yield return UserOp.Syscall(SyscallNumber.listen, 0, 1);
        o.ServerBlockedIn = "accept (the first)";
        yield return UserOp.Syscall(SyscallNumber.accept, 0);
        o.ServerBlockedIn = null;
        o.FirstAccept = s.Result;
        if (s.Result >= 0)
        {
            int connection = (int)s.Result;
            while (true)
            {
                o.ServerBlockedIn = "read";
                yield return UserOp.Read(connection, Buffer, ReadSize);
                o.ServerBlockedIn = null;
                if (s.Result <= 0)
                {
                    o.SawEof = s.Result == 0;
                    o.ReadError = s.Result;
                    break;
                }
                var bytes = new byte[s.Result];
                s.Process!.UserMemory.Read(Buffer, bytes);
                o.Received.Append(Encoding.Latin1.GetString(bytes));
                string got = o.Received.ToString();
                Specification.Assert(Sent.StartsWith(got, StringComparison.Ordinal),
                    "EveryByteOnceInOrder: S read '{0}', not a prefix of '{1}' (a byte lost, duplicated or reordered)", got, Sent);
            }
            yield return UserOp.Close(connection);
        }
        o.ServerBlockedIn = "accept (after the connection)";
        yield return UserOp.Syscall(SyscallNumber.accept, 0);
        o.ServerBlockedIn = null;
        o.LastAccept = s.Result;
        yield return UserOp.ExitGroup(0);
    }

    // connect(0, 127.0.0.1:5000), again after a yield while refused (six tries);
    // if connected: send(0, 10, MSG_NOSIGNAL), (8), (6), stopping at an error; close(0); exit(0);
    private static IEnumerable<UserOp> ClientSteps(UserScript s, Outcome o)
    {
        ulong length = PutAddress(s, InetAddress.Loopback);
        for (int i = 0; i < ConnectTries; i++)
        {
            o.ClientBlockedIn = "connect";
            yield return UserOp.Syscall(SyscallNumber.connect, 0, Address, length);
            o.ClientBlockedIn = null;
            o.Connect = s.Result;
            if (s.Result != -Errno.ECONNREFUSED) break;
            yield return UserOp.Yield;
        }
        if (o.Connect == 0)
        {
            s.Process!.UserMemory.Write(Buffer, Encoding.Latin1.GetBytes(Sent));
            foreach (int piece in Pieces)
            {
                o.ClientBlockedIn = "send";
                yield return UserOp.Syscall(SyscallNumber.sendto, 0, Buffer + (ulong)o.Written, (ulong)piece, SocketConstants.MSG_NOSIGNAL);
                o.ClientBlockedIn = null;
                if (s.Result < 0)
                {
                    o.SendError = s.Result;
                    break;
                }
                o.Written += (int)s.Result;
            }
        }
        yield return UserOp.Close(0);
        yield return UserOp.ExitGroup(0);
    }

    private enum StopPoint
    {
        AtOnce,
        WhenQueued,
        AfterClientExit,
    }

    // WhenQueued: struct pollfd p[2] = { { 0, POLLIN }, { 1, POLLIN } };
    //     while (poll(p, 2, -1) == 1 && p[0].revents == POLLHUP) yield;   (L not listening yet)
    // AfterClientExit: read(1, buf, 1);   (end of file at C's exit)
    // then: do { yield; r = shutdown(0, SHUT_RD); } while (r == -ENOTCONN); exit(0);
    private static IEnumerable<UserOp> StopperSteps(UserScript s, Outcome o, StopPoint at)
    {
        if (at == StopPoint.WhenQueued)
        {
            while (true)
            {
                var fds = new byte[16];
                BinaryPrimitives.WriteInt32LittleEndian(fds, 0);
                BinaryPrimitives.WriteInt16LittleEndian(fds.AsSpan(4), (short)PollEvents.POLLIN);
                BinaryPrimitives.WriteInt32LittleEndian(fds.AsSpan(8), 1);
                BinaryPrimitives.WriteInt16LittleEndian(fds.AsSpan(12), (short)PollEvents.POLLIN);
                s.Process!.UserMemory.Write(Address, fds);
                o.StopperBlockedIn = "poll";
                yield return UserOp.Poll(Address, 2, -1);
                o.StopperBlockedIn = null;
                s.Process.UserMemory.Read(Address, fds);
                short listener = BinaryPrimitives.ReadInt16LittleEndian(fds.AsSpan(6)), pipe = BinaryPrimitives.ReadInt16LittleEndian(fds.AsSpan(14));
                if (s.Result < 0 || pipe != 0 || (listener & PollEvents.POLLIN) != 0) break;
                yield return UserOp.Yield;
            }
        }
        else if (at == StopPoint.AfterClientExit)
        {
            o.StopperBlockedIn = "read (of the pipe C's exit closes)";
            yield return UserOp.Read(1, Buffer, 1);
            o.StopperBlockedIn = null;
        }
        do
        {
            yield return UserOp.Yield;
            o.StopperBlockedIn = "shutdown";
            yield return UserOp.Syscall(SyscallNumber.shutdown, 0, SocketConstants.SHUT_RD);
            o.StopperBlockedIn = null;
            o.Stop = s.Result;
        }
        while (s.Result == -Errno.ENOTCONN);
        yield return UserOp.ExitGroup(0);
    }
}
