/* threaded: cgroup v2 thread mode (cgroups(7) "Cgroups v2 thread mode"). A
 * cgroup made "threaded" turns its parent into a thread root ("domain
 * threaded") and its domain siblings and new children into "domain invalid";
 * cgroup.threads moves one thread within its resource domain (EOPNOTSUPP into
 * another), and /proc/self/task/<tid>/cgroup, cgroup.threads and
 * cgroup.events follow it; a threaded cgroup's cgroup.procs cannot be read
 * (EOPNOTSUPP) but a write there moves every thread; the thread root lists
 * the process; a thread or a fork made by a moved thread starts where it is;
 * a moved thread's end leaves its cgroup empty; cgroup.freeze of a threaded
 * cgroup stops the threads in it and no other. The program takes a private
 * mount namespace and mounts cgroup2 itself, so natively (root, a host with
 * cgroup2) the host keeps nothing of it; the lines match. */
#include "cgroupfs.h"
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char base[300];
static char t[400], u[400];

struct worker {
    pthread_t thread;
    int tid;
    int go[2];     /* the main thread writes a command byte */
    int done[2];   /* the worker answers with one byte */
    int made_ok;   /* 'c': the thread it made found itself in the worker's cgroup */
    int fork_ok;   /* 'f': its child found itself in the worker's cgroup */
};

static int gettid_(void) { return (int)syscall(SYS_gettid); }

/* Whether the v2 line ("0::/...") of a /proc cgroup file ends with tail. */
static int in_cgroup(const char *path, const char *tail)
{
    char b[2048];
    if (slurp(path, b, sizeof b) < 0) return 0;
    for (char *p = strtok(b, "\n"); p; p = strtok(0, "\n"))
        if (strncmp(p, "0::", 3) == 0) return ends_with(p, tail);
    return 0;
}

static int task_in(int tid, const char *tail)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/cgroup", tid);
    return in_cgroup(path, tail);
}

static void *nested(void *arg)
{
    int *ok = arg;
    *ok = task_in(gettid_(), "/kevlar-threaded/t");
    return NULL;
}

/* Waits for commands: 'c' makes a thread and keeps it until 'j'; 'f' forks; 'q' ends. */
static void *worker_main(void *arg)
{
    struct worker *w = arg;
    w->tid = gettid_();
    pthread_t made;
    int made_running = 0;
    char c = 0;
    if (write(w->done[1], "r", 1) != 1) return NULL;
    while (read(w->go[0], &c, 1) == 1 && c != 'q') {
        if (c == 'c') {
            made_running = pthread_create(&made, NULL, nested, &w->made_ok) == 0;
            if (made_running) pthread_join(made, NULL);
        } else if (c == 'f') {
            pid_t child = fork();
            if (child == 0) _exit(in_cgroup("/proc/self/cgroup", "/kevlar-threaded/t") ? 0 : 1);
            int status = -1;
            waitpid(child, &status, 0);
            w->fork_ok = status == 0;
        }
        if (write(w->done[1], "d", 1) != 1) break;
    }
    return NULL;
}

static int start(struct worker *w)
{
    char c;
    if (pipe(w->go) || pipe(w->done)) return -1;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) return -1;
    return read(w->done[0], &c, 1) == 1 ? 0 : -1;
}

static void ask(struct worker *w, char command)
{
    char c;
    if (write(w->go[1], &command, 1) != 1 || read(w->done[0], &c, 1) != 1) check_out("FAIL worker did not answer");
}

static void stop(struct worker *w)
{
    if (write(w->go[1], "q", 1) == 1) pthread_join(w->thread, NULL);
}

static int put_tid(const char *dir, const char *file, int tid);

static volatile long spins;
static volatile int spin_stop, spin_tid;

static void *spinner(void *arg)
{
    (void)arg;
    spin_tid = gettid_();
    while (!spin_stop) spins++;
    return NULL;
}

