// Kernel corlib: System.IDisposable (for `using`).
namespace System;

public interface IDisposable
{
    void Dispose();
}
