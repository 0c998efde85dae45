/* kevlar-init: PID 1 for `./kevlar run`. Runs the command it is given as its
 * child (so the program sees Linux's usual world: it is not init, signals
 * with default actions reach it, getppid() is 1), reaps every orphan that
 * the kernel hands to init, and exits with the program's status (128+N when
 * signal N killed it), which the kernel reports to the host. Static musl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "kevlar-init: no program to run\n");
        return 127;
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "kevlar-init: fork: %s\n", strerror(errno));
        return 126;
    }
    if (child == 0) {
        execv(argv[1], argv + 1);
        int e = errno;
        fprintf(stderr, "kevlar-init: cannot run %s: %s\n", argv[1], strerror(e));
        _exit(e == ENOENT ? 127 : 126);
    }
    for (;;) {
        int status;
        pid_t p = wait(&status);
        if (p == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (p < 0 && errno != EINTR) return 126;
    }
}
