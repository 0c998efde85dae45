// KernelTask<T>: the result of a kernel async method (a blocking syscall, a
// request awaiting its reply), completed once by its builder.
//
// A task belongs to the actor whose handler started the method: it completes,
// and runs its continuation, inside that actor's handlers on its home CPU, so
// it needs no lock and no atomics. It has at most one continuation — either
// the awaiting async method's MoveNext (through GetAwaiter) or a non-async
// observer's Action<T> (through OnCompleted, for the syscall dispatcher) — and
// runs it synchronously when the result is set, as the last step of the
// completing method.
//
// State (guards): every field is the owning actor's, touched only in its
// handlers; _completed goes false -> true once, and _result is written before it.
using System;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Async;

[AsyncMethodBuilder(typeof(KernelTaskMethodBuilder<>))]
public sealed class KernelTask<T>
{
    /// <summary>Set once, by SetResult (or at construction for FromResult).</summary>
    private bool _completed;

    /// <summary>The method's result; meaningful once _completed.</summary>
    private T _result = default!;

    /// <summary>The awaiting async method's MoveNext, while pending.</summary>
    private Action? _awaiter;

    /// <summary>A non-async caller's continuation (OnCompleted), while pending.</summary>
    private Action<T>? _observer;

    internal KernelTask()
    {
    }

    private KernelTask(T result)
    {
        _result = result;
        _completed = true;
    }

    /// <summary>A task already completed with <paramref name="result"/>. A completed task never
    /// changes again, so a small long result (a byte count, an fd, an errno: most system calls')
    /// comes from a shared cache instead of a new object (CompletedLongTasks).</summary>
    public static KernelTask<T> FromResult(T result)
    {
        // (For a value type the compiler drops the box: the test is decided per instantiation.)
        if (result is long value && value >= CompletedLongTasks.Lowest && value <= CompletedLongTasks.Highest)
            return (KernelTask<T>)(object)CompletedLongTasks.Of(value);
        return new KernelTask<T>(result);
    }

    /// <summary>A new completed task (CompletedLongTasks fills its cache with these).</summary>
    internal static KernelTask<T> NewCompleted(T result) => new KernelTask<T>(result);

    /// <summary>True once the result is set.</summary>
    public bool IsCompleted => _completed;

    /// <summary>The result; reading it before completion is a kernel assertion failure.</summary>
    public T Result
    {
        get
        {
            Kassert.True(_completed, "KernelTaskResultReady: the result of a task is read before it completed");
            return _result;
        }
    }

    /// <summary>What `await` calls.</summary>
    public Awaiter GetAwaiter() => new Awaiter(this);

    /// <summary>For non-async callers: registers <paramref name="continuation"/> to run with the
    /// result when the task completes, and returns true. When the task has already completed it
    /// registers nothing and returns false: the caller reads <see cref="Result"/> inline.</summary>
    public bool OnCompleted(Action<T> continuation)
    {
        if (_completed)
        {
            return false;
        }
        Kassert.True(_awaiter == null && _observer == null, "KernelTaskOneContinuation: a task gets a second continuation");
        _observer = continuation;
        return true;
    }

    // The builder completes the task: store the result, then run the continuation (if any) inline.
    internal void SetResult(T result)
    {
        Kassert.True(!_completed, "KernelTaskCompleteOnce: a task is completed twice");
        _result = result;
        _completed = true;
        Action? awaiter = _awaiter;
        Action<T>? observer = _observer;
        _awaiter = null;
        _observer = null;
        if (awaiter != null)
        {
            awaiter();
        }
        else if (observer != null)
        {
            observer(result);
        }
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
        private readonly KernelTask<T> _task;

        internal Awaiter(KernelTask<T> task)
        {
            _task = task;
        }

        public bool IsCompleted => _task._completed;

        public T GetResult() => _task.Result;

        public void OnCompleted(Action continuation) => _task.AddAwaiter(continuation);

        public void UnsafeOnCompleted(Action continuation) => _task.AddAwaiter(continuation);
    }
}
