/* The Linux reference for Kevlar's cross-CPU round trip: booted as /init in a
 * 4-CPU QEMU with the same accelerator settings, it ping-pongs one byte through
 * a pair of pipes between a thread on CPU 0 and one on the last CPU (lmbench's
 * lat_pipe, pinned), prints the round trip, and ends QEMU through
 * isa-debug-exit. Built with musl-gcc -static. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum { RoundTrips = 20000 };

static int to_b[2], to_a[2];
static int last_cpu;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) printf("linux-pingpong: %s failed\n", "sched_setaffinity"), fflush(stdout);
}

static void *responder(void *arg)
{
    char c;
    (void)arg;
    pin(last_cpu);
    for (int i = 0; i < RoundTrips + 1; i++) {
        if (read(to_b[0], &c, 1) != 1 || write(to_a[1], &c, 1) != 1) { printf("linux-pingpong: %s failed\n", "responder"), fflush(stdout); exit(1); }
    }
    return NULL;
}

static void quit_qemu(int status)
{
    /* The serial driver sends in the background: let it finish before QEMU goes. */
    fflush(stdout);
    tcdrain(1);
    usleep(200000);
    if (ioperm(0xf4, 4, 1) == 0) outl(status, 0xf4);
    for (;;) pause();
}

int main(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("linux-init: up %lld ms after the kernel started, %ld CPUs\n", now_ns() / 1000000, cpus);
    fflush(stdout);
    last_cpu = (int)cpus - 1;
    if (pipe(to_b) != 0 || pipe(to_a) != 0) { printf("linux-pingpong: %s failed\n", "pipe"), fflush(stdout); quit_qemu(1); }
    pthread_t t;
    pthread_create(&t, NULL, responder, NULL);
    pin(0);
    char c = 'x';
    /* One warm-up round trip, then the timed ones. */
    long long start = 0;
    for (int i = 0; i < RoundTrips + 1; i++) {
        if (i == 1) start = now_ns();
        if (write(to_b[1], &c, 1) != 1 || read(to_a[0], &c, 1) != 1) { printf("linux-pingpong: %s failed\n", "pinger"), fflush(stdout); quit_qemu(1); }
    }
    long long ns = (now_ns() - start) / RoundTrips;
    pthread_join(t, NULL);
    printf("linux-pingpong: cpu0<->cpu%d round trip %lld ns (pipes, %d round trips)\n", last_cpu, ns, RoundTrips);
    fflush(stdout);
    quit_qemu(0);
    return 0;
}
