/* The benchmark program of `./kevlar bench`: the same static binary on Kevlar
 * (as the child of kevlar-init through qemu/run-user.sh), on Linux in the same
 * QEMU (as /init, see qemu/bench/linux-reference.sh) and natively on the host.
 * Built with musl-gcc -static -O2 -pthread.
 *
 *   syscall-bench [--scale F] [--filter NAME[,NAME...]] [--root DIR] [--list]
 *
 * Output, one line each, fields separated by single spaces:
 *   bench-start SCALE               the program's first line
 *   bench NAME ITERATIONS NS_PER_OP one per benchmark that ran
 *   bench-note NAME TEXT            context (the CPUs a pinned pair ran on)
 *   bench-error NAME TEXT           a benchmark that failed: no figure for it
 *   bench-end OK FAILED             the last line; exit status 1 if FAILED > 0
 * Each benchmark runs a warm-up (a tenth of its iterations, at least one),
 * then its timed iterations (its base count times SCALE, at least one), timed
 * with CLOCK_MONOTONIC. --filter keeps the benchmarks whose name contains one
 * of the given words; --list prints the names it would run and runs nothing.
 *
 * What it runs: /bench-true (a static true) and /bench-files.tar (500 small
 * files), under DIR with --root (natively: qemu/out/bench/root), and /bin/sh
 * with seq, sort, uniq, wc and tar on the PATH (BusyBox on both kernels).
 * When it is PID 1 (Linux) it mounts /dev, /proc and /tmp, runs the
 * benchmarks in a child, and ends QEMU through isa-debug-exit. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char **s_environ;
/* True while a benchmark's warm-up runs: its notes are not printed. */
static int s_warming_up;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Output goes straight to fd 1, one write per line: nothing waits in a stdio
 * buffer when a child forks or the machine ends. */
static void out(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
    line[n++] = '\n';
    for (int done = 0; done < n;) {
        ssize_t w = write(1, line + done, (size_t)(n - done));
        if (w <= 0) break;
        done += (int)w;
    }
}

/* The CPUs the program may run on at its start; every benchmark starts with
 * this mask again (the pinned ones leave the main thread pinned). */
static cpu_set_t s_all_cpus;

static int pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

/* A benchmark runs N iterations and adds the nanoseconds of its timed part to
 * *elapsed; it returns NULL, or what went wrong. A benchmark whose iterations
 * need untimed setup (the tar extract) times each iteration itself. */
typedef const char *(*bench_fn)(long n, long long *elapsed);

#define TIMED(body)                        \
    do {                                   \
        long long t0_ = now_ns();          \
        body;                              \
        *elapsed += now_ns() - t0_;        \
    } while (0)

/* ---- plain syscalls ---- */

static const char *b_getpid(long n, long long *elapsed)
{
    TIMED(for (long i = 0; i < n; i++) syscall(SYS_getpid));
    return NULL;
}

static const char *b_clock_gettime(long n, long long *elapsed)
{
    struct timespec t;
    TIMED(for (long i = 0; i < n; i++) clock_gettime(CLOCK_MONOTONIC, &t));
    return NULL;
}

static const char *b_read_devnull(long n, long long *elapsed)
{
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0) return "open /dev/null failed";
    char c;
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) bad += read(fd, &c, 1) != 0);
    close(fd);
    return bad ? "read of /dev/null did not return 0" : NULL;
}

static const char *b_write_devnull(long n, long long *elapsed)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) return "open /dev/null failed";
    char c = 'x';
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) bad += write(fd, &c, 1) != 1);
    close(fd);
    return bad ? "write to /dev/null did not return 1" : NULL;
}

/* The program's own directory on tmpfs, /tmp/syscall-bench-PID: runs side by
 * side (natively) never share a file, and it is removed at the end. */
static char s_tmp[64];

static void tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", s_tmp, name);
}

static const char *b_open_close(long n, long long *elapsed)
{
    char path[96];
    tmp_path(path, sizeof path, "open");
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) return "creating a file in /tmp failed";
    close(fd);
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) {
        fd = open(path, O_RDONLY);
        bad += fd < 0 || close(fd) != 0;
    });
    unlink(path);
    return bad ? "open or close failed" : NULL;
}

