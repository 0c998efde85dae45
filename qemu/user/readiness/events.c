/* events: the rest of readiness — eventfd(2), timerfd_create(2), signalfd(2)
 * and epoll(7): values and flags, blocking and O_NONBLOCK, waiters woken from
 * another process (fork), signals ending waits, level- and edge-triggered and
 * one-shot reporting, epoll_ctl's errors, entries of closed descriptions, and
 * an epoll set inside another. Run natively and on the kernel; the lines must
 * match. */
#include "../check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

static volatile int got_signal;
static void on_signal(int s) { (void)s; got_signal++; }

static struct timespec now_mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

static int wait_child(pid_t pid)
{
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static void eventfd_values(void)
{
    uint64_t v = 0;
    int fd = eventfd(5, 0);
    CHECK("eventfd", fd >= 0, "errno %s", errname(errno));
    CHECK("eventfd-read", read(fd, &v, 8) == 8 && v == 5, "value %llu", (unsigned long long)v);
    v = 3;
    CHECK("eventfd-write", write(fd, &v, 8) == 8, "errno %s", errname(errno));
    v = 4;
    write(fd, &v, 8);
    v = 0;
    CHECK("eventfd-write-adds", read(fd, &v, 16) == 8 && v == 7, "value %llu", (unsigned long long)v);
    CHECK_ERR("eventfd-read-short", read(fd, &v, 4), EINVAL);
    CHECK_ERR("eventfd-write-short", write(fd, &v, 7), EINVAL);
    v = UINT64_MAX;
    CHECK_ERR("eventfd-write-max", write(fd, &v, 8), EINVAL);
    CHECK_ERR("eventfd-write-fault", write(fd, (void *)8, 8), EFAULT);
    CHECK("eventfd-lseek-noop", lseek(fd, 5, SEEK_SET) == 0, "errno %s", errname(errno));
    close(fd);

    CHECK_ERR("eventfd2-bad-flags", eventfd(0, O_APPEND), EINVAL);
    fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK("eventfd2-flags", fcntl(fd, F_GETFD) == FD_CLOEXEC && (fcntl(fd, F_GETFL) & O_NONBLOCK)
          && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "fl %x", fcntl(fd, F_GETFL));
    v = 0;
    CHECK("eventfd-semaphore-1", read(fd, &v, 8) == 8 && v == 1, "value %llu", (unsigned long long)v);
    CHECK("eventfd-semaphore-2", read(fd, &v, 8) == 8 && v == 1, "value %llu", (unsigned long long)v);
    CHECK_ERR("eventfd-nonblock-empty", read(fd, &v, 8), EAGAIN);
    v = 0xfffffffffffffffeULL;
    CHECK("eventfd-write-to-max", write(fd, &v, 8) == 8, "errno %s", errname(errno));
    v = 1;
    CHECK_ERR("eventfd-nonblock-full", write(fd, &v, 8), EAGAIN);
    v = 0;
    CHECK("eventfd-write-zero-full", write(fd, &v, 8) == 8, "errno %s", errname(errno));
    struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
    CHECK("eventfd-poll-full", poll(&p, 1, 0) == 1 && p.revents == POLLIN, "revents %x", p.revents);
    read(fd, &v, 8);
    p.revents = 0;
    CHECK("eventfd-poll-both", poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "revents %x", p.revents);
    close(fd);
    fd = eventfd(0, 0);
    p.fd = fd;
    p.revents = 0;
    CHECK("eventfd-poll-empty", poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "revents %x", p.revents);
    struct stat st;
    CHECK("eventfd-fstat", fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == 0 && (st.st_mode & 0777) == 0600,
          "mode %o", st.st_mode);
    close(fd);
}

/* Each "...-waited" check measures from before the fork (or the arming) that starts the
 * 50 ms: a vCPU or host stall after it cannot make a blocking call look early. */
static void eventfd_blocking(void)
{
    int fd = eventfd(0, 0);
    struct timespec start = now_mono();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        uint64_t one = 42;
        write(fd, &one, 8);
        _exit(0);
    }
    uint64_t v = 0;
    CHECK("eventfd-blocking-read", read(fd, &v, 8) == 8 && v == 42, "value %llu", (unsigned long long)v);
    CHECK("eventfd-blocking-read-waited", elapsed_ms(start) >= 40, "returned at once");
    wait_child(pid);

    v = 0xfffffffffffffffeULL;
    write(fd, &v, 8);
    start = now_mono();
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        uint64_t got;
        read(fd, &got, 8);
        _exit(0);
    }
    v = 9;
    CHECK("eventfd-blocking-write", write(fd, &v, 8) == 8, "errno %s", errname(errno));
    CHECK("eventfd-blocking-write-waited", elapsed_ms(start) >= 40, "returned at once");
    wait_child(pid);
    read(fd, &v, 8);
    CHECK("eventfd-after-blocked-write", v == 9, "value %llu", (unsigned long long)v);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGALRM, &sa, 0);
    got_signal = 0;
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        kill(getppid(), SIGALRM);
        _exit(0);
    }
    CHECK_ERR("eventfd-read-eintr", read(fd, &v, 8), EINTR);
    CHECK("eventfd-read-eintr-handler", got_signal == 1, "handler ran %d times", got_signal);
    wait_child(pid);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, 0);
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        kill(getppid(), SIGALRM);
        sleep_ms(50);
        uint64_t seven = 7;
        write(fd, &seven, 8);
        _exit(0);
    }
    v = 0;
    CHECK("eventfd-read-restart", read(fd, &v, 8) == 8 && v == 7 && got_signal == 2, "value %llu signals %d",
          (unsigned long long)v, got_signal);
    wait_child(pid);
    signal(SIGALRM, SIG_DFL);
    close(fd);
}

