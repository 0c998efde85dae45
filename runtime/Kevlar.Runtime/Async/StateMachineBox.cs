// StateMachineBox: the heap home of an async method's state machine once the
// method first suspends.
//
// The C# compiler (in Release) makes an async method's state machine a struct
// that lives on the caller's stack while the method runs synchronously. At the
// first await that does not complete at once, the builder copies the struct in
// here, and from then on the box's copy is the live one: the cached MoveNext
// delegate, handed to whatever the method waits on, resumes it. While the
// method waits, the box is reachable only through that delegate (from the
// event or task it waits on), so the wait's owner keeps it alive; a wait no one
// can complete is collected with everything it holds. In Debug the state
// machine is a class and the box holds a reference to it instead; the code is
// the same.
//
// No boxing of a value type and no generic virtual method: TStateMachine is a
// field, and MoveNext is a constrained call on it.
using System;
using System.Runtime.CompilerServices;

namespace Kevlar.Runtime.Async;

internal sealed class StateMachineBox<TStateMachine> where TStateMachine : IAsyncStateMachine
{
    /// <summary>The live state machine; written once by Box, then run only through MoveNextAction.</summary>
    private TStateMachine _stateMachine = default!;

    /// <summary>Resumes the boxed method; the one delegate a method's awaits hand out.</summary>
    private readonly Action _moveNextAction;

    private StateMachineBox()
    {
        _moveNextAction = MoveNext;
    }

    /// <summary>Copies <paramref name="stateMachine"/> into a new box and returns the delegate
    /// that resumes it. The caller is the builder inside <paramref name="stateMachine"/>;
    /// <paramref name="moveNextSlot"/> is that builder's own field, and it is set before the
    /// copy so that the boxed builder already knows its box.</summary>
    public static Action Box(ref TStateMachine stateMachine, ref Action? moveNextSlot)
    {
        var box = new StateMachineBox<TStateMachine>();
        Action moveNext = box._moveNextAction;
        moveNextSlot = moveNext;
        box._stateMachine = stateMachine;
        return moveNext;
    }

    private void MoveNext() => _stateMachine.MoveNext();
}
