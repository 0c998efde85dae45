/* time: clock_gettime(2), clock_getres(2), gettimeofday(2), time(2),
 * nanosleep(2) and clock_nanosleep(2). Clocks are compared with each other
 * and with fixed bounds, never printed. Bad clocks and pointers are passed
 * to the raw syscalls (the vDSO would fault in user space on a bad pointer). */
#include "../check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#define NS 1000000000LL
#define JAN_2020 1577836800LL

static int64_t ns_of(struct timespec t) { return (int64_t)t.tv_sec * NS + t.tv_nsec; }
static int valid(struct timespec t) { return t.tv_sec >= 0 && t.tv_nsec >= 0 && t.tv_nsec < NS; }

static int64_t now(clockid_t c)
{
    struct timespec t;
    return clock_gettime(c, &t) == 0 ? ns_of(t) : -1;
}

static void clocks(void)
{
    struct timespec t;
    CHECK_OK("monotonic", clock_gettime(CLOCK_MONOTONIC, &t));
    CHECK("monotonic-normalised", valid(t), "tv_nsec out of [0, 1e9)");
    int64_t prev = ns_of(t), backwards = 0;
    for (int i = 0; i < 1000; i++) {
        int64_t n = now(CLOCK_MONOTONIC);
        if (n < prev) backwards++;
        prev = n;
    }
    CHECK("monotonic-non-decreasing", backwards == 0, "CLOCK_MONOTONIC went backwards %lld times in 1000 reads", (long long)backwards);
    CHECK_OK("realtime", clock_gettime(CLOCK_REALTIME, &t));
    CHECK("realtime-normalised", valid(t), "tv_nsec out of [0, 1e9)");
    CHECK("realtime-after-2020", t.tv_sec > JAN_2020, "CLOCK_REALTIME is before 2020-01-01");
    CHECK("realtime-before-2100", t.tv_sec < 4102444800LL, "CLOCK_REALTIME is after 2100-01-01");

    static const struct { clockid_t id; const char *name; } others[] = {
        { CLOCK_MONOTONIC_RAW, "monotonic-raw" }, { CLOCK_MONOTONIC_COARSE, "monotonic-coarse" },
        { CLOCK_REALTIME_COARSE, "realtime-coarse" }, { CLOCK_BOOTTIME, "boottime" },
        { CLOCK_PROCESS_CPUTIME_ID, "process-cputime" }, { CLOCK_THREAD_CPUTIME_ID, "thread-cputime" },
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        char name[64];
        errno = 0;
        int r = clock_gettime(others[i].id, &t);
        snprintf(name, sizeof name, "%s-readable", others[i].name);
        CHECK(name, r == 0 && valid(t), "clock_gettime %s", r ? errname(errno) : "gave tv_nsec out of range");
    }
    int64_t mono = now(CLOCK_MONOTONIC), boot = now(CLOCK_BOOTTIME);
    CHECK("boottime-not-behind-monotonic", boot >= mono, "CLOCK_BOOTTIME read after CLOCK_MONOTONIC is smaller");
    int64_t real = now(CLOCK_REALTIME), coarse = now(CLOCK_REALTIME_COARSE);
    CHECK("realtime-coarse-close", coarse > real - NS && coarse < real + NS, "CLOCK_REALTIME_COARSE is over 1 s from CLOCK_REALTIME");
}

static void resolutions(void)
{
    struct timespec r = { -1, -1 };
    CHECK_OK("getres-monotonic", clock_getres(CLOCK_MONOTONIC, &r));
    CHECK("getres-monotonic-fine", r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 1000000, "resolution is not in (0, 1 ms]");
    r.tv_sec = -1;
    CHECK_OK("getres-realtime", clock_getres(CLOCK_REALTIME, &r));
    CHECK("getres-realtime-fine", r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 1000000, "resolution is not in (0, 1 ms]");
    CHECK_OK("getres-null", clock_getres(CLOCK_MONOTONIC, NULL));
    CHECK_ERR("getres-bad-clock-einval", syscall(SYS_clock_getres, 999, &r), EINVAL);
    CHECK_ERR("gettime-bad-clock-einval", syscall(SYS_clock_gettime, 999, &r), EINVAL);
    CHECK_ERR("gettime-negative-clock-einval", syscall(SYS_clock_gettime, -1000, &r), EINVAL);
    CHECK_ERR("gettime-null-efault", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL), EFAULT);
}

