/* badinput: bad file descriptors, bad pointers and bad arguments get the
 * errno Linux documents, and the process goes on. stdout is a pipe natively
 * and the console (a tty) on the kernel (or a file when redirected), so only
 * what all give is checked: an unknown ioctl fails the same way on each, and
 * TCGETS and lseek are checked against the kind of file fstat reports. Writes with bad pointers
 * go to fd 1 but can print nothing: no byte of them is readable. */
#include "../check.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>

#define KERNEL_ADDR ((void *)0xffff800000000000UL)
#define NONCANONICAL ((void *)0x0000800000000000UL)

static void bad_fds(void)
{
    char c = 'x';
    struct stat st;
    CHECK_ERR("write-fd-99-ebadf", write(99, &c, 1), EBADF);
    CHECK_ERR("read-fd-99-ebadf", read(99, &c, 1), EBADF);
    CHECK_ERR("write-fd-negative-ebadf", write(-1, &c, 1), EBADF);
    CHECK_ERR("close-minus-one-ebadf", close(-1), EBADF);
    CHECK_ERR("close-fd-99-ebadf", close(99), EBADF);
    CHECK_ERR("fstat-fd-99-ebadf", fstat(99, &st), EBADF);
    CHECK_ERR("lseek-fd-99-ebadf", lseek(99, 0, SEEK_SET), EBADF);
    CHECK_ERR("ioctl-fd-99-ebadf", ioctl(99, TCGETS, &(struct termios){0}), EBADF);
    CHECK_ERR("fd-int-max-ebadf", write(0x7fffffff, &c, 1), EBADF);
    /* the fd argument is an unsigned int: the high half of the register is ignored */
    CHECK("fd-high-bits-ignored", syscall(SYS_write, 0x100000001L, &c, 0L) == 0, "write to fd 0x100000001 with length 0 did not act on fd 1");
}

static void bad_write_pointers(void)
{
    struct iovec iov[2] = { { NULL, 8 }, { (void *)1, 8 } };
    CHECK_ERR("write-null-efault", write(1, NULL, 16), EFAULT);
    CHECK_ERR("write-pointer-1-efault", write(1, (void *)1, 16), EFAULT);
    CHECK_ERR("write-kernel-address-efault", write(1, KERNEL_ADDR, 16), EFAULT);
    CHECK_ERR("write-noncanonical-efault", write(1, NONCANONICAL, 16), EFAULT);
    CHECK_ERR("write-huge-length-bad-pointer-efault", write(1, (void *)1, 1UL << 40), EFAULT);
    CHECK_ERR("write-max-length-bad-pointer-efault", syscall(SYS_write, 1, (void *)4096, (size_t)SSIZE_MAX), EFAULT);
    CHECK("write-zero-length", write(1, NULL, 0) == 0, "write(1, NULL, 0) did not return 0");
    CHECK_ERR("writev-null-iov-efault", writev(1, NULL, 1), EFAULT);
    CHECK_ERR("writev-bad-base-efault", writev(1, iov, 2), EFAULT);
    CHECK_ERR("writev-negative-count-einval", syscall(SYS_writev, 1, iov, -1L), EINVAL);
    CHECK_ERR("writev-count-over-iov-max-einval", syscall(SYS_writev, 1, iov, 1025L), EINVAL);
    CHECK("writev-zero-count", syscall(SYS_writev, 1, NULL, 0L) == 0, "writev with no vectors did not return 0");
}

static void bad_read_pointers(const char *self)
{
    int fd = open(self, O_RDONLY);
    CHECK("open-own-executable", fd >= 0, "open(argv[0]) failed: %s", errname(errno));
    if (fd < 0) return;
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("mmap-read-only-page", ro != MAP_FAILED, "mmap PROT_READ failed: %s", errname(errno));
    if (ro == MAP_FAILED) { close(fd); return; }
    CHECK_ERR("read-into-read-only-efault", read(fd, ro, 16), EFAULT);
    CHECK("read-only-page-untouched", ((unsigned char *)ro)[0] == 0, "the read-only page changed");
    CHECK_ERR("read-null-efault", read(fd, NULL, 16), EFAULT);
    CHECK_ERR("read-kernel-address-efault", read(fd, KERNEL_ADDR, 16), EFAULT);
    CHECK_ERR("read-huge-length-bad-pointer-efault", read(fd, (void *)1, 1UL << 40), EFAULT);
    char magic[4] = { 0 };
    CHECK("read-after-faults", lseek(fd, 0, SEEK_SET) == 0 && read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0,
          "the file does not read back \\177ELF after the faults");
    struct iovec iov = { ro, 16 };
    CHECK_ERR("readv-into-read-only-efault", readv(fd, &iov, 1), EFAULT);
    munmap(ro, 4096);
    close(fd);
}

/* /dev/null and /dev/full never look at the bytes (write_null, write_full, read_null): the call
 * only checks that the range lies in user space (access_ok), mapped or not. */
