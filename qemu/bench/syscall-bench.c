/* Syscall figures for `./kevlar bench`, the same static program on Kevlar
 * (as PID 1's child through ./kevlar run) and on Linux (as /init): getpid, a
 * fork+exit+wait cycle, a page-fault-heavy touch of fresh memory, and a
 * futex wake/wait round trip between two threads on two CPUs (each pinned
 * where the kernel honours affinity; the CPUs they ran on are printed).
 * Built with musl-gcc -static. Prints "bench-<name>: <figure>" lines. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/io.h>
#include <termios.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Futex ping-pong: the turn word says whose turn it is (0 main, 1 partner). */
enum { RoundTrips = 2000, FUTEX_WAIT_PRIVATE = 128, FUTEX_WAKE_PRIVATE = 129 };
static volatile int turn;
static volatile int partner_cpu = -1;

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

static void wait_for(int mine)
{
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != mine) syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, !mine, NULL, NULL, 0);
}

static void hand_over(int to)
{
    __atomic_store_n(&turn, to, __ATOMIC_RELEASE);
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *partner(void *arg)
{
    (void)arg;
    pin(1);
    partner_cpu = sched_getcpu();
    for (int i = 0; i < RoundTrips; i++) {
        wait_for(1);
        hand_over(0);
    }
    return NULL;
}

int main(void)
{
    printf("bench-start: user space running\n");
    fflush(stdout);

    enum { Getpids = 100000, Forks = 300, Pages = 4096 };
    long long t0 = now_ns();
    for (int i = 0; i < Getpids; i++) syscall(SYS_getpid);
    long long t1 = now_ns();
    printf("bench-getpid: %lld ns per call (%d calls)\n", (t1 - t0) / Getpids, Getpids);

    t0 = now_ns();
    for (int i = 0; i < Forks; i++) {
        pid_t p = fork();
        if (p == 0) _exit(0);
        int status;
        if (p < 0 || waitpid(p, &status, 0) != p) { printf("bench-fork: failed\n"); return 1; }
    }
    t1 = now_ns();
    printf("bench-fork-exit-wait: %lld us per cycle (%d cycles)\n", (t1 - t0) / Forks / 1000, Forks);

    t0 = now_ns();
    char *m = mmap(NULL, Pages * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) { printf("bench-fault: mmap failed\n"); return 1; }
    for (long i = 0; i < Pages; i++) m[i * 4096] = 1;
    t1 = now_ns();
    munmap(m, Pages * 4096L);
    printf("bench-page-fault: %lld ns per first touch (%d pages)\n", (t1 - t0) / Pages, Pages);

    pin(0);
    pthread_t th;
    pthread_create(&th, NULL, partner, NULL);
    while (partner_cpu < 0) sched_yield();
    t0 = now_ns();
    for (int i = 0; i < RoundTrips; i++) {
        hand_over(1);
        wait_for(0);
    }
    t1 = now_ns();
    pthread_join(th, NULL);
    printf("bench-futex-round-trip: %lld us per wake/wait round trip between two threads (CPUs %d and %d, %d trips)\n",
        (t1 - t0) / RoundTrips / 1000, sched_getcpu(), partner_cpu, RoundTrips);
    fflush(stdout);
    if (getpid() == 1) {
        /* Linux as the reference: end the machine through isa-debug-exit (needs iopl). */
        /* The serial driver queues output: let it drain before the machine ends. */
        tcdrain(1);
        struct timespec settle = {0, 200 * 1000 * 1000};
        nanosleep(&settle, NULL);
        if (iopl(3) == 0) outl(0x10, 0xf4);
    }
    return 0;
}
