// Kernel corlib: System.Collections.Generic.HashSet<T>, the same design as
// .NET's (and as Dictionary.cs, whose header explains it): an entry array with
// a free list, chained through prime-sized buckets, so enumeration order
// depends only on the sequence of adds and removes and matches .NET's.
// Unlike Dictionary, a null element is allowed.
using System.Runtime.CompilerServices;

namespace System.Collections.Generic;

public class HashSet<T> : IEnumerable<T>
{
    private struct Entry
    {
        public int HashCode;
        /// <summary>Next entry in the chain (-1: end); for a free entry, StartOfFreeList - next free index.</summary>
        public int Next;
        public T Value;
    }

    private const int StartOfFreeList = -3;

    private int[]? _buckets;
    private Entry[]? _entries;
    private int _count;
    private int _freeList;
    private int _freeCount;
    private int _version;
    /// <summary>A caller-supplied comparer, or null for EqualityComparer&lt;T&gt;.Default.</summary>
    private readonly IEqualityComparer<T>? _comparer;

    public HashSet() : this(0, null) { }

    public HashSet(int capacity) : this(capacity, null) { }

    public HashSet(IEqualityComparer<T>? comparer) : this(0, comparer) { }

    public HashSet(int capacity, IEqualityComparer<T>? comparer)
    {
        if (capacity < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        if (capacity > 0) Initialize(capacity);
        if (comparer is not null && comparer != EqualityComparer<T>.Default) _comparer = comparer;
    }

    public int Count => _count - _freeCount;

    public IEqualityComparer<T> Comparer => _comparer ?? EqualityComparer<T>.Default;

    public bool Contains(T item) => _buckets is not null && FindEntry(item, HashOf(item)) >= 0;

    /// <summary>Adds item; false if it was already present.</summary>
    public bool Add(T item)
    {
        if (_buckets is null) Initialize(0);
        int hashCode = HashOf(item);
        if (FindEntry(item, hashCode) >= 0) return false;
        Entry[] entries = _entries!;
        int index;
        if (_freeCount > 0)
        {
            index = _freeList;
            _freeList = StartOfFreeList - entries[index].Next;
            _freeCount--;
        }
        else
        {
            if (_count == entries.Length)
            {
                Resize();
                entries = _entries!;
            }
            index = _count++;
        }
        ref int bucket = ref BucketFor(hashCode);
        ref Entry entry = ref entries[index];
        entry.HashCode = hashCode;
        entry.Next = bucket - 1;
        entry.Value = item;
        bucket = index + 1;
        _version++;
        return true;
    }

    public bool Remove(T item)
    {
        if (_buckets is null) return false;
        Entry[] entries = _entries!;
        int hashCode = HashOf(item);
        ref int bucket = ref BucketFor(hashCode);
        int last = -1;
        int steps = 0;
        for (int i = bucket - 1; i >= 0; last = i, i = entries[i].Next)
        {
            ref Entry entry = ref entries[i];
            if (entry.HashCode == hashCode && ItemsEqual(entry.Value, item))
            {
                if (last < 0) bucket = entry.Next + 1;
                else entries[last].Next = entry.Next;
                entry.Next = StartOfFreeList - _freeList;
                if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) entry.Value = default!;
                _freeList = i;
                _freeCount++;
                return true;
            }
            CheckChain(++steps, entries.Length);
        }
        return false;
    }

    public void Clear()
    {
        int count = _count;
        if (count == 0) return;
        Array.Clear(_buckets!);
        _count = 0;
        _freeList = -1;
        _freeCount = 0;
        Array.Clear(_entries!, 0, count);
        _version++;
    }

    public Enumerator GetEnumerator() => new Enumerator(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

    // A chain longer than the table means concurrent writers corrupted it (.NET throws here too).
    private static void CheckChain(int steps, int entries)
    {
        if (steps > entries) ThrowHelper.ThrowNotSupported("concurrent operations on a HashSet");
    }

    private int HashOf(T item)
    {
        if (item is null) return 0;
        return _comparer is null ? EqualityComparer<T>.Default.GetHashCode(item) : _comparer.GetHashCode(item);
    }

    private bool ItemsEqual(T a, T b)
        => _comparer is null ? EqualityComparer<T>.Default.Equals(a, b) : _comparer.Equals(a, b);

    private ref int BucketFor(int hashCode) => ref _buckets![(uint)hashCode % (uint)_buckets.Length];

    private void Initialize(int capacity)
    {
        int size = HashHelpers.GetPrime(capacity);
        _buckets = new int[size];
        _entries = new Entry[size];
        _freeList = -1;
    }

    /// <summary>The index of item's entry (hashCode is its hash), or -1; the table must exist.</summary>
    private int FindEntry(T item, int hashCode)
    {
        Entry[] entries = _entries!;
        int steps = 0;
        for (int i = BucketFor(hashCode) - 1; i >= 0; i = entries[i].Next)
        {
            if (entries[i].HashCode == hashCode && ItemsEqual(entries[i].Value, item)) return i;
            CheckChain(++steps, entries.Length);
        }
        return -1;
    }

    /// <summary>Grows a full table; entries keep their indexes (so enumeration order is kept).</summary>
    private void Resize()
    {
        int newSize = HashHelpers.ExpandPrime(_count);
        Entry[] entries = new Entry[newSize];
        Array.Copy(_entries!, 0, entries, 0, _count);
        _buckets = new int[newSize];
        for (int i = 0; i < _count; i++)
        {
            if (entries[i].Next < -1) continue;
            ref int bucket = ref BucketFor(entries[i].HashCode);
            entries[i].Next = bucket - 1;
            bucket = i + 1;
        }
        _entries = entries;
    }

    public struct Enumerator : IEnumerator<T>
    {
        private readonly HashSet<T> _set;
        private readonly int _version;
        private int _index;
        private T _current;

        internal Enumerator(HashSet<T> set)
        {
            _set = set;
            _version = set._version;
            _index = 0;
            _current = default!;
        }

        public T Current => _current;

        object? IEnumerator.Current => _current;

        public bool MoveNext()
        {
            if (_version != _set._version) ThrowHelper.ThrowVersionChanged();
            while ((uint)_index < (uint)_set._count)
            {
                ref Entry entry = ref _set._entries![_index++];
                if (entry.Next >= -1)
                {
                    _current = entry.Value;
                    return true;
                }
            }
            _index = _set._count + 1;
            _current = default!;
            return false;
        }

        public void Reset()
        {
            if (_version != _set._version) ThrowHelper.ThrowVersionChanged();
            _index = 0;
            _current = default!;
        }

        public void Dispose() { }
    }
}
