/* segv: a write to NULL ends the process with SIGSEGV (exit status 139). */
#include "../check.h"

int main(void)
{
    check_out("PASS before-fault");
    *(volatile int *)0 = 1;
    check_out("FAIL segv: the write to NULL did not fault");
    return 1;
}
