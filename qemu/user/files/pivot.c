/* pivot: pivot_root(2) and the mount moves around it. A child chroots into a
 * tmpfs mount R holding another tmpfs mount N and pivots into N, putting R at
 * N's /old; then the errors in Linux's order. Natively the program first
 * takes a private mount namespace so the host's mounts are untouched (on the
 * kernel too, since it has mount namespaces; nothing would leak out of the VM
 * anyway). Run natively as root and on the kernel; the lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int pivot_root(const char *new_root, const char *put_old)
{
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

static void touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) close(fd);
}

/* The pivot itself, in a child whose root is R (a mount with a parent, as Linux wants). */
static int pivot_child(void)
{
    if (chroot("/tmp/kevlar-pivot") != 0 || chdir("/") != 0) return 10;
    CHECK_ERR("pivot-same-mount-ebusy", pivot_root("/", "/new"), EBUSY);
    CHECK_ERR("pivot-file-enotdir", pivot_root("/marker-r", "/new/old"), ENOTDIR);
    CHECK_ERR("pivot-missing-enoent", pivot_root("/nowhere", "/new/old"), ENOENT);
    CHECK_ERR("pivot-not-mount-root-einval", pivot_root("/new/sub", "/new/sub"), EINVAL);
    CHECK_ERR("pivot-put-old-outside-einval", pivot_root("/new", "/other/x"), EINVAL);
    CHECK_ERR("pivot-put-old-elsewhere-ebusy", pivot_root("/new", "/plain"), EBUSY);
    CHECK_OK("pivot-root", pivot_root("/new", "/new/old"));
    char cwd[256] = {0};
    CHECK("pivot-cwd-moved", getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0, "cwd %s", cwd);
    CHECK("pivot-new-root-visible", access("/marker-n", F_OK) == 0, "errno %s", errname(errno));
    CHECK("pivot-old-root-at-put-old", access("/old/marker-r", F_OK) == 0, "errno %s", errname(errno));
    CHECK("pivot-old-mountpoint-empty", access("/old/new/marker-n", F_OK) == -1 && errno == ENOENT, "errno %s", errname(errno));
    CHECK("pivot-relative-cwd", access("marker-n", F_OK) == 0, "errno %s", errname(errno));
    CHECK_ERR("pivot-again-same-mount-ebusy", pivot_root("/", "/old"), EBUSY);
    CHECK_OK("umount-put-old", umount2("/old", MNT_DETACH));
    CHECK("old-root-gone", access("/old/marker-r", F_OK) == -1 && errno == ENOENT, "errno %s", errname(errno));
    return check_exit();
}

int main(void)
{
    if (unshare(CLONE_NEWNS) == 0) mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    const char *r = "/tmp/kevlar-pivot";
    mkdir(r, 0755);
    CHECK_OK("mount-r", mount("kevlar-r", r, "tmpfs", 0, "mode=0755"));
    mkdir("/tmp/kevlar-pivot/new", 0755);
    mkdir("/tmp/kevlar-pivot/plain", 0755);
    mkdir("/tmp/kevlar-pivot/other", 0755);
    CHECK_OK("mount-o", mount("kevlar-o", "/tmp/kevlar-pivot/other", "tmpfs", 0, "mode=0755"));
    mkdir("/tmp/kevlar-pivot/other/x", 0755);
    touch("/tmp/kevlar-pivot/marker-r");
    CHECK_OK("mount-n", mount("kevlar-n", "/tmp/kevlar-pivot/new", "tmpfs", 0, "mode=0755"));
    mkdir("/tmp/kevlar-pivot/new/old", 0755);
    mkdir("/tmp/kevlar-pivot/new/sub", 0755);
    touch("/tmp/kevlar-pivot/new/marker-n");

    pid_t child = fork();
    if (child == 0) {
        if (setuid(1000) != 0) _exit(20);
        _exit(pivot_root("/tmp/kevlar-pivot/new", "/tmp/kevlar-pivot/new/old") == -1 && errno == EPERM ? 0 : 21);
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK("pivot-unprivileged-eperm", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", WEXITSTATUS(status));

    child = fork();
    if (child == 0) _exit(pivot_child());
    waitpid(child, &status, 0);
    CHECK("pivot-child", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", WEXITSTATUS(status));

    /* The parent's root was not R: it still sees the tree, with N now where R was. */
    CHECK("parent-sees-n-at-r", access("/tmp/kevlar-pivot/marker-n", F_OK) == 0, "errno %s", errname(errno));
    CHECK_OK("umount-n", umount2(r, 0));
    CHECK("r-gone", access("/tmp/kevlar-pivot/marker-r", F_OK) == -1 && errno == ENOENT, "errno %s", errname(errno));
    rmdir(r);
    return check_exit();
}
