/* PROT_NONE and fork: a touched page made PROT_NONE faults on read and keeps
 * its contents when readable again; a page read-only at fork stays private
 * (copy-on-write) even when the child makes it writable; a write-only
 * mapping can be read (x86 has no write-only pages). */
#include "../check.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static sigjmp_buf jump;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(jump, 1);
}

int main(void)
{
    signal(SIGSEGV, on_segv);
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 42;
    CHECK_OK("mprotect-none", mprotect(m, 4096, PROT_NONE));
    int faulted = 0;
    if (!sigsetjmp(jump, 1)) { volatile char c = m[0]; (void)c; }
    else faulted = 1;
    CHECK("prot-none-read-faults", faulted, "a read of a PROT_NONE page succeeded");
    CHECK_OK("mprotect-read", mprotect(m, 4096, PROT_READ));
    CHECK("prot-none-keeps-contents", m[0] == 42, "the page lost its contents under PROT_NONE");
    pid_t p = fork();
    if (p == 0) {
        if (mprotect(m, 4096, PROT_READ | PROT_WRITE) != 0) _exit(2);
        m[0] = 7;
        _exit(m[0] == 7 ? 0 : 3);
    }
    int status;
    waitpid(p, &status, 0);
    CHECK("child-writes-after-mprotect", WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK("readonly-page-private-after-fork", m[0] == 42, "the child's write reached the parent");
    char *w = mmap(NULL, 4096, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    faulted = 0;
    if (!sigsetjmp(jump, 1)) { volatile char c = w[0]; (void)c; }
    else faulted = 1;
    CHECK("write-only-page-readable", !faulted, "a read of a PROT_WRITE mapping faulted");
    return check_exit();
}
