// syslog(2) (glibc's klogctl): the kernel message log, for dmesg. Actions:
// 0 close and 1 open (nothing to do), 3 READ_ALL and 4 READ_CLEAR (the bytes
// held, then forget them for 4), 5 CLEAR, 6/7 CONSOLE_OFF/ON and 8
// CONSOLE_LEVEL (1..8; accepted, the console level is not kept), 9
// SIZE_UNREAD, 10 SIZE_BUFFER. 2 READ, Linux's destructive read, returns what
// was not read yet and marks it read; where Linux would wait for a first
// message it returns 0 (nothing here logs after boot without a reader's
// knowing: only kernel panics and boot lines are written). Reading and
// clearing need root (-EPERM), as with dmesg_restrict; a negative
// length or a NULL buffer is -EINVAL; an unknown action -EINVAL.
using System;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Syslog
{
    public const int SYSLOG_ACTION_CLOSE = 0, SYSLOG_ACTION_OPEN = 1, SYSLOG_ACTION_READ = 2, SYSLOG_ACTION_READ_ALL = 3,
        SYSLOG_ACTION_READ_CLEAR = 4, SYSLOG_ACTION_CLEAR = 5, SYSLOG_ACTION_CONSOLE_OFF = 6, SYSLOG_ACTION_CONSOLE_ON = 7,
        SYSLOG_ACTION_CONSOLE_LEVEL = 8, SYSLOG_ACTION_SIZE_UNREAD = 9, SYSLOG_ACTION_SIZE_BUFFER = 10;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        int action = a.Int(0), length = a.Int(2);
        ulong buffer = a.Pointer(1);
        var log = t.Process.Host.KernelLog;
        if (action < SYSLOG_ACTION_CLOSE || action > SYSLOG_ACTION_SIZE_BUFFER) return -Errno.EINVAL;
        if (action != SYSLOG_ACTION_SIZE_BUFFER && t.Process.Euid != 0) return -Errno.EPERM;
        switch (action)
        {
            case SYSLOG_ACTION_CLOSE:
            case SYSLOG_ACTION_OPEN:
            case SYSLOG_ACTION_CONSOLE_OFF:
            case SYSLOG_ACTION_CONSOLE_ON:
                return 0;
            case SYSLOG_ACTION_CONSOLE_LEVEL:
                return length < 1 || length > 8 ? -Errno.EINVAL : 0;
            case SYSLOG_ACTION_CLEAR:
                log.Clear();
                return 0;
            case SYSLOG_ACTION_SIZE_UNREAD:
                return log.Unread;
            case SYSLOG_ACTION_SIZE_BUFFER:
                return log.Capacity;
        }
        if (buffer == 0 || length < 0) return -Errno.EINVAL;
        if (length == 0) return 0;
        var bytes = new byte[Math.Min(length, log.Capacity)];
        int n = log.Read(bytes, action != SYSLOG_ACTION_READ_ALL);
        if (t.Process.UserMemory.Write(buffer, new ReadOnlySpan<byte>(bytes, 0, n)) != 0) return -Errno.EFAULT;
        if (action == SYSLOG_ACTION_READ_CLEAR || action == SYSLOG_ACTION_READ) log.Clear();
        return n;
    }
}