static const char *b_stat(long n, long long *elapsed)
{
    char path[96];
    tmp_path(path, sizeof path, "stat");
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) return "creating a file in /tmp failed";
    close(fd);
    struct stat st;
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) bad += stat(path, &st) != 0);
    unlink(path);
    return bad ? "stat failed" : NULL;
}

/* ---- pipes ---- */

static const char *b_pipe_round_trip(long n, long long *elapsed)
{
    int p[2];
    if (pipe(p) != 0) return "pipe failed";
    char c = 'x';
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) bad += write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1);
    close(p[0]);
    close(p[1]);
    return bad ? "pipe write or read failed" : NULL;
}

/* Ping-pong of one byte between this process and a child through two pipes;
 * the parent is pinned to CPU 0 and the child to child_cpu. */
static const char *pingpong(const char *name, int child_cpu, long n, long long *elapsed)
{
    int to_child[2], to_parent[2];
    if (child_cpu >= CPU_COUNT(&s_all_cpus)) return "needs two CPUs";
    if (pipe(to_child) != 0 || pipe(to_parent) != 0) return "pipe failed";
    if (pin(0) != 0) return "sched_setaffinity failed";
    pid_t child = fork();
    if (child < 0) return "fork failed";
    if (child == 0) {
        char c;
        if (pin(child_cpu) != 0) _exit(2);
        int cpu = sched_getcpu();
        if (write(to_parent[1], &cpu, sizeof cpu) != sizeof cpu) _exit(3);
        for (long i = 0; i < n; i++)
            if (read(to_child[0], &c, 1) != 1 || write(to_parent[1], &c, 1) != 1) _exit(1);
        _exit(0);
    }
    int child_ran_on = -1;
    long bad = read(to_parent[0], &child_ran_on, sizeof child_ran_on) != sizeof child_ran_on;
    char c = 'x';
    if (!bad) TIMED(for (long i = 0; i < n; i++) bad += write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1);
    if (!s_warming_up) out("bench-note %s cpus %d %d", name, sched_getcpu(), child_ran_on);
    close(to_child[0]), close(to_child[1]), close(to_parent[0]), close(to_parent[1]);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return "the child failed";
    return bad ? "pipe write or read failed" : NULL;
}

static const char *b_pingpong_same_cpu(long n, long long *elapsed)
{
    return pingpong("pipe-pingpong-same-cpu", 0, n, elapsed);
}

static const char *b_pingpong_cross_cpu(long n, long long *elapsed)
{
    return pingpong("pipe-pingpong-cross-cpu", 1, n, elapsed);
}

/* ---- processes ---- */

static const char *b_fork(long n, long long *elapsed)
{
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) _exit(0);
        int status;
        bad += p < 0 || waitpid(p, &status, 0) != p || status != 0;
    });
    return bad ? "fork, exit or wait failed" : NULL;
}

/* Where /bench-true and /bench-files.tar are (--root; "" is the machine's root). */
static const char *s_root = "";

/* The child only calls execve and _exit, as vfork allows. */
static __attribute__((noinline)) pid_t spawn_true(const char *path)
{
    char *argv[] = {(char *)path, NULL};
    pid_t p = vfork();
    if (p == 0) {
        execve(path, argv, s_environ);
        _exit(127);
    }
    return p;
}

static const char *b_vfork_exec(long n, long long *elapsed)
{
    char path[256];
    snprintf(path, sizeof path, "%s/bench-true", s_root);
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) {
        pid_t p = spawn_true(path);
        int status;
        bad += p < 0 || waitpid(p, &status, 0) != p || status != 0;
    });
    return bad ? "vfork, execve of /bench-true or wait failed" : NULL;
}

