/* mntns: mount namespaces (mount_namespaces(7)). A child that unshares
 * CLONE_NEWNS gets a copy of the tree: it still sees the parent's mounts and
 * files, but what it mounts and unmounts stays inside (every mount made
 * private first, as unshare(1) does), its working directory moved into the
 * copy (so the mount under it is busy there); /proc/<pid>/mounts and
 * /proc/<pid>/ns/mnt show the difference; the ns link opens the namespace's
 * nsfs file, whose inode number is the link's, and setns(2) on it enters the
 * namespace with root and cwd at its root; clone(CLONE_NEWNS) does the same
 * for a new process; a place reached through a directory fd opened before the
 * unshare is in the old namespace, where mount and umount2 are EINVAL; and an
 * unprivileged unshare is EPERM. /proc/self/mountinfo's fields for a mount
 * and a bind of its subdirectory, the flags in Linux's order. Natively the whole program first takes a
 * private namespace of its own so the host's mounts are untouched. Run
 * natively as root and on the kernel; the lines must match. */
#include "../check.h"
/* Details print mountinfo fields, cut to the detail buffer on purpose. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#define TOP "/tmp/kevlar-mntns"
#define A TOP "/a"
#define B TOP "/b"

static void touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) close(fd);
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Whether the mounts file of pid ("self" or a number) lists a mount at path. */
static int lists(const char *pid, const char *path)
{
    char name[64], text[16384];
    snprintf(name, sizeof name, "/proc/%s/mounts", pid);
    int fd = open(name, O_RDONLY);
    if (fd < 0) return -1;
    int n = 0, r;
    while (n < (int)sizeof text - 1 && (r = (int)read(fd, text + n, sizeof text - 1 - n)) > 0) n += r;
    close(fd);
    text[n] = 0;
    char needle[256];
    snprintf(needle, sizeof needle, " %s ", path);
    return strstr(text, needle) != NULL;
}

static void ns_of(const char *pid, char *out, size_t size)
{
    char name[64];
    snprintf(name, sizeof name, "/proc/%s/ns/mnt", pid);
    ssize_t n = readlink(name, out, size - 1);
    out[n > 0 ? n : 0] = 0;
}

/* The child that unshares: reports over the pipe "to", waits on "from" before it exits. */
static int unsharing_child(int to, int from)
{
    if (chdir(A) != 0) return 10;
    int old = open(A, O_RDONLY | O_DIRECTORY);
    CHECK_OK("unshare-newns", unshare(CLONE_NEWNS));
    CHECK_OK("make-private", mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL));
    CHECK("copy-sees-parent-mount", exists(A "/from-parent"), "errno %s", errname(errno));
    CHECK_OK("mount-inside", mount("kevlar-b", B, "tmpfs", 0, "mode=0755"));
    touch(B "/from-child");
    CHECK("inside-sees-own-mount", exists(B "/from-child"), "errno %s", errname(errno));
    CHECK_ERR("cwd-moved-into-copy-ebusy", umount2(A, 0), EBUSY);
    CHECK_OK("fchdir-old-namespace", fchdir(old));
    CHECK_ERR("mount-in-old-namespace-einval", mount("kevlar-x", ".", "tmpfs", 0, NULL), EINVAL);
    CHECK_ERR("umount-in-old-namespace-einval", umount2(".", 0), EINVAL);
    CHECK_OK("chdir-root", chdir("/"));
    CHECK_OK("umount-copy-of-a", umount2(A, 0));
    CHECK("copy-of-a-gone", !exists(A "/from-parent") && errno == ENOENT, "errno %s", errname(errno));
    CHECK("mounts-lists-b", lists("self", B) == 1, "lists %d", lists("self", B));
    CHECK("mounts-lacks-a", lists("self", A) == 0, "lists %d", lists("self", A));
    close(old);
    char c = 'x';
    if (write(to, &c, 1) != 1) return 11;
    if (read(from, &c, 1) != 1) return 12;
    CHECK("still-mounted-after-parent-looked", exists(B "/from-child"), "errno %s", errname(errno));
    return check_exit();
}

/* One /proc/self/mountinfo line, split into its fields (before and after the " - "). */
struct info { int id, parent; unsigned major, minor; char root[256], point[256], opts[256], type[64], source[64], super[256]; };

