/* signals: delivery to the process itself, as signal(7), sigaction(2),
 * sigprocmask(2), sigpending(2), sigsuspend(2), sigaltstack(2) and kill(2)
 * document it: handlers and siginfo, masks during and after a handler,
 * pending and non-queueing standard signals, queueing real-time signals,
 * SA_RESETHAND, faults caught and left with siglongjmp, FPU state kept
 * across a handler, and the errors. Death by a signal's default action is
 * the separate program sigterm-self. Arguments musl checks itself (signal
 * numbers, `how`) are passed to the raw syscalls, so the kernel sees them. */
#include "../check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* The kernel's struct sigaction on x86_64 (musl's differs), for the raw calls
 * whose bad arguments musl's wrappers would reject before the kernel. */
struct k_sigaction { void *handler; unsigned long flags; void *restorer; uint64_t mask; };

static volatile sig_atomic_t hits, last_sig, blocked_inside, on_alt_stack;
static volatile int last_code, last_pid_is_self, last_addr_ok;
static volatile uintptr_t expected_addr;
static sigjmp_buf recover;
static char *alt_base;
static size_t alt_size;

static void plain(int sig)
{
    sigset_t now;
    hits++;
    last_sig = sig;
    sigemptyset(&now);
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_inside = sigismember(&now, sig) == 1;
    char here;
    on_alt_stack = alt_base && &here >= alt_base && &here < alt_base + alt_size;
}

static void with_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    hits++;
    last_sig = sig == si->si_signo ? sig : -1;
    last_code = si->si_code;
    last_pid_is_self = si->si_pid == getpid() && si->si_uid == getuid();
}

static void fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    last_sig = sig;
    last_code = si->si_code;
    last_addr_ok = (uintptr_t)si->si_addr == expected_addr;
    siglongjmp(recover, 1);
}

static void fpu_heavy(int sig)
{
    volatile double x = sig;
    for (int i = 0; i < 100; i++) x = x * 1.5 + 0.25;
    hits += x > 0;
}

static int install(int sig, void (*h)(int), int flags)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

static int install_info(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

static int is_blocked(int sig)
{
    sigset_t now;
    sigemptyset(&now);
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, sig) == 1;
}

static void handlers(void)
{
    CHECK_OK("sigaction-usr1", install(SIGUSR1, plain, 0));
    hits = 0;
    CHECK_OK("raise-usr1", raise(SIGUSR1));
    CHECK("handler-ran-once", hits == 1 && last_sig == SIGUSR1, "the handler ran %d times", (int)hits);
    CHECK("signal-blocked-in-handler", blocked_inside, "SIGUSR1 was not blocked while its handler ran");
    CHECK("mask-restored-after-handler", !is_blocked(SIGUSR1), "SIGUSR1 stayed blocked after the handler returned");
    struct sigaction old;
    CHECK("sigaction-query", sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == plain, "querying SIGUSR1 did not give the handler back");

    CHECK_OK("sigaction-siginfo", install_info(SIGUSR2, with_info, 0));
    hits = 0;
    raise(SIGUSR2);
    CHECK("siginfo-raise", hits == 1 && last_sig == SIGUSR2 && last_code == SI_TKILL, "raise gave si_code %d, expected SI_TKILL", last_code);
    hits = 0;
    CHECK_OK("kill-self", kill(getpid(), SIGUSR2));
    CHECK("siginfo-kill", hits == 1 && last_code == SI_USER && last_pid_is_self, "kill gave si_code %d or another sender", last_code);

    CHECK_OK("sigaction-ignore", install(SIGUSR1, SIG_IGN, 0));
    hits = 0;
    raise(SIGUSR1);
    CHECK("ignored-signal-dropped", hits == 0, "an ignored signal ran a handler");

    install(SIGUSR1, plain, SA_RESETHAND);
    hits = 0;
    raise(SIGUSR1);
    CHECK("resethand-ran", hits == 1, "the SA_RESETHAND handler ran %d times", (int)hits);
    CHECK("resethand-reset", sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL, "SA_RESETHAND left the handler installed");
    install(SIGUSR1, plain, SA_NODEFER);
    raise(SIGUSR1);
    CHECK("nodefer-not-blocked", !blocked_inside, "SA_NODEFER: the signal was blocked in the handler");
}

