/* pipes: pipe(7) semantics — data order, EOF, O_NONBLOCK, PIPE_BUF atomicity,
 * SIGPIPE/EPIPE, F_GETPIPE_SZ/F_SETPIPE_SZ, FIONREAD, a blocked reader woken
 * from another process, signals ending waits (EINTR and SA_RESTART), and
 * poll/select readiness with timeouts. Run natively and on the kernel; the
 * lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static volatile int got_signal;
static void on_signal(int s) { (void)s; got_signal++; }

static void basics(void)
{
    int p[2];
    CHECK("pipe", pipe(p) == 0, "errno %s", errname(errno));
    CHECK("pipe-fds-lowest", p[0] == 3 && p[1] == 4, "fds %d %d", p[0], p[1]);
    CHECK("write", write(p[1], "hello", 5) == 5, "errno %s", errname(errno));
    int avail = -1;
    CHECK("fionread", ioctl(p[0], FIONREAD, &avail) == 0 && avail == 5, "avail %d", avail);
    char buf[16];
    CHECK("read-partial", read(p[0], buf, 3) == 3 && memcmp(buf, "hel", 3) == 0, "bad data");
    CHECK("read-rest", read(p[0], buf, 16) == 2 && memcmp(buf, "lo", 2) == 0, "bad data");
    CHECK("read-write-end", read(p[1], buf, 1) == -1 && errno == EBADF, "errno %s", errname(errno));
    CHECK("write-read-end", write(p[0], "x", 1) == -1 && errno == EBADF, "errno %s", errname(errno));
    CHECK("lseek-espipe", lseek(p[0], 0, SEEK_SET) == -1 && errno == ESPIPE, "errno %s", errname(errno));
    struct stat st;
    CHECK("fstat-fifo", fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "mode %o", st.st_mode);
    CHECK("getpipe-sz", fcntl(p[0], F_GETPIPE_SZ) == 65536, "size %d", fcntl(p[0], F_GETPIPE_SZ));
    CHECK("setpipe-sz", fcntl(p[1], F_SETPIPE_SZ, 5000) == 8192 && fcntl(p[0], F_GETPIPE_SZ) == 8192, "size %d", fcntl(p[0], F_GETPIPE_SZ));
    int null = open("/dev/null", O_RDONLY);
    CHECK("getpipe-sz-not-pipe", fcntl(null, F_GETPIPE_SZ) == -1 && errno == EBADF, "errno %s", errname(errno));
    close(null);
    close(p[1]);
    CHECK("eof", read(p[0], buf, 16) == 0, "not eof");
    close(p[0]);
}

static void flags(void)
{
    int p[2];
    CHECK("pipe2-bad-flags", pipe2(p, O_APPEND) == -1 && errno == EINVAL, "errno %s", errname(errno));
    CHECK("pipe2", pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0, "errno %s", errname(errno));
    CHECK("pipe2-cloexec", fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC, "fd flags");
    CHECK("pipe2-nonblock", (fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY
          && (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "fl %x", fcntl(p[0], F_GETFL));
    char buf[4096];
    CHECK("nonblock-empty", read(p[0], buf, 1) == -1 && errno == EAGAIN, "errno %s", errname(errno));
    memset(buf, 'a', sizeof buf);
    long total = 0;
    for (;;) {
        ssize_t w = write(p[1], buf, 1000);
        if (w < 0) break;
        total += w;
    }
    CHECK("nonblock-fill", total == 64000 && errno == EAGAIN, "total %ld errno %s", total, errname(errno));
    CHECK("nonblock-atomic-full", read(p[0], buf, 100) == 100 && write(p[1], buf, 200) == -1 && errno == EAGAIN,
          "errno %s", errname(errno));
    close(p[0]);
    close(p[1]);
    CHECK("pipe-bad-address", syscall(SYS_pipe, (long)8) == -1 && errno == EFAULT, "errno %s", errname(errno));
    int fd = open("/dev/null", O_RDONLY);
    CHECK("pipe-bad-address-no-leak", fd == 3, "fd %d", fd);
    close(fd);
}

static void sigpipe(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    signal(SIGPIPE, on_signal);
    got_signal = 0;
    CHECK("epipe", write(p[1], "x", 1) == -1 && errno == EPIPE, "errno %s", errname(errno));
    CHECK("sigpipe", got_signal == 1, "signals %d", got_signal);
    signal(SIGPIPE, SIG_DFL);
    pid_t c = fork();
    if (c == 0) { write(p[1], "x", 1); _exit(0); }
    int st;
    waitpid(c, &st, 0);
    CHECK("sigpipe-default-kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "status %x", st);
    close(p[1]);
}

static void across_processes(void)
{
    int p[2], q[2];
    pipe(p);
    pipe(q);
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        close(q[0]);
        /* echo back everything, doubled in checksum */
        char buf[3000];
        unsigned long sum = 0;
        long n, total = 0;
        while ((n = read(p[0], buf, sizeof buf)) > 0) {
            for (long i = 0; i < n; i++) sum = sum * 31 + (unsigned char)buf[i];
            total += n;
        }
        char line[64];
        int len = snprintf(line, sizeof line, "%ld %lu", total, sum);
        write(q[1], line, len);
        _exit(0);
    }
    close(p[0]);
    close(q[1]);
    static char data[1 << 20];
    unsigned long sum = 0;
    for (int i = 0; i < (int)sizeof data; i++) {
        data[i] = (char)(i * 7 + (i >> 9));
        sum = sum * 31 + (unsigned char)data[i];
    }
    CHECK("write-1mib-blocking", write(p[1], data, sizeof data) == (ssize_t)sizeof data, "errno %s", errname(errno));
    close(p[1]);
    char line[64] = {0}, want[64];
    snprintf(want, sizeof want, "%ld %lu", (long)sizeof data, sum);
    ssize_t n = read(q[0], line, sizeof line - 1);
    CHECK("read-1mib-other-process", n > 0 && strcmp(line, want) == 0, "got '%s'", line);
    close(q[0]);
    int st;
    waitpid(c, &st, 0);
    CHECK("child-ok", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %x", st);
}

