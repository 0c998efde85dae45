/* fuzz: random system calls from several processes, in the style of trinity's
 * argument generators and syzkaller's descriptions. A supervisor forks P
 * workers (each in its own process group, fds 0-2 on /dev/null) and replaces
 * each one that dies; every worker draws calls from DESCRIPTIONS below, with
 * arguments of the kind each syscall takes and resources that flow between
 * calls (fds from open/pipe/eventfd/epoll/timerfd/signalfd/dup, mappings from
 * mmap, child pids from fork, futex words in shared memory). A SIGALRM every
 * 20 ms (ITIMER_REAL, no SA_RESTART) ends any call that blocks. A second
 * thread of each worker (flipper) keeps remapping two pages that pointers
 * sometimes point into, so buffers change under the calls from another CPU.
 *
 * Rules, stated here rather than skipped silently (see RULE_*):
 *   never  reboot (ends the machine); SIGALRM's action (the watchdog); signal masks
 *          that block SIGALRM (every sigset drawn has it cleared); kill/tkill/
 *          tgkill of pid -1, 1 or the supervisor, or a stop signal (a stopped
 *          worker is not a finding); prlimit64 and sched_setaffinity of the
 *          supervisor or init. execve gets paths from the pool, none of them a
 *          program. The machine is a throw-away VM: never run this natively.
 *   itimer alarm and setitimer (ITIMER_REAL too) are made, and the worker arms its
 *          20 ms watchdog again right after.
 *   child  a successful fork/vfork/clone child exits at once (vfork's shares
 *          the parent's memory).
 *   sigreturn  rt_sigreturn, as rarely as exit, runs on a frame of random bytes
 *          (segment selectors, flags, the FPU state pointer, the mask) whose
 *          stack and instruction pointers lead to _exit, so a frame the kernel
 *          takes ends the worker cleanly and a bad one gets it SIGSEGV — never
 *          a jump into the worker's own code with random registers, which
 *          could scribble on the shared counters. arch_prctl may move the
 *          worker's FS base (its C library's thread pointer) and kill it.
 *
 * After the run (workers killed, the sandbox removed) the kernel heap's live data and the free
 * memory must be where they were before it, within HEAP_SLACK_KIB and FREE_SLACK_KIB: more is a
 * leak (exit 3, the LEAK line, and the heap census says what grew). The summary also lists the
 * names anywhere (but /proc and /dev/pts) changed during the run and compares /proc/mounts with
 * before, so residue the workers left outside the sandbox shows for what it is. A worker may
 * unmount the sandbox (umount2 of its "/"): the supervisor mounts a new one before the next
 * worker starts, so none fuzzes the real tree.
 *
 * usage: fuzz [--seed S] [--calls N] [--seconds T] [--procs P] [--only NAMES | --skip NAMES]
 *             [--generation G [--keep INDICES] [--print-calls]]
 * --only/--skip take comma-separated syscall names: the calls drawn are those (or all but
 * those), to narrow down what a finding needs; the summary says which were left out.
 * Worker generation G (the G-th worker the supervisor started; "fuzz: worker PID gen G" at
 * each start) draws from seed S + 7919 G, so --generation G runs that worker alone, its
 * WORKER_CALLS calls drawn the same; --keep (comma-separated indices and ranges a-b) makes
 * only those calls, drawing the others without making them (the minimizer,
 * qemu/fuzz-minimize.sh, shrinks this list); --print-calls prints each call on the console.
 * Prints progress each second and a summary; exits 0 when the run ended,
 * 1 when no worker made progress for 10 s or one outlived SIGKILL (a hang the kernel
 * survived), 3 for a leak. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>

#define MAX_NR 512
#define SANDBOX "/tmp/fuzz-root" /* the workers' root (make_files) */
#define HEAP_SLACK_KIB 256
#define FREE_SLACK_KIB 1024
#define POOL_SLOTS 64
#define MAX_ERRNO 200
#define PAGE 4096UL
#define STATS_AT 0x6e0000000000UL
#define NULL_FD 200 /* the supervisor's /dev/null, opened before any worker could remove it */
#define FUTEX_AT 0x6d0000000000UL

enum rule { RULE_NONE, RULE_NEVER, RULE_KILL, RULE_NOT_SUPERVISOR, RULE_CHILD, RULE_SIGACTION, RULE_ITIMER, RULE_EXIT, RULE_SIGRETURN };

/* Argument kinds, one letter each:
 *  F fd from the pool   R readable buffer     W writable buffer   L length
 *  P path from the pool p pid                 s signal number     f flags (the call's set + random bits)
 *  m mode               i small int           u uid/gid           a address (a mapping, or another)
 *  t timespec/timeval   S sigset pointer      n sigset size (8)   o offset
 *  x any 64-bit value   M pselect6's { sigset pointer, size } (the sigset as S)
 *  A address family (mostly AF_UNIX)           U sockaddr pointer (mostly one of SOCKADDRS)
 *  l a sockaddr length (mostly the one SOCKADDRS' entries have)
 *  - unused */
struct desc {
    int nr;
    const char *name;
    const char *kinds;
    const long *flags;
    int nflags;
    enum rule rule;
};

#define SET(...) (const long[]){__VA_ARGS__}, (int)(sizeof((const long[]){__VA_ARGS__}) / sizeof(long))
#define NOSET NULL, 0

