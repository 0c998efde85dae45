/* Pipes and shared memory between processes on different CPUs: a ping-pong
 * of one byte each way; 8 writers and 4 readers on one pipe, every write a
 * 256-byte record (at most PIPE_BUF, so never interleaved) and every read one
 * record: each record arrives whole and exactly once; MAP_SHARED counters
 * incremented atomically by 4 processes come out exact. */
#include "../check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

enum { Trips = 3000, Writers = 8, Readers = 4, Records = 1500, RecordSize = 256, Counters = 4, Increments = 200000 };

static int wait_all(int n, pid_t *kids)
{
    int ok = 1;
    for (int i = 0; i < n; i++) {
        int status;
        if (waitpid(kids[i], &status, 0) != kids[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0) ok = 0;
    }
    return ok;
}

static int ping_pong(void)
{
    int there[2], back[2];
    if (pipe(there) || pipe(back)) return 0;
    pid_t p = fork();
    if (p == 0) {
        char c;
        for (int i = 0; i < Trips; i++)
            if (read(there[0], &c, 1) != 1 || write(back[1], &c, 1) != 1) _exit(1);
        _exit(0);
    }
    int ok = 1;
    for (int i = 0; i < Trips; i++) {
        char c = (char)i, r = 0;
        if (write(there[1], &c, 1) != 1 || read(back[0], &r, 1) != 1 || r != c) { ok = 0; break; }
    }
    close(there[1]);
    return wait_all(1, &p) && ok;
}

struct record { uint32_t writer, seq; unsigned char fill[RecordSize - 8]; };

static int many_ends(unsigned char *seen, int *torn)
{
    int fds[2];
    if (pipe(fds)) return 0;
    pid_t kids[Writers + Readers];
    for (int w = 0; w < Writers; w++) {
        kids[w] = fork();
        if (kids[w] == 0) {
            close(fds[0]);
            struct record r;
            for (uint32_t s = 0; s < Records; s++) {
                r.writer = (uint32_t)w;
                r.seq = s;
                memset(r.fill, (int)((w * 31 + s) & 0xFF), sizeof r.fill);
                if (write(fds[1], &r, sizeof r) != sizeof r) _exit(1);
            }
            _exit(0);
        }
    }
    close(fds[1]);
    for (int i = 0; i < Readers; i++) {
        kids[Writers + i] = fork();
        if (kids[Writers + i] == 0) {
            struct record r;
            ssize_t n;
            while ((n = read(fds[0], &r, sizeof r)) > 0) {
                int whole = n == sizeof r && r.writer < Writers && r.seq < Records;
                for (size_t k = 0; whole && k < sizeof r.fill; k++)
                    if (r.fill[k] != (unsigned char)((r.writer * 31 + r.seq) & 0xFF)) whole = 0;
                if (!whole) { __atomic_add_fetch(torn, 1, __ATOMIC_SEQ_CST); continue; }
                __atomic_add_fetch(&seen[r.writer * Records + r.seq], 1, __ATOMIC_SEQ_CST);
            }
            _exit(n == 0 ? 0 : 1);
        }
    }
    close(fds[0]);
    return wait_all(Writers + Readers, kids);
}

int main(void)
{
    CHECK("ping-pong-across-cpus", ping_pong(), "a byte came back wrong or a side failed");

    unsigned char *seen = mmap(NULL, Writers * Records + 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *torn = (int *)(seen + Writers * Records);
    int ends_ok = many_ends(seen, torn);
    int once = 0, lost = 0, twice = 0;
    for (int i = 0; i < Writers * Records; i++) {
        if (seen[i] == 1) once++;
        else if (seen[i] == 0) lost++;
        else twice++;
    }
    CHECK("pipe-many-ends-all-exit-cleanly", ends_ok, "a writer or reader failed");
    CHECK("pipe-records-never-interleaved", *torn == 0, "%d reads were not one whole record", *torn);
    CHECK("pipe-records-each-once", once == Writers * Records, "%d once, %d lost, %d more than once", once, lost, twice);

    long *counters = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t kids[Counters];
    for (int i = 0; i < Counters; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            for (int k = 0; k < Increments; k++) {
                __atomic_add_fetch(&counters[0], 1, __ATOMIC_SEQ_CST);
                __atomic_add_fetch(&counters[1 + (k & 7)], 1, __ATOMIC_RELAXED);
            }
            _exit(0);
        }
    }
    int counted = wait_all(Counters, kids);
    long spread = 0;
    for (int i = 1; i <= 8; i++) spread += counters[i];
    CHECK("shared-counters-exact", counted && counters[0] == (long)Counters * Increments && spread == counters[0],
          "total %ld, spread %ld, expected %ld", counters[0], spread, (long)Counters * Increments);
    return check_exit();
}
