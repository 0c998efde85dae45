/* fpe: an integer division by zero ends the process with SIGFPE (exit status 136). */
#include "../check.h"

int main(void)
{
    volatile int zero = 0, ten = 10;
    check_out("PASS before-fault");
    volatile int q = ten / zero;
    (void)q;
    check_out("FAIL fpe: the division by zero did not fault");
    return 1;
}