/* The line whose mountpoint is point (the last such: the top mount there); 0 when none. */
static int find_info(const char *point, struct info *out)
{
    static char text[32768];
    int fd = open("/proc/self/mountinfo", O_RDONLY), n = 0, r, found = 0;
    if (fd < 0) return 0;
    while (n < (int)sizeof text - 1 && (r = (int)read(fd, text + n, sizeof text - 1 - n)) > 0) n += r;
    close(fd);
    text[n] = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        struct info i;
        char *dash = strstr(line, " - ");
        if (!dash) continue;
        *dash = 0;
        /* the optional fields (none for private mounts) sit between opts and the dash */
        if (sscanf(line, "%d %d %u:%u %255s %255s %255s", &i.id, &i.parent, &i.major, &i.minor, i.root, i.point, i.opts) != 7) continue;
        if (sscanf(dash + 3, "%63s %63s %255s", i.type, i.source, i.super) != 3) continue;
        if (strcmp(i.point, point) == 0) { *out = i; found = 1; }
    }
    return found;
}

/* The parent's id must be the mount the mountpoint's directory is on: the longest mountpoint
 * that is a prefix of it. */
static int parent_is_mount_above(const struct info *i)
{
    char up[256];
    snprintf(up, sizeof up, "%s", i->point);
    for (;;) {
        char *slash = strrchr(up, '/');
        if (!slash) return 0;
        if (slash == up) up[1] = 0; else *slash = 0;
        struct info above;
        if (find_info(up, &above)) return above.id == i->parent;
        if (strcmp(up, "/") == 0) return 0;
    }
}

static void mountinfo_checks(void)
{
    struct info a, b;
    struct stat st;
    CHECK("mountinfo-lists-a", find_info(A, &a), "no line");
    CHECK("mountinfo-a-fields", strcmp(a.root, "/") == 0 && strcmp(a.type, "tmpfs") == 0 && strcmp(a.source, "kevlar-a") == 0
          && strncmp(a.opts, "rw,", 3) == 0 && strstr(a.opts, "relatime") && strncmp(a.super, "rw", 2) == 0,
          "root %s type %s source %s opts %s", a.root, a.type, a.source, a.opts);
    CHECK("mountinfo-a-dev", stat(A, &st) == 0 && major(st.st_dev) == a.major && minor(st.st_dev) == a.minor, "%u:%u", a.major, a.minor);
    CHECK("mountinfo-a-parent", parent_is_mount_above(&a), "parent %d", a.parent);
    mkdir(A "/sub", 0755);
    CHECK_OK("bind-sub", mount(A "/sub", B, NULL, MS_BIND, NULL));
    CHECK("mountinfo-bind-root", find_info(B, &b) && strcmp(b.root, "/sub") == 0 && b.major == a.major && b.minor == a.minor && b.id > a.id,
          "root %s", b.root);
    CHECK_OK("remount-nodiratime", mount(NULL, B, NULL, MS_REMOUNT | MS_BIND | MS_NODIRATIME | MS_NOSUID, NULL));
    CHECK("mountinfo-flag-order", find_info(B, &b) && strcmp(b.opts, "rw,nosuid,nodiratime,relatime") == 0, "opts %s", b.opts);
    CHECK_OK("umount-bind", umount2(B, 0));
    rmdir(A "/sub");
}

/* setns(2) into the namespace /proc/<pid>/ns/mnt names (the text readlink gave: ns), from
 * children; returns the fd, still open. */
static int enter_namespace_of(const char *pid, const char *ns)
{
    char name[64];
    snprintf(name, sizeof name, "/proc/%s/ns/mnt", pid);
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    CHECK("open-ns-link", fd >= 0, "errno %s", errname(errno));
    struct stat st;
    char ino[64];
    snprintf(ino, sizeof ino, "mnt:[%llu]", fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0ULL);
    CHECK("ns-file-inode-is-link-number", strcmp(ino, ns) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0444,
          "mode %o", (unsigned)st.st_mode);
    char c;
    CHECK_ERR("ns-file-read-einval", read(fd, &c, 1), EINVAL);
    CHECK_ERR("setns-wrong-type-einval", setns(fd, CLONE_NEWUTS), EINVAL);
    CHECK_ERR("setns-bad-fd-ebadf", setns(999, 0), EBADF);
    int plain = open("/", O_RDONLY);
    CHECK_ERR("setns-not-ns-file-einval", setns(plain, 0), EINVAL);
    close(plain);
    pid_t helper = fork();
    if (helper == 0) {
        if (chdir(A) != 0) _exit(40);
        if (setns(fd, CLONE_NEWNS) != 0) _exit(41);
        char cwd[256] = {0};
        if (!getcwd(cwd, sizeof cwd) || strcmp(cwd, "/") != 0) _exit(42);   /* root and cwd at its root */
        if (!exists(B "/from-child")) _exit(43);                             /* its mounts */
        if (exists(A "/from-parent")) _exit(44);                             /* not ours */
        _exit(0);
    }
    int status = 0;
    CHECK("setns-enters-mounts", exited_zero(helper, &status), "status %d", WEXITSTATUS(status));
    helper = fork();
    if (helper == 0) {
        if (setuid(1000) != 0) _exit(50);
        _exit(setns(fd, 0) == -1 && errno == EPERM ? 0 : 51);
    }
    CHECK("setns-unprivileged-eperm", exited_zero(helper, &status), "status %d", WEXITSTATUS(status));
    CHECK("setns-left-caller-alone", exists(A "/from-parent") && !exists(B "/from-child"), "errno %s", errname(errno));
    return fd;
}

