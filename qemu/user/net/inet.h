/* inet.h: what the AF_INET test programs (udp.c, tcp.c) share — a
 * sockaddr_in for an address and port, a socket of a type bound to
 * 127.0.0.1 on an ephemeral port, a socket's own or peer name, and an int
 * socket option (or -errno * 1000 when getsockopt fails). */
#ifndef KEVLAR_INET_H
#define KEVLAR_INET_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
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

#endif
