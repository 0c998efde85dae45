/* cgroupns: cgroup namespaces (cgroup_namespaces(7)). A process that unshares
 * CLONE_NEWCGROUP sees its cgroup as "/" in /proc/self/cgroup, a cgroup it is
 * moved to elsewhere as "/../b", and a cgroup2 mount it makes with that
 * cgroup at the mount's root; others still see the real path;
 * /proc/<pid>/ns/cgroup names the namespace and setns(2) on it makes the
 * caller see paths from that root; clone(CLONE_NEWCGROUP) roots the new
 * namespace at the creator's cgroup; unprivileged, it is EPERM. The program
 * takes a private mount namespace first and mounts cgroup2 at /sys/fs/cgroup
 * itself, so natively (root, a host with cgroup2) the host keeps nothing of
 * it. Paths are printed relative to where the program started, so the lines
 * are the same natively and on the kernel. */
#include "cgroupfs.h"
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define CHILD_MNT "/tmp/kevlar-cgns-mnt"

static char start[256]; /* the v2 line we started with, "0::/..." */
static char base[300];  /* our cgroup's directory under mnt */

/* The v2 line of /proc/<pid>/cgroup ("self" or a number), without its newline. */
static void cgroup_of(const char *pid, char *out, int size)
{
    char name[64], b[2048];
    snprintf(name, sizeof name, "/proc/%s/cgroup", pid);
    out[0] = 0;
    if (slurp(name, b, sizeof b) < 0) return;
    for (char *p = strtok(b, "\n"); p; p = strtok(0, "\n"))
        if (strncmp(p, "0::", 3) == 0) { snprintf(out, size, "%s", p); return; }
}

/* The line for our start cgroup plus tail ("/kevlar-cgns/a"), as a process in the start namespace sees it. */
static void seen_from_start(const char *tail, char *out, int size)
{
    snprintf(out, size, "%s%s", strcmp(start, "0::/") == 0 ? "0::" : start, tail);
}

static void ns_link(const char *pid, char *out, int size)
{
    char name[64];
    snprintf(name, sizeof name, "/proc/%s/ns/cgroup", pid);
    ssize_t n = readlink(name, out, (size_t)size - 1);
    out[n > 0 ? n : 0] = 0;
}

static int unsharing_child(int to, int from)
{
    char line[300], parent_ns[64], own_ns[64], ppid[16];
    char a[400], b[400];
    snprintf(a, sizeof a, "%s/a", top);
    snprintf(b, sizeof b, "%s/b", top);
    CHECK_OK("move to a", put(at(a, "cgroup.procs"), "0"));
    snprintf(ppid, sizeof ppid, "%d", (int)getppid());
    ns_link(ppid, parent_ns, sizeof parent_ns);
    CHECK_OK("unshare CLONE_NEWCGROUP", unshare(CLONE_NEWCGROUP));
    ns_link("self", own_ns, sizeof own_ns);
    CHECK("ns link names cgroup", strncmp(own_ns, "cgroup:[", 8) == 0 && own_ns[strlen(own_ns) - 1] == ']', "'%s'", own_ns);
    CHECK("ns link differs from parent's", strcmp(own_ns, parent_ns) != 0, "same");
    cgroup_of("self", line, sizeof line);
    CHECK("own cgroup is / inside", strcmp(line, "0::/") == 0, "'%s'", line);
    CHECK_OK("move to sibling b", put(at(b, "cgroup.procs"), "0"));
    cgroup_of("self", line, sizeof line);
    CHECK("sibling is /../b", strcmp(line, "0::/../b") == 0, "'%s'", line);
    mkdir(CHILD_MNT, 0755);
    CHECK_OK("mount cgroup2 inside", mount("none", CHILD_MNT, "cgroup2", 0, 0));
    CHECK("mount root is the namespace root", access(CHILD_MNT "/cgroup.events", F_OK) == 0, "%s", errname(errno));
    CHECK("mount root has no kevlar-cgns", access(CHILD_MNT "/kevlar-cgns", F_OK) == -1 && errno == ENOENT, "%s", errname(errno));
    CHECK("mount root lists no process", line_count(CHILD_MNT "/cgroup.procs") == 0, "lines");
    CHECK_OK("move back to a", put(CHILD_MNT "/cgroup.procs", "0"));
    cgroup_of("self", line, sizeof line);
    CHECK("back at /", strcmp(line, "0::/") == 0, "'%s'", line);
    umount(CHILD_MNT);
    rmdir(CHILD_MNT);
    char c = 'x';
    if (write(to, &c, 1) != 1 || read(from, &c, 1) != 1) return 10;
    return check_exit();
}

