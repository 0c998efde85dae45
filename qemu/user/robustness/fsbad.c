/* fsbad: bad input to file syscalls — paths too long, symlink loops and
 * chains, wrong file types, renames into oneself, writes to a pipe with no
 * reader, poll on ten thousand bad fds, NULL and unmapped path pointers, a
 * read into a buffer that runs off the end of a mapping, getdents64 and
 * readlink with buffers too small. Each must fail with Linux's errno (or
 * count) and nothing may crash. Works in a fresh directory under /tmp. Run
 * natively and on the kernel; the lines must match. */
#include "../check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define EXPECT_ERR(name, call, want) do { \
        errno = 0; long r_ = (long)(call); int e_ = errno; \
        CHECK(name, r_ == -1 && e_ == (want), "result %ld errno %s, want %s", r_, errname(e_), errname(want)); \
    } while (0)

static char *repeat(char c, int n)
{
    char *s = malloc((size_t)n + 1);
    memset(s, c, (size_t)n);
    s[n] = 0;
    return s;
}

static void long_names(void)
{
    char *path = repeat('p', 5000);
    EXPECT_ERR("path-5000-open", open(path, O_RDONLY), ENAMETOOLONG);
    EXPECT_ERR("path-5000-mkdir", mkdir(path, 0755), ENAMETOOLONG);
    EXPECT_ERR("path-5000-stat", access(path, F_OK), ENAMETOOLONG);
    free(path);
    char *name = repeat('n', 256);
    EXPECT_ERR("component-256-open", open(name, O_RDONLY), ENAMETOOLONG);
    EXPECT_ERR("component-256-creat", open(name, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
    EXPECT_ERR("component-256-mkdir", mkdir(name, 0755), ENAMETOOLONG);
    name[255] = 0;
    int fd = open(name, O_WRONLY | O_CREAT, 0644);
    CHECK("component-255-creat", fd >= 0, "errno %s", errname(errno));
    if (fd >= 0) close(fd);
    unlink(name);
    free(name);
}

static void symlinks(void)
{
    symlink("loop-b", "loop-a");
    symlink("loop-a", "loop-b");
    EXPECT_ERR("symlink-loop-open", open("loop-a", O_RDONLY), ELOOP);
    EXPECT_ERR("symlink-loop-stat", access("loop-a/x", F_OK), ELOOP);
    int fd = open("target", O_WRONLY | O_CREAT, 0644);
    close(fd);
    char name[16], prev[16];
    strcpy(prev, "target");
    for (int i = 0; i <= 40; i++) {
        snprintf(name, sizeof name, "chain%d", i);
        symlink(prev, name);
        strcpy(prev, name);
    }
    /* chain39 takes 40 links to reach the file (the most Linux follows), chain40 takes 41. */
    fd = open("chain39", O_RDONLY);
    CHECK("symlink-chain-40", fd >= 0, "errno %s", errname(errno));
    if (fd >= 0) close(fd);
    EXPECT_ERR("symlink-chain-41", open("chain40", O_RDONLY), ELOOP);
    EXPECT_ERR("symlink-nofollow-open", open("loop-a", O_RDONLY | O_NOFOLLOW), ELOOP);
}

static void wrong_types(void)
{
    mkdir("dir", 0755);
    mkdir("dir/sub", 0755);
    int fd = open("file", O_WRONLY | O_CREAT, 0644);
    close(fd);
    EXPECT_ERR("open-dir-wronly", open("dir", O_WRONLY), EISDIR);
    EXPECT_ERR("open-dir-rdwr", open("dir", O_RDWR), EISDIR);
    EXPECT_ERR("open-file-o-directory", open("file", O_RDONLY | O_DIRECTORY), ENOTDIR);
    EXPECT_ERR("open-file-as-dir", open("file/x", O_RDONLY), ENOTDIR);
    EXPECT_ERR("unlink-dir", unlink("dir"), EISDIR);
    EXPECT_ERR("rmdir-file", rmdir("file"), ENOTDIR);
    EXPECT_ERR("rmdir-nonempty", rmdir("dir"), ENOTEMPTY);
    EXPECT_ERR("rename-into-own-subdir", rename("dir", "dir/sub/moved"), EINVAL);
    EXPECT_ERR("rename-dir-over-file", rename("dir", "file"), ENOTDIR);
    EXPECT_ERR("rename-file-over-dir", rename("file", "dir"), EISDIR);
    EXPECT_ERR("mkdir-exists", mkdir("file", 0755), EEXIST);
}

static void dead_pipe(void)
{
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    pipe(p);
    close(p[0]);
    EXPECT_ERR("write-no-reader-epipe", write(p[1], "x", 1), EPIPE);
    EXPECT_ERR("write-no-reader-again", write(p[1], "xyz", 3), EPIPE);
    close(p[1]);
    signal(SIGPIPE, SIG_DFL);
}

static void poll_bad_fds(void)
{
    struct rlimit rl = { 10240, 10240 };
    CHECK("setrlimit-nofile-10240", setrlimit(RLIMIT_NOFILE, &rl) == 0, "errno %s", errname(errno));
    enum { N = 10000 };
    struct pollfd *fds = calloc(N, sizeof *fds);
    for (int i = 0; i < N; i++) {
        if (fcntl(200 + i, F_GETFD) != -1) close(200 + i); /* whatever the caller left open */
        fds[i].fd = 200 + i;
        fds[i].events = POLLIN | POLLOUT;
    }
    int r = poll(fds, N, 0);
    int nval = 0;
    for (int i = 0; i < N; i++)
        if (fds[i].revents == POLLNVAL) nval++;
    CHECK("poll-10000-bad-fds", r == N && nval == N, "result %d errno %s, %d POLLNVAL", r, errname(errno), nval);
    EXPECT_ERR("poll-over-rlimit", poll(fds, 10241, 0), EINVAL);
    free(fds);
}

static void bad_pointers(void)
{
    EXPECT_ERR("open-null-path", syscall(SYS_open, (char *)0, O_RDONLY), EFAULT);
    EXPECT_ERR("mkdir-null-path", syscall(SYS_mkdir, (char *)0, 0755), EFAULT);
    char *page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    EXPECT_ERR("open-unmapped-path", syscall(SYS_open, page + 4096, O_RDONLY), EFAULT);
    EXPECT_ERR("stat-unmapped-path", syscall(SYS_access, page + 4096, F_OK), EFAULT);
    /* A name that runs into the unmapped page with no NUL. */
    memset(page, 'q', 4096);
    EXPECT_ERR("open-path-runs-off-mapping", syscall(SYS_open, page + 4000, O_RDONLY), EFAULT);

    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char block[4096];
    memset(block, 'd', sizeof block);
    write(fd, block, sizeof block);
    lseek(fd, 0, SEEK_SET);
    /* 100 bytes fit before the hole: Linux copies those and returns the count. */
    long r = read(fd, page + 4096 - 100, 200);
    CHECK("read-straddling-mapping-end", r == 100, "result %ld errno %s", r, errname(errno));
    lseek(fd, 0, SEEK_SET);
    EXPECT_ERR("read-into-unmapped", read(fd, page + 4096, 10), EFAULT);
    EXPECT_ERR("write-from-unmapped", write(fd, page + 4096, 10), EFAULT);
    close(fd);
    munmap(page, 4096);
}

static void small_buffers(void)
{
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    char one[1];
    EXPECT_ERR("getdents64-1-byte", syscall(SYS_getdents64, dir, one, 1), EINVAL);
    EXPECT_ERR("getdents64-bad-fd", syscall(SYS_getdents64, 9999, one, 1), EBADF);
    int file = open("file", O_RDONLY);
    char big[512];
    EXPECT_ERR("getdents64-on-file", syscall(SYS_getdents64, file, big, sizeof big), ENOTDIR);
    close(file);
    close(dir);
    char buf[16];
    /* musl's readlink() turns size 0 into a 1-byte dummy buffer: ask the kernel directly. */
    EXPECT_ERR("readlink-size-0", syscall(SYS_readlink, "chain0", buf, 0), EINVAL);
    EXPECT_ERR("readlink-not-link", readlink("file", buf, sizeof buf), EINVAL);
    long r = readlink("chain0", buf, 3);
    CHECK("readlink-truncates", r == 3 && memcmp(buf, "tar", 3) == 0, "result %ld", r);
}

static void cleanup(void)
{
    const char *files[] = { "loop-a", "loop-b", "target", "file", "data", 0 };
    for (int i = 0; files[i]; i++) unlink(files[i]);
    char name[16];
    for (int i = 0; i <= 40; i++) {
        snprintf(name, sizeof name, "chain%d", i);
        unlink(name);
    }
    rmdir("dir/sub");
    rmdir("dir");
}

int main(void)
{
    char dir[] = "/tmp/fsbadXXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        check_out("FAIL setup: errno %s", errname(errno));
        return 1;
    }
    long_names();
    symlinks();
    wrong_types();
    dead_pipe();
    poll_bad_fds();
    bad_pointers();
    small_buffers();
    cleanup();
    chdir("/");
    CHECK("cleanup", rmdir(dir) == 0, "errno %s", errname(errno));
    return check_exit();
}
