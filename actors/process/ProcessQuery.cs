// ProcessQuery: a question about state a process's threads own (its memory
// map), asked by another process's syscall. The question travels to the
// process's main thread as a message and is answered there, between that
// thread's runs, so it sees the state whole; the answer comes back as a
// WakeMessage and the asker's syscall resumes. A process asking about itself
// answers inline: its threads share its CPU (docs/decisions.md), so nothing
// else changes the state meanwhile. The round trip is uninterruptible, as a
// FileCall's: the answer is ready in one handler step.
using System;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process;

public sealed class ProcessQuery : Message
{
    private readonly Func<UserProcess, string> _question;
    private UserThread? _asker;
    private KernelEvent<int>? _reply;
    private string _answer = string.Empty;

    private ProcessQuery(Func<UserProcess, string> question) { _question = question; }

    /// <summary>The answer to <paramref name="question"/> about <paramref name="target"/>, computed
    /// on the target's main thread (inline when <paramref name="t"/> belongs to it).</summary>
    public static KernelTask<string> Ask(UserThread t, UserProcess target, Func<UserProcess, string> question)
    {
        if (target == t.Process) return KernelTask<string>.FromResult(question(target));
        return RoundTrip(t, target, new ProcessQuery(question));
    }

    private static async KernelTask<string> RoundTrip(UserThread t, UserProcess target, ProcessQuery query)
    {
        var reply = new KernelEvent<int>(t);
        query._asker = t;
        query._reply = reply;
        t.WaitEvent = reply;
        t.Uninterruptible = true;
        t.Process.Host.Scheduler.Send(target.MainThread, query);
        await reply;
        t.EndUninterruptible();
        t.EndWait();
        return query._answer;
    }

    /// <summary>Runs <paramref name="action"/> on <paramref name="target"/>'s main thread, with no
    /// answer awaited (cgroup.freeze from the VfsActor, which cannot wait).</summary>
    public static void Post(UserProcess target, Action<UserProcess> action)
        => target.Host.Scheduler.Send(target.MainThread, new ProcessQuery(p =>
        {
            action(p);
            return string.Empty;
        }));

    /// <summary>Runs on the target's main thread: answers and wakes the asker (if one waits).</summary>
    internal void Answer(UserThread answering)
    {
        _answer = _question(answering.Process);
        if (_asker != null) answering.Process.Host.Scheduler.Send(_asker, new WakeMessage(_reply!, 1));
    }
}
