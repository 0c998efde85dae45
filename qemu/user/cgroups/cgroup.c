/* cgroup: cgroup v2 with the pids controller as Linux has it (cgroups(7),
 * Documentation/admin-guide/cgroup-v2.rst): mount -t cgroup2, mkdir/rmdir
 * (EEXIST, EBUSY while populated or with children, EAGAIN past
 * cgroup.max.descendants/max.depth), the core files' text and errors
 * (cgroup.procs moves a process, writing 0 moves the writer, EINVAL/ESRCH;
 * cgroup.type, cgroup.stat, cgroup.freeze ERANGE, cgroup.kill), kernfs rules
 * (O_CREAT on an existing file works, no new plain files, EACCES to write a
 * read-only file even as root, reads continue at the offset), /proc/self/cgroup,
 * cgroup.events' populated change waking poll(POLLPRI) and epoll(EPOLLPRI), an
 * exiting process leaving at once, cgroup.freeze stopping a busy process until
 * thawed, a freeze racing a process that forks (it completes; the children
 * stop too), cgroup.kill, and the pids controller:
 * pids.max under a fork storm from 4 processes (EAGAIN, pids.events' max,
 * pids.peak), and moves between two cgroups while the moved process forks and
 * its children exit (the parent's pids.current never drops, both end empty).
 *
 * With no argument (the kernel) it mounts cgroup2 at /sys/fs/cgroup. With
 * --find (natively) it uses the host's cgroup2 mount from /proc/self/mounts and
 * works only in a cgroup it makes there; a check the host cannot run (no pids
 * controller on a hybrid host, no cgroup2 mount) prints "SKIP <check>: why"
 * where the kernel prints "PASS <check>", so the lines still pair up. */
#include "cgroupfs.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#define WORKERS 4
#define STORM_MAX 8
#define TRIES 10