static void wall_clocks(void)
{
    struct timeval tv;
    CHECK_OK("gettimeofday", gettimeofday(&tv, NULL));
    CHECK("gettimeofday-normalised", tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec out of [0, 1e6)");
    int64_t real = now(CLOCK_REALTIME) / 1000, tod = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
    CHECK("gettimeofday-matches-realtime", tod <= real && real - tod < 1000000, "gettimeofday is not within 1 s before CLOCK_REALTIME");
    CHECK_OK("gettimeofday-raw", syscall(SYS_gettimeofday, &tv, NULL));
    CHECK_ERR("gettimeofday-bad-pointer-efault", syscall(SYS_gettimeofday, (void *)1, NULL), EFAULT);
    time_t stored = 0, t = time(&stored);
    CHECK("time-stores-result", t == stored, "time(&t) returned a different value than it stored");
    int64_t real_s = now(CLOCK_REALTIME) / NS;
    CHECK("time-matches-realtime", t <= real_s && real_s - t <= 1, "time() is not within 1 s before CLOCK_REALTIME");
    CHECK("time-raw-matches", llabs((long long)syscall(SYS_time, NULL) - (long long)t) <= 1, "the time syscall differs from time() by over 1 s");
}

static void sleeps(void)
{
    struct timespec req = { 0, 10 * 1000 * 1000 }, rem = { 7, 7 };
    int64_t t0 = now(CLOCK_MONOTONIC);
    CHECK_OK("nanosleep-10ms", nanosleep(&req, &rem));
    int64_t slept = now(CLOCK_MONOTONIC) - t0;
    CHECK("nanosleep-10ms-elapsed", slept >= 10 * 1000 * 1000, "slept less than 10 ms");
    CHECK("nanosleep-10ms-bounded", slept < 5 * NS, "slept 5 s or more");
    req.tv_nsec = 0;
    CHECK_OK("nanosleep-zero", nanosleep(&req, NULL));
    req.tv_nsec = NS;
    CHECK_ERR("nanosleep-nsec-1e9-einval", nanosleep(&req, NULL), EINVAL);
    req.tv_sec = -1, req.tv_nsec = 0;
    CHECK_ERR("nanosleep-negative-einval", nanosleep(&req, NULL), EINVAL);
    CHECK_ERR("nanosleep-null-efault", syscall(SYS_nanosleep, NULL, NULL), EFAULT);

    struct timespec target;
    clock_gettime(CLOCK_MONOTONIC, &target);
    target.tv_nsec += 20 * 1000 * 1000;
    if (target.tv_nsec >= NS) target.tv_sec++, target.tv_nsec -= NS;
    int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL);
    CHECK("clock-nanosleep-abstime", r == 0, "clock_nanosleep returned %s", errname(r));
    CHECK("clock-nanosleep-abstime-reached", now(CLOCK_MONOTONIC) >= ns_of(target), "woke before the absolute deadline");
    struct timespec past = { 0, 1 };
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
    CHECK("clock-nanosleep-past-returns", r == 0, "clock_nanosleep to a past time returned %s", errname(r));
    req.tv_sec = 0, req.tv_nsec = 5 * 1000 * 1000;
    t0 = now(CLOCK_MONOTONIC);
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
    CHECK("clock-nanosleep-relative", r == 0 && now(CLOCK_MONOTONIC) - t0 >= 5 * 1000 * 1000, "clock_nanosleep 5 ms: %s",
          r ? errname(r) : "woke early");
    r = clock_nanosleep(999, 0, &req, NULL);
    CHECK("clock-nanosleep-bad-clock-einval", r == EINVAL, "clock_nanosleep on clock 999 returned %s", errname(r));
}

static void cpu_time(void)
{
    int64_t c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
    volatile uint64_t x = 1;
    while (now(CLOCK_MONOTONIC) - w0 < 50 * 1000 * 1000) for (int i = 0; i < 10000; i++) x = x * 6364136223846793005ULL + 1;
    int64_t c1 = now(CLOCK_PROCESS_CPUTIME_ID);
    CHECK("process-cputime-advances", c0 >= 0 && c1 > c0, "CLOCK_PROCESS_CPUTIME_ID did not advance over 50 ms of spinning");
}

int main(void)
{
    clocks();
    resolutions();
    wall_clocks();
    sleeps();
    cpu_time();
    return check_exit();
}
