// KernelEvent<T>: a one-shot, resettable signal that one async method awaits
// and its owning actor sets — the point where a blocking syscall waits (for a
// reply, a child's exit, a futex wake, data to read) and where the answer
// resumes it.
//
// Rule: an event belongs to one actor. Await it, Set it and Reset it only
// inside that actor's handlers, on its home CPU. A wakeup from another actor
// or another CPU arrives as a message to the owner, whose handler calls Set.
// Set then runs the waiting method's continuation synchronously, right there:
// the method resumes inside the owner's Receive, on the owner's CPU, which is
// where it was suspended, so the actor's state needs no lock. Given an owner,
// the event asserts the CPU half of this rule (the owner's home, or the old
// home while a migration it started in the running handler is under way).
//
// Why a wakeup cannot be lost: the owner's handlers run one at a time, so
// between the awaiting method's check of IsSet (the awaiter's IsCompleted) and
// its registration as the waiter no Set can run; a Set before the check makes
// the await complete at once, a Set after the registration finds the waiter.
//
// A wait is owned: whoever holds the event answers it — with the result, or
// with an error value (EINTR, a dead peer) — or the suspended method is never
// resumed and is collected with the event.
//
// State (guards): every field is the owner's, touched only in its handlers.
//   _isSet   false until Set, false again after Reset; _value written before it.
//   _waiter  the suspended method's continuation; at most one, only while unset.
using System;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Async;

public sealed class KernelEvent<T>
{
    /// <summary>The actor whose handlers alone may use the event, when checked; immutable.</summary>
    private readonly Actor? _owner;

    /// <summary>True from Set until Reset.</summary>
    private bool _isSet;

    /// <summary>The value given to Set; default while unset.</summary>
    private T _value = default!;

    /// <summary>The one suspended method's continuation, only while unset.</summary>
    private Action? _waiter;

    /// <summary>An unset event whose owner is not checked (host tests, code outside actors).</summary>
    public KernelEvent()
    {
    }

    /// <summary>An unset event owned by <paramref name="owner"/>: awaiting and setting it off the
    /// owner's home CPU is a kernel assertion failure.</summary>
    public KernelEvent(Actor owner)
    {
        _owner = owner;
    }

    /// <summary>True from Set until Reset.</summary>
    public bool IsSet => _isSet;

    /// <summary>The value given to Set; reading it while unset is a kernel assertion failure.</summary>
    public T Value
    {
        get
        {
            Kassert.True(_isSet, "KernelEventValueReady: the value of an unset event is read");
            return _value;
        }
    }

    /// <summary>Sets the event to <paramref name="value"/> and, if a method awaits it, resumes that
    /// method before returning. Setting a set event is a kernel assertion failure.</summary>
    public void Set(T value)
    {
        CheckOwnerCpu();
        Kassert.True(!_isSet, "KernelEventSetOnce: an event is set twice without a Reset");
        _value = value;
        _isSet = true;
        Action? waiter = _waiter;
        _waiter = null;
        waiter?.Invoke();
    }

    /// <summary>Makes the event unset again, dropping its value, so it can be awaited anew.</summary>
    public void Reset()
    {
        _isSet = false;
        _value = default!;
    }

    /// <summary>What `await` calls; the await yields the value given to Set.</summary>
    public Awaiter GetAwaiter() => new Awaiter(this);

    private void AddWaiter(Action continuation)
    {
        CheckOwnerCpu();
        Kassert.True(!_isSet, "KernelEventAwaitUnset: a waiter is registered on a set event");
        Kassert.True(_waiter == null, "KernelEventOneWaiter: a second method awaits an event");
        _waiter = continuation;
    }

    private void CheckOwnerCpu()
    {
        Actor? owner = _owner;
        Scheduler? scheduler = owner?.Scheduler;
        if (scheduler == null)
        {
            return;
        }
        int cpu = scheduler.Platform.CurrentCpu;
        Kassert.True(cpu == owner!.Home || cpu == Atomic.Load(ref owner.ForwardingFrom), "KernelEventOwnerCpu: an event is used off its owner's home CPU");
    }

    /// <summary>The awaiter `await` uses: complete when the event is already set, otherwise the
    /// awaiting method becomes the event's one waiter.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly KernelEvent<T> _event;

        internal Awaiter(KernelEvent<T> e)
        {
            _event = e;
        }

        public bool IsCompleted => _event._isSet;

        public T GetResult() => _event.Value;

        public void OnCompleted(Action continuation) => _event.AddWaiter(continuation);

        public void UnsafeOnCompleted(Action continuation) => _event.AddWaiter(continuation);
    }
}
