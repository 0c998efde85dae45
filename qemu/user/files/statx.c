/* stat and statx agree: for the program itself and for "/", statx reports
 * the basic stats and the same type, mode, size, inode and link count as
 * stat; a bad flag and the reserved mask bit are EINVAL, a missing path
 * ENOENT, a bad pointer EFAULT. */
#include "../check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>

struct kstatx {
    uint32_t mask, blksize; uint64_t attributes; uint32_t nlink, uid, gid; uint16_t mode, pad;
    uint64_t ino, size, blocks, attributes_mask;
    struct { int64_t sec; uint32_t nsec; int32_t pad; } atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};

static void same(const char *what, const char *path)
{
    struct stat st;
    struct kstatx sx;
    char name[64];
    memset(&sx, 0, sizeof sx);
    int a = stat(path, &st);
    long b = syscall(SYS_statx, AT_FDCWD, path, 0, 0x7ff, &sx);
    snprintf(name, sizeof name, "statx-%s-succeeds", what);
    CHECK(name, a == 0 && b == 0, "stat %d statx %ld (%s)", a, b, strerror(errno));
    snprintf(name, sizeof name, "statx-%s-basic-mask", what);
    CHECK(name, (sx.mask & 0x7ff) == 0x7ff, "mask %#x", sx.mask);
    snprintf(name, sizeof name, "statx-%s-matches-stat", what);
    CHECK(name, sx.mode == st.st_mode && sx.size == (uint64_t)st.st_size && sx.ino == st.st_ino && sx.nlink == st.st_nlink,
          "mode %o/%o size %llu/%llu", sx.mode, st.st_mode, (unsigned long long)sx.size, (unsigned long long)st.st_size);
}

int main(int argc, char **argv)
{
    (void)argc;
    same("self", argv[0]);
    same("root", "/");
    struct kstatx sx;
    CHECK("statx-bad-flags-einval", syscall(SYS_statx, AT_FDCWD, "/", 0x40000000, 0x7ff, &sx) == -1 && errno == EINVAL, "%s", strerror(errno));
    CHECK("statx-reserved-mask-einval", syscall(SYS_statx, AT_FDCWD, "/", 0, 0x80000000u, &sx) == -1 && errno == EINVAL, "%s", strerror(errno));
    CHECK("statx-missing-enoent", syscall(SYS_statx, AT_FDCWD, "/no/such/kevlar", 0, 0x7ff, &sx) == -1 && errno == ENOENT, "%s", strerror(errno));
    CHECK("statx-bad-buffer-efault", syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, (void *)8) == -1 && errno == EFAULT, "%s", strerror(errno));
    return check_exit();
}
