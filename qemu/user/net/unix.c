/* unix: AF_UNIX sockets as unix(7), socket(2), socketpair(2), bind(2),
 * listen(2), accept(2), connect(2), send(2), recv(2), shutdown(2),
 * getsockopt(2) and cmsg(3) describe them — stream, datagram and seqpacket
 * sockets; socketpair with fork; names in the filesystem (a socket inode,
 * EADDRINUSE), in the abstract namespace and by autobind; the backlog
 * (EAGAIN when full under O_NONBLOCK); ECONNREFUSED, ENOENT, EPROTOTYPE;
 * MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_TRUNC, MSG_NOSIGNAL; shutdown and
 * EOF, EPIPE and SIGPIPE, ECONNRESET; getsockname/getpeername lengths;
 * SO_TYPE/SO_DOMAIN/SO_ERROR/SO_PEERCRED/SO_PASSCRED/SO_SNDBUF/SO_RCVTIMEO;
 * poll and epoll readiness in each state; SCM_RIGHTS (across fork, cut by a
 * small control buffer, reclaimed when never received) and SCM_CREDENTIALS;
 * FIONREAD; readv/writev; 1 MiB through a blocking pair; and 8 client
 * processes against one epoll server. Run natively and on the kernel; the
 * lines must match. `unix SECTION` runs one section. */
#include "../check.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#define OFF offsetof(struct sockaddr_un, sun_path)

static volatile int got_sigpipe;
static void on_sigpipe(int s) { (void)s; got_sigpipe++; }

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return (socklen_t)(OFF + strlen(path) + 1);
}

/* An abstract name unique to this run (the pid keeps parallel native runs apart; never printed). */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *tag)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "kevlar-%s-%d", tag, (int)getpid());
    return (socklen_t)(OFF + 1 + n);
}

static int sockopt_int(int fd, int name)
{
    int v = -12345;
    socklen_t len = sizeof v;
    if (getsockopt(fd, SOL_SOCKET, name, &v, &len) != 0) return -errno * 1000;
    return v;
}

static short poll_mask(int fd, short events)
{
    struct pollfd p = { fd, events, 0 };
    int n = poll(&p, 1, 0);
    return n < 0 ? -1 : p.revents;
}

