// Kernel corlib: System.Runtime.CompilerServices.INotifyCompletion (compiler
// contract: an awaiter's way to take the continuation of a suspended method).
namespace System.Runtime.CompilerServices;

public interface INotifyCompletion
{
    /// <summary>Runs <paramref name="continuation"/> when the awaited operation completes.</summary>
    void OnCompleted(Action continuation);
}
