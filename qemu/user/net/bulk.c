/* bulk: a TCP bulk transfer whose every byte is checked — the sender writes
 * a known pseudo-random stream (xorshift32) in 64 KiB writes; the receiver
 * reads exactly that many bytes, checks each against the same stream, keeps
 * an FNV-1a checksum and sends it back, which the sender compares with its
 * own. Nobody half-closes before the checksum is back: QEMU's guestfwd closes
 * its whole connection on the guest's FIN.
 *   bulk                          both ends over 127.0.0.1 (a child receives)
 *   bulk server PORT [BYTES]      receive one connection's stream on PORT
 *   bulk serve PORT [BYTES]       send the stream to one connection on PORT
 *   bulk client ADDR PORT [BYTES] send to ADDR:PORT (retried while refused or
 *                                 unreachable, up to 60 s: the server may boot later)
 *   bulk fetch ADDR PORT [BYTES]  receive from ADDR:PORT (connecting as client does)
 * A client whose connection is reset or cut before the checksum comes back
 * starts over on a new one, within the same 60 s (a port forwarder may accept
 * before the server listens, then drop the connection).
 * BYTES defaults to 10 MiB. The client and fetch print the transfer's time on stderr
 * ("bulk: N bytes in T ms"), which is a figure, not a check. */
#include "../check.h"
#include "inet.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#define CHUNK 65536

struct stream { uint32_t state; };

static uint8_t next_byte(struct stream *s)
{
    s->state ^= s->state << 13;
    s->state ^= s->state >> 17;
    s->state ^= s->state << 5;
    return (uint8_t)s->state;
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static const uint64_t fnv_start = 0xcbf29ce484222325ULL;

/* Receives the stream on fd and answers its checksum: 0 when BYTES arrived and every
 * byte matched the stream; 1 on a short stream, 2 on a wrong byte, 3 on an error. */
static int receive(int fd, long bytes, uint64_t *sum)
{
    if (fd < 0) return 3;
    static uint8_t buf[CHUNK];
    struct stream s = { 2463534242u };
    uint64_t h = fnv_start;
    long got = 0;
    int result = 0;
    while (got < bytes) {
        ssize_t n = read(fd, buf, bytes - got < (long)sizeof buf ? (size_t)(bytes - got) : sizeof buf);
        if (n < 0) { result = 3; break; }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != next_byte(&s) && result == 0) result = 2;
        h = fnv(h, buf, (size_t)n);
        got += n;
    }
    if (result == 0 && got != bytes) result = 1;
    *sum = h;
    if (write(fd, &h, sizeof h) != (ssize_t)sizeof h && result == 0) result = 3;
    return result;
}



/* Sends BYTES of the stream; the receiver's checksum in *theirs. */
static int send_stream(int fd, long bytes, uint64_t *ours, uint64_t *theirs)
{
    static uint8_t buf[CHUNK];
    struct stream s = { 2463534242u };
    uint64_t h = fnv_start;
    long sent = 0;
    while (sent < bytes) {
        size_t n = bytes - sent < CHUNK ? (size_t)(bytes - sent) : CHUNK;
        for (size_t i = 0; i < n; i++) buf[i] = next_byte(&s);
        h = fnv(h, buf, n);
        for (size_t off = 0; off < n;) {
            ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);
            if (w <= 0) return -1;
            off += (size_t)w;
        }
        sent += (long)n;
    }
    *ours = h;
    size_t have = 0;
    while (have < sizeof *theirs) {
        ssize_t r = read(fd, (uint8_t *)theirs + have, sizeof *theirs - have);
        if (r == 0) errno = ECONNRESET;
        if (r <= 0) return -1;
        have += (size_t)r;
    }
    return 0;
}

static int listening(uint32_t host, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = addr(host, (uint16_t)port);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0) return -1;
    return fd;
}

static const char *verdict(int r)
{
    return r == 0 ? "every byte in order" : r == 1 ? "a short stream" : r == 2 ? "a wrong byte" : "an error";
}

