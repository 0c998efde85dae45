// Programs: the user programs the process scenarios run, written as the C
// they stand for. Each reads its calls' results from the script and reports
// what the specification must see (reaps, kill results) to the ledger.
using Kevlar.Coyote.Specs;
using Kevlar.Process;

namespace Kevlar.Coyote.Mocks.Processes;

public static class Programs
{
    /// <summary>`while ((pid = wait4(-1, &amp;st, 0, 0)) &gt; 0) record(pid, st); for (;;) pause();`
    /// — reaps children until it has none (-ECHILD), then sleeps until killed.</summary>
    public static UserProgram Reaper(ProcessLedger ledger, int yieldsFirst = 0) => s => ReaperSteps(s, ledger, yieldsFirst);

    /// <summary>Sleeps until a signal ends it.</summary>
    public static UserProgram Sleeper { get; } = PauseForever;

    /// <summary>Runs <paramref name="yields"/> time slices, then exit_group(<paramref name="code"/>).</summary>
    public static UserProgram Exiter(int code, int yields = 0) => s => ExiterSteps(code, yields);

    /// <summary>kill(pid, signal) for each target in turn, a time slice apart; then sleeps.</summary>
    public static UserProgram Killer(ProcessLedger ledger, params (int Pid, int Signal)[] targets) => s => KillerSteps(s, ledger, targets);

    /// <summary>fork(); the child runs <paramref name="child"/>, the parent goes on as <paramref name="then"/>.</summary>
    public static UserProgram ForkThen(UserProgram child, UserProgram then) => s => ForkThenSteps(s, child, then);

    /// <summary>`for each program: clone(CLONE_THREAD..., tls = i + 1) running it; exit(0);` — a main
    /// thread that starts the others and ends itself.</summary>
    public static UserProgram StartThreads(params UserProgram[] threads) => s => StartThreadsSteps(threads);

    /// <summary>`while (word == 0) futex(&amp;word, FUTEX_WAIT_PRIVATE, 0); exit(0);`</summary>
    public static UserProgram FutexWaiter(ulong word) => s => FutexWaiterSteps(s, word);

    /// <summary>`word = 1; futex(&amp;word, FUTEX_WAKE_PRIVATE, 1); exit(0);`</summary>
    public static UserProgram FutexWaker(ulong word) => s => FutexWakerSteps(s, word);

    private static IEnumerable<UserOp> StartThreadsSteps(UserProgram[] threads)
    {
        for (int i = 0; i < threads.Length; i++)
        {
            yield return UserOp.CloneThread(threads[i], (ulong)(i + 1));
        }
        yield return UserOp.ExitThread(0);
    }

    private static IEnumerable<UserOp> FutexWaiterSteps(UserScript s, ulong word)
    {
        while (s.ReadWord(word) == 0)
        {
            yield return UserOp.FutexWait(word, 0);
        }
        yield return UserOp.ExitThread(0);
    }

    private static IEnumerable<UserOp> FutexWakerSteps(UserScript s, ulong word)
    {
        s.WriteWord(word, 1);
        yield return UserOp.FutexWake(word, 1);
        yield return UserOp.ExitThread(0);
    }

    private static IEnumerable<UserOp> ReaperSteps(UserScript s, ProcessLedger ledger, int yieldsFirst)
    {
        for (int i = 0; i < yieldsFirst; i++)
        {
            yield return UserOp.Yield;
        }
        while (true)
        {
            yield return UserOp.Wait4(-1);
            if (s.Result == -Errno.ECHILD)
            {
                break;
            }
            ledger.OnReaped(s.Process!.Pid, (int)s.Result, s.ReadStatus());
        }
        foreach (UserOp op in PauseForever(s))
        {
            yield return op;
        }
    }

    private static IEnumerable<UserOp> PauseForever(UserScript s)
    {
        while (true)
        {
            yield return UserOp.Pause();
        }
    }

    private static IEnumerable<UserOp> ExiterSteps(int code, int yields)
    {
        for (int i = 0; i < yields; i++)
        {
            yield return UserOp.Yield;
        }
        yield return UserOp.ExitGroup(code);
    }

    private static IEnumerable<UserOp> KillerSteps(UserScript s, ProcessLedger ledger, (int Pid, int Signal)[] targets)
    {
        foreach (var (pid, signal) in targets)
        {
            yield return UserOp.Kill(pid, signal);
            ledger.OnKill(s.Process!.Pid, s.Result);
            yield return UserOp.Yield;
        }
        foreach (UserOp op in PauseForever(s))
        {
            yield return op;
        }
    }

    private static IEnumerable<UserOp> ForkThenSteps(UserScript s, UserProgram child, UserProgram then)
    {
        yield return UserOp.Fork(child);
        foreach (UserOp op in then(s))
        {
            yield return op;
        }
    }
}
