// Kernel corlib: System.Collections.Generic.List<T>, a growable array that
// starts empty and doubles (from 4) when full. `foreach` uses the struct
// Enumerator; changing the list while enumerating it is a kernel panic, as it
// is an InvalidOperationException in .NET. Equality searches (Contains,
// IndexOf, Remove) use EqualityComparer<T>.Default.
using System.Runtime.CompilerServices;

namespace System.Collections.Generic;

public class List<T> : IEnumerable<T>
{
    private const int DefaultCapacity = 4;

    private T[] _items;
    private int _size;
    private int _version;

    public List() { _items = Array.Empty<T>(); }

    public List(int capacity)
    {
        if (capacity < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        _items = capacity == 0 ? Array.Empty<T>() : new T[capacity];
    }

    public int Count => _size;

    public int Capacity => _items.Length;

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_size) ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
            return _items[index];
        }
        set
        {
            if ((uint)index >= (uint)_size) ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
            _items[index] = value;
            _version++;
        }
    }

    public void Add(T item)
    {
        if (_size == _items.Length) Grow(_size + 1);
        _items[_size++] = item;
        _version++;
    }

    public void Insert(int index, T item)
    {
        if ((uint)index > (uint)_size) ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        if (_size == _items.Length) Grow(_size + 1);
        if (index < _size) Array.Copy(_items, index, _items, index + 1, _size - index);
        _items[index] = item;
        _size++;
        _version++;
    }

    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)_size) ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        _size--;
        if (index < _size) Array.Copy(_items, index + 1, _items, index, _size - index);
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) _items[_size] = default!;
        _version++;
    }

    /// <summary>Removes the first occurrence of item; false if there was none.</summary>
    public bool Remove(T item)
    {
        int index = IndexOf(item);
        if (index < 0) return false;
        RemoveAt(index);
        return true;
    }

    public bool Contains(T item) => IndexOf(item) >= 0;

    public int IndexOf(T item)
    {
        for (int i = 0; i < _size; i++)
            if (EqualityComparer<T>.Default.Equals(_items[i], item)) return i;
        return -1;
    }

    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>() && _size > 0) Array.Clear(_items, 0, _size);
        _size = 0;
        _version++;
    }

    public T[] ToArray()
    {
        if (_size == 0) return Array.Empty<T>();
        T[] result = new T[_size];
        Array.Copy(_items, 0, result, 0, _size);
        return result;
    }

    public Enumerator GetEnumerator() => new Enumerator(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

    private void Grow(int capacity)
    {
        int newCapacity = _items.Length == 0 ? DefaultCapacity : 2 * _items.Length;
        if (newCapacity < capacity) newCapacity = capacity;
        T[] bigger = new T[newCapacity];
        if (_size > 0) Array.Copy(_items, 0, bigger, 0, _size);
        _items = bigger;
    }

    public struct Enumerator : IEnumerator<T>
    {
        private readonly List<T> _list;
        private readonly int _version;
        private int _index;
        private T _current;

        internal Enumerator(List<T> list)
        {
            _list = list;
            _version = list._version;
            _index = 0;
            _current = default!;
        }

        public T Current => _current;

        object? IEnumerator.Current => _current;

        public bool MoveNext()
        {
            if (_version != _list._version) ThrowHelper.ThrowVersionChanged();
            if ((uint)_index < (uint)_list._size)
            {
                _current = _list._items[_index++];
                return true;
            }
            _index = _list._size + 1;
            _current = default!;
            return false;
        }

        public void Reset()
        {
            if (_version != _list._version) ThrowHelper.ThrowVersionChanged();
            _index = 0;
            _current = default!;
        }

        public void Dispose() { }
    }
}
