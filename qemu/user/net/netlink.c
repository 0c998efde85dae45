/* netlink: AF_NETLINK NETLINK_ROUTE sockets as netlink(7) and rtnetlink(7)
 * describe them — socket(2)'s errors for other protocols and types; bind
 * with port id 0 autobinding to the pid; an RTM_GETLINK dump listing lo
 * (index 1, IFLA_IFNAME "lo", IFLA_MTU 65536) with NLM_F_MULTI and ending in
 * NLMSG_DONE; RTM_GETLINK of one index; ENODEV for an unknown index and
 * EOPNOTSUPP for an unknown type as NLMSG_ERROR replies; an NLM_F_ACK
 * request acknowledged with error 0; RTM_GETADDR's 127.0.0.1/8 on lo;
 * MSG_PEEK|MSG_TRUNC sizing a reply; EAGAIN when nothing is queued; the
 * sender's address is the kernel's (port 0). Run natively and on the
 * kernel; the lines must match. */
#include "../check.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

/* musl-gcc sees no kernel headers: the uapi definitions this test needs
 * (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h). */
#define NETLINK_ROUTE 0
struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; uint32_t nl_pid; uint32_t nl_groups; };
struct nlmsghdr { uint32_t nlmsg_len; uint16_t nlmsg_type; uint16_t nlmsg_flags; uint32_t nlmsg_seq; uint32_t nlmsg_pid; };
struct nlmsgerr { int error; struct nlmsghdr msg; };
struct rtattr { unsigned short rta_len; unsigned short rta_type; };
struct ifinfomsg { unsigned char ifi_family, __ifi_pad; unsigned short ifi_type; int ifi_index; unsigned ifi_flags, ifi_change; };
struct ifaddrmsg { uint8_t ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; uint32_t ifa_index; };
enum { NLMSG_ERROR = 2, NLMSG_DONE = 3, RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_GETADDR = 22 };
enum { NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_DUMP = 0x300 };
enum { IFLA_IFNAME = 3, IFLA_MTU = 4, IFA_LOCAL = 2 };
#define NLMSG_ALIGN(len) (((len) + 3U) & ~3U)
#define NLMSG_HDRLEN ((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_DATA(h) ((void *)((char *)(h) + NLMSG_HDRLEN))
#define NLMSG_OK(h, len) ((len) >= (int)sizeof(struct nlmsghdr) && (h)->nlmsg_len >= sizeof(struct nlmsghdr) && (int)(h)->nlmsg_len <= (len))
#define NLMSG_NEXT(h, len) ((len) -= (int)NLMSG_ALIGN((h)->nlmsg_len), (struct nlmsghdr *)((char *)(h) + NLMSG_ALIGN((h)->nlmsg_len)))
#define RTA_ALIGN(len) (((len) + 3U) & ~3U)
#define RTA_OK(a, len) ((len) >= (int)sizeof(struct rtattr) && (a)->rta_len >= sizeof(struct rtattr) && (a)->rta_len <= (len))
#define RTA_NEXT(a, len) ((len) -= (int)RTA_ALIGN((a)->rta_len), (struct rtattr *)((char *)(a) + RTA_ALIGN((a)->rta_len)))
#define RTA_DATA(a) ((void *)((char *)(a) + RTA_ALIGN(sizeof(struct rtattr))))
#define IFLA_RTA(i) ((struct rtattr *)((char *)(i) + NLMSG_ALIGN(sizeof(struct ifinfomsg))))
#define IFLA_PAYLOAD(h) ((int)(h)->nlmsg_len - NLMSG_HDRLEN - (int)NLMSG_ALIGN(sizeof(struct ifinfomsg)))
#define IFA_RTA(a) ((struct rtattr *)((char *)(a) + NLMSG_ALIGN(sizeof(struct ifaddrmsg))))
#define IFA_PAYLOAD(h) ((int)(h)->nlmsg_len - NLMSG_HDRLEN - (int)NLMSG_ALIGN(sizeof(struct ifaddrmsg)))

static char buf[65536];

static int request(int fd, int type, int flags, unsigned seq, int index)
{
    struct { struct nlmsghdr h; struct ifinfomsg i; } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = (unsigned short)type;
    req.h.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
    req.h.nlmsg_seq = seq;
    req.i.ifi_family = AF_UNSPEC;
    req.i.ifi_index = index;
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    return (int)sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel);
}

/* The error code of the first NLMSG_ERROR in a reply of n bytes (1 when there is none). */
static int first_error(int n)
{
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
        if (h->nlmsg_type == NLMSG_ERROR) return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
    return 1;
}

