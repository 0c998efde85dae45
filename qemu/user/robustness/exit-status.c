/* exit-status: exit_group(2)'s status is taken modulo 256: _exit(0x12a)
 * gives exit status 42 (0x2a). Nothing runs after _exit. */
#include "../check.h"

int main(void)
{
    check_out("PASS before-exit");
    _exit(0x12a);
}
