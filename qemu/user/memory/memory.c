/* memory: brk(2), malloc(3), mmap(2), munmap(2) and mprotect(2) as Linux
 * documents them, without faulting (faults are separate programs in
 * robustness/: segv-unmapped, segv-readonly). brk is called raw (musl's
 * brk()/sbrk() refuse to move the break) and first, before malloc can use it,
 * and the break is put back where it was. */
#include "../check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGE 4096UL

static uintptr_t brk_raw(uintptr_t to) { return (uintptr_t)syscall(SYS_brk, to); }
static uintptr_t page_up(uintptr_t a) { return (a + PAGE - 1) & ~(PAGE - 1); }

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++) if (p[i] != v) return 0;
    return 1;
}

static void brk_checks(void)
{
    uintptr_t start = brk_raw(0);
    CHECK("brk-query", start != 0 && start != (uintptr_t)-1, "brk(0) returned %s", start ? "-1" : "0");
    CHECK("brk-query-stable", brk_raw(0) == start, "a second brk(0) moved the break");
    uintptr_t grown = start + 64 * 1024 + 1;
    uintptr_t r = brk_raw(grown);
    CHECK("brk-grow", r == grown, "brk(start + 64 KiB + 1) returned start %s", r == start ? "(unchanged)" : "+ another value");
    if (r != grown) return;
    unsigned char *low = (unsigned char *)page_up(start);
    size_t span = page_up(grown) - (uintptr_t)low;
    CHECK("brk-grown-zero", all_bytes((unsigned char *)start, grown - start, 0), "the new break area is not zero");
    memset((void *)start, 0xa5, grown - start);
    CHECK("brk-grown-writable", all_bytes((unsigned char *)start, grown - start, 0xa5), "the new break area does not keep what was written");
    r = brk_raw(start);
    CHECK("brk-shrink", r == start, "brk(start) after growing did not return start");
    CHECK("brk-query-after-shrink", brk_raw(0) == start, "brk(0) after shrinking is not start");
    r = brk_raw(grown);
    CHECK("brk-regrow", r == grown, "growing again failed");
    CHECK("brk-regrow-zero", all_bytes(low, span, 0), "pages freed by shrinking came back with old data");
    brk_raw(start);
    CHECK("brk-too-low-unchanged", brk_raw(PAGE) == start, "brk below the data segment moved the break");
    CHECK("brk-kernel-address-unchanged", brk_raw(0xffff800000000000UL) == start, "brk to a kernel address moved the break");
    CHECK("brk-huge-unchanged", brk_raw(start + (1UL << 46)) == start, "brk by 64 TiB moved the break");
    CHECK("brk-restored", brk_raw(0) == start, "the break is not back at start");
}

static void malloc_checks(void)
{
    enum { N = 1000 };
    static unsigned char *small[N];
    int ok = 1;
    for (int i = 0; i < N; i++) { small[i] = malloc(16 + i % 64); if (!small[i]) ok = 0; else memset(small[i], i & 0xff, 16 + i % 64); }
    for (int i = 0; ok && i < N; i++) if (!all_bytes(small[i], 16 + i % 64, i & 0xff)) ok = 0;
    CHECK("malloc-small-blocks", ok, "1000 small blocks did not keep their contents");
    for (int i = 0; i < N; i += 2) free(small[i]);
    for (int i = 0; i < N; i += 2) { small[i] = malloc(24); if (!small[i]) ok = 0; else memset(small[i], 0x3c, 24); }
    for (int i = 1; ok && i < N; i += 2) if (!all_bytes(small[i], 16 + i % 64, i & 0xff)) ok = 0;
    CHECK("malloc-reuse-keeps-others", ok, "freeing and reallocating blocks changed the others");
    for (int i = 0; i < N; i++) free(small[i]);

    size_t big = 32UL << 20;
    unsigned char *p = malloc(big);
    CHECK("malloc-large", p != NULL, "malloc(32 MiB) returned NULL");
    if (p) {
        for (size_t i = 0; i < big; i += PAGE) p[i] = (unsigned char)(i >> 12);
        int same = 1;
        for (size_t i = 0; i < big; i += PAGE) if (p[i] != (unsigned char)(i >> 12)) same = 0;
        CHECK("malloc-large-every-page", same, "a page of the 32 MiB block lost its byte");
        free(p);
    }
    unsigned char *z = calloc(1 << 20, 1);
    CHECK("calloc-zero", z && all_bytes(z, 1 << 20, 0), "calloc(1 MiB) is not zero");
    free(z);
    char *s = malloc(8);
    memcpy(s, "kevlar!", 8);
    s = realloc(s, 1 << 20);
    CHECK("realloc-keeps-contents", s && memcmp(s, "kevlar!", 8) == 0, "realloc to 1 MiB lost the contents");
    free(s);
}

