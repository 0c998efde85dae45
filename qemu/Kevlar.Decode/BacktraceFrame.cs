// BacktraceFrame: one frame of the best-effort backtrace.
namespace Kevlar.Decode;

/// <summary>
/// A frame: the code address (rip for frame 0, else a return address), the
/// stack slot it was found in (null for frame 0), and the call instruction
/// just before a return address as Intel text.
/// </summary>
public sealed record BacktraceFrame(int Index, ulong Address, ulong? StackSlot, string? CallText);
