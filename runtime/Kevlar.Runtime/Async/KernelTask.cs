// KernelTask: the completion of a kernel async method with no result; the
// same rules as KernelTask<T> (one owning actor, at most one continuation,
// run inline on completion). A method that completes without suspending
// returns the shared CompletedTask and allocates nothing.
//
// State (guards): every field is the owning actor's, touched only in its
// handlers; _completed goes false -> true once.
using System;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Async;

[AsyncMethodBuilder(typeof(KernelTaskMethodBuilder))]
public sealed class KernelTask
{
    /// <summary>Set once, by SetResult (or at construction for CompletedTask).</summary>
    private bool _completed;

    /// <summary>The awaiting async method's MoveNext, while pending.</summary>
    private Action? _awaiter;

    /// <summary>A non-async caller's continuation (OnCompleted), while pending.</summary>
    private Action? _observer;

    internal KernelTask()
    {
    }

    private KernelTask(bool completed)
    {
        _completed = completed;
    }

    /// <summary>A completed task, shared: a completed task is never written again.</summary>
    public static KernelTask CompletedTask { get; } = new KernelTask(true);

    /// <summary>True once the method has finished.</summary>
    public bool IsCompleted => _completed;

    /// <summary>What `await` calls.</summary>
    public Awaiter GetAwaiter() => new Awaiter(this);

    /// <summary>For non-async callers: registers <paramref name="continuation"/> to run when the
    /// task completes, and returns true. When the task has already completed it registers
    /// nothing and returns false: the caller goes on inline.</summary>
    public bool OnCompleted(Action continuation)
    {
        if (_completed)
        {
            return false;
        }
        Kassert.True(_awaiter == null && _observer == null, "KernelTaskOneContinuation: a task gets a second continuation");
        _observer = continuation;
        return true;
    }

    // The builder completes the task, then runs the continuation (if any) inline.
    internal void SetResult()
    {
        Kassert.True(!_completed, "KernelTaskCompleteOnce: a task is completed twice");
        _completed = true;
        Action? next = _awaiter ?? _observer;
        _awaiter = null;
        _observer = null;
        next?.Invoke();
    }

    private void AddAwaiter(Action continuation)
    {
        Kassert.True(!_completed, "KernelTaskAwaitPending: a continuation is registered on a completed task");
        Kassert.True(_awaiter == null && _observer == null, "KernelTaskOneContinuation: a task gets a second continuation");
        _awaiter = continuation;
    }

    /// <summary>The awaiter `await` uses: completes at once on a completed task, otherwise
    /// registers the awaiting method's continuation.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly KernelTask _task;

        internal Awaiter(KernelTask task)
        {
            _task = task;
        }

        public bool IsCompleted => _task._completed;

        public void GetResult()
        {
            Kassert.True(_task._completed, "KernelTaskResultReady: the result of a task is read before it completed");
        }

        public void OnCompleted(Action continuation) => _task.AddAwaiter(continuation);

        public void UnsafeOnCompleted(Action continuation) => _task.AddAwaiter(continuation);
    }
}
