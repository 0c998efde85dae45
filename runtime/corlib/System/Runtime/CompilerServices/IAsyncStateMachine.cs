// Kernel corlib: System.Runtime.CompilerServices.IAsyncStateMachine (compiler
// contract: every async method's generated state machine implements it).
namespace System.Runtime.CompilerServices;

public interface IAsyncStateMachine
{
    /// <summary>Runs the method from its current state to the next await or its end.</summary>
    void MoveNext();

    /// <summary>Legacy hook: hands the builder the boxed state machine.</summary>
    void SetStateMachine(IAsyncStateMachine stateMachine);
}
