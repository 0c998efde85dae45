/* udp: AF_INET datagram sockets over the loopback interface as udp(7), ip(7),
 * socket(2), bind(2), connect(2), sendto(2), recvfrom(2) and getsockname(2)
 * describe them — socket options and the errors socket(2) gives for other
 * protocols; bind's EADDRINUSE, EINVAL, EADDRNOTAVAIL, EAFNOSUPPORT and
 * SO_REUSEADDR; autobind to an ephemeral port on the first send; the source
 * address a receiver sees; MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, empty
 * datagrams; EDESTADDRREQ, EMSGSIZE; connect, getpeername, and a connected
 * socket's filter of other senders; ECONNREFUSED from a port nobody holds;
 * disconnect with AF_UNSPEC; SO_BROADCAST's EACCES; IP_TTL; shutdown; poll
 * and epoll readiness; FIONREAD; read/write; and 8 client processes against
 * one server. Ports are ephemeral (bind to port 0), so runs never collide and
 * no port number is printed. Run natively and on the kernel; the lines must
 * match. */
#include "../check.h"
#include "inet.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>


static int udp(void) { return socket(AF_INET, SOCK_DGRAM, 0); }

/* A socket bound to 127.0.0.1 on an ephemeral port; its name in *a. */
static int bound(struct sockaddr_in *a) { return bound_socket(SOCK_DGRAM, a); }



