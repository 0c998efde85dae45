/* segv-stack: unbounded recursion grows the stack until it meets the stack
 * limit (8 MiB by default) or the guard gap, and the process ends with
 * SIGSEGV (exit status 139), not a hang or a kernel panic. Each frame
 * touches 4 KiB, so growth is page by page. An unlimited or huge stack limit
 * inherited from the caller is lowered to 8 MiB first (silently: getrlimit
 * may be missing, and the output must not depend on it). */
#include "../check.h"
#include <sys/resource.h>

static int deepest(volatile unsigned char *prev, unsigned long depth)
{
    volatile unsigned char frame[4096];
    frame[0] = (unsigned char)depth;
    frame[4095] = prev ? prev[0] : 0;
    if (depth > (1UL << 22)) return frame[0]; /* 16 GiB of stack: never reached */
    return deepest(frame, depth + 1) + frame[4095];
}

int main(void)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_STACK, &lim) == 0 && (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > (64UL << 20))) {
        lim.rlim_cur = 8UL << 20;
        setrlimit(RLIMIT_STACK, &lim);
    }
    check_out("PASS before-recursion");
    int r = deepest(NULL, 0);
    check_out("FAIL segv-stack: recursion through 16 GiB of stack did not fault (%d)", r & 1);
    return 1;
}
