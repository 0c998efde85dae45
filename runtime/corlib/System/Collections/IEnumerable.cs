// Kernel corlib: System.Collections.IEnumerable, the non-generic base of IEnumerable<T>.
namespace System.Collections;

public interface IEnumerable
{
    IEnumerator GetEnumerator();
}
