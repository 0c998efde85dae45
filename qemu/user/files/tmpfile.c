/* tmpfile: open(2) with O_TMPFILE and linkat(2) with AT_EMPTY_PATH — an
 * unnamed file in a directory that a later linkat names, the flag checks,
 * O_EXCL, /proc/self/fd's "(deleted)", and who may link a file by its fd.
 * Run natively and on the kernel; the lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif
#define O_TMPFILE_BIT 020000000

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

int main(void)
{
    const char *named = "/tmp/kevlar-tmpfile-named", *second = "/tmp/kevlar-tmpfile-second";
    const char *excl = "/tmp/kevlar-tmpfile-excl", *user = "/tmp/kevlar-tmpfile-user";
    unlink(named);
    unlink(second);
    unlink(excl);
    unlink(user);
    umask(022);

    int fd = open("/tmp", O_TMPFILE | O_RDWR, 0640);
    CHECK("open-tmpfile", fd >= 0, "errno %s", errname(errno));
    struct stat st;
    CHECK("tmpfile-unnamed", fstat(fd, &st) == 0 && st.st_nlink == 0 && S_ISREG(st.st_mode)
          && (st.st_mode & 07777) == 0640 && st.st_size == 0,
          "nlink %lu mode %o size %ld", (unsigned long)st.st_nlink, st.st_mode, (long)st.st_size);
    CHECK("tmpfile-write", write(fd, "hello", 5) == 5, "errno %s", errname(errno));
    char buf[64] = {0};
    CHECK("tmpfile-pread", pread(fd, buf, sizeof buf, 0) == 5 && memcmp(buf, "hello", 5) == 0, "read %.5s", buf);
    int fl = fcntl(fd, F_GETFL);
    CHECK("tmpfile-getfl", (fl & O_ACCMODE) == O_RDWR, "flags %o", fl);

    char link[64], target[256] = {0};
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    CHECK("tmpfile-proc-fd", n > 0 && strncmp(target, "/tmp/#", 6) == 0 && ends_with(target, " (deleted)"),
          "%s", n > 0 ? "unexpected form" : errname(errno));

    CHECK_OK("linkat-empty-path", linkat(fd, "", AT_FDCWD, named, AT_EMPTY_PATH));
    CHECK("linked-nlink", fstat(fd, &st) == 0 && st.st_nlink == 1, "nlink %lu", (unsigned long)st.st_nlink);
    int again = open(named, O_RDONLY);
    memset(buf, 0, sizeof buf);
    CHECK("linked-contents", again >= 0 && read(again, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0, "read %.5s", buf);
    close(again);
    CHECK_OK("linkat-second-name", linkat(fd, "", AT_FDCWD, second, AT_EMPTY_PATH));
    CHECK("second-nlink", stat(named, &st) == 0 && st.st_nlink == 2, "nlink %lu", (unsigned long)st.st_nlink);
    CHECK_ERR("linkat-existing-name", linkat(fd, "", AT_FDCWD, named, AT_EMPTY_PATH), EEXIST);
    CHECK_ERR("linkat-no-flag-enoent", linkat(fd, "", AT_FDCWD, "/tmp/kevlar-tmpfile-x", 0), ENOENT);
    close(fd);
    CHECK("named-survives-close", stat(named, &st) == 0 && st.st_size == 5, "errno %s", errname(errno));

    /* With O_EXCL an O_TMPFILE file may never be named. */
    fd = open("/tmp", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
    CHECK("open-tmpfile-excl", fd >= 0, "errno %s", errname(errno));
    CHECK_ERR("linkat-excl-enoent", linkat(fd, "", AT_FDCWD, excl, AT_EMPTY_PATH), ENOENT);
    close(fd);

    /* A named file whose last name is gone while open cannot be linked again. */
    unlink(second);
    const char *gone = "/tmp/kevlar-tmpfile-gone";
    fd = open(gone, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(gone);
    CHECK_ERR("linkat-unlinked-enoent", linkat(fd, "", AT_FDCWD, gone, AT_EMPTY_PATH), ENOENT);
    n = readlink((snprintf(link, sizeof link, "/proc/self/fd/%d", fd), link), target, sizeof target - 1);
    if (n >= 0) target[n] = 0;
    CHECK("unlinked-proc-fd", n > 0 && strcmp(target, "/tmp/kevlar-tmpfile-gone (deleted)") == 0, "%s", n > 0 ? target : errname(errno));
    close(fd);

    /* The flag checks come before the path is read. */
    CHECK_ERR("tmpfile-rdonly-einval", open("/tmp", O_TMPFILE | O_RDONLY, 0600), EINVAL);
    CHECK_ERR("tmpfile-bit-only-einval", open("/tmp", O_TMPFILE_BIT | O_RDWR, 0600), EINVAL);
    CHECK_ERR("tmpfile-creat-einval", open("/tmp", O_TMPFILE | O_CREAT | O_RDWR, 0600), EINVAL);
    CHECK_ERR("tmpfile-bad-pointer-einval", open((const char *)8, O_TMPFILE_BIT | O_RDWR, 0600), EINVAL);
    CHECK_ERR("tmpfile-on-file-enotdir", open(named, O_TMPFILE | O_RDWR, 0600), ENOTDIR);
    CHECK_ERR("tmpfile-missing-enoent", open("/tmp/kevlar-no-such-dir", O_TMPFILE | O_RDWR, 0600), ENOENT);
    CHECK_ERR("tmpfile-procfs-eopnotsupp", open("/proc", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP);

    /* What linkat's AT_EMPTY_PATH accepts. */
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    CHECK_ERR("linkat-directory-eperm", linkat(dir, "", AT_FDCWD, "/tmp/kevlar-tmpfile-dir", AT_EMPTY_PATH), EPERM);
    close(dir);
    int p[2];
    pipe(p);
    CHECK_ERR("linkat-pipe-exdev", linkat(p[0], "", AT_FDCWD, "/tmp/kevlar-tmpfile-pipe", AT_EMPTY_PATH), EXDEV);
    close(p[0]);
    close(p[1]);
    CHECK_ERR("linkat-bad-fd", linkat(99, "", AT_FDCWD, "/tmp/kevlar-tmpfile-bad", AT_EMPTY_PATH), EBADF);
    CHECK_ERR("linkat-bad-flags", linkat(AT_FDCWD, named, AT_FDCWD, "/tmp/kevlar-tmpfile-bad", 0x8000), EINVAL);
    int opath = open(named, O_PATH);
    CHECK_OK("linkat-o-path-fd", linkat(opath, "", AT_FDCWD, second, AT_EMPTY_PATH));
    close(opath);
    unlink(second);

    /* Without CAP_DAC_READ_SEARCH only a file opened with the caller's own credentials. */
    int before = open("/tmp", O_TMPFILE | O_RDWR, 0644);
    pid_t child = fork();
    if (child == 0) {
        if (setgid(1000) != 0 || setuid(1000) != 0) _exit(10);
        if (linkat(before, "", AT_FDCWD, user, AT_EMPTY_PATH) != -1 || errno != ENOENT) _exit(11);
        int mine = open("/tmp", O_TMPFILE | O_RDWR, 0600);
        if (mine < 0) _exit(12);
        if (linkat(mine, "", AT_FDCWD, user, AT_EMPTY_PATH) != 0) _exit(13);
        struct stat us;
        if (stat(user, &us) != 0 || us.st_uid != 1000 || us.st_nlink != 1) _exit(14);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK("linkat-unprivileged", WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", WEXITSTATUS(status));
    close(before);

    /* Unnamed files go away at their last close: many of them leave no name behind. */
    int made = 0;
    for (int i = 0; i < 200; i++) {
        int t = open("/tmp", O_TMPFILE | O_RDWR, 0600);
        if (t < 0) break;
        char block[4096];
        memset(block, 'x', sizeof block);
        if (write(t, block, sizeof block) == (ssize_t)sizeof block) made++;
        close(t);
    }
    CHECK("tmpfile-many", made == 200, "made %d", made);

    unlink(named);
    unlink(user);
    return check_exit();
}
