/* Syscall figures for `./kevlar bench`, the same static program on Kevlar
 * (as PID 1 through ./kevlar run) and on Linux (as /init): getpid, a
 * fork+exit+wait cycle, and a page-fault-heavy touch of fresh memory.
 * Built with musl-gcc -static. Prints "bench-<name>: <figure>" lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/io.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
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
    fflush(stdout);
    if (getpid() == 1) {
        /* Linux as the reference: end the machine through isa-debug-exit (needs iopl). */
        if (iopl(3) == 0) outl(0x10, 0xf4);
    }
    return 0;
}
