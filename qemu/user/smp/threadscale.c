/* Threads at scale and the pthread primitives under contention from every
 * CPU: 1,000 threads alive at once, then joined; a barrier for 8 threads over
 * many rounds; a rwlock whose readers never see a writer inside; counting
 * semaphores between producers and consumers; a robust mutex whose owner dies
 * (EOWNERDEAD, then made consistent); tgkill to each of several threads (each
 * sees its own signal); a fork from a thread (the child has one thread and
 * exits normally) while the other threads keep running; and a group whose
 * main thread left first (SYS_exit), where tgkill of the leader's tid still
 * succeeds (Linux keeps the zombie leader) and the last thread's exit_group
 * gives the status. */
#include "../check.h"
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum { Many = 1000, BarrierThreads = 8, Rounds = 300, Readers = 6, Writers = 2, RwIterations = 3000,
       Producers = 4, Consumers = 4, Items = 5000, Signaled = 6 };

/* 1,000 threads: each checks in, then waits until all have. */
static pthread_mutex_t gather_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gather_cv = PTHREAD_COND_INITIALIZER;
static int gathered, released;

static void *gather(void *arg)
{
    pthread_mutex_lock(&gather_lock);
    gathered++;
    pthread_cond_broadcast(&gather_cv);
    while (!released) pthread_cond_wait(&gather_cv, &gather_lock);
    pthread_mutex_unlock(&gather_lock);
    return arg;
}

static int many_threads(void)
{
    static pthread_t t[Many];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    int made = 0;
    for (int i = 0; i < Many; i++)
        if (pthread_create(&t[i], &attr, gather, (void *)(intptr_t)i) == 0) made++;
    pthread_mutex_lock(&gather_lock);
    while (gathered < made) pthread_cond_wait(&gather_cv, &gather_lock);
    int all_alive = gathered == Many;
    released = 1;
    pthread_cond_broadcast(&gather_cv);
    pthread_mutex_unlock(&gather_lock);
    int joined = 0;
    for (int i = 0; i < made; i++) {
        void *v;
        if (pthread_join(t[i], &v) == 0 && (intptr_t)v == i) joined++;
    }
    return all_alive && joined == Many;
}

/* Barrier: every thread adds its round number; after each barrier all sums agree. */
static pthread_barrier_t barrier;
static volatile long round_sum[Rounds];
static volatile int barrier_bad;