static void memory_device_pointers(void)
{
    int null = open("/dev/null", O_RDWR), full = open("/dev/full", O_WRONLY);
    CHECK("open-dev-null-and-full", null >= 0 && full >= 0, "open failed: %s", errname(errno));
    if (null < 0 || full < 0) return;
    CHECK("devnull-write-unmapped-counts", syscall(SYS_write, null, (void *)8, 10L) == 10, "write(/dev/null, unmapped, 10) did not return 10");
    CHECK_ERR("devnull-write-kernel-address-efault", syscall(SYS_write, null, KERNEL_ADDR, 10L), EFAULT);
    CHECK_ERR("devnull-write-past-user-end-efault", syscall(SYS_write, null, (void *)0x7ffffffff000UL, 0x2000L), EFAULT);
    CHECK("devnull-read-unmapped-eof", syscall(SYS_read, null, (void *)8, 10L) == 0, "read(/dev/null, unmapped, 10) did not return 0");
    CHECK_ERR("devnull-read-kernel-address-efault", syscall(SYS_read, null, KERNEL_ADDR, 10L), EFAULT);
    CHECK_ERR("devfull-write-unmapped-enospc", syscall(SYS_write, full, (void *)8, 10L), ENOSPC);
    CHECK_ERR("devfull-write-zero-enospc", syscall(SYS_write, full, (void *)8, 0L), ENOSPC);
    close(null);
    close(full);
}

static void bad_struct_pointers(void)
{
    CHECK_ERR("uname-null-efault", uname(NULL), EFAULT);
    CHECK_ERR("uname-pointer-1-efault", uname((void *)1), EFAULT);
    CHECK_ERR("uname-kernel-address-efault", uname(KERNEL_ADDR), EFAULT);
    /* raw: musl's fstat() copies through its own buffer */
    CHECK_ERR("fstat-null-efault", syscall(SYS_fstat, 1, NULL), EFAULT);
    CHECK_ERR("fstat-kernel-address-efault", syscall(SYS_fstat, 1, KERNEL_ADDR), EFAULT);
    CHECK_ERR("clock-gettime-bad-clock-einval", syscall(SYS_clock_gettime, 999, &(struct timespec){0}), EINVAL);
    CHECK_ERR("clock-gettime-null-efault", syscall(SYS_clock_gettime, CLOCK_REALTIME, NULL), EFAULT);
    CHECK_ERR("clock-gettime-kernel-address-efault", syscall(SYS_clock_gettime, CLOCK_REALTIME, KERNEL_ADDR), EFAULT);
    CHECK_ERR("ioctl-tcgets-null-on-bad-fd-ebadf", ioctl(99, TCGETS, NULL), EBADF);
}

