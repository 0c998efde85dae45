// SeededBugs: switches that turn on known-wrong variants of the kernel's
// concurrency protocols (the runtime's, and the process subsystem's), so the
// Coyote tests can prove they still find them.
//
// Every field is false in the kernel; only coyote-tests sets one, before an
// exploration starts. Each guards the buggy variant inside the real code path,
// next to the correct one, so the test exercises the code that ships.
namespace Kevlar.Runtime.Diagnostics;

public static class SeededBugs
{
    /// <summary>MailboxQueue.Enqueue swaps the tail with a read and a separate
    /// write instead of one atomic exchange: two producers can link behind the
    /// same node and one message is lost.</summary>
    public static bool MailboxLostEnqueue;

    /// <summary>An idle CPU halts right after announcing it sleeps, without
    /// re-checking its mailbox: a message enqueued before the announcement
    /// gets no wakeup (lost wakeup).</summary>
    public static bool SleepWithoutRecheck;

    /// <summary>A sender checks the target's sleep flag before enqueueing
    /// instead of after: the target can re-check, find nothing, and sleep
    /// with the message arriving behind it (lost wakeup).</summary>
    public static bool WakeBeforeEnqueue;

    /// <summary>Migration in two steps: the new home delivers as soon as the
    /// home is published, while the old home is still forwarding older
    /// messages; no hold-until-handover (reorder per sender).</summary>
    public static bool TwoStepMigration;

    /// <summary>The old home hands over without waiting for senders that read
    /// the old home before the move to finish enqueueing (no grace period):
    /// their messages reach a stale home after the handover.</summary>
    public static bool MigrateWithoutGrace;

    /// <summary>The collector starts when all but one of the other CPUs have
    /// parked (an off-by-one in the parked count).</summary>
    public static bool CollectBeforeAllParked;

    /// <summary>The collector releases the parked CPUs without waking them: a
    /// CPU that halted while parked sleeps on after the collection (lost
    /// wakeup at the safepoint).</summary>
    public static bool ReleaseWithoutWake;

    /// <summary>A process that has exited drops a child's exit report that
    /// reaches it late instead of passing it on to init (UserProcess
    /// .OnChildExited): the orphan is never reaped.</summary>
    public static bool DeadParentDropsReport;

    /// <summary>wait4 goes to sleep before it looks for zombies (Wait4.Do):
    /// a child whose exit report arrived before the call goes unseen, and the
    /// caller sleeps until some other report comes (lost wakeup).</summary>
    public static bool WaitWithoutRecheck;

    /// <summary>An exiting process sends its exit report before it writes its
    /// final wait status (UserProcess.Exit): a parent on another CPU can reap
    /// it with a status it never had.</summary>
    public static bool ReportBeforeStatus;

    /// <summary>The last writer's close of a pipe wakes its read queue for POLLIN only, not
    /// POLLHUP (Pipe.Closed): blocked reads see end of file, but a poll waiting for the
    /// hangup is never woken — a pipe close that never woke poll.</summary>
    public static bool PipeCloseSkipsPoll;

    /// <summary>An epoll round takes an entry its file found not ready off the ready list without
    /// checking that the entry's watch has not fired since the answer (Epoll.Decide): a write
    /// landing between the poll and the decision is lost, and the waiter sleeps on.</summary>
    public static bool EpollQuietIgnoresWakes;

    /// <summary>A thread drops a wake for the waiter it registered but does not wait on yet
    /// (UserThread's ArmedEvent ignored): a file that changes while a poll or epoll round still
    /// asks another owner wakes nobody, and the call sleeps on. A real bug until TestEpollReadyList
    /// found it under PCT.</summary>
    public static bool WakeDroppedBeforeWait;

    /// <summary>Closing any fd of an open file description drops its flock locks
    /// (FileDescriptorTable.Close), not the last reference's close: a parent that
    /// closes its fd after fork releases the lock its child still holds.</summary>
    public static bool FlockReleasedOnAnyClose;

    /// <summary>F_SETLKW never looks for a cycle of waiting processes
    /// (LockRegistry.WouldDeadlock): two processes each waiting for the other's
    /// range hang instead of one getting EDEADLK.</summary>
    public static bool LockCycleUndetected;

    /// <summary>futex(FUTEX_WAIT) lets go of the process's kernel lock between its check of the
    /// word and queueing its waiter, so a sibling thread's store and FUTEX_WAKE on another CPU
    /// can fall in between and the wakeup is lost.</summary>
    public static bool FutexWaitUnlocked;
    /// <summary>shutdown(SHUT_RD) of a listening AF_UNIX socket does not wake the threads blocked
    /// in accept (UnixSocket.Shutdown): the listener is closed to new connections, but an accept
    /// already waiting sleeps on — a close that never woke a blocked accept.</summary>
    public static bool ListenerShutdownSkipsAccept;

    /// <summary>cgroups, historical bug 1: an exiting process leaves the cgroup its own CPU read
    /// before the exit reached the tree's owner (CgroupTree.ExitFrom), not the one the owner
    /// holds: a migration in between leaves the dead pid in its new cgroup's member set.</summary>
    public static bool CgroupExitFromStaleGroup;

    /// <summary>cgroups, historical bug 2: a fork in a cgroup that is freezing is held by the
    /// tree until the freeze completes (so no child escapes it), its thread kept inside its
    /// uninterruptible call meanwhile (CgroupCall.Charge) — but a process answers a freeze only
    /// once no thread of it is in such a call: the cgroup waits for its members while they wait
    /// for it, a request/reply cycle that never completes.</summary>
    public static bool CgroupFreezeHoldsForks;

    /// <summary>cgroups, historical bug 3: a move through cgroup.procs runs as two steps on the
    /// owner (leave, then join in a second message): a fork or a pids.current reader in between
    /// sees the process in neither cgroup.</summary>
    public static bool CgroupTwoStepMigration;