static void timerfd_checks(void)
{
    CHECK_ERR("timerfd-bad-clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
    CHECK_ERR("timerfd-bad-flags", timerfd_create(CLOCK_MONOTONIC, O_APPEND), EINVAL);
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    CHECK("timerfd-create", fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "errno %s", errname(errno));
    struct itimerspec its, old;
    memset(&its, 0, sizeof its);
    CHECK("timerfd-gettime-disarmed", timerfd_gettime(fd, &old) == 0 && old.it_value.tv_sec == 0
          && old.it_value.tv_nsec == 0, "value %ld", (long)old.it_value.tv_nsec);
    its.it_value.tv_nsec = 1000000000;
    CHECK_ERR("timerfd-settime-bad-nsec", timerfd_settime(fd, 0, &its, 0), EINVAL);
    its.it_value.tv_nsec = 0;
    its.it_value.tv_sec = 1;
    CHECK_ERR("timerfd-settime-bad-flags", timerfd_settime(fd, 4, &its, 0), EINVAL);
    int null = open("/dev/null", O_RDONLY);
    CHECK_ERR("timerfd-settime-not-timerfd", timerfd_settime(null, 0, &its, 0), EINVAL);
    CHECK_ERR("timerfd-gettime-not-timerfd", timerfd_gettime(null, &old), EINVAL);
    close(null);
    CHECK_ERR("timerfd-settime-ebadf", timerfd_settime(99, 0, &its, 0), EBADF);
    CHECK_ERR("timerfd-settime-efault", timerfd_settime(fd, 0, (void *)8, 0), EFAULT);

    its.it_value.tv_sec = 10;
    CHECK("timerfd-settime", timerfd_settime(fd, 0, &its, 0) == 0, "errno %s", errname(errno));
    timerfd_gettime(fd, &old);
    CHECK("timerfd-gettime-left", old.it_value.tv_sec == 9 || (old.it_value.tv_sec == 10 && old.it_value.tv_nsec == 0),
          "left %ld s", (long)old.it_value.tv_sec);
    memset(&its, 0, sizeof its);
    its.it_value.tv_nsec = 50000000;
    memset(&old, 0, sizeof old);
    struct timespec start = now_mono(); /* before arming: a stall after it cannot shorten the wait */
    CHECK("timerfd-settime-old", timerfd_settime(fd, 0, &its, &old) == 0 && old.it_value.tv_sec == 9, "old %ld s",
          (long)old.it_value.tv_sec);
    uint64_t n = 0;
    CHECK_ERR("timerfd-read-short", read(fd, &n, 4), EINVAL);
    uint64_t eight = 1;
    CHECK_ERR("timerfd-write", write(fd, &eight, 8), EINVAL);
    CHECK("timerfd-read-blocks", read(fd, &n, 8) == 8 && n == 1, "count %llu", (unsigned long long)n);
    CHECK("timerfd-read-waited", elapsed_ms(start) >= 40, "waited %ld ms", elapsed_ms(start));
    timerfd_gettime(fd, &old);
    CHECK("timerfd-expired-disarmed", old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0, "left %ld ns",
          (long)old.it_value.tv_nsec);

    fcntl(fd, F_SETFL, O_NONBLOCK);
    CHECK_ERR("timerfd-nonblock", read(fd, &n, 8), EAGAIN);
    its.it_value.tv_nsec = 20000000;
    its.it_interval.tv_nsec = 20000000;
    struct timespec armed = now_mono();
    timerfd_settime(fd, 0, &its, 0);
    sleep_ms(110);
    n = 0;
    ssize_t got = read(fd, &n, 8);
    long periods = elapsed_ms(armed) / 20;
    CHECK("timerfd-interval-count", got == 8 && (long)n >= periods - 1 && (long)n <= periods + 1 && n >= 4,
          "count %llu for %ld periods", (unsigned long long)n, periods);
    timerfd_gettime(fd, &old);
    CHECK("timerfd-interval-gettime", old.it_interval.tv_nsec == 20000000 && old.it_value.tv_sec == 0
          && old.it_value.tv_nsec > 0 && old.it_value.tv_nsec <= 20000000, "value %ld", (long)old.it_value.tv_nsec);
    struct pollfd p = { fd, POLLIN, 0 };
    CHECK("timerfd-poll-waits", poll(&p, 1, 200) == 1 && p.revents == POLLIN, "revents %x", p.revents);
    memset(&its, 0, sizeof its);
    timerfd_settime(fd, 0, &its, 0);
    CHECK_ERR("timerfd-disarm-drops", read(fd, &n, 8), EAGAIN);

    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    its.it_value = mono;
    CHECK("timerfd-abstime-past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, 0) == 0 && read(fd, &n, 8) == 8 && n == 1,
          "count %llu", (unsigned long long)n);
    close(fd);

    fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    struct timespec real;
    clock_gettime(CLOCK_REALTIME, &real);
    real.tv_nsec += 50000000;
    if (real.tv_nsec >= 1000000000) { real.tv_sec++; real.tv_nsec -= 1000000000; }
    its.it_value = real;
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, 0);
    CHECK_ERR("timerfd-realtime-not-yet", read(fd, &n, 8), EAGAIN);
    p.fd = fd;
    p.revents = 0;
    CHECK("timerfd-realtime-abstime", poll(&p, 1, 500) == 1 && read(fd, &n, 8) == 8 && n == 1, "count %llu",
          (unsigned long long)n);
    close(fd);
    fd = timerfd_create(CLOCK_BOOTTIME, 0);
    CHECK("timerfd-boottime", fd >= 0, "errno %s", errname(errno));
    close(fd);
}