static void masks(void)
{
    sigset_t set, pending;
    sigemptyset(&pending);
    install(SIGUSR1, plain, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK_OK("sigprocmask-block", sigprocmask(SIG_BLOCK, &set, NULL));
    hits = 0;
    raise(SIGUSR1);
    raise(SIGUSR1);
    CHECK("blocked-not-delivered", hits == 0, "a blocked signal ran its handler");
    CHECK("sigpending-shows-blocked", sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1) == 1, "SIGUSR1 is not pending");
    CHECK_OK("sigprocmask-unblock", sigprocmask(SIG_UNBLOCK, &set, NULL));
    CHECK("standard-signal-not-queued", hits == 1, "unblocking delivered SIGUSR1 %d times, expected once", (int)hits);
    CHECK("sigpending-cleared", sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1) == 0, "SIGUSR1 is still pending");

    install(SIGRTMIN, plain, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    hits = 0;
    kill(getpid(), SIGRTMIN);
    kill(getpid(), SIGRTMIN);
    kill(getpid(), SIGRTMIN);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK("realtime-signals-queued", hits == 3, "3 blocked SIGRTMIN delivered %d times", (int)hits);

    sigfillset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    sigset_t now;
    sigemptyset(&now);
    sigprocmask(SIG_SETMASK, NULL, &now);
    CHECK("kill-stop-unblockable", !sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP) && sigismember(&now, SIGTERM),
          "blocking every signal blocked SIGKILL or SIGSTOP, or not SIGTERM");
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    CHECK_ERR("sigprocmask-bad-how-einval", syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8), EINVAL);
    CHECK_ERR("sigprocmask-bad-size-einval", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4), EINVAL);

    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    hits = 0;
    sigset_t empty;
    sigemptyset(&empty);
    CHECK_ERR("sigsuspend-eintr", sigsuspend(&empty), EINTR);
    CHECK("sigsuspend-delivered", hits == 1, "sigsuspend ran the handler %d times", (int)hits);
    CHECK("sigsuspend-restores-mask", is_blocked(SIGUSR1), "sigsuspend did not restore the mask");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void faults(void)
{
    install_info(SIGSEGV, fault, 0);
    expected_addr = 0;
    if (!sigsetjmp(recover, 1)) *(volatile int *)0 = 1;
    CHECK("segv-null-caught", last_sig == SIGSEGV && last_code == SEGV_MAPERR && last_addr_ok,
          "signal %d, si_code %d, si_addr %s", (int)last_sig, last_code, last_addr_ok ? "right" : "wrong");
    volatile char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expected_addr = (uintptr_t)(ro + 8);
    last_sig = 0;
    if (!sigsetjmp(recover, 1)) ro[8] = 1;
    CHECK("segv-read-only-caught", last_sig == SIGSEGV && last_code == SEGV_ACCERR && last_addr_ok,
          "signal %d, si_code %d, si_addr %s", (int)last_sig, last_code, last_addr_ok ? "right" : "wrong");
    CHECK("segv-mask-restored", !is_blocked(SIGSEGV), "siglongjmp out of the handler left SIGSEGV blocked");

    install_info(SIGFPE, fault, 0);
    volatile int zero = 0, one = 1;
    expected_addr = 0;
    last_sig = 0;
    if (!sigsetjmp(recover, 1)) zero = one / zero;
    CHECK("fpe-caught", last_sig == SIGFPE && last_code == FPE_INTDIV, "signal %d, si_code %d", (int)last_sig, last_code);

    install_info(SIGILL, fault, 0);
    last_sig = 0;
    if (!sigsetjmp(recover, 1)) __asm__ volatile("ud2");
    CHECK("ill-caught", last_sig == SIGILL && last_code == ILL_ILLOPN, "signal %d, si_code %d", (int)last_sig, last_code);
}

static void alt_stack_and_fpu(void)
{
    alt_size = 64 * 1024;
    alt_base = malloc(alt_size);
    stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 }, old;
    CHECK_OK("sigaltstack-set", sigaltstack(&ss, NULL));
    CHECK("sigaltstack-query", sigaltstack(NULL, &old) == 0 && old.ss_sp == alt_base && old.ss_size == alt_size && old.ss_flags == 0,
          "sigaltstack did not give the stack back");
    install(SIGUSR1, plain, SA_ONSTACK);
    raise(SIGUSR1);
    CHECK("handler-on-alt-stack", on_alt_stack, "the SA_ONSTACK handler did not run on the alternate stack");
    install(SIGUSR1, plain, 0);
    raise(SIGUSR1);
    CHECK("handler-off-alt-stack", !on_alt_stack, "a handler without SA_ONSTACK ran on the alternate stack");
    ss.ss_size = 512;
    CHECK_ERR("sigaltstack-too-small-enomem", sigaltstack(&ss, NULL), ENOMEM);
    ss.ss_flags = 0x1234, ss.ss_size = alt_size;
    CHECK_ERR("sigaltstack-bad-flags-einval", sigaltstack(&ss, NULL), EINVAL);

    install(SIGUSR2, fpu_heavy, 0);
    volatile double a = 1.0 / 3.0;
    double before = a * 7.0;
    raise(SIGUSR2);
    CHECK("fpu-state-kept", a * 7.0 == before && a == 1.0 / 3.0, "a handler's floating point work changed the interrupted code's values");
}

static void errors(void)
{
    CHECK_ERR("sigaction-sigkill-einval", install(SIGKILL, plain, 0), EINVAL);
    CHECK_ERR("sigaction-sigstop-einval", install(SIGSTOP, plain, 0), EINVAL);
    struct k_sigaction ksa = { (void *)plain, 0, NULL, 0 };
    CHECK_ERR("rt-sigaction-zero-einval", syscall(SYS_rt_sigaction, 0, &ksa, NULL, 8), EINVAL);
    CHECK_ERR("rt-sigaction-65-einval", syscall(SYS_rt_sigaction, 65, &ksa, NULL, 8), EINVAL);
    CHECK_ERR("rt-sigaction-bad-size-einval", syscall(SYS_rt_sigaction, SIGUSR1, &ksa, NULL, 4), EINVAL);
    CHECK_ERR("rt-sigaction-bad-pointer-efault", syscall(SYS_rt_sigaction, SIGUSR1, (void *)1, NULL, 8), EFAULT);
    struct sigaction q;
    CHECK("sigaction-query-sigkill", sigaction(SIGKILL, NULL, &q) == 0 && q.sa_handler == SIG_DFL, "querying SIGKILL failed");
    CHECK_OK("kill-signal-zero", kill(getpid(), 0));
    CHECK_ERR("kill-bad-signal-einval", kill(getpid(), 65), EINVAL);
    CHECK_ERR("kill-no-such-pid-esrch", kill(0x3fffffff, 0), ESRCH);
}

int main(void)
{
    handlers();
    masks();
    faults();
    alt_stack_and_fpu();
    errors();
    return check_exit();
}