static unsigned char *map(size_t len, int prot)
{
    void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void mmap_checks(void)
{
    unsigned char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);
    CHECK("mmap-anon", p != NULL, "mmap of 3 anonymous pages failed: %s", errname(errno));
    if (!p) return;
    CHECK("mmap-page-aligned", ((uintptr_t)p & (PAGE - 1)) == 0, "the address is not page-aligned");
    CHECK("mmap-anon-zero", all_bytes(p, 3 * PAGE, 0), "anonymous memory is not zero");
    memset(p, 0x11, 3 * PAGE);
    CHECK("mmap-anon-writable", all_bytes(p, 3 * PAGE, 0x11), "anonymous memory does not keep what was written");

    void *f = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK("mmap-fixed-over-existing", f == p + PAGE, "MAP_FIXED over the middle page %s", f == MAP_FAILED ? errname(errno) : "returned another address");
    CHECK("mmap-fixed-replaced-zero", all_bytes(p + PAGE, PAGE, 0), "the replaced page is not zero");
    CHECK("mmap-fixed-neighbours-kept", all_bytes(p, PAGE, 0x11) && all_bytes(p + 2 * PAGE, PAGE, 0x11), "the pages beside the replaced one changed");

    errno = 0;
    void *n = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK("mmap-fixed-noreplace-eexist", n == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping: %s",
          n == MAP_FAILED ? errname(errno) : "succeeded");
    CHECK("mmap-fixed-noreplace-kept", all_bytes(p, PAGE, 0x11), "the failed MAP_FIXED_NOREPLACE changed the page");

    CHECK_OK("munmap-middle", munmap(p + PAGE, PAGE));
    CHECK("munmap-middle-neighbours-kept", all_bytes(p, PAGE, 0x11) && all_bytes(p + 2 * PAGE, PAGE, 0x11), "the pages beside the unmapped one changed");
    n = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK("mmap-fixed-noreplace-hole", n == p + PAGE, "MAP_FIXED_NOREPLACE into the hole %s", n == MAP_FAILED ? errname(errno) : "returned another address");
    CHECK_OK("munmap-all", munmap(p, 3 * PAGE));
    CHECK_OK("munmap-unmapped-range", munmap(p, 3 * PAGE));

    unsigned char *q = map(2 * PAGE, PROT_READ | PROT_WRITE);
    if (q) {
        memset(q, 0x22, 2 * PAGE);
        CHECK_OK("mprotect-read-only", mprotect(q, PAGE, PROT_READ));
        CHECK("mprotect-read-only-readable", all_bytes(q, PAGE, 0x22), "the read-only page lost its contents");
        q[PAGE] = 0x23;
        CHECK("mprotect-other-page-writable", q[PAGE] == 0x23, "the page after the read-only one is not writable");
        CHECK_OK("mprotect-back-to-rw", mprotect(q, PAGE, PROT_READ | PROT_WRITE));
        q[0] = 0x24;
        CHECK("mprotect-rw-writable", q[0] == 0x24, "the page made writable again does not keep a write");
        CHECK_OK("mprotect-none", mprotect(q, 2 * PAGE, PROT_NONE));
        CHECK_OK("mprotect-none-back", mprotect(q, 2 * PAGE, PROT_READ | PROT_WRITE));
        CHECK("mprotect-none-kept-contents", q[0] == 0x24 && q[PAGE] == 0x23, "PROT_NONE and back lost the contents");
        /* raw: musl's mprotect() rounds the address down to a page */
        CHECK_ERR("mprotect-unaligned-einval", syscall(SYS_mprotect, q + 1, PAGE, PROT_READ), EINVAL);
        CHECK_ERR("mprotect-bad-prot-einval", mprotect(q, PAGE, 0x1000), EINVAL);
        munmap(q, 2 * PAGE);
        CHECK_ERR("mprotect-unmapped-enomem", mprotect(q, PAGE, PROT_READ), ENOMEM);
    }

    unsigned char *none = map(PAGE, PROT_NONE);
    CHECK("mmap-prot-none", none != NULL, "mmap PROT_NONE failed: %s", errname(errno));
    if (none) {
        CHECK_OK("mprotect-prot-none-to-rw", mprotect(none, PAGE, PROT_READ | PROT_WRITE));
        none[PAGE - 1] = 7;
        CHECK("prot-none-then-rw-writable", none[PAGE - 1] == 7 && none[0] == 0, "the page is not zero and writable");
        munmap(none, PAGE);
    }

    int ok = 1;
    for (int i = 0; i < 1000 && ok; i++) {
        unsigned char *c = map(4 * PAGE, PROT_READ | PROT_WRITE);
        if (!c) { ok = 0; break; }
        c[i % (4 * PAGE)] = 1;
        if (munmap(c, 4 * PAGE) != 0) ok = 0;
    }
    CHECK("mmap-munmap-1000-cycles", ok, "a map/unmap cycle failed: %s", errname(errno));
}

static void mmap_errors(void)
{
    static unsigned char anchor[PAGE] __attribute__((aligned(4096)));
    CHECK_ERR("mmap-length-zero-einval", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERR("mmap-no-type-einval", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERR("mmap-bad-type-einval", mmap(NULL, PAGE, PROT_READ, 0x0f | MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERR("mmap-fixed-unaligned-einval", mmap(anchor + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
    CHECK_ERR("mmap-unaligned-offset-einval", syscall(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1), EINVAL);
    CHECK_ERR("mmap-huge-enomem", mmap(NULL, 1UL << 60, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
    CHECK_ERR("mmap-file-bad-fd-ebadf", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
    CHECK_ERR("munmap-unaligned-einval", munmap(anchor + 1, PAGE), EINVAL);
    CHECK_ERR("munmap-length-zero-einval", munmap(anchor, 0), EINVAL);
    CHECK_ERR("munmap-kernel-address-einval", munmap((void *)0xffff800000000000UL, PAGE), EINVAL);
}

int main(void)
{
    brk_checks();
    malloc_checks();
    mmap_checks();
    mmap_errors();
    return check_exit();
}