int main(void)
{
    CHECK_ERR("an unknown netlink protocol EPROTONOSUPPORT", socket(AF_NETLINK, SOCK_RAW, 99), EPROTONOSUPPORT);
    CHECK_ERR("SOCK_STREAM netlink ESOCKTNOSUPPORT", socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE), ESOCKTNOSUPPORT);
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    CHECK("socket AF_NETLINK NETLINK_ROUTE", fd >= 0, "errno %s", errname(errno));
    struct sockaddr_nl me = { .nl_family = AF_NETLINK };
    CHECK_OK("bind with port id 0", bind(fd, (struct sockaddr *)&me, sizeof me));
    socklen_t len = sizeof me;
    getsockname(fd, (struct sockaddr *)&me, &len);
    CHECK("autobound to the pid", len == sizeof me && me.nl_family == AF_NETLINK && me.nl_pid == (unsigned)getpid(), "len %d", (int)len);
    CHECK_ERR("nothing queued: EAGAIN", recv(fd, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);

    CHECK("RTM_GETLINK dump sent", request(fd, RTM_GETLINK, NLM_F_DUMP, 1, 0) > 0, "errno %s", errname(errno));
    int want = (int)recv(fd, buf, 1, MSG_PEEK | MSG_TRUNC);
    struct sockaddr_nl from;
    len = sizeof from;
    int n = (int)recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    CHECK("MSG_PEEK|MSG_TRUNC gives the reply's length", want > 0 && want <= n, "peek %d read %d", want, n);
    CHECK("the reply comes from the kernel (port 0)", len == sizeof from && from.nl_family == AF_NETLINK && from.nl_pid == 0, "pid %u", from.nl_pid);
    int lo = 0, done = 0, multi = 1, mtu = 0, seq_ok = 1;
    /* A dump comes in as many reads as it takes (a host with many interfaces needs several). */
    for (int reads = 0; !done && reads < 64; reads++) {
        if (reads > 0) n = (int)recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != 1 || h->nlmsg_pid != me.nl_pid) seq_ok = 0;
            if (h->nlmsg_type == NLMSG_DONE) { done = 1; break; }
            if (!(h->nlmsg_flags & NLM_F_MULTI)) multi = 0;
            if (h->nlmsg_type != RTM_NEWLINK) continue;
            struct ifinfomsg *i = NLMSG_DATA(h);
            int rest = IFLA_PAYLOAD(h);
            for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, rest); a = RTA_NEXT(a, rest)) {
                if (a->rta_type == IFLA_IFNAME && strcmp(RTA_DATA(a), "lo") == 0 && i->ifi_index == 1 && (i->ifi_flags & IFF_LOOPBACK)) lo = 1;
                if (a->rta_type == IFLA_MTU && i->ifi_index == 1) mtu = *(int *)RTA_DATA(a);
            }
        }
    }
    CHECK("the dump lists lo at index 1, LOOPBACK", lo, "not listed");
    CHECK("lo's IFLA_MTU 65536", mtu == 65536, "%d", mtu);
    CHECK("every message NLM_F_MULTI, our seq and port id", multi && seq_ok, "multi %d seq %d", multi, seq_ok);
    CHECK("the dump ends with NLMSG_DONE", done, "no NLMSG_DONE");

    request(fd, RTM_GETLINK, 0, 2, 1);
    n = (int)recv(fd, buf, sizeof buf, 0);
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    CHECK("RTM_GETLINK of index 1: one RTM_NEWLINK", n > 0 && h->nlmsg_type == RTM_NEWLINK && !(h->nlmsg_flags & NLM_F_MULTI)
          && ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index == 1, "type %d", n > 0 ? h->nlmsg_type : -1);
    request(fd, RTM_GETLINK, 0, 3, 9999);
    n = (int)recv(fd, buf, sizeof buf, 0);
    CHECK("RTM_GETLINK of an unknown index: NLMSG_ERROR -ENODEV", first_error(n) == -ENODEV, "%d", first_error(n));
    request(fd, 200, 0, 4, 0);
    n = (int)recv(fd, buf, sizeof buf, 0);
    CHECK("an unknown type: NLMSG_ERROR -EOPNOTSUPP", first_error(n) == -EOPNOTSUPP, "%d", first_error(n));
    request(fd, RTM_GETLINK, NLM_F_ACK, 5, 1);
    n = (int)recv(fd, buf, sizeof buf, 0);
    int acked = first_error(n);
    if (acked == 1) { n = (int)recv(fd, buf, sizeof buf, 0); acked = first_error(n); }
    CHECK("NLM_F_ACK: acknowledged with error 0", acked == 0, "%d", acked);

    struct { struct nlmsghdr h; struct ifaddrmsg a; } areq;
    memset(&areq, 0, sizeof areq);
    areq.h.nlmsg_len = sizeof areq;
    areq.h.nlmsg_type = RTM_GETADDR;
    areq.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    areq.h.nlmsg_seq = 6;
    areq.a.ifa_family = AF_INET;
    send(fd, &areq, sizeof areq, 0);
    int found = 0, adone = 0;
    for (int reads = 0; !adone && reads < 64; reads++) {
        n = (int)recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) { adone = 1; break; }
            if (h->nlmsg_type != RTM_NEWADDR) continue;
            struct ifaddrmsg *a = NLMSG_DATA(h);
            int rest = IFA_PAYLOAD(h);
            for (struct rtattr *r = IFA_RTA(a); RTA_OK(r, rest); r = RTA_NEXT(r, rest))
                if (r->rta_type == IFA_LOCAL && *(uint32_t *)RTA_DATA(r) == htonl(INADDR_LOOPBACK) && a->ifa_prefixlen == 8 && a->ifa_index == 1) found = 1;
        }
    }
    CHECK("RTM_GETADDR: 127.0.0.1/8 on lo", found, "not listed");
    close(fd);
    return check_exit();
}
