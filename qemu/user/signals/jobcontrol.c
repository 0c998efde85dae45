/* Job control: SIGSTOP stops a child, wait4 with WUNTRACED reports
 * it once (WIFSTOPPED, WSTOPSIG), SIGCHLD arrives with CLD_STOPPED; SIGCONT
 * continues it, WCONTINUED reports that (WIFCONTINUED) and the child goes on
 * to exit normally; waitid reports a stop with CLD_STOPPED; SA_NOCLDSTOP
 * silences SIGCHLD for stops; a stopped child still dies of SIGKILL. */
#include "../check.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

/* Shared with the children: they run until the parent says go (so none can
 * finish early on a loaded host before it is stopped). */
static volatile int *go;

static volatile sig_atomic_t chld_code;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    chld_code = si->si_code;
}

static void wait_for_code(int code)
{
    struct timespec ms = {0, 1000 * 1000};
    for (int i = 0; i < 2000 && chld_code != code; i++) nanosleep(&ms, NULL);
}

static pid_t spinner(void)
{
    pid_t p = fork();
    if (p == 0) {
        for (int i = 0; i < 20000 && !*go; i++) { /* at most 20 s */
            struct timespec ms = {0, 1000 * 1000};
            nanosleep(&ms, NULL);
        }
        _exit(9);
    }
    return p;
}

int main(void)
{
    go = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);

    pid_t p = spinner();
    kill(p, SIGSTOP);
    int status = 0;
    pid_t r = waitpid(p, &status, WUNTRACED);
    CHECK("wuntraced-reports-stop", r == p && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "r %d status %#x", (int)(r == p), status);
    wait_for_code(CLD_STOPPED);
    CHECK("sigchld-cld-stopped", chld_code == CLD_STOPPED, "si_code %d", (int)chld_code);
    r = waitpid(p, &status, WUNTRACED | WNOHANG);
    CHECK("stop-reported-once", r == 0, "a second wait saw the stop again");
    chld_code = 0;
    kill(p, SIGCONT);
    r = waitpid(p, &status, WCONTINUED);
    CHECK("wcontinued-reports-continue", r == p && WIFCONTINUED(status), "status %#x", status);
    wait_for_code(CLD_CONTINUED);
    CHECK("sigchld-cld-continued", chld_code == CLD_CONTINUED, "si_code %d", (int)chld_code);
    *go = 1;
    r = waitpid(p, &status, 0);
    CHECK("continued-child-exits-normally", r == p && WIFEXITED(status) && WEXITSTATUS(status) == 9, "status %#x", status);

    *go = 0;
    p = spinner();
    kill(p, SIGSTOP); /* not SIGTSTP: Linux ignores it in an orphaned process group, as a test harness's may be */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK_OK("waitid-wstopped", waitid(P_PID, p, &si, WSTOPPED));
    CHECK("waitid-stop-info", si.si_code == CLD_STOPPED && si.si_status == SIGSTOP && si.si_pid == p, "code %d status %d", si.si_code, si.si_status);
    kill(p, SIGKILL);
    r = waitpid(p, &status, 0);
    CHECK("stopped-child-dies-of-sigkill", r == p && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %#x", status);

    sa.sa_flags |= SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    chld_code = 0;
    p = spinner();
    kill(p, SIGSTOP);
    r = waitpid(p, &status, WUNTRACED);
    struct timespec ms = {0, 20 * 1000 * 1000};
    nanosleep(&ms, NULL);
    CHECK("nocldstop-no-sigchld-for-stop", r == p && chld_code == 0, "si_code %d", (int)chld_code);
    kill(p, SIGKILL);
    waitpid(p, &status, 0);
    return check_exit();
}
