// Kernel corlib: System.Collections.Generic.Dictionary<TKey, TValue>, the same
// design as .NET's so that enumeration order matches it exactly:
//  - _entries holds the pairs; _buckets[hash % size] holds 1 + the index of
//    the first entry of that bucket's chain (0: empty); Entry.Next links a
//    chain (-1 ends it).
//  - A removed entry joins a free list through its Next, encoded as
//    StartOfFreeList - (next free index), so live entries have Next >= -1 and
//    free ones Next <= -2. Adding reuses the most recently freed entry first,
//    otherwise appends at _count; the table grows (to the next prime at least
//    twice as large, entries keeping their indexes) only when it is full.
//  - Enumeration walks _entries[0.._count) skipping free entries. So the order
//    depends only on the sequence of adds and removes, never on hash values.
// .NET's exceptions (duplicate key, missing key, null key, modification during
// enumeration) are kernel panics (ThrowHelper). Removing during enumeration is
// allowed, as in .NET.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace System.Collections.Generic;

public partial class Dictionary<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>> where TKey : notnull
{
    private struct Entry
    {
        public uint HashCode;
        /// <summary>Next entry in the chain (-1: end); for a free entry, StartOfFreeList - next free index.</summary>
        public int Next;
        public TKey Key;
        public TValue Value;
    }

    private const int StartOfFreeList = -3;

    private int[]? _buckets;
    private Entry[]? _entries;
    private int _count;
    private int _freeList;
    private int _freeCount;
    private int _version;
    /// <summary>A caller-supplied comparer, or null for EqualityComparer&lt;TKey&gt;.Default.</summary>
    private readonly IEqualityComparer<TKey>? _comparer;
    private KeyCollection? _keys;
    private ValueCollection? _values;

    public Dictionary() : this(0, null) { }

    public Dictionary(int capacity) : this(capacity, null) { }

    public Dictionary(IEqualityComparer<TKey>? comparer) : this(0, comparer) { }

    public Dictionary(int capacity, IEqualityComparer<TKey>? comparer)
    {
        if (capacity < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        if (capacity > 0) Initialize(capacity);
        if (comparer is not null && comparer != EqualityComparer<TKey>.Default) _comparer = comparer;
    }

    public int Count => _count - _freeCount;

    public IEqualityComparer<TKey> Comparer => _comparer ?? EqualityComparer<TKey>.Default;

    public KeyCollection Keys => _keys ??= new KeyCollection(this);

    public ValueCollection Values => _values ??= new ValueCollection(this);

    public TValue this[TKey key]
    {
        get
        {
            int i = FindEntry(key);
            if (i < 0) ThrowHelper.ThrowKeyNotFound();
            return _entries![i].Value;
        }
        set => TryInsert(key, value, overwrite: true);
    }

    public void Add(TKey key, TValue value)
    {
        if (!TryInsert(key, value, overwrite: false)) ThrowHelper.ThrowDuplicateKey();
    }

    public bool TryAdd(TKey key, TValue value) => TryInsert(key, value, overwrite: false);

    public bool ContainsKey(TKey key) => FindEntry(key) >= 0;

    public bool ContainsValue(TValue value)
    {
        Entry[]? entries = _entries;
        for (int i = 0; i < _count; i++)
            if (entries![i].Next >= -1 && EqualityComparer<TValue>.Default.Equals(entries[i].Value, value)) return true;
        return false;
    }

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        int i = FindEntry(key);
        if (i < 0)
        {
            value = default;
            return false;
        }
        value = _entries![i].Value;
        return true;
    }

    public bool Remove(TKey key) => Remove(key, out _);

    public bool Remove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        CheckKey(key);
        value = default;
        if (_buckets is null) return false;
        Entry[] entries = _entries!;
        uint hashCode = HashOf(key);
        ref int bucket = ref BucketFor(hashCode);
        int last = -1;
        int i = bucket - 1;
        int steps = 0;
        while (i >= 0)
        {
            ref Entry entry = ref entries[i];
            if (entry.HashCode == hashCode && KeysEqual(entry.Key, key))
            {
                if (last < 0) bucket = entry.Next + 1;
                else entries[last].Next = entry.Next;
                value = entry.Value;
                entry.Next = StartOfFreeList - _freeList;
                if (RuntimeHelpers.IsReferenceOrContainsReferences<TKey>()) entry.Key = default!;
                if (RuntimeHelpers.IsReferenceOrContainsReferences<TValue>()) entry.Value = default!;
                _freeList = i;
                _freeCount++;
                return true;
            }
            last = i;
            i = entry.Next;
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

    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => new Enumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

    private static void CheckKey(TKey key)
    {
        if (key is null) ThrowHelper.ThrowArgumentNull(nameof(key));
    }

    // A chain longer than the table means concurrent writers corrupted it (.NET throws here too).
    private static void CheckChain(int steps, int entries)
    {
        if (steps > entries) ThrowHelper.ThrowNotSupported("concurrent operations on a Dictionary");
    }

    private uint HashOf(TKey key)
        => (uint)(_comparer is null ? EqualityComparer<TKey>.Default.GetHashCode(key) : _comparer.GetHashCode(key));

    private bool KeysEqual(TKey a, TKey b)
        => _comparer is null ? EqualityComparer<TKey>.Default.Equals(a, b) : _comparer.Equals(a, b);

    private ref int BucketFor(uint hashCode) => ref _buckets![hashCode % (uint)_buckets.Length];

    private int Initialize(int capacity)
    {
        int size = HashHelpers.GetPrime(capacity);
        _buckets = new int[size];
        _entries = new Entry[size];
        _freeList = -1;
        return size;
    }

    /// <summary>The index of key's entry, or -1.</summary>
    private int FindEntry(TKey key)
    {
        CheckKey(key);
        if (_buckets is null) return -1;
        Entry[] entries = _entries!;
        uint hashCode = HashOf(key);
        int steps = 0;
        for (int i = BucketFor(hashCode) - 1; i >= 0; i = entries[i].Next)
        {
            if (entries[i].HashCode == hashCode && KeysEqual(entries[i].Key, key)) return i;
            CheckChain(++steps, entries.Length);
        }
        return -1;
    }

    /// <summary>Adds key, or (if overwrite) replaces its value; false if key was present and not overwritten.</summary>
    private bool TryInsert(TKey key, TValue value, bool overwrite)
    {
        CheckKey(key);
        if (_buckets is null) Initialize(0);
        Entry[] entries = _entries!;
        uint hashCode = HashOf(key);
        int steps = 0;
        for (int i = BucketFor(hashCode) - 1; i >= 0; i = entries[i].Next)
        {
            if (entries[i].HashCode == hashCode && KeysEqual(entries[i].Key, key))
            {
                if (!overwrite) return false;
                entries[i].Value = value;
                return true;
            }
            CheckChain(++steps, entries.Length);
        }

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
        entry.Key = key;
        entry.Value = value;
        bucket = index + 1;
        _version++;
        return true;
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
}
