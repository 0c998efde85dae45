/* tmpfsfull: a tmpfs mounted with size=300m is filled — by writes, then by
 * fallocate of far more — until ENOSPC; the space comes back when the file
 * goes. On this kernel tmpfs pages are kernel-heap objects, and the heap is
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

#define DIR "/tmp/kevlar-tmpfsfull"

int main(void)
{
    if (unshare(CLONE_NEWNS) == 0) mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(DIR, 0700);
    CHECK_OK("mount", mount("kevlar-full", DIR, "tmpfs", 0, "size=300m"));
    static char block[1 << 20];
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
    umount(DIR);
    rmdir(DIR);
    return check_exit();
}
