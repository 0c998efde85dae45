/* locks: flock(2) and fcntl(2) record locks as Linux has them — flock's
 * shared/exclusive/non-blocking locks owned by the open file description
 * (dup, fork, last close, the non-atomic upgrade), POSIX record locks owned
 * by the process (split, merge, SEEK_CUR/SEEK_END, negative lengths, release
 * on any close and at exit), OFD locks, blocking waits woken by another
 * process, EINTR (a signal from the parent), EDEADLK for two- and three-process cycles, lockf(3),
 * /proc/locks, bad input, and 8 processes contending on 4 CPUs with a shared
 * log of who holds what. Run natively and on the kernel; the lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#define PATH "/tmp/locks-test"
#define PATH2 "/tmp/locks-test2"

static volatile int got_signal;
static int signal_pipe = -1;
static void on_alarm(int s)
{
    (void)s;
    got_signal++;
    if (signal_pipe >= 0) { char c = 's'; (void)!write(signal_pipe, &c, 1); }
}

static void on_alarm_restart(int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGALRM, &sa, 0);
}

static int open_file(const char *path, int flags)
{
    return open(path, flags | O_CREAT, 0644);
}

static int set_lock(int fd, int cmd, int type, int whence, long start, long len)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = (short)type;
    fl.l_whence = (short)whence;
    fl.l_start = start;
    fl.l_len = len;
    return fcntl(fd, cmd, &fl);
}

/* F_GETLK (or F_OFD_GETLK) for a write lock on [start, start+len): the answer in *out. */
static int get_lock(int fd, int cmd, int type, long start, long len, struct flock *out)
{
    memset(out, 0, sizeof *out);
    out->l_type = (short)type;
    out->l_whence = SEEK_SET;
    out->l_start = start;
    out->l_len = len;
    return fcntl(fd, cmd, out);
}

/* Whether /proc/locks shows a request of process pid blocked ("-> " line). */
static int is_blocked(int pid)
{
    FILE *f = fopen("/proc/locks", "r");
    if (!f) return 0;
    char line[256];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        char *arrow = strstr(line, "-> ");
        int p;
        char kind[16], mode[16], type[16];
        if (arrow && sscanf(arrow + 3, "%15s %15s %15s %d", kind, mode, type, &p) == 4 && p == pid) found = 1;
    }
    fclose(f);
    return found;
}

/* Waits (up to 20 s) until pid's request is blocked. */
static int wait_blocked(int pid)
{
    for (int i = 0; i < 2000; i++) {
        if (is_blocked(pid)) return 1;
        sleep_ms(10);
    }
    return 0;
}

