// SyscallTable: system call number → handler. Each handler lives in its own
// file named after the syscall (Write.cs, Brk.cs, ...) and registers itself
// in Register below; a number with no handler returns -ENOSYS and is counted
// (Missing), never faked. With tracing on, one line per call: pid, name, raw
// arguments, result or errno name, and "ENOSYS (not implemented)" marked.
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Syscalls;

public delegate long SyscallHandler(UserThread thread, in SyscallArgs args);

public sealed class SyscallTable
{
    private readonly SyscallHandler?[] _handlers = new SyscallHandler?[SyscallNames.Count];
    private readonly long[] _missing = new long[SyscallNames.Count];
    private readonly ProcessHost _host;

    public SyscallTable(ProcessHost host)
    {
        _host = host;
        Register();
    }

    private void Register()
    {
        Set(SyscallNumber.read, ReadWrite.Read);
        Set(SyscallNumber.write, ReadWrite.Write);
        Set(SyscallNumber.readv, ReadWrite.Readv);
        Set(SyscallNumber.writev, ReadWrite.Writev);
        Set(SyscallNumber.close, Close.Invoke);
        Set(SyscallNumber.fstat, Fstat.Invoke);
        Set(SyscallNumber.lseek, Lseek.Invoke);
        Set(SyscallNumber.ioctl, Ioctl.Invoke);
        Set(SyscallNumber.brk, Brk.Invoke);
        Set(SyscallNumber.mmap, Mmap.Invoke);
        Set(SyscallNumber.munmap, Munmap.Invoke);
        Set(SyscallNumber.mprotect, Mprotect.Invoke);
        Set(SyscallNumber.exit, Exit.Invoke);
        Set(SyscallNumber.exit_group, Exit.InvokeGroup);
        Set(SyscallNumber.getpid, Ids.Getpid);
        Set(SyscallNumber.getppid, Ids.Getppid);
        Set(SyscallNumber.gettid, Ids.Gettid);
        Set(SyscallNumber.getuid, Ids.Getuid);
        Set(SyscallNumber.geteuid, Ids.Geteuid);
        Set(SyscallNumber.getgid, Ids.Getgid);
        Set(SyscallNumber.getegid, Ids.Getegid);
        Set(SyscallNumber.arch_prctl, ArchPrctl.Invoke);
        Set(SyscallNumber.set_tid_address, SetTidAddress.Invoke);
        Set(SyscallNumber.uname, Uname.Invoke);
        Set(SyscallNumber.clock_gettime, ClockGettime.Invoke);
        Set(SyscallNumber.sched_yield, SchedYield.Invoke);
    }

    private void Set(int number, SyscallHandler handler) => _handlers[number] = handler;

    /// <summary>Whether <paramref name="number"/> has a handler.</summary>
    public bool IsImplemented(int number) => number >= 0 && number < _handlers.Length && _handlers[number] != null;

    /// <summary>How often a program asked for <paramref name="number"/> and got -ENOSYS.</summary>
    public long Missing(int number) => number >= 0 && number < _missing.Length ? _missing[number] : 0;

    /// <summary>Runs the call in the thread's registers and puts the result in rax.</summary>
    public void Dispatch(UserThread thread)
    {
        ref UserRegisters r = ref thread.Registers;
        long number = (long)r.Rax;
        var args = new SyscallArgs(r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9);
        bool known = number >= 0 && number < _handlers.Length;
        SyscallHandler? handler = known ? _handlers[(int)number] : null;
        long result;
        if (handler == null)
        {
            if (known) _missing[(int)number]++;
            result = -Errno.ENOSYS;
        }
        else
        {
            result = handler(thread, in args);
        }
        if (_host.TraceSyscalls) SyscallTrace.Line(_host, thread, number, in args, result, handler == null);
        thread.Registers.Rax = (ulong)result;
    }
}
