// Kernel corlib: System.Delegate. The compiler builds delegates by calling the
// Initialize* methods below with the field names it knows (compiler contract).
namespace System;

public abstract class Delegate
{
#pragma warning disable 169, 649
    private object? _firstParameter;
    private object? _helperObject;
    private nint _extraFunctionPointerOrData;
    private nint _functionPointer;
#pragma warning restore 169, 649

    // Compiler contract: closed instance delegate (also static closed over a first argument).
    private void InitializeClosedInstance(object firstParameter, nint functionPointer)
    {
        _functionPointer = functionPointer;
        _firstParameter = firstParameter;
    }

    // Compiler contract: closed instance with a null `this` check skipped (the kernel has no unwinder).
    private void InitializeClosedInstanceSlow(object firstParameter, nint functionPointer)
    {
        _functionPointer = functionPointer;
        _firstParameter = firstParameter;
    }

    // Compiler contract: open static delegate; invoked through a thunk that gets the delegate.
    private void InitializeOpenStaticThunk(object firstParameter, nint functionPointer, nint functionPointerThunk)
    {
        _firstParameter = this;
        _functionPointer = functionPointerThunk;
        _extraFunctionPointerOrData = functionPointer;
    }

    // Compiler contract: closed static delegate through a thunk.
    private void InitializeClosedStaticThunk(object firstParameter, nint functionPointer, nint functionPointerThunk)
    {
        _extraFunctionPointerOrData = functionPointer;
        _helperObject = firstParameter;
        _functionPointer = functionPointerThunk;
        _firstParameter = this;
    }
}