static const struct desc DESCRIPTIONS[] = {
    {SYS_read, "read", "FWL", NOSET, RULE_NONE},
    {SYS_write, "write", "FRL", NOSET, RULE_NONE},
    {SYS_open, "open", "Pfm", SET(O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH, O_TMPFILE), RULE_NONE},
    {SYS_openat, "openat", "FPfm", SET(O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH, O_TMPFILE), RULE_NONE},
    {SYS_creat, "creat", "Pm", NOSET, RULE_NONE},
    {SYS_close, "close", "F", NOSET, RULE_NONE},
    {SYS_stat, "stat", "PW", NOSET, RULE_NONE},
    {SYS_fstat, "fstat", "FW", NOSET, RULE_NONE},
    {SYS_lstat, "lstat", "PW", NOSET, RULE_NONE},
    {SYS_newfstatat, "newfstatat", "FPWf", SET(AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_NO_AUTOMOUNT), RULE_NONE},
    {SYS_statx, "statx", "FPfiW", SET(AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 0xfff), RULE_NONE},
    {SYS_poll, "poll", "Wii", NOSET, RULE_NONE},
    {SYS_ppoll, "ppoll", "WitSn", NOSET, RULE_NONE},
    {SYS_select, "select", "iWWWt", NOSET, RULE_NONE},
    {SYS_pselect6, "pselect6", "iWWWtM", NOSET, RULE_NONE},
    {SYS_lseek, "lseek", "Foi", NOSET, RULE_NONE},
    {SYS_mmap, "mmap", "aLffFo", SET(PROT_READ, PROT_WRITE, PROT_EXEC, MAP_SHARED, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_NORESERVE, MAP_POPULATE), RULE_NONE},
    {SYS_mprotect, "mprotect", "aLf", SET(PROT_READ, PROT_WRITE, PROT_EXEC, PROT_GROWSDOWN), RULE_NONE},
    {SYS_munmap, "munmap", "aL", NOSET, RULE_NONE},
    {SYS_mremap, "mremap", "aLLfa", SET(MREMAP_MAYMOVE, MREMAP_FIXED, 4), RULE_NONE},
    {SYS_madvise, "madvise", "aLi", NOSET, RULE_NONE},
    {SYS_brk, "brk", "a", NOSET, RULE_NONE},
    {SYS_rt_sigaction, "rt_sigaction", "sRWn", NOSET, RULE_SIGACTION},
    {SYS_rt_sigprocmask, "rt_sigprocmask", "iSWn", NOSET, RULE_NONE},
    {SYS_rt_sigpending, "rt_sigpending", "Wn", NOSET, RULE_NONE},
    {SYS_rt_sigsuspend, "rt_sigsuspend", "Sn", NOSET, RULE_NONE},
    {SYS_rt_sigtimedwait, "rt_sigtimedwait", "SWtn", NOSET, RULE_NONE},
    {SYS_sigaltstack, "sigaltstack", "RW", NOSET, RULE_NONE},
    {SYS_ioctl, "ioctl", "Fxx", NOSET, RULE_NONE},
    {SYS_pread64, "pread64", "FWLo", NOSET, RULE_NONE},
    {SYS_pwrite64, "pwrite64", "FRLo", NOSET, RULE_NONE},
    {SYS_readv, "readv", "FRi", NOSET, RULE_NONE},
    {SYS_writev, "writev", "FRi", NOSET, RULE_NONE},
    {SYS_preadv, "preadv", "FRio", NOSET, RULE_NONE},
    {SYS_pwritev, "pwritev", "FRio", NOSET, RULE_NONE},
    {SYS_access, "access", "Pi", NOSET, RULE_NONE},
    {SYS_faccessat, "faccessat", "FPi", NOSET, RULE_NONE},
    {SYS_faccessat2, "faccessat2", "FPif", SET(AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH), RULE_NONE},
    {SYS_pipe, "pipe", "W", NOSET, RULE_NONE},
    {SYS_pipe2, "pipe2", "Wf", SET(O_CLOEXEC, O_NONBLOCK, O_DIRECT), RULE_NONE},
    {SYS_sched_yield, "sched_yield", "", NOSET, RULE_NONE},
    {SYS_dup, "dup", "F", NOSET, RULE_NONE},
    {SYS_dup2, "dup2", "FF", NOSET, RULE_NONE},
    {SYS_dup3, "dup3", "FFf", SET(O_CLOEXEC), RULE_NONE},
    {SYS_pause, "pause", "", NOSET, RULE_NONE},
    {SYS_nanosleep, "nanosleep", "tW", NOSET, RULE_NONE},
    {SYS_getitimer, "getitimer", "iW", NOSET, RULE_NONE},
    {SYS_setitimer, "setitimer", "iRW", NOSET, RULE_ITIMER},
    {SYS_getpid, "getpid", "", NOSET, RULE_NONE},
    {SYS_sendfile, "sendfile", "FFWL", NOSET, RULE_NONE},
    {SYS_clone, "clone", "fxxxx", SET(SIGCHLD, CLONE_VFORK | CLONE_VM | SIGCHLD, CLONE_FILES | SIGCHLD, CLONE_FS | SIGCHLD, CLONE_PARENT_SETTID | SIGCHLD, CLONE_CHILD_SETTID | SIGCHLD), RULE_CHILD},
    {SYS_fork, "fork", "", NOSET, RULE_CHILD},
    {SYS_vfork, "vfork", "", NOSET, RULE_CHILD},
    {SYS_execve, "execve", "PRR", NOSET, RULE_NONE},
    {SYS_exit, "exit", "i", NOSET, RULE_EXIT},
    {SYS_wait4, "wait4", "pWfW", SET(WNOHANG, WUNTRACED, WCONTINUED, __WALL, __WCLONE), RULE_NONE},
    {SYS_kill, "kill", "ps", NOSET, RULE_KILL},
    {SYS_uname, "uname", "W", NOSET, RULE_NONE},
    {SYS_sethostname, "sethostname", "RL", NOSET, RULE_NONE},
    {SYS_setdomainname, "setdomainname", "RL", NOSET, RULE_NONE},
    {SYS_unshare, "unshare", "f", SET(CLONE_NEWUTS, CLONE_FILES, CLONE_FS, CLONE_SYSVSEM, CLONE_THREAD, CLONE_SIGHAND, CLONE_VM, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUSER), RULE_NONE},
    /* No namespace file is among PATHS: entering a worker's own mount namespace would put its root at
     * the real / (as on Linux), outside the sandbox; the fds here exercise the checks before that. */
    {SYS_setns, "setns", "Ff", SET(CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWPID, CLONE_NEWNET), RULE_NONE},
    {SYS_fcntl, "fcntl", "Fix", NOSET, RULE_NONE},
    {SYS_flock, "flock", "Ff", SET(1, 2, 4, 8), RULE_NONE}, /* LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN */
    {SYS_fsync, "fsync", "F", NOSET, RULE_NONE},
    {SYS_fdatasync, "fdatasync", "F", NOSET, RULE_NONE},
    {SYS_truncate, "truncate", "Po", NOSET, RULE_NONE},
    {SYS_ftruncate, "ftruncate", "Fo", NOSET, RULE_NONE},
    {SYS_getdents64, "getdents64", "FWL", NOSET, RULE_NONE},
    {SYS_getcwd, "getcwd", "WL", NOSET, RULE_NONE},
    {SYS_chdir, "chdir", "P", NOSET, RULE_NONE},
    {SYS_fchdir, "fchdir", "F", NOSET, RULE_NONE},
    {SYS_rename, "rename", "PP", NOSET, RULE_NONE},
    {SYS_renameat, "renameat", "FPFP", NOSET, RULE_NONE},
    {SYS_renameat2, "renameat2", "FPFPf", SET(1, 2, 4), RULE_NONE},
    {SYS_mkdir, "mkdir", "Pm", NOSET, RULE_NONE},
    {SYS_mkdirat, "mkdirat", "FPm", NOSET, RULE_NONE},
    {SYS_rmdir, "rmdir", "P", NOSET, RULE_NONE},
    {SYS_link, "link", "PP", NOSET, RULE_NONE},
    {SYS_linkat, "linkat", "FPFPf", SET(AT_SYMLINK_FOLLOW, AT_EMPTY_PATH), RULE_NONE},
    {SYS_unlink, "unlink", "P", NOSET, RULE_NONE},
    {SYS_unlinkat, "unlinkat", "FPf", SET(AT_REMOVEDIR), RULE_NONE},
    {SYS_symlink, "symlink", "PP", NOSET, RULE_NONE},
    {SYS_symlinkat, "symlinkat", "PFP", NOSET, RULE_NONE},
    {SYS_readlink, "readlink", "PWL", NOSET, RULE_NONE},
    {SYS_readlinkat, "readlinkat", "FPWL", NOSET, RULE_NONE},
    {SYS_chmod, "chmod", "Pm", NOSET, RULE_NONE},
    {SYS_fchmod, "fchmod", "Fm", NOSET, RULE_NONE},
    {SYS_fchmodat, "fchmodat", "FPm", NOSET, RULE_NONE},
    {SYS_chown, "chown", "Puu", NOSET, RULE_NONE},
    {SYS_fchown, "fchown", "Fuu", NOSET, RULE_NONE},
    {SYS_lchown, "lchown", "Puu", NOSET, RULE_NONE},
    {SYS_fchownat, "fchownat", "FPuuf", SET(AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH), RULE_NONE},
    {SYS_umask, "umask", "m", NOSET, RULE_NONE},
    {SYS_gettimeofday, "gettimeofday", "WW", NOSET, RULE_NONE},
    {SYS_getrlimit, "getrlimit", "iW", NOSET, RULE_NONE},
    {SYS_setrlimit, "setrlimit", "iR", NOSET, RULE_NONE},
    {SYS_prlimit64, "prlimit64", "piRW", NOSET, RULE_NOT_SUPERVISOR},
    {SYS_getrusage, "getrusage", "iW", NOSET, RULE_NONE},
    {SYS_sysinfo, "sysinfo", "W", NOSET, RULE_NONE},
    {SYS_times, "times", "W", NOSET, RULE_NONE},
    {SYS_getuid, "getuid", "", NOSET, RULE_NONE},
    {SYS_syslog, "syslog", "iWL", NOSET, RULE_NONE},
    {SYS_getgid, "getgid", "", NOSET, RULE_NONE},
    {SYS_setuid, "setuid", "u", NOSET, RULE_NONE},
    {SYS_setgid, "setgid", "u", NOSET, RULE_NONE},
    {SYS_geteuid, "geteuid", "", NOSET, RULE_NONE},
    {SYS_getegid, "getegid", "", NOSET, RULE_NONE},
    {SYS_setpgid, "setpgid", "pp", NOSET, RULE_NONE},
    {SYS_getppid, "getppid", "", NOSET, RULE_NONE},
    {SYS_getpgrp, "getpgrp", "", NOSET, RULE_NONE},
    {SYS_setsid, "setsid", "", NOSET, RULE_NONE},
    {SYS_setreuid, "setreuid", "uu", NOSET, RULE_NONE},
    {SYS_setregid, "setregid", "uu", NOSET, RULE_NONE},
    {SYS_getgroups, "getgroups", "iW", NOSET, RULE_NONE},
    {SYS_setgroups, "setgroups", "iR", NOSET, RULE_NONE},
    {SYS_setresuid, "setresuid", "uuu", NOSET, RULE_NONE},
    {SYS_getresuid, "getresuid", "WWW", NOSET, RULE_NONE},
    {SYS_setresgid, "setresgid", "uuu", NOSET, RULE_NONE},
    {SYS_getresgid, "getresgid", "WWW", NOSET, RULE_NONE},
    {SYS_getpgid, "getpgid", "p", NOSET, RULE_NONE},
    {SYS_getsid, "getsid", "p", NOSET, RULE_NONE},
    {SYS_utime, "utime", "PR", NOSET, RULE_NONE},
    {SYS_mknod, "mknod", "Pmx", SET(S_IFIFO | 0644, S_IFREG | 0600, S_IFCHR | 0600, S_IFSOCK | 0600), RULE_NONE},
    {SYS_mknodat, "mknodat", "FPmx", NOSET, RULE_NONE},
    {SYS_statfs, "statfs", "PW", NOSET, RULE_NONE},
    {SYS_fstatfs, "fstatfs", "FW", NOSET, RULE_NONE},
    {SYS_sched_setaffinity, "sched_setaffinity", "pLR", NOSET, RULE_NOT_SUPERVISOR},
    {SYS_sched_getaffinity, "sched_getaffinity", "pLW", NOSET, RULE_NONE},
    {SYS_prctl, "prctl", "ixxxx", NOSET, RULE_NONE},
    {SYS_arch_prctl, "arch_prctl", "fW", SET(0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1012), RULE_NONE},
    {SYS_chroot, "chroot", "P", NOSET, RULE_NONE},
    {SYS_sync, "sync", "", NOSET, RULE_NONE},
    {SYS_syncfs, "syncfs", "F", NOSET, RULE_NONE},
    {SYS_mount, "mount", "PPRfR", SET(MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_PRIVATE, MS_REC), RULE_NONE},
    {SYS_umount2, "umount2", "Pf", SET(MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW), RULE_NONE},
    {SYS_pivot_root, "pivot_root", "PP", NOSET, RULE_NONE},
    {SYS_reboot, "reboot", "xxxx", NOSET, RULE_NEVER},
    {SYS_gettid, "gettid", "", NOSET, RULE_NONE},
    {SYS_tkill, "tkill", "ps", NOSET, RULE_KILL},
    {SYS_time, "time", "W", NOSET, RULE_NONE},
    {SYS_futex, "futex", "aiitai", NOSET, RULE_NONE},
    {SYS_getrandom, "getrandom", "WLf", SET(1, 2, 4), RULE_NONE},
    {SYS_set_tid_address, "set_tid_address", "a", NOSET, RULE_NONE},
    {SYS_fadvise64, "fadvise64", "FoLi", NOSET, RULE_NONE},
    {SYS_fallocate, "fallocate", "FfoL", SET(1, 2, 8, 0x10, 0x20), RULE_NONE},
    {SYS_copy_file_range, "copy_file_range", "FWFWLf", NOSET, RULE_NONE},
    {SYS_clock_gettime, "clock_gettime", "iW", NOSET, RULE_NONE},
    {SYS_clock_getres, "clock_getres", "iW", NOSET, RULE_NONE},
    {SYS_clock_nanosleep, "clock_nanosleep", "iftW", SET(TIMER_ABSTIME), RULE_NONE},
    {SYS_exit_group, "exit_group", "i", NOSET, RULE_EXIT},
    {SYS_epoll_wait, "epoll_wait", "FWii", NOSET, RULE_NONE},
    {SYS_epoll_ctl, "epoll_ctl", "FiFR", NOSET, RULE_NONE},
    {SYS_tgkill, "tgkill", "pps", NOSET, RULE_KILL},
    {SYS_utimes, "utimes", "PR", NOSET, RULE_NONE},
    {SYS_waitid, "waitid", "ipWfW", SET(WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT), RULE_NONE},
    {SYS_futimesat, "futimesat", "FPR", NOSET, RULE_NONE},
    {SYS_utimensat, "utimensat", "FPRf", SET(AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH), RULE_NONE},
    {SYS_epoll_pwait, "epoll_pwait", "FWiiSn", NOSET, RULE_NONE},
    {SYS_signalfd, "signalfd", "FSn", NOSET, RULE_NONE},
    {SYS_signalfd4, "signalfd4", "FSnf", SET(O_CLOEXEC, O_NONBLOCK), RULE_NONE},
    {SYS_timerfd_create, "timerfd_create", "if", SET(O_CLOEXEC, O_NONBLOCK), RULE_NONE},
    {SYS_timerfd_settime, "timerfd_settime", "FfRW", SET(1, 2), RULE_NONE},
    {SYS_timerfd_gettime, "timerfd_gettime", "FW", NOSET, RULE_NONE},
    {SYS_eventfd, "eventfd", "i", NOSET, RULE_NONE},
    {SYS_eventfd2, "eventfd2", "if", SET(O_CLOEXEC, O_NONBLOCK, 1), RULE_NONE},
    {SYS_epoll_create, "epoll_create", "i", NOSET, RULE_NONE},
    {SYS_epoll_create1, "epoll_create1", "f", SET(O_CLOEXEC), RULE_NONE},
    {SYS_epoll_pwait2, "epoll_pwait2", "FWitSn", NOSET, RULE_NONE},
    {SYS_set_robust_list, "set_robust_list", "aL", NOSET, RULE_NONE},
    {SYS_get_robust_list, "get_robust_list", "pWW", NOSET, RULE_NONE},
    {SYS_getcpu, "getcpu", "WWW", NOSET, RULE_NONE},
    {SYS_alarm, "alarm", "i", NOSET, RULE_ITIMER},
    {SYS_socket, "socket", "Afi", SET(SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_NONBLOCK, SOCK_CLOEXEC), RULE_NONE},
    {SYS_socketpair, "socketpair", "AfiW", SET(SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_NONBLOCK, SOCK_CLOEXEC), RULE_NONE},
    {SYS_bind, "bind", "FUl", NOSET, RULE_NONE},
    {SYS_listen, "listen", "Fi", NOSET, RULE_NONE},
    {SYS_connect, "connect", "FUl", NOSET, RULE_NONE},
    {SYS_accept, "accept", "FWW", NOSET, RULE_NONE},
    {SYS_accept4, "accept4", "FWWf", SET(SOCK_NONBLOCK, SOCK_CLOEXEC), RULE_NONE},
    {SYS_sendto, "sendto", "FRLfUl", SET(MSG_DONTWAIT, MSG_NOSIGNAL, MSG_OOB, MSG_EOR), RULE_NONE},
    {SYS_recvfrom, "recvfrom", "FWLfWW", SET(MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_TRUNC, MSG_OOB), RULE_NONE},
    {SYS_sendmsg, "sendmsg", "FRf", SET(MSG_DONTWAIT, MSG_NOSIGNAL, MSG_OOB), RULE_NONE},
    {SYS_recvmsg, "recvmsg", "FWf", SET(MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_TRUNC, MSG_CMSG_CLOEXEC), RULE_NONE},
    {SYS_shutdown, "shutdown", "Fi", NOSET, RULE_NONE},
    {SYS_getsockname, "getsockname", "FWW", NOSET, RULE_NONE},
    {SYS_getpeername, "getpeername", "FWW", NOSET, RULE_NONE},
    {SYS_setsockopt, "setsockopt", "FiiRi", NOSET, RULE_NONE},
    {SYS_getsockopt, "getsockopt", "FiiWW", NOSET, RULE_NONE},
    {SYS_sendmmsg, "sendmmsg", "FRif", SET(MSG_DONTWAIT, MSG_NOSIGNAL), RULE_NONE},
    {SYS_recvmmsg, "recvmmsg", "FWift", SET(MSG_PEEK, MSG_DONTWAIT, MSG_WAITFORONE, MSG_TRUNC), RULE_NONE},
    {SYS_rt_sigreturn, "rt_sigreturn", "", NOSET, RULE_SIGRETURN},
};

