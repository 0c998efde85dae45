/* Threads and futexes: pthread create/join across CPUs' worth of threads,
 * a 4-thread mutex counter that must come out exact, condition variables,
 * thread-local storage per thread, thread exit values, gettid distinct from
 * getpid, pthread_kill to one thread, a FUTEX_WAIT timeout and EAGAIN, and
 * create/join in a loop. Threads of one process run on several CPUs at once,
 * and munmap/mprotect by one thread take effect in the others before the call
 * returns (a stale TLB entry on another CPU would let the access through);
 * exit from one thread ends threads spinning on other CPUs. */
#include "../check.h"
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

/* <linux/futex.h> values (musl-gcc has no kernel headers). */
enum { FUTEX_WAIT_PRIVATE = 128, FUTEX_WAKE_PRIVATE = 129, FUTEX_WAIT_BITSET_PRIVATE = 137 };
enum { Threads = 4, Increments = 20000, Cycles = 200 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value;

static void *adder(void *arg)
{
    tls_value = (int)(intptr_t)arg;
    for (int i = 0; i < Increments; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (i % 1000 == 0) sched_yield();
    }
    return (void *)(intptr_t)(tls_value * 10);
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready, served;

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cv_lock);
    while (!ready) pthread_cond_wait(&cv, &cv_lock);
    served++;
    pthread_mutex_unlock(&cv_lock);
    return NULL;
}

static volatile sig_atomic_t usr1_tid;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_tid = (sig_atomic_t)syscall(SYS_gettid);
}

static volatile int spin_go;
static volatile long tid_seen;

static void *target(void *arg)
{
    (void)arg;
    tid_seen = syscall(SYS_gettid);
    while (!spin_go) sched_yield();
    return NULL;
}

static void *nothing(void *arg) { return arg; }

/* Spinners meet at a barrier without any syscall, then say where they run. */
static volatile int arrived;
static unsigned long long cpus_seen;
static int cpus_wanted;

/* Spinning together, the threads note every CPU they are seen on until two CPUs have been
 * seen (one where only one is online) or 5 s pass: a loaded host may time-slice them all on
 * one CPU for a while before it spreads them. */
static void *spin_meet(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < Threads) { }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int cpu = sched_getcpu();
        if (cpu >= 0 && cpu < 64) __atomic_or_fetch(&cpus_seen, 1ULL << cpu, __ATOMIC_SEQ_CST);
        if (__builtin_popcountll(__atomic_load_n(&cpus_seen, __ATOMIC_SEQ_CST)) >= cpus_wanted) break;
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec - t0.tv_sec >= 5) break;
        for (volatile long i = 0; i < 100000; i++) { }
    }
    return NULL;
}

/* A thread keeps touching a page; the main thread unmaps it or makes it read-only. Once
 * the main thread's call has returned (flag set), the next access must fault. */
static char *shared_page;
static volatile int changed, faulted, stale, touching;
static __thread sigjmp_buf fault_jump;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(fault_jump, 1);
}

static void *toucher(void *arg)
{
    int write_access = (int)(intptr_t)arg;
    if (sigsetjmp(fault_jump, 1)) {
        faulted = 1;
        return NULL;
    }
    for (;;) {
        int after = __atomic_load_n(&changed, __ATOMIC_SEQ_CST);
        if (write_access) shared_page[64]++;
        else (void)*(volatile char *)(shared_page + 64);
        touching = 1;
        if (after) {
            stale = 1; /* the access after the change went through */
            return NULL;
        }
    }
}

static int change_under_toucher(int write_access)
{
    shared_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (shared_page == MAP_FAILED) return 0;
    changed = faulted = stale = touching = 0;
    pthread_t th;
    pthread_create(&th, NULL, toucher, (void *)(intptr_t)write_access);
    while (!touching) { }
    int r = write_access ? mprotect(shared_page, 4096, PROT_READ) : munmap(shared_page, 4096);
    __atomic_store_n(&changed, 1, __ATOMIC_SEQ_CST);
    pthread_join(th, NULL);
    if (write_access) munmap(shared_page, 4096);
    return r == 0 && faulted && !stale;
}

static void *spin_forever(void *arg)
{
    (void)arg;
    for (;;) { }
    return NULL;
}

