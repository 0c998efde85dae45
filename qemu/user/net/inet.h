/* inet.h: what the AF_INET test programs share — a sockaddr_in for an
 * address and port, a socket of a type bound to 127.0.0.1 on an ephemeral
 * port, a socket's own or peer name, an int socket option (or -errno * 1000
 * when getsockopt fails), and a TCP connect retried while the other side is
 * not up yet (another machine may boot later). */
#ifndef KEVLAR_INET_H
#define KEVLAR_INET_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

__attribute__((unused)) static struct sockaddr_in addr(uint32_t host, uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(host);
    a.sin_port = htons(port);
    return a;
}

__attribute__((unused)) static struct sockaddr_in name_of(int fd, int peer, socklen_t *len)
{
    struct sockaddr_in a;
    memset(&a, 0xAB, sizeof a);
    *len = sizeof a;
    if (peer) getpeername(fd, (struct sockaddr *)&a, len);
    else getsockname(fd, (struct sockaddr *)&a, len);
    return a;
}

/* A socket of TYPE bound to 127.0.0.1 on an ephemeral port (-1 when that fails); its name in *a. */
__attribute__((unused)) static int bound_socket(int type, struct sockaddr_in *a)
{
    int fd = socket(AF_INET, type, 0);
    struct sockaddr_in lo = addr(INADDR_LOOPBACK, 0);
    if (bind(fd, (struct sockaddr *)&lo, sizeof lo) != 0) return -1;
    socklen_t len;
    *a = name_of(fd, 0, &len);
    return fd;
}

__attribute__((unused)) static int opt(int fd, int level, int name)
{
    int v = -12345;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) != 0) return -errno * 1000;
    return v;
}

/* CLOCK_MONOTONIC in milliseconds. */
__attribute__((unused)) static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

/* A TCP socket connected to `to`, retried every 200 ms for up to 60 s while the
 * connection is refused or the path is not up; -1 with errno set otherwise. */
__attribute__((unused)) static int connect_retrying(struct sockaddr_in to)
{
    long give_up = now_ms() + 60000;
    for (;;) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&to, sizeof to) == 0) return fd;
        int e = errno;
        close(fd);
        if ((e != ECONNREFUSED && e != EHOSTUNREACH && e != ETIMEDOUT && e != ENETUNREACH) || now_ms() > give_up) {
            errno = e;
            return -1;
        }
        usleep(200000);
    }
}

#endif
