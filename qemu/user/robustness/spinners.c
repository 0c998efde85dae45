/* Spinning processes on every CPU must not stop the rest: with one child per
 * CPU (and one more) looping in user mode without a syscall, the parent still
 * forks, waits, allocates and sleeps, then kills the spinners and reaps them
 * (each killed by SIGKILL). */
#include "../check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

enum { Spinners = 5, Work = 100 };

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
    return check_exit();
}