static int child_status(int pid)
{
    int st = 0;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Child helpers: read one command byte from the parent, write one byte back. */
static char wait_byte(int fd) { char c = 0; if (read(fd, &c, 1) != 1) return 0; return c; }
static void send_byte(int fd, char c) { (void)!write(fd, &c, 1); }

static void flock_basics(void)
{
    unlink(PATH);
    int a = open_file(PATH, O_RDWR), b = open(PATH, O_RDWR), r = open(PATH, O_RDONLY);
    CHECK_OK("flock-sh", flock(a, LOCK_SH));
    CHECK_OK("flock-sh-shared", flock(b, LOCK_SH | LOCK_NB));
    CHECK_ERR("flock-ex-conflicts-sh", flock(r, LOCK_EX | LOCK_NB), EWOULDBLOCK);
    CHECK_OK("flock-same-type-again", flock(a, LOCK_SH));
    /* b's upgrade fails, and (not atomic) b no longer holds its shared lock. */
    CHECK_ERR("flock-upgrade-refused", flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
    CHECK_OK("flock-upgrade-dropped-old", flock(a, LOCK_EX | LOCK_NB));
    CHECK_ERR("flock-ex-excludes", flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
    CHECK_OK("flock-downgrade", flock(a, LOCK_SH));
    CHECK_OK("flock-after-downgrade", flock(b, LOCK_SH | LOCK_NB));
    CHECK_OK("flock-readonly-ex", (flock(a, LOCK_UN), flock(b, LOCK_UN), flock(r, LOCK_EX | LOCK_NB)));
    int pid = fork();
    if (pid == 0) {
        int c = open(PATH, O_RDWR);
        int sh = flock(c, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK;
        _exit(sh ? 0 : 1);
    }
    CHECK("flock-other-process-conflict", child_status(pid) == 0, "child could lock");
    CHECK_OK("flock-unlock", flock(r, LOCK_UN));
    CHECK_OK("flock-unlock-unlocked", flock(r, LOCK_UN));
    CHECK_ERR("flock-op-zero", flock(a, 0), EINVAL);
    CHECK_ERR("flock-op-sh-ex", flock(a, LOCK_SH | LOCK_EX), EINVAL);
    CHECK_ERR("flock-op-nb-only", flock(a, LOCK_NB), EINVAL);
    CHECK_ERR("flock-op-bad-before-fd", flock(-1, 0), EINVAL);
    CHECK_ERR("flock-bad-fd", flock(-1, LOCK_SH), EBADF);
    CHECK_ERR("flock-closed-fd", flock(999, LOCK_EX), EBADF);
    int p = open(PATH, O_PATH);
    CHECK_ERR("flock-o-path", flock(p, LOCK_SH), EBADF);
    close(p);
    int pfd[2];
    (void)!pipe(pfd);
    CHECK_OK("flock-pipe", flock(pfd[0], LOCK_EX | LOCK_NB));
    close(pfd[0]);
    close(pfd[1]);
    close(a);
    close(b);
    close(r);
}

static void flock_sharing(void)
{
    int a = open_file(PATH, O_RDWR), b = open(PATH, O_RDWR);
    flock(a, LOCK_EX);
    int d = dup(a);
    CHECK_OK("flock-dup-shares", flock(d, LOCK_EX | LOCK_NB));
    close(a);
    CHECK_ERR("flock-held-after-close-of-one", flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
    close(d);
    CHECK_OK("flock-released-at-last-close", flock(b, LOCK_EX | LOCK_NB));
    flock(b, LOCK_UN);

    /* A forked child holds the description: the parent's close does not release it. */
    a = open(PATH, O_RDWR);
    flock(a, LOCK_EX);
    int go[2];
    (void)!pipe(go);
    int pid = fork();
    if (pid == 0) {
        close(go[1]);
        wait_byte(go[0]);
        _exit(0);
    }
    close(go[0]);
    close(a);
    CHECK_ERR("flock-fork-child-holds", flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
    send_byte(go[1], 'x');
    close(go[1]);
    child_status(pid);
    CHECK_OK("flock-fork-released-at-child-exit", flock(b, LOCK_EX | LOCK_NB));
    flock(b, LOCK_UN);

    /* The child unlocks through the inherited description: the parent's lock goes too. */
    a = open(PATH, O_RDWR);
    flock(a, LOCK_EX);
    pid = fork();
    if (pid == 0) _exit(flock(a, LOCK_UN) == 0 ? 0 : 1);
    child_status(pid);
    CHECK_OK("flock-child-unlocks-shared-description", flock(b, LOCK_EX | LOCK_NB));
    close(a);
    close(b);
}

static void flock_blocking(void)
{
    int a = open_file(PATH, O_RDWR);
    flock(a, LOCK_EX);
    int pid = fork();
    if (pid == 0) {
        int c = open(PATH, O_RDWR);
        int r = flock(c, LOCK_EX);
        _exit(r == 0 ? 0 : 1);
    }
    CHECK("flock-blocks", wait_blocked(pid), "child not seen blocked");
    flock(a, LOCK_UN);
    CHECK("flock-woken-by-unlock", child_status(pid) == 0, "child failed");

    flock(a, LOCK_EX);
    pid = fork();
    if (pid == 0) {
        on_alarm_restart(0);
        int c = open(PATH, O_RDWR);
        int r = flock(c, LOCK_EX);
        _exit(r == -1 && errno == EINTR && got_signal == 1 ? 0 : 1);
    }
    wait_blocked(pid);
    kill(pid, SIGALRM);
    CHECK("flock-eintr", child_status(pid) == 0, "not EINTR");

    int sp[2];
    (void)!pipe(sp);
    pid = fork();
    if (pid == 0) {
        close(sp[0]);
        signal_pipe = sp[1];
        on_alarm_restart(1);
        int c = open(PATH, O_RDWR);
        int r = flock(c, LOCK_EX);
        _exit(r == 0 && got_signal == 1 ? 0 : 1);
    }
    close(sp[1]);
    wait_blocked(pid);
    kill(pid, SIGALRM);
    CHECK("flock-sa-restart-handler-ran", wait_byte(sp[0]) == 's', "no handler");
    flock(a, LOCK_UN);
    CHECK("flock-sa-restart-restarts", child_status(pid) == 0, "not restarted");
    close(sp[0]);
    close(a);
}

static void ranges(void)
{
    unlink(PATH);
    int fd = open_file(PATH, O_RDWR);
    int parent = getpid();
    CHECK_OK("setlk-write", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100));
    CHECK_OK("setlk-read-inside", set_lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 40, 20));
    CHECK_OK("setlk-write-adjacent", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 100, 100));
    CHECK_OK("setlk-unlock-middle", set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 10, 10));
    lseek(fd, 500, SEEK_SET);
    CHECK_OK("setlk-seek-cur", set_lock(fd, F_SETLK, F_WRLCK, SEEK_CUR, 10, 5));
    (void)!ftruncate(fd, 1000);
    CHECK_OK("setlk-seek-end", set_lock(fd, F_SETLK, F_RDLCK, SEEK_END, -100, 0));
    CHECK_OK("setlk-negative-len", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 800, -50));
    struct flock g;
    CHECK("getlk-own-locks-free", get_lock(fd, F_GETLK, F_WRLCK, 0, 1, &g) == 0 && g.l_type == F_UNLCK, "type %d", g.l_type);
    int pid = fork();
    if (pid == 0) {
        struct { const char *name; int type; long start, len; int want_type; long want_start, want_len; } probes[] = {
            { "getlk-split-left", F_WRLCK, 0, 1, F_WRLCK, 0, 10 },
            { "getlk-unlocked-hole", F_WRLCK, 12, 5, F_UNLCK, 0, 0 },
            { "getlk-split-read-part", F_WRLCK, 45, 1, F_RDLCK, 40, 20 },
            { "getlk-read-read-ok", F_RDLCK, 45, 1, F_UNLCK, 0, 0 },
            { "getlk-merged-right", F_RDLCK, 150, 1, F_WRLCK, 60, 140 },
            { "getlk-free-gap", F_WRLCK, 200, 100, F_UNLCK, 0, 0 },
            { "getlk-seek-cur-range", F_WRLCK, 505, 100, F_WRLCK, 510, 5 },
            { "getlk-negative-len-range", F_WRLCK, 700, 70, F_WRLCK, 750, 50 },
            { "getlk-seek-end-to-eof", F_WRLCK, 5000, 1, F_RDLCK, 900, 0 },
        };
        for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
            int r = get_lock(fd, F_GETLK, probes[i].type, probes[i].start, probes[i].len, &g);
            int ok = r == 0 && g.l_type == probes[i].want_type;
            if (ok && g.l_type != F_UNLCK)
                ok = g.l_whence == SEEK_SET && g.l_start == probes[i].want_start && g.l_len == probes[i].want_len && g.l_pid == parent;
            CHECK(probes[i].name, ok, "r %d type %d start %ld len %ld pid-is-parent %d", r, g.l_type, (long)g.l_start, (long)g.l_len, g.l_pid == parent);
        }
        CHECK_ERR("setlk-conflict-eagain", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 50, 1), EAGAIN);
        CHECK_OK("setlk-read-beside-read", set_lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 50, 1));
        CHECK("getlk-no-conflict-keeps-fields", get_lock(fd, F_GETLK, F_WRLCK, 300, 7, &g) == 0 && g.l_type == F_UNLCK
              && g.l_start == 300 && g.l_len == 7, "start %ld len %ld", (long)g.l_start, (long)g.l_len);
        _exit(check_failed);
    }
    CHECK("ranges-child", child_status(pid) == 0, "child failed");
    close(fd);
}

