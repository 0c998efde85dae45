/* Memory limits: RLIMIT_AS caps the total of a process's mappings (mmap,
 * MAP_FIXED counting what it replaces, mremap growth, brk) with ENOMEM and
 * leaves what was mapped intact; RLIMIT_DATA caps the heap (brk fails, the
 * break stays) and private writable mappings, not read-only or shared ones. Limits are set relative to the process's own VmSize from
 * /proc/self/status, so the checks mean the same natively and on the kernel;
 * each runs in a forked child so a lowered limit dies with it. */
#include "../check.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum { MiB = 1 << 20 };

/* VmSize in bytes, from /proc/self/status. */
static unsigned long vm_size(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    unsigned long kib = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %lu kB", &kib) == 1) break;
    fclose(f);
    return kib * 1024;
}

static int limit(int resource, unsigned long bytes)
{
    struct rlimit r = {bytes, bytes};
    return setrlimit(resource, &r);
}

static void as_checks(void)
{
    /* A mapping made before the limit, to grow and replace below. */
    char *keep = mmap(NULL, 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    keep[0] = 7;
    unsigned long base = vm_size();
    CHECK("as-vmsize-known", base > 0, "no VmSize line");
    CHECK("as-set", limit(RLIMIT_AS, base + 4 * MiB) == 0, "%s", strerror(errno));
    void *big = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("as-mmap-over-limit-enomem", big == MAP_FAILED && errno == ENOMEM, "got %s", big == MAP_FAILED ? strerror(errno) : "a mapping");
    void *small = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("as-mmap-under-limit", small != MAP_FAILED, "%s", strerror(errno));
    /* MAP_FIXED over the kept mapping replaces it: only the growth counts. */
    void *same = mmap(keep, 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK("as-map-fixed-replacing-counts-net", same == keep, "%s", same == MAP_FAILED ? strerror(errno) : "moved");
    void *grown = mmap(keep, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK("as-map-fixed-growing-enomem", grown == MAP_FAILED && errno == ENOMEM, "got %s", grown == MAP_FAILED ? strerror(errno) : "a mapping");
    keep[0] = 9;
    CHECK("as-failed-fixed-leaves-old", keep[0] == 9, "the old mapping went");
    void *r = mremap(keep, 2 * MiB, 12 * MiB, MREMAP_MAYMOVE);
    CHECK("as-mremap-growth-enomem", r == MAP_FAILED && errno == ENOMEM, "got %s", r == MAP_FAILED ? strerror(errno) : "a mapping");
    r = mremap(keep, 2 * MiB, 1 * MiB, 0);
    CHECK("as-mremap-shrink-ok", r == keep, "%s", r == MAP_FAILED ? strerror(errno) : "moved");
    void *cur = (void *)syscall(SYS_brk, 0);
    void *after = (void *)syscall(SYS_brk, (char *)cur + 16 * MiB);
    CHECK("as-brk-over-limit-keeps-break", after == cur, "the break moved");
}

static void data_checks(void)
{
    void *cur = (void *)syscall(SYS_brk, 0);
    void *up = (void *)syscall(SYS_brk, (char *)cur + 64 * 1024);
    CHECK("data-brk-grows", up == (char *)cur + 64 * 1024, "the break did not move");
    struct rlimit r = {128 * 1024, RLIM_INFINITY};
    CHECK("data-set", setrlimit(RLIMIT_DATA, &r) == 0, "%s", strerror(errno));
    void *over = (void *)syscall(SYS_brk, (char *)cur + 4 * MiB);
    CHECK("data-brk-over-limit-keeps-break", over == up, "the break moved");
    void *back = (void *)syscall(SYS_brk, cur);
    CHECK("data-brk-shrink-ok", back == cur, "the break did not go back");
    /* Since Linux 4.7 private writable mappings count as data too; read-only ones do not. */
    void *m = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("data-private-writable-mmap-enomem", m == MAP_FAILED && errno == ENOMEM, "got %s", m == MAP_FAILED ? strerror(errno) : "a mapping");
    m = mmap(NULL, 8 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("data-readonly-mmap-not-counted", m != MAP_FAILED, "%s", strerror(errno));
    m = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK("data-shared-mmap-not-counted", m != MAP_FAILED, "%s", strerror(errno));
}

static int in_child(void (*checks)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        checks();
        _exit(check_exit());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
    int as = in_child(as_checks);
    int data = in_child(data_checks);
    CHECK("children-passed", as == 0 && data == 0, "as %d, data %d", as, data);
    return check_exit();
}
