/* tmpfsfull: a tmpfs mounted with size=300m is filled — by writes, then by
 * fallocate of far more — until ENOSPC; the space comes back when the file
 * goes, and when a full tmpfs is unmounted, or the last process of the mount
 * namespace it was mounted in exits without unmounting it. On this kernel tmpfs pages are kernel-heap objects, and the heap is
 * smaller than 300 MiB: writes must end in ENOSPC at the budget all in-memory
 * filesystems share, not in a kernel out of memory (which a fuzzer's
 * fallocate on /tmp once caused). Natively it runs in its own mount namespace
 * (root), so the host keeps nothing of it. */
#include "../check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#define DIR "/tmp/kevlar-tmpfsfull"

static char block[1 << 20];

/* Writes 1 MiB blocks to path until an error: the bytes written; *err gets errno. */
static long fill(const char *path, int *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    long written = 0, n;
    while ((n = write(fd, block, sizeof block)) > 0) written += n;
    *err = errno;
    close(fd);
    return written;
}

/* A new tmpfs at DIR takes 16 MiB: the space of the full ones before came back. */
static int fresh_mount_takes_16m(void)
{
    if (mount("kevlar-again", DIR, "tmpfs", 0, "size=16m") != 0) return 0;
    int fd = open(DIR "/h", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int ok = 1;
    for (int i = 0; i < 15; i++) ok &= write(fd, block, sizeof block) == (long)sizeof block;
    close(fd);
    umount(DIR);
    return ok;
}

int main(void)
{
    if (unshare(CLONE_NEWNS) == 0) mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(DIR, 0700);
    CHECK_OK("mount", mount("kevlar-full", DIR, "tmpfs", 0, "size=300m"));
    memset(block, 0x5a, sizeof block);
    int fd = open(DIR "/f", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    long written = 0, n;
    while ((n = write(fd, block, sizeof block)) > 0) written += n;
    int e = errno;
    CHECK("fill-ends-in-enospc", n < 0 && e == ENOSPC, "the last write returned %ld, errno %s", n, errname(e));
    CHECK("fill-wrote-something", written >= (16 << 20), "only %ld bytes before ENOSPC", written);
    struct statfs full;
    CHECK("statfs-when-full", statfs(DIR, &full) == 0 && full.f_bfree < 256, "statfs shows %ld blocks free", (long)full.f_bfree);
    int g = open(DIR "/g", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK_ERR("fallocate-when-full", fallocate(g, 0, 0, 1L << 30), ENOSPC);
    close(g);
    close(fd);
    CHECK_OK("unlink", unlink(DIR "/f"));
    fd = open(DIR "/f", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK("write-after-unlink", write(fd, block, sizeof block) == (long)sizeof block, "errno %s", errname(errno));
    close(fd);
    unlink(DIR "/f");
    unlink(DIR "/g");
    CHECK_OK("umount", umount(DIR));

    /* Unmounting a full tmpfs frees its space. */
    int err = 0;
    CHECK_OK("mount-to-fill", mount("kevlar-full", DIR, "tmpfs", 0, "size=300m"));
    CHECK("refill-ends-in-enospc", fill(DIR "/f", &err) >= (16 << 20) && err == ENOSPC, "errno %s", errname(err));
    CHECK_OK("umount-full", umount(DIR));
    CHECK("space-back-after-umount", fresh_mount_takes_16m(), "errno %s", errname(errno));

    /* So does the end of a mount namespace whose last process never unmounted its full tmpfs. */
    pid_t child = fork();
    if (child == 0) {
        if (unshare(CLONE_NEWNS) != 0) _exit(10);
        mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
        if (mount("kevlar-full", DIR, "tmpfs", 0, "size=300m") != 0) _exit(11);
        _exit(fill(DIR "/f", &err) >= (16 << 20) && err == ENOSPC ? 0 : 12);
    }
    int status = 0;
    CHECK("namespace-fills", waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "status %d", WEXITSTATUS(status));
    CHECK("space-back-after-namespace-ends", fresh_mount_takes_16m(), "errno %s", errname(errno));
    rmdir(DIR);
    return check_exit();
}
