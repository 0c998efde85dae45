// TimerQueue: one CPU's armed timers, a binary min-heap by deadline, touched
// only by that CPU. A sorted list made every insertion and every expiry cost
// the queue's length (a shift of the array, and under a concurrent mark a
// write barrier per moved reference); TCP's TIME_WAIT keeps a 60-second timer
// per closed connection, thousands of them, so a connect's retransmission
// and delayed-ACK timers paid for all of them. Here adding and taking the
// earliest are O(log n). A handle called off from another CPU stays until it
// comes to the top or until a sweep, which runs when the queue has doubled
// since the last one: O(1) per insertion, and at most twice the live timers
// (plus a slack) are ever held.
using Kevlar.Runtime.Devices;

namespace Kevlar.Drivers.X86_64.Timing;

internal sealed class TimerQueue
{
    private const int SweepSlack = 64;
    private TimerHandle[] _heap = new TimerHandle[16];
    private int _count, _liveAtSweep;

    public int Count => _count;

    /// <summary>The handle with the earliest deadline; only while Count &gt; 0.</summary>
    public TimerHandle Earliest => _heap[0];

    public void Add(TimerHandle h)
    {
        if (_count >= 2 * _liveAtSweep + SweepSlack) Sweep();
        if (_count == _heap.Length)
        {
            var bigger = new TimerHandle[_heap.Length * 2];
            for (int i = 0; i < _count; i++) bigger[i] = _heap[i];
            _heap = bigger;
        }
        int at = _count++;
        while (at > 0)
        {
            int parent = (at - 1) >> 1;
            if (_heap[parent].Deadline <= h.Deadline) break;
            _heap[at] = _heap[parent];
            at = parent;
        }
        _heap[at] = h;
    }

    /// <summary>Removes and returns the earliest handle; only while Count &gt; 0.</summary>
    public TimerHandle TakeEarliest()
    {
        TimerHandle top = _heap[0];
        TimerHandle last = _heap[--_count];
        _heap[_count] = null!;
        if (_count > 0) SiftDown(0, last);
        return top;
    }

    // Places h at hole i or below, keeping each parent no later than its children.
    private void SiftDown(int i, TimerHandle h)
    {
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && _heap[child + 1].Deadline < _heap[child].Deadline) child++;
            if (h.Deadline <= _heap[child].Deadline) break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = h;
    }

    // Drops the called-off handles and makes the heap again (Floyd's bottom-up build).
    private void Sweep()
    {
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            TimerHandle h = _heap[i];
            if (!h.IsCancelled) _heap[kept++] = h;
        }
        for (int i = kept; i < _count; i++) _heap[i] = null!;
        _count = kept;
        for (int i = (_count >> 1) - 1; i >= 0; i--) SiftDown(i, _heap[i]);
        _liveAtSweep = _count;
    }
}