static void atomic_writers(void)
{
    int p[2];
    pipe(p);
    enum { Writers = 4, Writes = 200, Size = 4096 };
    for (int w = 0; w < Writers; w++) {
        if (fork() == 0) {
            close(p[0]);
            char buf[Size];
            memset(buf, 'A' + w, Size);
            for (int i = 0; i < Writes; i++)
                if (write(p[1], buf, Size) != Size) _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    char buf[Size];
    long blocks = 0, torn = 0, total = 0;
    for (;;) {
        long got = 0;
        while (got < Size) {
            ssize_t n = read(p[0], buf + got, Size - got);
            if (n <= 0) break;
            got += n;
        }
        if (got == 0) break;
        total += got;
        for (int i = 1; i < got; i++) if (buf[i] != buf[0]) { torn++; break; }
        blocks++;
    }
    CHECK("pipe-buf-atomic", torn == 0 && total == (long)Writers * Writes * Size, "torn %ld total %ld", torn, total);
    int ok = 1, st;
    for (int w = 0; w < Writers; w++) { wait(&st); if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) ok = 0; }
    CHECK("writers-ok", ok, "a writer failed");
    close(p[0]);
}

static void signals(void)
{
    int p[2];
    pipe(p);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, 0);
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) { sleep_ms(50); kill(parent, SIGUSR1); _exit(0); }
    got_signal = 0;
    char b;
    ssize_t n = read(p[0], &b, 1);
    CHECK("read-eintr", n == -1 && errno == EINTR && got_signal == 1, "n %ld errno %s signals %d", (long)n, errname(errno), got_signal);
    waitpid(c, 0, 0);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, 0);
    c = fork();
    if (c == 0) { sleep_ms(50); kill(parent, SIGUSR1); sleep_ms(50); write(p[1], "r", 1); _exit(0); }
    got_signal = 0;
    n = read(p[0], &b, 1);
    CHECK("read-sa-restart", n == 1 && b == 'r' && got_signal == 1, "n %ld errno %s signals %d", (long)n, errname(errno), got_signal);
    waitpid(c, 0, 0);
    signal(SIGUSR1, SIG_DFL);
    close(p[0]);
    close(p[1]);
}

static void readiness(void)
{
    int p[2];
    pipe(p);
    struct pollfd f[3] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { 99, POLLIN, 0 } };
    int r = poll(f, 1, 0);
    CHECK("poll-empty-timeout0", r == 0 && f[0].revents == 0, "r %d revents %x", r, f[0].revents);
    r = poll(f, 3, 0);
    CHECK("poll-writable-and-nval", r == 2 && f[0].revents == 0 && f[1].revents == POLLOUT && f[2].revents == POLLNVAL,
          "r %d revents %x %x %x", r, f[0].revents, f[1].revents, f[2].revents);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = poll(f, 1, 100);
    long ms = elapsed_ms(t0);
    CHECK("poll-timeout", r == 0 && ms >= 100 && ms < 2000, "r %d after %s", r, ms >= 100 ? "late" : "early");
    pid_t c = fork();
    if (c == 0) { sleep_ms(50); write(p[1], "z", 1); _exit(0); }
    r = poll(f, 1, 5000);
    CHECK("poll-woken-by-other-process", r == 1 && f[0].revents == POLLIN, "r %d revents %x", r, f[0].revents);
    waitpid(c, 0, 0);
    fd_set rd, wr;
    FD_ZERO(&rd); FD_ZERO(&wr);
    FD_SET(p[0], &rd); FD_SET(p[1], &wr);
    struct timeval tv = { 0, 0 };
    r = select(p[1] + 1, &rd, &wr, 0, &tv);
    CHECK("select-ready", r == 2 && FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr), "r %d", r);
    char b;
    read(p[0], &b, 1);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv.tv_sec = 0; tv.tv_usec = 100000;
    r = select(p[0] + 1, &rd, 0, 0, &tv);
    CHECK("select-timeout", r == 0 && !FD_ISSET(p[0], &rd), "r %d", r);
    FD_ZERO(&rd);
    FD_SET(50, &rd);
    r = select(51, &rd, 0, 0, &tv);
    CHECK("select-ebadf", r == -1 && errno == EBADF, "r %d errno %s", r, errname(errno));
    close(p[1]);
    f[0].revents = 0;
    r = poll(f, 1, -1);
    CHECK("poll-hup", r == 1 && f[0].revents == POLLHUP, "r %d revents %x", r, f[0].revents);
    close(p[0]);
    pipe(p);
    close(p[0]);
    f[1].fd = p[1];
    r = poll(&f[1], 1, 0);
    CHECK("poll-err-no-reader", r == 1 && (f[1].revents & POLLERR), "r %d revents %x", r, f[1].revents);
    close(p[1]);
    struct rlimit lim = { 1024, 1024 };
    setrlimit(RLIMIT_NOFILE, &lim);
    struct pollfd many[2000];
    for (int i = 0; i < 2000; i++) { many[i].fd = 500 + i; many[i].events = POLLIN; }
    r = poll(many, 2000, 0);
    CHECK("poll-above-nofile", r == -1 && errno == EINVAL, "r %d errno %s", r, errname(errno));
    r = poll(many, 1000, 0);
    CHECK("poll-many-bad-fds", r == 1000 && many[999].revents == POLLNVAL, "r %d", r);
}

