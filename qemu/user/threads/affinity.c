/* affinity: sched_setaffinity moves the caller. Pinned to each CPU in turn,
 * the thread runs there when the call returns (sched_getcpu) and
 * sched_getaffinity gives the mask back; a forked child and a new thread
 * inherit the mask and run inside it; another thread's mask can be set by
 * its tid and it ends up inside it; a mask with no online CPU is EINVAL.
 * Prints properties only, so the lines are the same on any CPU count. */
#include "../check.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static cpu_set_t s_all;
static int s_cpus;

static int pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

static int only(int cpu)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) == 1 && CPU_ISSET(cpu, &set);
}

static void *report_cpu(void *arg)
{
    *(int *)arg = sched_getcpu();
    return NULL;
}

static volatile int s_spinner_tid, s_spinner_stop, s_spinner_cpu = -1;

static void *spinner(void *arg)
{
    (void)arg;
    s_spinner_tid = (int)syscall(SYS_gettid);
    while (!s_spinner_stop) s_spinner_cpu = sched_getcpu();
    return NULL;
}

int main(void)
{
    CHECK_OK("getaffinity", sched_getaffinity(0, sizeof s_all, &s_all));
    s_cpus = CPU_COUNT(&s_all);
    CHECK("at least two CPUs", s_cpus >= 2, "%d", s_cpus);

    int moved = 0, masks = 0;
    for (int round = 0; round < 3; round++)
        for (int c = 0; c < s_cpus; c++) {
            if (pin(c) != 0) continue;
            moved += sched_getcpu() == c;
            masks += only(c);
        }
    CHECK("pinned to each CPU in turn, the call returns on that CPU", moved == 3 * s_cpus, "%d of %d", moved, 3 * s_cpus);
    CHECK("getaffinity gives the pinned mask back", masks == 3 * s_cpus, "%d of %d", masks, 3 * s_cpus);

    int last = s_cpus - 1;
    pin(last);
    pid_t child = fork();
    if (child == 0) _exit(only(last) && sched_getcpu() == last ? 0 : 1);
    int status = -1;
    waitpid(child, &status, 0);
    CHECK("a forked child inherits the mask and runs inside it", status == 0, "status %d", status);

    int thread_cpu = -1;
    pthread_t th;
    pthread_create(&th, NULL, report_cpu, &thread_cpu);
    pthread_join(th, NULL);
    CHECK("a new thread inherits the mask and runs inside it", thread_cpu == last, "ran on %d, pinned to %d", thread_cpu, last);

    sched_setaffinity(0, sizeof s_all, &s_all);
    pthread_create(&th, NULL, spinner, NULL);
    while (!s_spinner_tid) sched_yield();
    cpu_set_t zero;
    CPU_ZERO(&zero);
    CPU_SET(0, &zero);
    CHECK_OK("setaffinity of another thread by tid", sched_setaffinity(s_spinner_tid, sizeof zero, &zero));
    int inside = 0;
    for (int i = 0; i < 200 && !inside; i++) {
        s_spinner_cpu = -1;
        sleep_ms(5);
        inside = s_spinner_cpu == 0;
    }
    s_spinner_stop = 1;
    pthread_join(th, NULL);
    CHECK("the other thread ends up on its one allowed CPU", inside, "last seen on CPU %d", s_spinner_cpu);

    cpu_set_t none;
    CPU_ZERO(&none);
    CHECK_ERR("an empty mask", sched_setaffinity(0, sizeof none, &none), EINVAL);
    CPU_SET(CPU_SETSIZE - 1, &none);
    CHECK_ERR("a mask of an offline CPU", sched_setaffinity(0, sizeof none, &none), EINVAL);
    CHECK_OK("the whole mask again", sched_setaffinity(0, sizeof s_all, &s_all));
    return check_exit();
}