static void creation(void)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("socket-stream", s >= 0, "errno %s", errname(errno));
    CHECK("so-type-stream", sockopt_int(s, SO_TYPE) == SOCK_STREAM, "type %d", sockopt_int(s, SO_TYPE));
    CHECK("so-domain", sockopt_int(s, SO_DOMAIN) == AF_UNIX, "domain %d", sockopt_int(s, SO_DOMAIN));
    CHECK("so-protocol", sockopt_int(s, SO_PROTOCOL) == 0, "protocol %d", sockopt_int(s, SO_PROTOCOL));
    CHECK("so-acceptconn-0", sockopt_int(s, SO_ACCEPTCONN) == 0, "%d", sockopt_int(s, SO_ACCEPTCONN));
    CHECK("so-error-0", sockopt_int(s, SO_ERROR) == 0, "%d", sockopt_int(s, SO_ERROR));
    struct stat st;
    CHECK("fstat-sock", fstat(s, &st) == 0 && S_ISSOCK(st.st_mode), "mode %o", st.st_mode);
    CHECK("lseek-espipe", lseek(s, 0, SEEK_SET) == -1 && errno == ESPIPE, "errno %s", errname(errno));
    struct sockaddr_un a;
    socklen_t len = sizeof a;
    memset(&a, 0x55, sizeof a);
    CHECK("getsockname-unbound", getsockname(s, (struct sockaddr *)&a, &len) == 0 && len == 2 && a.sun_family == AF_UNIX, "len %d", (int)len);
    len = sizeof a;
    CHECK_ERR("getpeername-unconnected", getpeername(s, (struct sockaddr *)&a, &len), ENOTCONN);
    char c;
    CHECK_ERR("recv-unconnected-stream", recv(s, &c, 1, MSG_DONTWAIT), EINVAL);
    CHECK_ERR("send-unconnected-stream", send(s, "x", 1, MSG_NOSIGNAL), ENOTCONN);
    CHECK("poll-fresh-stream", poll_mask(s, POLLIN | POLLOUT) == (POLLOUT | POLLHUP), "revents %#x", poll_mask(s, POLLIN | POLLOUT));
    CHECK_ERR("listen-unbound", listen(s, 1), EINVAL);
    CHECK_ERR("accept-not-listening", accept(s, 0, 0), EINVAL);
    CHECK_ERR("shutdown-bad-how", shutdown(s, 3), EINVAL);
    CHECK("shutdown-unconnected", shutdown(s, SHUT_RDWR) == 0, "errno %s", errname(errno));
    close(s);

    s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    CHECK("socket-dgram-flags", s >= 0 && (fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC), "errno %s", errname(errno));
    CHECK("so-type-dgram", sockopt_int(s, SO_TYPE) == SOCK_DGRAM, "type %d", sockopt_int(s, SO_TYPE));
    CHECK_ERR("listen-dgram", listen(s, 1), EOPNOTSUPP);
    CHECK_ERR("accept-dgram", accept(s, 0, 0), EOPNOTSUPP);
    CHECK_ERR("recv-dgram-empty", recv(s, &c, 1, 0), EAGAIN);
    CHECK_ERR("send-dgram-no-peer", send(s, "x", 1, 0), ENOTCONN);
    CHECK("poll-fresh-dgram", poll_mask(s, POLLIN | POLLOUT) == POLLOUT, "revents %#x", poll_mask(s, POLLIN | POLLOUT));
    close(s);

    s = socket(AF_UNIX, SOCK_RAW, 0);
    CHECK("socket-raw-is-dgram", s >= 0 && sockopt_int(s, SO_TYPE) == SOCK_DGRAM, "errno %s", errname(errno));
    close(s);
    s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    CHECK("socket-seqpacket", s >= 0 && sockopt_int(s, SO_TYPE) == SOCK_SEQPACKET, "errno %s", errname(errno));
    close(s);
    CHECK_ERR("socket-rdm", socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
    CHECK_ERR("socket-bad-type", socket(AF_UNIX, 11, 0), EINVAL);
    CHECK_ERR("socket-bad-flags", socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
    CHECK_ERR("socket-bad-protocol", socket(AF_UNIX, SOCK_STREAM, 7), EPROTONOSUPPORT);
    CHECK_ERR("socket-family-46", socket(46, SOCK_STREAM, 0), EAFNOSUPPORT);
    CHECK_ERR("socket-family-negative", socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
    int fd = open("/", O_RDONLY);
    CHECK_ERR("getsockopt-enotsock", getsockopt(fd, SOL_SOCKET, SO_TYPE, &c, &len), ENOTSOCK);
    CHECK_ERR("bind-enotsock", bind(fd, (struct sockaddr *)&a, 2), ENOTSOCK);
    close(fd);
    CHECK_ERR("socketpair-bad-family", socketpair(46, SOCK_STREAM, 0, (int[2]){0, 0}), EAFNOSUPPORT);
}

static void stream_pair(void)
{
    int sv[2];
    CHECK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "errno %s", errname(errno));
    struct sockaddr_un a;
    socklen_t len = sizeof a;
    CHECK("getpeername-pair", getpeername(sv[0], (struct sockaddr *)&a, &len) == 0 && len == 2, "len %d", (int)len);
    struct ucred cr;
    len = sizeof cr;
    CHECK("so-peercred-pair", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && len == sizeof cr
          && cr.pid == getpid() && cr.uid == geteuid() && cr.gid == getegid(), "len %d", (int)len);
    CHECK("poll-connected-idle", poll_mask(sv[0], POLLIN | POLLOUT) == POLLOUT, "revents %#x", poll_mask(sv[0], POLLIN | POLLOUT));
    CHECK("write-pair", write(sv[0], "hello", 5) == 5 && write(sv[0], "world", 5) == 5, "errno %s", errname(errno));
    int n = -1;
    CHECK("fionread-stream", ioctl(sv[1], FIONREAD, &n) == 0 && n == 10, "n %d", n);
    CHECK("poll-readable", poll_mask(sv[1], POLLIN | POLLOUT) == (POLLIN | POLLOUT), "revents %#x", poll_mask(sv[1], POLLIN | POLLOUT));
    char buf[64];
    CHECK("peek", recv(sv[1], buf, 7, MSG_PEEK) == 7 && memcmp(buf, "hellowo", 7) == 0, "bad peek");
    CHECK("read-after-peek", read(sv[1], buf, 3) == 3 && memcmp(buf, "hel", 3) == 0, "bad read");
    CHECK("read-merges-writes", read(sv[1], buf, sizeof buf) == 7 && memcmp(buf, "loworld", 7) == 0, "bad read");
    CHECK_ERR("dontwait-empty", recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
    struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
    CHECK("writev", writev(sv[1], iov, 3) == 5, "errno %s", errname(errno));
    char x[2], y[3];
    struct iovec rv[2] = { { x, 2 }, { y, 3 } };
    CHECK("readv", readv(sv[0], rv, 2) == 5 && memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0, "bad readv");
    CHECK_ERR("sendto-connected-stream", sendto(sv[0], "x", 1, 0, (struct sockaddr *)&a, sizeof(sa_family_t) + 2), EISCONN);
    struct sockaddr_un from;
    socklen_t fromlen = sizeof from;
    send(sv[0], "q", 1, 0);
    CHECK("recvfrom-pair-unnamed", recvfrom(sv[1], buf, 1, 0, (struct sockaddr *)&from, &fromlen) == 1 && fromlen == 0, "len %d", (int)fromlen);

    /* shutdown(SHUT_WR): the peer reads what was sent, then EOF; our writes get EPIPE. */
    send(sv[0], "tail", 4, 0);
    CHECK("shutdown-wr", shutdown(sv[0], SHUT_WR) == 0, "errno %s", errname(errno));
    CHECK("poll-peer-shut-wr", poll_mask(sv[1], POLLIN | POLLOUT | POLLRDHUP) == (POLLIN | POLLOUT | POLLRDHUP),
          "revents %#x", poll_mask(sv[1], POLLIN | POLLOUT | POLLRDHUP));
    CHECK("read-before-eof", read(sv[1], buf, sizeof buf) == 4, "not 4");
    CHECK("read-eof", read(sv[1], buf, sizeof buf) == 0, "not eof");
    CHECK_ERR("send-after-shut-wr", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK("other-way-still-works", send(sv[1], "back", 4, 0) == 4 && recv(sv[0], buf, 4, 0) == 4, "errno %s", errname(errno));
    signal(SIGPIPE, on_sigpipe);
    got_sigpipe = 0;
    CHECK("sigpipe", write(sv[0], "x", 1) == -1 && errno == EPIPE && got_sigpipe == 1, "errno %s, signals %d", errname(errno), got_sigpipe);
    got_sigpipe = 0;
    CHECK("nosignal", send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE && got_sigpipe == 0, "signals %d", got_sigpipe);
    signal(SIGPIPE, SIG_DFL);
    close(sv[0]);
    close(sv[1]);

    /* The peer's close: EOF, POLLHUP, writes EPIPE; closing with data unread resets the peer. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    send(sv[1], "last", 4, 0);
    close(sv[1]);
    CHECK("poll-peer-closed", poll_mask(sv[0], POLLIN | POLLOUT | POLLRDHUP) == (POLLIN | POLLOUT | POLLHUP | POLLRDHUP),
          "revents %#x", poll_mask(sv[0], POLLIN | POLLOUT | POLLRDHUP));
    CHECK("read-after-peer-close", read(sv[0], buf, sizeof buf) == 4 && read(sv[0], buf, sizeof buf) == 0, "not data then eof");
    CHECK_ERR("send-peer-closed", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    send(sv[0], "unread", 6, 0);
    close(sv[1]);
    CHECK("poll-reset", poll_mask(sv[0], POLLIN) == (POLLIN | POLLHUP | POLLERR), "revents %#x", poll_mask(sv[0], POLLIN));
    CHECK_ERR("read-econnreset", read(sv[0], buf, sizeof buf), ECONNRESET);
    CHECK("read-after-reset-eof", read(sv[0], buf, sizeof buf) == 0, "not eof");
    close(sv[0]);
}

static void records(int type, const char *tag)
{
    char name[64];
    int sv[2];
    snprintf(name, sizeof name, "%s-socketpair", tag);
    CHECK(name, socketpair(AF_UNIX, type, 0, sv) == 0, "errno %s", errname(errno));
    send(sv[0], "one", 3, 0);
    send(sv[0], "", 0, 0);
    send(sv[0], "three33", 7, 0);
    send(sv[0], "four", 4, 0);
    int n = -1;
    snprintf(name, sizeof name, "%s-fionread-first", tag);
    CHECK(name, ioctl(sv[1], FIONREAD, &n) == 0 && n == (type == SOCK_DGRAM ? 3 : 14), "n %d", n);
    char buf[64];
    snprintf(name, sizeof name, "%s-boundary", tag);
    CHECK(name, recv(sv[1], buf, sizeof buf, 0) == 3, "not 3");
    snprintf(name, sizeof name, "%s-empty-record", tag);
    CHECK(name, recv(sv[1], buf, sizeof buf, 0) == 0, "not 0");
    struct iovec iov = { buf, 4 };
    struct msghdr m = { 0 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    snprintf(name, sizeof name, "%s-peek-trunc", tag);
    CHECK(name, recvmsg(sv[1], &m, MSG_PEEK) == 4 && (m.msg_flags & MSG_TRUNC), "flags %#x", m.msg_flags);
    snprintf(name, sizeof name, "%s-msg-trunc-length", tag);
    CHECK(name, recv(sv[1], buf, 2, MSG_TRUNC | MSG_PEEK) == 7, "not 7");
    m.msg_flags = 0;
    snprintf(name, sizeof name, "%s-trunc-drops-rest", tag);
    CHECK(name, recvmsg(sv[1], &m, 0) == 4 && (m.msg_flags & MSG_TRUNC) && memcmp(buf, "thre", 4) == 0, "flags %#x", m.msg_flags);
    snprintf(name, sizeof name, "%s-next-record", tag);
    CHECK(name, recv(sv[1], buf, sizeof buf, 0) == 4 && memcmp(buf, "four", 4) == 0, "bad record");
    snprintf(name, sizeof name, "%s-empty-eagain", tag);
    CHECK_ERR(name, recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    char *big = malloc(300000);
    memset(big, 'b', 300000);
    snprintf(name, sizeof name, "%s-emsgsize", tag);
    CHECK_ERR(name, send(sv[0], big, 300000, 0), EMSGSIZE);
    free(big);
    close(sv[0]);
    close(sv[1]);
}

/* After the peer's close or our SHUT_WR: what each type answers (only a stream raises SIGPIPE). */
static void hangups(void)
{
    signal(SIGPIPE, on_sigpipe);
    static const int types[] = { SOCK_SEQPACKET, SOCK_DGRAM };
    static const char *names[] = { "seqpacket", "dgram" };
    for (int i = 0; i < 2; i++) {
        int sv[2];
        char name[64], c;
        socketpair(AF_UNIX, types[i], 0, sv);
        close(sv[1]);
        got_sigpipe = 0;
        errno = 0;
        long r = send(sv[0], "x", 1, 0);
        snprintf(name, sizeof name, "%s-send-peer-closed", names[i]);
        CHECK(name, r == -1 && errno == (types[i] == SOCK_DGRAM ? ECONNREFUSED : EPIPE) && got_sigpipe == 0,
              "r %ld errno %s signals %d", r, errname(errno), got_sigpipe);
        snprintf(name, sizeof name, "%s-poll-peer-closed", names[i]);
        short want = types[i] == SOCK_DGRAM ? POLLOUT : (POLLIN | POLLOUT | POLLHUP);
        CHECK(name, poll_mask(sv[0], POLLIN | POLLOUT) == want, "revents %#x", poll_mask(sv[0], POLLIN | POLLOUT));
        snprintf(name, sizeof name, "%s-recv-peer-closed", names[i]);
        errno = 0;
        r = recv(sv[0], &c, 1, MSG_DONTWAIT);
        CHECK(name, types[i] == SOCK_DGRAM ? (r == -1 && errno == EAGAIN) : r == 0, "r %ld errno %s", r, errname(errno));
        close(sv[0]);
        socketpair(AF_UNIX, types[i], 0, sv);
        shutdown(sv[0], SHUT_WR);
        got_sigpipe = 0;
        snprintf(name, sizeof name, "%s-send-after-shut-wr", names[i]);
        errno = 0;
        r = send(sv[0], "x", 1, 0);
        CHECK(name, r == -1 && errno == EPIPE && got_sigpipe == 0, "r %ld errno %s signals %d", r, errname(errno), got_sigpipe);
        close(sv[0]);
        close(sv[1]);
    }
    signal(SIGPIPE, SIG_DFL);
}

static void path_names(void)
{
    umask(022);
    unlink("/tmp/kv-unix-a");
    struct sockaddr_un a, b;
    socklen_t alen = path_addr(&a, "/tmp/kv-unix-a");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("bind-path", bind(l, (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    struct stat st;
    CHECK("bind-made-socket-inode", stat("/tmp/kv-unix-a", &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 07777) == 0755,
          "mode %o", st.st_mode);
    socklen_t len = sizeof b;
    CHECK("getsockname-path", getsockname(l, (struct sockaddr *)&b, &len) == 0 && len == alen && strcmp(b.sun_path, "/tmp/kv-unix-a") == 0,
          "len %d", (int)len);
    len = 5;
    memset(&b, 0, sizeof b);
    CHECK("getsockname-cut", getsockname(l, (struct sockaddr *)&b, &len) == 0 && len == alen && b.sun_path[2] == 'm' && b.sun_path[3] == 0,
          "len %d", (int)len);
    CHECK_ERR("bind-twice-same-path", bind(l, (struct sockaddr *)&a, alen), EADDRINUSE);
    struct sockaddr_un nw;
    unlink("/tmp/kv-unix-new");
    socklen_t nwlen = path_addr(&nw, "/tmp/kv-unix-new");
    CHECK_ERR("bind-twice-new-path", bind(l, (struct sockaddr *)&nw, nwlen), EINVAL);
    CHECK_ERR("bind-twice-leaves-no-node", access("/tmp/kv-unix-new", F_OK), ENOENT);
    int o = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR("bind-eaddrinuse", bind(o, (struct sockaddr *)&a, alen), EADDRINUSE);
    CHECK_ERR("connect-not-listening", connect(o, (struct sockaddr *)&a, alen), ECONNREFUSED);
    int fd = open("/tmp/kv-unix-file", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    close(fd);
    socklen_t flen = path_addr(&b, "/tmp/kv-unix-file");
    CHECK_ERR("bind-over-file", bind(o, (struct sockaddr *)&b, flen), EADDRINUSE);
    CHECK_ERR("connect-to-file", connect(o, (struct sockaddr *)&b, flen), ECONNREFUSED);
    unlink("/tmp/kv-unix-file");
    flen = path_addr(&b, "/tmp/kv-unix-missing");
    CHECK_ERR("connect-enoent", connect(o, (struct sockaddr *)&b, flen), ENOENT);
    flen = path_addr(&b, "/tmp/kv-no-dir/sock");
    CHECK_ERR("bind-missing-dir", bind(o, (struct sockaddr *)&b, flen), ENOENT);
    /* No terminating NUL in the length: Linux adds one, and reports it. */
    struct sockaddr_un c;
    memset(&c, 0, sizeof c);
    c.sun_family = AF_UNIX;
    memcpy(c.sun_path, "/tmp/kv-unix-b", 14);
    unlink("/tmp/kv-unix-b");
    CHECK("bind-no-nul", bind(o, (struct sockaddr *)&c, (socklen_t)(OFF + 14)) == 0, "errno %s", errname(errno));
    len = sizeof b;
    CHECK("getsockname-no-nul", getsockname(o, (struct sockaddr *)&b, &len) == 0 && len == OFF + 15, "len %d", (int)len);
    CHECK_ERR("bind-short-len", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&c, 1), EINVAL);
    c.sun_family = AF_INET;
    CHECK_ERR("bind-wrong-family", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&c, sizeof c), EINVAL);
    CHECK_ERR("bind-len-too-big", bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&c, 200), EINVAL);

    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    unlink("/tmp/kv-unix-d");
    socklen_t dlen = path_addr(&b, "/tmp/kv-unix-d");
    bind(d, (struct sockaddr *)&b, dlen);
    int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR("connect-eprototype", connect(s2, (struct sockaddr *)&b, dlen), EPROTOTYPE);
    close(s2);

    CHECK("listen", listen(l, 4) == 0 && sockopt_int(l, SO_ACCEPTCONN) == 1, "errno %s", errname(errno));
    CHECK("poll-listening-idle", poll_mask(l, POLLIN | POLLOUT) == 0, "revents %#x", poll_mask(l, POLLIN | POLLOUT));
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("connect-path", connect(cl, (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    CHECK_ERR("connect-again", connect(cl, (struct sockaddr *)&a, alen), EISCONN);
    CHECK("poll-listening-pending", poll_mask(l, POLLIN | POLLOUT) == POLLIN, "revents %#x", poll_mask(l, POLLIN | POLLOUT));
    int n = -5;
    CHECK_ERR("fionread-listening", ioctl(l, FIONREAD, &n), EINVAL);
    len = sizeof b;
    memset(&b, 0x55, sizeof b);
    int sv = accept(l, (struct sockaddr *)&b, &len);
    CHECK("accept", sv >= 0 && len == 2 && b.sun_family == AF_UNIX, "fd %d len %d errno %s", sv, (int)len, errname(errno));
    len = sizeof b;
    CHECK("accepted-getsockname", getsockname(sv, (struct sockaddr *)&b, &len) == 0 && len == alen && strcmp(b.sun_path, "/tmp/kv-unix-a") == 0, "len %d", (int)len);
    len = sizeof b;
    CHECK("client-getpeername", getpeername(cl, (struct sockaddr *)&b, &len) == 0 && len == alen && strcmp(b.sun_path, "/tmp/kv-unix-a") == 0, "len %d", (int)len);
    len = sizeof b;
    CHECK("accepted-getpeername-unnamed", getpeername(sv, (struct sockaddr *)&b, &len) == 0 && len == 2, "len %d", (int)len);
    struct ucred cr;
    len = sizeof cr;
    CHECK("accepted-peercred", getsockopt(sv, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid == getpid(), "errno %s", errname(errno));
    CHECK("data-both-ways", send(cl, "ping", 4, 0) == 4 && recv(sv, &n, 4, 0) == 4 && send(sv, "pong", 4, 0) == 4 && recv(cl, &n, 4, 0) == 4,
          "errno %s", errname(errno));
    close(sv);
    close(cl);

    /* A bound client's name reaches accept and getpeername. */
    int named = socket(AF_UNIX, SOCK_STREAM, 0);
    unlink("/tmp/kv-unix-c");
    socklen_t clen = path_addr(&c, "/tmp/kv-unix-c");
    bind(named, (struct sockaddr *)&c, clen);
    connect(named, (struct sockaddr *)&a, alen);
    len = sizeof b;
    sv = accept(l, (struct sockaddr *)&b, &len);
    CHECK("accept-named-client", sv >= 0 && len == clen && strcmp(b.sun_path, "/tmp/kv-unix-c") == 0, "len %d", (int)len);
    close(sv);
    close(named);

    /* Datagrams to a path: the source address comes with each. */
    int ds = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un dp;
    socklen_t dplen = path_addr(&dp, "/tmp/kv-unix-d");
    CHECK("sendto-path-unnamed", sendto(ds, "dg", 2, 0, (struct sockaddr *)&dp, dplen) == 2, "errno %s", errname(errno));
    char buf[16];
    len = sizeof b;
    CHECK("recvfrom-unnamed-source", recvfrom(d, buf, sizeof buf, 0, (struct sockaddr *)&b, &len) == 2 && len == 0, "len %d", (int)len);
    unlink("/tmp/kv-unix-e");
    socklen_t elen = path_addr(&c, "/tmp/kv-unix-e");
    bind(ds, (struct sockaddr *)&c, elen);
    sendto(ds, "dg2", 3, 0, (struct sockaddr *)&dp, dplen);
    len = sizeof b;
    CHECK("recvfrom-source", recvfrom(d, buf, sizeof buf, 0, (struct sockaddr *)&b, &len) == 3 && len == elen && strcmp(b.sun_path, "/tmp/kv-unix-e") == 0,
          "len %d", (int)len);
    flen = path_addr(&b, "/tmp/kv-unix-missing");
    CHECK_ERR("sendto-enoent", sendto(ds, "x", 1, 0, (struct sockaddr *)&b, flen), ENOENT);
    CHECK("dgram-connect", connect(ds, (struct sockaddr *)&dp, dplen) == 0 && send(ds, "c", 1, 0) == 1 && recv(d, buf, 1, 0) == 1, "errno %s", errname(errno));
    len = sizeof b;
    CHECK("dgram-getpeername", getpeername(ds, (struct sockaddr *)&b, &len) == 0 && len == dplen, "len %d", (int)len);
    /* A datagram socket connected to another refuses third parties. */
    connect(d, (struct sockaddr *)&c, elen);
    int third = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_ERR("dgram-eperm", sendto(third, "x", 1, 0, (struct sockaddr *)&dp, dplen), EPERM);
    struct sockaddr unspec = { AF_UNSPEC, { 0 } };
    CHECK("dgram-disconnect", connect(ds, &unspec, sizeof unspec) == 0, "errno %s", errname(errno));
    CHECK_ERR("dgram-disconnected-send", send(ds, "x", 1, 0), ENOTCONN);
    close(third);
    close(d);
    CHECK_ERR("sendto-closed-receiver", sendto(ds, "x", 1, 0, (struct sockaddr *)&dp, dplen), ECONNREFUSED);
    close(ds);

    close(l);
    CHECK("path-stays-after-close", stat("/tmp/kv-unix-a", &st) == 0, "errno %s", errname(errno));
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR("connect-after-listener-closed", connect(late, (struct sockaddr *)&a, alen), ECONNREFUSED);
    close(late);
    close(o);
    unlink("/tmp/kv-unix-a");
    unlink("/tmp/kv-unix-b");
    unlink("/tmp/kv-unix-c");
    unlink("/tmp/kv-unix-d");
    unlink("/tmp/kv-unix-e");
}

static void abstract_names(void)
{
    struct sockaddr_un a, b;
    socklen_t alen = abstract_addr(&a, "abs");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK("bind-abstract", bind(l, (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    socklen_t len = sizeof b;
    CHECK("getsockname-abstract", getsockname(l, (struct sockaddr *)&b, &len) == 0 && len == alen && b.sun_path[0] == 0
          && memcmp(b.sun_path, a.sun_path, alen - OFF) == 0, "len %d", (int)len);
    int o = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR("bind-abstract-taken", bind(o, (struct sockaddr *)&a, alen), EADDRINUSE);
    CHECK_ERR("connect-abstract-not-listening", connect(o, (struct sockaddr *)&a, alen), ECONNREFUSED);
    listen(l, 1);
    CHECK("connect-abstract", connect(o, (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    int s = accept(l, 0, 0);
    CHECK("accept-abstract", s >= 0, "errno %s", errname(errno));
    close(s);
    close(o);
    struct sockaddr_un m;
    socklen_t mlen = abstract_addr(&m, "missing");
    o = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR("connect-abstract-missing", connect(o, (struct sockaddr *)&m, mlen), ECONNREFUSED);
    close(l);
    CHECK("abstract-freed-on-close", bind(o, (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    close(o);

    /* Autobind: an address of just sun_family. */
    int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un fam = { AF_UNIX, { 0 } };
    CHECK("autobind", bind(ab, (struct sockaddr *)&fam, sizeof(sa_family_t)) == 0, "errno %s", errname(errno));
    len = sizeof b;
    int hex = 1;
    CHECK("autobind-name", getsockname(ab, (struct sockaddr *)&b, &len) == 0 && len == OFF + 6 && b.sun_path[0] == 0, "len %d", (int)len);
    for (int i = 1; i < 6; i++)
        if (!((b.sun_path[i] >= '0' && b.sun_path[i] <= '9') || (b.sun_path[i] >= 'a' && b.sun_path[i] <= 'f'))) hex = 0;
    CHECK("autobind-hex", hex, "not five hex digits");
    CHECK("autobind-again-noop", bind(ab, (struct sockaddr *)&fam, sizeof(sa_family_t)) == 0, "errno %s", errname(errno));
    CHECK_ERR("bind-after-autobind", bind(ab, (struct sockaddr *)&a, alen), EINVAL);
    close(ab);
}

static void backlog(void)
{
    struct sockaddr_un a;
    socklen_t alen = abstract_addr(&a, "backlog");
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    bind(l, (struct sockaddr *)&a, alen);
    listen(l, 1);
    CHECK_ERR("accept-nonblock-empty", accept(l, 0, 0), EAGAIN);
    int c[3];
    for (int i = 0; i < 3; i++) c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK("backlog-first", connect(c[0], (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    CHECK("backlog-second", connect(c[1], (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    CHECK_ERR("backlog-full-eagain", connect(c[2], (struct sockaddr *)&a, alen), EAGAIN);
    CHECK("client-writes-before-accept", send(c[0], "early", 5, 0) == 5, "errno %s", errname(errno));
    CHECK_ERR("accept4-bad-flags", syscall(SYS_accept4, l, 0, 0, 0x10), EINVAL);
    int s = accept4(l, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
    CHECK("accept4-flags", s >= 0 && (fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC), "errno %s", errname(errno));
    char buf[8];
    CHECK("accepted-reads-early-data", recv(s, buf, sizeof buf, 0) == 5, "errno %s", errname(errno));
    CHECK("backlog-room-again", connect(c[2], (struct sockaddr *)&a, alen) == 0, "errno %s", errname(errno));
    int s2 = accept(l, 0, 0);
    CHECK("accept-plain-blocking-flags", s2 >= 0 && !(fcntl(s2, F_GETFL) & O_NONBLOCK), "errno %s", errname(errno));
    /* Closing the listener resets connections it never accepted. */
    close(l);
    CHECK("unaccepted-reset", poll_mask(c[2], POLLIN) == (POLLIN | POLLHUP | POLLERR), "revents %#x", poll_mask(c[2], POLLIN));
    CHECK("unaccepted-so-error", sockopt_int(c[2], SO_ERROR) == ECONNRESET && sockopt_int(c[2], SO_ERROR) == 0, "not ECONNRESET once");
    CHECK("unaccepted-eof", recv(c[2], buf, 1, 0) == 0, "errno %s", errname(errno));
    for (int i = 0; i < 3; i++) close(c[i]);
    close(s);
    close(s2);
}

static int send_fds(int sock, const int *fds, int n, const char *data)
{
    char control[CMSG_SPACE(sizeof(int) * 4)];
    memset(control, 0, sizeof control);
    struct iovec iov = { (void *)data, strlen(data) };
    struct msghdr m = { 0 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    return (int)sendmsg(sock, &m, 0);
}

/* Receives one message; the fds it carried into fds (count returned), -1 on error. */
static int recv_fds(int sock, int *fds, int room, int flags, int *msg_flags)
{
    char control[CMSG_SPACE(sizeof(int) * 4)];
    char data[16];
    struct iovec iov = { data, sizeof data };
    struct msghdr m = { 0 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = room == 0 ? 0 : CMSG_LEN(sizeof(int) * room);
    if (recvmsg(sock, &m, flags) < 0) return -1;
    *msg_flags = m.msg_flags;
    int n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(fds, CMSG_DATA(c), sizeof(int) * n);
        }
    return n;
}

static void rights(void)
{
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    CHECK("scm-rights-send", send_fds(sv[0], &p[1], 1, "fd") == 2, "errno %s", errname(errno));
    close(p[1]);
    int got[4], flags = 0;
    int n = recv_fds(sv[1], got, 1, MSG_CMSG_CLOEXEC, &flags);
    CHECK("scm-rights-recv", n == 1 && got[0] >= 0 && got[0] != sv[0], "n %d", n);
    CHECK("scm-rights-cloexec", (fcntl(got[0], F_GETFD) & FD_CLOEXEC) != 0, "no FD_CLOEXEC");
    char buf[8];
    CHECK("scm-rights-same-pipe", write(got[0], "via", 3) == 3 && read(p[0], buf, 3) == 3 && memcmp(buf, "via", 3) == 0, "errno %s", errname(errno));
    close(got[0]);
    CHECK("scm-rights-last-writer-gone", read(p[0], buf, 1) == 0, "not eof");
    close(p[0]);

    /* Never received: dropping the sockets releases the fd in flight (the pipe sees EOF). */
    pipe(p);
    send_fds(sv[0], &p[1], 1, "lost");
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
    struct pollfd pf = { p[0], POLLIN, 0 };
    CHECK("scm-rights-reclaimed", poll(&pf, 1, 2000) == 1 && read(p[0], buf, 1) == 0, "revents %#x", pf.revents);
    close(p[0]);

    /* A plain read drops the fds; a small control buffer cuts them (MSG_CTRUNC). */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(p);
    send_fds(sv[0], &p[1], 1, "r");
    close(p[1]);
    CHECK("scm-rights-read-drops", read(sv[1], buf, sizeof buf) == 1 && read(p[0], buf, 1) == 0, "pipe still has a writer");
    close(p[0]);
    int two[2];
    pipe(p);
    two[0] = p[1];
    two[1] = p[1];
    send_fds(sv[0], two, 2, "two");
    n = recv_fds(sv[1], got, 1, 0, &flags);
    CHECK("scm-rights-ctrunc", n == 1 && (flags & MSG_CTRUNC), "n %d flags %#x", n, flags);
    for (int i = 0; i < n; i++) close(got[i]);
    send_fds(sv[0], two, 2, "none");
    n = recv_fds(sv[1], got, 0, 0, &flags);
    CHECK("scm-rights-no-room", n == 0 && (flags & MSG_CTRUNC), "n %d flags %#x", n, flags);
    for (int i = 0; i < n; i++) close(got[i]);
    close(p[1]);
    CHECK("scm-rights-cut-closed", read(p[0], buf, 1) == 0, "pipe still has a writer");
    close(p[0]);
    int bad = 999;
    CHECK_ERR("scm-rights-ebadf", send_fds(sv[0], &bad, 1, "bad"), EBADF);
    /* MSG_PEEK delivers the fds and leaves them queued. */
    pipe(p);
    send_fds(sv[0], &p[1], 1, "peek");
    n = recv_fds(sv[1], got, 1, MSG_PEEK, &flags);
    int again = recv_fds(sv[1], got + 1, 1, 0, &flags);
    CHECK("scm-rights-peek", n == 1 && again == 1 && got[0] != got[1], "n %d again %d", n, again);
    close(got[0]);
    close(got[1]);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);

    /* Across fork: the child sends its own pipe's read end; the parent reads the child's data through it. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        int q[2];
        pipe(q);
        write(q[1], "from-child", 10);
        send_fds(sv[1], &q[0], 1, "c");
        _exit(0);
    }
    n = recv_fds(sv[0], got, 1, 0, &flags);
    int status;
    waitpid(child, &status, 0);
    CHECK("scm-rights-fork", n == 1 && read(got[0], buf, 8) == 8 && memcmp(buf, "from-chi", 8) == 0, "n %d", n);
    close(got[0]);
    close(sv[0]);
    close(sv[1]);
}

static void credentials(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int on = 1;
    CHECK("so-passcred-set", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0 && sockopt_int(sv[1], SO_PASSCRED) == 1,
          "errno %s", errname(errno));
    send(sv[0], "c", 1, 0);
    char control[CMSG_SPACE(sizeof(struct ucred))], data[4];
    struct iovec iov = { data, sizeof data };
    struct msghdr m = { 0 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    ssize_t n = recvmsg(sv[1], &m, 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    struct ucred cr = { 0, 0, 0 };
    if (c) memcpy(&cr, CMSG_DATA(c), sizeof cr);
    CHECK("scm-credentials-implicit", n == 1 && c && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len == CMSG_LEN(sizeof cr)
          && cr.pid == getpid() && cr.uid == getuid() && cr.gid == getgid(), "n %d", (int)n);
    /* Explicit credentials, as a sender may give them. */
    char sc[CMSG_SPACE(sizeof(struct ucred))];
    memset(sc, 0, sizeof sc);
    struct iovec siov = { "e", 1 };
    struct msghdr sm = { 0 };
    sm.msg_iov = &siov;
    sm.msg_iovlen = 1;
    sm.msg_control = sc;
    sm.msg_controllen = sizeof sc;
    c = CMSG_FIRSTHDR(&sm);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof cr);
    struct ucred mine = { getpid(), getuid(), getgid() };
    memcpy(CMSG_DATA(c), &mine, sizeof mine);
    CHECK("scm-credentials-explicit", sendmsg(sv[0], &sm, 0) == 1, "errno %s", errname(errno));
    m.msg_controllen = sizeof control;
    n = recvmsg(sv[1], &m, 0);
    c = CMSG_FIRSTHDR(&m);
    CHECK("scm-credentials-explicit-recv", n == 1 && c && c->cmsg_type == SCM_CREDENTIALS, "n %d", (int)n);
    c = CMSG_FIRSTHDR(&sm);
    c->cmsg_len = CMSG_LEN(sizeof cr - 1);
    CHECK_ERR("scm-credentials-bad-len", sendmsg(sv[0], &sm, 0), EINVAL);
    c->cmsg_len = CMSG_LEN(sizeof cr);
    c->cmsg_type = 77;
    CHECK_ERR("scm-unknown-type", sendmsg(sv[0], &sm, 0), EINVAL);
    c->cmsg_len = 4;
    CHECK_ERR("cmsg-len-too-small", sendmsg(sv[0], &sm, 0), EINVAL);
    /* SO_PASSCRED on an unbound sender autobinds it (the receiver's does not). */
    int on2 = 1;
    struct sockaddr_un q, from;
    socklen_t qlen = abstract_addr(&q, "passcred"), flen;
    int rx = socket(AF_UNIX, SOCK_DGRAM, 0), tx = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(rx, (struct sockaddr *)&q, qlen);
    setsockopt(tx, SOL_SOCKET, SO_PASSCRED, &on2, sizeof on2);
    sendto(tx, "p", 1, 0, (struct sockaddr *)&q, qlen);
    flen = sizeof from;
    CHECK("passcred-autobinds-sender", recvfrom(rx, data, 1, 0, (struct sockaddr *)&from, &flen) == 1 && flen == OFF + 6 && from.sun_path[0] == 0,
          "len %d", (int)flen);
    int plain = socket(AF_UNIX, SOCK_DGRAM, 0);
    setsockopt(rx, SOL_SOCKET, SO_PASSCRED, &on2, sizeof on2);
    sendto(plain, "q", 1, 0, (struct sockaddr *)&q, qlen);
    flen = sizeof from;
    CHECK("receiver-passcred-no-autobind", recvfrom(rx, data, 1, 0, (struct sockaddr *)&from, &flen) == 1 && flen == 0, "len %d", (int)flen);
    close(plain);
    close(tx);
    int lst = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un ls;
    socklen_t lslen = abstract_addr(&ls, "passcred-listen");
    bind(lst, (struct sockaddr *)&ls, lslen);
    listen(lst, 1);
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    setsockopt(cl, SOL_SOCKET, SO_PASSCRED, &on2, sizeof on2);
    connect(cl, (struct sockaddr *)&ls, lslen);
    flen = sizeof from;
    int acc = accept(lst, (struct sockaddr *)&from, &flen);
    CHECK("passcred-connect-autobinds", acc >= 0 && flen == OFF + 6, "len %d", (int)flen);
    close(acc);
    close(cl);
    close(lst);
    close(rx);

    /* Without SO_PASSCRED no credentials come. */
    send(sv[1], "d", 1, 0);
    m.msg_controllen = sizeof control;
    n = recvmsg(sv[0], &m, 0);
    CHECK("no-passcred-no-cmsg", n == 1 && m.msg_controllen == 0, "controllen %d", (int)m.msg_controllen);
    close(sv[0]);
    close(sv[1]);
}

static void options(void)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int v = 10000;
    CHECK("so-sndbuf-doubled", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v) == 0 && sockopt_int(s, SO_SNDBUF) == 20000,
          "got %d", sockopt_int(s, SO_SNDBUF));
    CHECK("so-rcvbuf-doubled", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) == 0 && sockopt_int(s, SO_RCVBUF) == 20000,
          "got %d", sockopt_int(s, SO_RCVBUF));
    v = 1;
    CHECK("so-sndbuf-floor", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v) == 0 && sockopt_int(s, SO_SNDBUF) == 4608,
          "got %d", sockopt_int(s, SO_SNDBUF));
    CHECK("so-reuseaddr", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v) == 0 && sockopt_int(s, SO_REUSEADDR) == 1, "errno %s", errname(errno));
    CHECK_ERR("setsockopt-short", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, 2), EINVAL);
    CHECK_ERR("setsockopt-unknown", setsockopt(s, SOL_SOCKET, 9999, &v, sizeof v), ENOPROTOOPT);
    CHECK_ERR("getsockopt-unknown", getsockopt(s, SOL_SOCKET, 9999, &v, &(socklen_t){ sizeof v }), ENOPROTOOPT);
    CHECK_ERR("getsockopt-tcp-level", getsockopt(s, 6, 1, &v, &(socklen_t){ sizeof v }), EOPNOTSUPP);
    CHECK_ERR("getsockopt-negative-len", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &(socklen_t){ (socklen_t)-1 }), EINVAL);
    char small[2] = { 0, 0 };
    socklen_t len = 2;
    CHECK("getsockopt-short-len", getsockopt(s, SOL_SOCKET, SO_TYPE, small, &len) == 0 && len == 2 && small[0] == SOCK_STREAM, "len %d", (int)len);
    struct timeval tv = { 0, 200000 };
    CHECK("so-rcvtimeo", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0, "errno %s", errname(errno));
    struct timeval back = { 9, 9 };
    len = sizeof back;
    CHECK("so-rcvtimeo-get", getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &back, &len) == 0 && len == sizeof back && back.tv_sec == 0 && back.tv_usec == 200000,
          "%ld.%06ld", (long)back.tv_sec, (long)back.tv_usec);
    tv.tv_usec = 1000000;
    CHECK_ERR("so-rcvtimeo-edom", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), EDOM);
    close(s);

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    tv.tv_sec = 0;
    tv.tv_usec = 200000;
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char c;
    errno = 0;
    ssize_t n = recv(sv[0], &c, 1, 0);
    long ms = elapsed_ms(t0);
    CHECK("rcvtimeo-eagain", n == -1 && errno == EAGAIN && ms >= 150 && ms < 3000, "n %d errno %s ms %ld", (int)n, errname(errno), ms);
    close(sv[0]);
    close(sv[1]);
}

static void blocking(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        sleep_ms(100);
        write(sv[1], "ab", 2);
        sleep_ms(50);
        write(sv[1], "cd", 2);
        sleep_ms(50);
        write(sv[1], "ef", 2);
        sleep_ms(100);
        _exit(0);
    }
    close(sv[1]);
    char buf[8];
    CHECK("blocked-read-woken", read(sv[0], buf, 1) == 1 && buf[0] == 'a', "errno %s", errname(errno));
    CHECK("waitall", recv(sv[0], buf, 5, MSG_WAITALL) == 5 && memcmp(buf, "bcdef", 5) == 0, "errno %s", errname(errno));
    CHECK("blocked-read-eof-on-exit", read(sv[0], buf, 1) == 0, "not eof");
    int status;
    waitpid(child, &status, 0);
    close(sv[0]);

    /* 1 MiB through a pair: the writer blocks for room, the reader for data. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    child = fork();
    if (child == 0) {
        close(sv[0]);
        static unsigned char chunk[7000];
        unsigned sent = 0;
        while (sent < (1u << 20)) {
            unsigned n = sizeof chunk;
            if (n > (1u << 20) - sent) n = (1u << 20) - sent;
            for (unsigned i = 0; i < n; i++) chunk[i] = (unsigned char)((sent + i) * 7 + 3);
            ssize_t w = write(sv[1], chunk, n);
            if (w <= 0) _exit(2);
            sent += (unsigned)w;
        }
        _exit(0);
    }
    close(sv[1]);
    static unsigned char in[5000];
    unsigned got = 0;
    int order = 1;
    for (;;) {
        ssize_t r = read(sv[0], in, sizeof in);
        if (r <= 0) break;
        for (ssize_t i = 0; i < r; i++)
            if (in[i] != (unsigned char)((got + (unsigned)i) * 7 + 3)) order = 0;
        got += (unsigned)r;
    }
    waitpid(child, &status, 0);
    CHECK("mib-stream", got == (1u << 20) && order && WIFEXITED(status) && WEXITSTATUS(status) == 0, "got %u order %d", got, order);
    close(sv[0]);

    /* A blocked accept woken by a connect from another process. */
    struct sockaddr_un a;
    socklen_t alen = abstract_addr(&a, "wake");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, alen);
    listen(l, 4);
    child = fork();
    if (child == 0) {
        sleep_ms(100);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        _exit(connect(c, (struct sockaddr *)&a, alen) == 0 && write(c, "k", 1) == 1 ? 0 : 1);
    }
    int s = accept(l, 0, 0);
    CHECK("blocked-accept-woken", s >= 0 && read(s, buf, 1) == 1 && buf[0] == 'k', "errno %s", errname(errno));
    waitpid(child, &status, 0);
    close(s);
    close(l);

    /* shutdown(SHUT_RD) of a listener shared with a child wakes the parent's blocked accept: EINVAL. */
    alen = abstract_addr(&a, "shut");
    l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, alen);
    listen(l, 4);
    int pending = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(pending, (struct sockaddr *)&a, alen);
    child = fork();
    if (child == 0) {
        sleep_ms(100);
        _exit(shutdown(l, SHUT_RD) == 0 ? 0 : 1);
    }
    s = accept(l, 0, 0);
    CHECK("accept-pending-before-shutdown", s >= 0, "errno %s", errname(errno));
    close(s);
    CHECK_ERR("blocked-accept-woken-by-shutdown", accept(l, 0, 0), EINVAL);
    waitpid(child, &status, 0);
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR("connect-after-listener-shut-rd", connect(late, (struct sockaddr *)&a, alen), ECONNREFUSED);
    close(late);
    close(pending);
    close(l);

    /* A blocked writer woken by the reader's close: EPIPE. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    child = fork();
    if (child == 0) {
        close(sv[0]);
        sleep_ms(150);
        _exit(0);
    }
    close(sv[1]);
    static char big[1 << 20];
    errno = 0;
    ssize_t w = send(sv[0], big, sizeof big, MSG_NOSIGNAL);
    CHECK("blocked-writer-epipe", w > 0 || (w == -1 && errno == EPIPE), "errno %s", errname(errno));
    CHECK_ERR("writer-then-epipe", send(sv[0], big, 1, MSG_NOSIGNAL), EPIPE);
    waitpid(child, &status, 0);
    close(sv[0]);
}

/* 8 clients (processes, spread over the CPUs) against one server multiplexing with epoll. */
static void server(void)
{
    enum { CLIENTS = 8 };
    struct sockaddr_un a;
    unlink("/tmp/kv-unix-srv");
    socklen_t alen = path_addr(&a, "/tmp/kv-unix-srv");
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    bind(l, (struct sockaddr *)&a, alen);
    CHECK("server-listen", listen(l, CLIENTS) == 0, "errno %s", errname(errno));
    int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    pid_t kids[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(i % (cpus > 0 ? cpus : 1), &set);
            sched_setaffinity(0, sizeof set, &set);
            int c = socket(AF_UNIX, SOCK_STREAM, 0);
            if (connect(c, (struct sockaddr *)&a, alen) != 0) _exit(10);
            char msg[32], reply[32];
            int n = snprintf(msg, sizeof msg, "client %d", i);
            for (int round = 0; round < 20; round++) {
                if (write(c, msg, (size_t)n) != n) _exit(11);
                if (recv(c, reply, (size_t)n + 4, MSG_WAITALL) != n + 4) _exit(12);
                if (memcmp(reply, "ack ", 4) != 0 || memcmp(reply + 4, msg, (size_t)n) != 0) _exit(13);
            }
            shutdown(c, SHUT_WR);
            _exit(read(c, reply, 1) == 0 ? 0 : 14);
        }
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = { EPOLLIN, { .fd = l } };
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    int accepted = 0, finished = 0, messages = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (finished < CLIENTS && elapsed_ms(t0) < 60000) {
        struct epoll_event evs[16];
        int n = epoll_wait(ep, evs, 16, 1000);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == l) {
                int s;
                while ((s = accept(l, 0, 0)) >= 0) {
                    accepted++;
                    struct epoll_event cev = { EPOLLIN | EPOLLRDHUP, { .fd = s } };
                    epoll_ctl(ep, EPOLL_CTL_ADD, s, &cev);
                }
                continue;
            }
            char buf[64];
            ssize_t r = recv(fd, buf + 4, sizeof buf - 4, MSG_DONTWAIT);
            if (r > 0) {
                memcpy(buf, "ack ", 4);
                send(fd, buf, (size_t)r + 4, 0);
                messages++;
            } else if (r == 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, fd, 0);
                close(fd);
                finished++;
            }
        }
    }
    int ok = 0;
    for (int i = 0; i < CLIENTS; i++) {
        int status;
        waitpid(kids[i], &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ok++;
    }
    CHECK("server-accepted-all", accepted == CLIENTS, "accepted %d", accepted);
    CHECK("server-all-finished", finished == CLIENTS, "finished %d", finished);
    CHECK("server-clients-ok", ok == CLIENTS, "ok %d", ok);
    CHECK("server-messages", messages >= CLIENTS * 20, "messages %d", messages);
    close(ep);
    close(l);
    unlink("/tmp/kv-unix-srv");
}

static void epoll_states(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int ep = epoll_create1(0);
    struct epoll_event ev = { EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, { .fd = sv[0] } };
    CHECK("epoll-add-socket", epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) == 0, "errno %s", errname(errno));
    struct epoll_event out[2];
    int n = epoll_wait(ep, out, 2, 0);
    CHECK("epoll-writable", n == 1 && out[0].events == EPOLLOUT, "n %d events %#x", n, n > 0 ? out[0].events : 0);
    n = epoll_wait(ep, out, 2, 0);
    CHECK("epoll-et-quiet", n == 0, "n %d", n);
    send(sv[1], "x", 1, 0);
    n = epoll_wait(ep, out, 2, 1000);
    CHECK("epoll-et-data", n == 1 && (out[0].events & EPOLLIN), "n %d events %#x", n, n > 0 ? out[0].events : 0);
    close(sv[1]);
    n = epoll_wait(ep, out, 2, 1000);
    CHECK("epoll-peer-closed", n == 1 && (out[0].events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) == (EPOLLIN | EPOLLHUP | EPOLLRDHUP),
          "n %d events %#x", n, n > 0 ? out[0].events : 0);
    close(sv[0]);

    /* An edge-triggered writer waiting for room is told when the reader (another process) drains. */
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    static char fill[4096];
    long queued = 0;
    for (;;) {
        ssize_t w = send(sv[0], fill, sizeof fill, MSG_NOSIGNAL);
        if (w <= 0) break;
        queued += w;
    }
    CHECK("fill-until-eagain", errno == EAGAIN && queued > 0, "errno %s", errname(errno));
    ev.events = EPOLLOUT | EPOLLET;
    ev.data.fd = sv[0];
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
    n = epoll_wait(ep, out, 2, 0);
    CHECK("epoll-et-full-quiet", n == 0, "n %d events %#x", n, n > 0 ? out[0].events : 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(100);
        long got = 0;
        while (got < queued) {
            ssize_t r = recv(sv[1], fill, sizeof fill, 0);
            if (r <= 0) _exit(1);
            got += r;
        }
        _exit(0);
    }
    n = epoll_wait(ep, out, 2, 5000);
    CHECK("epoll-et-writer-woken", n == 1 && (out[0].events & EPOLLOUT), "n %d", n);
    int status;
    waitpid(child, &status, 0);
    close(sv[0]);
    close(sv[1]);
    close(ep);
}

/* The line of /proc/net/unix for the socket with inode `ino`: its fields, 1 when found. */
static int proc_net_unix(unsigned long ino, unsigned *flags, unsigned *type, unsigned *st, char *path, size_t room, int *header_ok)
{
    FILE *f = fopen("/proc/net/unix", "r");
    if (!f) return 0;
    char line[512];
    *header_ok = fgets(line, sizeof line, f) && strcmp(line, "Num       RefCount Protocol Flags    Type St Inode Path\n") == 0;
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        unsigned refs, proto;
        unsigned long inode;
        char name[256] = "";
        int n = sscanf(line, "%*s %x %x %x %x %x %lu %255s", &refs, &proto, flags, type, st, &inode, name);
        if (n >= 6 && inode == ino) {
            snprintf(path, room, "%s", name);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

static void procnet(void)
{
    unlink("/tmp/kv-unix-proc");
    struct sockaddr_un a;
    socklen_t alen = path_addr(&a, "/tmp/kv-unix-proc");
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, alen);
    listen(l, 1);
    struct stat st;
    fstat(l, &st);
    unsigned flags = 9, type = 9, state = 9;
    char path[256];
    int header = 0;
    int found = proc_net_unix(st.st_ino, &flags, &type, &state, path, sizeof path, &header);
    CHECK("proc-net-unix-header", header, "header differs");
    CHECK("proc-net-unix-listener", found && flags == 0x10000 && type == SOCK_STREAM && state == 1 && strcmp(path, "/tmp/kv-unix-proc") == 0,
          "found %d flags %#x type %u st %u", found, flags, type, state);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, alen);
    int s = accept(l, 0, 0);
    fstat(s, &st);
    found = proc_net_unix(st.st_ino, &flags, &type, &state, path, sizeof path, &header);
    CHECK("proc-net-unix-accepted", found && flags == 0 && state == 3 && strcmp(path, "/tmp/kv-unix-proc") == 0,
          "found %d flags %#x st %u", found, flags, state);
    fstat(c, &st);
    path[0] = 0;
    found = proc_net_unix(st.st_ino, &flags, &type, &state, path, sizeof path, &header);
    CHECK("proc-net-unix-client", found && state == 3 && path[0] == 0, "found %d st %u", found, state);
    struct sockaddr_un b;
    socklen_t blen = abstract_addr(&b, "procnet");
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(d, (struct sockaddr *)&b, blen);
    fstat(d, &st);
    char want[128];
    snprintf(want, sizeof want, "@%s", b.sun_path + 1);
    found = proc_net_unix(st.st_ino, &flags, &type, &state, path, sizeof path, &header);
    CHECK("proc-net-unix-abstract", found && type == SOCK_DGRAM && state == 1 && strcmp(path, want) == 0, "found %d type %u", found, type);
    unsigned long gone = st.st_ino;
    close(d);
    CHECK("proc-net-unix-closed-gone", !proc_net_unix(gone, &flags, &type, &state, path, sizeof path, &header), "still listed");
    close(s);
    close(c);
    close(l);
    unlink("/tmp/kv-unix-proc");
}

static void mmsg(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct mmsghdr out[3], in[5];
    struct iovec oiov[3] = { { "a", 1 }, { "bb", 2 }, { "ccc", 3 } };
    char bufs[5][8];
    struct iovec iiov[5];
    memset(out, 0, sizeof out);
    memset(in, 0, sizeof in);
    for (int i = 0; i < 3; i++) {
        out[i].msg_hdr.msg_iov = &oiov[i];
        out[i].msg_hdr.msg_iovlen = 1;
    }
    for (int i = 0; i < 5; i++) {
        iiov[i].iov_base = bufs[i];
        iiov[i].iov_len = sizeof bufs[i];
        in[i].msg_hdr.msg_iov = &iiov[i];
        in[i].msg_hdr.msg_iovlen = 1;
    }
    CHECK("sendmmsg", syscall(SYS_sendmmsg, sv[0], out, 3, 0) == 3 && out[0].msg_len == 1 && out[2].msg_len == 3, "errno %s", errname(errno));
    long n = syscall(SYS_recvmmsg, sv[1], in, 5, MSG_WAITFORONE, NULL);
    CHECK("recvmmsg-waitforone", n == 3 && in[0].msg_len == 1 && in[1].msg_len == 2 && in[2].msg_len == 3 && memcmp(bufs[2], "ccc", 3) == 0,
          "n %ld errno %s", n, errname(errno));
    CHECK_ERR("recvmmsg-empty-dontwait", syscall(SYS_recvmmsg, sv[1], in, 5, MSG_DONTWAIT, NULL), EAGAIN);
    CHECK_ERR("sendmmsg-bad-fd", syscall(SYS_sendmmsg, 99, out, 3, 0), EBADF);
    CHECK("sendmmsg-zero", syscall(SYS_sendmmsg, sv[0], out, 0, 0) == 0, "errno %s", errname(errno));
    struct timespec bad = { -1, 0 };
    CHECK_ERR("recvmmsg-bad-timeout", syscall(SYS_recvmmsg, sv[1], in, 5, MSG_DONTWAIT, &bad), EINVAL);
    close(sv[0]);
    CHECK_ERR("sendmmsg-peer-gone", syscall(SYS_sendmmsg, sv[1], out, 3, 0), ECONNREFUSED);
    close(sv[1]);
}

static const struct { const char *name; void (*run)(void); } sections[] = {
    { "creation", creation }, { "stream", stream_pair }, { "paths", path_names }, { "abstract", abstract_names },
    { "backlog", backlog }, { "rights", rights }, { "credentials", credentials }, { "options", options },
    { "blocking", blocking }, { "epoll", epoll_states }, { "server", server }, { "hangups", hangups },
    { "procnet", procnet }, { "mmsg", mmsg },
};

static void dgram_records(void) { records(SOCK_DGRAM, "dgram"); }
static void seqpacket_records(void) { records(SOCK_SEQPACKET, "seqpacket"); }

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        if (argc > 1 && strcmp(argv[1], sections[i].name) != 0) continue;
        sections[i].run();
        if (i == 1 && argc == 1) {
            dgram_records();
            seqpacket_records();
        }
    }
    if (argc > 1 && strcmp(argv[1], "records") == 0) {
        dgram_records();
        seqpacket_records();
    }
    return check_exit();
}