/* Runs /bin/sh -c SCRIPT with its output in a pipe; fills buf (NUL-ended). */
static const char *shell(const char *script, char *buf, size_t size)
{
    int p[2];
    if (pipe(p) != 0) return "pipe failed";
    pid_t child = fork();
    if (child < 0) return "fork failed";
    if (child == 0) {
        dup2(p[1], 1);
        close(p[0]), close(p[1]);
        char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
        execve(argv[0], argv, s_environ);
        _exit(127);
    }
    close(p[1]);
    size_t got = 0;
    for (ssize_t r; got < size - 1 && (r = read(p[0], buf + got, size - 1 - got)) > 0;) got += (size_t)r;
    buf[got] = 0;
    close(p[0]);
    int status;
    if (waitpid(child, &status, 0) != child || status != 0) return "the shell failed";
    return NULL;
}

static const char *b_pipeline(long n, long long *elapsed)
{
    char buf[64];
    for (long i = 0; i < n; i++) {
        const char *e;
        TIMED(e = shell("seq 1 100000 | sort | uniq | wc -l", buf, sizeof buf));
        if (e) return e;
        if (atoi(buf) != 100000) return "the pipeline did not count 100000 lines";
    }
    return NULL;
}

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return unlink(path);
    struct dirent *e;
    char child[512];
    int r = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        r |= remove_tree(child);
    }
    closedir(d);
    return r | rmdir(path);
}

/* Extracts /bench-files.tar (500 files under files/) into a fresh directory
 * each time; making and removing the directory are not timed. */
static const char *b_tar(long n, long long *elapsed)
{
    char buf[64], dir[96], last[128], script[320];
    tmp_path(dir, sizeof dir, "tar");
    snprintf(last, sizeof last, "%s/files/499", dir);
    snprintf(script, sizeof script, "tar -xf %s/bench-files.tar -C %s", s_root, dir);
    const char *e = NULL;
    for (long i = 0; i < n && !e; i++) {
        if (mkdir(dir, 0755) != 0) return "mkdir in /tmp failed";
        TIMED(e = shell(script, buf, sizeof buf));
        struct stat st;
        if (!e && (stat(last, &st) != 0 || st.st_size == 0)) e = "the extracted files are missing";
        if (remove_tree(dir) != 0 && !e) e = "removing the extracted files failed";
    }
    return e;
}

/* ---- memory ---- */

static const char *map_touch_unmap(long n, long long *elapsed, size_t bytes)
{
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) {
        char *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) { bad++; continue; }
        for (size_t off = 0; off < bytes; off += 4096) m[off] = 1;
        bad += munmap(m, bytes) != 0;
    });
    return bad ? "mmap or munmap failed" : NULL;
}

static const char *b_mmap_page(long n, long long *elapsed)
{
    return map_touch_unmap(n, elapsed, 4096);
}

static const char *b_mmap_1mib(long n, long long *elapsed)
{
    return map_touch_unmap(n, elapsed, 1 << 20);
}

/* One iteration is one first-touch fault; they come 16384 at a time, over a
 * fresh 64 MiB mapping, so N is rounded up to whole mappings. */
enum { StormPages = 64 << 8 };

static const char *b_fault_storm(long n, long long *elapsed)
{
    long maps = (n + StormPages - 1) / StormPages;
    const char *e = map_touch_unmap(maps, elapsed, (size_t)StormPages * 4096);
    *elapsed = *elapsed * n / (maps * StormPages);
    return e;
}

/* ---- threads ---- */

enum { FUTEX_WAIT_PRIVATE = 128, FUTEX_WAKE_PRIVATE = 129 };

