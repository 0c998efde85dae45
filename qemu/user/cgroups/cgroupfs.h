/* cgroupfs.h: what the cgroup programs share: finding or mounting cgroup2,
 * the test's own cgroup (top), SKIP where the host lacks cgroup2 or the pids
 * controller, and small file helpers for cgroupfs's one-write files. */
#ifndef KEVLAR_CGROUPFS_H
#define KEVLAR_CGROUPFS_H

#include "../check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

/* Details and paths are cut to their buffers on purpose. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#define CGROUP2_SUPER_MAGIC 0x63677270

__attribute__((unused)) static char mnt[256], top[300], home[512];
__attribute__((unused)) static int have_cgroup2, have_pids;

/* A check that needs the pids controller (or cgroup2 at all): SKIP where the host lacks it. */
#define PCHECK(name, cond, ...) do { \
        if (!have_pids) check_out("SKIP %s: %s", name, have_cgroup2 ? "no pids controller in this cgroup2 hierarchy" : "no cgroup2 here"); \
        else CHECK(name, cond, __VA_ARGS__); \
    } while (0)
#define GCHECK(name, cond, ...) do { \
        if (!have_cgroup2) check_out("SKIP %s: no cgroup2 here", name); \
        else CHECK(name, cond, __VA_ARGS__); \
    } while (0)

__attribute__((unused)) static const char *at(const char *dir, const char *file)
{
    static char buf[4][600];
    static int next;
    char *b = buf[next++ & 3];
    snprintf(b, sizeof buf[0], "%s/%s", dir, file);
    return b;
}

/* The whole text of a file, read in small pieces (so reads must continue at the offset); -1 on error. */
__attribute__((unused)) static int slurp(const char *path, char *out, int size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = 0;
    for (;;) {
        ssize_t r = read(fd, out + n, (size - 1 - n) < 5 ? (size_t)(size - 1 - n) : 5);
        if (r <= 0) break;
        n += (int)r;
    }
    out[n] = 0;
    close(fd);
    return n;
}

/* write(2) of s to the file as one call: 0, or -1 with errno. */
__attribute__((unused)) static int put(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -1;
    ssize_t r = write(fd, s, strlen(s));
    int e = errno;
    close(fd);
    errno = e;
    return r == (ssize_t)strlen(s) ? 0 : -1;
}

__attribute__((unused)) static int put_pid(const char *path, int pid)
{
    char s[32];
    snprintf(s, sizeof s, "%d\n", pid);
    return put(path, s);
}

__attribute__((unused)) static long read_number(const char *path)
{
    char b[64];
    if (slurp(path, b, sizeof b) <= 0) return -1;
    return strtol(b, 0, 10);
}

__attribute__((unused)) static int line_count(const char *path)
{
    char b[4096];
    if (slurp(path, b, sizeof b) < 0) return -1;
    int n = 0;
    for (char *p = b; *p; p++) if (*p == '\n') n++;
    return n;
}

__attribute__((unused)) static int lists_pid(const char *path, int pid)
{
    char b[4096], want[32];
    if (slurp(path, b, sizeof b) < 0) return 0;
    snprintf(want, sizeof want, "%d", pid);
    for (char *p = strtok(b, "\n"); p; p = strtok(0, "\n")) if (strcmp(p, want) == 0) return 1;
    return 0;
}

__attribute__((unused)) static int text_is(const char *path, const char *want)
{
    char b[512];
    return slurp(path, b, sizeof b) >= 0 && strcmp(b, want) == 0;
}

/* /proc/self/cgroup's v2 line ("0::/path"), without the newline. */
__attribute__((unused)) static void my_cgroup(char *out, int size)
{
    char b[2048];
    out[0] = 0;
    if (slurp("/proc/self/cgroup", b, sizeof b) < 0) return;
    for (char *p = strtok(b, "\n"); p; p = strtok(0, "\n"))
        if (strncmp(p, "0::", 3) == 0) { snprintf(out, size, "%s", p); return; }
}

__attribute__((unused)) static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* Finds or makes the cgroup2 mount; sets mnt, top (the test's own cgroup in it, named
 * name) and home (where we started). */
__attribute__((unused)) static void setup(int find, const char *name)
{
    struct statfs sf;
    if (find) {
        FILE *f = fopen("/proc/self/mounts", "r");
        char dev[256], dir[256], type[64];
        while (f && fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
            if (strcmp(type, "cgroup2") == 0 && !have_cgroup2) { snprintf(mnt, sizeof mnt, "%s", dir); have_cgroup2 = 1; }
        if (f) fclose(f);
        if (have_cgroup2) check_out("PASS mount cgroup2");
        else check_out("SKIP mount cgroup2: no cgroup2 here");
    } else {
        snprintf(mnt, sizeof mnt, "/sys/fs/cgroup");
        CHECK_OK("mount cgroup2", mount("none", mnt, "cgroup2", 0, 0));
        have_cgroup2 = 1;
    }
    GCHECK("statfs f_type CGROUP2_SUPER_MAGIC", statfs(mnt, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC, "f_type %lx", (long)sf.f_type);
    char line[512];
    my_cgroup(line, sizeof line);
    CHECK("/proc/self/cgroup has 0::/", strncmp(line, "0::/", 4) == 0, "'%s'", line);
    snprintf(home, sizeof home, "%s%s", mnt, line + 3);
    if (ends_with(home, "/")) home[strlen(home) - 1] = 0;
    snprintf(top, sizeof top, "%s/%s", mnt, name);
    char controllers[256] = "";
    slurp(at(mnt, "cgroup.controllers"), controllers, sizeof controllers);
    have_pids = have_cgroup2 && strstr(controllers, "pids") != 0;
    PCHECK("root cgroup.controllers lists pids", have_pids, "'%s'", controllers);
    /* Our own cgroup gets pids in its subtree: the root must hand it down first. */
    if (have_pids) put(at(mnt, "cgroup.subtree_control"), "+pids");
}

#endif
