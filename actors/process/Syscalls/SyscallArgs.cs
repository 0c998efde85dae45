// SyscallArgs: a system call's six raw argument registers (rdi rsi rdx r10
// r8 r9, the x86_64 syscall convention) and the typed views handlers decode
// them into before doing anything: an fd is the low 32 bits as a signed int,
// as Linux reads it; a pointer stays a full user address; flags are 32 bits.
namespace Kevlar.Process.Syscalls;

public readonly struct SyscallArgs
{
    private readonly ulong _a0, _a1, _a2, _a3, _a4, _a5;

    public SyscallArgs(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
    {
        _a0 = a0; _a1 = a1; _a2 = a2; _a3 = a3; _a4 = a4; _a5 = a5;
    }

    public ulong this[int i] => i switch { 0 => _a0, 1 => _a1, 2 => _a2, 3 => _a3, 4 => _a4, _ => _a5 };

    /// <summary>An fd argument (C int).</summary>
    public int Fd(int i) => (int)(uint)this[i];

    /// <summary>A C int argument (flags, modes, signal numbers).</summary>
    public int Int(int i) => (int)(uint)this[i];

    public uint UInt(int i) => (uint)this[i];

    /// <summary>A user-space address.</summary>
    public ulong Pointer(int i) => this[i];

    /// <summary>A size_t argument.</summary>
    public ulong Size(int i) => this[i];

    /// <summary>A long / off_t argument.</summary>
    public long Long(int i) => (long)this[i];
}