static long futex(int *word, int op, int val)
{
    return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* Futex ping-pong: the turn word says whose turn it is (0 main, 1 partner). */
static int s_turn;
static int s_partner_cpu;
static long s_trips;

static void wait_turn(int mine)
{
    while (__atomic_load_n(&s_turn, __ATOMIC_ACQUIRE) != mine) futex(&s_turn, FUTEX_WAIT_PRIVATE, !mine);
}

static void hand_over(int to)
{
    __atomic_store_n(&s_turn, to, __ATOMIC_RELEASE);
    futex(&s_turn, FUTEX_WAKE_PRIVATE, 1);
}

static void *futex_partner(void *arg)
{
    (void)arg;
    pin(1);
    __atomic_store_n(&s_partner_cpu, sched_getcpu(), __ATOMIC_RELEASE);
    for (long i = 0; i < s_trips; i++) {
        wait_turn(1);
        hand_over(0);
    }
    return NULL;
}

static const char *b_futex_round_trip(long n, long long *elapsed)
{
    if (CPU_COUNT(&s_all_cpus) < 2) return "needs two CPUs";
    if (pin(0) != 0) return "sched_setaffinity failed";
    s_turn = 0, s_trips = n, s_partner_cpu = -1;
    pthread_t th;
    if (pthread_create(&th, NULL, futex_partner, NULL) != 0) return "pthread_create failed";
    while (__atomic_load_n(&s_partner_cpu, __ATOMIC_ACQUIRE) < 0) sched_yield();
    TIMED(for (long i = 0; i < n; i++) {
        hand_over(1);
        wait_turn(0);
    });
    pthread_join(th, NULL);
    if (!s_warming_up) out("bench-note futex-round-trip cpus %d %d", sched_getcpu(), s_partner_cpu);
    return NULL;
}

/* Four threads add to one counter: with an atomic add, or under a futex mutex
 * (Drepper's "Futexes are tricky" mutex 2: 0 free, 1 locked, 2 contended). */
enum { CounterThreads = 4 };
static long s_counter, s_per_thread;
static int s_mutex;
static int s_go;

static void lock_mutex(int *m)
{
    int c = 0;
    if (__atomic_compare_exchange_n(m, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return;
    if (c != 2) c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        futex(m, FUTEX_WAIT_PRIVATE, 2);
        c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
    }
}

static void unlock_mutex(int *m)
{
    if (__atomic_fetch_sub(m, 1, __ATOMIC_RELEASE) != 1) {
        __atomic_store_n(m, 0, __ATOMIC_RELEASE);
        futex(m, FUTEX_WAKE_PRIVATE, 1);
    }
}

static void start_line(void)
{
    while (!__atomic_load_n(&s_go, __ATOMIC_ACQUIRE)) sched_yield();
}

static void *atomic_adder(void *arg)
{
    (void)arg;
    start_line();
    for (long i = 0; i < s_per_thread; i++) __atomic_fetch_add(&s_counter, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *mutex_adder(void *arg)
{
    (void)arg;
    start_line();
    for (long i = 0; i < s_per_thread; i++) {
        lock_mutex(&s_mutex);
        s_counter++;
        unlock_mutex(&s_mutex);
    }
    return NULL;
}

/* N counts every addition of all four threads together. */
static const char *counter(long n, long long *elapsed, void *(*adder)(void *))
{
    pthread_t th[CounterThreads];
    s_per_thread = (n + CounterThreads - 1) / CounterThreads;
    s_counter = 0, s_mutex = 0, s_go = 0;
    for (int i = 0; i < CounterThreads; i++)
        if (pthread_create(&th[i], NULL, adder, NULL) != 0) return "pthread_create failed";
    TIMED({
        __atomic_store_n(&s_go, 1, __ATOMIC_RELEASE);
        for (int i = 0; i < CounterThreads; i++) pthread_join(th[i], NULL);
    });
    *elapsed = *elapsed * n / (s_per_thread * CounterThreads);
    return s_counter == s_per_thread * CounterThreads ? NULL : "the counter lost additions";
}

static const char *b_atomic_counter(long n, long long *elapsed)
{
    return counter(n, elapsed, atomic_adder);
}

static const char *b_mutex_counter(long n, long long *elapsed)
{
    return counter(n, elapsed, mutex_adder);
}

static void *nothing(void *arg)
{
    return arg;
}

static const char *b_thread_create(long n, long long *elapsed)
{
    long bad = 0;
    TIMED(for (long i = 0; i < n; i++) {
        pthread_t th;
        if (pthread_create(&th, NULL, nothing, NULL) != 0) { bad++; continue; }
        bad += pthread_join(th, NULL) != 0;
    });
    return bad ? "pthread_create or pthread_join failed" : NULL;
}

/* ---- readiness ---- */

enum { PollPipes = 100, EpollFds = 1000 };

/* poll on the read ends of 100 pipes, the last of which holds a byte. */
static const char *b_poll(long n, long long *elapsed)
{
    struct pollfd fds[PollPipes];
    int wr[PollPipes];
    for (int i = 0; i < PollPipes; i++) {
        int p[2];
        if (pipe(p) != 0) return "pipe failed";
        fds[i] = (struct pollfd){.fd = p[0], .events = POLLIN};
        wr[i] = p[1];
    }
    const char *e = write(wr[PollPipes - 1], "x", 1) == 1 ? NULL : "pipe write failed";
    long bad = 0;
    if (!e) TIMED(for (long i = 0; i < n; i++) bad += poll(fds, PollPipes, 0) != 1);
    for (int i = 0; i < PollPipes; i++) close(fds[i].fd), close(wr[i]);
    return e ? e : bad ? "poll did not find the one ready pipe" : NULL;
}

/* epoll_wait over 1,000 registered eventfds, one of them readable. */
static const char *b_epoll(long n, long long *elapsed)
{
    int ep = epoll_create1(0), fds[EpollFds];
    if (ep < 0) return "epoll_create1 failed";
    const char *e = NULL;
    int made = 0;
    for (; made < EpollFds; made++) {
        fds[made] = eventfd(made == EpollFds / 2, 0);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)made};
        if (fds[made] < 0) e = "eventfd failed (1,000 fds)";
        else if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[made], &ev) != 0) e = "epoll_ctl ADD failed";
        if (e) {
            if (fds[made] >= 0) close(fds[made]);
            break;
        }
    }
    long bad = 0;
    struct epoll_event got[16];
    if (!e) TIMED(for (long i = 0; i < n; i++) bad += epoll_wait(ep, got, 16, 0) != 1 || got[0].data.u32 != EpollFds / 2);
    for (int i = 0; i < made; i++) close(fds[i]);
    close(ep);
    return e ? e : bad ? "epoll_wait did not report the one ready eventfd" : NULL;
}

