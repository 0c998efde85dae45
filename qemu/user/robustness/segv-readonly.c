/* segv-readonly: a write to a page made read-only with mprotect(2) ends the
 * process with SIGSEGV (exit status 139); reading it still works. */
#include "../check.h"
#include <sys/mman.h>

int main(void)
{
    volatile unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("mmap", p != MAP_FAILED, "mmap failed: %s", errname(errno));
    if (p == MAP_FAILED) return 1;
    p[0] = 5;
    CHECK_OK("mprotect-read-only", mprotect((void *)p, 4096, PROT_READ));
    CHECK("read-only-readable", p[0] == 5, "the read-only page lost its byte");
    p[0] = 6;
    check_out("FAIL segv-readonly: the write to the read-only page did not fault");
    return 1;
}
