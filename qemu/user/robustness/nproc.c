/* RLIMIT_NPROC: a non-root user under a low limit gets EAGAIN from fork once
 * it has that many processes; root is exempt. The children wait in pause()
 * and are killed and reaped at the end. */
#include "../check.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

enum { Limit = 8, Tries = 20 };

static int bomb(pid_t *kids, int *eagain)
{
    int n = 0;
    *eagain = 0;
    for (int i = 0; i < Tries; i++) {
        pid_t p = fork();
        if (p == 0) { pause(); _exit(0); }
        if (p < 0) { *eagain = errno == EAGAIN; break; }
        kids[n++] = p;
    }
    return n;
}

static void reap(pid_t *kids, int n)
{
    for (int i = 0; i < n; i++) { kill(kids[i], SIGKILL); waitpid(kids[i], NULL, 0); }
}

int main(void)
{
    struct rlimit rl = {Limit, Limit};
    CHECK_OK("setrlimit-nproc", setrlimit(RLIMIT_NPROC, &rl));
    pid_t kids[Tries];
    int eagain, n = bomb(kids, &eagain);
    CHECK("root-exempt", n == Tries, "root made %d of %d children", n, Tries);
    reap(kids, n);
    pid_t user = fork();
    if (user == 0) {
        if (setuid(4242) != 0) _exit(2);
        n = bomb(kids, &eagain);
        reap(kids, n);
        _exit(eagain && n < Limit ? 0 : 1);
    }
    int status;
    waitpid(user, &status, 0);
    CHECK("non-root-eagain", WIFEXITED(status) && WEXITSTATUS(status) == 0, "the non-root bomb was not stopped with EAGAIN below the limit");
    return check_exit();
}
