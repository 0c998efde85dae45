/* tcpchurn: 300 short TCP connections over 127.0.0.1, each with its listener
 * closed right after accept (as a one-shot server does) — so the client's
 * data and FIN may be on their way to the listener when it closes — then 4
 * bytes, a half-close, and the accepted side reading them and end of file;
 * the client's own read must see end of file too once the server closes.
 * Every connection must deliver intact: none reset, none stalled (2 s
 * receive timeouts). */
#include "../check.h"
#include "inet.h"
#include <sys/time.h>

#define ROUNDS 300

static void timeouts(int fd)
{
    struct timeval tv = { 2, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

/* One connection: 0 when it went as it should, else the step that failed. */
static int round_trip(void)
{
    struct sockaddr_in a;
    int l = bound_socket(SOCK_STREAM, &a);
    if (l < 0 || listen(l, 4) != 0) return 1;
    int c = socket(AF_INET, SOCK_STREAM, 0);
    timeouts(c);
    if (connect(c, (struct sockaddr *)&a, sizeof a) != 0) return 2;
    int s = accept(l, NULL, NULL);
    close(l);
    if (s < 0) return 3;
    timeouts(s);
    int result = 0;
    char buf[16];
    if (send(c, "data", 4, 0) != 4 || shutdown(c, SHUT_WR) != 0) result = 4;
    else if (recv(s, buf, sizeof buf, MSG_WAITALL) != 4 || memcmp(buf, "data", 4) != 0) result = 5;
    else if (recv(s, buf, sizeof buf, 0) != 0) result = 6;
    close(s);
    if (result == 0 && recv(c, buf, sizeof buf, 0) != 0) result = 7;
    close(c);
    return result;
}

int main(void)
{
    static const char *steps[] = { "", "listen", "connect", "accept", "send and shutdown", "the data arrives",
                                   "end of file after it", "the client sees end of file" };
    int failed = 0, first = 0, at = -1;
    for (int i = 0; i < ROUNDS; i++) {
        int r = round_trip();
        if (r != 0 && failed++ == 0) {
            first = r;
            at = i;
        }
    }
    CHECK("tcpchurn: 300 connections, each listener closed right after accept, all deliver and end", failed == 0,
          "%d failed, the first (round %d) at: %s (%s)", failed, at, steps[first], errname(errno));
    return check_exit();
}
