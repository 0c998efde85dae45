/* cgroupstorm: cgroup v2 under SMP load, for the SMP suite (the rules one
 * at a time are cgroup.c's):
 *  - migration: FORKERS processes fork and reap children (some of which fork
 *    a grandchild) while MOVERS processes move them between GROUPS cgroups as
 *    fast as they can. Every move succeeds; the common parent's pids.current
 *    never drops below the forkers while they live; when the moves stop each
 *    forker is listed in exactly one cgroup, the one /proc/PID/cgroup names;
 *    in the end every cgroup is empty, unpopulated, its pids.current 0, and
 *    removable.
 *  - pids.max: WORKERS processes in a cgroup whose pids.max is LIMIT each fork
 *    PAIRS children at a time, ROUNDS times, while the parent samples
 *    pids.current: it never exceeds the limit by more than the forks being
 *    charged at that moment (Linux charges first, then takes back a fork over
 *    the limit), every failed fork fails with
 *    EAGAIN, pids.events counts exactly the failures, pids.peak is the limit,
 *    and pids.current is 0 once everything is reaped.
 * With --find (natively) it works in the host's cgroup2 mount; checks that
 * need the pids controller print SKIP where the host lacks it. */
#include "cgroupfs.h"
#include <sys/mman.h>
#include <sys/wait.h>

#define GROUPS 4
#define FORKERS 4
#define MOVERS 2
#define MOVES 400
#define FORKS 200
#define WORKERS 4
#define PAIRS 2
#define ROUNDS 150
#define LIMIT 7

/* Counters shared by every process of the test (one MAP_SHARED page). */
struct shared {
    int forkers[FORKERS];
    int ready, forked, moves_ok, moves_failed, fork_failed, drops, stop;
    int forks_ok, eagain, other_errors;
};

static struct shared *sh;

static void add(int *counter, int n) { __atomic_add_fetch(counter, n, __ATOMIC_SEQ_CST); }
static int get(int *counter) { return __atomic_load_n(counter, __ATOMIC_SEQ_CST); }

static void group_path(char *out, int size, int i) { snprintf(out, size, "%s/g%d", top, i); }

/* A forker: joins its first cgroup, then forks and reaps until told to stop. */
static void forker(int index)
{
    char g[600];
    group_path(g, sizeof g, index % GROUPS);
    if (put(at(g, "cgroup.procs"), "0") != 0) add(&sh->moves_failed, 1);
    add(&sh->ready, 1);
    for (int i = 0; i < FORKS; i++) {
        pid_t k = fork();
        if (k == 0) {
            if (i % 4 == 0) {
                pid_t gk = fork();
                if (gk == 0) _exit(0);
                if (gk > 0) waitpid(gk, 0, 0);
            }
            _exit(0);
        }
        if (k < 0) add(&sh->fork_failed, 1);
        else waitpid(k, 0, 0);
    }
    add(&sh->forked, 1);
    /* Stay a member until the movers are done, so every move finds it alive. */
    while (!get(&sh->stop)) sleep_ms(2);
    _exit(0);
}

static void mover(int index)
{
    unsigned seed = 12345u + (unsigned)index * 7919u;
    char g[600];
    for (int i = 0; i < MOVES; i++) {
        seed = seed * 1103515245u + 12345u;
        int who = (int)((seed >> 8) % FORKERS), where = (int)((seed >> 16) % GROUPS);
        group_path(g, sizeof g, where);
        if (put_pid(at(g, "cgroup.procs"), sh->forkers[who]) == 0) add(&sh->moves_ok, 1);
        else add(&sh->moves_failed, 1);
        if (have_pids && read_number(at(top, "pids.current")) < FORKERS) add(&sh->drops, 1);
    }
    _exit(0);
}