#define NDESC ((int)(sizeof DESCRIPTIONS / sizeof DESCRIPTIONS[0]))

/* Counters shared by every process (MAP_SHARED), updated atomically. */
struct stats {
    unsigned long calls;
    unsigned long per_call[MAX_NR];
    unsigned long per_errno[MAX_ERRNO];
    unsigned long killed_by[65];
    unsigned long workers_started;
    int last_call[POOL_SLOTS]; /* per worker slot: the syscall it is in or made last */
};

static struct stats *stats;
static unsigned char *futex_words; /* a shared page of futex words */
static unsigned long rng;

static unsigned long next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned long below(unsigned long n) { return n ? next_random() % n : 0; }

/* Resources a worker has made, so later calls use them. */
#define POOL 64
static int fds[POOL];
static int nfds;
static unsigned long maps[POOL], map_lens[POOL];
static int nmaps;
static pid_t kids[POOL];
static int nkids;
static unsigned char *scratch, *readonly_page; /* scratch pages end at an unmapped guard page */
static unsigned char *flip; /* two pages another thread of the worker keeps remapping (flipper) */
static volatile int leader_leaving; /* the worker's thread makes SYS_exit */
static pid_t supervisor;
static int slot; /* this worker's index in stats->last_call */
#define WORKER_CALLS 2000UL
#define CONSOLE_FD 201 /* the supervisor's stdout, for --print-calls */
static unsigned char keep_mask[WORKER_CALLS / 8]; /* --keep: the call indices made */
static int keeping, print_calls;