int main(void)
{
    pthread_t t[Threads];
    for (int i = 0; i < Threads; i++) pthread_create(&t[i], NULL, adder, (void *)(intptr_t)(i + 1));
    int values_ok = 1;
    for (int i = 0; i < Threads; i++) {
        void *v;
        pthread_join(t[i], &v);
        if ((intptr_t)v != (i + 1) * 10) values_ok = 0;
    }
    CHECK("mutex-counter-exact", counter == (long)Threads * Increments, "counter %ld, expected %ld", counter, (long)Threads * Increments);
    CHECK("join-returns-values", values_ok, "a thread's return value came back wrong");
    CHECK("tls-main-untouched", tls_value == 0, "the main thread's TLS changed");

    pthread_t w[3];
    for (int i = 0; i < 3; i++) pthread_create(&w[i], NULL, waiter, NULL);
    struct timespec ms = {0, 20 * 1000 * 1000};
    nanosleep(&ms, NULL);
    pthread_mutex_lock(&cv_lock);
    ready = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&cv_lock);
    for (int i = 0; i < 3; i++) pthread_join(w[i], NULL);
    CHECK("condvar-broadcast-wakes-all", served == 3, "%d of 3 waiters woke", served);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t k;
    pthread_create(&k, NULL, target, NULL);
    while (!tid_seen) sched_yield();
    CHECK("gettid-differs-from-pid", tid_seen != getpid(), "a new thread has the process's id");
    pthread_kill(k, SIGUSR1);
    for (int i = 0; i < 5000 && !usr1_tid; i++) {
        struct timespec tick = {0, 1000 * 1000};
        nanosleep(&tick, NULL); /* up to 5 s: on a loaded host the target may wait for a CPU */
    }
    CHECK("pthread-kill-reaches-that-thread", usr1_tid == tid_seen, "SIGUSR1 ran on another thread");
    spin_go = 1;
    pthread_join(k, NULL);

    int word = 5;
    struct timespec tmo = {0, 10 * 1000 * 1000};
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0);
    CHECK("futex-wait-value-differs-eagain", r == -1 && errno == EAGAIN, "got %ld %s", r, strerror(errno));
    r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &tmo, NULL, 0);
    CHECK("futex-wait-timeout-etimedout", r == -1 && errno == ETIMEDOUT, "got %ld %s", r, strerror(errno));
    r = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    CHECK("futex-wake-nobody-zero", r == 0, "woke %ld", r);
    r = syscall(SYS_futex, (char *)&word + 1, FUTEX_WAIT_PRIVATE, 5, NULL, NULL, 0);
    CHECK("futex-misaligned-einval", r == -1 && errno == EINVAL, "got %ld %s", r, strerror(errno));
    r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0);
    CHECK("futex-zero-bitset-einval", r == -1 && errno == EINVAL, "got %ld %s", r, strerror(errno));

    int cycles_ok = 1;
    for (int i = 0; i < Cycles; i++) {
        pthread_t n;
        void *v;
        if (pthread_create(&n, NULL, nothing, (void *)(intptr_t)i) != 0 || pthread_join(n, &v) != 0 || (intptr_t)v != i) cycles_ok = 0;
    }
    CHECK("create-join-cycles", cycles_ok, "a create/join cycle failed");

    long online = sysconf(_SC_NPROCESSORS_ONLN);
    cpus_wanted = online < 2 ? 1 : 2;
    pthread_t s[Threads];
    for (int i = 0; i < Threads; i++) pthread_create(&s[i], NULL, spin_meet, (void *)(intptr_t)i);
    for (int i = 0; i < Threads; i++) pthread_join(s[i], NULL);
    int distinct = __builtin_popcountll(cpus_seen);
    CHECK("threads-run-on-several-cpus", distinct >= cpus_wanted, "%d distinct CPUs for %d spinning threads", distinct, Threads);

    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    CHECK("munmap-reaches-thread-on-other-cpu", change_under_toucher(0), "a read after munmap returned went through");
    CHECK("mprotect-reaches-thread-on-other-cpu", change_under_toucher(1), "a write after mprotect(PROT_READ) returned went through");
    sa.sa_handler = SIG_DFL;
    sigaction(SIGSEGV, &sa, NULL);

    pid_t child = fork();
    if (child == 0) {
        pthread_t f[3];
        for (int i = 0; i < 3; i++) pthread_create(&f[i], NULL, spin_forever, NULL);
        struct timespec settle = {0, 20 * 1000 * 1000};
        nanosleep(&settle, NULL);
        _exit(7); /* exit_group: the spinners on other CPUs end with it */
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK("exit-ends-threads-spinning-elsewhere", WIFEXITED(status) && WEXITSTATUS(status) == 7, "status 0x%x", status);
    return check_exit();
}