static void *barrier_worker(void *arg)
{
    (void)arg;
    for (int r = 0; r < Rounds; r++) {
        __atomic_add_fetch(&round_sum[r], r + 1, __ATOMIC_SEQ_CST);
        pthread_barrier_wait(&barrier);
        if (__atomic_load_n(&round_sum[r], __ATOMIC_SEQ_CST) != (long)BarrierThreads * (r + 1)) barrier_bad = 1;
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

/* rwlock: writers make two fields equal again before they leave; readers check them. */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile long rw_a, rw_b;
static volatile int rw_torn, writers_inside;

static void *rw_reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < RwIterations; i++) {
        pthread_rwlock_rdlock(&rw);
        if (rw_a != rw_b || writers_inside) rw_torn = 1;
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

static void *rw_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < RwIterations / 4; i++) {
        pthread_rwlock_wrlock(&rw);
        if (__atomic_add_fetch(&writers_inside, 1, __ATOMIC_SEQ_CST) != 1) rw_torn = 1;
        rw_a++;
        for (volatile int k = 0; k < 50; k++) {}
        rw_b++;
        __atomic_sub_fetch(&writers_inside, 1, __ATOMIC_SEQ_CST);
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

/* Semaphores: a ring of slots guarded by "free" and "full". */
static sem_t free_slots, full_slots;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static int ring[16], ring_head, ring_tail;
static long consumed_sum, consumed_count;

static void *producer(void *arg)
{
    int base = (int)(intptr_t)arg * Items;
    for (int i = 0; i < Items; i++) {
        sem_wait(&free_slots);
        pthread_mutex_lock(&ring_lock);
        ring[ring_head++ % 16] = base + i;
        pthread_mutex_unlock(&ring_lock);
        sem_post(&full_slots);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < Items; i++) {
        sem_wait(&full_slots);
        pthread_mutex_lock(&ring_lock);
        consumed_sum += ring[ring_tail++ % 16];
        consumed_count++;
        pthread_mutex_unlock(&ring_lock);
        sem_post(&free_slots);
    }
    return NULL;
}

/* Robust mutex: the owner thread exits holding it. */
static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL; /* exits with the lock held */
}

/* tgkill: each thread records the signal number it handled. */
static volatile long handled_by[Signaled];
static __thread int my_index = -1;
static volatile int signal_go, signal_ready;

static void on_signal(int sig)
{
    if (my_index >= 0) handled_by[my_index] = sig;
}

static void *signaled(void *arg)
{
    my_index = (int)(intptr_t)arg;
    __atomic_add_fetch(&signal_ready, 1, __ATOMIC_SEQ_CST);
    while (!signal_go || handled_by[my_index] == 0) sched_yield();
    return (void *)(long)syscall(SYS_gettid);
}

static volatile int keep_spinning = 1;
static pthread_t tids_for_kill[Signaled];
static volatile pid_t tid_of[Signaled];

static void *spinner(void *arg)
{
    (void)arg;
    while (keep_spinning) {}
    return NULL;
}

static void *forker(void *arg)
{
    (void)arg;
    pid_t p = fork();
    if (p == 0) {
        /* The child has only this thread; it must run and exit normally. */
        int ok = syscall(SYS_gettid) == getpid();
        _exit(ok ? 42 : 1);
    }
    int status = 0;
    if (waitpid(p, &status, 0) != p) return (void *)0;
    return (void *)(intptr_t)(WIFEXITED(status) && WEXITSTATUS(status) == 42);
}

static void *record_tid(void *arg)
{
    int i = (int)(intptr_t)arg;
    tid_of[i] = (pid_t)syscall(SYS_gettid);
    return signaled(arg);
}

/* In a child whose main thread has left: tgkill of the leader's tid, then the group's status. */
static void *after_leader(void *arg)
{
    (void)arg;
    usleep(50000);
    long r = syscall(SYS_tgkill, getpid(), getpid(), 0);
    syscall(SYS_exit_group, r == 0 ? 9 : 8);
    return NULL;
}

int main(void)
{
    CHECK("thousand-threads-alive-and-joined", many_threads(), "%d of %d threads were alive at once", gathered, Many);

    pthread_barrier_init(&barrier, NULL, BarrierThreads);
    pthread_t b[BarrierThreads];
    for (int i = 0; i < BarrierThreads; i++) pthread_create(&b[i], NULL, barrier_worker, NULL);
    for (int i = 0; i < BarrierThreads; i++) pthread_join(b[i], NULL);
    CHECK("barrier-rounds-agree", !barrier_bad, "a thread passed a barrier before all had added");

    pthread_t rws[Readers + Writers];
    for (int i = 0; i < Readers + Writers; i++) pthread_create(&rws[i], NULL, i < Writers ? rw_writer : rw_reader, NULL);
    for (int i = 0; i < Readers + Writers; i++) pthread_join(rws[i], NULL);
    CHECK("rwlock-readers-never-see-a-writer", !rw_torn && rw_a == rw_b && rw_a == (long)Writers * (RwIterations / 4),
          "torn %d, a %ld, b %ld", rw_torn, rw_a, rw_b);

    sem_init(&free_slots, 0, 16);
    sem_init(&full_slots, 0, 0);
    pthread_t pc[Producers + Consumers];
    for (int i = 0; i < Producers; i++) pthread_create(&pc[i], NULL, producer, (void *)(intptr_t)i);
    for (int i = 0; i < Consumers; i++) pthread_create(&pc[Producers + i], NULL, consumer, NULL);
    for (int i = 0; i < Producers + Consumers; i++) pthread_join(pc[i], NULL);
    long n = (long)Producers * Items;
    CHECK("semaphore-ring-exact", consumed_count == n && consumed_sum == n * (n - 1) / 2,
          "%ld items, sum %ld", consumed_count, consumed_sum);

    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &ma);
    pthread_t d;
    pthread_create(&d, NULL, die_holding, NULL);
    pthread_join(d, NULL);
    int r = pthread_mutex_lock(&robust);
    CHECK("robust-owner-death-eownerdead", r == EOWNERDEAD, "lock returned %d", r);
    CHECK("robust-made-consistent", r != EOWNERDEAD || (pthread_mutex_consistent(&robust) == 0 && pthread_mutex_unlock(&robust) == 0),
          "could not make it consistent");
    CHECK("robust-lockable-again", pthread_mutex_lock(&robust) == 0 && pthread_mutex_unlock(&robust) == 0, "the mutex stayed broken");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    for (int i = 0; i < Signaled; i++) pthread_create(&tids_for_kill[i], NULL, record_tid, (void *)(intptr_t)i);
    while (signal_ready < Signaled) sched_yield();
    for (int i = 0; i < Signaled; i++) syscall(SYS_tgkill, getpid(), tid_of[i], i % 2 ? SIGUSR2 : SIGUSR1);
    signal_go = 1;
    int right = 0;
    for (int i = 0; i < Signaled; i++) {
        pthread_join(tids_for_kill[i], NULL);
        if (handled_by[i] == (i % 2 ? SIGUSR2 : SIGUSR1)) right++;
    }
    CHECK("tgkill-each-thread-its-own-signal", right == Signaled, "%d of %d threads handled the signal sent to them", right, Signaled);

    pthread_t s[3], f;
    for (int i = 0; i < 3; i++) pthread_create(&s[i], NULL, spinner, NULL);
    void *fork_ok = 0;
    pthread_create(&f, NULL, forker, NULL);
    pthread_join(f, &fork_ok);
    keep_spinning = 0;
    for (int i = 0; i < 3; i++) pthread_join(s[i], NULL);
    CHECK("fork-from-thread-beside-spinners", fork_ok != 0, "the child of a thread's fork did not exit 42");

    pid_t child = fork();
    if (child == 0) {
        pthread_t after;
        pthread_create(&after, NULL, after_leader, NULL);
        syscall(SYS_exit, 0); /* the main thread only */
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK("leader-left-group-lives", WIFEXITED(status) && WEXITSTATUS(status) == 9,
          "status %#x (9: tgkill of the leader's tid gave 0 after it left; 8: it failed)", status);
    return check_exit();
}
