// SignalActions: a process's table of signal dispositions (shared by its
// threads, copied at fork, reset to default at exec except ignored ones).
namespace Kevlar.Process.Signals;

public sealed class SignalActions
{
    private readonly SignalAction[] _actions = new SignalAction[Signal.Max + 1];

    public SignalAction Get(int signal) => _actions[signal];

    public void Set(int signal, SignalAction action) => _actions[signal] = action;

    /// <summary>execve: handlers go back to SIG_DFL; SIG_IGN stays.</summary>
    public void ResetForExec()
    {
        for (int i = 1; i <= Signal.Max; i++)
            if (_actions[i].Handler != SignalAction.SIG_IGN) _actions[i] = default;
    }

    public void CopyFrom(SignalActions other)
    {
        for (int i = 0; i <= Signal.Max; i++) _actions[i] = other._actions[i];
    }
}
