// Kernel corlib: Dictionary.Keys, a live view of the keys in enumeration order.
namespace System.Collections.Generic;

public partial class Dictionary<TKey, TValue>
{
    public sealed class KeyCollection : IEnumerable<TKey>
    {
        private readonly Dictionary<TKey, TValue> _dictionary;

        public KeyCollection(Dictionary<TKey, TValue> dictionary)
        {
            if (dictionary is null) ThrowHelper.ThrowArgumentNull(nameof(dictionary));
            _dictionary = dictionary;
        }

        public int Count => _dictionary.Count;

        public bool Contains(TKey item) => _dictionary.ContainsKey(item);

        public Enumerator GetEnumerator() => new Enumerator(_dictionary);

        IEnumerator<TKey> IEnumerable<TKey>.GetEnumerator() => new Enumerator(_dictionary);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(_dictionary);

        public struct Enumerator : IEnumerator<TKey>
        {
            private Dictionary<TKey, TValue>.Enumerator _pairs;

            internal Enumerator(Dictionary<TKey, TValue> dictionary) { _pairs = new Dictionary<TKey, TValue>.Enumerator(dictionary); }

            public TKey Current => _pairs.Current.Key;

            object? IEnumerator.Current => Current;

            public bool MoveNext() => _pairs.MoveNext();

            public void Reset() => _pairs.Reset();

            public void Dispose() { }
        }
    }
}
