/* check.h: the checks' common output, one line per check:
 *   PASS <check>
 *   FAIL <check>: <detail>
 * Lines go straight to fd 1 with write(2) (no stdio buffer), so a program
 * killed by a signal has printed every line before the fault, natively (a
 * pipe) and on the kernel (the console) alike. Details must hold nothing that
 * differs between runs (no pids, addresses or times): print properties.
 * check_exit() ends the program: 0 when every check passed, 1 otherwise. */
#ifndef KEVLAR_CHECK_H
#define KEVLAR_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* MAP_FIXED_NOREPLACE, utsname.domainname, ... */
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static int check_failed __attribute__((unused));

__attribute__((unused)) static void check_out(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
    line[n++] = '\n';
    for (int done = 0; done < n;) {
        ssize_t w = write(1, line + done, (size_t)(n - done));
        if (w <= 0) break;
        done += (int)w;
    }
}

/* CHECK(name, cond, detail-format, ...): PASS when cond holds, else FAIL with the detail. */
#define CHECK(name, cond, ...) do { \
        if (cond) check_out("PASS %s", name); \
        else { check_failed = 1; char d_[256]; snprintf(d_, sizeof d_, __VA_ARGS__); check_out("FAIL %s: %s", name, d_); } \
    } while (0)

/* The name of an errno value, for details ("EFAULT", or the number). */
__attribute__((unused)) static const char *errname(int e)
{
    static char other[16];
    switch (e) {
#define E_(x) case x: return #x;
    E_(0) E_(EPERM) E_(ENOENT) E_(ESRCH) E_(EINTR) E_(EIO) E_(EBADF) E_(EAGAIN)
    E_(ENOMEM) E_(EACCES) E_(EFAULT) E_(EBUSY) E_(EEXIST) E_(ENOTDIR) E_(EISDIR)
    E_(EINVAL) E_(EMFILE) E_(ENOTTY) E_(EFBIG) E_(ENOSPC) E_(ESPIPE) E_(EROFS)
    E_(EPIPE) E_(ERANGE) E_(ENAMETOOLONG) E_(ENOSYS) E_(ENOTEMPTY) E_(ELOOP)
    E_(EOVERFLOW) E_(EOPNOTSUPP)
#undef E_
    default: snprintf(other, sizeof other, "errno %d", e); return other;
    }
}

/* CHECK_ERR(name, call, errno): the call must return -1 (or MAP_FAILED) with that errno. */
#define CHECK_ERR(name, call, expected) do { \
        errno = 0; long r_ = (long)(call); int e_ = errno; \
        CHECK(name, r_ == -1 && e_ == (expected), "returned %s, errno %s; expected -1, %s", \
              r_ == -1 ? "-1" : (r_ == 0 ? "0" : "a non-negative value"), errname(e_), errname(expected)); \
    } while (0)

/* CHECK_OK(name, call): the call must not return -1. */
#define CHECK_OK(name, call) do { \
        errno = 0; long r_ = (long)(call); int e_ = errno; \
        CHECK(name, r_ != -1, "failed with %s", errname(e_)); \
    } while (0)

__attribute__((unused)) static int check_exit(void) { return check_failed ? 1 : 0; }

/* Waits for child: true when it exited with status 0 (*status gets the wait status, for details). */
__attribute__((unused)) static int exited_zero(pid_t child, int *status)
{
    return waitpid(child, status, 0) == child && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
}

/* Forks a child that runs body(to, from) and exits with its result: to is a pipe to the parent,
 * from a pipe from it. The parent gets the other ends (*from_child to read, *to_child to write)
 * and the child's pid; -1 when pipe or fork fails. */
__attribute__((unused)) static pid_t fork_talking(int (*body)(int to, int from), int *from_child, int *to_child)
{
    int up[2], down[2];
    if (pipe(up) != 0) return -1;
    if (pipe(down) != 0) { close(up[0]); close(up[1]); return -1; }
    pid_t child = fork();
    if (child == 0) {
        close(up[0]);
        close(down[1]);
        _exit(body(up[1], down[0]));
    }
    close(up[1]);
    close(down[0]);
    *from_child = up[0];
    *to_child = down[1];
    return child;
}

/* Sleeps ms milliseconds (nanosleep; a signal may end it early). */
__attribute__((unused)) static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, 0);
}

/* Milliseconds of CLOCK_MONOTONIC since a. */
__attribute__((unused)) static long elapsed_ms(struct timespec a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

#endif