/* ---- sockets over lo ---- */

/* A socket of TYPE bound to 127.0.0.1 on an ephemeral port; the address in *a. */
static int lo_socket(int type, struct sockaddr_in *a)
{
    int fd = socket(AF_INET, type, 0);
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof *a;
    if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof *a) != 0 || getsockname(fd, (struct sockaddr *)a, &len) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

static int read_full(int fd, char *buf, long len)
{
    for (long got = 0; got < len;) {
        ssize_t r = read(fd, buf + got, (size_t)(len - got));
        if (r <= 0) return -1;
        got += r;
    }
    return 0;
}

enum { TcpChunk = 65536 };

/* One operation: 64 KiB written by a child process and read here over one TCP connection. */
static const char *b_tcp_throughput(long n, long long *elapsed)
{
    struct sockaddr_in a;
    int l = lo_socket(SOCK_STREAM, &a);
    if (l < 0 || listen(l, 1) != 0) return "socket, bind or listen failed";
    int where[2];
    if (pipe(where) != 0) return "pipe failed";
    pid_t child = fork();
    if (child < 0) return "fork failed";
    if (child == 0) {
        static char out_[TcpChunk];
        int cpu = sched_getcpu();
        if (write(where[1], &cpu, sizeof cpu) != sizeof cpu) _exit(4);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0) _exit(2);
        for (long i = 0; i < n; i++)
            for (long done = 0; done < TcpChunk;) {
                ssize_t w = write(c, out_ + done, (size_t)(TcpChunk - done));
                if (w <= 0) _exit(3);
                done += w;
            }
        close(c);
        _exit(0);
    }
    int s = accept(l, NULL, NULL);
    static char in_[TcpChunk];
    long bad = s < 0;
    if (!bad) TIMED(for (long i = 0; i < n && !bad; i++) bad += read_full(s, in_, TcpChunk) != 0);
    int writer_cpu = -1;
    if (read(where[0], &writer_cpu, sizeof writer_cpu) != sizeof writer_cpu) writer_cpu = -1;
    /* Where the two ends ran: the cross-CPU outlier (docs/benchmarks.md) shows with some placements only. */
    if (!s_warming_up) out("bench-note tcp-lo-throughput-64k cpus %d %d", sched_getcpu(), writer_cpu);
    close(where[0]);
    close(where[1]);
    if (s >= 0) close(s);
    close(l);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return "the writer failed";
    return bad ? "accept or read failed" : NULL;
}

