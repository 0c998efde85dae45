/* tcp: AF_INET stream sockets over the loopback interface as tcp(7), ip(7),
 * socket(2), bind(2), listen(2), accept(2), connect(2), send(2), recv(2),
 * shutdown(2) and poll(2) describe them — socket options (SO_TYPE,
 * SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN, SO_ERROR, TCP_NODELAY) and the
 * errors an unconnected socket gives (ENOTCONN, EPIPE and its SIGPIPE);
 * bind's EADDRINUSE and SO_REUSEADDR against a listener; listen's autobind;
 * ECONNREFUSED from a port nobody listens on; accept and accept4 with the
 * names each end sees, EAGAIN, EINVAL, EISCONN; a round trip, 1 MiB from a
 * child process with a checksum, MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT,
 * FIONREAD, readv/writev, empty sends; shutdown and EOF, writes after the
 * peer's close (EPIPE once its RST is in, SIGPIPE without MSG_NOSIGNAL),
 * ECONNRESET from a close with unread data and from SO_LINGER 0; the
 * non-blocking connect (EINPROGRESS, POLLOUT, SO_ERROR, ECONNREFUSED);
 * poll and epoll readiness of listeners and connections in each state; and
 * 8 client processes against one epoll echo server. Ports are ephemeral
 * (bind to port 0), so runs never collide and no port number is printed;
 * every blocking call is bounded by a socket timeout or a poll timeout.
 * Run natively and on the kernel; the lines must match. `tcp SECTION` runs
 * one section. */
#include "../check.h"
#include "inet.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

static volatile int got_sigpipe;
static void on_sigpipe(int s) { (void)s; got_sigpipe++; }


static int tcp(void) { return socket(AF_INET, SOCK_STREAM, 0); }

