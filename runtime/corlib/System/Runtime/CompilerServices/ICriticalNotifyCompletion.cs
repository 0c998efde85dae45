// Kernel corlib: System.Runtime.CompilerServices.ICriticalNotifyCompletion
// (compiler contract: an awaiter implementing it gets UnsafeOnCompleted, which
// in .NET skips the ExecutionContext flow; the kernel has none to flow).
namespace System.Runtime.CompilerServices;

public interface ICriticalNotifyCompletion : INotifyCompletion
{
    /// <summary>Runs <paramref name="continuation"/> when the awaited operation completes.</summary>
    void UnsafeOnCompleted(Action continuation);
}
