// FileCall: how a syscall runs a FileRequest on the request's owner and
// waits for a FileWaiter, holding no CPU.
//
// Run: inline when the thread runs on the owner's CPU (one handler at a time
// there, and owners never migrate); else the request travels as a message
// and the reply resumes the syscall. That round trip is uninterruptible — the
// reply may carry data already taken from the owner (a pipe read's bytes), so
// a signal stays pending until the syscall returns or waits again.
//
// Wait: the interruptible part. A signal already pending ends it at once with
// -ERESTARTSYS (restart or -EINTR, decided by the syscall table); a signal
// arriving during it abandons the syscall (UserThread.InterruptForSignal) and
// marks the waiter done, so owners drop it.
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files;

public static class FileCall
{
    /// <summary>Runs <paramref name="request"/> on <paramref name="owner"/>: its result.</summary>
    public static KernelTask<long> Run(UserThread t, FileOwner owner, FileRequest request)
    {
        if (!owner.RunsHere(t)) return RoundTrip(t, owner, request);
        request.Thread = t;
        return KernelTask<long>.FromResult(request.Execute());
    }

    /// <summary>Runs <paramref name="request"/> on <paramref name="owner"/>, which the caller found
    /// on another CPU (RunsHere reads the owner's home, a shared field: once per call is enough).</summary>
    public static async KernelTask<long> RoundTrip(UserThread t, FileOwner owner, FileRequest request)
    {
        request.Thread = t;
        var reply = new KernelEvent<int>(t);
        request.Reply = reply;
        t.WaitEvent = reply;
        t.Uninterruptible = true;
        t.Process.Host.Scheduler.Send(owner, request);
        await reply;
        t.EndUninterruptible();
        t.EndWait();
        return request.Result;
    }

    /// <summary>read(2) through an owner: runs a fresh request from <paramref name="next"/> until it
    /// brings bytes (or end of file, or an error), waiting between tries, then copies them to
    /// <paramref name="buffer"/>. The count, 0, or -errno (-ERESTARTSYS for a signal).</summary>
    public static async KernelTask<long> ReadInto(UserThread t, FileOwner owner, System.Func<ReadRequest> next, ulong buffer)
    {
        while (true)
        {
            ReadRequest request = next();
            long n = await Run(t, owner, request);
            if (n == FileRequest.WouldBlock)
            {
                long woken = await Wait(t, request.Waiter!, 0);
                if (woken < 0) return woken;
                continue;
            }
            if (n > 0 && t.Process.UserMemory.Write(buffer, new System.ReadOnlySpan<byte>(request.Data, 0, (int)n)) != 0)
                return -Errno.EFAULT;
            return n;
        }
    }

    /// <summary>Waits until <paramref name="waiter"/> is woken (at once when it was woken already) or
    /// <paramref name="deadline"/> (monotonic ns; 0 for none) passes: the woken events, 0 at the
    /// deadline, or -ERESTARTSYS when a signal was already pending.</summary>
    public static KernelTask<long> Wait(UserThread t, ThreadWaiter waiter, ulong deadline)
    {
        KernelEvent<int> woken = waiter.Event;
        if (woken.IsSet)
        {
            // Woken while the call was still asking other owners (ThreadWaiter, UserThread.ArmedEvent).
            waiter.Done = true;
            return KernelTask<long>.FromResult(woken.Value);
        }
        if (SignalDelivery.HasDeliverable(t))
        {
            waiter.Done = true;
            return KernelTask<long>.FromResult(-InternalErrno.ERESTARTSYS);
        }
        return WaitForWake(t, waiter, woken, deadline);
    }

    private static async KernelTask<long> WaitForWake(UserThread t, ThreadWaiter waiter, KernelEvent<int> woken, ulong deadline)
    {
        t.BeginWait(woken, deadline);
        t.ArmedEvent = null; // from here the wait owns the event: a wake after an abandoned wait is stale
        t.OnAbandon(() => waiter.Done = true);
        await woken;
        t.OnAbandon(null);
        t.EndWait();
        waiter.Done = true;
        return woken.Value;
    }
}