/* One operation: connect, accept, and both ends closed. */
static const char *b_tcp_connect_close(long n, long long *elapsed)
{
    struct sockaddr_in a;
    int l = lo_socket(SOCK_STREAM, &a);
    if (l < 0 || listen(l, 64) != 0) return "socket, bind or listen failed";
    long bad = 0;
    TIMED(for (long i = 0; i < n && !bad; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        bad += c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0;
        int s = accept(l, NULL, NULL);
        bad += s < 0;
        if (c >= 0) close(c);
        if (s >= 0) close(s);
    });
    close(l);
    return bad ? "connect or accept failed" : NULL;
}

/* One operation: a 1-byte datagram to a child process on another CPU and its echo back. */
static const char *b_udp_round_trip(long n, long long *elapsed)
{
    if (CPU_COUNT(&s_all_cpus) < 2) return "needs two CPUs";
    struct sockaddr_in ea, ma;
    int echo = lo_socket(SOCK_DGRAM, &ea), me = lo_socket(SOCK_DGRAM, &ma);
    if (echo < 0 || me < 0) return "socket or bind failed";
    if (pin(0) != 0) return "sched_setaffinity failed";
    pid_t child = fork();
    if (child < 0) return "fork failed";
    if (child == 0) {
        char c;
        if (pin(1) != 0) _exit(2);
        for (long i = 0; i < n; i++)
            if (recv(echo, &c, 1, 0) != 1 || sendto(echo, &c, 1, 0, (struct sockaddr *)&ma, sizeof ma) != 1) _exit(1);
        _exit(0);
    }
    close(echo);
    char c = 'x';
    long bad = 0;
    TIMED(for (long i = 0; i < n && !bad; i++)
        bad += sendto(me, &c, 1, 0, (struct sockaddr *)&ea, sizeof ea) != 1 || recv(me, &c, 1, 0) != 1);
    close(me);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return "the echo child failed";
    return bad ? "sendto or recv failed" : NULL;
}

/* ---- the table ---- */

struct bench {
    const char *name;
    long iterations; /* at scale 1 */
    bench_fn run;
};

static const struct bench s_benches[] = {
    {"getpid", 200000, b_getpid},
    {"clock-gettime", 200000, b_clock_gettime},
    {"read-devnull", 100000, b_read_devnull},
    {"write-devnull", 100000, b_write_devnull},
    {"pipe-round-trip", 50000, b_pipe_round_trip},
    {"pipe-pingpong-same-cpu", 10000, b_pingpong_same_cpu},
    {"pipe-pingpong-cross-cpu", 10000, b_pingpong_cross_cpu},
    {"open-close-tmpfs", 20000, b_open_close},
    {"stat-tmpfs", 50000, b_stat},
    {"fork-exit-wait", 500, b_fork},
    {"vfork-execve", 500, b_vfork_exec},
    {"mmap-touch-munmap-4k", 20000, b_mmap_page},
    {"mmap-touch-munmap-1m", 300, b_mmap_1mib},
    {"page-fault-storm-64m", 32768, b_fault_storm},
    {"futex-round-trip", 20000, b_futex_round_trip},
    {"atomic-counter-4t", 20000000, b_atomic_counter},
    {"futex-mutex-counter-4t", 2000000, b_mutex_counter},
    {"poll-100-pipes", 10000, b_poll},
    {"epoll-wait-1000-fds", 5000, b_epoll},
    {"thread-create-join", 2000, b_thread_create},
    {"shell-pipeline", 3, b_pipeline},
    {"tar-extract-500", 3, b_tar},
    {"tcp-lo-throughput-64k", 2000, b_tcp_throughput},
    {"tcp-lo-connect-close", 2000, b_tcp_connect_close},
    {"udp-lo-round-trip", 10000, b_udp_round_trip},
};
enum { BenchCount = sizeof s_benches / sizeof s_benches[0] };

