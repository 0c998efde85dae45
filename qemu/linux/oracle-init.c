/* /init of the Linux oracle (qemu/linux/oracle.sh): mounts what the test
 * programs expect (proc, sysfs, a tmpfs /tmp), runs each program named in
 * /oracle/list in turn, framing its output with "=== NAME" and
 * "=== exit STATUS" lines, and powers off. It brings lo up first (the kernel
 * gives it 127.0.0.1/8 then), as any Linux system's init does, so the network
 * tests meet the loopback interface they would meet anywhere. Built with
 * musl-gcc -static. */
#include <net/if.h>
#include <stdio.h>
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

int main(void)
{
    loopback_up();
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
