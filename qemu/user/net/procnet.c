/* procnet: /proc/net/tcp and /proc/net/udp as proc(5) and Linux's
 * tcp4_seq_show and udp4_format_sock print them — the header lines exactly;
 * a listener, both ends of a connection and UDP sockets (bound, connected)
 * each on their own line with their addresses (127.0.0.1 as 0100007F), ports
 * in hex, state (0A listening, 01 established, 07 an unconnected UDP socket),
 * unread bytes in rx_queue, the uid and the inode fstat reports; a closed
 * socket's line gone; /proc/net/tcp6 present; /proc/net/route's and
 * /proc/net/arp's headers; ip_local_port_range;
 * /proc/net/snmp's Tcp and Udp groups (their names exactly, counters that
 * grow with a connection, a datagram and a send to a closed port). Ports are
 * ephemeral and never printed. Run natively and on the kernel; the lines must
 * match. */
#include "../check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>

static char text[65536];

static const char *slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    size_t n = 0;
    if (fd >= 0) {
        ssize_t r;
        while (n < sizeof text - 1 && (r = read(fd, text + n, sizeof text - 1 - n)) > 0) n += (size_t)r;
        close(fd);
    }
    text[n] = 0;
    return fd >= 0 ? text : NULL;
}

static int port_of(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    return ntohs(a.sin_port);
}

static unsigned long inode_of(int fd)
{
    struct stat st;
    fstat(fd, &st);
    return (unsigned long)st.st_ino;
}

struct row { unsigned laddr, lport, raddr, rport, st, tx, rx, uid; unsigned long inode; };

/* The row of `file` whose local port is `port` (and, if rport >= 0, remote port); 1 when found. */
static int find(const char *file, int port, int rport, struct row *out)
{
    if (!slurp(file)) return 0;
    char *line = strchr(text, '\n');
    while (line && *++line) {
        struct row r;
        unsigned tr, when, retr, timeout;
        if (sscanf(line, " %*d: %X:%X %X:%X %X %X:%X %X:%X %X %u %u %lu", &r.laddr, &r.lport, &r.raddr, &r.rport, &r.st,
                   &r.tx, &r.rx, &tr, &when, &retr, &r.uid, &timeout, &r.inode) == 13
            && (int)r.lport == port && (rport < 0 || (int)r.rport == rport)) {
            *out = r;
            return 1;
        }
        line = strchr(line, '\n');
    }
    return 0;
}

/* The values of /proc/net/snmp's group (e.g. "Tcp:") into v; the names line into names. */
static int snmp(const char *group, long long *v, int max, char *names, size_t room)
{
    if (!slurp("/proc/net/snmp")) return 0;
    size_t g = strlen(group);
    int n = 0, seen = 0;
    for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, group, g) != 0 || line[g] != ' ') continue;
        char *end = strchr(line, '\n');
        if (!seen++) {
            size_t len = end ? (size_t)(end - line) : strlen(line);
            if (len >= room) len = room - 1;
            memcpy(names, line, len);
            names[len] = 0;
            continue;
        }
        for (char *p = line + g; n < max && p && *p && *p != '\n';) {
            char *next;
            long long x = strtoll(p, &next, 10);
            if (next == p) break;
            v[n++] = x;
            p = next;
        }
        break;
    }
    return n;
}

static int first_line_is(const char *file, const char *header, size_t width)
{
    if (!slurp(file)) return 0;
    char *nl = strchr(text, '\n');
    if (!nl || (size_t)(nl - text) != width) return 0;
    return strncmp(text, header, strlen(header)) == 0;
}

