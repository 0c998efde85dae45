// TestUnixAccept: a listening AF_UNIX socket and one connection across CPUs.
// The listener L is a stream socket whose actor is homed on CPU 1, its
// description installed as fd 0 in S(2)@1 and K(4)@3. S binds L to an
// abstract name (on the VfsActor, CPU 0) and listens with a backlog of 1;
// then accepts, reads until end of file, and accepts again. C(3)@2 makes its
// own socket (homed on CPU 2), connects — retrying a few times while nothing
// listens yet — (the server's side is made and queued at L), writes
// "0123456789" in three writes and closes. K yields twice, then shuts L down
// for reading (shutdown(SHUT_RD)): connects after it are refused, a
// connection already queued is still accepted, and an accept with nothing
// queued ends with EINVAL — woken if it was waiting. K's shutdown may land
// before, between or after anything S and C do. Checks at quiescence: when C
// connected, S read every byte once and in order, then end of file
// (EveryByteOnceInOrder); when C was refused, S's first accept ended with
// EINVAL; S's last accept returned EINVAL (NoLostAcceptWakeup); all three
// exit and are reaped.
//
// TestUnixRightsInFlight: an fd sent with SCM_RIGHTS and never received is
// released. A pipe homed on CPU 0; a connected stream pair, end A on CPU 1 as
// fd 0 of the sender S(2)@1 (which also holds the pipe's write end as fd 1),
// end B on CPU 2 as fd 0 of the closer C(3)@2; the reader R(4)@3 holds the
// read end. S sends one byte with the write end attached (MSG_NOSIGNAL) and
// closes its own fd 1; C closes B without reading. Whether S's message is
// queued at B before B closes (then B's close must release the file it
// carries) or B is already closed (then the send fails with EPIPE and the
// sender releases it), the write end's last reference goes and R's read
// returns end of file (NoLeakedInFlightFd, at quiescence).
using System.Text;
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Net;
using Kevlar.Process;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class UnixSocketScenario
{
    public const int Cpus = 4;
    private const ulong Address = UserScript.DataPage + 64, Buffer = UserScript.DataPage + 256;
    private const string Sent = "0123456789";
    private const int ConnectTries = 6;

    public static void RunAccept(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var server = w.Spawn(init, 1, s => ServerSteps(s, outcome));
        var client = w.Spawn(init, 2, s => ClientSteps(s, outcome));
        var shutter = w.Spawn(init, 3, ShutterSteps);
        var listener = new UnixSocket(SocketConstants.SOCK_STREAM, w.Host.Vfs);
        w.Host.Scheduler.Register(listener, 1);
        var file = new UnixSocketFile(listener, 0);
        server.Files.Install(0, file, false);
        shutter.Files.Install(0, file, false);
        foreach (var p in new[] { server, client, shutter })
        {
            w.Ledger.ExpectStatus(p.Pid, WaitStatus.Exited(0));
        }
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            bool connected = outcome.ConnectResult == 0;
            Specification.Assert(connected || outcome.ConnectResult == -Errno.ECONNREFUSED,
                "ConnectOutcome: the client's connect returned {0}", outcome.ConnectResult);
            Specification.Assert(outcome.LastAccept != long.MinValue,
                "NoLostAcceptWakeup: an accept waiting when the listener was shut down was never woken");
            Specification.Assert(!connected || (outcome.Received.ToString() == Sent && outcome.SawEof),
                "EveryByteOnceInOrder: the server read '{0}' ({1} end of file) where '{2}' was written",
                outcome.Received.ToString(), outcome.SawEof ? "then" : "without", Sent);
            Specification.Assert(connected || outcome.FirstAccept == -Errno.EINVAL,
                "NoLostAcceptWakeup: with the client refused, the first accept returned {0}", outcome.FirstAccept);
            Specification.Assert(outcome.LastAccept == -Errno.EINVAL,
                "NoLostAcceptWakeup: the accept after the listener's shutdown returned {0}", outcome.LastAccept);
        });
        w.Run();
    }

    private sealed class Outcome
    {
        public long ConnectResult = long.MinValue;
        public long FirstAccept = long.MinValue;
        public readonly StringBuilder Received = new();
        public bool SawEof;
        public long LastAccept = long.MinValue;
    }

    public static void RunRightsInFlight(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var rights = new RightsOutcome();
        var pipe = new Pipe { Readers = 1, Writers = 1, ReaderOpens = 1, WriterOpens = 1 };
        w.Host.Scheduler.Register(pipe, 0);
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var sender = w.Spawn(init, 1, s => SenderSteps(s, rights));
        var closer = w.Spawn(init, 2, CloserSteps);
        var reader = w.Spawn(init, 3, s => PipeReaderSteps(s, rights));
        var a = new UnixSocket(SocketConstants.SOCK_STREAM, w.Host.Vfs);
        var b = new UnixSocket(SocketConstants.SOCK_STREAM, w.Host.Vfs);
        w.Host.Scheduler.Register(a, 1);
        w.Host.Scheduler.Register(b, 2);
        UnixSocket.Pair(a, b, new UnixCredentials(sender.Pid, 0, 0));
        sender.Files.Install(0, new UnixSocketFile(a, 0), false);
        sender.Files.Install(1, new PipeEnd(pipe, true, OpenFlags.O_WRONLY), false);
        closer.Files.Install(0, new UnixSocketFile(b, 0), false);
        reader.Files.Install(0, new PipeEnd(pipe, false, OpenFlags.O_RDONLY), false);
        foreach (var p in new[] { sender, closer, reader })
        {
            w.Ledger.ExpectStatus(p.Pid, WaitStatus.Exited(0));
        }
        w.MustDie(sender, closer, reader);
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(rights.SendResult == 1 || rights.SendResult == -Errno.EPIPE,
                "SendOutcome: the sendmsg with SCM_RIGHTS returned {0}", rights.SendResult);
            Specification.Assert(rights.ReadResult == 0,
                "NoLeakedInFlightFd: the pipe's reader {0} (sendmsg returned {1}): the write end sent in flight was never released",
                rights.ReadResult == long.MinValue ? "is still waiting" : "read " + rights.ReadResult, rights.SendResult);
        });
        w.Run();
    }

    private sealed class RightsOutcome
    {
        public long SendResult = long.MinValue;
        public long ReadResult = long.MinValue;
    }

    private const ulong Message = UserScript.DataPage + 512, Vector = UserScript.DataPage + 576, Control = UserScript.DataPage + 608;

    // msghdr { iov = { Buffer, 1 }, control = { SOL_SOCKET, SCM_RIGHTS, [1] } }; sendmsg(0, msg, MSG_NOSIGNAL);
    // close(1); exit(0);
    private static IEnumerable<UserOp> SenderSteps(UserScript s, RightsOutcome outcome)
    {
        var m = s.Process!.UserMemory;
        m.Write(Buffer, new byte[] { (byte)'x' });
        var iov = new byte[16];
        BitConverter.TryWriteBytes(iov.AsSpan(0), Buffer);
        BitConverter.TryWriteBytes(iov.AsSpan(8), 1UL);
        m.Write(Vector, iov);
        var control = new byte[24]; // CMSG_SPACE(sizeof(int))
        BitConverter.TryWriteBytes(control.AsSpan(0), 20UL); // CMSG_LEN(sizeof(int))
        BitConverter.TryWriteBytes(control.AsSpan(8), SocketConstants.SOL_SOCKET);
        BitConverter.TryWriteBytes(control.AsSpan(12), SocketConstants.SCM_RIGHTS);
        BitConverter.TryWriteBytes(control.AsSpan(16), 1);
        m.Write(Control, control);
        var msg = new byte[56];
        BitConverter.TryWriteBytes(msg.AsSpan(16), Vector);
        BitConverter.TryWriteBytes(msg.AsSpan(24), 1UL);
        BitConverter.TryWriteBytes(msg.AsSpan(32), Control);
        BitConverter.TryWriteBytes(msg.AsSpan(40), (ulong)control.Length);
        m.Write(Message, msg);
        yield return UserOp.Syscall(SyscallNumber.sendmsg, 0, Message, SocketConstants.MSG_NOSIGNAL);
        outcome.SendResult = s.Result;
        yield return UserOp.Close(1);
        yield return UserOp.ExitGroup(0);
    }

    // yield; close(0); exit(0);
    private static IEnumerable<UserOp> CloserSteps(UserScript s)
    {
        yield return UserOp.Yield;
        yield return UserOp.Close(0);
        yield return UserOp.ExitGroup(0);
    }

    // read(0, buf, 1); exit(0);
    private static IEnumerable<UserOp> PipeReaderSteps(UserScript s, RightsOutcome outcome)
    {
        yield return UserOp.Read(0, Buffer, 1);
        outcome.ReadResult = s.Result;
        yield return UserOp.ExitGroup(0);
    }

    // sockaddr_un { AF_UNIX, "\0coyote" }: 9 bytes.
    private static ulong PutAddress(UserScript s)
    {
        byte[] name = Encoding.Latin1.GetBytes("\0coyote");
        var b = new byte[2 + name.Length];
        b[0] = SocketConstants.AF_UNIX;
        name.CopyTo(b, 2);
        s.Process!.UserMemory.Write(Address, b);
        return (ulong)b.Length;
    }

    // bind(0, addr); listen(0, 1); if ((c = accept(0)) >= 0) while ((n = read(c, buf, 4)) > 0) ...;
    // accept(0); exit(0);
    private static IEnumerable<UserOp> ServerSteps(UserScript s, Outcome outcome)
    {
        ulong length = PutAddress(s);
        yield return UserOp.Syscall(SyscallNumber.bind, 0, Address, length);
        yield return UserOp.Syscall(SyscallNumber.listen, 0, 1);
        yield return UserOp.Syscall(SyscallNumber.accept, 0);
        outcome.FirstAccept = s.Result;
        int connection = (int)s.Result;
        while (connection >= 0)
        {
            yield return UserOp.Read(connection, Buffer, 4);
            if (s.Result <= 0)
            {
                outcome.SawEof = s.Result == 0;
                break;
            }
            var bytes = new byte[s.Result];
            s.Process!.UserMemory.Read(Buffer, bytes);
            outcome.Received.Append(Encoding.Latin1.GetString(bytes));
        }
        yield return UserOp.Syscall(SyscallNumber.accept, 0);
        outcome.LastAccept = s.Result;
        yield return UserOp.ExitGroup(0);
    }

    // c = socket(); connect(c, addr), again while refused (a few times);
    // if connected: write(c, 4), (3), (3); close(c); exit(0);
    private static IEnumerable<UserOp> ClientSteps(UserScript s, Outcome outcome)
    {
        ulong length = PutAddress(s);
        yield return UserOp.Syscall(SyscallNumber.socket, SocketConstants.AF_UNIX, SocketConstants.SOCK_STREAM);
        int fd = (int)s.Result;
        for (int i = 0; i < ConnectTries; i++)
        {
            yield return UserOp.Syscall(SyscallNumber.connect, (ulong)fd, Address, length);
            outcome.ConnectResult = s.Result;
            if (s.Result != -Errno.ECONNREFUSED) break;
            yield return UserOp.Yield;
        }
        if (outcome.ConnectResult == 0)
        {
            s.Process!.UserMemory.Write(Buffer, Encoding.Latin1.GetBytes(Sent));
            int done = 0;
            foreach (int piece in new[] { 4, 3, 3 })
            {
                yield return UserOp.Write(fd, Buffer + (ulong)done, piece);
                done += piece;
            }
        }
        yield return UserOp.Close(fd);
        yield return UserOp.ExitGroup(0);
    }

    // yield; yield; shutdown(0, SHUT_RD); exit(0);
    private static IEnumerable<UserOp> ShutterSteps(UserScript s)
    {
        yield return UserOp.Yield;
        yield return UserOp.Yield;
        yield return UserOp.Syscall(SyscallNumber.shutdown, 0, SocketConstants.SHUT_RD);
        yield return UserOp.ExitGroup(0);
    }
}
