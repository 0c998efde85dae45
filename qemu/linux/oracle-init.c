/* /init of the Linux oracle (qemu/linux/oracle.sh): mounts what the test
 * programs expect (proc, sysfs, a tmpfs /tmp), runs each program named in
 * /oracle/list in turn, framing its output with "=== NAME" and
 * "=== exit STATUS" lines, and powers off. It brings lo up first (the kernel
 * gives it 127.0.0.1/8 then), as any Linux system's init does, so the network
 * tests meet the loopback interface they would meet anywhere. With
 * networking (oracle.sh --net and friends) it first loads /modules/*.ko in
 * name order (the virtio-net driver and what it needs) and gives eth0 the
 * address, prefix and gateway in /oracle/ip ("10.0.2.15 24 10.0.2.2"), as
 * the kernel's ip= does for this kernel. Built with musl-gcc -static. */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) return;
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    ioctl(fd, SIOCSIFFLAGS, &ifr);
    close(fd);
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

#include <errno.h>

/* Loads every module, in passes until none more loads (a module whose dependency comes later in the name order loads in a later pass). */
static void load_modules(void)
{
    struct dirent **names;
    int n = scandir("/modules", &names, 0, by_name);
    if (n <= 0) return;
    int *loaded = calloc((size_t)n, sizeof *loaded), progress = 1;
    while (progress) {
        progress = 0;
        for (int i = 0; i < n; i++) {
            if (loaded[i] || names[i]->d_name[0] == '.') continue;
            char path[300];
            snprintf(path, sizeof path, "/modules/%s", names[i]->d_name);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd >= 0 && (syscall(SYS_finit_module, fd, "", 0) == 0 || errno == EEXIST)) loaded[i] = progress = 1;
            if (fd >= 0) close(fd);
        }
    }
    for (int i = 0; i < n; i++)
        if (!loaded[i] && names[i]->d_name[0] != '.') printf("oracle-init: /modules/%s does not load\n", names[i]->d_name);
}

static void set_address(int fd, unsigned long request, const char *name, in_addr_t address)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, name);
    struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = address;
    if (ioctl(fd, request, &ifr) != 0) printf("oracle-init: configuring %s failed\n", name);
}

static void ethernet_up(void)
{
    FILE *f = fopen("/oracle/ip", "r");
    char address[32], gateway[32];
    int prefix;
    if (!f) return;
    int fields = fscanf(f, "%31s %d %31s", address, &prefix, gateway);
    fclose(f);
    if (fields < 2) return;
    load_modules();
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    set_address(fd, SIOCSIFADDR, "eth0", inet_addr(address));
    set_address(fd, SIOCSIFNETMASK, "eth0", htonl(prefix == 0 ? 0 : 0xFFFFFFFFu << (32 - prefix)));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "eth0");
    ioctl(fd, SIOCGIFFLAGS, &ifr);
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    ioctl(fd, SIOCSIFFLAGS, &ifr);
    if (fields == 3) {
        struct rtentry rt;
        memset(&rt, 0, sizeof rt);
        ((struct sockaddr_in *)&rt.rt_dst)->sin_family = AF_INET;
        ((struct sockaddr_in *)&rt.rt_genmask)->sin_family = AF_INET;
        struct sockaddr_in *g = (struct sockaddr_in *)&rt.rt_gateway;
        g->sin_family = AF_INET;
        g->sin_addr.s_addr = inet_addr(gateway);
        rt.rt_flags = RTF_UP | RTF_GATEWAY;
        if (ioctl(fd, SIOCADDRT, &rt) != 0) printf("oracle-init: the default route failed\n");
    }
    close(fd);
}

int main(void)
{
    loopback_up();
    ethernet_up();
    mkdir("/proc", 0755);
    mount("proc", "/proc", "proc", 0, 0);
    mkdir("/sys", 0755);
    mount("sysfs", "/sys", "sysfs", 0, 0);
    mkdir("/tmp", 01777);
    mount("tmpfs", "/tmp", "tmpfs", 0, 0);
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, 0);
    FILE *list = fopen("/oracle/list", "r");
    char line[512];
    while (list && fgets(line, sizeof line, list)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] == 0) continue;
        printf("=== %s\n", line);
        fflush(stdout);
        pid_t p = fork();
        if (p == 0) {
            char *argv[16];
            int argc = 0;
            for (char *t = strtok(line, " "); t && argc < 15; t = strtok(0, " ")) argv[argc++] = t;
            argv[argc] = 0;
            execv(argv[0], argv);
            _exit(127);
        }
        int status = 0;
        waitpid(p, &status, 0);
        printf("=== exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        fflush(stdout);
        umount("/sys/fs/cgroup"); /* a program may have mounted cgroup2 there */
    }
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