int main(void)
{
    CHECK("/proc/net/tcp header", first_line_is("/proc/net/tcp",
          "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", 149), "first line differs");
    CHECK("/proc/net/udp header", first_line_is("/proc/net/udp",
          "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops", 127), "first line differs");
    CHECK("/proc/net/tcp6 exists", slurp("/proc/net/tcp6") != NULL, "missing");
    CHECK("/proc/net/route header", first_line_is("/proc/net/route",
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT", 127), "first line differs");
    CHECK("/proc/net/arp header", first_line_is("/proc/net/arp",
          "IP address       HW type     Flags       HW address            Mask     Device", 78), "first line differs");
    const char *range = slurp("/proc/sys/net/ipv4/ip_local_port_range");
    CHECK("ip_local_port_range", range && strcmp(range, "32768\t60999\n") == 0, "%s", range ? range : "missing");

    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 4);
    int lp = port_of(l);
    struct row r;
    int found = find("/proc/net/tcp", lp, 0, &r);
    CHECK("a listener's line", found && r.laddr == 0x0100007F && r.raddr == 0 && r.rport == 0 && r.st == 0x0A, "found %d st %X", found, found ? r.st : 0);
    CHECK("its inode is fstat's", found && r.inode == inode_of(l), "differs");
    CHECK("its uid", found && r.uid == (unsigned)geteuid(), "uid %u", found ? r.uid : 0);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_port = htons((uint16_t)lp);
    connect(c, (struct sockaddr *)&a, sizeof a);
    int s = accept(l, NULL, NULL);
    int cp = port_of(c);
    write(c, "hello", 5);
    struct pollfd pf = { s, POLLIN, 0 };
    poll(&pf, 1, 2000);
    found = find("/proc/net/tcp", lp, cp, &r);
    CHECK("the accepted end: established, to the client", found && r.st == 0x01 && r.laddr == 0x0100007F && r.raddr == 0x0100007F, "found %d st %X", found, found ? r.st : 0);
    CHECK("its rx_queue holds the 5 unread bytes", found && r.rx == 5, "rx %u", found ? r.rx : 0);
    CHECK("its inode is fstat's", found && r.inode == inode_of(s), "differs");
    found = find("/proc/net/tcp", cp, lp, &r);
    CHECK("the client end: established, to the listener's port", found && r.st == 0x01 && (int)r.rport == lp, "found %d", found);
    CHECK("the listener still listens", find("/proc/net/tcp", lp, 0, &r) && r.st == 0x0A, "not so");

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    bind(u, (struct sockaddr *)&(struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, sizeof a);
    int up = port_of(u);
    found = find("/proc/net/udp", up, -1, &r);
    CHECK("a bound UDP socket: st 07", found && r.st == 0x07 && r.laddr == 0x0100007F && r.raddr == 0, "found %d st %X", found, found ? r.st : 0);
    CHECK("its inode is fstat's", found && r.inode == inode_of(u), "differs");
    connect(u, (struct sockaddr *)&a, sizeof a);
    found = find("/proc/net/udp", up, -1, &r);
    CHECK("connected: st 01, the peer's port", found && r.st == 0x01 && (int)r.rport == lp, "found %d st %X", found, found ? r.st : 0);
    close(u);
    CHECK("a closed UDP socket's line is gone", !find("/proc/net/udp", up, -1, &r), "still listed");
    close(c);
    close(s);
    close(l);

    long long t0[16], t1[16], u0[16], u1[16];
    char tnames[512], unames[512];
    int nt = snmp("Tcp:", t0, 16, tnames, sizeof tnames), nu = snmp("Udp:", u0, 16, unames, sizeof unames);
    CHECK("/proc/net/snmp Tcp names", nt == 15 && strcmp(tnames, "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors") == 0,
          "%d values", nt);
    CHECK("/proc/net/snmp Udp names", nu == 9 && strcmp(unames, "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors") == 0,
          "%d values", nu);
    CHECK("Tcp: RtoAlgorithm 1, RtoMin 200, RtoMax 120000, MaxConn -1", t0[0] == 1 && t0[1] == 200 && t0[2] == 120000 && t0[3] == -1, "differs");
    int l2 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a2 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(l2, (struct sockaddr *)&a2, sizeof a2);
    listen(l2, 1);
    socklen_t alen = sizeof a2;
    getsockname(l2, (struct sockaddr *)&a2, &alen);
    int c2 = socket(AF_INET, SOCK_STREAM, 0);
    connect(c2, (struct sockaddr *)&a2, sizeof a2);
    int s2 = accept(l2, NULL, NULL);
    int u2 = socket(AF_INET, SOCK_DGRAM, 0), u3 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ua = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(u3, (struct sockaddr *)&ua, sizeof ua);
    alen = sizeof ua;
    getsockname(u3, (struct sockaddr *)&ua, &alen);
    sendto(u2, "x", 1, 0, (struct sockaddr *)&ua, sizeof ua);
    char ch;
    recv(u3, &ch, 1, 0);
    close(u3);
    sendto(u2, "x", 1, 0, (struct sockaddr *)&ua, sizeof ua); /* to a port nobody holds now */
    snmp("Tcp:", t1, 16, tnames, sizeof tnames);
    snmp("Udp:", u1, 16, unames, sizeof unames);
    CHECK("a connection counts an active and a passive open", t1[4] >= t0[4] + 1 && t1[5] >= t0[5] + 1, "active +%lld passive +%lld", t1[4] - t0[4], t1[5] - t0[5]);
    CHECK("and segments in and out", t1[9] >= t0[9] + 3 && t1[10] >= t0[10] + 3, "in +%lld out +%lld", t1[9] - t0[9], t1[10] - t0[10]);
    CHECK("CurrEstab counts it", t1[8] >= 2, "%lld", t1[8]);
    CHECK("a datagram counts in and out", u1[0] >= u0[0] + 1 && u1[3] >= u0[3] + 2, "in +%lld out +%lld", u1[0] - u0[0], u1[3] - u0[3]);
    CHECK("a datagram to a closed port counts NoPorts", u1[1] >= u0[1] + 1, "+%lld", u1[1] - u0[1]);
    close(u2);
    close(c2);
    close(s2);
    close(l2);
    return check_exit();
}
