// ReadRequest: a request that brings bytes back from an owner (a pipe's, a
// pty master's) into Data, or registers Waiter and answers WouldBlock when
// there are none yet. FileCall.ReadInto runs one to completion for read(2).
namespace Kevlar.Process.Files;

public abstract class ReadRequest : FileRequest
{
    /// <summary>Where Execute leaves the bytes (the result says how many).</summary>
    public readonly byte[] Data;
    /// <summary>Registered by Execute when it answers WouldBlock.</summary>
    public ThreadWaiter? Waiter;

    protected ReadRequest(int length) { Data = new byte[length]; }
}
