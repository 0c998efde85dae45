/* ifaces: the loopback interface through netdevice(7)'s ioctls and
 * /proc/net/dev — SIOCGIFCONF (the length asked with a null buffer, then lo
 * with 127.0.0.1), SIOCGIFFLAGS (UP|LOOPBACK|RUNNING), SIOCGIFADDR,
 * SIOCGIFNETMASK (255.0.0.0), SIOCGIFMTU (65536), SIOCGIFINDEX and
 * SIOCGIFNAME (1, "lo"), SIOCGIFHWADDR (ARPHRD_LOOPBACK, zeros),
 * SIOCGIFTXQLEN; ENODEV for an unknown name, ENOTTY for SIOCGIFADDR on an
 * AF_UNIX socket, EFAULT for a bad pointer; /proc/net/dev's header and a lo
 * line whose counters grow when packets go through lo. Run natively and on
 * the kernel; the lines must match. */
#include "../check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static struct ifreq named(const char *name)
{
    struct ifreq r;
    memset(&r, 0, sizeof r);
    snprintf(r.ifr_name, sizeof r.ifr_name, "%s", name);
    return r;
}

static unsigned long long lo_counter(int field)
{
    char buf[8192];
    int fd = open("/proc/net/dev", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0) close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    char *lo = strstr(buf, "lo:");
    if (!lo) return 0;
    unsigned long long v[16] = {0};
    sscanf(lo + 3, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
           &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14], &v[15]);
    return v[field];
}

int main(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifconf conf = { .ifc_len = 0, .ifc_buf = NULL };
    CHECK_OK("SIOCGIFCONF with no buffer", ioctl(fd, SIOCGIFCONF, &conf));
    CHECK("it asks for whole ifreqs", conf.ifc_len > 0 && conf.ifc_len % (int)sizeof(struct ifreq) == 0, "%d", conf.ifc_len);
    struct ifreq reqs[16];
    conf.ifc_len = sizeof reqs;
    conf.ifc_req = reqs;
    CHECK_OK("SIOCGIFCONF", ioctl(fd, SIOCGIFCONF, &conf));
    int found = 0;
    for (int i = 0; i < conf.ifc_len / (int)sizeof(struct ifreq); i++) {
        struct sockaddr_in *a = (struct sockaddr_in *)&reqs[i].ifr_addr;
        if (strcmp(reqs[i].ifr_name, "lo") == 0 && a->sin_family == AF_INET && a->sin_addr.s_addr == htonl(INADDR_LOOPBACK)) found = 1;
    }
    CHECK("it lists lo with 127.0.0.1", found, "not listed");
    conf.ifc_len = sizeof(struct ifreq) - 1;
    ioctl(fd, SIOCGIFCONF, &conf);
    CHECK("a buffer short of one ifreq gets none", conf.ifc_len == 0, "%d", conf.ifc_len);

    struct ifreq r = named("lo");
    CHECK_OK("SIOCGIFFLAGS lo", ioctl(fd, SIOCGIFFLAGS, &r));
    CHECK("UP|LOOPBACK|RUNNING", (r.ifr_flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING)) == (IFF_UP | IFF_LOOPBACK | IFF_RUNNING), "%#x", r.ifr_flags);
    r = named("lo");
    ioctl(fd, SIOCGIFADDR, &r);
    struct sockaddr_in *sin = (struct sockaddr_in *)&r.ifr_addr;
    CHECK("SIOCGIFADDR 127.0.0.1", sin->sin_family == AF_INET && sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK), "%#x", sin->sin_addr.s_addr);
    r = named("lo");
    ioctl(fd, SIOCGIFNETMASK, &r);
    CHECK("SIOCGIFNETMASK 255.0.0.0", sin->sin_addr.s_addr == htonl(0xFF000000), "%#x", sin->sin_addr.s_addr);
    r = named("lo");
    ioctl(fd, SIOCGIFMTU, &r);
    CHECK("SIOCGIFMTU 65536", r.ifr_mtu == 65536, "%d", r.ifr_mtu);
    r = named("lo");
    ioctl(fd, SIOCGIFINDEX, &r);
    CHECK("SIOCGIFINDEX 1", r.ifr_ifindex == 1, "%d", r.ifr_ifindex);
    r = named("");
    r.ifr_ifindex = 1;
    CHECK_OK("SIOCGIFNAME 1", ioctl(fd, SIOCGIFNAME, &r));
    CHECK("is lo", strcmp(r.ifr_name, "lo") == 0, "%s", r.ifr_name);
    r = named("lo");
    ioctl(fd, SIOCGIFHWADDR, &r);
    static const char zeros[6];
    CHECK("SIOCGIFHWADDR: ARPHRD_LOOPBACK, zeros", r.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK && memcmp(r.ifr_hwaddr.sa_data, zeros, 6) == 0,
          "family %d", r.ifr_hwaddr.sa_family);
    r = named("lo");
    ioctl(fd, SIOCGIFTXQLEN, &r);
    CHECK("SIOCGIFTXQLEN 1000", r.ifr_qlen == 1000, "%d", r.ifr_qlen);
    r = named("kevlar-nope0");
    CHECK_ERR("an unknown interface ENODEV", ioctl(fd, SIOCGIFFLAGS, &r), ENODEV);
    r = named("");
    r.ifr_ifindex = 9999;
    CHECK_ERR("SIOCGIFNAME of an unknown index ENODEV", ioctl(fd, SIOCGIFNAME, &r), ENODEV);
    CHECK_ERR("a bad pointer EFAULT", ioctl(fd, SIOCGIFFLAGS, (void *)8), EFAULT);
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    r = named("lo");
    CHECK_OK("SIOCGIFFLAGS on an AF_UNIX socket", ioctl(u, SIOCGIFFLAGS, &r));
    r = named("lo");
    CHECK_ERR("SIOCGIFADDR on an AF_UNIX socket ENOTTY", ioctl(u, SIOCGIFADDR, &r), ENOTTY);
    close(u);

    int dev = open("/proc/net/dev", O_RDONLY);
    char head[256];
    ssize_t n = dev >= 0 ? read(dev, head, sizeof head - 1) : -1;
    if (dev >= 0) close(dev);
    head[n > 0 ? n : 0] = 0;
    CHECK("/proc/net/dev header", strncmp(head, "Inter-|   Receive                                                |  Transmit\n"
          " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n", 200) == 0,
          "differs");
    unsigned long long rx0 = lo_counter(1), tx0 = lo_counter(9);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    for (int i = 0; i < 10; i++) sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof to);
    unsigned long long rx1 = lo_counter(1), tx1 = lo_counter(9);
    CHECK("lo's packet counters grow with traffic", rx1 >= rx0 + 10 && tx1 >= tx0 + 10, "rx +%llu tx +%llu", rx1 - rx0, tx1 - tx0);
    close(fd);
    return check_exit();
}
