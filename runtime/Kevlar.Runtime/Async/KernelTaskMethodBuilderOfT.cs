// KernelTaskMethodBuilder<T>: the builder the C# compiler drives for an async
// method returning KernelTask<T> (compiler contract: the member names and
// shapes below are what it calls).
//
// The builder is a field of the state machine. While the method runs without
// suspending it allocates nothing but the finished task. At the first await
// that must wait it creates the task, boxes the state machine
// (StateMachineBox) and keeps the box's MoveNext delegate; later awaits of the
// same call reuse both. Exceptions do not exist on metal: SetException is a
// kernel assertion failure.
//
// State: _task and _moveNext are set before the state machine is boxed, so the
// caller's copy (which returns Task) and the boxed copy (which runs on) agree.
using System;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Async;

public struct KernelTaskMethodBuilder<T>
{
    /// <summary>Null until the method first suspends or completes.</summary>
    private KernelTask<T>? _task;

    /// <summary>The boxed state machine's MoveNext; null until the first suspension.</summary>
    private Action? _moveNext;

    public static KernelTaskMethodBuilder<T> Create() => default;

    /// <summary>The task the method returns; pending unless it already completed.</summary>
    public KernelTask<T> Task => _task ??= new KernelTask<T>();

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

    public void SetResult(T result)
    {
        if (_task == null)
        {
            _task = KernelTask<T>.FromResult(result);
            return;
        }
        _task.SetResult(result);
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
        _task ??= new KernelTask<T>();
        return StateMachineBox<TStateMachine>.Box(ref stateMachine, ref _moveNext);
    }
}
