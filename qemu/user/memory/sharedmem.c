/* MAP_SHARED|MAP_ANONYMOUS across fork: what the child writes the parent
 * reads (a page touched before the fork and one touched only after it),
 * a grandchild shares it too, and MAP_PRIVATE stays private. */
#include "../check.h"
#include <sys/mman.h>
#include <sys/wait.h>

int main(void)
{
    volatile int *shared = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("mmap-shared", shared != MAP_FAILED && private != MAP_FAILED, "mmap failed");
    shared[0] = 1;
    private[0] = 1;
    pid_t p = fork();
    if (p == 0) {
        shared[0] = 42;
        shared[1024] = 43; /* a page no one touched before the fork */
        private[0] = 99;
        pid_t g = fork();
        if (g == 0) {
            shared[2048] = 44;
            _exit(0);
        }
        waitpid(g, NULL, 0);
        _exit(0);
    }
    int status;
    waitpid(p, &status, 0);
    CHECK("child-write-seen", shared[0] == 42, "parent reads %d", shared[0]);
    CHECK("untouched-page-shared", shared[1024] == 43, "parent reads %d", shared[1024]);
    CHECK("grandchild-write-seen", shared[2048] == 44, "parent reads %d", shared[2048]);
    CHECK("private-stays-private", private[0] == 1, "parent reads %d", private[0]);
    return check_exit();
}
