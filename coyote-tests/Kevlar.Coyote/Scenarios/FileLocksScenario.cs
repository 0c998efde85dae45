// The lock protocol of actors/locks as the kernel runs it: requests to the
// VfsActor (CPU 0) from processes on other CPUs, waiters woken by messages.
// Both scenarios lock the root directory's inode through descriptions made
// here (flock and record locks work on any file).
//
// TestFlockFork: H(2)@1 takes flock(LOCK_EX) on its description D, forks C
// (which yields a few slices and exits), closes D and exits; Q(3)@2 waits in
// flock(LOCK_EX) on its own description of the same file. Check (at Q's
// return): Q never holds the lock while C — the description's last holder —
// still runs (FlockOwnedByDescription). Q's wait must end: it exits.
//
// TestLockDeadlock: A(2)@1 takes bytes 0 then waits (F_SETLKW) for byte 1;
// B(3)@2 takes byte 1 then waits for byte 0. When both first steps succeed
// the waits form a cycle, and one of them must get EDEADLK and exit, which
// frees the other. Check at quiescence: both ended (NoUndetectedLockCycle).
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class FileLocksScenario
{
    public const int Cpus = 3;
    private const ulong Flock = UserScript.DataPage + 64;
    private const int LockEx = 2;

    public static void RunFlockFork(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var holder = w.Spawn(init, 1, s => HolderSteps(s, outcome));
        var other = w.Spawn(init, 2, s => WaiterSteps(s, w, outcome));
        holder.Files.Install(0, RootDescription(w), false);
        other.Files.Install(0, RootDescription(w), false);
        w.Ledger.ExpectStatus(holder.Pid, WaitStatus.Exited(0));
        w.Ledger.ExpectStatus(other.Pid, WaitStatus.Exited(0));
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(!outcome.LockedWhileChildHeld,
                "FlockOwnedByDescription: a flock released while a forked child still holds the description");
            Specification.Assert(outcome.WaiterResult == 0, "FlockWaitEnds: the waiting flock returned {0}", outcome.WaiterResult);
        });
        w.Run();
    }

    public static void RunDeadlock(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var a = w.Spawn(init, 1, s => CrossingSteps(s, 0, 1, outcome));
        var b = w.Spawn(init, 2, s => CrossingSteps(s, 1, 0, outcome));
        a.Files.Install(0, RootDescription(w), false);
        b.Files.Install(0, RootDescription(w), false);
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(a.Exited && b.Exited,
                "NoUndetectedLockCycle: an F_SETLKW wait cycle not detected (processes hang instead of one getting EDEADLK)");
            Specification.Assert(outcome.Deadlocks <= 1, "OneDeadlockVictim: {0} processes got EDEADLK", outcome.Deadlocks);
        });
        w.Run();
    }

    private sealed class Outcome
    {
        public int ChildPid;
        public bool LockedWhileChildHeld;
        public long WaiterResult = long.MinValue;
        public int Deadlocks;
    }

    // A description of the root directory, read-write so that write locks are allowed.
    private static VfsFile RootDescription(ProcessWorld w)
    {
        var root = w.Host.Vfs.Namespace.Mounts.Root;
        root.Inode.Acquire();
        return new VfsFile(w.Host.Vfs, root, OpenFlags.O_RDWR, new Kevlar.Vfs.Credentials(0, 0));
    }

    // flock(0, LOCK_EX); fork(child: yield ×3; exit(0)); close(0); exit(0);
    private static IEnumerable<UserOp> HolderSteps(UserScript s, Outcome outcome)
    {
        yield return UserOp.Flock(0, LockEx);
        yield return UserOp.Fork(Programs.Exiter(0, yields: 3));
        outcome.ChildPid = (int)s.Result;
        yield return UserOp.Close(0);
        yield return UserOp.ExitGroup(0);
    }

    // flock(0, LOCK_EX); then checks the holder's child is gone if it was forked; exit(0).
    private static IEnumerable<UserOp> WaiterSteps(UserScript s, ProcessWorld w, Outcome outcome)
    {
        yield return UserOp.Flock(0, LockEx);
        outcome.WaiterResult = s.Result;
        int child = outcome.ChildPid;
        foreach (UserProcess p in w.Host.Table.Snapshot)
        {
            if (child != 0 && p.Pid == child && !p.Exited)
            {
                outcome.LockedWhileChildHeld = true;
            }
        }
        yield return UserOp.ExitGroup(0);
    }

    // fcntl(0, F_SETLK, {F_WRLCK, first}); fcntl(0, F_SETLKW, {F_WRLCK, second}); exit(0).
    private static IEnumerable<UserOp> CrossingSteps(UserScript s, long first, long second, Outcome outcome)
    {
        WriteLock(s, first);
        yield return UserOp.Fcntl(0, RecordLocks.F_SETLK, Flock);
        WriteLock(s, second);
        yield return UserOp.Fcntl(0, RecordLocks.F_SETLKW, Flock);
        if (s.Result == -Errno.EDEADLK)
        {
            outcome.Deadlocks++;
        }
        yield return UserOp.ExitGroup(0);
    }

    // struct flock { F_WRLCK, SEEK_SET, start, len 1, pid 0 } at Flock.
    private static void WriteLock(UserScript s, long start)
    {
        var raw = new byte[RecordLocks.FlockSize];
        raw[0] = 1;
        System.BitConverter.GetBytes(start).CopyTo(raw, 8);
        System.BitConverter.GetBytes(1L).CopyTo(raw, 16);
        s.Process!.UserMemory.Write(Flock, raw);
    }
}