/* The cgroup /proc/PID/cgroup names for pid, relative to top ("/g2"), or "". */
static void cgroup_of(int pid, char *out, int size)
{
    char path[64], b[2048];
    out[0] = 0;
    snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
    if (slurp(path, b, sizeof b) < 0) return;
    const char *t = strstr(b, top + strlen(mnt));
    if (t == 0) return;
    t += strlen(top) - strlen(mnt);
    int n = 0;
    while (t[n] && t[n] != '\n' && n < size - 1) { out[n] = t[n]; n++; }
    out[n] = 0;
}

static void migration_storm(void)
{
    char g[600];
    for (int i = 0; i < GROUPS; i++) {
        group_path(g, sizeof g, i);
        mkdir(g, 0755);
    }
    memset(sh, 0, sizeof *sh);
    for (int i = 0; i < FORKERS; i++) {
        pid_t f = fork();
        if (f == 0) forker(i);
        sh->forkers[i] = f;
    }
    while (get(&sh->ready) < FORKERS) sleep_ms(2);
    pid_t movers[MOVERS];
    for (int i = 0; i < MOVERS; i++) {
        movers[i] = fork();
        if (movers[i] == 0) mover(i);
    }
    for (int i = 0; i < MOVERS; i++) waitpid(movers[i], 0, 0);
    GCHECK("every move of a live forker succeeds", get(&sh->moves_failed) == 0 && get(&sh->moves_ok) == MOVERS * MOVES,
           "%d failed of %d", get(&sh->moves_failed), MOVERS * MOVES);
    PCHECK("the parent's pids.current never dropped below the forkers", get(&sh->drops) == 0, "%d drops", get(&sh->drops));

    /* The moves have stopped and no forker has a child left: each forker is in exactly one
     * cgroup, the one it reports. */
    while (get(&sh->forked) < FORKERS) sleep_ms(2);
    int listed = 0, agree = 0;
    for (int i = 0; i < FORKERS; i++) {
        char mine[64];
        cgroup_of(sh->forkers[i], mine, sizeof mine);
        int in = 0;
        for (int j = 0; j < GROUPS; j++) {
            group_path(g, sizeof g, j);
            if (lists_pid(at(g, "cgroup.procs"), sh->forkers[i])) {
                in++;
                char want[16];
                snprintf(want, sizeof want, "/g%d", j);
                if (strcmp(mine, want) == 0) agree++;
            }
        }
        if (in == 1) listed++;
    }
    GCHECK("each forker is listed in exactly one cgroup", listed == FORKERS, "%d of %d", listed, FORKERS);
    GCHECK("/proc/PID/cgroup names the cgroup that lists it", agree == FORKERS, "%d of %d", agree, FORKERS);
    int members = 0;
    for (int j = 0; j < GROUPS; j++) {
        group_path(g, sizeof g, j);
        members += line_count(at(g, "cgroup.procs"));
    }
    GCHECK("the cgroups list the forkers and nothing else", members == FORKERS, "%d listed", members);

    add(&sh->stop, 1);
    int bad = 0;
    for (int i = 0; i < FORKERS; i++) {
        int status = 0;
        if (waitpid(sh->forkers[i], &status, 0) != sh->forkers[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0) bad++;
    }
    GCHECK("forkers finished, every fork succeeded", bad == 0 && get(&sh->fork_failed) == 0, "%d bad exits, %d failed forks",
           bad, get(&sh->fork_failed));
    int empty = 0, zero = 0, removed = 0;
    for (int j = 0; j < GROUPS; j++) {
        group_path(g, sizeof g, j);
        if (line_count(at(g, "cgroup.procs")) == 0 && text_is(at(g, "cgroup.events"), "populated 0\nfrozen 0\n")) empty++;
        if (read_number(at(g, "pids.current")) == 0) zero++;
        if (rmdir(g) == 0) removed++;
    }
    GCHECK("every cgroup ends empty and unpopulated", empty == GROUPS, "%d of %d", empty, GROUPS);
    PCHECK("every cgroup's pids.current ends 0", zero == GROUPS, "%d of %d", zero, GROUPS);
    PCHECK("the parent's pids.current ends 0", read_number(at(top, "pids.current")) == 0, "%ld", read_number(at(top, "pids.current")));
    GCHECK("every cgroup can be removed", removed == GROUPS, "%d of %d", removed, GROUPS);
}

static void pids_worker(const char *limited)
{
    if (put(at(limited, "cgroup.procs"), "0") != 0) add(&sh->other_errors, 1);
    add(&sh->ready, 1);
    while (get(&sh->ready) < WORKERS) sleep_ms(1);
    for (int r = 0; r < ROUNDS; r++) {
        pid_t kids[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            kids[i] = fork();
            if (kids[i] == 0) _exit(0);
            if (kids[i] > 0) add(&sh->forks_ok, 1);
            else if (errno == EAGAIN) add(&sh->eagain, 1);
            else add(&sh->other_errors, 1);
        }
        for (int i = 0; i < PAIRS; i++) if (kids[i] > 0) waitpid(kids[i], 0, 0);
    }
    _exit(0);
}

static void pids_max_storm(void)
{
    char limited[600], b[64];
    snprintf(limited, sizeof limited, "%s/limited", top);
    mkdir(limited, 0755);
    snprintf(b, sizeof b, "%d\n", LIMIT);
    PCHECK("pids.max set", put(at(limited, "pids.max"), b) == 0, "%s", errname(errno));
    memset(sh, 0, sizeof *sh);
    pid_t workers[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        workers[w] = fork();
        if (workers[w] == 0) pids_worker(limited);
    }
    /* Linux charges a fork first and takes the charge back when it went over the limit
     * (pids_try_charge), so a sample may catch pids.current above pids.max by the forks
     * being charged at that moment: at most one per worker. More would be a real overshoot. */
    long most = 0;
    int samples = 0, done = 0;
    while (done < WORKERS) {
        long n = have_pids ? read_number(at(limited, "pids.current")) : 0;
        if (n > most) most = n;
        samples++;
        while (done < WORKERS && waitpid(-1, 0, WNOHANG) > 0) done++;
    }
    PCHECK("pids.current never above pids.max but for forks being charged", most <= LIMIT + WORKERS, "%ld seen in %d samples", most, samples);
    GCHECK("every fork succeeded or failed with EAGAIN", get(&sh->other_errors) == 0 && get(&sh->forks_ok) > 0, "%d other errors, %d forks",
           get(&sh->other_errors), get(&sh->forks_ok));
    GCHECK("every fork was tried", get(&sh->forks_ok) + get(&sh->eagain) == WORKERS * ROUNDS * PAIRS, "%d of %d",
           get(&sh->forks_ok) + get(&sh->eagain), WORKERS * ROUNDS * PAIRS);
    PCHECK("the limit was reached", get(&sh->eagain) > 0, "no fork failed");
    snprintf(b, sizeof b, "max %d\n", get(&sh->eagain));
    PCHECK("pids.events counts exactly the failed forks", text_is(at(limited, "pids.events"), b), "EAGAIN %d", get(&sh->eagain));
    snprintf(b, sizeof b, "%d\n", LIMIT);
    PCHECK("pids.peak is the limit", text_is(at(limited, "pids.peak"), b), "differs");
    PCHECK("pids.current 0 once all are reaped", read_number(at(limited, "pids.current")) == 0, "%ld", read_number(at(limited, "pids.current")));
    GCHECK("rmdir the limited cgroup", rmdir(limited) == 0, "%s", errname(errno));
}

int main(int argc, char **argv)
{
    setup(argc > 1 && strcmp(argv[1], "--find") == 0, "kevlar-cgroupstorm");
    GCHECK("mkdir the test's cgroup", mkdir(top, 0755) == 0, "%s", errname(errno));
    PCHECK("+pids in its subtree_control", put(at(top, "cgroup.subtree_control"), "+pids") == 0, "%s", errname(errno));
    sh = mmap(0, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) return 1;
    migration_storm();
    pids_max_storm();
    GCHECK("rmdir the test's cgroup", rmdir(top) == 0, "%s", errname(errno));
    return check_exit();
}