/* Sockets (raw syscalls: musl's wrappers copy some structures first). */
static void bad_sockets(void)
{
    int sv[2];
    CHECK_ERR("socketpair-null-efault", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, NULL), EFAULT);
    CHECK_ERR("socketpair-kernel-address-efault", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, KERNEL_ADDR), EFAULT);
    CHECK_OK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK_ERR("bind-bad-fd-ebadf", syscall(SYS_bind, 99, NULL, 0), EBADF);
    CHECK_ERR("bind-null-addr-efault", syscall(SYS_bind, sv[0], NULL, 10), EFAULT);
    CHECK_ERR("bind-kernel-addr-efault", syscall(SYS_bind, sv[0], KERNEL_ADDR, 10), EFAULT);
    CHECK_ERR("bind-negative-len-einval", syscall(SYS_bind, sv[0], NULL, -1), EINVAL);
    CHECK_ERR("bind-huge-len-einval", syscall(SYS_bind, sv[0], NULL, 1L << 40), EINVAL);
    CHECK_ERR("connect-noncanonical-efault", syscall(SYS_connect, sv[0], NONCANONICAL, 12), EFAULT);
    CHECK_ERR("connect-not-socket-enotsock", syscall(SYS_connect, 1, NULL, 0), ENOTSOCK);
    CHECK_ERR("send-null-buffer-efault", syscall(SYS_sendto, sv[0], NULL, 10, 0, NULL, 0), EFAULT);
    CHECK_ERR("send-kernel-buffer-efault", syscall(SYS_sendto, sv[0], KERNEL_ADDR, 10, 0, NULL, 0), EFAULT);
    CHECK_ERR("send-bad-fd-ebadf", syscall(SYS_sendto, 99, "x", 1, 0, NULL, 0), EBADF);
    CHECK_ERR("sendmsg-null-msghdr-efault", syscall(SYS_sendmsg, sv[0], NULL, 0), EFAULT);
    CHECK_ERR("recvmsg-kernel-msghdr-efault", syscall(SYS_recvmsg, sv[0], KERNEL_ADDR, 0), EFAULT);
    struct iovec iov = { "x", 1 };
    struct msghdr m = { 0 };
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = KERNEL_ADDR;
    m.msg_controllen = 64;
    CHECK_ERR("sendmsg-bad-control-efault", syscall(SYS_sendmsg, sv[0], &m, 0), EFAULT);
    m.msg_control = NULL;
    m.msg_controllen = 0;
    m.msg_iovlen = 5000;
    CHECK_ERR("sendmsg-too-many-iovecs-emsgsize", syscall(SYS_sendmsg, sv[0], &m, 0), EMSGSIZE);
    m.msg_iovlen = 1;
    m.msg_iov = KERNEL_ADDR;
    CHECK_ERR("sendmsg-bad-iov-efault", syscall(SYS_sendmsg, sv[0], &m, 0), EFAULT);
    char ctl[64];
    memset(ctl, 0, sizeof ctl);
    *(unsigned long *)ctl = 1000; /* cmsg_len past the buffer */
    m.msg_iov = &iov;
    m.msg_control = ctl;
    m.msg_controllen = sizeof ctl;
    CHECK_ERR("sendmsg-cmsg-len-past-end-einval", syscall(SYS_sendmsg, sv[0], &m, 0), EINVAL);
    CHECK_OK("send-one", send(sv[0], "y", 1, 0));
    CHECK_ERR("recv-kernel-buffer-efault", syscall(SYS_recvfrom, sv[1], KERNEL_ADDR, 10, 0, NULL, NULL), EFAULT);
    CHECK_OK("send-two", send(sv[0], "z", 1, 0));
    char c;
    CHECK_ERR("recvfrom-bad-addrlen-efault", syscall(SYS_recvfrom, sv[1], &c, 1, 0, &m, KERNEL_ADDR), EFAULT);
    CHECK_ERR("getsockname-null-len-efault", syscall(SYS_getsockname, sv[0], &m, NULL), EFAULT);
    int neg = -1;
    CHECK_ERR("getsockname-negative-len-einval", syscall(SYS_getsockname, sv[0], &m, &neg), EINVAL);
    CHECK_ERR("getsockopt-null-len-efault", syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_TYPE, &c, NULL), EFAULT);
    int len = 4;
    CHECK_ERR("getsockopt-kernel-value-efault", syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_TYPE, KERNEL_ADDR, &len), EFAULT);
    CHECK_ERR("setsockopt-null-value-efault", syscall(SYS_setsockopt, sv[0], SOL_SOCKET, SO_SNDBUF, NULL, 4), EFAULT);
    CHECK_ERR("setsockopt-negative-len-einval", syscall(SYS_setsockopt, sv[0], SOL_SOCKET, SO_SNDBUF, &len, -1), EINVAL);
    CHECK_ERR("accept-on-pair-einval", syscall(SYS_accept4, sv[0], NULL, NULL, 0), EINVAL);
    CHECK_ERR("shutdown-bad-fd-ebadf", syscall(SYS_shutdown, 99, 0), EBADF);
    CHECK_ERR("listen-not-socket-enotsock", syscall(SYS_listen, 1, 1), ENOTSOCK);
    close(sv[0]);
    close(sv[1]);
}

static void stdout_kind(void)
{
    struct stat st;
    CHECK_OK("fstat-stdout", fstat(1, &st));
    int tty = S_ISCHR(st.st_mode), file = S_ISREG(st.st_mode);
    CHECK("stdout-tty-pipe-or-file", tty || file || S_ISFIFO(st.st_mode), "fd 1 is no character device, pipe or regular file");
    struct termios t;
    errno = 0;
    int r = ioctl(1, TCGETS, &t);
    CHECK("tcgets-matches-file-kind", tty ? r == 0 : (r == -1 && errno == ENOTTY),
          "TCGETS on a %s: %s", tty ? "character device" : "pipe or file", r == 0 ? "succeeded" : errname(errno));
    CHECK("isatty-matches-file-kind", isatty(1) == tty, "isatty(1) disagrees with fstat");
    CHECK_ERR("ioctl-unknown-enotty", ioctl(1, 0xdeadbeef, 0), ENOTTY);
    errno = 0;
    off_t off = lseek(1, 0, SEEK_CUR);
    CHECK("lseek-stdout-matches-file-kind", file ? off >= 0 : (off == -1 && errno == ESPIPE),
          "lseek on a %s: %s", file ? "regular file" : "tty or pipe", off >= 0 ? "succeeded" : errname(errno));
}

static void unknown_calls(void)
{
    CHECK_ERR("syscall-out-of-range-enosys", syscall(100000), ENOSYS);
    CHECK_ERR("syscall-negative-enosys", syscall(-5L), ENOSYS);
    CHECK("still-running", getpid() > 0, "getpid failed after the bad calls");
}

int main(int argc, char **argv)
{
    (void)argc;
    bad_fds();
    bad_write_pointers();
    bad_read_pointers(argv[0]);
    memory_device_pointers();
    bad_struct_pointers();
    bad_sockets();
    stdout_kind();
    unknown_calls();
    return check_exit();
}
