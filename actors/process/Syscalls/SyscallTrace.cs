// SyscallTrace: the --trace-syscalls line, written to the console:
//   [pid 1] write(0x1, 0x4a1b20, 0xd) = 13
//   [pid 1] rseq(...) = -38 ENOSYS (not implemented)
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Syscalls;

public static class SyscallTrace
{
    /// <summary>A call that waits: its line now, its result when it resumes (in the thread's trace).</summary>
    public static void Blocked(ProcessHost host, UserThread thread, long number, in SyscallArgs args)
    {
        string name = SyscallNames.Of(number) ?? string.Concat("syscall_", NumberText.Decimal(number));
        string line = string.Concat("[pid ", NumberText.Decimal(thread.Process.Pid), "] ", name);
        line = string.Concat(line, "(", NumberText.Hex(args[0]), ", ...) waits\n");
        host.Console.Write(Latin1.Encode(line) ?? new byte[0]);
    }

    public static void Line(ProcessHost host, UserThread thread, long number, in SyscallArgs args, long result, bool missing)
    {
        string name = SyscallNames.Of(number) ?? string.Concat("syscall_", NumberText.Decimal(number));
        string line = string.Concat("[pid ", NumberText.Decimal(thread.Process.Pid), "] ", name);
        line = string.Concat(line, "(", NumberText.Hex(args[0]), ", ");
        line = string.Concat(line, NumberText.Hex(args[1]), ", ", NumberText.Hex(args[2]));
        line = string.Concat(line, ", ", NumberText.Hex(args[3]));
        line = string.Concat(line, ") = ", NumberText.Decimal(result));
        if (result < 0 && result >= -4095) line = string.Concat(line, " ", ErrnoNames.Of((int)-result));
        if (missing) line = string.Concat(line, " (not implemented)");
        line = string.Concat(line, "\n");
        host.Console.Write(Latin1.Encode(line) ?? new byte[0]);
    }
}
