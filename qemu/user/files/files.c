/* files: the file syscalls on a scratch directory under /tmp (open(2),
 * read/write, lseek, pread/pwrite, fstat/stat, ftruncate, O_APPEND, O_EXCL,
 * O_TRUNC, dup/dup2/dup3, fcntl, mkdir/rmdir, rename, unlink, getdents64,
 * chdir/getcwd, symlink/readlink, access) plus pipes and reading the
 * program's own executable. The scratch directory's name holds the pid but
 * is never printed; it is removed at the end. */
#include "../check.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static char scratch[64];

static int read_all(const char *path, char *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, n);
    close(fd);
    return (int)r;
}

static void own_executable(const char *self)
{
    int fd = open(self, O_RDONLY | O_CLOEXEC);
    CHECK("open-own-executable", fd >= 0, "open(argv[0]) failed: %s", errname(errno));
    if (fd < 0) return;
    char magic[4] = { 0 };
    CHECK("read-elf-magic", read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0, "the first 4 bytes are not \\177ELF");
    struct stat st;
    CHECK("fstat-executable", fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) && st.st_size > 4096,
          "fstat does not show an executable regular file over 4 KiB");
    CHECK("lseek-end-is-size", lseek(fd, 0, SEEK_END) == st.st_size, "SEEK_END is not the size");
    CHECK("read-at-eof-zero", read(fd, magic, 4) == 0, "read at the end did not return 0");
    CHECK("pread-keeps-offset", pread(fd, magic, 4, 0) == 4 && memcmp(magic, "\177ELF", 4) == 0 && lseek(fd, 0, SEEK_CUR) == st.st_size,
          "pread at 0 failed or moved the offset");
    CHECK("fcntl-cloexec-set", fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC did not set FD_CLOEXEC");
    CHECK_ERR("write-read-only-fd-ebadf", write(fd, "x", 1), EBADF);
    close(fd);
}

