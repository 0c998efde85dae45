// HandlerTracker: which CPUs are inside a mock actor's handler right now, so
// the safepoint client can check that none is while the heap is collected.
namespace Kevlar.Coyote.Mocks;

public sealed class HandlerTracker
{
    private readonly bool[] _inHandler;

    public HandlerTracker(int cpus) => _inHandler = new bool[cpus];

    public void Enter(int cpu) => _inHandler[cpu] = true;

    public void Exit(int cpu) => _inHandler[cpu] = false;

    public bool AnyInHandler()
    {
        for (int c = 0; c < _inHandler.Length; c++)
        {
            if (_inHandler[c])
            {
                return true;
            }
        }
        return false;
    }
}
