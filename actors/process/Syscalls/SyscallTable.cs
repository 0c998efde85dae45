// SyscallTable: system call number → handler. Each handler lives in its own
// file named after the syscall (Write.cs, Brk.cs, ...) and registers itself
// in Register below; a number with no handler returns -ENOSYS and is counted
// (Missing), never faked. With tracing on, one line per call: pid, name, raw
// arguments, result or errno name, and "ENOSYS (not implemented)" marked.
using Kevlar.Runtime.Async;
using Kevlar.Runtime.UserMode;

using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Process.Syscalls;

public delegate long SyscallHandler(UserThread thread, in SyscallArgs args);

/// <summary>A syscall that may wait: an async method whose task completes on the thread's CPU.</summary>
public delegate KernelTask<long> AsyncSyscallHandler(UserThread thread, SyscallArgs args);

public sealed class SyscallTable
{
    private readonly SyscallHandler?[] _handlers = new SyscallHandler?[SyscallNames.Count];
    private readonly AsyncSyscallHandler?[] _asyncHandlers = new AsyncSyscallHandler?[SyscallNames.Count];
    private readonly bool[] _restartable = new bool[SyscallNames.Count];
    private readonly long[] _missing = new long[SyscallNames.Count];
    private readonly ProcessHost _host;

    public SyscallTable(ProcessHost host)
    {
        _host = host;
        Register();
        // The reports name the calls they list; the names are built here, so a report allocates nothing.
        SyscallNames.Of(0);
        SyscallRing.NameOf = SyscallNames.Of;
    }

