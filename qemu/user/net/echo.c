/* echo: one epoll server, eight client processes spread over the CPUs. The
 * server takes TCP connections and UDP datagrams on one port through one
 * epoll set (non-blocking sockets, level-triggered): it echoes every byte and
 * every datagram back. Each client (CPU i % N by sched_setaffinity) sends
 * 64 KiB of its own pattern over TCP in 4 KiB steps, reading each step's echo
 * before the next, then 20 UDP datagrams and one of 3000 bytes (fragmented
 * on an Ethernet wire, put back together at each end), each resent until its
 * echo comes (a datagram may be lost on a real wire).
 *   echo                       both sides over 127.0.0.1 (the server is a child)
 *   echo server PORT           serve until 8 TCP clients have finished and a
 *                              "bye" datagram came
 *   echo clients ADDR PORT     run the 8 clients against ADDR:PORT (connects
 *                              retried while refused or unreachable, 60 s),
 *                              then send "bye" until it is answered */
#include "../check.h"
#include "inet.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/wait.h>

#define CLIENTS 8
#define TCP_BYTES 65536
#define STEP 4096
#define UDP_ROUNDS 20
#define BIG 3000

static uint8_t pattern(int client, long i) { return (uint8_t)(client * 37 + i * 13 + (i >> 8)); }


/* Writes all of buf to a non-blocking socket, waiting with poll when it is full. */
static int write_all(int fd, const uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EAGAIN) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            poll(&p, 1, 1000);
            continue;
        }
        if (w <= 0) return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

struct server_result { int served, udp, bye, error; };

/* The epoll loop: until `clients` TCP connections have come and gone and "bye" came over UDP. */
static struct server_result serve(int listener, int udp, int clients)
{
    struct server_result r = { 0, 0, 0, 0 };
    int ep = epoll_create1(EPOLL_CLOEXEC);
    fcntl(listener, F_SETFL, O_NONBLOCK);
    fcntl(udp, F_SETFL, O_NONBLOCK);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = listener };
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    ev.data.fd = udp;
    epoll_ctl(ep, EPOLL_CTL_ADD, udp, &ev);
    static uint8_t buf[STEP * 4];
    while (r.served < clients || !r.bye) {
        struct epoll_event got[16];
        int n = epoll_wait(ep, got, 16, 60000);
        if (n <= 0) { r.error = n == 0 ? ETIMEDOUT : errno; break; }
        for (int i = 0; i < n; i++) {
            int fd = got[i].data.fd;
            if (fd == listener) {
                int c = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (c < 0) continue;
                struct epoll_event cev = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = c };
                epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
            } else if (fd == udp) {
                struct sockaddr_in from;
                socklen_t len = sizeof from;
                ssize_t m = recvfrom(udp, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
                if (m < 0) continue;
                if (m == 3 && memcmp(buf, "bye", 3) == 0) {
                    r.bye = 1;
                    sendto(udp, "bye-ok", 6, 0, (struct sockaddr *)&from, len);
                } else {
                    r.udp++;
                    sendto(udp, buf, (size_t)m, 0, (struct sockaddr *)&from, len);
                }
            } else {
                ssize_t m = recv(fd, buf, sizeof buf, 0);
                if (m < 0 && errno == EAGAIN) continue;
                if (m > 0 && write_all(fd, buf, (size_t)m) == 0) continue;
                epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                close(fd);
                if (m == 0) r.served++;
                else r.error = errno;
            }
        }
    }
    close(ep);
    return r;
}


/* One client process: 0 when every byte and datagram came back intact; else which step failed. */
static int client(int id, struct sockaddr_in to)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(id % get_nprocs(), &one);
    sched_setaffinity(0, sizeof one, &one);
    int fd = connect_retrying(to);
    if (fd < 0) return 1;
    static uint8_t out[STEP], in[STEP];
    for (long at = 0; at < TCP_BYTES; at += STEP) {
        for (int i = 0; i < STEP; i++) out[i] = pattern(id, at + i);
        if (write_all(fd, out, STEP) != 0) return 2;
        for (size_t have = 0; have < STEP;) {
            ssize_t r = read(fd, in + have, STEP - have);
            if (r <= 0) return 3;
            have += (size_t)r;
        }
        if (memcmp(in, out, STEP) != 0) return 4;
    }
    close(fd);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct timeval wait = { 0, 300000 };
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    for (int round = 0; round < UDP_ROUNDS; round++) {
        char msg[32], back[64];
        int len = snprintf(msg, sizeof msg, "client %d round %d", id, round);
        int ok = 0;
        for (int tries = 0; tries < 50 && !ok; tries++) {
            sendto(u, msg, (size_t)len, 0, (struct sockaddr *)&to, sizeof to);
            ssize_t r;
            /* An echo of an earlier round's resend may come first: skip it. */
            while ((r = recv(u, back, sizeof back, 0)) > 0)
                if (r == len && memcmp(back, msg, (size_t)len) == 0) { ok = 1; break; }
        }
        if (!ok) return 5;
    }
    static char big[BIG], bigBack[BIG + 1];
    for (int i = 0; i < BIG; i++) big[i] = (char)pattern(id, i);
    int ok = 0;
    for (int tries = 0; tries < 50 && !ok; tries++) {
        sendto(u, big, BIG, 0, (struct sockaddr *)&to, sizeof to);
        ssize_t r;
        while ((r = recv(u, bigBack, sizeof bigBack, 0)) > 0)
            if (r == BIG && memcmp(bigBack, big, BIG) == 0) { ok = 1; break; }
    }
    close(u);
    return ok ? 0 : 6;
}

