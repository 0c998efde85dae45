/* pty: the tty line discipline and job control through a pseudo-terminal —
 * posix_openpt/grantpt/unlockpt/ptsname, a new pty's termios, canonical
 * input with echo and erase, output processing, raw mode with VMIN/VTIME,
 * window size, ^C reaching the foreground group of the session it controls,
 * and what each side sees when the other closes. Run natively and on the
 * kernel; the lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>

/* Reads what is there within about 200 ms (the other side writes first). */
static int drain(int fd, char *buf, int size)
{
    int n = 0;
    struct pollfd p = { fd, POLLIN, 0 };
    while (n < size - 1 && poll(&p, 1, 200) == 1 && (p.revents & POLLIN)) {
        ssize_t r = read(fd, buf + n, (size_t)(size - 1 - n));
        if (r <= 0) break;
        n += (int)r;
    }
    buf[n] = 0;
    return n;
}

static const char *shown(const char *s)
{
    static char out[256];
    int o = 0;
    for (; *s && o < 240; s++) {
        if (*s == '\r') { out[o++] = '\\'; out[o++] = 'r'; }
        else if (*s == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
        else if (*s == '\b') { out[o++] = '\\'; out[o++] = 'b'; }
        else if ((unsigned char)*s < 32) { out[o++] = '^'; out[o++] = (char)(*s + 64); }
        else out[o++] = *s;
    }
    out[o] = 0;
    return out;
}

int main(void)
{
    /* The ^C and job-control checks need the default actions: a shell that started the test
     * runner in the background (an asynchronous list) passed SIGINT and SIGQUIT on ignored. */
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK("posix_openpt", m >= 0, "errno %s", errname(errno));
    CHECK("grantpt", grantpt(m) == 0, "errno %s", errname(errno));
    char *name = ptsname(m);
    CHECK("ptsname", name && strncmp(name, "/dev/pts/", 9) == 0, "name %s", name ? name : "(null)");
    CHECK("slave-locked-eio", open(name, O_RDWR | O_NOCTTY) == -1 && errno == EIO, "errno %s", errname(errno));
    CHECK("unlockpt", unlockpt(m) == 0, "errno %s", errname(errno));
    int s = open(name, O_RDWR | O_NOCTTY);
    CHECK("open-slave", s >= 0, "errno %s", errname(errno));
    CHECK("isatty", isatty(s) && isatty(m), "not a tty");
    struct stat node;
    CHECK("slave-node", stat(name, &node) == 0 && S_ISCHR(node.st_mode) && (node.st_mode & 07777) == 0600
          && node.st_uid == geteuid() && major(node.st_rdev) == 136,
          "mode %o uid %u major %u", node.st_mode, node.st_uid, major(node.st_rdev));
    struct statfs fs;
    CHECK("devpts-magic", statfs("/dev/pts", &fs) == 0 && fs.f_type == 0x1cd1, "type %lx", (long)fs.f_type);
    struct termios t;
    CHECK("tcgetattr", tcgetattr(s, &t) == 0, "errno %s", errname(errno));
    CHECK("default-lflag", (t.c_lflag & (ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN)) == (ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN),
          "lflag %o", t.c_lflag);
    CHECK("default-oflag", (t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR), "oflag %o", t.c_oflag);
    CHECK("default-iflag", (t.c_iflag & ICRNL) != 0, "iflag %o", t.c_iflag);
    CHECK("default-cc", t.c_cc[VINTR] == 3 && t.c_cc[VERASE] == 0177 && t.c_cc[VEOF] == 4 && t.c_cc[VMIN] == 1, "cc");

    char buf[256];
    write(m, "hello\n", 6);
    int n = drain(m, buf, sizeof buf);
    CHECK("echo", n == 7 && strcmp(buf, "hello\r\n") == 0, "echo '%s'", shown(buf));
    n = (int)read(s, buf, sizeof buf);
    buf[n > 0 ? n : 0] = 0;
    CHECK("canonical-line", n == 6 && strcmp(buf, "hello\n") == 0, "read '%s'", shown(buf));
    write(m, "abc\177\n", 5);
    drain(m, buf, sizeof buf);
    CHECK("erase-echo", strcmp(buf, "abc\b \b\r\n") == 0, "echo '%s'", shown(buf));
    n = (int)read(s, buf, sizeof buf);
    buf[n > 0 ? n : 0] = 0;
    CHECK("erase-line", strcmp(buf, "ab\n") == 0, "read '%s'", shown(buf));
    write(m, "x\025y\r", 4);
    drain(m, buf, sizeof buf);
    n = (int)read(s, buf, sizeof buf);
    buf[n > 0 ? n : 0] = 0;
    CHECK("kill-and-icrnl", strcmp(buf, "y\n") == 0, "read '%s'", shown(buf));
    write(s, "out\n", 4);
    drain(m, buf, sizeof buf);
    CHECK("onlcr", strcmp(buf, "out\r\n") == 0, "master read '%s'", shown(buf));
    write(m, "\004", 1);
    CHECK("eof-at-line-start", read(s, buf, sizeof buf) == 0, "not eof");

    struct termios raw = t;
    cfmakeraw(&raw);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    CHECK("tcsetattr-raw", tcsetattr(s, TCSANOW, &raw) == 0, "errno %s", errname(errno));
    write(m, "ab", 2);
    sleep_ms(50);
    n = (int)read(s, buf, sizeof buf);
    CHECK("raw-bytes", n == 2 && buf[0] == 'a' && buf[1] == 'b', "n %d", n);
    CHECK("raw-no-echo", drain(m, buf, sizeof buf) == 0, "echo '%s'", shown(buf));
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 1;
    tcsetattr(s, TCSANOW, &raw);
    struct timespec a, b2;
    clock_gettime(CLOCK_MONOTONIC, &a);
    n = (int)read(s, buf, sizeof buf);
    clock_gettime(CLOCK_MONOTONIC, &b2);
    long ms = (b2.tv_sec - a.tv_sec) * 1000 + (b2.tv_nsec - a.tv_nsec) / 1000000;
    CHECK("vtime-timeout", n == 0 && ms >= 80 && ms < 2000, "n %d after %s", n, ms >= 80 ? "long" : "short");
    tcsetattr(s, TCSANOW, &t);

    struct winsize w = { 33, 77, 0, 0 }, got = { 0, 0, 0, 0 };
    CHECK("winsize", ioctl(m, TIOCSWINSZ, &w) == 0 && ioctl(s, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 && got.ws_col == 77,
          "rows %d cols %d", got.ws_row, got.ws_col);

    /* ^C: a child makes the pty its controlling terminal in a new session and waits. */
    int ready[2];
    pipe(ready);
    pid_t c = fork();
    if (c == 0) {
        close(ready[0]);
        setsid();
        int cs = open(name, O_RDWR);
        if (cs < 0 || ioctl(cs, TIOCSCTTY, 0) != 0) _exit(2);
        if (tcgetpgrp(cs) != getpid()) _exit(3);
        write(ready[1], "r", 1);
        for (;;) pause();
    }
    close(ready[1]);
    char r;
    CHECK("child-controls-pty", read(ready[0], &r, 1) == 1, "child failed");
    close(ready[0]);
    write(m, "\003", 1);
    int status;
    waitpid(c, &status, 0);
    CHECK("ctrl-c-sigint", WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "status %x", status);
    drain(m, buf, sizeof buf);
    CHECK("ctrl-c-echo", strcmp(buf, "^C") == 0, "echo '%s'", shown(buf));

    /* A background reader gets SIGTTIN and stops; made foreground and continued, its read is
     * restarted (no handler ran) and returns the line typed afterwards. */
    int report[2];
    pipe(report);
    c = fork();
    if (c == 0) {
        close(report[0]);
        setsid();
        int cs = open(name, O_RDWR);
        if (cs < 0 || ioctl(cs, TIOCSCTTY, 0) != 0) _exit(2);
        pid_t b = fork();
        if (b == 0) {
            setpgid(0, 0);
            char line[32];
            ssize_t got = read(cs, line, sizeof line);
            _exit(got == 5 && memcmp(line, "line\n", 5) == 0 ? 0 : 10 + (got < 0 ? 0 : (int)got));
        }
        setpgid(b, b);
        int st;
        char verdict = 'x';
        if (waitpid(b, &st, WUNTRACED) == b && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN) verdict = 's';
        tcsetpgrp(cs, b);
        kill(-b, SIGCONT);
        write(report[1], &verdict, 1);
        waitpid(b, &st, 0);
        verdict = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 'r' : 'f';
        write(report[1], &verdict, 1);
        _exit(0);
    }
    close(report[1]);
    char v1 = 0, v2 = 0;
    read(report[0], &v1, 1);
    CHECK("background-read-sigttin-stops", v1 == 's', "got %c", v1);
    sleep_ms(100);
    write(m, "line\n", 5);
    read(report[0], &v2, 1);
    CHECK("read-restarted-after-sigcont", v2 == 'r', "got %c", v2);
    waitpid(c, &status, 0);
    close(report[0]);
    drain(m, buf, sizeof buf);

    close(s);
    CHECK("master-read-after-slave-closed", read(m, buf, sizeof buf) == -1 && errno == EIO, "errno %s", errname(errno));
    s = open(name, O_RDWR | O_NOCTTY);
    close(m);
    n = (int)read(s, buf, sizeof buf);
    CHECK("slave-eof-after-master-closed", n == 0, "n %d errno %s", n, errname(errno));
    CHECK("slave-write-after-master-closed", write(s, "x", 1) == -1 && errno == EIO, "errno %s", errname(errno));
    close(s);
    return check_exit();
}