static int selected(const char *name, const char *filter)
{
    if (!filter) return 1;
    char words[256];
    snprintf(words, sizeof words, "%s", filter);
    for (char *save, *w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save))
        if (strstr(name, w)) return 1;
    return 0;
}

static long scaled(long base, double scale)
{
    long n = (long)(base * scale);
    return n < 1 ? 1 : n;
}

static int run_all(double scale, const char *filter)
{
    int ok = 0, failed = 0;
    out("bench-start %g", scale);
    if (sched_getaffinity(0, sizeof s_all_cpus, &s_all_cpus) != 0) {
        out("bench-error all sched_getaffinity failed");
        return 1;
    }
    snprintf(s_tmp, sizeof s_tmp, "/tmp/syscall-bench-%d", (int)getpid());
    if (mkdir(s_tmp, 0755) != 0) {
        out("bench-error all cannot make %s", s_tmp);
        return 1;
    }
    for (int i = 0; i < BenchCount; i++) {
        const struct bench *b = &s_benches[i];
        if (!selected(b->name, filter)) continue;
        sched_setaffinity(0, sizeof s_all_cpus, &s_all_cpus);
        long n = scaled(b->iterations, scale), warm = n / 10 < 1 ? 1 : n / 10;
        long long elapsed = 0;
        s_warming_up = 1;
        const char *e = b->run(warm, &elapsed);
        s_warming_up = 0;
        elapsed = 0;
        if (!e) e = b->run(n, &elapsed);
        if (!e && elapsed <= 0) e = "no time passed";
        if (e) {
            out("bench-error %s %s", b->name, e);
            failed++;
        } else {
            out("bench %s %ld %.1f", b->name, n, (double)elapsed / n);
            ok++;
        }
    }
    remove_tree(s_tmp);
    out("bench-end %d %d", ok, failed);
    return failed ? 1 : 0;
}

/* Linux's lo starts down; any init brings it up (the kernel gives it 127.0.0.1/8). */
static void loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    if (fd >= 0) close(fd);
}

/* Linux runs the program as /init: give it the /dev, /proc and /tmp that
 * kevlar-init's world has and lo up, run the benchmarks in a child (PID 2, as
 * on Kevlar), then end the machine with the child's status. */
static void as_init(double scale, const char *filter)
{
    mkdir("/dev", 0755), mkdir("/proc", 0555), mkdir("/tmp", 01777);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
    loopback_up();
    setenv("PATH", "/bin:/sbin", 1);
    s_environ = environ;
    pid_t child = fork();
    if (child == 0) _exit(run_all(scale, filter));
    int status = 1;
    while (child > 0 && waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    /* The serial driver sends in the background: let it finish first. */
    tcdrain(1);
    struct timespec settle = {0, 200 * 1000 * 1000};
    nanosleep(&settle, NULL);
    if (ioperm(0xf4, 4, 1) == 0) outl(status == 0 ? 0x10 : 0x11, 0xf4);
    for (;;) pause();
}

int main(int argc, char **argv)
{
    double scale = 1;
    const char *filter = NULL;
    int list = 0;
    s_environ = environ;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) scale = atof(argv[++i]);
        else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) s_root = argv[++i];
        else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) filter = argv[++i];
        else if (strcmp(argv[i], "--list") == 0) list = 1;
        else {
            out("usage: syscall-bench [--scale F] [--filter NAME[,NAME...]] [--root DIR] [--list]");
            return 2;
        }
    }
    if (list) {
        for (int j = 0; j < BenchCount; j++)
            if (selected(s_benches[j].name, filter)) out("%s", s_benches[j].name);
        return 0;
    }
    if (!(scale > 0)) scale = 1;
    if (getpid() == 1) as_init(scale, filter);
    return run_all(scale, filter);
}
