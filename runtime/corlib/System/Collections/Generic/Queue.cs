// Kernel corlib: System.Collections.Generic.Queue<T>, a circular buffer:
// _size items start at _head and wrap around the end of _array; _tail is where
// the next item goes. It grows (to twice the size, at least 4 more) only when
// full, unwrapping the items to the front. Dequeue or Peek of an empty queue
// is a kernel panic, as .NET throws there; TryDequeue/TryPeek return false.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace System.Collections.Generic;

public class Queue<T> : IEnumerable<T>
{
    private const int MinimumGrow = 4;

    private T[] _array;
    private int _head;
    private int _tail;
    private int _size;
    private int _version;

    public Queue() { _array = Array.Empty<T>(); }

    public Queue(int capacity)
    {
        if (capacity < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        _array = new T[capacity];
    }

    public int Count => _size;

    public void Enqueue(T item)
    {
        if (_size == _array.Length) Grow();
        _array[_tail] = item;
        _tail = Next(_tail);
        _size++;
        _version++;
    }

    public T Dequeue()
    {
        if (_size == 0) ThrowHelper.ThrowEmptyQueue();
        return Take();
    }

    public bool TryDequeue([MaybeNullWhen(false)] out T result)
    {
        if (_size == 0)
        {
            result = default;
            return false;
        }
        result = Take();
        return true;
    }

    public T Peek()
    {
        if (_size == 0) ThrowHelper.ThrowEmptyQueue();
        return _array[_head];
    }

    public bool TryPeek([MaybeNullWhen(false)] out T result)
    {
        if (_size == 0)
        {
            result = default;
            return false;
        }
        result = _array[_head];
        return true;
    }

    public bool Contains(T item)
    {
        for (int i = 0, at = _head; i < _size; i++, at = Next(at))
            if (EqualityComparer<T>.Default.Equals(_array[at], item)) return true;
        return false;
    }

    public void Clear()
    {
        if (_size != 0 && RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            if (_head < _tail) Array.Clear(_array, _head, _size);
            else
            {
                Array.Clear(_array, _head, _array.Length - _head);
                Array.Clear(_array, 0, _tail);
            }
        }
        _size = 0;
        _head = 0;
        _tail = 0;
        _version++;
    }

    public T[] ToArray()
    {
        T[] result = new T[_size];
        for (int i = 0, at = _head; i < _size; i++, at = Next(at)) result[i] = _array[at];
        return result;
    }

    public Enumerator GetEnumerator() => new Enumerator(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

    private int Next(int index) => index + 1 == _array.Length ? 0 : index + 1;

    private T Take()
    {
        T item = _array[_head];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) _array[_head] = default!;
        _head = Next(_head);
        _size--;
        _version++;
        return item;
    }

    /// <summary>Called only when full, so the items run from _head to the end, then from 0 up to _tail == _head.</summary>
    private void Grow()
    {
        int capacity = _array.Length * 2;
        if (capacity < _array.Length + MinimumGrow) capacity = _array.Length + MinimumGrow;
        T[] bigger = new T[capacity];
        int firstRun = _array.Length - _head;
        Array.Copy(_array, _head, bigger, 0, firstRun);
        Array.Copy(_array, 0, bigger, firstRun, _head);
        _array = bigger;
        _head = 0;
        _tail = _size;
        _version++;
    }

    public struct Enumerator : IEnumerator<T>
    {
        private readonly Queue<T> _queue;
        private readonly int _version;
        private int _index;
        private T _current;

        internal Enumerator(Queue<T> queue)
        {
            _queue = queue;
            _version = queue._version;
            _index = -1;
            _current = default!;
        }

        public T Current => _current;

        object? IEnumerator.Current => _current;

        public bool MoveNext()
        {
            if (_version != _queue._version) ThrowHelper.ThrowVersionChanged();
            if (_index == -2) return false;
            _index++;
            if (_index == _queue._size)
            {
                _index = -2;
                _current = default!;
                return false;
            }
            int at = _queue._head + _index;
            if (at >= _queue._array.Length) at -= _queue._array.Length;
            _current = _queue._array[at];
            return true;
        }

        public void Reset()
        {
            if (_version != _queue._version) ThrowHelper.ThrowVersionChanged();
            _index = -1;
            _current = default!;
        }

        public void Dispose() { }
    }
}