/* --keep's list: indices and ranges a-b, comma-separated; 0, or -1 for an index out of range. */
static int choose_kept(const char *list)
{
    keeping = 1;
    for (const char *at = list; *at;) {
        char *end;
        unsigned long from = strtoul(at, &end, 10), to = from;
        if (*end == '-') to = strtoul(end + 1, &end, 10);
        if (end == at || to < from || to >= WORKER_CALLS) return -1;
        for (unsigned long i = from; i <= to; i++) keep_mask[i / 8] |= (unsigned char)(1 << (i % 8));
        at = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') return -1;
    }
    return 0;
}

static int kept(unsigned long index) { return !keeping || (keep_mask[index / 8] >> (index % 8)) & 1; }
static unsigned char left_out[sizeof DESCRIPTIONS / sizeof DESCRIPTIONS[0]]; /* by --only/--skip */

/* --only (only = 1) or --skip (only = 0): marks the descriptions left out; 0, or -1 naming an
 * unknown syscall. */
static int choose_calls(const char *list, int only)
{
    for (int i = 0; i < NDESC; i++) left_out[i] = (unsigned char)only;
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *name = strtok(copy, ","); name; name = strtok(NULL, ",")) {
        int found = 0;
        for (int i = 0; i < NDESC; i++)
            if (!strcmp(DESCRIPTIONS[i].name, name)) left_out[i] = (unsigned char)!only, found = 1;
        if (!found) {
            fprintf(stderr, "fuzz: no syscall %s is described\n", name);
            return -1;
        }
    }
    return 0;
}

static const char *PATHS[] = {
    "/tmp/fz", "/tmp/fz/a", "/tmp/fz/b", "/tmp/fz/dir", "/tmp/fz/dir/c", "/tmp/fz/link", "/tmp/fz/fifo",
    "/tmp/fz/mnt", "/tmp/fz/../fz/a", "/tmp", "/", ".", "..", "", "/proc/self/maps", "/proc/self/status",
    "/proc/self/fd", "/proc/1/stat", "/proc/meminfo", "/dev/null", "/dev/zero", "/dev/full", "/dev/urandom",
    "/dev/ptmx", "/nonexistent/x", "/tmp/fz/a/notdir", "/sys/devices/system/cpu/online",
};
#define NPATHS ((int)(sizeof PATHS / sizeof PATHS[0]))

static void add_fd(long fd)
{
    if (fd < 3 || fd > 1 << 20) return;
    if (nfds < POOL) fds[nfds++] = (int)fd;
    else fds[below(POOL)] = (int)fd;
}

static unsigned long an_fd(void)
{
    switch (below(10)) {
    case 0: return (unsigned long)-1;
    case 1: return below(1 << 20);
    case 2: return (unsigned long)AT_FDCWD;
    default: return nfds ? (unsigned long)fds[below((unsigned long)nfds)] : below(8);
    }
}

/* A pointer for the kernel to read (writable=0) or write: mostly good, sometimes not. */
static unsigned long a_pointer(int writable)
{
    switch (below(16)) {
    case 0: return 0;
    case 1: return 8;
    case 2: return 0xffff800000000000UL + below(1UL << 30);   /* the kernel's half */
    case 3: return (unsigned long)scratch + 3 * PAGE - below(16); /* straddles the guard page */
    case 4: return (unsigned long)scratch + 3 * PAGE;               /* the guard page itself */
    case 5: return writable ? (unsigned long)readonly_page : (unsigned long)scratch + 1;
    case 6: return nmaps ? maps[below((unsigned long)nmaps)] : (unsigned long)scratch;
    case 7: return next_random();
    case 8: return (unsigned long)flip + below(2 * PAGE); /* read-only, unmapped or writable by now */
    default: return (unsigned long)scratch + below(2 * PAGE);
    }
}

static unsigned long a_length(void)
{
    static const unsigned long edges[] = {0, 1, 2, 7, 8, 16, 64, 511, 512, 4095, 4096, 4097, 65536, 1UL << 31, 1UL << 63, (unsigned long)-1};
    return below(3) ? below(300) : edges[below(sizeof edges / sizeof edges[0])];
}

static unsigned long some_flags(const struct desc *d)
{
    unsigned long f = 0;
    if (d->nflags) {
        int n = (int)below(3) + 1;
        for (int i = 0; i < n; i++) f |= (unsigned long)d->flags[below((unsigned long)d->nflags)];
    } else {
        f = below(4) ? below(16) : next_random() & 0xffff;
    }
    if (!below(8)) f |= 1UL << below(32); /* a bit nobody defined */
    return f;
}

static unsigned long a_pid(void)
{
    switch (below(8)) {
    case 0: return (unsigned long)getpid();
    case 1: return 0;
    case 2: return 99999;
    case 3: return (unsigned long)-(long)getpid();
    case 4: return below(40);
    default: return nkids ? (unsigned long)kids[below((unsigned long)nkids)] : (unsigned long)getpid();
    }
}

static unsigned long a_signal(void)
{
    return below(8) ? below(65) : next_random();
}

static unsigned long an_address(void)
{
    switch (below(6)) {
    case 0: return 0;
    case 1: return nmaps ? maps[below((unsigned long)nmaps)] + below(4) * PAGE : 0x200000000UL;
    case 2: return 0x300000000UL + below(64) * PAGE;
    case 3: return next_random() & ~(PAGE - 1);
    default: return nmaps ? maps[below((unsigned long)nmaps)] : 0x200000000UL;
    }
}

/* A sigset: random signals but never SIGALRM (the watchdog), or NULL, or a pointer that
 * cannot be read at all (a readable one could hold SIGALRM). */
static unsigned long a_sigset(void)
{
    static const unsigned long unreadable[] = {0, 8, 0xffff800000000000UL};
    if (!below(4)) return below(4) ? unreadable[below(3)] : (unsigned long)scratch + 3 * PAGE;
    unsigned long *set = (unsigned long *)(scratch + 8 * below(PAGE / 8));
    *set = next_random() & ~(1UL << (SIGALRM - 1));
    return (unsigned long)set;
}