static void signalfd_checks(void)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigprocmask(SIG_BLOCK, &mask, 0);
    CHECK_ERR("signalfd-bad-size", syscall(SYS_signalfd4, -1, &mask, 4, 0), EINVAL);
    CHECK_ERR("signalfd-bad-flags", signalfd(-1, &mask, O_APPEND), EINVAL);
    int null = open("/dev/null", O_RDONLY);
    CHECK_ERR("signalfd-not-signalfd", signalfd(null, &mask, 0), EINVAL);
    close(null);
    sigaddset(&mask, SIGKILL);
    int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    CHECK("signalfd", fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "errno %s", errname(errno));
    struct signalfd_siginfo si[2];
    CHECK_ERR("signalfd-empty", read(fd, si, sizeof si), EAGAIN);
    CHECK_ERR("signalfd-read-short", read(fd, si, 100), EINVAL);
    struct pollfd p = { fd, POLLIN, 0 };
    CHECK("signalfd-poll-empty", poll(&p, 1, 0) == 0, "revents %x", p.revents);
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    CHECK("signalfd-poll-pending", poll(&p, 1, 0) == 1 && p.revents == POLLIN, "revents %x", p.revents);
    memset(si, 0, sizeof si);
    ssize_t r = read(fd, si, sizeof si);
    CHECK("signalfd-read-two", r == 2 * (ssize_t)sizeof si[0] && si[0].ssi_signo == SIGUSR1 && si[1].ssi_signo == SIGUSR2,
          "read %ld signals %u %u", (long)r, si[0].ssi_signo, si[1].ssi_signo);
    CHECK("signalfd-siginfo", si[0].ssi_pid == (uint32_t)getpid() && si[0].ssi_code == SI_USER && si[0].ssi_uid == getuid(),
          "code %d", si[0].ssi_code);
    sigset_t pending;
    sigpending(&pending);
    CHECK("signalfd-read-dequeues", !sigismember(&pending, SIGUSR1) && !sigismember(&pending, SIGUSR2), "still pending");
    CHECK("signalfd-struct-size", sizeof(struct signalfd_siginfo) == 128, "size %zu", sizeof(struct signalfd_siginfo));

    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    CHECK("signalfd-update-mask", signalfd(fd, &mask, 0) == fd, "errno %s", errname(errno));
    raise(SIGUSR1);
    CHECK_ERR("signalfd-not-in-mask", read(fd, si, sizeof si[0]), EAGAIN);
    sigpending(&pending);
    CHECK("signalfd-other-stays-pending", sigismember(&pending, SIGUSR1), "not pending");
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    int sig = 0;
    sigwait(&usr1, &sig);

    fcntl(fd, F_SETFL, 0);
    struct timespec start = now_mono();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    memset(si, 0, sizeof si);
    r = read(fd, si, sizeof si);
    CHECK("signalfd-blocking-read", r == sizeof si[0] && si[0].ssi_signo == SIGUSR2, "read %ld", (long)r);
    CHECK("signalfd-blocking-read-waited", elapsed_ms(start) >= 40, "returned at once");
    wait_child(pid);

    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    p.revents = 0;
    CHECK("signalfd-poll-woken", poll(&p, 1, 2000) == 1 && p.revents == POLLIN, "revents %x", p.revents);
    read(fd, si, sizeof si[0]);
    wait_child(pid);

    /* After fork, a signalfd reads the reader's own signals. */
    raise(SIGUSR2);
    pid = fork();
    if (pid == 0) {
        struct pollfd q = { fd, POLLIN, 0 };
        int ready = poll(&q, 1, 0);
        raise(SIGUSR2);
        struct signalfd_siginfo s;
        ssize_t got = read(fd, &s, sizeof s);
        _exit(ready == 0 && got == sizeof s && s.ssi_pid == (uint32_t)getpid() ? 0 : 1);
    }
    int status = wait_child(pid);
    CHECK("signalfd-fork-own-signals", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
    CHECK("signalfd-fork-parent-keeps", read(fd, si, sizeof si[0]) == sizeof si[0] && si[0].ssi_pid == (uint32_t)getpid(),
          "pid differs");
    close(fd);
    sigprocmask(SIG_UNBLOCK, &mask, 0);
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &mask, 0);
}