/* Waits up to 2 s for a datagram (a receive timeout keeps a lost one from hanging the run). */
static void timeout(int fd)
{
    struct timeval tv = { 2, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static void creation(void)
{
    int fd = udp();
    CHECK("socket AF_INET SOCK_DGRAM", fd >= 0, "errno %s", errname(errno));
    CHECK("SO_TYPE SOCK_DGRAM", opt(fd, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM, "%d", opt(fd, SOL_SOCKET, SO_TYPE));
    CHECK("SO_DOMAIN AF_INET", opt(fd, SOL_SOCKET, SO_DOMAIN) == AF_INET, "%d", opt(fd, SOL_SOCKET, SO_DOMAIN));
    CHECK("SO_PROTOCOL IPPROTO_UDP", opt(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_UDP, "%d", opt(fd, SOL_SOCKET, SO_PROTOCOL));
    CHECK("SO_ERROR 0", opt(fd, SOL_SOCKET, SO_ERROR) == 0, "%d", opt(fd, SOL_SOCKET, SO_ERROR));
    CHECK("IP_TTL 64", opt(fd, IPPROTO_IP, IP_TTL) == 64, "%d", opt(fd, IPPROTO_IP, IP_TTL));
    int ttl = 7;
    CHECK_OK("IP_TTL set 7", setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl));
    CHECK("IP_TTL reads 7", opt(fd, IPPROTO_IP, IP_TTL) == 7, "%d", opt(fd, IPPROTO_IP, IP_TTL));
    ttl = 256;
    CHECK_ERR("IP_TTL 256 EINVAL", setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl), EINVAL);
    ttl = -1;
    CHECK_OK("IP_TTL -1 (default)", setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl));
    CHECK("IP_TTL back to 64", opt(fd, IPPROTO_IP, IP_TTL) == 64, "%d", opt(fd, IPPROTO_IP, IP_TTL));
    CHECK("unknown IP option ENOPROTOOPT", opt(fd, IPPROTO_IP, 9999) == -ENOPROTOOPT * 1000, "%d", opt(fd, IPPROTO_IP, 9999));
    socklen_t len;
    struct sockaddr_in a = name_of(fd, 0, &len);
    CHECK("unbound getsockname 0.0.0.0:0", len == sizeof a && a.sin_family == AF_INET && a.sin_addr.s_addr == 0 && a.sin_port == 0,
          "len %d family %d", (int)len, a.sin_family);
    CHECK_ERR("unconnected getpeername ENOTCONN", getpeername(fd, (struct sockaddr *)&a, &len), ENOTCONN);
    CHECK_ERR("listen on UDP EOPNOTSUPP", listen(fd, 1), EOPNOTSUPP);
    CHECK_ERR("accept on UDP EOPNOTSUPP", accept(fd, NULL, NULL), EOPNOTSUPP);
    close(fd);
    CHECK_ERR("SOCK_DGRAM IPPROTO_TCP EPROTONOSUPPORT", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
    CHECK_ERR("socketpair AF_INET EOPNOTSUPP", socketpair(AF_INET, SOCK_DGRAM, 0, (int[2]){0, 0}), EOPNOTSUPP);
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
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
    int other = udp();
    CHECK_ERR("same address and port EADDRINUSE", bind(other, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    struct sockaddr_in any = addr(INADDR_ANY, (uint16_t)port);
    CHECK_ERR("0.0.0.0 on a taken port EADDRINUSE", bind(other, (struct sockaddr *)&any, sizeof any), EADDRINUSE);
    struct sockaddr_in elsewhere = addr(0x7F000002, (uint16_t)port);
    CHECK_OK("127.0.0.2 on the same port", bind(other, (struct sockaddr *)&elsewhere, sizeof elsewhere));
    close(other);
    other = udp();
    CHECK_ERR("short sockaddr EINVAL", bind(other, (struct sockaddr *)&a, sizeof a - 1), EINVAL);
    struct sockaddr_in wrong = addr(INADDR_LOOPBACK, 0);
    wrong.sin_family = AF_UNIX;
    CHECK_ERR("AF_UNIX family EAFNOSUPPORT", bind(other, (struct sockaddr *)&wrong, sizeof wrong), EAFNOSUPPORT);
    wrong.sin_family = AF_UNSPEC;
    CHECK_ERR("AF_UNSPEC with an address EAFNOSUPPORT", bind(other, (struct sockaddr *)&wrong, sizeof wrong), EAFNOSUPPORT);
    struct sockaddr_in foreign = addr(0xC0000201, 0); /* 192.0.2.1, TEST-NET-1: never this host's */
    CHECK_ERR("a foreign address EADDRNOTAVAIL", bind(other, (struct sockaddr *)&foreign, sizeof foreign), EADDRNOTAVAIL);
    struct sockaddr_in unspec = addr(INADDR_ANY, 0);
    unspec.sin_family = AF_UNSPEC;
    CHECK_OK("AF_UNSPEC with INADDR_ANY binds", bind(other, (struct sockaddr *)&unspec, sizeof unspec));
    socklen_t len;
    struct sockaddr_in got = name_of(other, 0, &len);
    CHECK("it is 0.0.0.0 on a port", got.sin_addr.s_addr == 0 && got.sin_port != 0, "not bound");
    close(other);
    close(fd);
    fd = bound(&a);
    CHECK_OK("the port is free again after close", fd >= 0);
    int one = 1;
    int r1 = udp(), r2 = udp();
    setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(r2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in shared = addr(INADDR_LOOPBACK, 0);
    bind(r1, (struct sockaddr *)&shared, sizeof shared);
    shared = name_of(r1, 0, &len);
    CHECK_OK("SO_REUSEADDR on both shares a port", bind(r2, (struct sockaddr *)&shared, sizeof shared));
    CHECK("SO_REUSEADDR reads 1", opt(r2, SOL_SOCKET, SO_REUSEADDR) == 1, "%d", opt(r2, SOL_SOCKET, SO_REUSEADDR));
    close(r1);
    close(r2);
    close(fd);
}

static void datagrams(void)
{
    struct sockaddr_in sa;
    int server = bound(&sa);
    timeout(server);
    int client = udp();
    socklen_t len;
    CHECK("sendto autobinds", sendto(client, "hello", 5, 0, (struct sockaddr *)&sa, sizeof sa) == 5, "errno %s", errname(errno));
    struct sockaddr_in cname = name_of(client, 0, &len);
    CHECK("the sender is 0.0.0.0 on a port", cname.sin_addr.s_addr == 0 && cname.sin_port != 0, "not autobound");
    char buf[64];
    struct sockaddr_in from;
    memset(&from, 0, sizeof from);
    len = sizeof from;
    ssize_t n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    CHECK("recvfrom gets the datagram", n == 5 && memcmp(buf, "hello", 5) == 0, "n %zd errno %s", n, errname(errno));
    CHECK("the source is 127.0.0.1 on the sender's port", len == sizeof from && from.sin_family == AF_INET
          && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && from.sin_port == cname.sin_port, "len %d", (int)len);
    /* Sent before the send returns: a non-blocking receive right after finds it. */
    sendto(client, "abcdefgh", 8, 0, (struct sockaddr *)&sa, sizeof sa);
    n = recv(server, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
    CHECK("MSG_PEEK|MSG_DONTWAIT right after the send", n == 8, "n %zd errno %s", n, errname(errno));
    int avail = -1;
    ioctl(server, FIONREAD, &avail);
    CHECK("FIONREAD is the first datagram's length", avail == 8, "%d", avail);
    n = recv(server, buf, 3, 0);
    CHECK("a short read takes 3 bytes", n == 3 && memcmp(buf, "abc", 3) == 0, "n %zd", n);
    CHECK_ERR("the rest of the datagram is gone", recv(server, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    sendto(client, "abcdefgh", 8, 0, (struct sockaddr *)&sa, sizeof sa);
    n = recv(server, buf, 2, MSG_TRUNC);
    CHECK("MSG_TRUNC returns the whole length", n == 8, "n %zd", n);
    sendto(client, "0123456789", 10, 0, (struct sockaddr *)&sa, sizeof sa);
    struct iovec iov = { buf, 4 };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_name = &from;
    m.msg_namelen = sizeof from;
    n = recvmsg(server, &m, 0);
    CHECK("recvmsg cut short sets MSG_TRUNC", n == 4 && (m.msg_flags & MSG_TRUNC) && m.msg_namelen == sizeof from, "n %zd flags %x", n, m.msg_flags);
    {
        /* writev and readv are one sendmsg and one recvmsg: one datagram. */
        int wc = udp();
        connect(wc, (struct sockaddr *)&sa, sizeof sa);
        struct iovec parts[3] = { { "one-", 4 }, { "two-", 4 }, { "three", 5 } };
        CHECK("writev sends 13 bytes", writev(wc, parts, 3) == 13, "errno %s", errname(errno));
        char x[6], y[16];
        struct iovec into[2] = { { x, sizeof x }, { y, sizeof y } };
        n = readv(server, into, 2);
        CHECK("as one datagram, which readv spreads", n == 13 && memcmp(x, "one-tw", 6) == 0 && memcmp(y, "o-three", 7) == 0, "n %zd", n);
        close(wc);
    }
    CHECK("sendto of 0 bytes", sendto(client, "", 0, 0, (struct sockaddr *)&sa, sizeof sa) == 0, "errno %s", errname(errno));
    n = recv(server, buf, sizeof buf, 0);
    CHECK("an empty datagram reads as 0", n == 0, "n %zd", n);
    CHECK_ERR("empty queue EAGAIN with MSG_DONTWAIT", recv(server, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    CHECK_ERR("send unconnected EDESTADDRREQ", send(client, "x", 1, 0), EDESTADDRREQ);
    static char big[65508];
    CHECK_ERR("65508 bytes EMSGSIZE", sendto(client, big, sizeof big, 0, (struct sockaddr *)&sa, sizeof sa), EMSGSIZE);
    CHECK("65507 bytes go", sendto(client, big, 65507, 0, (struct sockaddr *)&sa, sizeof sa) == 65507, "errno %s", errname(errno));
    n = recv(server, big, sizeof big, 0);
    CHECK("65507 bytes arrive", n == 65507, "n %zd", n);
    struct sockaddr_in zero = sa;
    zero.sin_port = 0;
    CHECK_ERR("sendto port 0 EINVAL", sendto(client, "x", 1, 0, (struct sockaddr *)&zero, sizeof zero), EINVAL);
    CHECK_ERR("sendto short address EINVAL", sendto(client, "x", 1, 0, (struct sockaddr *)&sa, 8), EINVAL);
    struct sockaddr_in bcast = addr(0x7FFFFFFF, 9); /* lo's broadcast address, 127.255.255.255 */
    CHECK_ERR("broadcast without SO_BROADCAST EACCES", sendto(client, "x", 1, 0, (struct sockaddr *)&bcast, sizeof bcast), EACCES);
    {
        int one = 1, b1 = udp(), b2 = udp(), b3 = udp();
        setsockopt(b1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(b2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(b3, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_in at = addr(INADDR_ANY, 0);
        bind(b1, (struct sockaddr *)&at, sizeof at);
        at = name_of(b1, 0, &len);
        bind(b2, (struct sockaddr *)&at, sizeof at);
        struct sockaddr_in lo = addr(INADDR_LOOPBACK, ntohs(at.sin_port));
        bind(b3, (struct sockaddr *)&lo, sizeof lo);
        setsockopt(client, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
        bcast.sin_port = at.sin_port;
        CHECK("SO_BROADCAST: sendto 127.255.255.255", sendto(client, "all", 3, 0, (struct sockaddr *)&bcast, sizeof bcast) == 3, "errno %s", errname(errno));
        ssize_t n1 = recv(b1, buf, sizeof buf, MSG_DONTWAIT), n2 = recv(b2, buf, sizeof buf, MSG_DONTWAIT);
        CHECK("every 0.0.0.0 socket on the port hears it", n1 == 3 && n2 == 3, "n %zd %zd", n1, n2);
        CHECK_ERR("a socket bound to 127.0.0.1 does not", recv(b3, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
        one = 0;
        setsockopt(client, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
        close(b1);
        close(b2);
        close(b3);
    }
    CHECK_ERR("bad buffer EFAULT", sendto(client, (void *)8, 4, 0, (struct sockaddr *)&sa, sizeof sa), EFAULT);
    struct sockaddr_in any = sa;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    sendto(client, "to-any", 6, 0, (struct sockaddr *)&any, sizeof any);
    n = recv(server, buf, sizeof buf, 0);
    CHECK("sendto 0.0.0.0 reaches 127.0.0.1", n == 6, "n %zd errno %s", n, errname(errno));
    close(client);
    close(server);
}

static void connected(void)
{
    struct sockaddr_in sa, ta;
    int server = bound(&sa), third = bound(&ta);
    timeout(server);
    int client = udp();
    timeout(client);
    CHECK_OK("connect", connect(client, (struct sockaddr *)&sa, sizeof sa));
    socklen_t len;
    struct sockaddr_in peer = name_of(client, 1, &len);
    CHECK("getpeername is the server", len == sizeof peer && peer.sin_port == sa.sin_port && peer.sin_addr.s_addr == sa.sin_addr.s_addr, "len %d", (int)len);
    struct sockaddr_in self = name_of(client, 0, &len);
    CHECK("connect binds to 127.0.0.1 on a port", self.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && self.sin_port != 0, "not bound");
    CHECK("send to the peer", send(client, "ping", 4, 0) == 4, "errno %s", errname(errno));
    CHECK("write to the peer", write(client, "pong", 4) == 4, "errno %s", errname(errno));
    char buf[16];
    ssize_t n = read(server, buf, sizeof buf);
    ssize_t n2 = read(server, buf + 4, sizeof buf - 4);
    CHECK("both arrive in order", n == 4 && n2 == 4 && memcmp(buf, "pingpong", 8) == 0, "n %zd %zd", n, n2);
    /* A connected socket hears only its peer: the stranger's datagram is dropped, the peer's next one arrives. */
    sendto(third, "stranger", 8, 0, (struct sockaddr *)&self, sizeof self);
    sendto(server, "reply", 5, 0, (struct sockaddr *)&self, sizeof self);
    n = recv(client, buf, sizeof buf, 0);
    CHECK("a connected socket ignores other senders", n == 5 && memcmp(buf, "reply", 5) == 0, "n %zd", n);
    CHECK_OK("sendto another address while connected", sendto(client, "x", 1, 0, (struct sockaddr *)&ta, sizeof ta));
    n = recv(third, buf, sizeof buf, 0);
    CHECK("it reaches that address", n == 1, "n %zd", n);
    struct sockaddr_in unspec;
    memset(&unspec, 0, sizeof unspec);
    unspec.sin_family = AF_UNSPEC;
    CHECK_OK("connect AF_UNSPEC disconnects", connect(client, (struct sockaddr *)&unspec, sizeof unspec));
    CHECK_ERR("then getpeername ENOTCONN", getpeername(client, (struct sockaddr *)&peer, &len), ENOTCONN);
    self = name_of(client, 0, &len);
    CHECK("an autobound socket loses its port on disconnect", self.sin_addr.s_addr == 0 && self.sin_port == 0, "still bound");
    CHECK_ERR("send after disconnect EDESTADDRREQ", send(client, "x", 1, 0), EDESTADDRREQ);
    close(client);

    /* A port nobody holds: ICMP port unreachable makes the next call on a connected socket ECONNREFUSED. */
    int gone = bound(&ta);
    close(gone);
    client = udp();
    timeout(client);
    connect(client, (struct sockaddr *)&ta, sizeof ta);
    CHECK("send to a closed port succeeds", send(client, "x", 1, 0) == 1, "errno %s", errname(errno));
    CHECK_ERR("the next recv ECONNREFUSED", recv(client, buf, sizeof buf, 0), ECONNREFUSED);
    CHECK_ERR("once: then EAGAIN", recv(client, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    send(client, "x", 1, 0);
    CHECK_ERR("the next send ECONNREFUSED", send(client, "x", 1, 0), ECONNREFUSED);
    send(client, "x", 1, 0);
    struct pollfd p = { client, POLLIN, 0 };
    int pr = poll(&p, 1, 2000);
    CHECK("poll reports POLLERR", pr == 1 && (p.revents & POLLERR), "poll %d revents %x", pr, p.revents);
    CHECK("SO_ERROR ECONNREFUSED, once", opt(client, SOL_SOCKET, SO_ERROR) == ECONNREFUSED && opt(client, SOL_SOCKET, SO_ERROR) == 0, "not so");
    close(client);
    client = udp();
    CHECK("unconnected: sendto a closed port succeeds", sendto(client, "x", 1, 0, (struct sockaddr *)&ta, sizeof ta) == 1, "errno %s", errname(errno));
    CHECK_ERR("and no error follows", recv(client, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    close(client);
    close(third);
    close(server);
}

static void readiness(void)
{
    struct sockaddr_in sa;
    int server = bound(&sa);
    int client = udp();
    struct pollfd p = { server, POLLIN | POLLOUT, 0 };
    CHECK("idle: POLLOUT only", poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "revents %x", p.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
    epoll_ctl(ep, EPOLL_CTL_ADD, server, &ev);
    struct epoll_event got;
    CHECK("epoll: nothing yet", epoll_wait(ep, &got, 1, 0) == 0, "ready");
    sendto(client, "x", 1, 0, (struct sockaddr *)&sa, sizeof sa);
    CHECK("epoll: EPOLLIN after a datagram", epoll_wait(ep, &got, 1, 2000) == 1 && got.data.u32 == 7 && (got.events & EPOLLIN), "not ready");
    p.revents = 0;
    CHECK("poll: POLLIN|POLLOUT", poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "revents %x", p.revents);
    char c;
    recv(server, &c, 1, 0);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(100);
        sendto(client, "late", 4, 0, (struct sockaddr *)&sa, sizeof sa);
        _exit(0);
    }
    int n = epoll_wait(ep, &got, 1, 5000);
    CHECK("epoll_wait blocks until a datagram arrives", n == 1 && (got.events & EPOLLIN), "n %d", n);
    waitpid(child, NULL, 0);
    char buf[8];
    recv(server, buf, sizeof buf, 0);
    CHECK_ERR("shutdown of an unconnected socket ENOTCONN (yet it takes effect)", shutdown(server, SHUT_RD), ENOTCONN);
    p.revents = 0;
    poll(&p, 1, 0);
    CHECK("after SHUT_RD: POLLIN|POLLRDHUP", (p.revents & POLLIN) != 0, "revents %x", p.revents);
    CHECK("a blocking recv after SHUT_RD returns 0", recv(server, buf, sizeof buf, 0) == 0, "errno %s", errname(errno));
    close(ep);
    close(client);
    close(server);
}

/* 8 client processes, each sending 50 numbered datagrams and waiting for each echo, against one epoll server. */
static void clients(void)
{
    struct sockaddr_in sa;
    int server = bound(&sa);
    enum { CLIENTS = 8, ROUNDS = 50 };
    pid_t kids[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            int fd = udp();
            timeout(fd);
            connect(fd, (struct sockaddr *)&sa, sizeof sa);
            for (int r = 0; r < ROUNDS; r++) {
                int msg[2] = { i, r }, echo[2] = { -1, -1 };
                if (send(fd, msg, sizeof msg, 0) != sizeof msg) _exit(2);
                if (recv(fd, echo, sizeof echo, 0) != sizeof echo || echo[0] != i || echo[1] != r) _exit(3);
            }
            _exit(0);
        }
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = server };
    epoll_ctl(ep, EPOLL_CTL_ADD, server, &ev);
    int served = 0, bad = 0;
    while (served < CLIENTS * ROUNDS) {
        struct epoll_event got;
        if (epoll_wait(ep, &got, 1, 5000) != 1) break;
        int msg[2];
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        while (recvfrom(server, msg, sizeof msg, MSG_DONTWAIT, (struct sockaddr *)&from, &len) == sizeof msg) {
            if (msg[0] < 0 || msg[0] >= CLIENTS) bad++;
            sendto(server, msg, sizeof msg, 0, (struct sockaddr *)&from, len);
            served++;
            len = sizeof from;
        }
    }
    int ok = 0;
    for (int i = 0; i < CLIENTS; i++) {
        int st;
        waitpid(kids[i], &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) ok++;
    }
    CHECK("8 clients x 50 echoes through one epoll server", ok == CLIENTS && served == CLIENTS * ROUNDS && bad == 0,
          "%d clients ok, %d served, %d bad", ok, served, bad);
    close(ep);
    close(server);
}

static const struct { const char *name; void (*run)(void); } sections[] = {
    { "creation", creation }, { "binding", binding }, { "datagrams", datagrams },
    { "connected", connected }, { "readiness", readiness }, { "clients", clients },
};

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (argc == 1 || strcmp(argv[1], sections[i].name) == 0) sections[i].run();
    return check_exit();
}