/* Socket names the workers share: four abstract ones and two paths in /tmp. */
static struct sockaddr_un SOCKADDRS[6];
static struct sockaddr_in INET_ADDRS[6];
#define SOCKADDR_LEN 16

static unsigned long a_sockaddr(void)
{
    if (!SOCKADDRS[0].sun_family)
        for (int i = 0; i < 6; i++) {
            SOCKADDRS[i].sun_family = AF_UNIX;
            snprintf(SOCKADDRS[i].sun_path, sizeof SOCKADDRS[i].sun_path, i < 4 ? "_fuzz-sock-%d" : "/tmp/fz%d", i);
            if (i < 4) SOCKADDRS[i].sun_path[0] = 0;
        }
    if (!INET_ADDRS[0].sin_family)
        for (int i = 0; i < 6; i++) {
            /* 127.0.0.1 on a few fixed ports (so binds, connects and sends meet), 0.0.0.0:0,
             * lo's broadcast address, and a foreign address. */
            static const unsigned addrs[6] = { 0x7F000001, 0x7F000001, 0x7F000001, 0, 0x7FFFFFFF, 0xC0000201 };
            INET_ADDRS[i].sin_family = AF_INET;
            INET_ADDRS[i].sin_port = htons(i < 3 ? 47000 + i : i == 3 ? 0 : 47000);
            INET_ADDRS[i].sin_addr.s_addr = htonl(addrs[i]);
        }
    if (below(3) == 0) return (unsigned long)&INET_ADDRS[below(6)];
    return below(4) ? (unsigned long)&SOCKADDRS[below(6)] : a_pointer(0);
}

static unsigned long argument(const struct desc *d, char kind)
{
    switch (kind) {
    case 'F': return an_fd();
    case 'R': return a_pointer(0);
    case 'W': return a_pointer(1);
    case 'L': return a_length();
    case 'P': return below(12) ? (unsigned long)PATHS[below(NPATHS)] : a_pointer(0);
    case 'p': return a_pid();
    case 's': return a_signal();
    case 'f': return some_flags(d);
    case 'm': return below(4) ? below(01000) : next_random();
    case 'i': return below(4) ? below(16) : next_random();
    case 'u': return below(3) ? below(2000) : (unsigned long)-1;
    case 'a': return an_address();
    case 't': return a_pointer(0);
    case 'S': return a_sigset();
    case 'M': {
        unsigned long *pair = (unsigned long *)(scratch + PAGE + 8 * below(PAGE / 16));
        pair[0] = a_sigset();
        pair[1] = below(8) ? 8 : below(200);
        return below(8) ? (unsigned long)pair : a_pointer(0);
    }
    case 'n': return below(8) ? 8 : below(200);
    case 'o': return below(4) ? below(100000) : next_random();
    case 'x': return next_random();
    case 'A': return below(3) == 0 ? AF_INET : below(8) ? AF_UNIX : below(50);
    case 'U': return a_sockaddr();
    case 'l': return below(4) ? SOCKADDR_LEN : below(4) ? below(130) : next_random();
    default: return 0;
    }
}

/* The rules: returns 0 when the call must not be made as drawn (it is drawn again). */
static int allowed(const struct desc *d, unsigned long *a)
{
    switch (d->rule) {
    case RULE_NEVER: return 0;
    case RULE_KILL: {
        int pid = (int)(d->nr == SYS_tgkill ? a[1] : a[0]); /* the kernel reads ints */
        int sig = (int)(d->nr == SYS_tgkill ? a[2] : a[1]);
        if (pid == -1 || pid == supervisor || pid == 1 || pid == -supervisor) return 0;
        if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) return 0; /* would stop, not end */
        return 1;
    }
    case RULE_NOT_SUPERVISOR: return (int)a[0] != supervisor && (int)a[0] != 1;
    case RULE_SIGACTION: return (int)a[0] != SIGALRM;
    case RULE_ITIMER: return 1; /* the watchdog is armed again after the call (one_call) */
    case RULE_EXIT: case RULE_SIGRETURN: return below(50) == 0;
    default: return 1;
    }
}

static void note(int nr, long r)
{
    __atomic_add_fetch(&stats->calls, 1, __ATOMIC_RELAXED);
    if (nr >= 0 && nr < MAX_NR) __atomic_add_fetch(&stats->per_call[nr], 1, __ATOMIC_RELAXED);
    int e = r < 0 && r > -4096 ? (int)-r : 0;
    if (e < MAX_ERRNO) __atomic_add_fetch(&stats->per_errno[e], 1, __ATOMIC_RELAXED);
}

static void on_alarm(int sig) { (void)sig; }

/* The file's text (at most size - 1 bytes, NUL-terminated): its length, or -1. */
static ssize_t read_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = 0, got;
    while ((size_t)n < size - 1 && (got = read(fd, buf + n, size - 1 - (size_t)n)) > 0) n += got;
    close(fd);
    buf[n] = 0;
    return n > 0 ? n : -1;
}

/* The worker's second thread: every 0.5 ms it makes one of the flip pages read-only,
 * inaccessible, writable, or unmaps and maps it again, so a call given a pointer there (a_pointer)
 * finds its buffer changing under it, from another CPU. It blocks every signal (SIGALRM must end
 * the calls of the worker's own thread), and once that thread is leaving by SYS_exit (which ends
 * one thread only; one_call sets leader_leaving first) it ends the process at once, racing that
 * thread's exit on another CPU. */
static void *flipper(void *arg)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    unsigned long r = (unsigned long)arg | 1;
    while (!leader_leaving) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        unsigned char *page = flip + (r & 1) * PAGE;
        switch ((r >> 8) % 4) {
        case 0: mprotect(page, PAGE, PROT_READ); break;
        case 1: mprotect(page, PAGE, PROT_NONE); break;
        case 2: mprotect(page, PAGE, PROT_READ | PROT_WRITE); break;
        case 3:
            munmap(page, PAGE);
            mmap(page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            break;
        }
        struct timespec pause_for = {0, 500000};
        nanosleep(&pause_for, NULL);
    }
    _exit(0);
}

/* SIGALRM every 20 ms: ends any call that blocks (on_alarm does nothing; no SA_RESTART). */
static void arm_watchdog(void)
{
    struct itimerval tick = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &tick, NULL);
}

static void setup_worker(void)
{
    setpgid(0, 0);
    if (chdir(SANDBOX) != 0 || chroot(".") != 0 || chdir("/") != 0) _exit(5);
    /* The supervisor's /dev/null description: a worker may have unlinked or replaced the node. */
    dup2(NULL_FD, 0);
    dup2(NULL_FD, 1);
    dup2(NULL_FD, 2);
    close(NULL_FD);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: a blocking call ends with EINTR */
    sigaction(SIGALRM, &sa, NULL);
    arm_watchdog();
    /* scratch: two good pages, then a guard page unmapped; a read-only page for EFAULT on writes */
    scratch = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(scratch + 3 * PAGE, PAGE);
    readonly_page = scratch + 2 * PAGE;
    mprotect(readonly_page, PAGE, PROT_READ);
    for (unsigned long i = 0; i < 2 * PAGE; i++) scratch[i] = (unsigned char)next_random();
    flip = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pthread_t helper;
    pthread_create(&helper, NULL, flipper, (void *)rng);
    nfds = nmaps = nkids = 0;
    maps[nmaps] = (unsigned long)futex_words;
    map_lens[nmaps++] = PAGE;
}

static void __attribute__((noreturn)) sigreturn_landing(void) { _exit(0); }

/* rt_sigreturn with the stack pointer at a frame of random bytes in the scratch page (its
 * ucontext's mcontext: 16 general registers... rsp at 15, rip at 16, eflags, the selectors
 * cs/gs/fs/ss, err, trapno, oldmask, cr2, fpstate at 23): rsp and rip lead to _exit. */