static int ep_wait(int ep, struct epoll_event *ev, int max, int timeout)
{
    memset(ev, 0, sizeof *ev * (size_t)max);
    return epoll_wait(ep, ev, max, timeout);
}

static void epoll_errors(void)
{
    CHECK_ERR("epoll-create-zero", syscall(SYS_epoll_create, 0), EINVAL);
    CHECK_ERR("epoll-create1-flags", epoll_create1(O_NONBLOCK), EINVAL);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK("epoll-create1", ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC, "errno %s", errname(errno));
    int p[2];
    pipe(p);
    struct epoll_event ev = { EPOLLIN, { .u64 = 1 } };
    CHECK_ERR("epoll-ctl-ebadf-fd", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev), EBADF);
    CHECK_ERR("epoll-ctl-ebadf-ep", epoll_ctl(99, EPOLL_CTL_ADD, p[0], &ev), EBADF);
    CHECK_ERR("epoll-ctl-not-epoll", epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL);
    CHECK_ERR("epoll-ctl-self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
    CHECK_ERR("epoll-ctl-efault", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (void *)8), EFAULT);
    int file = open("/events-test-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (file < 0) file = open("/tmp/events-test-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK_ERR("epoll-ctl-regular-file", epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev), EPERM);
    close(file);
    unlink("/events-test-file");
    unlink("/tmp/events-test-file");
    int dir = open("/", O_RDONLY | O_DIRECTORY);
    CHECK_ERR("epoll-ctl-directory", epoll_ctl(ep, EPOLL_CTL_ADD, dir, &ev), EPERM);
    close(dir);
    CHECK_ERR("epoll-ctl-mod-absent", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
    CHECK_ERR("epoll-ctl-del-absent", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], 0), ENOENT);
    CHECK("epoll-ctl-add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "errno %s", errname(errno));
    CHECK_ERR("epoll-ctl-add-twice", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
    int dup0 = dup(p[0]);
    CHECK("epoll-ctl-add-dup", epoll_ctl(ep, EPOLL_CTL_ADD, dup0, &ev) == 0, "errno %s", errname(errno));
    CHECK_ERR("epoll-ctl-bad-op", epoll_ctl(ep, 9, p[0], &ev), EINVAL);
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    CHECK_ERR("epoll-ctl-mod-exclusive", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
    CHECK("epoll-ctl-del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], 0) == 0, "errno %s", errname(errno));
    struct epoll_event out[4];
    CHECK_ERR("epoll-wait-maxevents-zero", epoll_wait(ep, out, 0, 0), EINVAL);
    CHECK_ERR("epoll-wait-ebadf-first", epoll_wait(99, out, -1, 0), EBADF);
    CHECK_ERR("epoll-wait-maxevents-negative", epoll_wait(ep, out, -1, 0), EINVAL);
    CHECK_ERR("epoll-wait-kernel-buffer", epoll_wait(ep, (void *)-4096L, 1, 0), EFAULT);
    CHECK_ERR("epoll-wait-ebadf", epoll_wait(99, out, 4, 0), EBADF);
    CHECK_ERR("epoll-wait-not-epoll", epoll_wait(p[0], out, 4, 0), EINVAL);
    CHECK("epoll-wait-timeout-zero", ep_wait(ep, out, 4, 0) == 0, "events");
    struct timespec start = now_mono();
    CHECK("epoll-wait-timeout", ep_wait(ep, out, 4, 60) == 0 && elapsed_ms(start) >= 50, "waited %ld", elapsed_ms(start));
    sigset_t set;
    sigemptyset(&set);
    CHECK_ERR("epoll-pwait-bad-sigsetsize", syscall(SYS_epoll_pwait, ep, out, 4, 0, &set, 4), EINVAL);
    CHECK("epoll-event-size", sizeof(struct epoll_event) == 12, "size %zu", sizeof(struct epoll_event));
    close(dup0);
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void epoll_levels(void)
{
    int ep = epoll_create(1);
    int a[2], b[2];
    pipe(a);
    pipe(b);
    struct epoll_event ev = { EPOLLIN, { .u64 = 0x1122334455667788ULL } };
    epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev);
    ev.data.u64 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, b[0], &ev);
    ev.events = EPOLLOUT;
    ev.data.u64 = 3;
    epoll_ctl(ep, EPOLL_CTL_ADD, a[1], &ev);
    struct epoll_event out[4];
    int n = ep_wait(ep, out, 4, 0);
    CHECK("epoll-writable", n == 1 && out[0].events == EPOLLOUT && out[0].data.u64 == 3, "n %d events %x", n, out[0].events);
    epoll_ctl(ep, EPOLL_CTL_DEL, a[1], 0);
    write(a[1], "x", 1);
    n = ep_wait(ep, out, 4, 0);
    CHECK("epoll-level-readable", n == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ULL,
          "n %d events %x", n, out[0].events);
    n = ep_wait(ep, out, 4, 0);
    CHECK("epoll-level-again", n == 1 && out[0].events == EPOLLIN, "n %d", n);
    write(b[1], "y", 1);
    n = ep_wait(ep, out, 1, 0);
    int first = n == 1 ? (int)out[0].data.u64 : -1;
    n = ep_wait(ep, out, 1, 0);
    int second = n == 1 ? (int)out[0].data.u64 : -1;
    CHECK("epoll-maxevents-rotates", first != second && (first == 2 || second == 2), "first %d second %d", first, second);
    n = ep_wait(ep, out, 4, 0);
    CHECK("epoll-two-ready", n == 2, "n %d", n);
    char c;
    read(a[0], &c, 1);
    read(b[0], &c, 1);
    CHECK("epoll-drained", ep_wait(ep, out, 4, 0) == 0, "still ready");
    close(a[1]);
    n = ep_wait(ep, out, 4, 0);
    CHECK("epoll-hup-always", n == 1 && out[0].events == EPOLLHUP, "n %d events %x", n, out[0].events);
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = 5;
    CHECK("epoll-ctl-mod", epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev) == 0, "errno %s", errname(errno));
    n = ep_wait(ep, out, 4, 0);
    CHECK("epoll-mod-data", n == 1 && out[0].data.u64 == 5 && (out[0].events & EPOLLHUP), "n %d", n);

    /* A closed description leaves the set. */
    close(a[0]);
    CHECK("epoll-closed-removed", ep_wait(ep, out, 4, 0) == 0, "reported a closed fd");
    int again[2];
    pipe(again);
    CHECK("epoll-fd-reused", epoll_ctl(ep, EPOLL_CTL_ADD, again[0], &ev) == 0 || again[0] != a[0], "errno %s", errname(errno));
    close(again[0]);
    close(again[1]);

    /* An fd closed while a dup keeps the description open stays (Linux keys by description). */
    int c2[2];
    pipe(c2);
    ev.events = EPOLLIN;
    ev.data.u64 = 7;
    epoll_ctl(ep, EPOLL_CTL_ADD, c2[0], &ev);
    int keep = dup(c2[0]);
    close(c2[0]);
    write(c2[1], "z", 1);
    n = ep_wait(ep, out, 4, 0);
    CHECK("epoll-dup-keeps-entry", n == 1 && out[0].data.u64 == 7, "n %d", n);
    close(keep);
    close(c2[1]);
    close(b[0]);
    close(b[1]);
    close(ep);
}

static void epoll_edges(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    struct epoll_event ev = { EPOLLIN | EPOLLET, { .u64 = 1 } };
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    struct epoll_event out[2];
    CHECK("epoll-et-empty", ep_wait(ep, out, 2, 0) == 0, "ready");
    write(p[1], "ab", 2);
    CHECK("epoll-et-edge", ep_wait(ep, out, 2, 0) == 1 && out[0].events == EPOLLIN, "no edge");
    CHECK("epoll-et-once", ep_wait(ep, out, 2, 0) == 0, "reported twice");
    write(p[1], "c", 1);
    CHECK("epoll-et-new-data", ep_wait(ep, out, 2, 0) == 1, "no edge for new data");
    char buf[8];
    read(p[0], buf, 1);
    CHECK("epoll-et-partial-read", ep_wait(ep, out, 2, 0) == 0, "a read made an edge");
    read(p[0], buf, sizeof buf);
    write(p[1], "d", 1);
    CHECK("epoll-et-drained-then-data", ep_wait(ep, out, 2, 0) == 1, "no edge");

    struct timespec start = now_mono();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        write(p[1], "e", 1);
        _exit(0);
    }
    int n = ep_wait(ep, out, 2, 2000);
    CHECK("epoll-et-blocking-woken", n == 1 && elapsed_ms(start) >= 40, "n %d after %ld ms", n, elapsed_ms(start));
    wait_child(pid);

    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 9;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    CHECK("epoll-oneshot", ep_wait(ep, out, 2, 0) == 1 && out[0].data.u64 == 9, "not reported");
    CHECK("epoll-oneshot-disarmed", ep_wait(ep, out, 2, 0) == 0, "reported again");
    write(p[1], "f", 1);
    CHECK("epoll-oneshot-stays-disarmed", ep_wait(ep, out, 2, 0) == 0, "reported again");
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    CHECK("epoll-oneshot-rearmed", ep_wait(ep, out, 2, 0) == 1, "not rearmed");
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void epoll_waits(void)
{
    int ep = epoll_create1(0);
    int efd = eventfd(0, EFD_NONBLOCK);
    struct epoll_event ev = { EPOLLIN, { .u64 = 4 } };
    CHECK("epoll-add-eventfd", epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0, "errno %s", errname(errno));
    struct timespec start = now_mono();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        uint64_t one = 1;
        write(efd, &one, 8);
        _exit(0);
    }
    struct epoll_event out[2];
    int n = ep_wait(ep, out, 2, -1);
    CHECK("epoll-wait-eventfd-from-child", n == 1 && out[0].data.u64 == 4 && elapsed_ms(start) >= 40, "n %d", n);
    wait_child(pid);
    uint64_t v;
    read(efd, &v, 8);

    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    ev.data.u64 = 5;
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    its.it_value.tv_nsec = 50000000;
    start = now_mono();
    timerfd_settime(tfd, 0, &its, 0);
    n = ep_wait(ep, out, 2, 1000);
    CHECK("epoll-wait-timerfd", n == 1 && out[0].data.u64 == 5 && elapsed_ms(start) >= 40, "n %d", n);
    read(tfd, &v, 8);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigprocmask(SIG_BLOCK, &mask, 0);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
    ev.data.u64 = 6;
    epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    n = ep_wait(ep, out, 2, 2000);
    CHECK("epoll-wait-signalfd", n == 1 && out[0].data.u64 == 6, "n %d", n);
    struct signalfd_siginfo si;
    CHECK("epoll-signalfd-read", read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGUSR1, "no signal");
    wait_child(pid);
    sigprocmask(SIG_UNBLOCK, &mask, 0);

    /* A handler's signal ends the wait with EINTR, SA_RESTART or not. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, 0);
    got_signal = 0;
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        kill(getppid(), SIGALRM);
        _exit(0);
    }
    CHECK_ERR("epoll-wait-eintr", ep_wait(ep, out, 2, 5000), EINTR);
    CHECK("epoll-wait-eintr-handler", got_signal == 1, "handler ran %d times", got_signal);
    wait_child(pid);

    /* epoll_pwait's mask: SIGALRM blocked during the wait, delivered after. */
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    got_signal = 0;
    pid = fork();
    if (pid == 0) {
        sleep_ms(30);
        kill(getppid(), SIGALRM);
        _exit(0);
    }
    n = epoll_pwait(ep, out, 2, 150, &block);
    CHECK("epoll-pwait-mask", n == 0 && got_signal == 1, "n %d signals %d", n, got_signal);
    wait_child(pid);
    signal(SIGALRM, SIG_DFL);

    /* The epoll fd is pollable, and nests. */
    int outer = epoll_create1(0);
    ev.events = EPOLLIN;
    ev.data.u64 = 77;
    CHECK("epoll-nested-add", epoll_ctl(outer, EPOLL_CTL_ADD, ep, &ev) == 0, "errno %s", errname(errno));
    CHECK_ERR("epoll-nested-loop", epoll_ctl(ep, EPOLL_CTL_ADD, outer, &ev), ELOOP);
    struct pollfd pf = { ep, POLLIN, 0 };
    CHECK("epoll-fd-poll-idle", poll(&pf, 1, 0) == 0, "revents %x", pf.revents);
    CHECK("epoll-nested-idle", ep_wait(outer, out, 2, 0) == 0, "ready");
    uint64_t one = 1;
    write(efd, &one, 8);
    CHECK("epoll-fd-poll-ready", poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "revents %x", pf.revents);
    n = ep_wait(outer, out, 2, 0);
    CHECK("epoll-nested-ready", n == 1 && out[0].data.u64 == 77 && out[0].events == EPOLLIN, "n %d", n);
    n = ep_wait(ep, out, 2, 0);
    CHECK("epoll-inner-still-ready", n == 1 && out[0].data.u64 == 4, "n %d", n);
    read(efd, &v, 8);
    pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        write(efd, &one, 8);
        _exit(0);
    }
    n = ep_wait(outer, out, 2, 2000);
    CHECK("epoll-nested-woken", n == 1 && out[0].data.u64 == 77, "n %d", n);
    wait_child(pid);

    /* A set shared with a child after fork: the child waits on it. */
    read(efd, &v, 8);
    pid = fork();
    if (pid == 0) {
        struct epoll_event e[2];
        int got = epoll_wait(ep, e, 2, 2000);
        _exit(got == 1 && e[0].data.u64 == 4 ? 0 : 1);
    }
    sleep_ms(50);
    write(efd, &one, 8);
    int status = wait_child(pid);
    CHECK("epoll-shared-after-fork", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
    close(outer);
    close(sfd);
    close(tfd);
    close(efd);
    close(ep);
}

int main(void)
{
    eventfd_values();
    eventfd_blocking();
    timerfd_checks();
    signalfd_checks();
    epoll_errors();
    epoll_levels();
    epoll_edges();
    epoll_waits();
    return check_exit();
}