    private void Register()
    {
        SetAsync(SyscallNumber.read, ReadWrite.Read, restartable: true);
        SetAsync(SyscallNumber.write, ReadWrite.Write, restartable: true);
        SetAsync(SyscallNumber.readv, ReadWrite.Readv, restartable: true);
        SetAsync(SyscallNumber.writev, ReadWrite.Writev, restartable: true);
        Set(SyscallNumber.close, Close.Invoke);
        SetAsync(SyscallNumber.fstat, Fstat.Invoke);
        SetAsync(SyscallNumber.lseek, Lseek.Invoke);
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
        Set(SyscallNumber.sethostname, Hostname.InvokeSetHostName);
        Set(SyscallNumber.setdomainname, Hostname.InvokeSetDomainName);
        SetAsync(SyscallNumber.unshare, Unshare.Invoke);
        SetAsync(SyscallNumber.setns, Setns.Invoke);
        Set(SyscallNumber.clock_gettime, ClockGettime.Invoke);
        Set(SyscallNumber.sched_yield, SchedYield.Invoke);
        SetAsync(SyscallNumber.open, Open.InvokeOpen, restartable: true);
        SetAsync(SyscallNumber.openat, Open.InvokeOpenat, restartable: true);
        SetAsync(SyscallNumber.creat, Open.InvokeCreat);
        SetAsync(SyscallNumber.chroot, Cwd.Chroot);
        SetAsync(SyscallNumber.stat, Stat.InvokeStat);
        SetAsync(SyscallNumber.lstat, Stat.InvokeLstat);
        SetAsync(SyscallNumber.newfstatat, Stat.InvokeNewfstatat);
        SetAsync(SyscallNumber.getdents64, Getdents64.Invoke);
        SetAsync(SyscallNumber.getcwd, Cwd.Getcwd);
        SetAsync(SyscallNumber.chdir, Cwd.Chdir);
        Set(SyscallNumber.fchdir, Cwd.Fchdir);
        SetAsync(SyscallNumber.access, Access.InvokeAccess);
        SetAsync(SyscallNumber.faccessat, Access.InvokeFaccessat);
        SetAsync(SyscallNumber.faccessat2, Access.InvokeFaccessat2);
        SetAsync(SyscallNumber.readlink, Readlink.InvokeReadlink);
        SetAsync(SyscallNumber.readlinkat, Readlink.InvokeReadlinkat);
        Set(SyscallNumber.dup, Dup.InvokeDup);
        Set(SyscallNumber.dup2, Dup.InvokeDup2);
        Set(SyscallNumber.dup3, Dup.InvokeDup3);
        SetAsync(SyscallNumber.fcntl, Fcntl.InvokeAsync, restartable: true);
        SetAsync(SyscallNumber.flock, Flock.InvokeAsync, restartable: true);
        Set(SyscallNumber.rt_sigaction, Sigaction.InvokeSigaction);
        Set(SyscallNumber.rt_sigprocmask, Sigaction.InvokeSigprocmask);
        Set(SyscallNumber.rt_sigpending, Sigaction.InvokeSigpending);
        Set(SyscallNumber.sigaltstack, Sigaction.InvokeSigaltstack);
        Set(SyscallNumber.getrlimit, Rlimit.InvokeGetrlimit);
        Set(SyscallNumber.setrlimit, Rlimit.InvokeSetrlimit);
        Set(SyscallNumber.prlimit64, Rlimit.InvokePrlimit64);
        Set(SyscallNumber.getrandom, Getrandom.Invoke);
        Set(SyscallNumber.set_robust_list, Robust.InvokeSet);
        Set(SyscallNumber.get_robust_list, Robust.InvokeGet);
        Set(SyscallNumber.umask, Umask.Invoke);
        Set(SyscallNumber.getpgrp, Sessions.Getpgrp);
        Set(SyscallNumber.getpgid, Sessions.Getpgid);
        Set(SyscallNumber.setpgid, Sessions.Setpgid);
        Set(SyscallNumber.getsid, Sessions.Getsid);
        Set(SyscallNumber.setsid, Sessions.Setsid);
        Set(SyscallNumber.setuid, Credentials.Setuid);
        Set(SyscallNumber.setgid, Credentials.Setgid);
        Set(SyscallNumber.setreuid, Credentials.Setreuid);
        Set(SyscallNumber.setregid, Credentials.Setregid);
        Set(SyscallNumber.setresuid, Credentials.Setresuid);
        Set(SyscallNumber.setresgid, Credentials.Setresgid);
        Set(SyscallNumber.getresuid, Credentials.Getresuid);
        Set(SyscallNumber.getresgid, Credentials.Getresgid);
        Set(SyscallNumber.getgroups, Credentials.Getgroups);
        Set(SyscallNumber.setgroups, Credentials.Setgroups);
        Set(SyscallNumber.gettimeofday, TimeOfDay.Gettimeofday);
        Set(SyscallNumber.time, TimeOfDay.Time);
        Set(SyscallNumber.clock_getres, TimeOfDay.ClockGetres);
        Set(SyscallNumber.sched_getaffinity, Affinity.Getaffinity);
        Set(SyscallNumber.sched_setaffinity, Affinity.Setaffinity);
        Set(SyscallNumber.getcpu, Affinity.Getcpu);
        Set(SyscallNumber.prctl, Prctl.Invoke);
        Set(SyscallNumber.times, Usage.Times);
        Set(SyscallNumber.getrusage, Usage.Getrusage);
        Set(SyscallNumber.sysinfo, Usage.Sysinfo);
        SetAsync(SyscallNumber.fork, Fork.InvokeFork);
        SetAsync(SyscallNumber.vfork, Fork.InvokeVfork);
        SetAsync(SyscallNumber.clone, Fork.InvokeClone);
        SetAsync(SyscallNumber.execve, Execve.Invoke);
        SetAsync(SyscallNumber.wait4, Wait4.Invoke, restartable: true);
        Set(SyscallNumber.kill, Kill.InvokeKill);
        Set(SyscallNumber.tkill, Kill.InvokeTkill);
        Set(SyscallNumber.tgkill, Kill.InvokeTgkill);
        Set(SyscallNumber.rt_sigreturn, Sigreturn.Invoke);
        SetAsync(SyscallNumber.rt_sigsuspend, Sigsuspend.Invoke);
        SetAsync(SyscallNumber.nanosleep, Nanosleep.InvokeNanosleep);
        SetAsync(SyscallNumber.clock_nanosleep, Nanosleep.InvokeClockNanosleep);
        SetAsync(SyscallNumber.futex, Futex.Invoke, restartable: true);
        SetAsync(SyscallNumber.pause, Pause.Invoke);
        SetAsync(SyscallNumber.waitid, Waitid.Invoke, restartable: true);
        Set(SyscallNumber.madvise, Madvise.Invoke);
        Set(SyscallNumber.mremap, Mremap.Invoke);
        SetAsync(SyscallNumber.statx, Statx.Invoke);
        SetAsync(SyscallNumber.mkdir, Mkdir.InvokeMkdir);
        SetAsync(SyscallNumber.mkdirat, Mkdir.InvokeMkdirat);
        SetAsync(SyscallNumber.mknod, Mkdir.InvokeMknod);
        SetAsync(SyscallNumber.mknodat, Mkdir.InvokeMknodat);
        SetAsync(SyscallNumber.unlink, Unlink.InvokeUnlink);
        SetAsync(SyscallNumber.unlinkat, Unlink.InvokeUnlinkat);
        SetAsync(SyscallNumber.rmdir, Unlink.InvokeRmdir);
        SetAsync(SyscallNumber.rename, Rename.InvokeRename);
        SetAsync(SyscallNumber.renameat, Rename.InvokeRenameat);
        SetAsync(SyscallNumber.renameat2, Rename.InvokeRenameat2);
        SetAsync(SyscallNumber.link, Link.InvokeLink);
        SetAsync(SyscallNumber.linkat, Link.InvokeLinkat);
        SetAsync(SyscallNumber.symlink, Link.InvokeSymlink);
        SetAsync(SyscallNumber.symlinkat, Link.InvokeSymlinkat);
        SetAsync(SyscallNumber.chmod, Chmod.InvokeChmod);
        SetAsync(SyscallNumber.fchmod, Chmod.InvokeFchmod);
        SetAsync(SyscallNumber.fchmodat, Chmod.InvokeFchmodat);
        SetAsync(SyscallNumber.chown, Chmod.InvokeChown);
        SetAsync(SyscallNumber.fchown, Chmod.InvokeFchown);
        SetAsync(SyscallNumber.lchown, Chmod.InvokeLchown);
        SetAsync(SyscallNumber.fchownat, Chmod.InvokeFchownat);
        SetAsync(SyscallNumber.utimensat, Utimes.InvokeUtimensat);
        SetAsync(SyscallNumber.utimes, Utimes.InvokeUtimes);
        SetAsync(SyscallNumber.futimesat, Utimes.InvokeFutimesat);
        SetAsync(SyscallNumber.utime, Utimes.InvokeUtime);
        SetAsync(SyscallNumber.truncate, Truncate.InvokeTruncate);
        SetAsync(SyscallNumber.ftruncate, Truncate.InvokeFtruncate);
        SetAsync(SyscallNumber.statfs, Statfs.InvokeStatfs);
        SetAsync(SyscallNumber.fstatfs, Statfs.InvokeFstatfs);
        Set(SyscallNumber.sync, Sync.InvokeSync);
        Set(SyscallNumber.syncfs, Sync.InvokeSyncfs);
        Set(SyscallNumber.fsync, Sync.InvokeFsync);
        Set(SyscallNumber.fdatasync, Sync.InvokeFsync);
        SetAsync(SyscallNumber.pread64, Pread.InvokePread64, restartable: true);
        SetAsync(SyscallNumber.pwrite64, Pread.InvokePwrite64, restartable: true);
        SetAsync(SyscallNumber.preadv, Pread.InvokePreadv, restartable: true);
        SetAsync(SyscallNumber.pwritev, Pread.InvokePwritev, restartable: true);
        SetAsync(SyscallNumber.sendfile, Sendfile.InvokeSendfile, restartable: true);
        SetAsync(SyscallNumber.copy_file_range, Sendfile.InvokeCopyFileRange);
        SetAsync(SyscallNumber.fallocate, Fallocate.InvokeFallocate);
        Set(SyscallNumber.fadvise64, Fallocate.InvokeFadvise64);
        Set(SyscallNumber.syslog, Syslog.Invoke);
        Set(SyscallNumber.pipe, PipeCreate.InvokePipe);
        Set(SyscallNumber.pipe2, PipeCreate.InvokePipe2);
        SetAsync(SyscallNumber.poll, Poll.InvokePoll);
        SetAsync(SyscallNumber.ppoll, Poll.InvokePpoll);
        SetAsync(SyscallNumber.select, Select.InvokeSelect);
        SetAsync(SyscallNumber.pselect6, Select.InvokePselect6);
        SetAsync(SyscallNumber.ioctl, Ioctl.InvokeAsync);
        SetAsync(SyscallNumber.reboot, Reboot.Invoke);
        SetAsync(SyscallNumber.rt_sigtimedwait, Sigtimedwait.Invoke);
        Set(SyscallNumber.eventfd, Eventfd.InvokeEventfd);
        Set(SyscallNumber.eventfd2, Eventfd.InvokeEventfd2);
        Set(SyscallNumber.timerfd_create, Timerfd.InvokeCreate);
        Set(SyscallNumber.getitimer, Itimer.InvokeGetitimer);
        Set(SyscallNumber.setitimer, Itimer.InvokeSetitimer);
        Set(SyscallNumber.alarm, Itimer.InvokeAlarm);
        SetAsync(SyscallNumber.timerfd_settime, Timerfd.InvokeSettime);
        SetAsync(SyscallNumber.timerfd_gettime, Timerfd.InvokeGettime);
        Set(SyscallNumber.signalfd, Signalfd.InvokeSignalfd);
        Set(SyscallNumber.signalfd4, Signalfd.InvokeSignalfd4);
        Set(SyscallNumber.epoll_create, EpollCreate.InvokeCreate);
        Set(SyscallNumber.epoll_create1, EpollCreate.InvokeCreate1);
        SetAsync(SyscallNumber.epoll_ctl, EpollCtl.Invoke);
        SetAsync(SyscallNumber.epoll_wait, EpollWait.InvokeWait);
        SetAsync(SyscallNumber.epoll_pwait, EpollWait.InvokePwait);
        SetAsync(SyscallNumber.epoll_pwait2, EpollWait.InvokePwait2);
        SetAsync(SyscallNumber.mount, MountCall.InvokeMount);
        SetAsync(SyscallNumber.umount2, MountCall.InvokeUmount2);
        SetAsync(SyscallNumber.pivot_root, PivotRoot.Invoke);
        Set(SyscallNumber.socket, SocketCreate.InvokeSocket);
        Set(SyscallNumber.socketpair, SocketCreate.InvokeSocketpair);
        SetAsync(SyscallNumber.bind, Bind.Invoke);
        SetAsync(SyscallNumber.listen, Listen.Invoke);
        SetAsync(SyscallNumber.connect, Connect.Invoke, restartable: true);
        SetAsync(SyscallNumber.accept, Accept.InvokeAccept, restartable: true);
        SetAsync(SyscallNumber.accept4, Accept.InvokeAccept4, restartable: true);
        SetAsync(SyscallNumber.sendto, Send.InvokeSendto, restartable: true);
        SetAsync(SyscallNumber.sendmsg, Send.InvokeSendmsg, restartable: true);
        SetAsync(SyscallNumber.recvfrom, Recv.InvokeRecvfrom, restartable: true);
        SetAsync(SyscallNumber.recvmsg, Recv.InvokeRecvmsg, restartable: true);
        SetAsync(SyscallNumber.sendmmsg, Mmsg.InvokeSendmmsg, restartable: true);
        SetAsync(SyscallNumber.recvmmsg, Mmsg.InvokeRecvmmsg);
        SetAsync(SyscallNumber.shutdown, Shutdown.Invoke);
        SetAsync(SyscallNumber.getsockname, SockName.InvokeGetsockname);
        SetAsync(SyscallNumber.getpeername, SockName.InvokeGetpeername);
        SetAsync(SyscallNumber.getsockopt, SockOpt.InvokeGetsockopt);
        SetAsync(SyscallNumber.setsockopt, SockOpt.InvokeSetsockopt);
    }