static void __attribute__((noreturn)) sigreturn_on_random_frame(void)
{
    unsigned long *frame = (unsigned long *)(scratch + PAGE);
    for (int i = 0; i < 128; i++) frame[i] = next_random();
    unsigned long *gregs = frame + 5; /* uc_flags, uc_link, uc_stack (3 words) */
    gregs[15] = ((unsigned long)scratch + PAGE - 256) & ~15UL;
    gregs[16] = (unsigned long)sigreturn_landing;
    if (below(2)) gregs[18] = 0x33 | (0x2bUL << 48); /* a valid cs and ss, the flags random */
    if (below(2)) gregs[23] = 0; /* no FPU state: the kernel keeps its own */
    __asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall" : : "r"(frame) : "memory", "rax");
    __builtin_unreachable();
}

/* One call: drawn until the rules allow it, made (unless --keep leaves call INDEX out: then
 * only drawn), counted, and its result kept as a resource. */
static void one_call(unsigned long index)
{
    const struct desc *d;
    unsigned long a[6];
    for (;;) {
        d = &DESCRIPTIONS[below(NDESC)];
        if (left_out[d - DESCRIPTIONS]) continue;
        for (int i = 0; i < 6; i++) a[i] = d->kinds[i] && i < (int)strlen(d->kinds) ? argument(d, d->kinds[i]) : next_random();
        if (allowed(d, a)) break;
    }
    if (d->nr == SYS_futex && below(2)) a[0] = (unsigned long)futex_words + below(PAGE / 4) * 4;
    if (!kept(index)) return;
    if (print_calls)
        dprintf(CONSOLE_FD, "fuzz: call %lu %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", index, d->name, a[0], a[1], a[2], a[3], a[4], a[5]);
    __atomic_store_n(&stats->last_call[slot], d->nr, __ATOMIC_RELAXED);
    if (d->rule == RULE_EXIT || d->rule == RULE_SIGRETURN) note(d->nr, 0); /* counted before: it does not return */
    if (d->nr == SYS_exit) leader_leaving = 1;
    if (d->rule == RULE_SIGRETURN) sigreturn_on_random_frame();
    long r = syscall(d->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (r == 0 && (d->nr == SYS_fork || d->nr == SYS_vfork || d->nr == SYS_clone)) _exit(0); /* RULE_CHILD */
    note(d->nr, r < 0 ? -errno : r);
    if (print_calls) dprintf(CONSOLE_FD, "fuzz: call %lu = %ld\n", index, r < 0 ? -errno : r);
    if (d->rule == RULE_ITIMER) arm_watchdog(); /* alarm or setitimer may have changed ITIMER_REAL */
    if (r < 0) return;
    switch (d->nr) {
    case SYS_open: case SYS_openat: case SYS_creat: case SYS_dup: case SYS_dup2: case SYS_dup3:
    case SYS_eventfd: case SYS_eventfd2: case SYS_epoll_create: case SYS_epoll_create1:
    case SYS_timerfd_create: case SYS_signalfd: case SYS_signalfd4:
    case SYS_socket: case SYS_accept: case SYS_accept4:
        add_fd(r);
        break;
    case SYS_pipe: case SYS_pipe2: case SYS_socketpair: {
        unsigned long at = d->nr == SYS_socketpair ? a[3] : a[0];
        if (at >= (unsigned long)scratch && at + 8 <= (unsigned long)scratch + 2 * PAGE) {
            add_fd(((int *)at)[0]);
            add_fd(((int *)at)[1]);
        }
        break;
    }
    case SYS_mmap:
        if (nmaps < POOL) {
            maps[nmaps] = (unsigned long)r;
            map_lens[nmaps++] = a[1];
        }
        break;
    case SYS_fork: case SYS_vfork: case SYS_clone:
        if (nkids < POOL) kids[nkids++] = (pid_t)r;
        break;
    }
}

static void worker(int index, unsigned long seed, unsigned long calls)
{
    slot = index;
    rng = seed * 0x9E3779B97F4A7C15UL + 1;
    setup_worker();
    for (unsigned long i = 0; i < calls; i++) {
        /* Each call draws from its own stream (the worker's seed and its index): which call it is
         * and its arguments do not depend on how much earlier calls drew, so --keep can leave
         * calls out and the others stay the same (their resources, fds and pids, still differ). */
        unsigned long z = seed + (i + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        rng = (z ^ (z >> 31)) | 1;
        one_call(i);
        if ((i & 63) == 0) while (waitpid(-1, NULL, WNOHANG) > 0) {}
    }
    _exit(0);
}

/* Forks worker generation G into slot INDEX; says which pid it is, so a panic report's pids
 * (its recent syscalls) name the generation to run alone. */
static void make_files(void);
static dev_t sandbox_dev;        /* st_dev of the sandbox's tmpfs (make_files) */
static unsigned long sandboxes_remade;

/* A worker may have unmounted the sandbox (umount2 of its "/"): the next one would chroot into
 * the root filesystem's directory beneath it and fuzz the real tree. So a new sandbox first. */
static void ensure_sandbox(void)
{
    struct stat st;
    if (stat(SANDBOX, &st) == 0 && st.st_dev == sandbox_dev) return;
    make_files();
    sandboxes_remade++;
}

static pid_t start_worker(int index, unsigned long seed, unsigned long generation)
{
    ensure_sandbox();
    fflush(stdout);
    pid_t w = fork();
    if (w == 0) worker(index, seed + 7919 * generation, WORKER_CALLS);
    printf("fuzz: worker %d gen %lu\n", w, generation);
    __atomic_add_fetch(&stats->workers_started, 1, __ATOMIC_RELAXED);
    return w;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long mem_free_kib(void)
{
    char buf[4096];
    if (read_text("/proc/meminfo", buf, sizeof buf) < 0) return -1;
    char *at = strstr(buf, "MemFree:");
    return at ? strtol(at + 8, NULL, 10) : -1;
}

static const char *call_name(int nr)
{
    for (int k = 0; k < NDESC; k++)
        if (DESCRIPTIONS[k].nr == nr) return DESCRIPTIONS[k].name;
    return "?";
}

/* The kernel heap's live KiB after a collection that began once everything before this call
 * had finished: /proc/kevlar/gc lists recent collections (count in its header, live_kib the
 * 8th column of each row). Reading it makes its text on the kernel heap, so reading it again
 * and again is what brings the collections; the second one after the call is the one whose
 * figure counts (the first may have begun before). -1 where the file is missing (not this
 * kernel) or no collection came within 30 s. */
static long gc_collections(long *live_kib)
{
    static char buf[16384];
    if (read_text("/proc/kevlar/gc", buf, sizeof buf) < 0) return -1;
    long count = -1;
    if (sscanf(buf, "# kevlar gc: %ld collections", &count) != 1) return -1;
    *live_kib = -1;
    for (char *line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        long f[9];
        if (sscanf(line + 1, "%ld %ld %ld %ld %ld %ld %ld %ld %ld", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8]) == 9)
            *live_kib = f[7];
    }
    return count;
}

static long settled_heap_kib(void)
{
    long live, first = gc_collections(&live);
    if (first < 0) return -1;
    double until = now() + 30;
    while (now() < until) {
        long count = gc_collections(&live);
        if (count >= first + 2) return live;
    }
    return -1;
}

/* The kernel heap's census after the run (/proc/kevlar/heap: opening it asks the next
 * collection for one): its first lines, the types holding the most live bytes. */
static void print_heap_census(int lines)
{
    close(open("/proc/kevlar/heap", O_RDONLY));
    if (settled_heap_kib() < 0) return;
    static char buf[65536];
    if (read_text("/proc/kevlar/heap", buf, sizeof buf) < 0) return;
    char *line = buf;
    for (int i = 0; i < lines + 2 && *line; i++) {
        char *end = strchr(line, '\n');
        if (end) *end = 0;
        printf("fuzz: heap: %s\n", line);
        if (!end) break;
        line = end + 1;
    }
}

/* The paths of the names in directory PATH but "." and "..", in a malloc'd array of malloc'd
 * strings (*count of them; NULL when PATH cannot be listed). Names are read first and used
 * after, so a caller may remove them as it goes. */
static char **list_children(const char *path, size_t *count)
{
    *count = 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return NULL;
    size_t cap = 16, plen = strlen(path);
    const char *sep = strcmp(path, "/") ? "/" : "";
    char **names = malloc(cap * sizeof *names);
    char buf[4096];
    long n;
    while (names && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long at = 0; at < n;) {
            unsigned short len = *(unsigned short *)(buf + at + 16);
            const char *name = buf + at + 19;
            at += len;
            if (!strcmp(name, ".") || !strcmp(name, "..") || plen + strlen(name) + 2 > 4096) continue;
            if (*count == cap) {
                char **more = realloc(names, 2 * cap * sizeof *names);
                if (!more) break;
                names = more, cap *= 2;
            }
            names[*count] = malloc(plen + strlen(name) + 2);
            if (names[*count]) sprintf(names[(*count)++], "%s%s%s", path, sep, name);
        }
    }
    close(fd);
    return names;
}

/* Removes what the run left below PATH: mounts on it come off (all of them: workers may have
 * stacked several), its names are listed first and then removed, depth first — chroots nest
 * trees as deep as the workers made them, so the only bound is PATH_MAX. One pass; a name that
 * cannot go (a busy mount point) cannot keep it looping. */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    for (int i = 0; i < 1024 && umount2(path, MNT_DETACH) == 0; i++) {}
    size_t count;
    char **names = list_children(path, &count);
    for (size_t i = 0; i < count; i++) {
        remove_tree(names[i]);
        free(names[i]);
    }
    free(names);
    rmdir(path);
}