static void bad_input(void)
{
    int fd = open_file(PATH, O_RDWR), ro = open(PATH, O_RDONLY), wo = open(PATH, O_WRONLY);
    CHECK_ERR("setlk-bad-type", set_lock(fd, F_SETLK, 5, SEEK_SET, 0, 1), EINVAL);
    CHECK_ERR("getlk-bad-type", set_lock(fd, F_GETLK, 5, SEEK_SET, 0, 1), EINVAL);
    CHECK_ERR("getlk-unlck", set_lock(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1), EINVAL);
    CHECK_ERR("setlk-bad-whence", set_lock(fd, F_SETLK, F_WRLCK, 3, 0, 1), EINVAL);
    CHECK_ERR("setlk-negative-start", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), EINVAL);
    CHECK_ERR("setlk-len-before-zero", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, -11), EINVAL);
    CHECK_ERR("setlk-overflow", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, LONG_MAX, 2), EOVERFLOW);
    CHECK_ERR("setlk-wild-pointer", fcntl(fd, F_SETLK, (void *)8), EFAULT);
    CHECK_ERR("getlk-wild-pointer", fcntl(fd, F_GETLK, (void *)-4096L), EFAULT);
    void *page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_ERR("getlk-readonly-struct", fcntl(fd, F_GETLK, page), EFAULT);
    munmap(page, 4096);
    CHECK_ERR("setlk-write-on-readonly-fd", set_lock(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
    CHECK_ERR("setlk-read-on-writeonly-fd", set_lock(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
    CHECK_OK("setlk-read-on-readonly-fd", set_lock(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    CHECK_OK("setlk-unlock-on-readonly-fd", set_lock(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
    struct flock g;
    CHECK_OK("getlk-write-on-readonly-fd", get_lock(ro, F_GETLK, F_WRLCK, 0, 1, &g));
    CHECK_ERR("setlk-bad-fd", set_lock(-1, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
    CHECK_ERR("setlkw-bad-fd", set_lock(1000, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1), EBADF);
    int p = open(PATH, O_PATH);
    CHECK_ERR("setlk-o-path", set_lock(p, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
    CHECK_ERR("getlk-o-path", set_lock(p, F_GETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
    close(p);
    close(fd);
    close(ro);
    close(wo);
}

static void release(void)
{
    unlink(PATH);
    int fd = open_file(PATH, O_RDWR);
    struct flock g;
    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    int other = open(PATH, O_RDONLY);
    close(other);
    int pid = fork();
    if (pid == 0) _exit(get_lock(open(PATH, O_RDWR), F_GETLK, F_WRLCK, 0, 10, &g) == 0 && g.l_type == F_UNLCK ? 0 : 1);
    CHECK("posix-released-by-other-fd-close", child_status(pid) == 0, "lock still held");
    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    close(dup(fd));
    pid = fork();
    if (pid == 0) _exit(get_lock(open(PATH, O_RDWR), F_GETLK, F_WRLCK, 0, 10, &g) == 0 && g.l_type == F_UNLCK ? 0 : 1);
    CHECK("posix-released-by-dup-close", child_status(pid) == 0, "lock still held");

    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    pid = fork();
    if (pid == 0) _exit(set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10) == -1 && errno == EAGAIN ? 0 : 1);
    CHECK("posix-not-inherited", child_status(pid) == 0, "child shares the lock");
    CHECK("posix-child-exit-keeps-parent-lock", get_lock(fd, F_GETLK, F_WRLCK, 0, 1, &g) == 0 && g.l_type == F_UNLCK, "type %d", g.l_type);
    pid = fork();
    if (pid == 0) _exit(get_lock(fd, F_GETLK, F_WRLCK, 0, 1, &g) == 0 && g.l_type == F_WRLCK ? 0 : 1);
    CHECK("posix-parent-lock-survives-child", child_status(pid) == 0, "lock gone");
    set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

    int up[2], down[2];
    (void)!pipe(up);
    (void)!pipe(down);
    pid = fork();
    if (pid == 0) {
        set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 5);
        send_byte(up[1], 'l');
        wait_byte(down[0]);
        _exit(0);
    }
    wait_byte(up[0]);
    CHECK("posix-child-lock-seen", get_lock(fd, F_GETLK, F_WRLCK, 0, 100, &g) == 0 && g.l_type == F_WRLCK && g.l_pid == pid
          && g.l_start == 20 && g.l_len == 5, "type %d", g.l_type);
    send_byte(down[1], 'x');
    child_status(pid);
    CHECK("posix-released-at-exit", get_lock(fd, F_GETLK, F_WRLCK, 0, 100, &g) == 0 && g.l_type == F_UNLCK, "type %d", g.l_type);
    close(up[0]); close(up[1]); close(down[0]); close(down[1]);
    close(fd);
}

static void record_blocking(void)
{
    int fd = open_file(PATH, O_RDWR);
    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 10);
    int pid = fork();
    if (pid == 0) _exit(set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 25, 1) == 0 ? 0 : 1);
    CHECK("setlkw-blocks", wait_blocked(pid), "child not seen blocked");
    set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 10);
    sleep_ms(200);
    CHECK("setlkw-other-range-freed-still-waits", is_blocked(pid), "child no longer blocked");
    set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 20, 10);
    CHECK("setlkw-woken-when-range-frees", child_status(pid) == 0, "child failed");

    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    pid = fork();
    if (pid == 0) {
        on_alarm_restart(0);
        int r = set_lock(fd, F_SETLKW, F_RDLCK, SEEK_SET, 5, 1);
        _exit(r == -1 && errno == EINTR && got_signal == 1 ? 0 : 1);
    }
    wait_blocked(pid);
    kill(pid, SIGALRM);
    CHECK("setlkw-eintr", child_status(pid) == 0, "not EINTR");
    set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    close(fd);
}

static void deadlocks(void)
{
    int fd = open_file(PATH, O_RDWR);
    int up[2], down[2];
    (void)!pipe(up);
    (void)!pipe(down);
    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    int pid = fork();
    if (pid == 0) {
        set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
        send_byte(up[1], 'l');
        int r = set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
        _exit(r == 0 ? 0 : 1);
    }
    wait_byte(up[0]);
    CHECK("deadlock-pair-child-waits", wait_blocked(pid), "child not seen blocked");
    CHECK_ERR("deadlock-pair-setlk-eagain", set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1), EAGAIN);
    CHECK_ERR("deadlock-pair-edeadlk", set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1), EDEADLK);
    set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
    CHECK("deadlock-pair-child-proceeds", child_status(pid) == 0, "child failed");

    /* A (child 1) holds 10, B (child 2) holds 11, the parent holds 12; A waits for 11, B for 12. */
    int fd2 = open_file(PATH2, O_RDWR);
    int a_go[2], b_go[2];
    (void)!pipe(a_go);
    (void)!pipe(b_go);
    int a = fork();
    if (a == 0) {
        set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 1);
        send_byte(up[1], 'a');
        wait_byte(a_go[0]);
        _exit(set_lock(fd2, F_SETLKW, F_WRLCK, SEEK_SET, 11, 1) == 0 ? 0 : 1);
    }
    wait_byte(up[0]);
    int b = fork();
    if (b == 0) {
        set_lock(fd2, F_SETLK, F_WRLCK, SEEK_SET, 11, 1);
        send_byte(up[1], 'b');
        wait_byte(b_go[0]);
        _exit(set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 12, 1) == 0 ? 0 : 1);
    }
    wait_byte(up[0]);
    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 12, 1);
    send_byte(a_go[1], 'g');
    CHECK("deadlock-cycle-first-waits", wait_blocked(a), "A not blocked");
    send_byte(b_go[1], 'g');
    CHECK("deadlock-cycle-second-waits", wait_blocked(b), "B not blocked");
    CHECK_ERR("deadlock-cycle-edeadlk", set_lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 10, 1), EDEADLK);
    set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 12, 1);
    CHECK("deadlock-cycle-second-proceeds", child_status(b) == 0, "B failed");
    CHECK("deadlock-cycle-first-proceeds", child_status(a) == 0, "A failed");
    close(a_go[0]); close(a_go[1]); close(b_go[0]); close(b_go[1]);
    close(up[0]); close(up[1]); close(down[0]); close(down[1]);
    close(fd2);
    close(fd);
}

