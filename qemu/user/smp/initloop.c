/* An init system's loop (a child subreaper, as PID 1 is to everything): it
 * blocks SIGCHLD, reads it from a signalfd through epoll, and reaps with
 * waitpid(-1, WNOHANG) until none is left. It supervises 16 services across
 * the CPUs; each service starts a daemon child and then crashes (killed by a
 * signal) or exits with a code, and is restarted until it has run 4 times.
 * Each daemon outlives its service, sees the supervisor become its parent,
 * and is reaped by it. Also PR_SET_PDEATHSIG: a child asking for SIGTERM
 * when its parent dies gets it. */
#include "../check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>

enum { Services = 16, Starts = 4 };

static pid_t supervisor;

/* The daemon: waits until its service has gone, then says whether the supervisor adopted it. */
static void daemon_main(pid_t service)
{
    for (int i = 0; i < 5000 && getppid() == service; i++) sleep_ms(1);
    _exit(getppid() == supervisor ? 0 : 1);
}

/* A service: a daemon child, a moment of work, then a crash or an exit with a code. */
static void service_main(int index, int run)
{
    pid_t self = getpid();
    pid_t d = fork();
    if (d == 0) daemon_main(self);
    sleep_ms(1 + (index + run) % 3);
    switch ((index + run) % 3) {
    case 0: raise(SIGSEGV); break;
    case 1: raise(SIGABRT); break;
    }
    _exit(10 + index);
}

static int expected_status_ok(int index, int run, int status)
{
    switch ((index + run) % 3) {
    case 0: return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
    case 1: return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
    default: return WIFEXITED(status) && WEXITSTATUS(status) == 10 + index;
    }
}

int main(void)
{
    supervisor = getpid();
    CHECK("subreaper-set", prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0, "%s", strerror(errno));
    int flag = -1;
    CHECK("subreaper-get", prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0) == 0 && flag == 1, "flag %d", flag);

    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = sfd};
    CHECK("signalfd-in-epoll", sfd >= 0 && ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) == 0, "%s", strerror(errno));

    pid_t running[Services];
    int runs[Services];
    for (int i = 0; i < Services; i++) {
        runs[i] = 0;
        running[i] = fork();
        if (running[i] == 0) service_main(i, 0);
    }
    int service_exits = 0, right_status = 0, daemons = 0, daemons_adopted = 0, unknown = 0, live = Services;
    while (live > 0 || daemons < Services * Starts) {
        struct epoll_event got;
        int n = epoll_wait(ep, &got, 1, 10000);
        if (n != 1) break; /* ten seconds without a SIGCHLD: something was lost */
        struct signalfd_siginfo si;
        while (read(sfd, &si, sizeof si) == sizeof si) {}
        int status;
        pid_t p;
        while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
            int i = 0;
            while (i < Services && running[i] != p) i++;
            if (i == Services) { /* an adopted daemon */
                daemons++;
                if (WIFEXITED(status) && WEXITSTATUS(status) == 0) daemons_adopted++;
                continue;
            }
            service_exits++;
            if (expected_status_ok(i, runs[i], status)) right_status++;
            live--;
            if (++runs[i] < Starts) {
                running[i] = fork();
                if (running[i] == 0) service_main(i, runs[i]);
                live++;
            } else {
                running[i] = 0;
            }
        }
        if (p < 0 && errno != ECHILD) unknown++;
    }
    CHECK("services-restarted-until-done", service_exits == Services * Starts, "%d of %d service runs ended", service_exits, Services * Starts);
    CHECK("service-statuses", right_status == Services * Starts, "%d of %d with the expected status", right_status, Services * Starts);
    CHECK("orphaned-daemons-reaped-here", daemons == Services * Starts, "%d of %d daemons reaped", daemons, Services * Starts);
    CHECK("daemons-saw-the-subreaper-adopt-them", daemons_adopted == daemons, "%d of %d", daemons_adopted, daemons);
    int left = waitpid(-1, NULL, WNOHANG);
    CHECK("nothing-left-to-reap", left == -1 && errno == ECHILD && unknown == 0, "waitpid %d", left);

    /* PR_SET_PDEATHSIG: the grandchild asks for SIGTERM when its parent (the middle process) dies. */
    int ready[2];
    if (pipe(ready)) return 1;
    pid_t middle = fork();
    if (middle == 0) {
        pid_t g = fork();
        if (g == 0) {
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
            int sig = -1;
            prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
            char c = (char)sig;
            if (write(ready[1], &c, 1) != 1) _exit(3);
            for (;;) pause();
        }
        char c;
        if (read(ready[0], &c, 1) != 1) _exit(4);
        _exit(c == SIGTERM ? 0 : 5);
    }
    int status = 0, middle_ok = 0, grandchild_termed = 0;
    for (int reaped = 0; reaped < 2;) {
        struct epoll_event got;
        if (epoll_wait(ep, &got, 1, 10000) != 1) break;
        struct signalfd_siginfo si;
        while (read(sfd, &si, sizeof si) == sizeof si) {}
        pid_t p;
        while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
            reaped++;
            if (p == middle) middle_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            else grandchild_termed = WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
        }
    }
    CHECK("pdeathsig-set-and-read", middle_ok, "the child did not read back SIGTERM");
    CHECK("pdeathsig-delivered-when-parent-exits", grandchild_termed, "the orphan was not killed by SIGTERM");
    return check_exit();
}