/* The workers' world: a tmpfs of its own at SANDBOX, with the /dev nodes, /proc and /sys the
 * descriptions name and /tmp/fz's files, which every worker chroots into. Whatever workers make,
 * unlink or replace (they remove /dev/null, write into /dev/full, create files by random names
 * wherever their working directory is) stays in it and goes with it at the end, so the heap and
 * memory figures after the run compare with before. */
static void make_files(void)
{
    mkdir(SANDBOX, 0755);
    mount("fuzz", SANDBOX, "tmpfs", 0, "size=64m,mode=0755");
    mkdir(SANDBOX "/dev", 0755);
    mkdir(SANDBOX "/proc", 0555);
    mkdir(SANDBOX "/sys", 0755);
    mkdir(SANDBOX "/tmp", 01777);
    mknod(SANDBOX "/dev/null", S_IFCHR | 0666, makedev(1, 3));
    mknod(SANDBOX "/dev/zero", S_IFCHR | 0666, makedev(1, 5));
    mknod(SANDBOX "/dev/full", S_IFCHR | 0666, makedev(1, 7));
    mknod(SANDBOX "/dev/urandom", S_IFCHR | 0666, makedev(1, 9));
    mknod(SANDBOX "/dev/ptmx", S_IFCHR | 0666, makedev(5, 2));
    mount("proc", SANDBOX "/proc", "proc", 0, NULL);
    mount("sysfs", SANDBOX "/sys", "sysfs", 0, NULL);
    mkdir(SANDBOX "/tmp/fz", 0777);
    mkdir(SANDBOX "/tmp/fz/dir", 0777);
    mkdir(SANDBOX "/tmp/fz/mnt", 0777);
    close(open(SANDBOX "/tmp/fz/a", O_CREAT | O_RDWR, 0666));
    close(open(SANDBOX "/tmp/fz/b", O_CREAT | O_RDWR, 0666));
    symlink("/tmp/fz/a", SANDBOX "/tmp/fz/link"); /* the workers' /tmp/fz/a */
    mkfifo(SANDBOX "/tmp/fz/fifo", 0666);
    struct stat st;
    if (stat(SANDBOX, &st) == 0) sandbox_dev = st.st_dev;
}

/* Ordinary work after the run, before the figures: 200 short processes, each reading a /proc
 * file. Without it a few dead workers (3 to 5, however long the run), and through their root the
 * removed sandbox, were still reachable at the measurement; after it they are not, so what held
 * them refers to recent work only (not pinned down: per-CPU state of the last messages, or stack
 * words the collector scans conservatively), while a leak proper stays. */
static void settle(void)
{
    for (int i = 0; i < 200; i++) {
        pid_t c = fork();
        if (c == 0) {
            char b[256];
            read_text("/proc/self/stat", b, sizeof b);
            _exit(0);
        }
        if (c > 0) waitpid(c, NULL, 0);
    }
}

/* Names under PATH changed since SINCE, looked for after the sandbox's removal: what a worker
 * left outside it (one that chroots below its working directory can walk out with ".."; /tmp
 * itself always shows, for the sandbox's removal). The first 40 printed; counted, bytes summed. */
static int changed_since(struct timespec t, struct timespec since)
{
    return t.tv_sec > since.tv_sec || (t.tv_sec == since.tv_sec && t.tv_nsec >= since.tv_nsec);
}

static void report_changed_outside(const char *path, struct timespec since, int depth, long *count, long *bytes)
{
    struct stat st;
    /* /proc and /dev/pts change with the processes and terminals. */
    if (depth > 32 || !strcmp(path, "/proc") || !strcmp(path, "/dev/pts")) return;
    if (lstat(path, &st) != 0) return;
    if (changed_since(st.st_ctim, since) || changed_since(st.st_mtim, since)) {
        if (*count < 40) printf("fuzz: left after the run: %s (%lld bytes)\n", path, (long long)st.st_size);
        ++*count;
        *bytes += st.st_size;
    }
    if (!S_ISDIR(st.st_mode)) return;
    size_t n;
    char **names = list_children(path, &n);
    for (size_t i = 0; i < n; i++) {
        report_changed_outside(names[i], since, depth + 1, count, bytes);
        free(names[i]);
    }
    free(names);
}

/* /proc/mounts now, and how many lines it has: what a run mounted and did not take off shows as
 * lines after it that were not there before. */
static int read_mounts(char *buf, size_t size)
{
    if (read_text("/proc/mounts", buf, size) < 0) return -1;
    int lines = 0;
    for (char *c = buf; *c; c++) lines += *c == '\n';
    return lines;
}

/* Removes the sandbox and everything workers mounted or made in it. */
static void remove_sandbox(void)
{
    for (int pass = 0; pass < 3; pass++) remove_tree(SANDBOX);
    for (int i = 0; i < 1024 && umount2(SANDBOX, MNT_DETACH) == 0; i++) {}
    rmdir(SANDBOX);
}