static void ofd(void)
{
    unlink(PATH);
    int a = open_file(PATH, O_RDWR), b = open(PATH, O_RDWR);
    struct flock g;
    CHECK_OK("ofd-setlk", set_lock(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    CHECK_ERR("ofd-other-description-conflicts", set_lock(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1), EAGAIN);
    CHECK("ofd-getlk-pid-minus-one", get_lock(b, F_OFD_GETLK, F_RDLCK, 0, 0, &g) == 0 && g.l_type == F_WRLCK && g.l_pid == -1
          && g.l_start == 0 && g.l_len == 10, "type %d pid %d", g.l_type, g.l_pid);
    CHECK_ERR("ofd-conflicts-with-own-posix", set_lock(b, F_SETLK, F_WRLCK, SEEK_SET, 5, 1), EAGAIN);
    CHECK("posix-getlk-sees-ofd", get_lock(b, F_GETLK, F_WRLCK, 5, 1, &g) == 0 && g.l_type == F_WRLCK && g.l_pid == -1, "type %d", g.l_type);
    struct flock bad;
    memset(&bad, 0, sizeof bad);
    bad.l_type = F_WRLCK;
    bad.l_pid = 1;
    CHECK_ERR("ofd-setlk-pid-nonzero", fcntl(b, F_OFD_SETLK, &bad), EINVAL);
    CHECK_ERR("ofd-getlk-pid-nonzero", fcntl(b, F_OFD_GETLK, &bad), EINVAL);
    close(b);
    b = open(PATH, O_RDWR);
    CHECK_ERR("ofd-survives-other-close", set_lock(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 1), EAGAIN);
    int pid = fork();
    if (pid == 0) {
        int same = set_lock(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 20) == 0;
        int c = open(PATH, O_RDWR);
        int other = set_lock(c, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1) == -1 && errno == EAGAIN;
        _exit(same && other ? 0 : 1);
    }
    CHECK("ofd-inherited-by-fork", child_status(pid) == 0, "child failed");
    CHECK("ofd-child-extended-shared-lock", get_lock(b, F_OFD_GETLK, F_RDLCK, 15, 1, &g) == 0 && g.l_type == F_WRLCK && g.l_len == 20, "len %ld", (long)g.l_len);
    pid = fork();
    if (pid == 0) {
        close(a); /* else the child would hold the description too */
        int c = open(PATH, O_RDWR);
        _exit(set_lock(c, F_OFD_SETLKW, F_WRLCK, SEEK_SET, 0, 1) == 0 ? 0 : 1);
    }
    CHECK("ofd-setlkw-blocks", wait_blocked(-1), "child not seen blocked");
    close(a);
    CHECK("ofd-released-at-last-close", child_status(pid) == 0, "child failed");
    close(b);
}

static void lockf_and_proc(void)
{
    unlink(PATH);
    int fd = open_file(PATH, O_RDWR);
    CHECK_OK("lockf-lock", lockf(fd, F_LOCK, 10));
    int pid = fork();
    if (pid == 0) {
        int c = open(PATH, O_RDWR);
        int test = lockf(c, F_TEST, 10) == -1 && errno == EACCES;
        int tlock = lockf(c, F_TLOCK, 5) == -1 && (errno == EAGAIN || errno == EACCES);
        int beyond = lockf(c, F_TEST, 0) == -1; /* from 0 to EOF overlaps */
        lseek(c, 10, SEEK_SET);
        int after = lockf(c, F_TLOCK, 10) == 0;
        _exit(test && tlock && beyond && after ? 0 : 1);
    }
    CHECK("lockf-test-tlock-from-other-process", child_status(pid) == 0, "child failed");
    CHECK_OK("lockf-ulock", lockf(fd, F_ULOCK, 10));
    pid = fork();
    if (pid == 0) _exit(lockf(open(PATH, O_RDWR), F_TEST, 10) == 0 ? 0 : 1);
    CHECK("lockf-test-after-ulock", child_status(pid) == 0, "still locked");

    /* /proc/locks: a POSIX, an OFD and a flock lock of this file, and a blocked request. */
    struct stat st;
    fstat(fd, &st);
    set_lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100);
    int o = open(PATH, O_RDWR);
    set_lock(o, F_OFD_SETLK, F_RDLCK, SEEK_SET, 200, 0);
    flock(fd, LOCK_SH);
    pid = fork();
    if (pid == 0) _exit(set_lock(open(PATH, O_RDWR), F_SETLKW, F_RDLCK, SEEK_SET, 50, 1) == 0 ? 0 : 1);
    wait_blocked(pid);
    FILE *f = fopen("/proc/locks", "r");
    char line[256];
    int posix = 0, ofdl = 0, fl = 0, blocked = 0, posix_id = -1, blocked_id = -2, dev_ok = 1;
    while (f && fgets(line, sizeof line, f)) {
        int id, lpid;
        unsigned maj, min;
        unsigned long ino;
        char kind[16], adv[16], type[16], start[32], end[32];
        char *s = line;
        int arrow = strstr(line, "-> ") != 0;
        if (arrow) {
            sscanf(line, "%d:", &id);
            s = strstr(line, "-> ") + 3;
            if (sscanf(s, "%15s %15s %15s %d %x:%x:%lu %31s %31s", kind, adv, type, &lpid, &maj, &min, &ino, start, end) != 9) continue;
        } else if (sscanf(line, "%d: %15s %15s %15s %d %x:%x:%lu %31s %31s", &id, kind, adv, type, &lpid, &maj, &min, &ino, start, end) != 10) continue;
        if (ino != st.st_ino) continue;
        if (maj != major(st.st_dev) || min != minor(st.st_dev)) dev_ok = 0;
        if (arrow) {
            if (!strcmp(kind, "POSIX") && !strcmp(type, "READ") && lpid == pid && !strcmp(start, "50") && !strcmp(end, "50")) { blocked++; blocked_id = id; }
        } else if (!strcmp(kind, "POSIX") && !strcmp(adv, "ADVISORY") && !strcmp(type, "WRITE") && lpid == getpid() && !strcmp(start, "0") && !strcmp(end, "99")) { posix++; posix_id = id; }
        else if (!strcmp(kind, "OFDLCK") && !strcmp(type, "READ") && lpid == -1 && !strcmp(start, "200") && !strcmp(end, "EOF")) ofdl++;
        else if (!strcmp(kind, "FLOCK") && !strcmp(type, "READ") && lpid == getpid() && !strcmp(start, "0") && !strcmp(end, "EOF")) fl++;
    }
    if (f) fclose(f);
    CHECK("proc-locks-posix", posix == 1, "%d lines", posix);
    CHECK("proc-locks-ofd", ofdl == 1, "%d lines", ofdl);
    CHECK("proc-locks-flock", fl == 1, "%d lines", fl);
    CHECK("proc-locks-blocked-under-holder", blocked == 1 && blocked_id == posix_id, "%d lines, ids %d %d", blocked, blocked_id, posix_id);
    CHECK("proc-locks-device", dev_ok, "device differs from st_dev");
    set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    CHECK("proc-locks-waiter-proceeds", child_status(pid) == 0, "child failed");
    close(o);
    close(fd);
}

/* 8 processes on 4 CPUs: flock (shared and exclusive) and overlapping write/read ranges; each
 * records in shared memory what it holds and checks that no holder conflicts with it. */
#define WORKERS 8
#define ROUNDS 40
#define BYTES 64
struct shared_log {
    int excl, shared;
    int writers[BYTES], readers[BYTES];
    int violations, done;
};

static void spin(unsigned n)
{
    for (volatile unsigned i = 0; i < n; i++) { }
}

static void flock_worker(struct shared_log *log, int me)
{
    int fd = open(PATH, O_RDWR);
    for (int i = 0; i < ROUNDS; i++) {
        int ex = (i + me) % 3 == 0;
        if (flock(fd, ex ? LOCK_EX : LOCK_SH) != 0) { __sync_fetch_and_add(&log->violations, 1000); break; }
        if (ex) {
            if (__sync_fetch_and_add(&log->excl, 1) != 0 || __sync_fetch_and_add(&log->shared, 0) != 0) __sync_fetch_and_add(&log->violations, 1);
            spin(20000);
            __sync_fetch_and_sub(&log->excl, 1);
        } else {
            __sync_fetch_and_add(&log->shared, 1);
            if (__sync_fetch_and_add(&log->excl, 0) != 0) __sync_fetch_and_add(&log->violations, 1);
            spin(20000);
            __sync_fetch_and_sub(&log->shared, 1);
        }
        flock(fd, LOCK_UN);
        __sync_fetch_and_add(&log->done, 1);
    }
    close(fd);
}

static void range_worker(struct shared_log *log, int me)
{
    int fd = open(PATH, O_RDWR);
    unsigned seed = (unsigned)me * 2654435761u + 1;
    for (int i = 0; i < ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        int start = (int)((seed >> 8) % (BYTES - 8)), len = 1 + (int)((seed >> 20) % 8);
        int write_lock = (seed >> 4) % 2;
        if (set_lock(fd, F_SETLKW, write_lock ? F_WRLCK : F_RDLCK, SEEK_SET, start, len) != 0) { __sync_fetch_and_add(&log->violations, 1000); break; }
        for (int b = start; b < start + len; b++) {
            if (write_lock) {
                if (__sync_fetch_and_add(&log->writers[b], 1) != 0 || __sync_fetch_and_add(&log->readers[b], 0) != 0) __sync_fetch_and_add(&log->violations, 1);
            } else {
                __sync_fetch_and_add(&log->readers[b], 1);
                if (__sync_fetch_and_add(&log->writers[b], 0) != 0) __sync_fetch_and_add(&log->violations, 1);
            }
        }
        spin(20000);
        for (int b = start; b < start + len; b++)
            __sync_fetch_and_sub(write_lock ? &log->writers[b] : &log->readers[b], 1);
        set_lock(fd, F_SETLK, F_UNLCK, SEEK_SET, start, len);
        __sync_fetch_and_add(&log->done, 1);
    }
    close(fd);
}

static void contention(void (*worker)(struct shared_log *, int), const char *name)
{
    struct shared_log *log = mmap(0, sizeof *log, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(log, 0, sizeof *log);
    int pids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0) { worker(log, w); _exit(0); }
    }
    int exits = 0;
    for (int w = 0; w < WORKERS; w++) exits += child_status(pids[w]) == 0;
    char label[64];
    snprintf(label, sizeof label, "%s-no-overlap", name);
    CHECK(label, log->violations == 0, "%d violations", log->violations);
    snprintf(label, sizeof label, "%s-all-rounds", name);
    CHECK(label, exits == WORKERS && log->done == WORKERS * ROUNDS, "%d exits, %d rounds", exits, log->done);
    munmap(log, sizeof *log);
}

static void contend(void)
{
    unlink(PATH);
    close(open_file(PATH, O_RDWR));
    contention(flock_worker, "flock-contention");
    contention(range_worker, "range-contention");
}

/* `locks [SECTION]` runs one section (for debugging); without an argument, all of them. */
int main(int argc, char **argv)
{
    struct { const char *name; void (*run)(void); } sections[] = {
        { "flock", flock_basics }, { "sharing", flock_sharing }, { "flock-wait", flock_blocking },
        { "ranges", ranges }, { "bad", bad_input }, { "release", release }, { "record-wait", record_blocking },
        { "deadlock", deadlocks }, { "ofd", ofd }, { "lockf", lockf_and_proc }, { "contention", contend },
    };
    for (unsigned i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (argc < 2 || !strcmp(argv[1], sections[i].name)) sections[i].run();
    unlink(PATH);
    unlink(PATH2);
    return check_exit();
}
