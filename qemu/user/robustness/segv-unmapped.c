/* segv-unmapped: reading a page after munmap(2) ends the process with
 * SIGSEGV (exit status 139); the page beside it stays readable. */
#include "../check.h"
#include <sys/mman.h>

int main(void)
{
    volatile unsigned char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("mmap", p != MAP_FAILED, "mmap failed: %s", errname(errno));
    if (p == MAP_FAILED) return 1;
    p[0] = 1, p[4096] = 2;
    CHECK_OK("munmap-second-page", munmap((void *)(p + 4096), 4096));
    CHECK("first-page-still-readable", p[0] == 1, "the page that stays mapped lost its byte");
    (void)p[4096];
    check_out("FAIL segv-unmapped: reading the unmapped page did not fault");
    return 1;
}
