// Kernel corlib: Dictionary.Values, a live view of the values in enumeration order.
namespace System.Collections.Generic;

public partial class Dictionary<TKey, TValue>
{
    public sealed class ValueCollection : IEnumerable<TValue>
    {
        private readonly Dictionary<TKey, TValue> _dictionary;

        public ValueCollection(Dictionary<TKey, TValue> dictionary)
        {
            if (dictionary is null) ThrowHelper.ThrowArgumentNull(nameof(dictionary));
            _dictionary = dictionary;
        }

        public int Count => _dictionary.Count;

        public Enumerator GetEnumerator() => new Enumerator(_dictionary);

        IEnumerator<TValue> IEnumerable<TValue>.GetEnumerator() => new Enumerator(_dictionary);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(_dictionary);

        public struct Enumerator : IEnumerator<TValue>
        {
            private Dictionary<TKey, TValue>.Enumerator _pairs;

            internal Enumerator(Dictionary<TKey, TValue> dictionary) { _pairs = new Dictionary<TKey, TValue>.Enumerator(dictionary); }

            public TValue Current => _pairs.Current.Value;

            object? IEnumerator.Current => Current;

            public bool MoveNext() => _pairs.MoveNext();

            public void Reset() => _pairs.Reset();

            public void Dispose() { }
        }
    }
}