    /// <summary>cgroups, historical bug 4: fork asks the owner whether pids.max allows one more
    /// and charges in a second request: two forks both pass the check for one free slot.</summary>
    public static bool CgroupCheckThenCharge;

    /// <summary>cgroups, historical bug 9: a cgroup.events change bumps the file's version but
    /// wakes no poller (CgroupTree.EventsChanged): poll never returns POLLPRI.</summary>
    public static bool CgroupEventsSkipPoll;

    /// <summary>A thread moved apart through cgroup.threads is charged where it goes but not
    /// uncharged where it was (CgroupTree.MoveThread): its process's cgroup counts it twice.</summary>
    public static bool CgroupThreadMoveKeepsCharge;

    /// <summary>Stopping a TCP listener (shutdown(SHUT_RD), or its last close) does not wake the
    /// threads blocked in accept (TcpSocket.StopListening): the listener no longer listens, but an
    /// accept already waiting sleeps on — a close that never woke a blocked accept.</summary>
    public static bool CloseSkipsAcceptWake;

    /// <summary>A TCP connection that fails (an RST, a refused connect, a timeout: TcpConnection.Fail)
    /// keeps its retransmission deadline: the socket's timer fires on the Closed connection, which
    /// "retransmits" and arms it again, over and over — a retransmission timer left armed after close.</summary>
    public static bool RtoLeftArmedAfterClose;

    /// <summary>Found by Coyote (TestTcpLossyTransfer), fixed, kept as a mutant: a listener makes a
    /// second child for a retransmitted SYN that reached it before the stack knew the first child
    /// (TcpSocket.ListenerSegment skips its by-peer map) — two server sockets for one connection.</summary>
    public static bool DuplicateSynSecondChild;

    /// <summary>Found by Coyote (TestTcpLossyTransfer), fixed, kept as a mutant: a closed socket's
    /// connection waits in FIN_WAIT_2 forever when the peer's FIN never comes (no tcp_fin_timeout in
    /// TcpConnection), and its port is never given back.</summary>
    public static bool FinWait2NeverTimesOut;

    /// <summary>The write barrier's buffer, when full, is emptied without marking what it held
    /// (GcHeap.Shade): references stored into already scanned objects during a concurrent mark
    /// are never greyed, and what only they reach is freed.</summary>
    public static bool GcBarrierDropsFullBuffer;

    /// <summary>The sweep after a concurrent mark reads only mark bits (GcHeap.SweepSmall), so it
    /// frees the objects allocated black during the mark: allocation treated as white.</summary>
    public static bool GcSweepFreesBlackCells;

    /// <summary>The start pause turns on the write barrier of every CPU but the one running it
    /// (GcHeap.SetAllBarriers): that CPU's handlers store references unseen for the whole mark.</summary>
    public static bool GcBarrierSkipsCollectorCpu;

    /// <summary>The kernel before the fix, kept as a mutant: an allocation that finds the heap full calls
    /// it exhausted at once (GcHeap.AllocateAfterCollecting), so a handler that outruns the collection
    /// its own allocations asked for panics with most of the heap garbage.</summary>
    public static bool HeapFullWithoutCollecting;

    /// <summary>An allocation that found the heap full calls it exhausted when its retry after one round
    /// fails (GcHeap.AllocateAfterCollecting), although that round only finished a concurrent mark, or
    /// another CPU took what it freed first: the first version of the fix, found by TestHeapOutrun.</summary>
    public static bool HeapFullAfterOneRound;

    /// <summary>The console reader looks for input and then arms its notification without looking
    /// again (ConsoleInputRing.NotifyWhenReadable): bytes the interrupt puts in between, seeing the
    /// request not yet armed, are never announced (bug 6 of the subsystems issue, on the console).</summary>
    public static bool ConsoleArmsAfterCheck;

    /// <summary>Turns every switch off.</summary>
    public static void Reset()
    {
        GcBarrierDropsFullBuffer = false;
        HeapFullWithoutCollecting = false;
        HeapFullAfterOneRound = false;
        ConsoleArmsAfterCheck = false;
        GcSweepFreesBlackCells = false;
        GcBarrierSkipsCollectorCpu = false;
        InFlightRightsLeakedOnClose = false;
        MailboxLostEnqueue = false;
        SleepWithoutRecheck = false;
        WakeBeforeEnqueue = false;
        TwoStepMigration = false;
        MigrateWithoutGrace = false;
        CollectBeforeAllParked = false;
        ReleaseWithoutWake = false;
        DeadParentDropsReport = false;
        WaitWithoutRecheck = false;
        ReportBeforeStatus = false;
        PipeCloseSkipsPoll = false;
        EpollQuietIgnoresWakes = false;
        WakeDroppedBeforeWait = false;
        FlockReleasedOnAnyClose = false;
        LockCycleUndetected = false;
        FutexWaitUnlocked = false;
        ListenerShutdownSkipsAccept = false;
        CgroupExitFromStaleGroup = false;
        CgroupTwoStepMigration = false;
        CgroupFreezeHoldsForks = false;
        CgroupCheckThenCharge = false;
        CgroupEventsSkipPoll = false;
        CgroupThreadMoveKeepsCharge = false;
        CloseSkipsAcceptWake = false;
        RtoLeftArmedAfterClose = false;
        DuplicateSynSecondChild = false;
        FinWait2NeverTimesOut = false;
    }

    /// <summary>An AF_UNIX socket's last close drops the messages still queued at
    /// it without releasing the files they carry with SCM_RIGHTS: an fd sent and
    /// never received stays open for ever (a pipe's reader never sees end of file).</summary>
    public static bool InFlightRightsLeakedOnClose;
}
