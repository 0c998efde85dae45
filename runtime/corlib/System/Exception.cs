// Kernel corlib: System.Exception (compiler contract: the MoveNext that the C#
// compiler generates for an async method catches it and hands it to its
// builder's SetException). Nothing in the kernel throws — there is no
// unwinder, and a `throw` fails the link on RhpThrowEx — so this type exists
// for that catch clause and carries only its message.
namespace System;

public class Exception
{
    private readonly string? _message;

    public Exception() { }

    public Exception(string? message) { _message = message; }

    /// <summary>The message given to the constructor; .NET's default text when none was.</summary>
    public virtual string Message => _message ?? "Exception of type 'System.Exception' was thrown.";
}