/* Waits up to 2 s for cgroup.events of dir to say frozen (1) or not (0). */
static int events_frozen(const char *dir, int frozen)
{
    const char *want = frozen ? "frozen 1\n" : "frozen 0\n";
    char b[128];
    for (int i = 0; i < 200; i++) {
        if (slurp(at(dir, "cgroup.events"), b, sizeof b) > 0 && strstr(b, want)) return 1;
        usleep(10000);
    }
    return 0;
}

static void freezing(void)
{
    pthread_t th;
    spin_stop = 0;
    CHECK_OK("start a spinning thread", pthread_create(&th, NULL, spinner, NULL) == 0 ? 0 : -1);
    while (!spin_tid) usleep(1000);
    CHECK_OK("the spinner to t", put_tid(t, "cgroup.threads", spin_tid));
    CHECK_OK("freeze t", put(at(t, "cgroup.freeze"), "1"));
    CHECK("t reports frozen", events_frozen(t, 1), "not frozen");
    long before = spins;
    usleep(100000);
    CHECK("the thread in t stopped", spins == before, "it went on");
    CHECK("top is not frozen", text_is(at(top, "cgroup.freeze"), "0\n") && events_frozen(top, 0), "differs");
    CHECK_OK("thaw t", put(at(t, "cgroup.freeze"), "0"));
    CHECK("t reports thawed", events_frozen(t, 0), "still frozen");
    before = spins;
    for (int i = 0; i < 200 && spins == before; i++) usleep(10000);
    CHECK("the thread runs again", spins != before, "it did not");
    spin_stop = 1;
    pthread_join(th, NULL);
}

static int put_tid(const char *dir, const char *file, int tid) { return put_pid(at(dir, file), tid); }

