// The 64-bit task-state segment (Intel SDM vol. 3, 8.7; 104 bytes): only the
// interrupt stack table is used, for faults that must not trust the current stack.
using System.Runtime.InteropServices;

namespace Kevlar.Drivers.X86_64.Cpu;

[StructLayout(LayoutKind.Explicit, Size = 104)]
public struct Tss
{
    [FieldOffset(4)] public ulong Rsp0;
    /// <summary>IST1: the double-fault stack.</summary>
    [FieldOffset(36)] public ulong Ist1;
    [FieldOffset(102)] public ushort IoMapBase;
}
