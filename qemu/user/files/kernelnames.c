/* kernelnames: the names in /proc, /sys and /dev/pts are the kernel's. Their
 * Linux directories have no create, mkdir, mknod, symlink, link, unlink,
 * rmdir or rename operation, so even root gets EACCES from open(O_CREAT) and
 * EPERM from the rest — in /proc ENOENT first, as its lookup of a name it
 * does not have fails — and nothing is left behind. On this kernel they were
 * tmpfs directories that took any name (found by ./kevlar fuzz: workers left
 * files and directories there, which a long run's leak check counted). Run
 * as root, natively and on the kernel; the lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static const char *const DIRS[] = { "/proc", "/sys", "/dev/pts" };

int main(void)
{
    char path[64], name[64];
    for (int i = 0; i < 3; i++) {
        const char *d = DIRS[i];
        int fails = i == 0 ? ENOENT : EPERM; /* what making a name in d gives */
        snprintf(path, sizeof path, "%s/kevlar-made", d);
        snprintf(name, sizeof name, "%s-create", d);
        CHECK_ERR(name, open(path, O_CREAT | O_RDWR, 0644), i == 0 ? ENOENT : EACCES);
        snprintf(name, sizeof name, "%s-mkdir", d);
        CHECK_ERR(name, mkdir(path, 0755), fails);
        snprintf(name, sizeof name, "%s-mknod-fifo", d);
        CHECK_ERR(name, mknod(path, S_IFIFO | 0644, 0), fails);
        snprintf(name, sizeof name, "%s-mknod-char", d);
        CHECK_ERR(name, mknod(path, S_IFCHR | 0644, makedev(1, 3)), fails);
        snprintf(name, sizeof name, "%s-symlink", d);
        CHECK_ERR(name, symlink("/", path), fails);
        snprintf(name, sizeof name, "%s-nothing-left", d);
        struct stat st;
        CHECK_ERR(name, lstat(path, &st), ENOENT);
    }
    /* Names that exist: none may be removed, renamed or linked. */
    CHECK_ERR("proc-unlink", unlink("/proc/self/status"), EPERM);
    CHECK_ERR("proc-rename-to-a-new-name", rename("/proc/self/status", "/proc/self/kevlar-status"), ENOENT);
    CHECK_ERR("proc-rename-over", rename("/proc/self/status", "/proc/self/stat"), EPERM);
    CHECK_ERR("proc-link", link("/proc/self/status", "/proc/self/kevlar-status"), ENOENT);
    CHECK_ERR("proc-rmdir", rmdir("/proc/self/fd"), EPERM);
    CHECK_ERR("sys-rmdir", rmdir("/sys/kernel"), EPERM);
    CHECK_ERR("sys-rename", rename("/sys/kernel", "/sys/kevlar-kernel"), EPERM);
    CHECK_ERR("devpts-unlink", unlink("/dev/pts/ptmx"), EPERM);
    struct stat st;
    CHECK("proc-status-still-there", stat("/proc/self/status", &st) == 0, "errno %s", errname(errno));
    CHECK("devpts-ptmx-still-there", stat("/dev/pts/ptmx", &st) == 0, "errno %s", errname(errno));
    /* Their files keep their size: truncate succeeds and changes nothing (their setattr takes
     * no size); sysfs's read-only attributes refuse an open for writing, procfs's open. */
    static const char *const FILES[] = { "/proc/meminfo", "/proc/self/status", "/sys/devices/system/cpu/online" };
    for (int i = 0; i < 3; i++) {
        struct stat after;
        snprintf(name, sizeof name, "%s-truncate", FILES[i]);
        CHECK_OK(name, truncate(FILES[i], 100000));
        stat(FILES[i], &after);
        /* (not "the same size as before": a status file's text may change between two looks) */
        snprintf(name, sizeof name, "%s-size-not-taken", FILES[i]);
        CHECK(name, after.st_size != 100000, "size %lld", (long long)after.st_size);
    }
    int meminfo = open("/proc/meminfo", O_WRONLY | O_TRUNC);
    CHECK("proc-opens-for-writing-with-o-trunc", meminfo >= 0, "errno %s", errname(errno));
    if (meminfo >= 0) {
        CHECK_OK("proc-ftruncate", ftruncate(meminfo, 4096));
        char b[16];
        int again = open("/proc/meminfo", O_RDONLY);
        CHECK("proc-text-kept", again >= 0 && read(again, b, sizeof b) == (ssize_t)sizeof b, "read failed");
        if (again >= 0) close(again);
        close(meminfo);
    }
    CHECK_ERR("sys-attribute-refuses-write-open", open("/sys/devices/system/cpu/online", O_WRONLY), EACCES);
    /* A new pty's slave node still comes and goes (the kernel's own names). */
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    CHECK("ptmx-opens", master >= 0, "errno %s", errname(errno));
    char slave[64] = "";
    if (master >= 0 && ptsname_r(master, slave, sizeof slave) == 0) {
        CHECK("slave-node-made", stat(slave, &st) == 0 && S_ISCHR(st.st_mode), "errno %s", errname(errno));
        close(master);
    }
    return check_exit();
}
