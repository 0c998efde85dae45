// rt_sigaction(2), rt_sigprocmask(2), rt_sigpending(2), sigaltstack(2): the
// signal state a process and its threads keep. sigsetsize must be 8; SIGKILL
// and SIGSTOP cannot be caught, ignored or blocked. Delivery to handlers
// arrives with the signal-frame work; the dispositions and masks set here
// are what it will use.
using System.Buffers.Binary;
using System;
using Kevlar.Process.Signals;

namespace Kevlar.Process.Syscalls;

public static class Sigaction
{
    public const int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    public static long InvokeSigaction(UserThread t, in SyscallArgs a)
    {
        int signal = a.Int(0);
        ulong newAction = a.Pointer(1), oldAction = a.Pointer(2);
        if (a.Size(3) != 8) return -Errno.EINVAL;
        if (signal < 1 || signal > Signal.Max) return -Errno.EINVAL;
        UserProcess p = t.Process;
        SignalAction old = p.SignalActions.Get(signal);
        if (newAction != 0)
        {
            if (signal == Signal.SIGKILL || signal == Signal.SIGSTOP) return -Errno.EINVAL;
            Span<byte> b = stackalloc byte[32];
            int r = p.UserMemory.Read(newAction, b);
            if (r != 0) return r;
            var action = new SignalAction { Handler = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(0)), Flags = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(8)), Restorer = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(16)), Mask = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(24)) & ~Signal.Unblockable };
            p.SignalActions.Set(signal, action);
        }
        if (oldAction != 0)
        {
            Span<byte> b = stackalloc byte[32];
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(0), old.Handler);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), old.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), old.Restorer);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(24), old.Mask);
            int r = p.UserMemory.Write(oldAction, b);
            if (r != 0) return r;
        }
        return 0;
    }

    public static long InvokeSigprocmask(UserThread t, in SyscallArgs a)
    {
        int how = a.Int(0);
        ulong set = a.Pointer(1), oldSet = a.Pointer(2);
        if (a.Size(3) != 8) return -Errno.EINVAL;
        ulong old = t.SignalMask;
        if (set != 0)
        {
            if (how < SIG_BLOCK || how > SIG_SETMASK) return -Errno.EINVAL;
            int r = t.Process.UserMemory.ReadUInt64(set, out ulong value);
            if (r != 0) return r;
            ulong mask = how == SIG_BLOCK ? old | value : how == SIG_UNBLOCK ? old & ~value : value;
            t.SignalMask = mask & ~Signal.Unblockable;
        }
        if (oldSet != 0) return t.Process.UserMemory.WriteUInt64(oldSet, old);
        return 0;
    }

    /// <summary>The pending signals (those not blocked are delivered before the call returns, so
    /// in practice the blocked ones).</summary>
    public static long InvokeSigpending(UserThread t, in SyscallArgs a)
    {
        if (a.Size(1) > 8) return -Errno.EINVAL;
        return t.Process.UserMemory.WriteUInt64(a.Pointer(0), t.PendingSignals);
    }

    // stack_t { void *ss_sp; int ss_flags; size_t ss_size; } (24 bytes)
    public static long InvokeSigaltstack(UserThread t, in SyscallArgs a)
    {
        const int SS_DISABLE = 2, MINSIGSTKSZ = 2048;
        ulong newStack = a.Pointer(0), oldStack = a.Pointer(1);
        Span<byte> b = stackalloc byte[24];
        ulong sp = t.Registers.Rsp;
        bool onStack = t.AltStackSize != 0 && sp > t.AltStackBase && sp <= t.AltStackBase + t.AltStackSize;
        if (newStack != 0)
        {
            if (onStack) return -Errno.EPERM; // the stack in use cannot change
            int r = t.Process.UserMemory.Read(newStack, b);
            if (r != 0) return r;
            int flags = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(8));
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(16));
            if ((flags & ~(SS_DISABLE | unchecked((int)0x80000000))) != 0) return -Errno.EINVAL;
            if ((flags & SS_DISABLE) == 0 && size < MINSIGSTKSZ) return -Errno.ENOMEM;
            t.AltStackBase = (flags & SS_DISABLE) != 0 ? 0 : BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(0));
            t.AltStackSize = (flags & SS_DISABLE) != 0 ? 0 : size;
            t.AltStackFlags = flags & SS_DISABLE;
        }
        if (oldStack != 0)
        {
            b.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(0), t.AltStackBase);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), (ulong)(uint)(onStack ? 1 : t.AltStackFlags)); // SS_ONSTACK
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), t.AltStackSize);
            return t.Process.UserMemory.Write(oldStack, b);
        }
        return 0;
    }

}