int main(void)
{
    if (unshare(CLONE_NEWNS) == 0) mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(TOP, 0755);
    mkdir(A, 0755);
    mkdir(B, 0755);
    CHECK_OK("mount-a", mount("kevlar-a", A, "tmpfs", 0, "mode=0755"));
    touch(A "/from-parent");

    int from_child, to_child;
    pid_t child = fork_talking(unsharing_child, &from_child, &to_child);
    if (child < 0) return 2;
    char c;
    CHECK("child-ready", read(from_child, &c, 1) == 1, "no report");
    char pidtext[16], mine[64], theirs[64];
    snprintf(pidtext, sizeof pidtext, "%d", (int)child);
    CHECK("outside-lacks-child-mount", !exists(B "/from-child") && errno == ENOENT, "errno %s", errname(errno));
    CHECK("outside-keeps-a", exists(A "/from-parent"), "errno %s", errname(errno));
    CHECK("child-mounts-lists-b", lists(pidtext, B) == 1, "lists %d", lists(pidtext, B));
    CHECK("own-mounts-lacks-b", lists("self", B) == 0, "lists %d", lists("self", B));
    CHECK("own-mounts-lists-a", lists("self", A) == 1, "lists %d", lists("self", A));
    ns_of("self", mine, sizeof mine);
    ns_of(pidtext, theirs, sizeof theirs);
    CHECK("ns-link-names-mnt", strncmp(mine, "mnt:[", 5) == 0 && mine[strlen(mine) - 1] == ']', "link %s", mine);
    CHECK("ns-links-differ", strcmp(mine, theirs) != 0 && strncmp(theirs, "mnt:[", 5) == 0, "same link");
    int status = 0;
    int held = enter_namespace_of(pidtext, theirs);
    if (write(to_child, "x", 1) != 1) return 3;
    CHECK("unsharing-child", exited_zero(child, &status), "status %d", WEXITSTATUS(status));
    /* Its last process is gone, but an open nsfs file keeps the namespace and its mounts. */
    child = fork();
    if (child == 0) _exit(setns(held, CLONE_NEWNS) == 0 && exists(B "/from-child") ? 0 : 1);
    CHECK("ns-file-keeps-namespace", exited_zero(child, &status), "status %d", WEXITSTATUS(status));
    close(held);

    /* clone(CLONE_NEWNS): the new process starts in a copy. */
    child = (pid_t)syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
    if (child == 0) {
        mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
        if (mount("kevlar-c", B, "tmpfs", 0, NULL) != 0) _exit(20);
        touch(B "/from-clone");
        _exit(exists(B "/from-clone") && exists(A "/from-parent") ? 0 : 21);
    }
    CHECK("clone-newns", child > 0, "errno %s", errname(errno));
    CHECK("clone-child", exited_zero(child, &status), "status %d", WEXITSTATUS(status));
    CHECK("outside-lacks-clone-mount", !exists(B "/from-clone") && lists("self", B) == 0, "errno %s", errname(errno));

    child = fork();
    if (child == 0) {
        if (setuid(1000) != 0) _exit(30);
        _exit(unshare(CLONE_NEWNS) == -1 && errno == EPERM ? 0 : 31);
    }
    CHECK("unprivileged-unshare-eperm", exited_zero(child, &status), "status %d", WEXITSTATUS(status));

    mountinfo_checks();
    CHECK_OK("umount-a", umount2(A, 0));
    rmdir(A);
    rmdir(B);
    rmdir(TOP);
    return check_exit();
}