/* A child enters the namespace of pid through /proc/<pid>/ns/cgroup and sees its own cgroup from there. */
static void enter(const char *pid)
{
    char name[64];
    snprintf(name, sizeof name, "/proc/%s/ns/cgroup", pid);
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    CHECK("open ns link", fd >= 0, "%s", errname(errno));
    CHECK_ERR("setns wrong type EINVAL", setns(fd, CLONE_NEWNS), EINVAL);
    pid_t helper = fork();
    if (helper == 0) {
        char line[300];
        if (setns(fd, CLONE_NEWCGROUP) != 0) _exit(20);
        cgroup_of("self", line, sizeof line);
        _exit(strcmp(line, "0::/..") == 0 ? 0 : 21); /* we are in kevlar-cgns, a's parent */
    }
    int status = 0;
    CHECK("setns sees from a", exited_zero(helper, &status), "status %d", WEXITSTATUS(status));
    close(fd);
}

int main(void)
{
    if (unshare(CLONE_NEWNS) == 0) mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    my_cgroup(start, sizeof start);
    snprintf(mnt, sizeof mnt, "/sys/fs/cgroup");
    CHECK_OK("mount cgroup2", mount("none", mnt, "cgroup2", 0, 0));
    snprintf(base, sizeof base, "%s%s", mnt, strcmp(start, "0::/") == 0 ? "" : start + 3);
    snprintf(top, sizeof top, "%s/kevlar-cgns", base);
    CHECK_OK("mkdir top", mkdir(top, 0755));
    CHECK_OK("mkdir a", mkdir(at(top, "a"), 0755));
    CHECK_OK("mkdir b", mkdir(at(top, "b"), 0755));
    CHECK_OK("move self to top", put(at(top, "cgroup.procs"), "0"));

    int from_child, to_child;
    pid_t child = fork_talking(unsharing_child, &from_child, &to_child);
    if (child < 0) return 2;
    char c, pid[16], line[300], want[300];
    CHECK("child ready", read(from_child, &c, 1) == 1, "no report");
    snprintf(pid, sizeof pid, "%d", (int)child);
    cgroup_of(pid, line, sizeof line);
    seen_from_start("/kevlar-cgns/a", want, sizeof want);
    CHECK("outside sees the real path", strcmp(line, want) == 0, "'%s'", line);
    enter(pid);
    if (write(to_child, "x", 1) != 1) return 3;
    int status = 0;
    CHECK("unsharing child", exited_zero(child, &status), "status %d", WEXITSTATUS(status));

    child = (pid_t)syscall(SYS_clone, CLONE_NEWCGROUP | SIGCHLD, 0, 0, 0, 0);
    if (child == 0) {
        cgroup_of("self", line, sizeof line);
        _exit(strcmp(line, "0::/") == 0 ? 0 : 30);
    }
    CHECK("clone CLONE_NEWCGROUP roots at the creator's cgroup", exited_zero(child, &status), "status %d", WEXITSTATUS(status));

    child = fork();
    if (child == 0) {
        if (setuid(1000) != 0) _exit(40);
        _exit(unshare(CLONE_NEWCGROUP) == -1 && errno == EPERM ? 0 : 41);
    }
    CHECK("unprivileged unshare EPERM", exited_zero(child, &status), "status %d", WEXITSTATUS(status));

    CHECK_OK("move self back", put(at(base, "cgroup.procs"), "0"));
    CHECK_OK("rmdir a", rmdir(at(top, "a")));
    CHECK_OK("rmdir b", rmdir(at(top, "b")));
    CHECK_OK("rmdir top", rmdir(top));
    return check_exit();
}
