/* itimer: alarm(2), setitimer(2) and getitimer(2) — the three timers, their
 * signals, intervals, the values they report, EINTR of a blocking call, what
 * fork clears and execve keeps, and the argument errors. Run natively and on
 * the kernel; the lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

static volatile int alarms, vtalarms, profs;

static void on_signal(int sig)
{
    if (sig == SIGALRM) alarms++;
    else if (sig == SIGVTALRM) vtalarms++;
    else if (sig == SIGPROF) profs++;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void handle(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: blocking calls end with EINTR */
    sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        struct itimerval left;
        getitimer(ITIMER_REAL, &left);
        CHECK("exec-keeps-real-timer", left.it_value.tv_sec >= 8 && left.it_value.tv_sec <= 10, "left %ld", (long)left.it_value.tv_sec);
        setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 0}}, NULL);
        return check_exit();
    }
    handle(SIGALRM);
    handle(SIGVTALRM);
    handle(SIGPROF);

    CHECK("alarm-none-before", alarm(0) == 0, "not 0");
    CHECK("alarm-set", alarm(5) == 0, "not 0");
    unsigned left = alarm(2);
    CHECK("alarm-returns-left-rounded", left == 5, "left %u", left);
    left = alarm(0);
    CHECK("alarm-cancel-returns-left", left == 2, "left %u", left);

    double t0 = now();
    alarm(1);
    int r = pause();
    double took = now() - t0;
    CHECK("alarm-interrupts-pause", r == -1 && errno == EINTR && alarms == 1, "r %d errno %s alarms %d", r, errname(errno), alarms);
    CHECK("alarm-after-a-second", took > 0.9 && took < 3.0, "took %.2f", took);

    struct itimerval tv = {{0, 50000}, {0, 50000}};
    CHECK_OK("setitimer-real-interval", setitimer(ITIMER_REAL, &tv, NULL));
    sigset_t none;
    sigemptyset(&none);
    while (alarms < 6) sigsuspend(&none);
    struct itimerval got;
    CHECK("getitimer-real-interval", getitimer(ITIMER_REAL, &got) == 0 && got.it_interval.tv_sec == 0 && got.it_interval.tv_usec == 50000
          && got.it_value.tv_sec == 0 && got.it_value.tv_usec <= 50000, "interval %ld value %ld", (long)got.it_interval.tv_usec, (long)got.it_value.tv_usec);
    struct itimerval old;
    CHECK("setitimer-disarm-returns-old", setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 0}}, &old) == 0
          && old.it_interval.tv_usec == 50000, "old interval %ld", (long)old.it_interval.tv_usec);
    CHECK("getitimer-disarmed", getitimer(ITIMER_REAL, &got) == 0 && got.it_value.tv_sec == 0 && got.it_value.tv_usec == 0
          && got.it_interval.tv_usec == 0, "value %ld", (long)got.it_value.tv_usec);

    setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {10, 0}}, NULL);
    CHECK("getitimer-real-left", getitimer(ITIMER_REAL, &got) == 0 && got.it_value.tv_sec >= 9 && got.it_value.tv_sec <= 10
          && got.it_interval.tv_sec == 0, "left %ld", (long)got.it_value.tv_sec);
    pid_t child = fork();
    if (child == 0) {
        struct itimerval c;
        getitimer(ITIMER_REAL, &c);
        _exit(c.it_value.tv_sec == 0 && c.it_value.tv_usec == 0 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    CHECK("fork-child-has-no-timer", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
    child = fork();
    if (child == 0) {
        setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {10, 0}}, NULL);
        execl("/proc/self/exe", argv[0], "after-exec", (char *)NULL);
        _exit(9);
    }
    waitpid(child, &status, 0);
    CHECK("exec-child-ran", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
    setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 0}}, NULL);

    /* A blocking read ends with EINTR when the timer fires. */
    int p[2];
    pipe(p);
    alarms = 0;
    setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 100000}}, NULL);
    char c;
    ssize_t n = read(p[0], &c, 1);
    CHECK("real-timer-interrupts-read", n == -1 && errno == EINTR && alarms == 1, "n %ld errno %s", (long)n, errname(errno));

    /* CPU-time timers: they run while this process computes. */
    setitimer(ITIMER_VIRTUAL, &(struct itimerval){{0, 0}, {0, 100000}}, NULL);
    t0 = now();
    volatile unsigned long spin = 0;
    while (!vtalarms && now() - t0 < 20) spin++;
    CHECK("virtual-timer-fires-on-user-time", vtalarms == 1, "vtalarms %d", vtalarms);
    setitimer(ITIMER_PROF, &(struct itimerval){{0, 100000}, {0, 100000}}, NULL);
    t0 = now();
    while (profs < 3 && now() - t0 < 20) spin++;
    CHECK("prof-timer-interval", profs >= 3, "profs %d", profs);
    CHECK("getitimer-prof-interval", getitimer(ITIMER_PROF, &got) == 0 && got.it_interval.tv_usec == 100000, "interval %ld", (long)got.it_interval.tv_usec);
    setitimer(ITIMER_PROF, &(struct itimerval){{0, 0}, {0, 0}}, NULL);
    CHECK("getitimer-virtual-after-firing", getitimer(ITIMER_VIRTUAL, &got) == 0 && got.it_value.tv_usec == 0 && got.it_value.tv_sec == 0, "value %ld", (long)got.it_value.tv_usec);

    /* Errors. */
    CHECK_ERR("setitimer-bad-which", setitimer(3, &tv, NULL), EINVAL);
    CHECK_ERR("getitimer-bad-which", getitimer(-1, &got), EINVAL);
    CHECK_ERR("setitimer-usec-too-big", setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 1000000}}, NULL), EINVAL);
    CHECK_ERR("setitimer-negative-sec", setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {-1, 0}}, NULL), EINVAL);
    CHECK_ERR("setitimer-bad-pointer", setitimer(ITIMER_REAL, (struct itimerval *)8, NULL), EFAULT);
    CHECK_ERR("getitimer-bad-pointer", getitimer(ITIMER_REAL, (struct itimerval *)8), EFAULT);
    CHECK("setitimer-null-disarms", syscall(SYS_setitimer, ITIMER_REAL, NULL, &old) == 0, "errno %s", errname(errno));
    return check_exit();
}
