// Kernel corlib: System.Collections.Generic.List<T>, a growable array
// (no enumerator: iterate with `for`).
namespace System.Collections.Generic;

public class List<T>
{
    private T[] _items;
    private int _size;

    public List() { _items = new T[4]; }
    public List(int capacity) { _items = new T[capacity < 1 ? 1 : capacity]; }

    public int Count => _size;

    public T this[int index]
    {
        get { if ((uint)index >= (uint)_size) Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException(); return _items[index]; }
        set { if ((uint)index >= (uint)_size) Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException(); _items[index] = value; }
    }

    public void Add(T item)
    {
        if (_size == _items.Length) Grow();
        _items[_size++] = item;
    }

    public void Insert(int index, T item)
    {
        if ((uint)index > (uint)_size) Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
        if (_size == _items.Length) Grow();
        for (int i = _size; i > index; i--) _items[i] = _items[i - 1];
        _items[index] = item;
        _size++;
    }

    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)_size) Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
        _size--;
        for (int i = index; i < _size; i++) _items[i] = _items[i + 1];
        _items[_size] = default!;
    }

    public void Clear()
    {
        for (int i = 0; i < _size; i++) _items[i] = default!;
        _size = 0;
    }

    private void Grow()
    {
        T[] bigger = new T[_items.Length * 2];
        for (int i = 0; i < _size; i++) bigger[i] = _items[i];
        _items = bigger;
    }
}
