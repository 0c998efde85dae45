/* copy: sendfile(2), copy_file_range(2), fallocate(2), posix_fadvise(2) on
 * regular files and pipes in /tmp. Run natively and on the kernel; the lines
 * must match. */
#include "../check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static void fill(int fd, int n)
{
    char buf[1000];
    for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (char)('a' + i % 26);
    while (n > 0) {
        int k = n < (int)sizeof buf ? n : (int)sizeof buf;
        write(fd, buf, (size_t)k);
        n -= k;
    }
}

int main(void)
{
    const char *a = "/tmp/kevlar-copy-a", *b = "/tmp/kevlar-copy-b";
    unlink(a);
    unlink(b);
    int in = open(a, O_RDWR | O_CREAT | O_TRUNC, 0644);
    fill(in, 100000);
    lseek(in, 0, SEEK_SET);
    int out = open(b, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ssize_t n = sendfile(out, in, 0, 200000);
    CHECK("sendfile-file-to-file", n == 100000, "n %ld errno %s", (long)n, errname(errno));
    CHECK("sendfile-moves-offset", lseek(in, 0, SEEK_CUR) == 100000, "offset %ld", (long)lseek(in, 0, SEEK_CUR));
    struct stat st;
    fstat(out, &st);
    CHECK("sendfile-size", st.st_size == 100000, "size %ld", (long)st.st_size);
    off_t off = 10;
    n = sendfile(out, in, &off, 5);
    CHECK("sendfile-offset-pointer", n == 5 && off == 15 && lseek(in, 0, SEEK_CUR) == 100000, "n %ld off %ld", (long)n, (long)off);
    char buf[16] = {0};
    pread(out, buf, 5, 100000);
    CHECK("sendfile-offset-bytes", memcmp(buf, "klmno", 5) == 0, "bytes %.5s", buf);
    int p[2];
    pipe(p);
    off = 0;
    n = sendfile(p[1], in, &off, 7);
    CHECK("sendfile-to-pipe", n == 7 && read(p[0], buf, sizeof buf) == 7 && memcmp(buf, "abcdefg", 7) == 0, "n %ld", (long)n);
    CHECK("sendfile-from-pipe-einval", sendfile(out, p[0], 0, 1) == -1 && errno == EINVAL, "errno %s", errname(errno));
    CHECK("sendfile-bad-fd", sendfile(out, 99, 0, 1) == -1 && errno == EBADF, "errno %s", errname(errno));
    close(p[0]);
    close(p[1]);

    loff_t ri = 0, ro = 0;
    ftruncate(out, 0);
    n = copy_file_range(in, &ri, out, &ro, 4096, 0);
    CHECK("copy_file_range", n == 4096 && ri == 4096 && ro == 4096, "n %ld errno %s", (long)n, errname(errno));
    CHECK("copy_file_range-flags", copy_file_range(in, &ri, out, &ro, 1, 1) == -1 && errno == EINVAL, "errno %s", errname(errno));

    CHECK("fallocate-grow", fallocate(out, 0, 0, 8192) == 0 && fstat(out, &st) == 0 && st.st_size == 8192, "size %ld errno %s",
          (long)st.st_size, errname(errno));
    CHECK("fallocate-keep-size", fallocate(out, FALLOC_FL_KEEP_SIZE, 0, 100000) == 0 && fstat(out, &st) == 0 && st.st_size == 8192,
          "size %ld", (long)st.st_size);
    CHECK("fallocate-punch", fallocate(out, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096) == 0, "errno %s", errname(errno));
    pread(out, buf, 4, 100);
    CHECK("punched-zeros", buf[0] == 0 && buf[3] == 0 && fstat(out, &st) == 0 && st.st_size == 8192, "byte %d", buf[0]);
    CHECK("fallocate-bad-len", fallocate(out, 0, 0, 0) == -1 && errno == EINVAL, "errno %s", errname(errno));
    int ro_fd = open(a, O_RDONLY);
    CHECK("fallocate-readonly-ebadf", fallocate(ro_fd, 0, 0, 10) == -1 && errno == EBADF, "errno %s", errname(errno));
    CHECK("fadvise", posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL) == 0, "failed");
    CHECK("fadvise-bad-advice", posix_fadvise(in, 0, 0, 99) == EINVAL, "not EINVAL");
    close(ro_fd);
    close(in);
    close(out);
    unlink(a);
    unlink(b);
    return check_exit();
}
