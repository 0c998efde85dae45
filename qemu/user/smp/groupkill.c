/* groupkill: kill(2) of a process group while its members fork, from another
 * CPU. Three group leaders each fork and reap FORKS short children; the
 * parent sends SIGURG (ignored by default) to each group in a loop until the
 * leaders are done. On this kernel a fork made the child visible to kill
 * before its main thread could take a message, and a group kill that found
 * it then panicked the kernel (found by ./kevlar fuzz at the end of a run,
 * when its supervisor kills the workers' groups).
 *   groupkill [FORKS]   (default 1000) */
#include "../check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#define LEADERS 3

static int leader(int forks)
{
    if (setpgid(0, 0) != 0) return 3;
    for (int i = 0; i < forks; i++) {
        pid_t c = fork();
        if (c == 0) _exit(0);
        if (c < 0) return 4;
        int status;
        if (waitpid(c, &status, 0) != c || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 5;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int forks = argc > 1 ? atoi(argv[1]) : 1000;
    pid_t leaders[LEADERS];
    for (int i = 0; i < LEADERS; i++) {
        leaders[i] = fork();
        if (leaders[i] == 0) _exit(leader(forks));
        /* the group exists before the first kill: set it here too (setpgid's race with the child) */
        setpgid(leaders[i], leaders[i]);
    }
    long kills = 0, bad = 0;
    int left = LEADERS, statuses[LEADERS];
    while (left > 0) {
        for (int i = 0; i < LEADERS; i++) {
            if (leaders[i] == 0) continue;
            if (kill(-leaders[i], SIGURG) == 0) kills++;
            else if (errno != ESRCH) bad++;
            int status;
            if (waitpid(leaders[i], &status, WNOHANG) == leaders[i]) {
                statuses[i] = status;
                leaders[i] = 0;
                left--;
            }
        }
    }
    int all_done = 1;
    for (int i = 0; i < LEADERS; i++)
        if (!WIFEXITED(statuses[i]) || WEXITSTATUS(statuses[i]) != 0) all_done = 0;
    CHECK("every leader forked and reaped all its children", all_done, "a leader ended otherwise");
    CHECK("the group kills succeeded", kills > 0 && bad == 0, "%ld kills, %ld failed other than ESRCH", kills, bad);
    return check_exit();
}
