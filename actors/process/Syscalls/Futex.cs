// futex(2): FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET,
// FUTEX_REQUEUE and FUTEX_CMP_REQUEUE, private or not (the same here until
// memory is shared between processes), with FUTEX_CLOCK_REALTIME. A waiter
// checks the word and queues itself in one step of its own CPU, and every
// wake of the process runs on that CPU too, so no wake can fall between the
// check and the queueing. Timeouts: relative for WAIT, absolute for
// WAIT_BITSET. Errors as Linux: -EAGAIN when the word differs, -ETIMEDOUT,
// -EINTR (or restart with SA_RESTART), -EINVAL for a misaligned address or
// a zero bitset, -EFAULT for a bad word or timeout, -ENOSYS for the PI and
// WAKE_OP operations. Robust lists are released when a thread dies.
using Kevlar.Process.Memory;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Process.Syscalls;

public static class Futex
{
    public const int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
    public const int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    public const uint BitsetMatchAny = 0xFFFF_FFFF;
    private const uint FutexWaiters = 0x8000_0000, FutexOwnerDied = 0x4000_0000, FutexTidMask = 0x3FFF_FFFF;
    private const int RobustListLimit = 2048;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        int op = a.Int(1);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        ulong address = a.Pointer(0);
        if ((address & 3) != 0) return Done(-Errno.EINVAL);
        UserProcess p = t.Process;
        switch (cmd)
        {
            case FUTEX_WAIT:
                return Wait(t, address, a.UInt(2), a.Pointer(3), BitsetMatchAny, false, (op & FUTEX_CLOCK_REALTIME) != 0);
            case FUTEX_WAIT_BITSET:
                if (a.UInt(5) == 0) return Done(-Errno.EINVAL);
                return Wait(t, address, a.UInt(2), a.Pointer(3), a.UInt(5), true, (op & FUTEX_CLOCK_REALTIME) != 0);
            case FUTEX_WAKE:
                return Done(p.Futexes.Wake(p, address, Count(a.Int(2)), BitsetMatchAny));
            case FUTEX_WAKE_BITSET:
                if (a.UInt(5) == 0) return Done(-Errno.EINVAL);
                return Done(p.Futexes.Wake(p, address, Count(a.Int(2)), a.UInt(5)));
            case FUTEX_REQUEUE:
            case FUTEX_CMP_REQUEUE:
            {
                ulong to = a.Pointer(4);
                if ((to & 3) != 0) return Done(-Errno.EINVAL);
                int wake = a.Int(2), move = (int)(uint)a[3];
                if (wake < 0 || move < 0) return Done(-Errno.EINVAL);
                if (cmd == FUTEX_CMP_REQUEUE)
                {
                    int r = ReadWord(p, address, out uint value);
                    if (r != 0) return Done(r);
                    if (value != a.UInt(5)) return Done(-Errno.EAGAIN);
                }
                return Done(p.Futexes.Requeue(p, address, to, wake, move));
            }
            default:
                return Done(-Errno.ENOSYS);
        }
    }

    private static KernelTask<long> Done(long r) => KernelTask<long>.FromResult(r);

    private static int Count(int n) => n < 0 ? int.MaxValue : n;

    private static KernelTask<long> Wait(UserThread t, ulong address, uint expected, ulong timeoutAddress, uint bitset, bool absolute, bool realtime)
    {
        UserProcess p = t.Process;
        ulong deadline = 0;
        if (timeoutAddress != 0)
        {
            int r = p.UserMemory.ReadTimespec(timeoutAddress, out ulong ns);
            if (r != 0) return Done(r);
            ulong mono = p.Host.Clock.MonotonicNanoseconds;
            if (absolute)
            {
                ClockGettime.TryRead(p.Host, realtime ? ClockGettime.CLOCK_REALTIME : ClockGettime.CLOCK_MONOTONIC, out ulong clockNow);
                deadline = ns > clockNow ? mono + (ns - clockNow) : mono;
            }
            else
            {
                deadline = mono + ns;
            }
            if (deadline <= mono) deadline = mono + 1;
        }
        int rr = ReadWord(p, address, out uint value);
        if (rr != 0) return Done(rr);
        if (value != expected) return Done(-Errno.EAGAIN);
        if (SeededBugs.FutexWaitUnlocked)
        {
            // Seeded bug: a sibling on another CPU may store and wake here, before the waiter is queued.
            p.LeaveKernel(t);
            InterleaveHook.Point();
            p.EnterKernel(t);
        }
        var woken = new KernelEvent<int>(t);
        FutexTable.Waiter w = p.Futexes.Add(t, address, bitset, woken);
        t.BeginWait(woken, deadline);
        t.OnAbandon(() => p.Futexes.Remove(w));
        return Await(t, w, woken);
    }

    // 1 from a wake, 0 from the timer (then the waiter is still queued).
    private static async KernelTask<long> Await(UserThread t, FutexTable.Waiter w, KernelEvent<int> woken)
    {
        int how = await woken;
        t.OnAbandon(null);
        t.EndWait();
        if (how == 1) return 0;
        t.Process.Futexes.Remove(w);
        return -Errno.ETIMEDOUT;
    }

    private static int ReadWord(UserProcess p, ulong address, out uint value)
    {
        System.Span<byte> b = stackalloc byte[4];
        int r = p.UserMemory.Read(address, b);
        value = r == 0 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        return r;
    }

    /// <summary>At thread death: every robust futex the thread still owns gets FUTEX_OWNER_DIED
    /// and one waiter woken (struct robust_list_head: list, futex_offset, list_op_pending).</summary>
    public static void ReleaseRobustList(UserThread t)
    {
        UserProcess p = t.Process;
        ulong head = t.RobustListHead;
        if (head == 0 || p.Exited) return;
        UserMemory m = p.UserMemory;
        if (m.ReadUInt64(head, out ulong entry) != 0 || m.ReadUInt64(head + 8, out ulong offset) != 0) return;
        if (m.ReadUInt64(head + 16, out ulong pending) == 0 && pending != 0) ReleaseOne(t, pending + offset);
        for (int i = 0; i < RobustListLimit && entry != head && entry != 0; i++)
        {
            if (entry != pending) ReleaseOne(t, entry + offset);
            if (m.ReadUInt64(entry, out entry) != 0) return;
        }
    }

    private static void ReleaseOne(UserThread t, ulong word)
    {
        UserProcess p = t.Process;
        if ((word & 3) != 0 || ReadWord(p, word, out uint value) != 0) return;
        if ((value & FutexTidMask) != (uint)t.OwnTid) return; // the tid the thread itself knows
        uint next = (value & FutexWaiters) | FutexOwnerDied;
        p.UserMemory.WriteInt32(word, (int)next);
        if ((value & FutexWaiters) != 0) p.Futexes.Wake(p, word, 1, BitsetMatchAny);
    }
}
