/* segv-text: a write into the program's own code ends the process with
 * SIGSEGV (exit status 139): text pages are mapped read-execute. */
#include "../check.h"

int main(void)
{
    check_out("PASS before-fault");
    *(volatile unsigned char *)(void *)main = 0xc3;
    check_out("FAIL segv-text: the write to main's code did not fault");
    return 1;
}
