// StepLock: mutual exclusion for short kernel steps that may run on several
// CPUs at once. Its one user is a process whose threads run on different CPUs:
// each thread's handler holds its process's lock while it runs kernel code and
// lets go while the thread runs user code, so the process's state (memory map,
// fd table, futex queues, family) sees one handler at a time, as an actor's
// state does (docs/decisions.md, "Threads of one process run on several CPUs").
//
// A waiter spins: holders never wait for anything while holding it (no message
// is awaited, no collection is entered, no second StepLock is taken), so a
// holder always finishes its step. Spinning with the pause hint also gives a
// systematic tester a point to run the holder.
//
// LockWatch (metal) checks that no other kernel lock is held when it is taken
// and times its holds (/proc/kevlar/locks).
//
// State: _held [Shared], Atomic only; _since: the holder's.
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Threading;

public sealed class StepLock
{
    [Shared] private int _held;
    private ulong _since;

    /// <summary>Takes the lock, spinning while another CPU holds it.</summary>
    public void Enter(ICpuPlatform platform)
    {
        ulong start = LockWatch.Taking(LockClass.Process);
        bool waited = false;
        while (Atomic.CompareExchange(ref _held, 1, 0) != 0)
        {
            waited = true;
            while (Atomic.Load(ref _held) != 0) platform.Pause();
        }
        _since = LockWatch.Taken(LockClass.Process, start, waited);
    }

    /// <summary>Lets go of the lock; the caller holds it.</summary>
    public void Exit()
    {
        LockWatch.Released(LockClass.Process, _since);
        Kassert.True(Atomic.Exchange(ref _held, 0) == 1, "StepLockExit: released by a CPU that does not hold it");
    }
}
