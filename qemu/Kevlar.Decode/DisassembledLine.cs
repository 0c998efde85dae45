// DisassembledLine: one decoded instruction of the code window.
namespace Kevlar.Decode;

/// <summary>An instruction: where, its bytes, Intel-syntax text, and whether it is the faulting one.</summary>
public sealed record DisassembledLine(ulong Address, byte[] Bytes, string Text, bool IsFault);