    private void Set(int number, SyscallHandler handler) => _handlers[number] = handler;

    /// <summary>Registers a handler that may wait; <paramref name="restartable"/> says whether a
    /// signal whose handler has SA_RESTART makes the call again (signal(7)'s list) rather than
    /// ending it with -EINTR.</summary>
    private void SetAsync(int number, AsyncSyscallHandler handler, bool restartable = false)
    {
        _asyncHandlers[number] = handler;
        _restartable[number] = restartable;
    }

    /// <summary>Whether <paramref name="number"/> has a handler.</summary>
    public bool IsImplemented(int number)
        => number >= 0 && number < _handlers.Length && (_handlers[number] != null || _asyncHandlers[number] != null);

    /// <summary>How often a program asked for <paramref name="number"/> and got -ENOSYS.</summary>
    public long Missing(int number) => number >= 0 && number < _missing.Length ? _missing[number] : 0;

    /// <summary>Runs the call in the thread's registers and puts the result in rax. Returns false
    /// when the call waits: the thread is blocked and resumes when its task completes.</summary>
    public bool Dispatch(UserThread thread)
    {
        ref UserRegisters r = ref thread.Registers;
        long number = (long)r.Rax;
        r.OrigRax = r.Rax;
        var args = new SyscallArgs(r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9);
        int cpu = _host.Scheduler.Platform.CurrentCpu;
        SyscallRing.Enter(cpu, thread.Process.Pid, thread.Tid, number, r.Rdi, r.Rsi, r.Rdx);
        if (number == _host.PanicOnSyscall && number >= 0) Kassert.True(false, "deliberate assertion at system call (kevlar.fault=syscall:N)");
        bool known = number >= 0 && number < _handlers.Length;
        SyscallHandler? handler = known ? _handlers[(int)number] : null;
        AsyncSyscallHandler? waiting = known ? _asyncHandlers[(int)number] : null;
        long result;
        if (waiting != null)
        {
            KernelTask<long> task = waiting(thread, args);
            if (!task.IsCompleted)
            {
                if (_host.TraceSyscalls) SyscallTrace.Blocked(_host, thread, number, in args);
                thread.Block(task, _restartable[(int)number]);
                return false;
            }
            result = task.Result;
            thread.OnInterrupt(null);
            if (result == -InternalErrno.ERESTARTSYS)
            {
                thread.SetInterruptedResult(_restartable[(int)number]);
                if (_host.TraceSyscalls) SyscallTrace.Line(_host, thread, number, in args, (long)thread.Registers.Rax, false);
                return true;
            }
        }
        else if (handler == null)
        {
            if (known) _missing[(int)number]++;
            result = -Errno.ENOSYS;
        }
        else
        {
            result = handler(thread, in args);
        }
        if (_host.TraceSyscalls) SyscallTrace.Line(_host, thread, number, in args, result, handler == null && waiting == null);
        thread.Registers.Rax = (ulong)result;
        SyscallRing.Exit(cpu, result);
        return true;
    }
}
