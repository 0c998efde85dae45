/* killwaits: children killed (SIGKILL) while blocked in a wait with a
 * deadline years away or none — nanosleep, poll on an empty pipe, a futex
 * wait, sigtimedwait, a pipe read, a blocking FIFO open — must each die at
 * once and be reaped, whatever the wait. On this kernel a wait's timer and its
 * registration with the file once held the dead thread (and its process) until
 * the deadline; StormTests runs this with N and 10 N children and compares the
 * kernel heap left after each (--kernel-stats), so only the PASS lines are
 * compared with Linux.
 *   killwaits [CHILDREN [KIND]]   (default 60: ten of each kind; KIND 0-5 only that one) */
#include "../check.h"
#include <fcntl.h>
#define FUTEX_WAIT 0 /* linux/futex.h, which musl-gcc does not see */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define KINDS 6
static const char *const NAMES[KINDS] = { "nanosleep", "poll", "futex", "sigtimedwait", "pipe-read", "fifo-open" };

/* The child's blocking call of kind k; it tells the parent it is about to block by a byte on ready. */
static void block(int k, int ready, int quiet, unsigned *word)
{
    struct timespec years = { 1000000000, 0 };
    char b;
    if (write(ready, "r", 1) != 1) _exit(3);
    switch (k) {
    case 0: nanosleep(&years, NULL); break;
    case 1: { struct pollfd p = { quiet, POLLIN, 0 }; poll(&p, 1, 1 << 30); break; }
    case 2: syscall(SYS_futex, word, FUTEX_WAIT, 0, &years, NULL, 0); break;
    case 3: {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        sigtimedwait(&set, NULL, &years);
        break;
    }
    case 4: if (read(quiet, &b, 1) < 0) _exit(4); break;
    case 5: open("/tmp/killwaits-fifo", O_RDONLY); break;
    }
    _exit(2); /* the wait ended: it should not have */
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 60, only = argc > 2 ? atoi(argv[2]) : -1;
    unsigned *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int quiet[2], ready[2];
    unlink("/tmp/killwaits-fifo");
    if (word == MAP_FAILED || pipe(quiet) != 0 || pipe(ready) != 0 || mkfifo("/tmp/killwaits-fifo", 0600) != 0) {
        check_out("FAIL setup: errno %s", errname(errno));
        return 1;
    }
    int killed[KINDS] = { 0 }, tried[KINDS] = { 0 };
    for (int i = 0; i < n; i++) {
        int k = only >= 0 && only < KINDS ? only : i % KINDS;
        tried[k]++;
        pid_t c = fork();
        if (c == 0) block(k, ready[1], quiet[0], word);
        char b;
        if (c < 0 || read(ready[0], &b, 1) != 1) break;
        usleep(2000); /* from the byte to the wait itself */
        kill(c, SIGKILL);
        int status;
        if (waitpid(c, &status, 0) == c && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) killed[k]++;
    }
    for (int k = 0; k < KINDS; k++) {
        if (only >= 0 && k != only) continue;
        char check[64];
        snprintf(check, sizeof check, "killed-in-%s", NAMES[k]);
        CHECK(check, killed[k] == tried[k], "%d of %d children died of SIGKILL", killed[k], tried[k]);
    }
    unlink("/tmp/killwaits-fifo");
    return check_exit();
}
