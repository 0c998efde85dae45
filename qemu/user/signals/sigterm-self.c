/* sigterm-self: a signal whose default action is to terminate ends the
 * process: kill(getpid(), SIGTERM) gives exit status 143 (128 + 15). */
#include "../check.h"
#include <signal.h>

int main(void)
{
    check_out("PASS before-kill");
    kill(getpid(), SIGTERM);
    check_out("FAIL sigterm-self: SIGTERM with its default action did not end the process");
    return 1;
}
