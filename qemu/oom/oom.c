/* oom: a child touches anonymous memory until the machine has none left; the
 * OOM killer must kill it (SIGKILL), not its parent, whose own page faults
 * during the shortage must wait and then succeed. Kernel-only: natively it
 * would take the host's memory. Prints one line per check. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int ready[2];
    pipe(ready);
    pid_t hog = fork();
    if (hog == 0) {
        close(ready[0]);
        write(ready[1], "x", 1);
        for (;;) {
            char *p = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) continue;
            for (size_t i = 0; i < (16 << 20); i += 4096) p[i] = 1;
        }
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    /* Meanwhile this process keeps faulting pages in too. */
    size_t touched = 0;
    char *mine = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int status = 0;
    while (waitpid(hog, &status, WNOHANG) == 0) {
        if (touched < (64 << 20)) {
            mine[touched] = 2;
            touched += 4096;
        } else {
            usleep(10000);
        }
    }
    printf("%s hog-killed-by-sigkill\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "PASS" : "FAIL");
    /* The memory came back: this process can touch fresh pages again. */
    char *again = mmap(NULL, 32 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (size_t i = 0; i < (32 << 20); i += 4096) again[i] = 3;
    printf("PASS parent-survives-and-allocates\n");
    return 0;
}