static void client(const char *address, int port, long bytes)
{
    struct sockaddr_in to = addr(0, (uint16_t)port);
    CHECK("bulk: the server address is IPv4", inet_pton(AF_INET, address, &to.sin_addr) == 1, "%s", address);
    long give_up = now_ms() + 60000, start = 0;
    uint64_t ours = 0, theirs = 1;
    int fd = -1, sent = -1;
    while (fd < 0 || (sent != 0 && now_ms() < give_up)) {
        if (fd >= 0) {
            close(fd);
            usleep(200000);
        }
        fd = connect_retrying(to);
        if (fd < 0) break;
        start = now_ms();
        errno = 0;
        sent = send_stream(fd, bytes, &ours, &theirs);
    }
    CHECK("bulk: connect to the server", fd >= 0, "%s", errname(errno));
    if (fd < 0) return;
    CHECK("bulk: send the stream and read the server's checksum", sent == 0, "%s", errname(errno));
    long ms = now_ms() - start;
    CHECK("bulk: the server's checksum matches the bytes sent", ours == theirs, "%016llx != %016llx", (unsigned long long)theirs, (unsigned long long)ours);
    fprintf(stderr, "bulk: %ld bytes in %ld ms\n", bytes, ms);
    close(fd);
}

static void server(int port, long bytes, int sends)
{
    int listener = listening(INADDR_ANY, port);
    CHECK("bulk: listen", listener >= 0, "port %d: %s", port, errname(errno));
    if (listener < 0) return;
    int fd = accept(listener, NULL, NULL);
    if (sends) {
        uint64_t ours = 0, theirs = 1;
        CHECK("bulk: send the stream and read the client's checksum", fd >= 0 && send_stream(fd, bytes, &ours, &theirs) == 0, "%s", errname(errno));
        CHECK("bulk: the client's checksum matches the bytes sent", ours == theirs, "%016llx != %016llx", (unsigned long long)theirs, (unsigned long long)ours);
    } else {
        uint64_t sum = 0;
        int r = receive(fd, bytes, &sum);
        CHECK("bulk: receive the stream, every byte in order", r == 0, "%s", verdict(r));
    }
    if (fd >= 0) close(fd);
    close(listener);
}

static void fetch(const char *address, int port, long bytes)
{
    struct sockaddr_in from = addr(0, (uint16_t)port);
    CHECK("bulk: the server address is IPv4", inet_pton(AF_INET, address, &from.sin_addr) == 1, "%s", address);
    int fd = connect_retrying(from);
    CHECK("bulk: connect to the server", fd >= 0, "%s", errname(errno));
    if (fd < 0) return;
    long start = now_ms();
    uint64_t sum = 0;
    int r = receive(fd, bytes, &sum);
    long ms = now_ms() - start;
    CHECK("bulk: receive the stream, every byte in order", r == 0, "%s", verdict(r));
    fprintf(stderr, "bulk: %ld bytes in %ld ms\n", bytes, ms);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && (strcmp(argv[1], "server") == 0 || strcmp(argv[1], "serve") == 0)) {
        server(atoi(argv[2]), argc > 3 ? atol(argv[3]) : 10L << 20, strcmp(argv[1], "serve") == 0);
        return check_exit();
    }
    if (argc >= 4 && strcmp(argv[1], "fetch") == 0) {
        fetch(argv[2], atoi(argv[3]), argc > 4 ? atol(argv[4]) : 10L << 20);
        return check_exit();
    }
    if (argc >= 4 && strcmp(argv[1], "client") == 0) {
        client(argv[2], atoi(argv[3]), argc > 4 ? atol(argv[4]) : 10L << 20);
        return check_exit();
    }
    /* Both ends here: the child receives on an ephemeral port of 127.0.0.1 and says how it went by its status. */
    long bytes = 10L << 20;
    int listener = listening(INADDR_LOOPBACK, 0);
    CHECK("bulk: listen on 127.0.0.1", listener >= 0, "%s", errname(errno));
    if (listener < 0) return 1;
    socklen_t len;
    struct sockaddr_in a = name_of(listener, 0, &len);
    pid_t child = fork();
    if (child == 0) {
        uint64_t sum;
        int fd = accept(listener, NULL, NULL);
        _exit(receive(fd, bytes, &sum));
    }
    close(listener);
    int fd = connect_retrying(a);
    CHECK("bulk: connect to 127.0.0.1", fd >= 0, "%s", errname(errno));
    uint64_t ours = 0, theirs = 1;
    CHECK("bulk: send 10 MiB over lo and read the receiver's checksum", fd >= 0 && send_stream(fd, bytes, &ours, &theirs) == 0, "%s", errname(errno));
    CHECK("bulk: the receiver's checksum matches the bytes sent", ours == theirs, "%016llx != %016llx", (unsigned long long)theirs, (unsigned long long)ours);
    close(fd);
    int status = -1;
    waitpid(child, &status, 0);
    CHECK("bulk: the receiver found every byte in order", WIFEXITED(status) && WEXITSTATUS(status) == 0, "it found %s",
          WIFEXITED(status) ? verdict(WEXITSTATUS(status)) : "itself killed");
    return check_exit();
}
