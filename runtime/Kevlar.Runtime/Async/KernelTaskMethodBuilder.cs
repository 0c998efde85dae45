// KernelTaskMethodBuilder: the builder for async methods returning KernelTask
// (compiler contract), KernelTaskMethodBuilder<T> without a result: a method
// that finishes without suspending returns KernelTask.CompletedTask.
using System;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Async;

public struct KernelTaskMethodBuilder
{
    /// <summary>Null until the method first suspends or completes.</summary>
    private KernelTask? _task;

    /// <summary>The boxed state machine's MoveNext; null until the first suspension.</summary>
    private Action? _moveNext;

    public static KernelTaskMethodBuilder Create() => default;

    /// <summary>The task the method returns; pending unless it already completed.</summary>
    public KernelTask Task => _task ??= new KernelTask();

    /// <summary>Runs the method until its first suspension or its end, on the caller's stack.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        stateMachine.MoveNext();
    }

    /// <summary>Not used: the builder boxes the state machine itself.</summary>
    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult()
    {
        if (_task == null)
        {
            _task = KernelTask.CompletedTask;
            return;
        }
        _task.SetResult();
    }

    public void SetException(Exception exception)
    {
        Kassert.Fail(string.Concat("KernelTaskFault: an async kernel method threw: ", exception.Message));
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        Action moveNext = Suspend(ref stateMachine);
        awaiter.OnCompleted(moveNext);
    }

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        Action moveNext = Suspend(ref stateMachine);
        awaiter.UnsafeOnCompleted(moveNext);
    }

    // The delegate that resumes the method; on the first suspension, creates the task and the box.
    private Action Suspend<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        Action? moveNext = _moveNext;
        if (moveNext != null)
        {
            return moveNext;
        }
        _task ??= new KernelTask();
        return StateMachineBox<TStateMachine>.Box(ref stateMachine, ref _moveNext);
    }
}