static void files_and_errors(void)
{
    char b[512], path[600];
    GCHECK("mkdir cgroup", mkdir(top, 0755) == 0, "%s", errname(errno));
    errno = 0;
    GCHECK("mkdir existing EEXIST", mkdir(top, 0755) == -1 && errno == EEXIST, "%s", errname(errno));
    struct stat st;
    GCHECK("cgroup.procs 0644", stat(at(top, "cgroup.procs"), &st) == 0 && (st.st_mode & 07777) == 0644 && S_ISREG(st.st_mode), "mode %o", st.st_mode);
    GCHECK("cgroup.events 0444", stat(at(top, "cgroup.events"), &st) == 0 && (st.st_mode & 07777) == 0444, "mode %o", st.st_mode);
    GCHECK("cgroup.kill 0200", stat(at(top, "cgroup.kill"), &st) == 0 && (st.st_mode & 07777) == 0200, "mode %o", st.st_mode);
    GCHECK("cgroup.type domain", text_is(at(top, "cgroup.type"), "domain\n"), "differs");
    GCHECK("cgroup.events empty", text_is(at(top, "cgroup.events"), "populated 0\nfrozen 0\n"), "differs");
    GCHECK("cgroup.procs empty", line_count(at(top, "cgroup.procs")) == 0, "lines");
    GCHECK("cgroup.max.depth max", text_is(at(top, "cgroup.max.depth"), "max\n"), "differs");
    GCHECK("cgroup.freeze 0", text_is(at(top, "cgroup.freeze"), "0\n"), "differs");
    int fd = open(at(top, "cgroup.procs"), O_WRONLY | O_CREAT, 0644);
    GCHECK("O_CREAT on cgroup.procs opens it", fd >= 0, "%s", errname(errno));
    if (fd >= 0) close(fd);
    errno = 0;
    fd = open(at(top, "newfile"), O_WRONLY | O_CREAT, 0644);
    GCHECK("O_CREAT of a new file EACCES", fd == -1 && errno == EACCES, "%s", errname(errno));
    /* Root opens a read-only file for writing (DAC override); kernfs then refuses the write. */
    fd = open(at(top, "cgroup.events"), O_WRONLY);
    errno = 0;
    GCHECK("write to cgroup.events EINVAL", fd >= 0 && write(fd, "1", 1) == -1 && errno == EINVAL, "%s", errname(errno));
    if (fd >= 0) close(fd);
    fd = open(at(top, "cgroup.kill"), O_RDONLY);
    char rb[8];
    errno = 0;
    GCHECK("read of cgroup.kill EINVAL", fd >= 0 && read(fd, rb, sizeof rb) == -1 && errno == EINVAL, "%s", errname(errno));
    if (fd >= 0) close(fd);
    fd = open(at(top, "cgroup.procs"), O_WRONLY);
    GCHECK("empty write 0", fd >= 0 && write(fd, "", 0) == 0, "%s", errname(errno));
    if (fd >= 0) close(fd);
    errno = 0;
    GCHECK("symlink in cgroup EPERM", symlink("x", at(top, "link")) == -1 && errno == EPERM, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.procs 'abc' EINVAL", put(at(top, "cgroup.procs"), "abc\n") == -1 && errno == EINVAL, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.procs '-5' EINVAL", put(at(top, "cgroup.procs"), "-5\n") == -1 && errno == EINVAL, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.procs unknown pid ESRCH", put(at(top, "cgroup.procs"), "3999999\n") == -1 && errno == ESRCH, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.max.depth 'x' EINVAL", put(at(top, "cgroup.max.depth"), "x\n") == -1 && errno == EINVAL, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.max.depth '-1' ERANGE", put(at(top, "cgroup.max.depth"), "-1\n") == -1 && errno == ERANGE, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.max.depth overflow ERANGE", put(at(top, "cgroup.max.depth"), "99999999999\n") == -1 && errno == ERANGE, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.procs overflow EINVAL", put(at(top, "cgroup.procs"), "99999999999\n") == -1 && errno == EINVAL, "%s", errname(errno));
    GCHECK("cgroup.procs ' +0x0 ' (home, where it is)", put(at(home, "cgroup.procs"), " +0x0 ") == 0, "%s", errname(errno));
    GCHECK("cgroup.max.depth 0x10", put(at(top, "cgroup.max.depth"), "0x10\n") == 0 && text_is(at(top, "cgroup.max.depth"), "16\n"), "%s", errname(errno));
    GCHECK("cgroup.max.depth max again", put(at(top, "cgroup.max.depth"), "max") == 0 && text_is(at(top, "cgroup.max.depth"), "max\n"), "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.freeze 2 ERANGE", put(at(top, "cgroup.freeze"), "2\n") == -1 && errno == ERANGE, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.freeze 'x' EINVAL", put(at(top, "cgroup.freeze"), "x\n") == -1 && errno == EINVAL, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.kill 2 ERANGE", put(at(top, "cgroup.kill"), "2\n") == -1 && errno == ERANGE, "%s", errname(errno));
    errno = 0;
    GCHECK("cgroup.type 'foo' EINVAL", put(at(top, "cgroup.type"), "foo\n") == -1 && errno == EINVAL, "%s", errname(errno));
    errno = 0;
    GCHECK("subtree_control 'pids' EINVAL", put(at(top, "cgroup.subtree_control"), "pids\n") == -1 && errno == EINVAL, "%s", errname(errno));
    errno = 0;
    GCHECK("subtree_control '+nosuch' EINVAL", put(at(top, "cgroup.subtree_control"), "+nosuch\n") == -1 && errno == EINVAL, "%s", errname(errno));
    /* Freezing an empty cgroup is done at once: frozen 1 in cgroup.events, and back. */
    GCHECK("cgroup.freeze 1 empty: frozen 1", put(at(top, "cgroup.freeze"), "1") == 0 && text_is(at(top, "cgroup.events"), "populated 0\nfrozen 1\n"), "%s", errname(errno));
    GCHECK("cgroup.freeze 0: frozen 0", put(at(top, "cgroup.freeze"), "0") == 0 && text_is(at(top, "cgroup.events"), "populated 0\nfrozen 0\n"), "%s", errname(errno));
    /* Limits on the tree's shape. */
    snprintf(path, sizeof path, "%s/a", top);
    GCHECK("mkdir child", mkdir(path, 0755) == 0, "%s", errname(errno));
    GCHECK("cgroup.stat nr_descendants 1", slurp(at(top, "cgroup.stat"), b, sizeof b) > 0 && strncmp(b, "nr_descendants 1\n", 17) == 0, "'%s'", b);
    put(at(top, "cgroup.max.descendants"), "1");
    errno = 0;
    GCHECK("mkdir past max.descendants EAGAIN", mkdir(at(top, "b"), 0755) == -1 && errno == EAGAIN, "%s", errname(errno));
    put(at(top, "cgroup.max.descendants"), "max");
    put(at(top, "cgroup.max.depth"), "1");
    errno = 0;
    GCHECK("mkdir past max.depth EAGAIN", mkdir(at(path, "deeper"), 0755) == -1 && errno == EAGAIN, "%s", errname(errno));
    put(at(top, "cgroup.max.depth"), "max");
    errno = 0;
    GCHECK("rmdir with a child EBUSY", rmdir(top) == -1 && errno == EBUSY, "%s", errname(errno));
}

/* Moves this process into top/a and back; reads, the offset, cgroup.threads, EBUSY. */
static void move_self(void)
{
    char path[600], line[512], b[4096];
    snprintf(path, sizeof path, "%s/a", top);
    GCHECK("write 0 to cgroup.procs moves the writer", put(at(path, "cgroup.procs"), "0\n") == 0, "%s", errname(errno));
    my_cgroup(line, sizeof line);
    GCHECK("/proc/self/cgroup shows the move", ends_with(line, "/kevlar-cgroup-test/a"), "'%s'", line);
    GCHECK("cgroup.procs lists the writer", lists_pid(at(path, "cgroup.procs"), getpid()) && line_count(at(path, "cgroup.procs")) == 1, "not listed");
    GCHECK("cgroup.threads lists its thread", lists_pid(at(path, "cgroup.threads"), getpid()), "not listed");
    GCHECK("cgroup.events populated 1", text_is(at(path, "cgroup.events"), "populated 1\nfrozen 0\n"), "differs");
    GCHECK("parent populated 1", text_is(at(top, "cgroup.events"), "populated 1\nfrozen 0\n"), "differs");
    errno = 0;
    GCHECK("rmdir populated EBUSY", rmdir(path) == -1 && errno == EBUSY, "%s", errname(errno));
    /* Reads continue at the offset; lseek(0) starts again. */
    int fd = open(at(path, "cgroup.events"), O_RDONLY);
    char one[8] = { 0 };
    ssize_t n1 = read(fd, one, 4), n2 = read(fd, b, sizeof b - 1);
    b[n2 > 0 ? n2 : 0] = 0;
    GCHECK("read continues at the offset", n1 == 4 && memcmp(one, "popu", 4) == 0 && strcmp(b, "lated 1\nfrozen 0\n") == 0, "%zd '%s'", n2, b);
    GCHECK("read at the end 0", read(fd, b, 10) == 0, "not 0");
    GCHECK("lseek 0 then read again", lseek(fd, 0, SEEK_SET) == 0 && read(fd, b, 9) == 9 && memcmp(b, "populated", 9) == 0, "%s", errname(errno));
    close(fd);
    /* A child starts in its parent's cgroup; it leaves at exit. */
    int pipefd[2];
    if (pipe(pipefd) != 0) return;
    pid_t c = fork();
    if (c == 0) { char x; close(pipefd[1]); (void)!read(pipefd[0], &x, 1); _exit(0); }
    close(pipefd[0]);
    GCHECK("a child starts in its parent's cgroup", lists_pid(at(path, "cgroup.procs"), c), "not listed");
    close(pipefd[1]);
    waitpid(c, 0, 0);
    GCHECK("an exited child is gone from cgroup.procs", !lists_pid(at(path, "cgroup.procs"), c) && line_count(at(path, "cgroup.procs")) == 1, "still listed");
    GCHECK("move back home", put(at(home, "cgroup.procs"), "0") == 0, "%s", errname(errno));
    GCHECK("cgroup.events populated 0 after leaving", text_is(at(path, "cgroup.events"), "populated 0\nfrozen 0\n"), "differs");
}

/* The pids controller: files, bad values, and pids.max under a fork storm from WORKERS processes. */
static void pids_storm(void)
{
    char path[600], b[256];
    snprintf(path, sizeof path, "%s/storm", top);
    mkdir(path, 0755);
    PCHECK("+pids in subtree_control", put(at(top, "cgroup.subtree_control"), "+pids") == 0, "%s", errname(errno));
    PCHECK("subtree_control reads pids", text_is(at(top, "cgroup.subtree_control"), "pids\n"), "differs");
    PCHECK("child's cgroup.controllers pids", text_is(at(path, "cgroup.controllers"), "pids\n"), "differs");
    PCHECK("pids.max starts max", text_is(at(path, "pids.max"), "max\n"), "differs");
    PCHECK("pids.current starts 0", text_is(at(path, "pids.current"), "0\n"), "differs");
    PCHECK("pids.events starts max 0", text_is(at(path, "pids.events"), "max 0\n"), "differs");
    errno = 0;
    PCHECK("pids.max '-1' EINVAL", put(at(path, "pids.max"), "-1\n") == -1 && errno == EINVAL, "%s", errname(errno));
    errno = 0;
    PCHECK("pids.max 'lots' EINVAL", put(at(path, "pids.max"), "lots\n") == -1 && errno == EINVAL, "%s", errname(errno));
    snprintf(b, sizeof b, "%d\n", STORM_MAX);
    PCHECK("pids.max set", put(at(path, "pids.max"), b) == 0 && text_is(at(path, "pids.max"), b), "%s", errname(errno));
    /* pids is a threaded controller: a cgroup that enables it for its children still takes a
     * process while no child is populated, and becomes a thread root, whose children are
     * invalid domains until it has no process of its own again. */
    PCHECK("move into a cgroup with pids in subtree_control", put(at(top, "cgroup.procs"), "0") == 0, "%s", errname(errno));
    PCHECK("it reads domain threaded", text_is(at(top, "cgroup.type"), "domain threaded\n"), "differs");
    PCHECK("its child reads domain invalid", text_is(at(path, "cgroup.type"), "domain invalid\n"), "differs");
    errno = 0;
    PCHECK("move into the invalid child EOPNOTSUPP", put(at(path, "cgroup.procs"), "0") == -1 && errno == EOPNOTSUPP, "%s", errname(errno));
    errno = 0;
    PCHECK("+pids in the invalid child EOPNOTSUPP", put(at(path, "cgroup.subtree_control"), "+pids") == -1 && errno == EOPNOTSUPP, "%s", errname(errno));
    PCHECK("move home from the thread root", put(at(home, "cgroup.procs"), "0") == 0, "%s", errname(errno));
    PCHECK("the child is a domain again", text_is(at(path, "cgroup.type"), "domain\n"), "differs");

    /* Workers move themselves in, wait for the start, then each tries TRIES forks; the
     * children hold their slot until the release pipe closes. */
    int *counts = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(counts, 0, 4096);
    int go[2], release[2];
    if (pipe(go) != 0 || pipe(release) != 0) return;
    pid_t workers[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        workers[w] = fork();
        if (workers[w] == 0) {
            close(go[1]);
            close(release[1]);
            if (put(at(path, "cgroup.procs"), "0") != 0) __atomic_add_fetch(&counts[2], 1, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&counts[3], 1, __ATOMIC_SEQ_CST);
            char x;
            (void)!read(go[0], &x, 1);
            pid_t kids[TRIES];
            int made = 0;
            for (int i = 0; i < TRIES; i++) {
                pid_t k = fork();
                if (k == 0) { char y; (void)!read(release[0], &y, 1); _exit(0); }
                if (k > 0) { kids[made++] = k; __atomic_add_fetch(&counts[0], 1, __ATOMIC_SEQ_CST); }
                else if (errno == EAGAIN) __atomic_add_fetch(&counts[1], 1, __ATOMIC_SEQ_CST);
            }
            /* Hold this worker's own slot too until the release: a worker that exits early frees one. */
            (void)!read(release[0], &x, 1);
            close(release[0]);
            for (int i = 0; i < made; i++) waitpid(kids[i], 0, 0);
            _exit(0);
        }
    }
    close(release[0]);
    while (__atomic_load_n(&counts[3], __ATOMIC_SEQ_CST) < WORKERS) sleep_ms(5);
    PCHECK("workers moved in", counts[2] == 0 && line_count(at(path, "cgroup.procs")) == WORKERS, "%d failed", counts[2]);
    PCHECK("pids.current counts the workers", read_number(at(path, "pids.current")) == WORKERS, "%ld", read_number(at(path, "pids.current")));
    PCHECK("top's pids.current counts them too", read_number(at(top, "pids.current")) == WORKERS, "%ld", read_number(at(top, "pids.current")));
    errno = 0;
    PCHECK("move into it while a child is populated EBUSY", put(at(top, "cgroup.procs"), "0") == -1 && errno == EBUSY, "%s", errname(errno));
    close(go[1]);
    /* Wait until every try is done (each worker's forks either made a child or failed). */
    for (int i = 0; i < 2000 && counts[0] + counts[1] < WORKERS * TRIES; i++) sleep_ms(5);
    PCHECK("forks past pids.max fail with EAGAIN", counts[0] == STORM_MAX - WORKERS && counts[1] == WORKERS * TRIES - (STORM_MAX - WORKERS),
           "%d made, %d EAGAIN", counts[0], counts[1]);
    PCHECK("pids.current at the limit", read_number(at(path, "pids.current")) == STORM_MAX, "%ld", read_number(at(path, "pids.current")));
    snprintf(b, sizeof b, "max %d\n", WORKERS * TRIES - (STORM_MAX - WORKERS));
    PCHECK("pids.events counts the failures", text_is(at(path, "pids.events"), b), "differs");
    close(release[1]);
    for (int w = 0; w < WORKERS; w++) waitpid(workers[w], 0, 0);
    PCHECK("pids.current back to 0", read_number(at(path, "pids.current")) == 0, "%ld", read_number(at(path, "pids.current")));
    snprintf(b, sizeof b, "%d\n", STORM_MAX);
    PCHECK("pids.peak the limit", text_is(at(path, "pids.peak"), b), "differs");
    GCHECK("storm cgroup empty", line_count(at(path, "cgroup.procs")) == 0 && text_is(at(path, "cgroup.events"), "populated 0\nfrozen 0\n"), "not empty");
    GCHECK("rmdir storm", rmdir(path) == 0, "%s", errname(errno));
    munmap(counts, 4096);
}

/* Threads are tasks: each counts in pids.current and against pids.max (pthread_create fails
 * with EAGAIN, counted in pids.events) and is listed in cgroup.threads; a zombie has left
 * cgroup.procs and populated but keeps its pid charged until it is reaped. */
static void *wait_for_gate(void *gate)
{
    while (!__atomic_load_n((int *)gate, __ATOMIC_SEQ_CST)) sleep_ms(1);
    return 0;
}

static void threads_and_zombies(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/t", top);
    mkdir(path, 0755);
    PCHECK("pids.max 4 for the threads", put(at(path, "pids.max"), "4\n") == 0, "%s", errname(errno));
    /* stage, threads made, EAGAIN failures, pids.current with them, pids.current after the joins,
     * gate, pids.current right after the move */
    int *sh = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(sh, 0, 4096);
    pid_t c = fork();
    if (c == 0) {
        /* One thread before the move: the move takes both tasks along. */
        pthread_t th[9];
        if (pthread_create(&th[0], 0, wait_for_gate, &sh[5]) == 0) sh[1]++;
        put(at(path, "cgroup.procs"), "0");
        sh[6] = (int)read_number(at(path, "pids.current"));
        for (int i = 0; i < 8; i++) {
            int e = pthread_create(&th[sh[1]], 0, wait_for_gate, &sh[5]);
            if (e == 0) sh[1]++;
            else if (e == EAGAIN) sh[2]++;
        }
        sh[3] = (int)read_number(at(path, "pids.current"));
        __atomic_store_n(&sh[0], 1, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&sh[0], __ATOMIC_SEQ_CST) != 2) sleep_ms(1);
        __atomic_store_n(&sh[5], 1, __ATOMIC_SEQ_CST);
        for (int i = 0; i < sh[1]; i++) pthread_join(th[i], 0);
        sh[4] = (int)read_number(at(path, "pids.current"));
        _exit(0);
    }
    while (__atomic_load_n(&sh[0], __ATOMIC_SEQ_CST) != 1) sleep_ms(1);
    PCHECK("a move takes the process's threads along", sh[6] == 2, "%d", sh[6]);
    PCHECK("threads past pids.max fail with EAGAIN", sh[1] == 3 && sh[2] == 6, "%d made, %d EAGAIN", sh[1], sh[2]);
    PCHECK("pids.current counts the threads", sh[3] == 4, "%d", sh[3]);
    PCHECK("pids.events counts the failed threads", text_is(at(path, "pids.events"), "max 6\n"), "differs");
    PCHECK("cgroup.threads lists every thread", line_count(at(path, "cgroup.threads")) == 4, "%d", line_count(at(path, "cgroup.threads")));
    PCHECK("cgroup.procs lists the process once", line_count(at(path, "cgroup.procs")) == 1, "%d", line_count(at(path, "cgroup.procs")));
    __atomic_store_n(&sh[0], 2, __ATOMIC_SEQ_CST);
    siginfo_t si;
    PCHECK("the process exits (waitid WNOWAIT keeps the zombie)", waitid(P_PID, c, &si, WEXITED | WNOWAIT) == 0, "%s", errname(errno));
    PCHECK("joined threads are uncharged", sh[4] == 1, "%d", sh[4]);
    PCHECK("the zombie is not in cgroup.procs", line_count(at(path, "cgroup.procs")) == 0, "%d", line_count(at(path, "cgroup.procs")));
    PCHECK("the zombie does not populate it", text_is(at(path, "cgroup.events"), "populated 0\nfrozen 0\n"), "differs");
    PCHECK("the zombie keeps its pid charged", read_number(at(path, "pids.current")) == 1, "%ld", read_number(at(path, "pids.current")));
    waitpid(c, 0, 0);
    PCHECK("reaping it uncharges it", read_number(at(path, "pids.current")) == 0, "%ld", read_number(at(path, "pids.current")));
    GCHECK("rmdir the threads' cgroup", rmdir(path) == 0, "%s", errname(errno));
    munmap(sh, 4096);
}

