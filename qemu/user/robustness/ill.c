/* ill: ud2 ends the process with SIGILL (exit status 132). */
#include "../check.h"

int main(void)
{
    check_out("PASS before-fault");
    __asm__ volatile("ud2");
    check_out("FAIL ill: ud2 did not fault");
    return 1;
}
