/* pidns: PID namespaces (pid_namespaces(7)). unshare(CLONE_NEWPID) leaves
 * the caller where it is and makes its next child the init of a new
 * namespace: pid 1 there, parent 0, process group and session 0 (led from
 * outside) until setsid; its children are numbered from 2; wait, waitid's
 * si_pid and kill use those numbers; signals from inside without a handler
 * do not reach the init; orphans go to it; proc mounted there shows the
 * namespace; when the init exits the rest are killed before its parent can
 * reap it, and a fork into the dead namespace is ENOMEM. Then: errors
 * (EINVAL twice and for clone after unshare; EPERM
 * unprivileged; a thread fails too), setns back into one's own namespace, clone(CLONE_NEWPID),
 * and nesting that stops at 32 levels with ENOSPC. Run natively (root) and
 * on the kernel; the lines must match. */
#include "../check.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_term;
static void on_term(int s) { (void)s; got_term = 1; }

static void *nothing(void *arg) { return arg; }

/* The numbers on a "NSpid:" line of a status file, and the last of them. */
static int nspid(const char *path, int *last)
{
    char text[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (fd >= 0) close(fd);
    text[n > 0 ? n : 0] = 0;
    char *line = strstr(text, "\nNSpid:");
    int count = 0;
    *last = -1;
    if (!line) return 0;
    for (char *p = line + 7; *p && *p != '\n';) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p) break;
        *last = (int)v;
        count++;
        p = end;
    }
    return count;
}

static int has_line(const char *path, const char *want)
{
    char text[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (fd >= 0) close(fd);
    text[n > 0 ? n : 0] = 0;
    return strstr(text, want) != NULL;
}

static int numeric_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9') n++;
    if (d) closedir(d);
    return n;
}

/* The init of the new namespace: every check that needs to be inside. keep: the write end of a
 * pipe its last child holds while the init exits; initial: an fd for the first PID namespace;
 * go: where the parent says it is done printing (so the lines come in one order). */
