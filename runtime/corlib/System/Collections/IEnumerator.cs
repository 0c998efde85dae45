// Kernel corlib: System.Collections.IEnumerator, the non-generic base of IEnumerator<T>.
namespace System.Collections;

public interface IEnumerator
{
    object? Current { get; }
    bool MoveNext();
    void Reset();
}
