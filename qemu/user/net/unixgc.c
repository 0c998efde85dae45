/* unixgc: descriptors in flight that nobody can receive any more are
 * collected, as Linux's unix_gc does. A pipe's write end travels with
 * SCM_RIGHTS in each case; whether its reader sees end of file tells whether
 * it was released:
 *   1. a socket sent over its own pair (it waits in its own queue), all closed;
 *   2. two pairs, each one's end waiting in the other's queue, all closed;
 *   3. the same, but one end still held: nothing may be dropped, and
 *      receiving through it brings the descriptors back. */
#include "../check.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

static int send_fds(int via, const int *fds, int n)
{
    char byte = 'x';
    struct iovec iov = { &byte, 1 };
    union { char buf[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } u;
    memset(&u, 0, sizeof u);
    struct msghdr m = { 0 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = u.buf;
    m.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
    return sendmsg(via, &m, 0) == 1 ? 0 : -1;
}

/* What the pipe's reader gets within about 3 s: 0 (end of file), 1 (still open: nothing yet), -1
 * error. Newer Linux kernels (6.10 on) collect from a work queue that a socket's release schedules
 * only at times, so while the pipe stays open another socket pair is made and closed, as a
 * program's ordinary work would, to give the collector its chance. */
static int reader_state(int r)
{
    for (int tries = 0; tries < 6; tries++) {
        struct pollfd p = { r, POLLIN, 0 };
        if (poll(&p, 1, 500) > 0) {
            char c;
            return read(r, &c, 1) == 0 ? 0 : -1;
        }
        int nudge[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, nudge) == 0) {
            close(nudge[0]);
            close(nudge[1]);
        }
    }
    return 1;
}

/* Two socket pairs s and t and a pipe p: t's far end goes into s's queue, and s's far end with
 * the pipe's write end into t's, so each pair is reachable only through the other. 0, or -1. */
static int cycle_of_two(int s[2], int t[2], int p[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, t) != 0 || pipe(p) != 0) return -1;
    int one[1] = { t[1] }, two[2] = { s[1], p[1] };
    return send_fds(s[0], one, 1) == 0 && send_fds(t[0], two, 2) == 0 ? 0 : -1;
}

int main(void)
{
    int s[2], t[2], p[2];

    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    pipe(p);
    int fds[2] = { s[1], p[1] };
    CHECK("a socket sent over its own pair with a pipe's write end", send_fds(s[0], fds, 2) == 0, "%s", errname(errno));
    close(s[1]);
    close(s[0]);
    close(p[1]);
    CHECK("once all are closed, the pipe reaches end of file", reader_state(p[0]) == 0, "the write end is still open");
    close(p[0]);

    CHECK("two pairs, each one's end sent into the other's queue", cycle_of_two(s, t, p) == 0, "%s", errname(errno));
    close(s[0]);
    close(s[1]);
    close(t[0]);
    close(t[1]);
    close(p[1]);
    CHECK("a cycle of two: the pipe reaches end of file", reader_state(p[0]) == 0, "the write end is still open");
    close(p[0]);

    cycle_of_two(s, t, p);
    close(s[0]);
    close(s[1]);
    close(t[0]);
    close(p[1]);
    int kept = t[1]; /* still held: its queue, and what it holds, stay */
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char c;
    CHECK("with one end still held, nothing is dropped", reader_state(p[0]) == 1 && read(p[0], &c, 1) == -1 && errno == EAGAIN, "the pipe closed");
    char byte;
    struct iovec iov = { &byte, 1 };
    union { char buf[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr m = { 0 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = u.buf;
    m.msg_controllen = sizeof u.buf;
    int got = (int)recvmsg(kept, &m, 0);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    int n = cm && cm->cmsg_type == SCM_RIGHTS ? (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
    CHECK("receiving through it brings the two descriptors back", got == 1 && n == 2, "recvmsg %d, %d descriptors", got, n);
    if (n == 2) {
        int back[2];
        memcpy(back, CMSG_DATA(cm), sizeof back);
        CHECK("and the pipe's write end works", write(back[1], "y", 1) == 1 && read(p[0], &c, 1) == 1 && c == 'y', "%s", errname(errno));
        close(back[0]);
        close(back[1]);
    }
    close(kept);
    CHECK("closing them all, the pipe reaches end of file", reader_state(p[0]) == 0, "the write end is still open");
    return check_exit();
}
