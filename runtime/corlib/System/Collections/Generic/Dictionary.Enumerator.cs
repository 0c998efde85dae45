// Kernel corlib: Dictionary's pair enumerator, a struct so that `foreach` over
// a Dictionary allocates nothing. It walks the entry array in index order
// (see Dictionary.cs); an insert or Clear during enumeration is a kernel panic.
namespace System.Collections.Generic;

public partial class Dictionary<TKey, TValue>
{
    public struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
    {
        private readonly Dictionary<TKey, TValue> _dictionary;
        private readonly int _version;
        private int _index;
        private KeyValuePair<TKey, TValue> _current;

        internal Enumerator(Dictionary<TKey, TValue> dictionary)
        {
            _dictionary = dictionary;
            _version = dictionary._version;
            _index = 0;
            _current = default;
        }

        public KeyValuePair<TKey, TValue> Current => _current;

        object? IEnumerator.Current => _current;

        public bool MoveNext()
        {
            if (_version != _dictionary._version) ThrowHelper.ThrowVersionChanged();
            while ((uint)_index < (uint)_dictionary._count)
            {
                ref Entry entry = ref _dictionary._entries![_index++];
                if (entry.Next >= -1)
                {
                    _current = new KeyValuePair<TKey, TValue>(entry.Key, entry.Value);
                    return true;
                }
            }
            _index = _dictionary._count + 1;
            _current = default;
            return false;
        }

        public void Reset()
        {
            if (_version != _dictionary._version) ThrowHelper.ThrowVersionChanged();
            _index = 0;
            _current = default;
        }

        public void Dispose() { }
    }
}