static int init_main(int keep, int initial, int go)
{
    check_failed = 0; /* its exit status says whether its own checks passed */
    char b;
    if (read(go, &b, 1) != 1) return 1; /* the parent has printed its lines */
    close(go);
    CHECK("init-getpid-1", getpid() == 1, "getpid %d", (int)getpid());
    CHECK("init-gettid-1", syscall(SYS_gettid) == 1, "gettid is not 1");
    CHECK("init-getppid-0", getppid() == 0, "getppid %d", (int)getppid());
    CHECK("init-group-led-from-outside-is-0", getpgrp() == 0, "getpgrp %d", (int)getpgrp());
    CHECK("init-session-led-from-outside-is-0", getsid(0) == 0, "getsid %d", (int)getsid(0));
    int last = 0, levels = nspid("/proc/self/status", &last);
    CHECK("init-nspid-in-first-procfs", levels == 2 && last == 1, "%d numbers, last %d", levels, last);
    CHECK("init-setsid-returns-1", setsid() == 1, "setsid failed");
    CHECK("init-leads-group-1", getpgrp() == 1 && getsid(0) == 1, "getpgrp %d getsid %d", (int)getpgrp(), (int)getsid(0));
    CHECK_ERR("setns-to-an-ancestor-einval", setns(initial, CLONE_NEWPID), EINVAL);
    int sv[2];
    struct ucred cred = { 0, 0, 0 };
    socklen_t len = sizeof cred;
    int ok = socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0;
    CHECK("peercred-pid-in-namespace", ok && cred.pid == 1, "pid %d", (int)cred.pid);
    close(sv[0]);
    close(sv[1]);

    /* Children are numbered from 2 and waited for by those numbers. */
    pid_t c = fork();
    if (c == 0) _exit(getpid() == 2 && getppid() == 1 ? 0 : 1);
    int status = -1;
    CHECK("fork-in-namespace-returns-2", c == 2, "fork returned %d", (int)c);
    CHECK("wait-returns-namespace-pid", waitpid(-1, &status, 0) == 2 && status == 0, "status %#x", status);
    c = fork();
    if (c == 0) _exit(3);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK("waitid-si-pid-in-namespace", waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == 3 && si.si_status == 3,
          "si_pid %d si_status %d", (int)si.si_pid, si.si_status);

    /* Signals from inside: without a handler they do nothing to the init, SIGKILL included. */
    c = fork();
    if (c == 0) _exit(kill(1, SIGKILL) == 0 && kill(1, SIGTERM) == 0 ? 0 : 1);
    CHECK("kill-init-from-inside-ignored", waitpid(c, &status, 0) == c && status == 0, "status %#x", status);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    c = fork();
    if (c == 0) _exit(kill(1, SIGTERM) == 0 ? 0 : 1);
    waitpid(c, &status, 0);
    for (int i = 0; i < 100 && !got_term; i++) usleep(10000);
    CHECK("caught-signal-reaches-init", got_term == 1 && status == 0, "got_term %d status %#x", (int)got_term, status);

    /* An orphan of the namespace goes to its init. */
    c = fork();
    if (c == 0) {
        if (fork() == 0) {
            for (int i = 0; i < 500 && getppid() != 1; i++) usleep(10000);
            _exit(getppid() == 1 ? 0 : 1);
        }
        _exit(0);
    }
    waitpid(c, &status, 0);
    pid_t orphan = waitpid(-1, &status, 0);
    CHECK("orphan-reparented-to-namespace-init", orphan == 7 && status == 0, "waited %d status %#x", (int)orphan, status);

    /* proc mounted here shows the namespace, in its numbers. */
    CHECK_OK("unshare-newns", unshare(CLONE_NEWNS));
    CHECK_OK("make-root-private", mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL));
    CHECK_OK("mount-proc", mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
    char self[32] = "";
    ssize_t n = readlink("/proc/self", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    CHECK("proc-self-is-1", strcmp(self, "1") == 0, "'%s'", self);
    CHECK("proc-1-status-pid-1", has_line("/proc/1/status", "\nPid:\t1\n") && has_line("/proc/1/status", "\nNSpid:\t1\n"), "status lines");

    /* The last child lives (holding keep) while the init exits. */
    c = fork();
    if (c == 0) {
        for (;;) pause();
    }
    close(keep);
    CHECK("proc-lists-the-namespace", numeric_entries("/proc") == 2, "%d numeric entries", numeric_entries("/proc"));
    CHECK("proc-child-status", has_line("/proc/8/status", "\nPPid:\t1\n") && has_line("/proc/8/status", "\nNSpid:\t8\n"), "status lines");
    return check_exit();
}

/* Levels below the first: each makes a namespace and forks into it; the last one's unshare fails. */
static int nest(int level)
{
    if (unshare(CLONE_NEWPID) != 0) {
        int last = 0, levels = nspid("/proc/self/status", &last);
        return errno == ENOSPC && level == 33 && levels == 33 && last == 1 ? 0 : 1;
    }
    pid_t c = fork();
    if (c < 0) return 2;
    if (c == 0) _exit(nest(level + 1));
    int status = 0;
    waitpid(c, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}

int main(void)
{
    int initial = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
    CHECK_OK("open-pid-ns", initial);

    pid_t c = fork();
    if (c == 0) {
        if (setuid(65534) != 0) _exit(2);
        _exit(unshare(CLONE_NEWPID) == -1 && errno == EPERM ? 0 : 1);
    }
    int status = -1;
    waitpid(c, &status, 0);
    CHECK("unshare-newpid-unprivileged-eperm", status == 0, "status %#x", status);

    pid_t before = getpid();
    CHECK_OK("unshare-newpid", unshare(CLONE_NEWPID));
    CHECK("caller-keeps-its-pid", getpid() == before, "getpid changed");
    CHECK_ERR("unshare-newpid-again-einval", unshare(CLONE_NEWPID), EINVAL);
    pthread_t th;
    int r = pthread_create(&th, NULL, nothing, NULL);
    /* The kernel's EINVAL (CLONE_THREAD into another namespace) reaches musl's caller as EAGAIN. */
    CHECK("thread-after-unshare-fails", r == EAGAIN, "pthread_create: %s", errname(r));
    char text[64];
    CHECK_ERR("pid-for-children-without-init-enoent", readlink("/proc/self/ns/pid_for_children", text, sizeof text), ENOENT);

    int keep[2], go[2];
    CHECK_OK("pipe", pipe(keep) == 0 ? pipe(go) : -1);
    c = fork();
    if (c == 0) {
        close(keep[0]);
        close(go[1]);
        _exit(init_main(keep[1], initial, go[0]));
    }
    close(keep[1]);
    close(go[0]);
    CHECK("fork-returns-outer-number", c > 1, "fork returned %d", (int)c);
    char mine[64] = "", theirs[64] = "", path[64];
    ssize_t n = readlink("/proc/self/ns/pid_for_children", mine, sizeof mine - 1);
    mine[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)c);
    n = readlink(path, theirs, sizeof theirs - 1);
    theirs[n > 0 ? n : 0] = 0;
    CHECK("pid-for-children-is-inits-namespace", mine[0] && strcmp(mine, theirs) == 0, "'%s' vs '%s'", mine, theirs);
    /* No line of its own: the init prints at once, so a line here would race it. A failed write
     * leaves the init waiting for nothing: it returns 1, and wait-for-namespace-init fails. */
    if (write(go[1], "g", 1) != 1) close(go[1]);
    close(go[1]);

    status = -1;
    CHECK("wait-for-namespace-init", waitpid(c, &status, 0) == c && status == 0, "status %#x", status);
    fcntl(keep[0], F_SETFL, O_NONBLOCK);
    char b;
    CHECK("namespace-emptied-before-init-reaped", read(keep[0], &b, 1) == 0, "the last child still held its pipe");
    CHECK_ERR("fork-into-dead-namespace-enomem", fork(), ENOMEM);
    CHECK_ERR("clone-newpid-after-unshare-einval", syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0), EINVAL);

    CHECK_OK("setns-back-to-own-namespace", setns(initial, CLONE_NEWPID));
    long cl = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
    if (cl == 0) _exit(getpid() == 1 && getppid() == 0 ? 0 : 1);
    status = -1;
    CHECK("clone-newpid-child-is-1", cl > 1 && waitpid((pid_t)cl, &status, 0) == cl && status == 0, "clone %ld status %#x", cl, status);

    c = fork();
    if (c == 0) _exit(nest(1));
    status = -1;
    waitpid(c, &status, 0);
    CHECK("nesting-stops-at-32-enospc", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
    return check_exit();
}
