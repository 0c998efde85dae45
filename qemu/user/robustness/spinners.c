/* Spinning processes on every CPU must not stop the rest: with one child per
 * CPU (and one more) looping in user mode without a syscall, the parent still
 * forks, waits, allocates and sleeps, then kills the spinners and reaps them
 * (each killed by SIGKILL). Then the same with spinning threads of one
 * process: its main thread maps, touches and unmaps memory (each unmap must
 * reach the spinners' CPUs), forks and waits, and its exit ends them all. */
#include "../check.h"
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

enum { Spinners = 5, Work = 100 };

static void *spin_thread(void *arg)
{
    (void)arg;
    for (volatile unsigned long n = 0;; n++) {}
    return NULL;
}

/* In a child: spinning threads beside a main thread that works; exits 0 when the work went well. */
static int threads_beside_work(void)
{
    pthread_t t;
    for (int i = 0; i < Spinners; i++)
        if (pthread_create(&t, NULL, spin_thread, NULL) != 0) return 2;
    for (int i = 0; i < Work; i++) {
        char *m = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) return 3;
        for (int k = 0; k < 16; k++) m[k * 4096] = (char)k;
        if (mprotect(m, 64 * 1024, PROT_READ) != 0 || m[4096] != 1 || munmap(m, 64 * 1024) != 0) return 4;
        pid_t p = fork();
        if (p == 0) _exit(0);
        int status;
        if (p < 0 || waitpid(p, &status, 0) != p || status != 0) return 5;
    }
    return 0; /* exit_group: the spinners end with the process */
}

int main(void)
{
    pid_t spin[Spinners];
    for (int i = 0; i < Spinners; i++) {
        spin[i] = fork();
        if (spin[i] == 0) for (volatile unsigned long n = 0;; n++) {}
    }
    int work_ok = 1;
    for (int i = 0; i < Work; i++) {
        pid_t p = fork();
        if (p == 0) {
            char *m = malloc(64 * 1024);
            if (m) m[i] = 1;
            _exit(0);
        }
        int status;
        if (p < 0 || waitpid(p, &status, 0) != p || status != 0) work_ok = 0;
    }
    struct timespec ms = {0, 20 * 1000 * 1000};
    nanosleep(&ms, NULL);
    CHECK("work-done-beside-spinners", work_ok, "a fork/wait beside the spinners failed");
    int killed = 0;
    for (int i = 0; i < Spinners; i++) {
        kill(spin[i], SIGKILL);
        int status;
        if (waitpid(spin[i], &status, 0) == spin[i] && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) killed++;
    }
    CHECK("spinners-killed", killed == Spinners, "%d of %d spinners died of SIGKILL", killed, Spinners);

    pid_t worker = fork();
    if (worker == 0) _exit(threads_beside_work());
    int status = 0;
    waitpid(worker, &status, 0);
    CHECK("work-beside-spinning-threads", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status 0x%x", status);
    return check_exit();
}