static int read_fails(const char *path, int expected)
{
    char b[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    errno = 0;
    ssize_t n = read(fd, b, sizeof b);
    int e = errno;
    close(fd);
    return n == -1 && e == expected;
}

int main(void)
{
    char start_line[256];
    if (unshare(CLONE_NEWNS) == 0) mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    my_cgroup(start_line, sizeof start_line);
    snprintf(mnt, sizeof mnt, "/sys/fs/cgroup");
    CHECK_OK("mount cgroup2", mount("none", mnt, "cgroup2", 0, 0));
    snprintf(base, sizeof base, "%s%s", mnt, strcmp(start_line, "0::/") == 0 ? "" : start_line + 3);
    snprintf(top, sizeof top, "%s/kevlar-threaded", base);
    snprintf(t, sizeof t, "%s/t", top);
    snprintf(u, sizeof u, "%s/u", top);
    CHECK_OK("mkdir top", mkdir(top, 0755));
    CHECK_OK("mkdir t", mkdir(t, 0755));
    CHECK_OK("mkdir u", mkdir(u, 0755));
    CHECK_OK("move self to top", put(at(top, "cgroup.procs"), "0"));

    CHECK("t starts a domain", text_is(at(t, "cgroup.type"), "domain\n"), "differs");
    CHECK_OK("make t threaded", put(at(t, "cgroup.type"), "threaded"));
    CHECK("t reads threaded", text_is(at(t, "cgroup.type"), "threaded\n"), "differs");
    CHECK("top reads domain threaded", text_is(at(top, "cgroup.type"), "domain threaded\n"), "differs");
    CHECK("u reads domain invalid", text_is(at(u, "cgroup.type"), "domain invalid\n"), "differs");
    CHECK_ERR("t back to domain EINVAL", put(at(t, "cgroup.type"), "domain"), EINVAL);
    CHECK_OK("mkdir under t", mkdir(at(t, "x"), 0755));
    CHECK("its child is domain invalid", text_is(at(at(t, "x"), "cgroup.type"), "domain invalid\n"), "differs");
    CHECK_OK("which may be threaded", put(at(at(t, "x"), "cgroup.type"), "threaded"));
    CHECK_OK("rmdir it", rmdir(at(t, "x")));

    struct worker a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    CHECK_OK("start two threads", start(&a) == 0 && start(&b) == 0 ? 0 : -1);

    CHECK_OK("move one thread to t", put_tid(t, "cgroup.threads", a.tid));
    CHECK("t lists that thread", lists_pid(at(t, "cgroup.threads"), a.tid) && line_count(at(t, "cgroup.threads")) == 1, "%d lines", line_count(at(t, "cgroup.threads")));
    CHECK("top lists the other two", line_count(at(top, "cgroup.threads")) == 2 && !lists_pid(at(top, "cgroup.threads"), a.tid), "%d lines", line_count(at(top, "cgroup.threads")));
    CHECK("the thread root lists the process", lists_pid(at(top, "cgroup.procs"), getpid()) && line_count(at(top, "cgroup.procs")) == 1, "not listed");
    CHECK("t's cgroup.procs read EOPNOTSUPP", read_fails(at(t, "cgroup.procs"), EOPNOTSUPP), "%s", errname(errno));
    CHECK("the thread's /proc cgroup is t", task_in(a.tid, "/kevlar-threaded/t"), "differs");
    CHECK("the process's /proc cgroup is top", in_cgroup("/proc/self/cgroup", "/kevlar-threaded"), "differs");
    CHECK("t is populated", text_is(at(t, "cgroup.events"), "populated 1\nfrozen 0\n"), "differs");
    CHECK_ERR("rmdir t while it has a thread EBUSY", rmdir(t), EBUSY);
    CHECK_ERR("the thread into another domain EOPNOTSUPP", put_tid(u, "cgroup.threads", a.tid), EOPNOTSUPP);
    CHECK_ERR("the process into an invalid domain EOPNOTSUPP", put(at(u, "cgroup.procs"), "0"), EOPNOTSUPP);
    CHECK_ERR("a thread nobody has ESRCH", put(at(t, "cgroup.threads"), "999999"), ESRCH);

    ask(&a, 'c');
    CHECK("a thread it makes starts in t", a.made_ok && line_count(at(t, "cgroup.threads")) == 1, "%d lines", line_count(at(t, "cgroup.threads")));
    ask(&a, 'f');
    CHECK("a fork it makes starts in t", a.fork_ok, "the child was elsewhere");

    CHECK_OK("the thread home again", put_tid(top, "cgroup.threads", a.tid));
    CHECK("t is empty again", line_count(at(t, "cgroup.threads")) == 0 && text_is(at(t, "cgroup.events"), "populated 0\nfrozen 0\n"), "differs");

    CHECK_OK("the process into t", put(at(t, "cgroup.procs"), "0"));
    CHECK("every thread went", line_count(at(t, "cgroup.threads")) == 3 && line_count(at(top, "cgroup.threads")) == 0, "%d in t", line_count(at(t, "cgroup.threads")));
    CHECK("the thread root still lists it", lists_pid(at(top, "cgroup.procs"), getpid()), "not listed");
    CHECK("the process's /proc cgroup is t", in_cgroup("/proc/self/cgroup", "/kevlar-threaded/t"), "differs");
    CHECK_OK("the process back to top", put(at(top, "cgroup.procs"), "0"));

    CHECK_OK("the other thread to t", put_tid(t, "cgroup.threads", b.tid));
    stop(&b);
    // pthread_join returns when the thread clears its tid, which Linux does before it leaves its
    // cgroup (exit_mm runs before cgroup_exit): give the end a moment to land.
    for (int i = 0; i < 100 && line_count(at(t, "cgroup.threads")) != 0; i++) usleep(10000);
    CHECK("its end empties t", line_count(at(t, "cgroup.threads")) == 0 && text_is(at(t, "cgroup.events"), "populated 0\nfrozen 0\n"), "%d lines", line_count(at(t, "cgroup.threads")));
    stop(&a);
    freezing();

    CHECK_OK("move self back", put(at(base, "cgroup.procs"), "0"));
    CHECK_OK("rmdir u", rmdir(u));
    CHECK_OK("rmdir t", rmdir(t));
    CHECK_OK("rmdir top", rmdir(top));
    return check_exit();
}