static void fifos(void)
{
    const char *path = "/tmp/kevlar-pipes-fifo";
    unlink(path);
    CHECK("mkfifo", mkfifo(path, 0600) == 0, "errno %s", errname(errno));
    struct stat st;
    CHECK("fifo-stat", stat(path, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0600, "mode %o", st.st_mode);
    CHECK("fifo-wronly-nonblock-no-reader", open(path, O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO, "errno %s", errname(errno));
    int r = open(path, O_RDONLY | O_NONBLOCK);
    CHECK("fifo-rdonly-nonblock", r >= 0, "errno %s", errname(errno));
    char b[8];
    CHECK("fifo-read-no-writer-yet", read(r, b, sizeof b) == 0, "not 0");
    int w = open(path, O_WRONLY | O_NONBLOCK);
    CHECK("fifo-wronly-with-reader", w >= 0, "errno %s", errname(errno));
    CHECK("fifo-write-read", write(w, "abc", 3) == 3 && read(r, b, sizeof b) == 3 && memcmp(b, "abc", 3) == 0, "data");
    close(w);
    CHECK("fifo-eof-after-writer", read(r, b, sizeof b) == 0, "not eof");
    close(r);
    pid_t c = fork();
    if (c == 0) {
        int wf = open(path, O_WRONLY); /* waits for the parent's reader */
        if (wf < 0) _exit(1);
        write(wf, "hello", 5);
        _exit(0);
    }
    int rf = open(path, O_RDONLY); /* waits for the child's writer */
    ssize_t n = 0, got;
    while ((got = read(rf, b + n, sizeof b - (size_t)n)) > 0) n += got;
    CHECK("fifo-blocking-open-both-sides", rf >= 0 && n == 5 && memcmp(b, "hello", 5) == 0, "n %ld", (long)n);
    close(rf);
    int status;
    waitpid(c, &status, 0);
    CHECK("fifo-writer-ok", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
    int rw = open(path, O_RDWR);
    CHECK("fifo-rdwr-does-not-wait", rw >= 0 && write(rw, "x", 1) == 1 && read(rw, b, 1) == 1 && b[0] == 'x', "errno %s", errname(errno));
    close(rw);
    /* Blocking opens of both sides racing a just-closed pair, over and over: neither side
     * may take an end closed before it opened as its partner, or miss one that opened,
     * wrote and closed before it looked. */
    int rounds_ok = 0;
    for (int i = 0; i < 100; i++) {
        int r2 = open(path, O_RDONLY | O_NONBLOCK), w2 = open(path, O_WRONLY | O_NONBLOCK);
        close(w2);
        close(r2);
        pid_t k = fork();
        if (k == 0) {
            int wf = open(path, O_WRONLY);
            _exit(wf >= 0 && write(wf, "hello", 5) == 5 ? 0 : 1);
        }
        int rf2 = open(path, O_RDONLY);
        ssize_t m = 0, g;
        while (rf2 >= 0 && (g = read(rf2, b + m, sizeof b - (size_t)m)) > 0) m += g;
        close(rf2);
        int st;
        waitpid(k, &st, 0);
        if (m == 5 && WIFEXITED(st) && WEXITSTATUS(st) == 0) rounds_ok++;
    }
    CHECK("fifo-blocking-open-race-100-rounds", rounds_ok == 100, "%d of 100 rounds", rounds_ok);
    unlink(path);
}

int main(void)
{
    basics();
    flags();
    sigpipe();
    across_processes();
    atomic_writers();
    signals();
    readiness();
    fifos();
    return check_exit();
}
