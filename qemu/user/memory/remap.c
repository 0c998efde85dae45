/* madvise, mremap and waitid: MADV_DONTNEED makes anonymous pages read as
 * zero, unknown advice is EINVAL; mremap shrinks, grows in place or moves
 * with MREMAP_MAYMOVE keeping the contents, refuses to grow without it when
 * blocked, and rejects bad flags; waitid reports exits and kills as siginfo,
 * leaves the child with WNOWAIT, and gives ECHILD and EINVAL as Linux. */
#include "../check.h"
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

enum { Page = 4096 };

int main(void)
{
    char *m = mmap(NULL, 4 * Page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(m, 'x', 4 * Page);
    CHECK_OK("madvise-dontneed", madvise(m, 2 * Page, MADV_DONTNEED));
    CHECK("dontneed-reads-zero", m[0] == 0 && m[2 * Page - 1] == 0 && m[2 * Page] == 'x', "after MADV_DONTNEED the bytes are not zero / the rest changed");
    CHECK_ERR("madvise-bad-advice-einval", madvise(m, Page, 12345), EINVAL);
    CHECK_ERR("madvise-unaligned-einval", madvise(m + 1, Page, MADV_NORMAL), EINVAL);

    char *s = mremap(m, 4 * Page, 2 * Page, 0);
    CHECK("mremap-shrink-in-place", s == m && s[2 * Page - 1] == 0, "shrink moved the mapping");
    char *blocker = mmap(m + 2 * Page, Page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK("blocker-placed", blocker == m + 2 * Page, "could not place a mapping after the shrunk one");
    CHECK("mremap-grow-blocked-enomem", mremap(m, 2 * Page, 8 * Page, 0) == MAP_FAILED && errno == ENOMEM, "grew over another mapping: %s", strerror(errno));
    m[Page] = 'y';
    char *g = mremap(m, 2 * Page, 8 * Page, MREMAP_MAYMOVE);
    CHECK("mremap-maymove-moves", g != MAP_FAILED && g != m, "did not move");
    CHECK("mremap-move-keeps-contents", g != MAP_FAILED && g[Page] == 'y' && g[0] == 0, "contents changed in the move");
    if (g != MAP_FAILED) { g[8 * Page - 1] = 'z'; CHECK("mremap-grown-tail-usable", g[8 * Page - 1] == 'z', "tail not writable"); }
    CHECK("mremap-bad-flags-einval", mremap(g, Page, Page, 0x80) == MAP_FAILED && errno == EINVAL, "%s", strerror(errno));
    CHECK("mremap-zero-size-einval", mremap(g, Page, 0, 0) == MAP_FAILED && errno == EINVAL, "%s", strerror(errno));

    siginfo_t si;
    pid_t p = fork();
    if (p == 0) _exit(7);
    memset(&si, 0, sizeof si);
    CHECK_OK("waitid-nowait", waitid(P_PID, p, &si, WEXITED | WNOWAIT));
    CHECK("waitid-exit-info", si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_status == 7 && si.si_pid == p, "signo %d code %d status %d", si.si_signo, si.si_code, si.si_status);
    memset(&si, 0, sizeof si);
    CHECK_OK("waitid-reap", waitid(P_ALL, 0, &si, WEXITED));
    CHECK("waitid-reaped-same", si.si_pid == p && si.si_status == 7, "second waitid saw another child");
    CHECK_ERR("waitid-no-children-echild", waitid(P_ALL, 0, &si, WEXITED), ECHILD);
    CHECK_ERR("waitid-no-event-einval", waitid(P_ALL, 0, &si, 0), EINVAL);
    p = fork();
    if (p == 0) { pause(); _exit(0); }
    memset(&si, 0xff, sizeof si);
    CHECK_OK("waitid-wnohang-live", waitid(P_PID, p, &si, WEXITED | WNOHANG));
    CHECK("waitid-wnohang-zero-pid", si.si_pid == 0, "si_pid %d for a live child", si.si_pid);
    kill(p, SIGKILL);
    CHECK_OK("waitid-killed", waitid(P_PID, p, &si, WEXITED));
    CHECK("waitid-killed-info", si.si_code == CLD_KILLED && si.si_status == SIGKILL, "code %d status %d", si.si_code, si.si_status);
    return check_exit();
}
