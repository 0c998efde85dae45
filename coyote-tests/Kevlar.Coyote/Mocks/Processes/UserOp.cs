// UserOp: one step of a scripted user program — a system call with its
// argument registers, or the end of a time slice (Yield: the thread's handler
// ends and its CPU runs other work before the thread runs again).
using Kevlar.Process.Syscalls;

namespace Kevlar.Coyote.Mocks.Processes;

/// <summary>A scripted user program: the steps it takes, reading each call's result from the script.</summary>
public delegate IEnumerable<UserOp> UserProgram(UserScript script);

public sealed class UserOp
{
    /// <summary>Interrupt vector Run returns for a Yield (the local timer's, any vector ≥ 32 does).</summary>
    public const int TimerVector = 32;

    private UserOp(int number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, UserProgram? child = null, ulong a4 = 0)
    {
        Number = number;
        Args = new[] { a0, a1, a2, a3, a4 };
        Child = child;
    }

    /// <summary>The system call number, or -1 for Yield (-2 for Spin).</summary>
    public int Number { get; }

    /// <summary>rdi, rsi, rdx, r10, r8.</summary>
    public ulong[] Args { get; }

    /// <summary>For fork and clone: the program the child (process or thread) runs.</summary>
    public UserProgram? Child { get; }

    public bool IsYield => Number < 0;

    /// <summary>True for a Spin: the slice of a busy-wait loop.</summary>
    public bool IsSpin => Number == SpinNumber;

    public static UserOp Yield { get; } = new(-1);

    /// <summary>A Yield inside a loop that waits for another CPU to change what it reads (`while
    /// (!done) ;`): it gives way as a kernel spin does (Hooks.SpinPause), so a strategy that keeps
    /// one CPU on top (PCT) does not run it to the run's bound while the CPU it waits for stands.</summary>
    public static UserOp Spin { get; } = new(SpinNumber);

    private const int SpinNumber = -2;

    /// <summary>wait4(pid, &status, options, NULL); the status lands at <see cref="UserScript.StatusAddress"/>.</summary>
    public static UserOp Wait4(int pid, int options = 0) =>
        new(SyscallNumber.wait4, (ulong)(long)pid, UserScript.StatusAddress, (ulong)(uint)options);

    public static UserOp Kill(int pid, int signal) => new(SyscallNumber.kill, (ulong)(long)pid, (ulong)signal);

    public static UserOp ExitGroup(int code) => new(SyscallNumber.exit_group, (ulong)code);

    /// <summary>rt_sigsuspend with an empty mask: waits until a signal ends the process.</summary>
    public static UserOp Pause() => new(SyscallNumber.rt_sigsuspend, UserScript.MaskAddress, 8);

    public static UserOp Read(int fd, ulong buffer, int count) => new(SyscallNumber.read, (ulong)fd, buffer, (ulong)count);

    public static UserOp Write(int fd, ulong buffer, int count) => new(SyscallNumber.write, (ulong)fd, buffer, (ulong)count);

    public static UserOp Close(int fd) => new(SyscallNumber.close, (ulong)fd);

    /// <summary>poll(fds, nfds, timeout): the struct pollfd array at <paramref name="fds"/>.</summary>
    public static UserOp Poll(ulong fds, int nfds, int timeoutMs) => new(SyscallNumber.poll, fds, (ulong)nfds, (ulong)(long)timeoutMs);

    public static UserOp Fork(UserProgram child) => new(SyscallNumber.fork, child: child);

    /// <summary>Any other call with up to four arguments (the socket calls, say).</summary>
    public static UserOp Syscall(int number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0) => new(number, a0, a1, a2, a3);

    /// <summary>flock(fd, operation).</summary>
    public static UserOp Flock(int fd, int operation) => new(SyscallNumber.flock, (ulong)fd, (ulong)operation);

    /// <summary>fcntl(fd, cmd, arg): arg is a pointer for the record-lock commands.</summary>
    public static UserOp Fcntl(int fd, int cmd, ulong arg) => new(SyscallNumber.fcntl, (ulong)fd, (ulong)cmd, arg);

    /// <summary>exit(code): ends the calling thread only (the process ends with its last thread).</summary>
    public static UserOp ExitThread(int code) => new(SyscallNumber.exit, (ulong)code);

    /// <summary>clone() as pthread_create makes a thread, with <paramref name="tls"/> as its FS base:
    /// the scripted user mode tells threads of one space apart by it, so each thread's must differ.</summary>
    public static UserOp CloneThread(UserProgram thread, ulong tls) => new(SyscallNumber.clone,
        Kevlar.Process.Syscalls.Fork.CLONE_VM | Kevlar.Process.Syscalls.Fork.CLONE_FS | Kevlar.Process.Syscalls.Fork.CLONE_FILES
        | Kevlar.Process.Syscalls.Fork.CLONE_SIGHAND | Kevlar.Process.Syscalls.Fork.CLONE_THREAD | Kevlar.Process.Syscalls.Fork.CLONE_SYSVSEM
        | Kevlar.Process.Syscalls.Fork.CLONE_SETTLS,
        0, 0, 0, thread, tls);

    /// <summary>futex(word, FUTEX_WAIT_PRIVATE, expected, NULL).</summary>
    public static UserOp FutexWait(ulong word, uint expected) => new(SyscallNumber.futex, word, Futex.FUTEX_WAIT | Futex.FUTEX_PRIVATE_FLAG, expected);

    /// <summary>futex(word, FUTEX_WAKE_PRIVATE, count).</summary>
    public static UserOp FutexWake(ulong word, int count) => new(SyscallNumber.futex, word, Futex.FUTEX_WAKE | Futex.FUTEX_PRIVATE_FLAG, (ulong)count);
}