int main(int argc, char **argv)
{
    unsigned long seed = 1, calls = 100000, seconds = 0, procs = 0;
    long only_generation = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seed")) seed = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--calls")) calls = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--seconds")) seconds = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--procs")) procs = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--generation")) only_generation = strtol(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--keep")) {
            if (choose_kept(argv[i + 1]) != 0) {
                fprintf(stderr, "fuzz: --keep %s: indices below %lu, ranges a-b\n", argv[i + 1], WORKER_CALLS);
                return 2;
            }
        }
        else if (!strcmp(argv[i], "--only") || !strcmp(argv[i], "--skip")) {
            if (choose_calls(argv[i + 1], !strcmp(argv[i], "--skip") ? 0 : 1) != 0) return 2;
        }
    }
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--print-calls")) print_calls = 1;
    if (only_generation >= 0) procs = 1, calls = WORKER_CALLS;
    if (!procs) procs = (unsigned long)sysconf(_SC_NPROCESSORS_ONLN);
    if (procs > POOL) procs = POOL;
    supervisor = getpid();
    /* The counters live far from everything a worker is told about, between unmapped pages,
     * so a long write through a pooled pointer (which the kernel rightly does) cannot reach
     * them; the futex page, which workers are given, ends at an unmapped page too. */
    stats = mmap((void *)STATS_AT, sizeof *stats, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    futex_words = mmap((void *)FUTEX_AT, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (stats == MAP_FAILED || futex_words == MAP_FAILED) return 2;
    signal(SIGPIPE, SIG_IGN);
    int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, NULL_FD) != NULL_FD) return 2;
    close(null);
    if (print_calls && dup2(1, CONSOLE_FD) != CONSOLE_FD) return 2;
    long heap_before = settled_heap_kib(), free_before = mem_free_kib();
    static char mounts[16384]; /* before the run only its line count is kept */
    int mount_lines_before = read_mounts(mounts, sizeof mounts);
    make_files();
    struct timespec run_began;
    clock_gettime(CLOCK_REALTIME, &run_began);
    if (only_generation >= 0)
        printf("fuzz: seed %lu, worker generation %ld alone, %s of its %lu calls\n", seed, only_generation, keeping ? "some" : "all", WORKER_CALLS);
    else
        printf("fuzz: seed %lu, %lu processes, %lu calls%s, %d syscalls described\n", seed, procs, calls,
               seconds ? " or the time limit" : "", NDESC);
    fflush(stdout);

    pid_t workers[POOL];
    unsigned long generation = only_generation >= 0 ? (unsigned long)only_generation : 0;
    for (unsigned long i = 0; i < procs; i++) workers[i] = start_worker((int)i, seed, generation++);
    int single_done = 0;
    double start = now(), last_report = start, last_progress = start;
    unsigned long last_calls = 0;
    int hung = 0;
    while (1) {
        unsigned long done = __atomic_load_n(&stats->calls, __ATOMIC_RELAXED);
        double t = now();
        if (done != last_calls) {
            last_calls = done;
            last_progress = t;
        }
        int finished = single_done || done >= calls || (seconds && t - start >= (double)seconds);
        if (finished) break;
        if (t - last_progress > 10) {
            hung = 1;
            break;
        }
        if (t - last_report >= 1) {
            int distinct_calls = 0, distinct_errnos = 0;
            for (int i = 0; i < MAX_NR; i++) distinct_calls += stats->per_call[i] != 0;
            for (int i = 1; i < MAX_ERRNO; i++) distinct_errnos += stats->per_errno[i] != 0;
            printf("fuzz: %lu calls, %.0f/s, %d syscalls reached, %d errno values\n", done, (double)done / (t - start), distinct_calls, distinct_errnos);
            fflush(stdout);
            last_report = t;
        }
        int status;
        pid_t dead = waitpid(-1, &status, WNOHANG);
        if (dead <= 0) {
            usleep(10000);
            continue;
        }
        for (unsigned long i = 0; i < procs; i++) {
            if (workers[i] != dead) continue;
            if (WIFSIGNALED(status)) __atomic_add_fetch(&stats->killed_by[WTERMSIG(status) & 63], 1, __ATOMIC_RELAXED);
            if (only_generation >= 0) {
                single_done = 1;
                workers[i] = 0;
                break;
            }
            workers[i] = start_worker((int)i, seed, generation++);
        }
    }
    double took = now() - start;
    for (unsigned long i = 0; i < procs; i++)
        if (workers[i] > 0) kill(-workers[i], SIGKILL), kill(workers[i], SIGKILL);
    /* SIGKILL ends any process within a moment; a worker still there after 10 s is a hang. */
    int unkilled = 0;
    for (double until = now() + 10;;) {
        pid_t dead = waitpid(-1, NULL, WNOHANG);
        if (dead < 0) break;
        if (dead > 0) continue;
        if (now() > until) {
            unkilled = 1;
            break;
        }
        usleep(10000);
    }
    if (unkilled) {
        printf("fuzz: HANG: workers still alive 10 s after SIGKILL:");
        for (unsigned long i = 0; i < procs; i++) {
            char path[64], st[160] = "";
            snprintf(path, sizeof path, "/proc/%d/stat", workers[i]);
            if (read_text(path, st, sizeof st) < 0) continue;
            printf(" [%s; in %s]", st, call_name(stats->last_call[i]));
        }
        printf("\n");
        fflush(stdout);
        hung = 1;
    }
    usleep(200000); /* orphans of the workers go to init, which reaps them */

    unsigned long total = stats->calls;
    int distinct_calls = 0, distinct_errnos = 0;
    for (int i = 0; i < MAX_NR; i++) distinct_calls += stats->per_call[i] != 0;
    for (int i = 1; i < MAX_ERRNO; i++) distinct_errnos += stats->per_errno[i] != 0;
    printf("fuzz: summary: %lu calls in %.1f s (%.0f/s), %lu worker processes, %d of %d described syscalls reached, %d errno values\n",
           total, took, (double)total / took, stats->workers_started, distinct_calls, NDESC, distinct_errnos);
    printf("fuzz: calls:");
    for (int i = 0; i < NDESC; i++)
        if (DESCRIPTIONS[i].rule != RULE_NEVER) printf(" %s=%lu", DESCRIPTIONS[i].name, stats->per_call[DESCRIPTIONS[i].nr]);
    printf("\nfuzz: never made (rules): ");
    for (int i = 0; i < NDESC; i++)
        if (DESCRIPTIONS[i].rule == RULE_NEVER) printf(" %s", DESCRIPTIONS[i].name);
    printf("\nfuzz: left out (--only/--skip):");
    for (int i = 0; i < NDESC; i++)
        if (left_out[i] && DESCRIPTIONS[i].rule != RULE_NEVER) printf(" %s", DESCRIPTIONS[i].name);
    printf("\nfuzz: errno (0 is success):");
    for (int i = 0; i < MAX_ERRNO; i++)
        if (stats->per_errno[i]) printf(" %d=%lu", i, stats->per_errno[i]);
    printf("\nfuzz: sandbox made again %lu times (a worker had unmounted it)", sandboxes_remade);
    printf("\nfuzz: workers killed by:");
    for (int i = 1; i < 65; i++)
        if (stats->killed_by[i]) printf(" %d=%lu", i, stats->killed_by[i]);
    printf("\n");
    remove_sandbox();
    long changed = 0, changed_bytes = 0;
    report_changed_outside("/", run_began, 0, &changed, &changed_bytes);
    printf("fuzz: after the sandbox's removal: %ld names changed during the run, %ld bytes in them", changed, changed_bytes);
    /* A worker may have unmounted /proc (or mounted over it): the figures come from there. */
    if (access("/proc/kevlar/gc", R_OK) != 0) {
        umount2("/proc", MNT_DETACH);
        mount("proc", "/proc", "proc", 0, NULL);
    }
    int mount_lines_after = read_mounts(mounts, sizeof mounts);
    printf("\nfuzz: mounts before %d, after %d (the sandbox's removed)", mount_lines_before, mount_lines_after);
    if (mount_lines_after != mount_lines_before) printf(":\n%s", mounts);
    settle();
    long free_after = mem_free_kib(), heap_after = settled_heap_kib();
    printf("\nfuzz: free memory before %ld KiB, after %ld KiB (the workers' sandbox removed)\n", free_before, free_after);
    printf("fuzz: kernel heap live after a collection: before %ld KiB, after %ld KiB\n", heap_before, heap_after);
    print_heap_census(12);
    /* What the run may leave behind: the allocator's and the collector's own growth (per-CPU
     * blocks, queues grown to their high-water mark), not a share of every process or call. */
    long heap_grew = heap_before >= 0 && heap_after >= 0 ? heap_after - heap_before : 0;
    long free_fell = free_before >= 0 && free_after >= 0 ? free_before - free_after : 0;
    int leaked = heap_grew > HEAP_SLACK_KIB || free_fell > FREE_SLACK_KIB;
    if (leaked)
        printf("fuzz: LEAK: the kernel heap's live data grew by %ld KiB (at most %d allowed), free memory fell by %ld KiB (at most %d)\n",
               heap_grew, HEAP_SLACK_KIB, free_fell, FREE_SLACK_KIB);
    if (hung) {
        if (!unkilled) {
            printf("fuzz: HANG: no call finished for 10 s; the workers were in:");
            for (unsigned long i = 0; i < procs; i++) printf(" %s", call_name(stats->last_call[i]));
            printf("\n");
        }
        return 1;
    }
    if (leaked) return 3;
    printf("fuzz: done\n");
    return 0;
}
