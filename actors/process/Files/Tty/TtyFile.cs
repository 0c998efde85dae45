// TtyFile: an open file description of a tty — /dev/ttyS0 (4:64), or
// /dev/tty (5:0, the opener's controlling terminal); ConsoleFile is
// /dev/console (5:1). Reads, writes, polls and ioctls become requests to the
// Terminal (inline on its CPU, a message round trip elsewhere); when the
// terminal cannot proceed the thread waits on a FileWaiter without holding its
// CPU, then asks again.
//
// Semantics (termios(3), n_tty.c): a canonical read returns at most one line
// and 0 at an EOF character; a non-canonical read completes by VMIN and VTIME
// (a VTIME timeout is the wait's deadline). O_NONBLOCK turns each wait into
// -EAGAIN. A signal ends a wait with -EINTR or restarts the call (SA_RESTART).
// A process in a background group of its controlling terminal that reads it
// gets SIGTTIN, or -EIO when its group is orphaned or SIGTTIN is ignored or
// blocked; writing with TOSTOP set, or changing the modes, gets SIGTTOU unless
// it is ignored or blocked (Linux's __tty_check_change).
//
// Controlling terminal (tty_open_proc_set_tty): a session leader without one
// that opens a tty device without O_NOCTTY acquires it if no session holds it;
// /dev/console never becomes one that way, as on Linux.
using System;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Tty;

namespace Kevlar.Process.Files.Tty;

public class TtyFile : OpenFile
{
    // ioctl requests (include/uapi/asm-generic/ioctls.h).
    public const uint TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409,
        TCXONC = 0x540A, TCFLSH = 0x540B, TIOCEXCL = 0x540C, TIOCNXCL = 0x540D, TIOCSCTTY = 0x540E,
        TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414,
        FIONREAD = 0x541B, FIONBIO = 0x5421, TIOCNOTTY = 0x5422, TIOCGETD = 0x5424, TCSBRKP = 0x5425,
        TIOCGSID = 0x5429;

    /// <summary>/dev/tty's device number: the opener's controlling terminal.</summary>
    public const ulong DevTty = (5UL << 8) | 0;

    public readonly Terminal Terminal;
    private readonly ulong _rawDevice;
    private readonly uint _permissions;
    private readonly bool _mayBecomeControlling;
    // The terminal's hangup generation when this description was made (see Terminal.Generation).
    private readonly int _generation;

    /// <summary>A description of <paramref name="tty"/> opened as device <paramref name="rawDevice"/>
    /// (its node's permission bits <paramref name="permissions"/>); <paramref name="mayBecomeControlling"/>
    /// is false for /dev/console and /dev/tty. A hangup of the tty leaves a description made with
    /// <paramref name="survivesHangup"/> working: /dev/console's, as Linux spares its redirect.</summary>
    public TtyFile(Terminal tty, int flags, ulong rawDevice, uint permissions, bool mayBecomeControlling, bool survivesHangup = false)
    {
        Terminal = tty;
        StatusFlags = flags;
        _rawDevice = rawDevice;
        _permissions = permissions;
        _mayBecomeControlling = mayBecomeControlling;
        _generation = survivesHangup ? -1 : tty.Generation;
    }

    private bool Waits => (StatusFlags & OpenFlags.O_NONBLOCK) == 0;

    /// <summary>After open(2) made this description: /dev/tty checks the opener still has its
    /// controlling terminal (-ENXIO), and a session leader without one acquires this tty unless
    /// <paramref name="openFlags"/> has O_NOCTTY. 0 or -errno.</summary>
    public virtual KernelTask<long> AttachAsync(UserThread t, int openFlags)
    {
        UserProcess p = t.Process;
        if (_rawDevice == DevTty)
            return FileCall.Run(t, Terminal, new TtyAttachRequest(Terminal, p, false, true));
        bool acquire = _mayBecomeControlling && (openFlags & OpenFlags.O_NOCTTY) == 0 && p.Pid == p.Session
            && (p.ControllingTty == null || p.ControllingTty == Terminal);
        if (!acquire) return KernelTask<long>.FromResult(0);
        return Acquire(t);
    }

