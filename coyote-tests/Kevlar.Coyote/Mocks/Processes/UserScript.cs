// UserScript: one thread's scripted user program as ScriptedUserMode runs
// it (a process's first thread, or one a clone step made) — the program's steps, the result of its last system call, and whether
// it sleeps in wait4 now (for the NoLostWakeup specification). Every field is
// touched only while the process's thread is in user mode, on its CPU, or by
// the specifications between scheduling steps.
using Kevlar.Process;

namespace Kevlar.Coyote.Mocks.Processes;

public sealed class UserScript
{
    /// <summary>A read-write page every scripted process has: the wait status and the sigsuspend mask.</summary>
    public const ulong DataPage = 0x10000;
    public const ulong StatusAddress = DataPage;
    public const ulong MaskAddress = DataPage + 8;
    /// <summary>A word the thread scenarios share between threads (a futex).</summary>
    public const ulong SharedWordAddress = DataPage + 16;

    private readonly IEnumerator<UserOp> _ops;
    private bool _inSyscall;
    private int _lastNumber = -1;

    public UserScript(FakePageTables space, UserProgram program)
    {
        Space = space;
        _ops = program(this).GetEnumerator();
    }

    /// <summary>The process's address space (the key ScriptedUserMode finds the script by).</summary>
    public FakePageTables Space { get; }

    /// <summary>The process, once known (the harness sets it; a fork child's on its first run).</summary>
    public UserProcess? Process { get; set; }

    /// <summary>rax after the last system call: its result.</summary>
    public long Result { get; private set; }

    /// <summary>True from the moment the program calls wait4 until it is back in user mode.</summary>
    public bool InWait4 => _inSyscall && _lastNumber == Kevlar.Process.Syscalls.SyscallNumber.wait4;

    /// <summary>A 32-bit word of user memory, as the program's own code reads it.</summary>
    public uint ReadWord(ulong va)
    {
        Span<byte> b = stackalloc byte[4];
        Space.Read(va, b);
        return (uint)(b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24));
    }

    /// <summary>Stores a 32-bit word, as the program's own code does (no system call).</summary>
    public void WriteWord(ulong va, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        for (int i = 0; i < 4; i++) b[i] = (byte)(value >> (8 * i));
        Space.Write(va, b);
    }

    /// <summary>The wait status wait4 stored.</summary>
    public int ReadStatus()
    {
        Span<byte> b = stackalloc byte[4];
        Space.Read(StatusAddress, b);
        return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
    }

    /// <summary>Back in user mode with <paramref name="rax"/>: the next step, or null past the end.</summary>
    internal UserOp? Next(ulong rax)
    {
        if (_inSyscall)
        {
            Result = (long)rax;
            _inSyscall = false;
        }
        if (!_ops.MoveNext())
        {
            return null;
        }
        UserOp op = _ops.Current;
        _inSyscall = !op.IsYield;
        _lastNumber = op.Number;
        return op;
    }
}
