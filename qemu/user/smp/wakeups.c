/* Wakeups across CPUs: 8 reader processes each asleep in poll (half) or
 * epoll_wait (half) on its own pipe are woken, 200 times each, by a writer on
 * another CPU, and each wakeup finds its byte; with every CPU busy spinning,
 * nanosleep never returns early, and comes back within a generous bound. */
#include "../check.h"
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>

enum { Sleepers = 8, Wakes = 200, Spinners = 4, Sleeps = 20 };

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int sleeper(int fd, int use_epoll, int ack)
{
    int ep = -1;
    if (use_epoll) {
        ep = epoll_create1(0);
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) return 1;
    }
    for (int i = 0; i < Wakes; i++) {
        int ready;
        if (use_epoll) {
            struct epoll_event ev;
            ready = epoll_wait(ep, &ev, 1, 10000);
        } else {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            ready = poll(&p, 1, 10000);
        }
        char c;
        if (ready != 1 || read(fd, &c, 1) != 1 || c != (char)i) return 2;
        if (write(ack, &c, 1) != 1) return 3;
    }
    return 0;
}

int main(void)
{
    int to[Sleepers][2], acks[2];
    pid_t kids[Sleepers];
    if (pipe(acks)) return 1;
    for (int s = 0; s < Sleepers; s++) {
        if (pipe(to[s])) return 1;
        kids[s] = fork();
        if (kids[s] == 0) _exit(sleeper(to[s][0], s & 1, acks[1]));
    }
    int ok = 1;
    for (int i = 0; i < Wakes && ok; i++) {
        for (int s = 0; s < Sleepers; s++) {
            char c = (char)i;
            if (write(to[s][1], &c, 1) != 1) ok = 0;
        }
        for (int s = 0; s < Sleepers; s++) {
            char c;
            if (read(acks[0], &c, 1) != 1 || c != (char)i) ok = 0;
        }
    }
    int exits = 0;
    for (int s = 0; s < Sleepers; s++) {
        int status;
        if (waitpid(kids[s], &status, 0) == kids[s] && WIFEXITED(status) && WEXITSTATUS(status) == 0) exits++;
    }
    CHECK("poll-and-epoll-woken-across-cpus", ok && exits == Sleepers, "%d of %d sleepers saw every wakeup", exits, Sleepers);

    pid_t spin[Spinners];
    for (int i = 0; i < Spinners; i++) {
        spin[i] = fork();
        if (spin[i] == 0) for (volatile unsigned long n = 0;; n++) {}
    }
    int early = 0, late = 0;
    for (int i = 0; i < Sleeps; i++) {
        long long want = (1 + i % 5) * 2000000LL; /* 2..10 ms */
        struct timespec d = {0, want};
        long long t0 = now_ns();
        nanosleep(&d, NULL);
        long long took = now_ns() - t0;
        if (took < want) early++;
        if (took > want + 500000000LL) late++; /* half a second over: a lost timer, not load */
    }
    for (int i = 0; i < Spinners; i++) {
        kill(spin[i], SIGKILL);
        waitpid(spin[i], NULL, 0);
    }
    CHECK("nanosleep-never-early-under-load", early == 0, "%d of %d sleeps returned early", early, Sleeps);
    CHECK("nanosleep-not-lost-under-load", late == 0, "%d of %d sleeps took half a second more", late, Sleeps);
    return check_exit();
}