/* Bounds every blocking call on fd (recv, accept, send, connect) to 2 s, so a lost segment cannot hang the run. */
static void timeouts(int fd)
{
    struct timeval tv = { 2, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}


static int same(struct sockaddr_in a, struct sockaddr_in b)
{
    return a.sin_family == b.sin_family && a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port;
}


/* A socket bound to 127.0.0.1 on an ephemeral port (not listening); its name in *a. */
static int bound(struct sockaddr_in *a) { return bound_socket(SOCK_STREAM, a); }

/* A listener on 127.0.0.1 on an ephemeral port, with a backlog of 16 and timeouts; its name in *a. */
static int listener(struct sockaddr_in *a)
{
    int fd = bound(a);
    if (fd < 0 || listen(fd, 16) != 0) return -1;
    timeouts(fd);
    return fd;
}

/* A connected pair over loopback: *c the client, *s the accepted end; both with timeouts. */
static int pair(int *c, int *s)
{
    struct sockaddr_in a;
    int l = listener(&a);
    *c = tcp();
    timeouts(*c);
    *s = -1;
    if (l >= 0 && connect(*c, (struct sockaddr *)&a, sizeof a) == 0) *s = accept(l, NULL, NULL);
    if (*s >= 0) timeouts(*s);
    close(l);
    return *s >= 0 ? 0 : -1;
}

/* The revents poll gives within ms milliseconds (0: none yet, -1: poll failed). */
static int ready(int fd, short events, int ms)
{
    struct pollfd p = { fd, events, 0 };
    int n = poll(&p, 1, ms);
    return n < 0 ? -1 : p.revents;
}

/* Waits up to 2 s until poll shows one of the events (or POLLERR/POLLHUP) on fd. */
static void await(int fd, short events) { ready(fd, events, 2000); }

/* The revents once every bit of want shows (or 2 s have passed): a reset sets its bits one by one,
 * and another CPU may be midway when the first poll returns. */
static int settled(int fd, short events, short want)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rev = ready(fd, events, 2000);
    while (rev >= 0 && (rev & want) != want && elapsed_ms(t0) < 2000) {
        sleep_ms(1);
        rev = ready(fd, events, 0);
    }
    return rev;
}

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static void creation(void)
{
    int fd = tcp();
    CHECK("socket AF_INET SOCK_STREAM", fd >= 0, "errno %s", errname(errno));
    CHECK("SO_TYPE SOCK_STREAM", opt(fd, SOL_SOCKET, SO_TYPE) == SOCK_STREAM, "%d", opt(fd, SOL_SOCKET, SO_TYPE));
    CHECK("SO_DOMAIN AF_INET", opt(fd, SOL_SOCKET, SO_DOMAIN) == AF_INET, "%d", opt(fd, SOL_SOCKET, SO_DOMAIN));
    CHECK("SO_PROTOCOL IPPROTO_TCP for protocol 0", opt(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP, "%d", opt(fd, SOL_SOCKET, SO_PROTOCOL));
    CHECK("SO_ACCEPTCONN 0", opt(fd, SOL_SOCKET, SO_ACCEPTCONN) == 0, "%d", opt(fd, SOL_SOCKET, SO_ACCEPTCONN));
    CHECK("SO_ERROR 0", opt(fd, SOL_SOCKET, SO_ERROR) == 0, "%d", opt(fd, SOL_SOCKET, SO_ERROR));
    CHECK("SO_REUSEADDR 0", opt(fd, SOL_SOCKET, SO_REUSEADDR) == 0, "%d", opt(fd, SOL_SOCKET, SO_REUSEADDR));
    CHECK("TCP_NODELAY 0", opt(fd, IPPROTO_TCP, TCP_NODELAY) == 0, "%d", opt(fd, IPPROTO_TCP, TCP_NODELAY));
    int one = 1;
    CHECK_OK("TCP_NODELAY set 1", setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
    CHECK("TCP_NODELAY reads 1", opt(fd, IPPROTO_TCP, TCP_NODELAY) == 1, "%d", opt(fd, IPPROTO_TCP, TCP_NODELAY));
    socklen_t len;
    struct sockaddr_in a = name_of(fd, 0, &len);
    CHECK("unbound getsockname 0.0.0.0:0", len == sizeof a && a.sin_family == AF_INET && a.sin_addr.s_addr == 0 && a.sin_port == 0,
          "len %d family %d", (int)len, a.sin_family);
    CHECK_ERR("unconnected getpeername ENOTCONN", getpeername(fd, (struct sockaddr *)&a, &len), ENOTCONN);
    CHECK("a fresh socket polls POLLOUT|POLLHUP", ready(fd, POLLIN | POLLOUT, 0) == (POLLOUT | POLLHUP), "revents %#x", ready(fd, POLLIN | POLLOUT, 0));
    signal(SIGPIPE, on_sigpipe);
    got_sigpipe = 0;
    CHECK_ERR("unconnected send EPIPE (MSG_NOSIGNAL)", send(fd, "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK("and no SIGPIPE", got_sigpipe == 0, "%d signals", got_sigpipe);
    CHECK_ERR("unconnected write EPIPE", write(fd, "x", 1), EPIPE);
    CHECK("and SIGPIPE", got_sigpipe == 1, "%d signals", got_sigpipe);
    signal(SIGPIPE, SIG_DFL);
    char c;
    CHECK_ERR("unconnected recv ENOTCONN", recv(fd, &c, 1, 0), ENOTCONN);
    CHECK_ERR("unconnected read ENOTCONN", read(fd, &c, 1), ENOTCONN);
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK("socket AF_INET SOCK_STREAM IPPROTO_TCP", fd >= 0 && opt(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP, "errno %s", errname(errno));
    close(fd);
    CHECK_ERR("SOCK_STREAM IPPROTO_UDP EPROTONOSUPPORT", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    CHECK("SOCK_NONBLOCK|SOCK_CLOEXEC", fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK) && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "fd %d", fd);
    close(fd);
}

static void binding(void)
{
    struct sockaddr_in a;
    int fd = bound(&a);
    CHECK("bind 127.0.0.1:0 picks a port", fd >= 0 && a.sin_port != 0 && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "fd %d", fd);
    int port = ntohs(a.sin_port);
    CHECK("the port is in ip_local_port_range", port >= 32768 && port <= 60999, "out of range");
    struct sockaddr_in again = addr(INADDR_LOOPBACK, 0);
    CHECK_ERR("bind twice EINVAL", bind(fd, (struct sockaddr *)&again, sizeof again), EINVAL);
    int other = tcp();
    CHECK_ERR("same address and port EADDRINUSE", bind(other, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    struct sockaddr_in any = addr(INADDR_ANY, (uint16_t)port);
    CHECK_ERR("0.0.0.0 on a taken port EADDRINUSE", bind(other, (struct sockaddr *)&any, sizeof any), EADDRINUSE);
    CHECK_ERR("short sockaddr EINVAL", bind(other, (struct sockaddr *)&a, sizeof a - 1), EINVAL);
    struct sockaddr_in foreign = addr(0xC0000201, 0); /* 192.0.2.1, TEST-NET-1: never this host's */
    CHECK_ERR("a foreign address EADDRNOTAVAIL", bind(other, (struct sockaddr *)&foreign, sizeof foreign), EADDRNOTAVAIL);
    close(other);

    /* Nobody listens on a port that is only bound: a blocking connect there is refused. */
    other = tcp();
    timeouts(other);
    CHECK_ERR("connect to a bound, unlistened port ECONNREFUSED", connect(other, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
    CHECK("then SO_ERROR 0", opt(other, SOL_SOCKET, SO_ERROR) == 0, "%d", opt(other, SOL_SOCKET, SO_ERROR));
    CHECK_ERR("and getpeername ENOTCONN", getpeername(other, (struct sockaddr *)&again, &(socklen_t){ sizeof again }), ENOTCONN);
    close(other);
    CHECK_ERR("accept on an unlistened socket EINVAL", accept(fd, NULL, NULL), EINVAL);
    CHECK_OK("listen", listen(fd, 4));
    CHECK("SO_ACCEPTCONN 1 after listen", opt(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1, "%d", opt(fd, SOL_SOCKET, SO_ACCEPTCONN));
    CHECK_OK("listen twice", listen(fd, 8));
    close(fd);

    fd = tcp();
    CHECK_OK("listen on an unbound socket", listen(fd, 1));
    socklen_t len;
    struct sockaddr_in got = name_of(fd, 0, &len);
    CHECK("it autobinds to 0.0.0.0 on a port", len == sizeof got && got.sin_addr.s_addr == 0 && got.sin_port != 0, "len %d", (int)len);
    CHECK_ERR("bind after listen EINVAL", bind(fd, (struct sockaddr *)&again, sizeof again), EINVAL);
    close(fd);

    /* SO_REUSEADDR: two sockets may share a port while neither listens; only one of them may listen. */
    int one = 1;
    int r1 = tcp(), r2 = tcp(), r3 = tcp();
    setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(r2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(r3, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    CHECK("SO_REUSEADDR reads 1", opt(r1, SOL_SOCKET, SO_REUSEADDR) == 1, "%d", opt(r1, SOL_SOCKET, SO_REUSEADDR));
    struct sockaddr_in shared = addr(INADDR_LOOPBACK, 0);
    bind(r1, (struct sockaddr *)&shared, sizeof shared);
    shared = name_of(r1, 0, &len);
    CHECK_OK("SO_REUSEADDR on both: the second binds the port", bind(r2, (struct sockaddr *)&shared, sizeof shared));
    CHECK_OK("the first listens", listen(r1, 1));
    CHECK_ERR("the second cannot listen too EADDRINUSE", listen(r2, 1), EADDRINUSE);
    CHECK_ERR("a third SO_REUSEADDR socket cannot bind it EADDRINUSE", bind(r3, (struct sockaddr *)&shared, sizeof shared), EADDRINUSE);
    close(r1);
    close(r2);
    close(r3);

    /* A SO_REUSEADDR listener's port is free for another SO_REUSEADDR socket once it closes, even with a
     * connection of it left in TIME_WAIT (which inherits SO_REUSEADDR from the listener). */
    int c, s;
    struct sockaddr_in la = addr(INADDR_LOOPBACK, 0);
    int l = tcp();
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bind(l, (struct sockaddr *)&la, sizeof la);
    la = name_of(l, 0, &len);
    listen(l, 1);
    timeouts(l);
    c = tcp();
    timeouts(c);
    connect(c, (struct sockaddr *)&la, sizeof la);
    s = accept(l, NULL, NULL);
    close(s); /* the accepted end closes first: its side goes to TIME_WAIT on the listener's port */
    char buf[4];
    recv(c, buf, sizeof buf, 0);
    close(c);
    close(l);
    sleep_ms(20);
    int r = tcp();
    setsockopt(r, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    CHECK_OK("SO_REUSEADDR rebinds a closed listener's port", bind(r, (struct sockaddr *)&la, sizeof la));
    struct sockaddr_in rn = name_of(r, 0, &len);
    CHECK("and listens on it", listen(r, 1) == 0 && same(rn, la), "errno %s", errname(errno));
    close(r);
}

static void accepting(void)
{
    struct sockaddr_in la;
    int l = listener(&la);
    int c = tcp();
    timeouts(c);
    CHECK_OK("blocking connect to a listener", connect(c, (struct sockaddr *)&la, sizeof la));
    socklen_t len;
    struct sockaddr_in cname = name_of(c, 0, &len);
    CHECK("the client is 127.0.0.1 on a port", len == sizeof cname && cname.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && cname.sin_port != 0
          && cname.sin_port != la.sin_port, "len %d", (int)len);
    int port = ntohs(cname.sin_port);
    CHECK("the client's port is in ip_local_port_range", port >= 32768 && port <= 60999, "out of range");
    struct sockaddr_in cpeer = name_of(c, 1, &len);
    CHECK("the client's peer is the listener", len == sizeof cpeer && same(cpeer, la), "len %d", (int)len);
    struct sockaddr_in from;
    memset(&from, 0, sizeof from);
    len = sizeof from;
    int s = accept(l, (struct sockaddr *)&from, &len);
    CHECK("accept returns a new fd", s >= 0 && s != l, "errno %s", errname(errno));
    CHECK("accept's address is the client's name", len == sizeof from && same(from, cname), "len %d", (int)len);
    struct sockaddr_in speer = name_of(s, 1, &len);
    CHECK("the accepted getpeername is the client's getsockname", len == sizeof speer && same(speer, cname), "len %d", (int)len);
    struct sockaddr_in sname = name_of(s, 0, &len);
    CHECK("the accepted getsockname is the listener's address", len == sizeof sname && same(sname, la), "len %d", (int)len);
    CHECK("the accepted socket does not listen", opt(s, SOL_SOCKET, SO_ACCEPTCONN) == 0, "%d", opt(s, SOL_SOCKET, SO_ACCEPTCONN));
    CHECK("the accepted socket is blocking, not close-on-exec", !(fcntl(s, F_GETFL) & O_NONBLOCK) && !(fcntl(s, F_GETFD) & FD_CLOEXEC), "flags");
    CHECK_ERR("connect twice EISCONN", connect(c, (struct sockaddr *)&la, sizeof la), EISCONN);
    CHECK_ERR("listen on a connected socket EINVAL", listen(c, 1), EINVAL);
    CHECK_ERR("accept on a connected socket EINVAL", accept(c, NULL, NULL), EINVAL);
    struct sockaddr_in lo = addr(INADDR_LOOPBACK, 0);
    CHECK_ERR("bind on a connected socket EINVAL", bind(c, (struct sockaddr *)&lo, sizeof lo), EINVAL);
    char buf[8];
    CHECK_ERR("recv on a listener ENOTCONN", recv(l, buf, sizeof buf, MSG_DONTWAIT), ENOTCONN);
    close(s);
    close(c);

    c = tcp();
    timeouts(c);
    connect(c, (struct sockaddr *)&la, sizeof la);
    s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    CHECK("accept4 SOCK_NONBLOCK|SOCK_CLOEXEC", s >= 0 && (fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC), "fd %d errno %s", s, errname(errno));
    CHECK_ERR("the non-blocking accepted socket: recv EAGAIN", recv(s, buf, sizeof buf, 0), EAGAIN);
    /* The raw call: musl's accept4 retries a failing accept4 as a plain accept. */
    CHECK_ERR("accept4 bad flags EINVAL", syscall(SYS_accept4, l, NULL, NULL, 0x100), EINVAL);
    close(s);
    close(c);

    struct timeval tv = { 0, 50000 };
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    CHECK_ERR("blocking accept times out EAGAIN (SO_RCVTIMEO)", accept(l, NULL, NULL), EAGAIN);
    timeouts(l);
    fcntl(l, F_SETFL, O_NONBLOCK);
    CHECK_ERR("non-blocking accept with nothing pending EAGAIN", accept(l, NULL, NULL), EAGAIN);
    c = tcp();
    timeouts(c);
    connect(c, (struct sockaddr *)&la, sizeof la);
    await(l, POLLIN);
    s = accept(l, NULL, NULL);
    CHECK("a non-blocking listener accepts a blocking socket", s >= 0 && !(fcntl(s, F_GETFL) & O_NONBLOCK), "fd %d errno %s", s, errname(errno));
    close(s);
    close(c);
    close(l);

    /* The listener closed: its port refuses. */
    c = tcp();
    timeouts(c);
    CHECK_ERR("connect after the listener closed ECONNREFUSED", connect(c, (struct sockaddr *)&la, sizeof la), ECONNREFUSED);
    close(c);
    c = tcp();
    struct sockaddr_in bad = la;
    CHECK_ERR("connect short sockaddr EINVAL", connect(c, (struct sockaddr *)&bad, sizeof bad - 1), EINVAL);
    bad.sin_family = AF_UNIX;
    CHECK_ERR("connect AF_UNIX family EAFNOSUPPORT", connect(c, (struct sockaddr *)&bad, sizeof bad), EAFNOSUPPORT);
    close(c);
}

static void data(void)
{
    int c, s;
    CHECK_OK("a connected pair", pair(&c, &s));
    char buf[64];
    CHECK("write", write(c, "hello", 5) == 5, "errno %s", errname(errno));
    ssize_t n = read(s, buf, sizeof buf);
    CHECK("read gets it", n == 5 && memcmp(buf, "hello", 5) == 0, "n %zd errno %s", n, errname(errno));
    CHECK("write back", write(s, "world!", 6) == 6, "errno %s", errname(errno));
    n = read(c, buf, sizeof buf);
    CHECK("read back", n == 6 && memcmp(buf, "world!", 6) == 0, "n %zd errno %s", n, errname(errno));

    CHECK_ERR("MSG_DONTWAIT on an empty queue EAGAIN", recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    int avail = -1;
    CHECK("FIONREAD 0 when empty", ioctl(s, FIONREAD, &avail) == 0 && avail == 0, "%d", avail);
    send(c, "abcdefg", 7, 0);
    await(s, POLLIN);
    avail = -1;
    CHECK("FIONREAD after data arrives", ioctl(s, FIONREAD, &avail) == 0 && avail == 7, "%d", avail);
    n = recv(s, buf, 3, MSG_PEEK);
    CHECK("MSG_PEEK", n == 3 && memcmp(buf, "abc", 3) == 0, "n %zd", n);
    n = recv(s, buf, sizeof buf, MSG_PEEK);
    CHECK("MSG_PEEK again sees it all", n == 7 && memcmp(buf, "abcdefg", 7) == 0, "n %zd", n);
    avail = -1;
    ioctl(s, FIONREAD, &avail);
    CHECK("FIONREAD unchanged by MSG_PEEK", avail == 7, "%d", avail);
    n = recv(s, buf, 2, 0);
    CHECK("a short read takes 2 bytes", n == 2 && memcmp(buf, "ab", 2) == 0, "n %zd", n);
    n = recv(s, buf, sizeof buf, 0);
    CHECK("the rest of the stream follows", n == 5 && memcmp(buf, "cdefg", 5) == 0, "n %zd", n);

    CHECK("send of 0 bytes returns 0", send(c, "", 0, 0) == 0, "errno %s", errname(errno));
    CHECK("write of 0 bytes returns 0", write(c, "", 0) == 0, "errno %s", errname(errno));
    CHECK_ERR("and nothing arrives", recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);

    struct iovec out[3] = { { "one-", 4 }, { "two-", 4 }, { "three", 5 } };
    CHECK("writev", writev(c, out, 3) == 13, "errno %s", errname(errno));
    await(s, POLLIN);
    char a[6], b[16];
    memset(b, 0, sizeof b);
    struct iovec in[2] = { { a, sizeof a }, { b, sizeof b } };
    n = readv(s, in, 2);
    CHECK("readv", n == 13 && memcmp(a, "one-tw", 6) == 0 && memcmp(b, "o-three", 7) == 0, "n %zd", n);

    /* MSG_WAITALL waits for the whole request: half is there now, the rest comes from a child 50 ms later. */
    send(c, "12345", 5, 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(50);
        _exit(send(c, "67890", 5, 0) == 5 ? 0 : 1);
    }
    memset(buf, 0, sizeof buf);
    n = recv(s, buf, 10, MSG_WAITALL);
    CHECK("MSG_WAITALL gathers both sends", n == 10 && memcmp(buf, "1234567890", 10) == 0, "n %zd errno %s", n, errname(errno));
    waitpid(child, NULL, 0);

    struct msghdr m;
    memset(&m, 0, sizeof m);
    struct iovec iov = { "msg!", 4 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    CHECK("sendmsg", sendmsg(c, &m, 0) == 4, "errno %s", errname(errno));
    await(s, POLLIN);
    memset(buf, 0, sizeof buf);
    iov.iov_base = buf;
    iov.iov_len = sizeof buf;
    m.msg_flags = -1;
    n = recvmsg(s, &m, 0);
    CHECK("recvmsg", n == 4 && memcmp(buf, "msg!", 4) == 0 && m.msg_flags == 0, "n %zd flags %#x", n, m.msg_flags);
    close(c);
    close(s);

    /* 1 MiB from a child process; the parent reads to EOF and compares checksums. */
    enum { TOTAL = 1 << 20 };
    unsigned char *pattern = malloc(TOTAL), *got = malloc(TOTAL + 1); /* + 1: room to see a byte too many */
    for (size_t i = 0; i < TOTAL; i++) pattern[i] = (unsigned char)(i * 7 + (i >> 9) + (i >> 17));
    pair(&c, &s);
    child = fork();
    if (child == 0) {
        close(s);
        size_t done = 0;
        while (done < TOTAL) {
            ssize_t w = send(c, pattern + done, TOTAL - done, MSG_NOSIGNAL);
            if (w <= 0) _exit(1);
            done += (size_t)w;
        }
        close(c);
        _exit(0);
    }
    close(c);
    size_t total = 0;
    for (;;) {
        ssize_t r = recv(s, got + total, total < TOTAL ? TOTAL - total : 1, 0);
        if (r <= 0) { n = r; break; }
        total += (size_t)r;
        if (total > TOTAL) break;
    }
    int st = -1;
    waitpid(child, &st, 0);
    CHECK("1 MiB from a child arrives whole, then EOF", total == TOTAL && n == 0, "%zu bytes, last %zd errno %s", total, n, errname(errno));
    CHECK("its checksum matches", total == TOTAL && fnv(2166136261u, got, TOTAL) == fnv(2166136261u, pattern, TOTAL), "checksums differ");
    CHECK("the sender exits 0", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
    close(s);

    /* sendfile from a file on tmpfs to a connected socket (100,000 bytes; the reader drains as it goes). */
    int c2, s2;
    if (pair(&c2, &s2) == 0) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/kevlar-tcp-sendfile-%d", (int)getpid());
        int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        unlink(path);
        enum { FILEBYTES = 100000 };
        for (int i = 0; i < FILEBYTES; i++) pattern[i] = (unsigned char)(i * 13);
        CHECK("the file is written", write(f, pattern, FILEBYTES) == FILEBYTES, "errno %s", errname(errno));
        off_t off = 0;
        pid_t reader = fork();
        if (reader == 0) {
            size_t have = 0;
            ssize_t r;
            while (have < FILEBYTES && (r = read(s2, got + have, FILEBYTES - have)) > 0) have += (size_t)r;
            _exit(have == FILEBYTES && memcmp(got, pattern, FILEBYTES) == 0 ? 0 : 1);
        }
        ssize_t sent = sendfile(c2, f, &off, FILEBYTES);
        CHECK("sendfile to a socket sends the file", sent == FILEBYTES && off == FILEBYTES, "sent %zd off %ld errno %s", sent, (long)off, errname(errno));
        waitpid(reader, &st, 0);
        CHECK("the peer reads the same bytes", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
        close(f);
        close(c2);
        close(s2);
    }
    free(pattern);
    free(got);
}

static void closing(void)
{
    char buf[64];
    int c, s;
    pair(&c, &s);
    send(c, "data", 4, 0);
    CHECK_OK("shutdown(SHUT_WR)", shutdown(c, SHUT_WR));
    ssize_t n = recv(s, buf, sizeof buf, MSG_WAITALL);
    CHECK("the peer reads the data", n == 4 && memcmp(buf, "data", 4) == 0, "n %zd errno %s", n, errname(errno));
    n = recv(s, buf, sizeof buf, 0);
    CHECK("then EOF", n == 0, "n %zd errno %s", n, errname(errno));
    CHECK("and EOF again", recv(s, buf, sizeof buf, 0) == 0, "errno %s", errname(errno));
    CHECK("the peer can still write back", send(s, "back", 4, 0) == 4, "errno %s", errname(errno));
    n = recv(c, buf, sizeof buf, 0);
    CHECK("the half-closed side reads it", n == 4 && memcmp(buf, "back", 4) == 0, "n %zd errno %s", n, errname(errno));
    signal(SIGPIPE, on_sigpipe);
    got_sigpipe = 0;
    CHECK_ERR("send after own SHUT_WR EPIPE (MSG_NOSIGNAL)", send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK("and no SIGPIPE", got_sigpipe == 0, "%d signals", got_sigpipe);
    CHECK_ERR("write after own SHUT_WR EPIPE", write(c, "x", 1), EPIPE);
    CHECK("and SIGPIPE", got_sigpipe == 1, "%d signals", got_sigpipe);
    CHECK_OK("shutdown(SHUT_WR) twice", shutdown(c, SHUT_WR));
    close(s);
    n = recv(c, buf, sizeof buf, 0);
    CHECK("after the peer's close: EOF", n == 0, "n %zd errno %s", n, errname(errno));
    close(c);

    /* The peer closed (nothing unread): the first write is taken, the peer answers it with RST, then writes fail. */
    for (int sig = 0; sig < 2; sig++) {
        pair(&c, &s);
        close(s);
        await(c, POLLRDHUP);
        got_sigpipe = 0;
        n = send(c, "first", 5, sig ? 0 : MSG_NOSIGNAL);
        CHECK(sig ? "peer closed: the first write is accepted (no MSG_NOSIGNAL)" : "peer closed: the first write is accepted",
              n == 5 && got_sigpipe == 0, "n %zd errno %s signals %d", n, errname(errno), got_sigpipe);
        int rev = settled(c, 0, POLLERR | POLLHUP); /* the peer's RST */
        int tries = 0;
        errno = 0;
        while (tries < 50 && send(c, "again", 5, sig ? 0 : MSG_NOSIGNAL) == 5) { tries++; sleep_ms(10); }
        int e = errno;
        if (!sig) {
            CHECK("its RST raises POLLERR|POLLHUP", (rev & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP), "revents %#x", rev);
            CHECK("then the next write EPIPE", tries == 0 && e == EPIPE, "%d more writes, errno %s", tries, errname(e));
            CHECK("no SIGPIPE with MSG_NOSIGNAL", got_sigpipe == 0, "%d signals", got_sigpipe);
            CHECK_ERR("the write after EPIPE", send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
            CHECK("SO_ERROR 0 after the error was returned", opt(c, SOL_SOCKET, SO_ERROR) == 0, "%d", opt(c, SOL_SOCKET, SO_ERROR));
            n = recv(c, buf, sizeof buf, 0);
            CHECK("recv reads EOF", n == 0, "n %zd errno %s", n, errname(errno));
        } else {
            CHECK("without MSG_NOSIGNAL: EPIPE and one SIGPIPE", tries == 0 && e == EPIPE && got_sigpipe == 1,
                  "%d more writes, errno %s, %d signals", tries, errname(e), got_sigpipe);
        }
        close(c);
    }
    signal(SIGPIPE, SIG_DFL);

    /* A close with unread data resets the connection: the other side's read gets ECONNRESET once, then EOF. */
    pair(&c, &s);
    send(c, "unread", 6, 0);
    await(s, POLLIN);
    close(s);
    int rev = settled(c, POLLIN | POLLOUT | POLLRDHUP, POLLIN | POLLERR | POLLHUP | POLLRDHUP);
    CHECK("a close with unread data: the peer sees POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP",
          rev == (POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP), "revents %#x", rev);
    CHECK_ERR("read ECONNRESET", read(c, buf, sizeof buf), ECONNRESET);
    n = read(c, buf, sizeof buf);
    CHECK("then read EOF", n == 0, "n %zd errno %s", n, errname(errno));
    CHECK_ERR("and send EPIPE", send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
    close(c);

    pair(&c, &s);
    send(c, "unread", 6, 0);
    await(s, POLLIN);
    close(s);
    await(c, POLLIN);
    CHECK_ERR("after the reset: send ECONNRESET first", send(c, "x", 1, MSG_NOSIGNAL), ECONNRESET);
    CHECK_ERR("then EPIPE", send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
    close(c);

    pair(&c, &s);
    send(c, "unread", 6, 0);
    await(s, POLLIN);
    close(s);
    await(c, POLLIN);
    CHECK("SO_ERROR ECONNRESET, once", opt(c, SOL_SOCKET, SO_ERROR) == ECONNRESET && opt(c, SOL_SOCKET, SO_ERROR) == 0, "not so");
    close(c);

    /* SO_LINGER with a zero timeout: close sends RST even with nothing unread. */
    pair(&c, &s);
    struct linger lg = { 1, 0 };
    CHECK_OK("SO_LINGER {1, 0}", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    close(s);
    await(c, POLLIN);
    CHECK_ERR("its close resets the peer: ECONNRESET", recv(c, buf, sizeof buf, 0), ECONNRESET);
    close(c);

    /* shutdown(SHUT_RD): what is queued can still be read, then reads see EOF at once; writes go on. */
    pair(&c, &s);
    send(s, "queued", 6, 0);
    await(c, POLLIN);
    CHECK_OK("shutdown(SHUT_RD)", shutdown(c, SHUT_RD));
    n = recv(c, buf, sizeof buf, MSG_DONTWAIT);
    CHECK("SHUT_RD: recv still returns the queued data", n == 6 && memcmp(buf, "queued", 6) == 0, "n %zd errno %s", n, errname(errno));
    n = recv(c, buf, sizeof buf, 0);
    CHECK("then 0 at once", n == 0, "n %zd errno %s", n, errname(errno));
    CHECK("send still works after SHUT_RD", send(c, "ok", 2, MSG_NOSIGNAL) == 2, "errno %s", errname(errno));
    close(c);
    close(s);

    int fd = tcp();
    CHECK_ERR("shutdown of an unconnected socket ENOTCONN", shutdown(fd, SHUT_RDWR), ENOTCONN);
    CHECK_ERR("shutdown bad how EINVAL", shutdown(fd, 3), EINVAL);
    close(fd);
    struct sockaddr_in la;
    fd = listener(&la);
    CHECK_OK("shutdown(SHUT_WR) of a listener", shutdown(fd, SHUT_WR));
    CHECK("it still listens", opt(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1, "%d", opt(fd, SOL_SOCKET, SO_ACCEPTCONN));
    CHECK_OK("shutdown(SHUT_RDWR) of a listener", shutdown(fd, SHUT_RDWR));
    CHECK("it stops listening", opt(fd, SOL_SOCKET, SO_ACCEPTCONN) == 0, "%d", opt(fd, SOL_SOCKET, SO_ACCEPTCONN));
    c = tcp();
    timeouts(c);
    CHECK_ERR("and refuses connections ECONNREFUSED", connect(c, (struct sockaddr *)&la, sizeof la), ECONNREFUSED);
    close(c);
    close(fd);
}

static void nonblocking(void)
{
    struct sockaddr_in la;
    int l = listener(&la);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK_ERR("non-blocking connect EINPROGRESS", connect(c, (struct sockaddr *)&la, sizeof la), EINPROGRESS);
    int rev = settled(c, POLLOUT, POLLOUT);
    CHECK("then poll POLLOUT", rev == POLLOUT, "revents %#x", rev);
    CHECK("SO_ERROR 0", opt(c, SOL_SOCKET, SO_ERROR) == 0, "%d", opt(c, SOL_SOCKET, SO_ERROR));
    CHECK_OK("connect again once it is made returns 0", connect(c, (struct sockaddr *)&la, sizeof la));
    CHECK_ERR("and then EISCONN", connect(c, (struct sockaddr *)&la, sizeof la), EISCONN);
    socklen_t len;
    struct sockaddr_in peer = name_of(c, 1, &len);
    CHECK("getpeername is the listener", len == sizeof peer && same(peer, la), "len %d", (int)len);
    await(l, POLLIN);
    int s = accept(l, NULL, NULL);
    CHECK("the listener accepts it", s >= 0, "errno %s", errname(errno));
    send(c, "nb", 2, 0);
    char buf[8];
    CHECK("data flows", recv(s, buf, sizeof buf, 0) == 2, "errno %s", errname(errno));
    close(s);
    close(c);
    close(l);

    /* A non-blocking connect to a port nobody listens on: EINPROGRESS, then the RST makes it ECONNREFUSED. */
    int b = bound(&la);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK_ERR("non-blocking connect to an unlistened port EINPROGRESS", connect(c, (struct sockaddr *)&la, sizeof la), EINPROGRESS);
    rev = settled(c, POLLOUT, POLLOUT | POLLERR | POLLHUP);
    CHECK("then poll POLLOUT|POLLERR|POLLHUP", rev == (POLLOUT | POLLERR | POLLHUP), "revents %#x", rev);
    rev = settled(c, POLLIN | POLLOUT | POLLRDHUP, POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
    CHECK("all of POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP", rev == (POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP), "revents %#x", rev);
    CHECK("SO_ERROR ECONNREFUSED", opt(c, SOL_SOCKET, SO_ERROR) == ECONNREFUSED, "%d", opt(c, SOL_SOCKET, SO_ERROR));
    CHECK("then SO_ERROR 0", opt(c, SOL_SOCKET, SO_ERROR) == 0, "%d", opt(c, SOL_SOCKET, SO_ERROR));
    rev = ready(c, POLLOUT, 0);
    CHECK("poll then POLLOUT|POLLHUP", rev == (POLLOUT | POLLHUP), "revents %#x", rev);
    close(c);

    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(c, (struct sockaddr *)&la, sizeof la);
    await(c, POLLOUT);
    CHECK_ERR("connect again after the refusal ECONNREFUSED", connect(c, (struct sockaddr *)&la, sizeof la), ECONNREFUSED);
    CHECK("which consumes SO_ERROR", opt(c, SOL_SOCKET, SO_ERROR) == 0, "%d", opt(c, SOL_SOCKET, SO_ERROR));
    close(c);
    close(b);
}

static void readiness(void)
{
    struct sockaddr_in la;
    int l = listener(&la);
    CHECK("an idle listener: nothing", ready(l, POLLIN | POLLOUT, 0) == 0, "revents %#x", ready(l, POLLIN | POLLOUT, 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    struct epoll_event got;
    CHECK("epoll: an idle listener is not ready", epoll_wait(ep, &got, 1, 0) == 0, "ready");
    int c = tcp();
    timeouts(c);
    connect(c, (struct sockaddr *)&la, sizeof la);
    int n = epoll_wait(ep, &got, 1, 2000);
    CHECK("epoll: EPOLLIN on a listener with a connection pending", n == 1 && got.data.u32 == 7 && got.events == EPOLLIN, "n %d events %#x", n, got.events);
    int rev = ready(l, POLLIN | POLLOUT, 0);
    CHECK("poll: a pending connection is POLLIN only", rev == POLLIN, "revents %#x", rev);
    int s = accept(l, NULL, NULL);
    CHECK("after accept: nothing", ready(l, POLLIN | POLLOUT, 0) == 0, "revents %#x", ready(l, POLLIN | POLLOUT, 0));
    timeouts(s);

    short all = POLLIN | POLLOUT | POLLRDHUP;
    rev = ready(s, all, 0);
    CHECK("connected and idle: POLLOUT", rev == POLLOUT, "revents %#x", rev);
    epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL);
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = 9;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    CHECK("epoll: a connected socket is not readable yet", epoll_wait(ep, &got, 1, 0) == 0, "ready");
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(100);
        _exit(send(c, "late", 4, 0) == 4 ? 0 : 1);
    }
    n = epoll_wait(ep, &got, 1, 5000);
    CHECK("epoll_wait blocks until data arrives", n == 1 && got.data.u32 == 9 && got.events == EPOLLIN, "n %d events %#x", n, got.events);
    waitpid(child, NULL, 0);
    rev = ready(s, all, 0);
    CHECK("data: POLLIN|POLLOUT", rev == (POLLIN | POLLOUT), "revents %#x", rev);
    char buf[8];
    recv(s, buf, sizeof buf, 0);
    rev = ready(s, all, 0);
    CHECK("read dry: POLLOUT again", rev == POLLOUT, "revents %#x", rev);
    shutdown(c, SHUT_WR);
    rev = settled(s, all, POLLIN | POLLOUT | POLLRDHUP);
    CHECK("the peer's SHUT_WR: POLLIN|POLLOUT|POLLRDHUP", rev == (POLLIN | POLLOUT | POLLRDHUP), "revents %#x", rev);
    n = epoll_wait(ep, &got, 1, 0);
    CHECK("epoll: EPOLLIN|EPOLLRDHUP", n == 1 && got.events == (EPOLLIN | EPOLLRDHUP), "n %d events %#x", n, got.events);
    rev = ready(c, all, 0);
    CHECK("the SHUT_WR side: POLLOUT", rev == POLLOUT, "revents %#x", rev);
    shutdown(s, SHUT_WR);
    rev = ready(s, all, 0);
    CHECK("both directions shut: POLLIN|POLLOUT|POLLRDHUP|POLLHUP", rev == (POLLIN | POLLOUT | POLLRDHUP | POLLHUP), "revents %#x", rev);
    rev = settled(c, all, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
    CHECK("and on the other side too", rev == (POLLIN | POLLOUT | POLLRDHUP | POLLHUP), "revents %#x", rev);
    close(s);
    close(c);

    /* POLLHUP from the own side alone: shutdown(SHUT_RDWR). */
    pair(&c, &s);
    shutdown(c, SHUT_RDWR);
    rev = ready(c, all, 0);
    CHECK("own SHUT_RDWR: POLLIN|POLLOUT|POLLRDHUP|POLLHUP", rev == (POLLIN | POLLOUT | POLLRDHUP | POLLHUP), "revents %#x", rev);
    rev = settled(s, all, POLLIN | POLLOUT | POLLRDHUP);
    CHECK("its peer: POLLIN|POLLOUT|POLLRDHUP", rev == (POLLIN | POLLOUT | POLLRDHUP), "revents %#x", rev);
    close(s);
    close(c);
    close(ep);
    close(l);
}

/* 8 client processes, each sending 100 numbered 8-byte messages and reading each echo, against one epoll server. */
static void clients(void)
{
    struct sockaddr_in la;
    int l = listener(&la);
    enum { CLIENTS = 8, ROUNDS = 100 };
    pid_t kids[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            close(l);
            int fd = tcp();
            struct timeval tv = { 5, 0 };
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            if (connect(fd, (struct sockaddr *)&la, sizeof la) != 0) _exit(1);
            for (int r = 0; r < ROUNDS; r++) {
                int msg[2] = { i, r }, echo[2] = { -1, -1 };
                if (send(fd, msg, sizeof msg, MSG_NOSIGNAL) != sizeof msg) _exit(2);
                if (recv(fd, echo, sizeof echo, MSG_WAITALL) != sizeof echo || echo[0] != i || echo[1] != r) _exit(3);
            }
            _exit(0);
        }
    }
    fcntl(l, F_SETFL, O_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = l };
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    int accepted = 0, closed = 0, bad = 0;
    long bytes = 0;
    while (closed < CLIENTS) {
        struct epoll_event got[16];
        int n = epoll_wait(ep, got, 16, 5000);
        if (n <= 0) break;
        for (int k = 0; k < n; k++) {
            int fd = got[k].data.fd;
            if (fd == l) {
                int s;
                while ((s = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    accepted++;
                    struct epoll_event e = { .events = EPOLLIN, .data.fd = s };
                    epoll_ctl(ep, EPOLL_CTL_ADD, s, &e);
                }
                continue;
            }
            char buf[256];
            ssize_t r = recv(fd, buf, sizeof buf, 0);
            if (r > 0) {
                bytes += r;
                for (ssize_t done = 0; done < r;) {
                    ssize_t w = send(fd, buf + done, (size_t)(r - done), MSG_NOSIGNAL);
                    if (w <= 0) { bad++; break; }
                    done += w;
                }
            } else if (r == 0 || errno != EAGAIN) {
                if (r < 0) bad++;
                epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                close(fd);
                closed++;
            }
        }
    }
    int ok = 0;
    for (int i = 0; i < CLIENTS; i++) {
        int st;
        waitpid(kids[i], &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) ok++;
    }
    CHECK("8 clients connect and are accepted", accepted == CLIENTS && closed == CLIENTS, "%d accepted, %d closed", accepted, closed);
    CHECK("8 clients x 100 echoes through one epoll server", ok == CLIENTS && bytes == CLIENTS * ROUNDS * 8 && bad == 0,
          "%d clients ok, %ld bytes, %d bad", ok, bytes, bad);
    close(ep);
    close(l);
}

static const struct { const char *name; void (*run)(void); } sections[] = {
    { "creation", creation }, { "binding", binding }, { "accepting", accepting }, { "data", data },
    { "closing", closing }, { "nonblocking", nonblocking }, { "readiness", readiness }, { "clients", clients },
};

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (argc == 1 || strcmp(argv[1], sections[i].name) == 0) sections[i].run();
    return check_exit();
}