static const char *failure(int code)
{
    static const char *what[] = { "none", "connect failed", "a TCP write failed", "the TCP echo was cut short",
                                  "the TCP echo differs", "a UDP datagram never came back", "the 3000-byte datagram never came back" };
    return code >= 0 && code <= 6 ? what[code] : "the client was killed";
}

static void run_clients(struct sockaddr_in to)
{
    pid_t pids[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        pids[i] = fork();
        if (pids[i] == 0) _exit(client(i, to));
    }
    int bad = 0, first = 0;
    for (int i = 0; i < CLIENTS; i++) {
        int status = -1;
        waitpid(pids[i], &status, 0);
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 99;
        if (code != 0 && bad++ == 0) first = code;
    }
    CHECK("echo: 8 clients on the CPUs got their 64 KiB and 21 datagrams back through one epoll server", bad == 0,
          "%d client(s) failed, the first: %s", bad, failure(first));
}

static void say_bye(struct sockaddr_in to)
{
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct timeval wait = { 0, 300000 };
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    int ok = 0;
    char back[16];
    for (int tries = 0; tries < 100 && !ok; tries++) {
        sendto(u, "bye", 3, 0, (struct sockaddr *)&to, sizeof to);
        ssize_t r;
        while ((r = recv(u, back, sizeof back, 0)) > 0)
            if (r == 6 && memcmp(back, "bye-ok", 6) == 0) { ok = 1; break; }
    }
    CHECK("echo: the server answered bye", ok, "no answer");
    close(u);
}

static int bound(int type, uint32_t host, int port)
{
    int fd = socket(AF_INET, type, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = addr(host, (uint16_t)port);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) return -1;
    return fd;
}

static void report(struct server_result r)
{
    CHECK("echo: the server saw 8 TCP clients come and go", r.served == CLIENTS && r.error == 0,
          "%d served, error %s", r.served, errname(r.error));
    CHECK("echo: the server echoed every client's datagrams", r.udp >= CLIENTS * UDP_ROUNDS, "%d echoed", r.udp);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "server") == 0) {
        int port = atoi(argv[2]);
        int l = bound(SOCK_STREAM, INADDR_ANY, port), u = bound(SOCK_DGRAM, INADDR_ANY, port);
        CHECK("echo: listen on TCP and UDP", l >= 0 && u >= 0 && listen(l, CLIENTS) == 0, "%s", errname(errno));
        if (l < 0 || u < 0) return check_exit();
        report(serve(l, u, CLIENTS));
        return check_exit();
    }
    if (argc >= 4 && strcmp(argv[1], "clients") == 0) {
        struct sockaddr_in to = addr(0, (uint16_t)atoi(argv[3]));
        CHECK("echo: the server address is IPv4", inet_pton(AF_INET, argv[2], &to.sin_addr) == 1, "%s", argv[2]);
        run_clients(to);
        say_bye(to);
        return check_exit();
    }
    /* Both sides here: the server is a child on an ephemeral port of 127.0.0.1, its verdict its status. */
    int l = bound(SOCK_STREAM, INADDR_LOOPBACK, 0);
    socklen_t len;
    struct sockaddr_in a = name_of(l, 0, &len);
    int u = bound(SOCK_DGRAM, INADDR_LOOPBACK, ntohs(a.sin_port));
    CHECK("echo: listen on TCP and UDP at 127.0.0.1", l >= 0 && u >= 0 && listen(l, CLIENTS) == 0, "%s", errname(errno));
    pid_t server = fork();
    if (server == 0) {
        struct server_result r = serve(l, u, CLIENTS);
        _exit(r.served == CLIENTS && r.error == 0 && r.udp >= CLIENTS * UDP_ROUNDS ? 0 : 1);
    }
    close(l);
    close(u);
    run_clients(a);
    say_bye(a);
    int status = -1;
    waitpid(server, &status, 0);
    CHECK("echo: the server saw every client and datagram", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    return check_exit();
}
