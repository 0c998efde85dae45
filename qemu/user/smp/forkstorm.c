/* Process storms across every CPU: 4 workers fork 2,500 children each (10,000
 * in all), each child exits with a code made from its index, and each worker
 * reaps its own; no pid is handed out twice while its process lives (a pid
 * table in shared memory marks live children); then an exec storm: 400
 * fork+execve of this program, each exec'd child exiting with its own code. */
#include "../check.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

enum { Workers = 4, PerWorker = 2500, Batch = 25, Execs = 400, PidSpace = 4194304 };

static unsigned char *live; /* one byte per pid: 1 while some worker's child has it */

static int worker(int w)
{
    int bad = 0;
    for (int done = 0; done < PerWorker; done += Batch) {
        pid_t kids[Batch];
        for (int i = 0; i < Batch; i++) {
            pid_t p = fork();
            if (p == 0) _exit((w * PerWorker + done + i) & 0x7F);
            kids[i] = p;
            if (p <= 0 || p >= PidSpace) { bad |= 1; continue; }
            if (__atomic_exchange_n(&live[p], 1, __ATOMIC_SEQ_CST) != 0) bad |= 2; /* handed out twice */
        }
        for (int i = 0; i < Batch; i++) {
            if (kids[i] <= 0) continue;
            int status;
            /* Clear the mark before reaping: once reaped, the pid may be handed out again. */
            siginfo_t info;
            if (waitid(P_PID, (id_t)kids[i], &info, WEXITED | WNOWAIT) != 0) bad |= 4;
            __atomic_store_n(&live[kids[i]], 0, __ATOMIC_SEQ_CST);
            if (waitpid(kids[i], &status, 0) != kids[i]) bad |= 8;
            else if (!WIFEXITED(status) || WEXITSTATUS(status) != ((w * PerWorker + done + i) & 0x7F)) bad |= 16;
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    if (argc > 1) return atoi(argv[1]); /* an exec'd child of the exec storm */
    live = mmap(NULL, PidSpace, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (live == MAP_FAILED) { CHECK("shared-pid-table", 0, "%s", strerror(errno)); return check_exit(); }
    pid_t ws[Workers];
    for (int w = 0; w < Workers; w++) {
        ws[w] = fork();
        if (ws[w] == 0) _exit(worker(w));
    }
    int codes = 0;
    for (int w = 0; w < Workers; w++) {
        int status;
        if (waitpid(ws[w], &status, 0) != ws[w] || !WIFEXITED(status)) codes |= 32;
        else codes |= WEXITSTATUS(status);
    }
    CHECK("fork-storm-all-reaped-with-status", (codes & (1 | 4 | 8 | 16 | 32)) == 0, "problems 0x%x", codes);
    CHECK("fork-storm-no-live-pid-twice", (codes & 2) == 0, "a live child's pid was handed out again");
    int orphan = waitpid(-1, NULL, WNOHANG);
    CHECK("fork-storm-nothing-left", orphan == -1 && errno == ECHILD, "waitpid found %d", orphan);

    int exec_ok = 0;
    for (int i = 0; i < Execs; i++) {
        pid_t p = fork();
        if (p == 0) {
            char code[8];
            snprintf(code, sizeof code, "%d", i % 100 + 1);
            char *args[] = {argv[0], code, NULL};
            execv("/proc/self/exe", args);
            _exit(127);
        }
        int status;
        if (p > 0 && waitpid(p, &status, 0) == p && WIFEXITED(status) && WEXITSTATUS(status) == i % 100 + 1) exec_ok++;
    }
    CHECK("exec-storm", exec_ok == Execs, "%d of %d exec'd children exited with their code", exec_ok, Execs);
    return check_exit();
}
