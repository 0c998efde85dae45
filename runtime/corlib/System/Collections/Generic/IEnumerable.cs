// Kernel corlib: System.Collections.Generic.IEnumerable<T>. The corlib's
// collections also have a public struct GetEnumerator, which `foreach` over
// the concrete type uses without allocating; this interface returns it boxed.
namespace System.Collections.Generic;

public interface IEnumerable<out T> : IEnumerable
{
    new IEnumerator<T> GetEnumerator();
}
