// Kernel corlib: System.Collections.Generic.IEnumerator<T>.
namespace System.Collections.Generic;

public interface IEnumerator<out T> : IDisposable, IEnumerator
{
    new T Current { get; }
}