/* Moves a process back and forth between m1 and m2 while it forks children that exit at once. */
static void migration(void)
{
    char m1[600], m2[600];
    snprintf(m1, sizeof m1, "%s/m1", top);
    snprintf(m2, sizeof m2, "%s/m2", top);
    mkdir(m1, 0755);
    mkdir(m2, 0755);
    int ready[2];
    if (pipe(ready) != 0) return;
    pid_t f = fork();
    if (f == 0) {
        close(ready[0]);
        put(at(m1, "cgroup.procs"), "0");
        (void)!write(ready[1], "r", 1);
        for (int i = 0; i < 200; i++) {
            pid_t k = fork();
            if (k == 0) _exit(0);
            if (k > 0) waitpid(k, 0, 0);
        }
        _exit(0);
    }
    close(ready[1]);
    char x;
    (void)!read(ready[0], &x, 1);
    int moves = 0, failed = 0, dropped = 0;
    for (int i = 0; i < 60; i++) {
        if (put_pid(at(i % 2 ? m1 : m2, "cgroup.procs"), f) == 0) moves++;
        else if (errno != ESRCH) failed++;
        /* The common parent counts the forker (and maybe a child) whichever side it is on. */
        if (have_pids && waitpid(f, 0, WNOHANG) == 0 && read_number(at(top, "pids.current")) < 1 && waitpid(f, 0, WNOHANG) == 0) dropped++;
    }
    int status = 0;
    waitpid(f, &status, 0);
    GCHECK("moves while forking succeed", failed == 0 && moves > 0, "%d failed", failed);
    PCHECK("parent's pids.current never dropped", dropped == 0, "%d drops", dropped);
    GCHECK("forker finished", WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x", status);
    PCHECK("m1 and m2 pids.current 0", read_number(at(m1, "pids.current")) == 0 && read_number(at(m2, "pids.current")) == 0, "%ld %ld",
           read_number(at(m1, "pids.current")), read_number(at(m2, "pids.current")));
    GCHECK("m1 and m2 empty", line_count(at(m1, "cgroup.procs")) == 0 && line_count(at(m2, "cgroup.procs")) == 0
           && text_is(at(m1, "cgroup.events"), "populated 0\nfrozen 0\n") && text_is(at(m2, "cgroup.events"), "populated 0\nfrozen 0\n"), "not empty");
    GCHECK("rmdir m1 and m2", rmdir(m1) == 0 && rmdir(m2) == 0, "%s", errname(errno));
}

/* cgroup.events' populated change wakes poll (POLLPRI) and epoll (EPOLLPRI). */
static void events_poll(void)
{
    char w[600], b[128];
    snprintf(w, sizeof w, "%s/w", top);
    mkdir(w, 0755);
    int fd = open(at(w, "cgroup.events"), O_RDONLY);
    GCHECK("open cgroup.events", fd >= 0, "%s", errname(errno));
    (void)!read(fd, b, sizeof b);
    struct pollfd p = { fd, POLLPRI, 0 };
    GCHECK("poll: no change yet", poll(&p, 1, 0) == 0, "revents %x", p.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLPRI, .data.fd = fd }, out;
    GCHECK("epoll_ctl EPOLLPRI", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "%s", errname(errno));
    int hold[2];
    if (pipe(hold) != 0) return;
    pid_t c = fork();
    if (c == 0) {
        close(hold[1]);
        sleep_ms(100); /* let the parent wait first */
        put(at(w, "cgroup.procs"), "0");
        char x;
        (void)!read(hold[0], &x, 1);
        _exit(0);
    }
    close(hold[0]);
    p.revents = 0;
    int r = poll(&p, 1, 5000);
    GCHECK("poll wakes with POLLPRI when populated", r == 1 && (p.revents & POLLPRI) && (p.revents & POLLERR), "r %d revents %x", r, p.revents);
    GCHECK("epoll_wait reports EPOLLPRI", epoll_wait(ep, &out, 1, 0) == 1 && (out.events & EPOLLPRI), "events %x", out.events);
    lseek(fd, 0, SEEK_SET);
    memset(b, 0, sizeof b);
    (void)!read(fd, b, sizeof b - 1);
    GCHECK("re-read shows populated 1", strcmp(b, "populated 1\nfrozen 0\n") == 0, "'%s'", b);
    p.revents = 0;
    GCHECK("poll quiet after the read", poll(&p, 1, 0) == 0, "revents %x", p.revents);
    close(hold[1]);
    r = poll(&p, 1, 5000);
    GCHECK("poll wakes when the member exits", r == 1 && (p.revents & POLLPRI), "r %d revents %x", r, p.revents);
    lseek(fd, 0, SEEK_SET);
    memset(b, 0, sizeof b);
    (void)!read(fd, b, sizeof b - 1);
    GCHECK("re-read shows populated 0", strcmp(b, "populated 0\nfrozen 0\n") == 0, "'%s'", b);
    waitpid(c, 0, 0);
    close(ep);
    close(fd);
    GCHECK("rmdir w", rmdir(w) == 0, "%s", errname(errno));
}

/* cgroup.freeze on a busy process: it stops running until thawed; SIGKILL still ends it. */
static void freeze_thaw(void)
{
    char f[600];
    snprintf(f, sizeof f, "%s/f", top);
    mkdir(f, 0755);
    volatile long *counter = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int ready[2];
    if (pipe(ready) != 0) return;
    pid_t c = fork();
    if (c == 0) {
        put(at(f, "cgroup.procs"), "0");
        (void)!write(ready[1], "r", 1);
        for (;;) (*counter)++;
    }
    char x;
    (void)!read(ready[0], &x, 1);
    GCHECK("freeze a busy cgroup", put(at(f, "cgroup.freeze"), "1") == 0, "%s", errname(errno));
    /* Linux reports frozen 1 once every task has stopped. */
    for (int i = 0; i < 300 && !text_is(at(f, "cgroup.events"), "populated 1\nfrozen 1\n"); i++) sleep_ms(10);
    GCHECK("cgroup.events frozen 1", text_is(at(f, "cgroup.events"), "populated 1\nfrozen 1\n"), "differs");
    sleep_ms(50);
    long a = *counter;
    sleep_ms(200);
    long b = *counter;
    GCHECK("a frozen process does not run", a == b, "%ld then %ld", a, b);
    GCHECK("thaw", put(at(f, "cgroup.freeze"), "0") == 0, "%s", errname(errno));
    for (int i = 0; i < 300 && *counter == b; i++) sleep_ms(10);
    GCHECK("a thawed process runs again", *counter > b, "still %ld", b);
    GCHECK("cgroup.events frozen 0", text_is(at(f, "cgroup.events"), "populated 1\nfrozen 0\n"), "differs");
    put(at(f, "cgroup.freeze"), "1");
    kill(c, SIGKILL);
    int st = 0;
    GCHECK("SIGKILL ends a frozen process", waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %x", st);
    GCHECK("rmdir f", rmdir(f) == 0, "%s", errname(errno));
    munmap((void *)counter, 4096);
}

/* cgroup.freeze while its process forks busy children: the freeze completes (frozen 1),
 * and nothing in the cgroup runs or forks until the kill, children made during the
 * freeze included (Linux starts a child of a freezing cgroup frozen). */
static void freeze_forking(void)
{
    char g[600];
    snprintf(g, sizeof g, "%s/forking", top);
    mkdir(g, 0755);
    volatile long *counter = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int ready[2];
    if (counter == MAP_FAILED || pipe(ready) != 0) return;
    pid_t c = fork();
    if (c == 0) {
        put(at(g, "cgroup.procs"), "0");
        (void)!write(ready[1], "r", 1);
        for (int i = 0; i < 12; i++) {
            if (fork() == 0)
                for (;;) (*counter)++;
            for (int j = 0; j < 100000; j++) (*counter)++;
        }
        for (;;) (*counter)++;
    }
    char x;
    (void)!read(ready[0], &x, 1);
    sleep_ms(5);
    GCHECK("freeze a forking cgroup", put(at(g, "cgroup.freeze"), "1") == 0, "%s", errname(errno));
    for (int i = 0; i < 300 && !text_is(at(g, "cgroup.events"), "populated 1\nfrozen 1\n"); i++) sleep_ms(10);
    GCHECK("a forking cgroup reports frozen 1", text_is(at(g, "cgroup.events"), "populated 1\nfrozen 1\n"), "differs");
    int members = line_count(at(g, "cgroup.procs"));
    long a = *counter;
    sleep_ms(200);
    long b = *counter;
    GCHECK("nothing in a frozen forking cgroup runs", a == b, "%ld then %ld", a, b);
    GCHECK("nothing in a frozen cgroup forks", line_count(at(g, "cgroup.procs")) == members, "%d then %d", members, line_count(at(g, "cgroup.procs")));
    put(at(g, "cgroup.kill"), "1");
    int st = 0;
    GCHECK("the frozen forker dies of cgroup.kill", waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %x", st);
    for (int i = 0; i < 300 && !text_is(at(g, "cgroup.events"), "populated 0\nfrozen 1\n"); i++) sleep_ms(10);
    GCHECK("rmdir the forking cgroup", rmdir(g) == 0, "%s", errname(errno));
    close(ready[0]);
    close(ready[1]);
    munmap((void *)counter, 4096);
}

/* cgroup.kill: SIGKILL to every member; /proc/cgroups. */
static void kill_all(void)
{
    char k[600];
    snprintf(k, sizeof k, "%s/k", top);
    mkdir(k, 0755);
    pid_t kids[3];
    for (int i = 0; i < 3; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            put(at(k, "cgroup.procs"), "0");
            for (;;) pause();
        }
    }
    for (int i = 0; i < 400 && line_count(at(k, "cgroup.procs")) < 3; i++) sleep_ms(5);
    GCHECK("three members", line_count(at(k, "cgroup.procs")) == 3, "%d", line_count(at(k, "cgroup.procs")));
    GCHECK("cgroup.kill 1", put(at(k, "cgroup.kill"), "1\n") == 0, "%s", errname(errno));
    int killed = 0;
    for (int i = 0; i < 3; i++) {
        int st = 0;
        if (waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) killed++;
    }
    GCHECK("every member died of SIGKILL", killed == 3, "%d", killed);
    GCHECK("killed cgroup empty", line_count(at(k, "cgroup.procs")) == 0, "not empty");
    GCHECK("rmdir k", rmdir(k) == 0, "%s", errname(errno));
    char b[512];
    slurp("/proc/cgroups", b, sizeof b);
    PCHECK("/proc/cgroups pids on the v2 hierarchy", strstr(b, "\npids\t0\t") != 0, "'%s'", b);
}

int main(int argc, char **argv)
{
    setup(argc > 1 && strcmp(argv[1], "--find") == 0, "kevlar-cgroup-test");
    files_and_errors();
    move_self();
    pids_storm();
    threads_and_zombies();
    migration();
    events_poll();
    freeze_thaw();
    freeze_forking();
    kill_all();
    char a[600];
    snprintf(a, sizeof a, "%s/a", top);
    GCHECK("rmdir child then cgroup", rmdir(a) == 0 && rmdir(top) == 0, "%s", errname(errno));
    return check_exit();
}