    private async KernelTask<long> Acquire(UserThread t)
    {
        long r = await FileCall.Run(t, Terminal, new TtyAttachRequest(Terminal, t.Process, true, false));
        if (r == 1) t.Process.ControllingTty = Terminal;
        return 0;
    }

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        return ReadLoop(t, buffer, (int)Math.Min(count, (ulong)LineDiscipline.BufferSize));
    }

    private async KernelTask<long> ReadLoop(UserThread t, ulong buffer, int count)
    {
        ulong start = t.Process.Host.Clock.MonotonicNanoseconds;
        bool ignoreJobControl = false;
        while (true)
        {
            var request = new TtyReadRequest(Terminal, t.Process, count, Waits, start) { IgnoreJobControl = ignoreJobControl, Generation = _generation };
            long n = await FileCall.Run(t, Terminal, request);
            if (n == Terminal.Background)
            {
                long j = TtyJobControl.Stop(t, Signals.Signal.SIGTTIN);
                if (j != 0) return j;
                ignoreJobControl = true;
                continue;
            }
            if (n == FileRequest.WouldBlock)
            {
                long woken = await FileCall.Wait(t, request.Waiter!, request.Deadline);
                if (woken < 0) return woken;
                continue;
            }
            if (n > 0 && t.Process.UserMemory.Write(buffer, new ReadOnlySpan<byte>(request.Data, 0, (int)n)) != 0)
                return -Errno.EFAULT;
            return n;
        }
    }

    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        return WriteLoop(t, buffer, count);
    }

    private async KernelTask<long> WriteLoop(UserThread t, ulong buffer, ulong count)
    {
        long done = 0;
        while ((ulong)done < count)
        {
            byte[] data = new byte[(int)Math.Min((ulong)UserCopy.Chunk, count - (ulong)done)];
            if (t.Process.UserMemory.Read(buffer + (ulong)done, data) != 0) return done > 0 ? done : -Errno.EFAULT;
            long n = await PutBytes(t, data, data.Length);
            if (n < 0) return done > 0 ? done : n;
            done += n;
        }
        return done;
    }

    public override KernelTask<long> WriteBytesAsync(UserThread t, byte[] data, int count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        return PutBytes(t, data, count);
    }

    // Kernel bytes through the terminal (write(2)'s chunks, sendfile): job control first.
    private async KernelTask<long> PutBytes(UserThread t, byte[] data, int count)
    {
        byte[] chunk = data.Length == count ? data : Slice(data, count);
        bool ignoreJobControl = false;
        while (true)
        {
            var request = new TtyWriteRequest(Terminal, t.Process, chunk, Waits) { IgnoreJobControl = ignoreJobControl, Generation = _generation };
            long n = await FileCall.Run(t, Terminal, request);
            if (n == Terminal.Background)
            {
                long j = TtyJobControl.Stop(t, Signals.Signal.SIGTTOU);
                if (j != 0) return j;
                ignoreJobControl = true;
                continue;
            }
            if (n == FileRequest.WouldBlock)
            {
                long woken = await FileCall.Wait(t, request.Waiter!, 0);
                if (woken < 0) return woken;
                continue;
            }
            return n;
        }
    }

    private static byte[] Slice(byte[] data, int count)
    {
        var b = new byte[count];
        Array.Copy(data, 0, b, 0, count);
        return b;
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
        => FileCall.Run(t, Terminal, new TtyPollRequest(Terminal, t.Process, events, waiter) { Generation = _generation });

    public override bool Pollable => true;

    public override void Stat(ref FileStatus status)
    {
        status.Mode = FileStatus.S_IFCHR | _permissions;
        status.RawDevice = _rawDevice;
        status.Device = 6;
        status.Inode = _rawDevice;
        status.LinkCount = 1;
        status.BlockSize = 1024;
    }

    /// <summary>ioctl(2) on a tty: the arguments are copied in here, the request runs on the
    /// terminal, and results are copied out (see Terminal.Ioctl.cs).</summary>
    public override KernelTask<long> IoctlAsync(UserThread t, uint request, ulong argument)
    {
        UserMemory memory = t.Process.UserMemory;
        long value = (long)argument;
        byte[]? input = null;
        switch (request)
        {
            case FIONBIO:
                return KernelTask<long>.FromResult(SetNonBlocking(memory, argument));
            case TCSBRK:
            case TCSBRKP:
            case TIOCEXCL:
            case TIOCNXCL:
                return KernelTask<long>.FromResult(0); // output is never held: nothing to drain
            case TIOCGETD:
                return KernelTask<long>.FromResult(memory.WriteInt32(argument, Termios.N_TTY));
            case TCSETS:
            case TCSETSW:
            case TCSETSF:
                input = new byte[Termios.Size];
                break;
            case TIOCSWINSZ:
                input = new byte[WindowSize.Size];
                break;
            case TIOCSPGRP:
                Span<byte> b = stackalloc byte[4];
                if (memory.Read(argument, b) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
                value = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b);
                // A group number in the caller's PID namespace; one nothing has there names no group (ESRCH).
                if (value > 0) value = t.Process.PidNs.GlobalOf((int)value) is int g && g > 0 ? g : int.MaxValue;
                break;
        }
        if (input != null && memory.Read(argument, input) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
        return IoctlLoop(t, request, argument, value, input);
    }

    private async KernelTask<long> IoctlLoop(UserThread t, uint request, ulong argument, long value, byte[]? input)
    {
        bool ignoreJobControl = false;
        while (true)
        {
            var r = new TtyIoctlRequest(Terminal, t.Process, request, value, input) { IgnoreJobControl = ignoreJobControl, Generation = _generation };
            long n = await FileCall.Run(t, Terminal, r);
            if (n == Terminal.Background)
            {
                long j = TtyJobControl.Stop(t, Signals.Signal.SIGTTOU);
                if (j == -Errno.EIO && request == TIOCSPGRP) return -Errno.ENOTTY;
                if (j != 0) return j;
                ignoreJobControl = true;
                continue;
            }
            if (n < 0) return n;
            return Finish(t, request, argument, n, r.Out);
        }
    }

    // The caller's side of a completed ioctl: results to user memory, its own controlling tty.
    private long Finish(UserThread t, uint request, ulong argument, long n, byte[]? output)
    {
        UserMemory memory = t.Process.UserMemory;
        switch (request)
        {
            case TCGETS:
            case TIOCGWINSZ:
                return memory.Write(argument, output!);
            case FIONREAD:
            case TIOCOUTQ:
                return memory.WriteInt32(argument, (int)n);
            case TIOCGPGRP:
            case TIOCGSID:
                return memory.WriteInt32(argument, t.Process.PidNs.NumberOfGlobal((int)n));
            case TIOCSCTTY:
                t.Process.ControllingTty = Terminal;
                return 0;
            case TIOCNOTTY:
                t.Process.ControllingTty = null;
                return 0;
        }
        return 0;
    }

    private long SetNonBlocking(UserMemory memory, ulong argument)
    {
        Span<byte> b = stackalloc byte[4];
        if (memory.Read(argument, b) != 0) return -Errno.EFAULT;
        bool on = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b) != 0;
        StatusFlags = on ? StatusFlags | OpenFlags.O_NONBLOCK : StatusFlags & ~OpenFlags.O_NONBLOCK;
        return 0;
    }
}
