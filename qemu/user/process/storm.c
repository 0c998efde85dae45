/* Storms: many fork+exit+wait cycles and thread create/join cycles, each
 * checked for the right pid and status. With --figures it also prints the
 * machine's free memory (sysinfo) after a warm-up and after the storm, and
 * the cycle counts — figures a kernel test compares for leaks; they differ
 * between machines, so the default run prints only the checks. */
#include "../check.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

static void *nothing(void *arg) { return arg; }

static int forks(int n)
{
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) _exit(i & 0x7F);
        int status;
        if (p < 0 || waitpid(p, &status, 0) != p || !WIFEXITED(status) || WEXITSTATUS(status) != (i & 0x7F)) return 0;
    }
    return 1;
}

static int threads(int n)
{
    for (int i = 0; i < n; i++) {
        pthread_t t;
        void *v;
        if (pthread_create(&t, NULL, nothing, (void *)(intptr_t)i) != 0 || pthread_join(t, &v) != 0 || (intptr_t)v != i) return 0;
    }
    return 1;
}

static unsigned long free_kib(void)
{
    struct sysinfo si;
    if (sysinfo(&si) != 0) return 0;
    return (unsigned long)(si.freeram / 1024 * si.mem_unit);
}

int main(int argc, char **argv)
{
    int figures = argc > 1 && strcmp(argv[1], "--figures") == 0;
    int nforks = argc > 2 ? atoi(argv[2]) : 300, nthreads = argc > 3 ? atoi(argv[3]) : 200;
    CHECK("warm-up", forks(50) && threads(50), "a warm-up cycle failed");
    unsigned long before = free_kib();
    CHECK("fork-exit-wait-storm", forks(nforks), "a fork/exit/wait cycle gave the wrong pid or status");
    CHECK("thread-create-join-storm", threads(nthreads), "a create/join cycle failed");
    unsigned long after = free_kib();
    if (figures) {
        check_out("figure forks %d threads %d", nforks, nthreads);
        check_out("figure free-kib-before %lu", before);
        check_out("figure free-kib-after %lu", after);
    }
    return check_exit();
}
