/* nsfiles: /proc/<pid>/ns as Linux has it: the ten links in order, each
 * "kind:[N]" (pid_for_children and time_for_children the same as pid and
 * time here), N the st_ino of the nsfs file the link opens (mode 0444); the
 * same namespaces in a child; setns(2) into the caller's own namespaces —
 * joining one it is in is allowed, except its own user namespace (EINVAL),
 * a mismatched nstype is EINVAL, and without privilege EPERM. Run natively
 * (root, in the initial namespaces) and on the kernel; the lines must match. */
#include "../check.h"
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *const KINDS[] = { "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts" };
#define NKINDS ((int)(sizeof KINDS / sizeof KINDS[0]))

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void link_of(const char *pid, const char *kind, char *out, size_t size)
{
    char name[96];
    snprintf(name, sizeof name, "/proc/%s/ns/%s", pid, kind);
    ssize_t n = readlink(name, out, size - 1);
    out[n > 0 ? n : 0] = 0;
}

static int open_ns(const char *kind)
{
    char name[96];
    snprintf(name, sizeof name, "/proc/self/ns/%s", kind);
    return open(name, O_RDONLY | O_CLOEXEC);
}

static void listing(void)
{
    DIR *d = opendir("/proc/self/ns");
    char *names[32];
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 32)
        if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp);
    int same = n == NKINDS;
    for (int i = 0; same && i < n; i++) same = strcmp(names[i], KINDS[i]) == 0;
    CHECK("ns-lists-the-ten-kinds", same, "%d names", n);
}

static void links(void)
{
    for (int i = 0; i < NKINDS; i++) {
        char text[64], want[32], check[64];
        link_of("self", KINDS[i], text, sizeof text);
        snprintf(want, sizeof want, "%.*s:[", (int)strcspn(KINDS[i], "_"), KINDS[i]);
        unsigned long long number = 0;
        int shaped = strncmp(text, want, strlen(want)) == 0 && sscanf(text + strlen(want), "%llu]", &number) == 1;
        snprintf(check, sizeof check, "link-%s", KINDS[i]);
        CHECK(check, shaped, "'%s'", text);
        int fd = open_ns(KINDS[i]);
        struct stat st;
        snprintf(check, sizeof check, "file-%s", KINDS[i]);
        CHECK(check, fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == number && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0444,
              "errno %s", errname(errno));
        if (fd >= 0) close(fd);
    }
    char a[64], b[64];
    link_of("self", "pid", a, sizeof a);
    link_of("self", "pid_for_children", b, sizeof b);
    CHECK("pid-for-children-same", strcmp(a, b) == 0, "'%s' '%s'", a, b);
    link_of("self", "time", a, sizeof a);
    link_of("self", "time_for_children", b, sizeof b);
    CHECK("time-for-children-same", strcmp(a, b) == 0, "'%s' '%s'", a, b);
}

/* The child's links equal the parent's: fork shares every namespace. */
static void shared_by_fork(void)
{
    int up[2];
    if (pipe(up) != 0) return;
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(up[1]);
        (void)!read(up[0], &c, 1);
        _exit(0);
    }
    close(up[0]);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)child);
    int same = 1;
    for (int i = 0; i < NKINDS; i++) {
        char a[64], b[64];
        link_of("self", KINDS[i], a, sizeof a);
        link_of(pid, KINDS[i], b, sizeof b);
        same &= strcmp(a, b) == 0 && a[0] != 0;
    }
    CHECK("child-shares-every-namespace", same, "differs");
    close(up[1]);
    waitpid(child, NULL, 0);
}

static void joining(void)
{
    int net = open_ns("net"), ipc = open_ns("ipc"), pid = open_ns("pid"), time = open_ns("time"), user = open_ns("user");
    CHECK_OK("setns-own-net", setns(net, CLONE_NEWNET));
    CHECK_OK("setns-own-ipc-any-type", setns(ipc, 0));
    CHECK_OK("setns-own-pid", setns(pid, CLONE_NEWPID));
    CHECK_OK("setns-own-time", setns(time, 0));
    CHECK_ERR("setns-own-user-einval", setns(user, CLONE_NEWUSER), EINVAL);
    CHECK_ERR("setns-net-as-pid-einval", setns(net, CLONE_NEWPID), EINVAL);
    pid_t child = fork();
    if (child == 0) {
        if (setuid(1000) != 0) _exit(10);
        if (!(setns(net, 0) == -1 && errno == EPERM)) _exit(11);
        if (!(setns(pid, 0) == -1 && errno == EPERM)) _exit(12);
        if (!(setns(user, 0) == -1 && errno == EINVAL)) _exit(13);
        _exit(0);
    }
    int status = 0;
    CHECK("unprivileged-setns", waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "status %d", WEXITSTATUS(status));
    close(net); close(ipc); close(pid); close(time); close(user);
}

int main(void)
{
    listing();
    links();
    shared_by_fork();
    joining();
    return check_exit();
}