static void create_write_read(void)
{
    char buf[64] = { 0 };
    int fd = open("a.txt", O_CREAT | O_RDWR | O_EXCL, 0644);
    CHECK("create", fd >= 0, "open O_CREAT|O_EXCL failed: %s", errname(errno));
    if (fd < 0) return;
    CHECK("write", write(fd, "hello, world\n", 13) == 13, "write did not write 13 bytes");
    CHECK("offset-after-write", lseek(fd, 0, SEEK_CUR) == 13, "the offset is not 13");
    CHECK("lseek-set-read", lseek(fd, 7, SEEK_SET) == 7 && read(fd, buf, 64) == 6 && memcmp(buf, "world\n", 6) == 0, "reading from 7 gave other bytes");
    CHECK("pwrite", pwrite(fd, "W", 1, 7) == 1 && pread(fd, buf, 13, 0) == 13 && memcmp(buf, "hello, World\n", 13) == 0, "pwrite/pread disagree");
    CHECK("lseek-past-end-hole", lseek(fd, 100, SEEK_SET) == 100 && write(fd, "!", 1) == 1, "writing past the end failed");
    char hole[87];
    CHECK("hole-reads-zero", pread(fd, hole, sizeof hole, 13) == (ssize_t)sizeof hole && !memchr(hole, 1, sizeof hole) && hole[0] == 0 && hole[86] == 0,
          "the hole does not read as zeros");
    struct stat st;
    CHECK("fstat-size", fstat(fd, &st) == 0 && st.st_size == 101 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == (0644 & ~umask(022)),
          "fstat does not show a 101-byte regular file with mode 0644 less the umask");
    CHECK_OK("ftruncate", ftruncate(fd, 5));
    CHECK("ftruncate-size", fstat(fd, &st) == 0 && st.st_size == 5, "the size after ftruncate is not 5");
    struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
    CHECK("writev", lseek(fd, 0, SEEK_END) == 5 && writev(fd, iov, 2) == 4, "writev did not write 4 bytes at the end");
    char x[3] = { 0 }, y[6] = { 0 };
    struct iovec riov[2] = { { x, 3 }, { y, 6 } };
    CHECK("readv", lseek(fd, 0, SEEK_SET) == 0 && readv(fd, riov, 2) == 9 && memcmp(x, "hel", 3) == 0 && memcmp(y, "loabcd", 6) == 0,
          "readv did not split the 9 bytes 3 + 6");
    CHECK_ERR("lseek-negative-einval", lseek(fd, -1, SEEK_SET), EINVAL);
    CHECK_ERR("lseek-bad-whence-einval", lseek(fd, 0, 42), EINVAL);
    close(fd);
    CHECK_ERR("create-excl-existing-eexist", open("a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);

    fd = open("a.txt", O_WRONLY | O_APPEND);
    CHECK("append", fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "Z", 1) == 1, "O_APPEND open or write failed");
    close(fd);
    CHECK("append-at-end", read_all("a.txt", buf, 64) == 10 && buf[9] == 'Z' && buf[0] == 'h', "O_APPEND did not write at the end");
    fd = open("a.txt", O_WRONLY | O_TRUNC);
    close(fd);
    CHECK("trunc", stat("a.txt", &st) == 0 && st.st_size == 0, "O_TRUNC did not empty the file");
    CHECK_ERR("open-missing-enoent", open("missing", O_RDONLY), ENOENT);
    CHECK_ERR("open-missing-dir-enoent", open("nodir/file", O_CREAT | O_WRONLY, 0644), ENOENT);
    CHECK_ERR("open-file-as-dir-enotdir", open("a.txt/x", O_RDONLY), ENOTDIR);
    CHECK_ERR("o-directory-on-file-enotdir", open("a.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
    char longname[NAME_MAX + 2];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    CHECK_ERR("name-too-long", open(longname, O_RDONLY), ENAMETOOLONG);
    CHECK_ERR("open-null-efault", syscall(SYS_open, NULL, O_RDONLY), EFAULT);
}

static void descriptors(void)
{
    int fd = open("a.txt", O_RDWR);
    CHECK("open-for-dup", fd >= 0, "open(\"a.txt\", O_RDWR) failed: %s", errname(errno));
    if (fd < 0) return; /* dup2 onto 50 etc. needs a real descriptor */
    int d = dup(fd);
    CHECK("dup-lowest-free", d > fd, "dup did not return a new descriptor above the original");
    CHECK("dup-shares-offset", write(fd, "abc", 3) == 3 && lseek(d, 0, SEEK_CUR) == 3, "a dup does not share the file offset");
    CHECK("dup2-target", dup2(fd, 50) == 50 && lseek(50, 0, SEEK_CUR) == 3, "dup2 to 50 failed");
    CHECK("dup2-same-fd", dup2(50, 50) == 50, "dup2(fd, fd) did not return fd");
    CHECK_ERR("dup3-same-fd-einval", dup3(50, 50, 0), EINVAL);
    CHECK("dup3-cloexec", dup3(fd, 51, O_CLOEXEC) == 51 && fcntl(51, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC did not set FD_CLOEXEC");
    CHECK("fcntl-dupfd", fcntl(fd, F_DUPFD, 60) == 60, "F_DUPFD 60 did not return 60");
    CHECK("fcntl-setfd", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_SETFD did not stick");
    CHECK("fcntl-getfl", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL does not say O_RDWR");
    CHECK_ERR("dup2-bad-fd-ebadf", dup2(99, 52), EBADF);
    CHECK_ERR("fcntl-bad-cmd-einval", fcntl(fd, 9999), EINVAL);
    close(d), close(50), close(51), close(60);
    CHECK("closed-fd-reused", dup(fd) == d, "the lowest free descriptor was not reused");
    close(d);
    close(fd);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void directories(void)
{
    CHECK_OK("mkdir", mkdir("d", 0755));
    CHECK_ERR("mkdir-existing-eexist", mkdir("d", 0755), EEXIST);
    struct stat st;
    CHECK("stat-dir", stat("d", &st) == 0 && S_ISDIR(st.st_mode), "stat does not show a directory");
    close(open("d/one", O_CREAT | O_WRONLY, 0600));
    close(open("d/two", O_CREAT | O_WRONLY, 0600));
    CHECK_OK("rename", rename("d/two", "d/three"));
    CHECK_ERR("renamed-old-gone", access("d/two", F_OK), ENOENT);
    CHECK_OK("access-renamed", access("d/three", R_OK | W_OK));
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    CHECK("open-directory", dfd >= 0, "open O_DIRECTORY failed: %s", errname(errno));
    char buf[1024], *names[8];
    /* before getdents: after it ext4's directory offset is near 2^63 and read fails EINVAL on the offset first */
    CHECK_ERR("read-directory-eisdir", read(dfd, buf, 16), EISDIR);
    int n = 0;
    long got;
    while (dfd >= 0 && (got = syscall(SYS_getdents64, dfd, buf, sizeof buf)) > 0)
        for (long off = 0; off < got;) {
            struct dirent *e = (struct dirent *)(buf + off);
            if (n < 8) names[n++] = strdup(e->d_name);
            off += e->d_reclen;
        }
    qsort(names, n, sizeof names[0], name_cmp);
    char list[128] = "";
    for (int i = 0; i < n; i++) { strcat(list, names[i]); strcat(list, i + 1 < n ? "," : ""); free(names[i]); }
    CHECK("getdents-lists-entries", strcmp(list, ".,..,one,three") == 0, "the directory lists %s", list);
    int f = openat(dfd, "one", O_RDONLY);
    CHECK("openat-dirfd", f >= 0, "openat relative to the directory failed: %s", errname(errno));
    close(f);
    close(dfd);
    CHECK_ERR("rmdir-not-empty", rmdir("d"), ENOTEMPTY);
    CHECK_ERR("unlink-directory-eisdir", unlink("d"), EISDIR);
    CHECK_OK("unlink", unlink("d/one"));
    unlink("d/three");
    CHECK_OK("rmdir", rmdir("d"));
    CHECK_ERR("stat-removed-enoent", stat("d", &st), ENOENT);

    CHECK_OK("symlink", symlink("a.txt", "link"));
    char target[32] = { 0 };
    CHECK("readlink", readlink("link", target, sizeof target) == 5 && memcmp(target, "a.txt", 5) == 0, "readlink did not give a.txt");
    CHECK("lstat-symlink", lstat("link", &st) == 0 && S_ISLNK(st.st_mode), "lstat does not show a symlink");
    CHECK_ERR("readlink-not-link-einval", readlink("a.txt", target, sizeof target), EINVAL);
    unlink("link");
}

static void cwd(void)
{
    char buf[PATH_MAX];
    CHECK_OK("chdir-root", chdir("/"));
    CHECK("getcwd-root", getcwd(buf, sizeof buf) && strcmp(buf, "/") == 0, "getcwd after chdir(\"/\") is not \"/\"");
    CHECK_OK("chdir-scratch", chdir(scratch));
    CHECK("getcwd-scratch", getcwd(buf, sizeof buf) && strcmp(buf, scratch) == 0, "getcwd is not the scratch directory");
    CHECK_ERR("getcwd-small-erange", syscall(SYS_getcwd, buf, 2), ERANGE);
    CHECK_ERR("chdir-file-enotdir", chdir("a.txt"), ENOTDIR);
    CHECK_ERR("chdir-missing-enoent", chdir("missing"), ENOENT);
}

static void pipes(void)
{
    int p[2] = { -1, -1 };
    CHECK_OK("pipe", pipe(p));
    if (p[0] < 0 || p[1] < 0) return; /* never write to a descriptor the call did not give */
    char buf[16] = { 0 };
    CHECK("pipe-round-trip", write(p[1], "ping", 4) == 4 && read(p[0], buf, 16) == 4 && memcmp(buf, "ping", 4) == 0, "the pipe did not carry 4 bytes");
    struct stat st;
    CHECK("pipe-fstat-fifo", fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "a pipe end is not S_ISFIFO");
    CHECK_ERR("pipe-lseek-espipe", lseek(p[0], 0, SEEK_CUR), ESPIPE);
    CHECK_ERR("pipe-write-read-end-ebadf", write(p[0], "x", 1), EBADF);
    close(p[1]);
    CHECK("pipe-eof", read(p[0], buf, 16) == 0, "reading a pipe with no writer did not return 0");
    close(p[0]);
    p[0] = p[1] = -1;
    CHECK_OK("pipe2-nonblock", pipe2(p, O_NONBLOCK | O_CLOEXEC));
    if (p[0] < 0 || p[1] < 0) return;
    CHECK_ERR("pipe-empty-nonblock-eagain", read(p[0], buf, 16), EAGAIN);
    CHECK("pipe2-cloexec", fcntl(p[0], F_GETFD) == FD_CLOEXEC && (fcntl(p[1], F_GETFL) & O_NONBLOCK), "pipe2 flags not set");
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERR("pipe-no-reader-epipe", write(p[1], "x", 1), EPIPE);
    close(p[1]);
}

/* renameat2's RENAME_WHITEOUT: the old name becomes a char device 0:0. */
static void whiteout(void)
{
    int fd = open("w-old", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    long r = syscall(SYS_renameat2, AT_FDCWD, "w-old", AT_FDCWD, "w-new", 4 /* RENAME_WHITEOUT */);
    CHECK("rename-whiteout", r == 0, "errno %s", errname(errno));
    struct stat st;
    CHECK("whiteout-node", lstat("w-old", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0 && (st.st_mode & 07777) == 0,
          "mode %o rdev %lu", st.st_mode, (unsigned long)st.st_rdev);
    CHECK("whiteout-moved", access("w-new", F_OK) == 0, "errno %s", errname(errno));
    r = syscall(SYS_renameat2, AT_FDCWD, "w-new", AT_FDCWD, "w-old", 4 | 2 /* RENAME_EXCHANGE */);
    CHECK("whiteout-exchange-einval", r == -1 && errno == EINVAL, "errno %s", errname(errno));
    unlink("w-old");
    unlink("w-new");
}

int main(int argc, char **argv)
{
    (void)argc;
    own_executable(argv[0]);
    snprintf(scratch, sizeof scratch, "/tmp/kevlar-files-%d", (int)getpid());
    CHECK_OK("mkdir-scratch", mkdir(scratch, 0700));
    CHECK_OK("chdir-scratch-first", chdir(scratch));
    create_write_read();
    descriptors();
    directories();
    cwd();
    pipes();
    whiteout();
    unlink("a.txt");
    chdir("/");
    CHECK_OK("rmdir-scratch", rmdir(scratch));
    return check_exit();
}
