// IOutputSink: where a line discipline puts bytes bound for the terminal —
// echoes of typed input and processed program output. The tty's owner
// implements it over its device (the serial console, a pty's other side).
using System;

namespace Kevlar.Vfs.Tty;

public interface IOutputSink
{
    /// <summary>Takes every byte of <paramref name="bytes"/>, in order; the span is valid only during the call.</summary>
    void Write(ReadOnlySpan<byte> bytes);
}
