/* vdso: the vDSO as C libraries find it — advertised by AT_SYSINFO_EHDR,
 * mapped as [vdso] (with [vvar]) in /proc/self/maps, exporting Linux's x86_64
 * names under the LINUX_2.6 version — and what its functions return: the same
 * clocks as the system calls (interleaved reads never go back), the CPU a
 * pinned thread runs on, the system call's answer for the clocks it does not
 * serve itself, and the same in a forked child. */
#include "../check.h"
#include <elf.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, void *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static const Elf64_Ehdr *s_ehdr;
static uintptr_t s_base;
static const Elf64_Sym *s_syms;
static const char *s_strings;
static const Elf64_Half *s_versym;
static const Elf64_Verdef *s_verdef;
static uint32_t s_count;

/* The dynamic symbol table, found as musl's __vdsosym finds it (DT_HASH for the count). */
static int load_tables(void)
{
    const Elf64_Phdr *ph = (const void *)((const char *)s_ehdr + s_ehdr->e_phoff);
    const Elf64_Dyn *dyn = 0;
    int loads = 0;
    for (int i = 0; i < s_ehdr->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !loads++) s_base = (uintptr_t)s_ehdr + ph[i].p_offset - ph[i].p_vaddr;
        else if (ph[i].p_type == PT_DYNAMIC) dyn = (const void *)((const char *)s_ehdr + ph[i].p_offset);
    }
    if (!loads || !dyn) return 0;
    const uint32_t *hash = 0;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        void *at = (void *)(s_base + dyn->d_un.d_ptr);
        switch (dyn->d_tag) {
        case DT_HASH: hash = at; break;
        case DT_SYMTAB: s_syms = at; break;
        case DT_STRTAB: s_strings = at; break;
        case DT_VERSYM: s_versym = at; break;
        case DT_VERDEF: s_verdef = at; break;
        }
    }
    if (!hash || !s_syms || !s_strings) return 0;
    s_count = hash[1];
    return 1;
}

/* The version name of symbol i ("" without version tables). */
static const char *version_of(uint32_t i)
{
    if (!s_versym || !s_verdef) return "";
    Elf64_Half index = s_versym[i] & 0x7fff;
    for (const Elf64_Verdef *d = s_verdef;; d = (const void *)((const char *)d + d->vd_next)) {
        if (!(d->vd_flags & VER_FLG_BASE) && (d->vd_ndx & 0x7fff) == index) {
            const Elf64_Verdaux *aux = (const void *)((const char *)d + d->vd_aux);
            return s_strings + aux->vda_name;
        }
        if (!d->vd_next) return "";
    }
}

static void *lookup(const char *name)
{
    for (uint32_t i = 1; i < s_count; i++) {
        const Elf64_Sym *s = &s_syms[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF) continue;
        if (strcmp(s_strings + s->st_name, name) != 0) continue;
        if (strcmp(version_of(i), "LINUX_2.6") != 0) return 0;
        return (void *)(s_base + s->st_value);
    }
    return 0;
}

static long long ns_of(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

static void check_maps(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512], want[32];
    int vdso = 0, vvar = 0;
    snprintf(want, sizeof want, "%lx-", (unsigned long)s_ehdr);
    if (f) {
        while (fgets(line, sizeof line, f)) {
            if (strstr(line, "[vdso]") && strncmp(line, want, strlen(want)) == 0 && strstr(line, " r-xp ")) vdso = 1;
            if (strstr(line, "[vvar]")) vvar = 1;
        }
        fclose(f);
    }
    CHECK("maps-vdso-at-sysinfo-ehdr-r-xp", vdso, "no [vdso] r-xp line starts at AT_SYSINFO_EHDR");
    CHECK("maps-vvar", vvar, "no [vvar] line");
}

static void check_clocks(clock_gettime_fn cgt)
{
    long long last = 0;
    int backwards = 0, bad = 0;
    for (int i = 0; i < 20000; i++) {
        struct timespec t;
        int r = (i & 1) ? cgt(CLOCK_MONOTONIC, &t) : (int)syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
        if (r != 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000L) bad = 1;
        if (ns_of(t) < last) backwards = 1;
        last = ns_of(t);
    }
    CHECK("monotonic-vdso-and-syscall-never-go-back", !bad && !backwards, "bad value %d, went back %d", bad, backwards);

    struct timespec v, s;
    int r = cgt(CLOCK_REALTIME, &v);
    syscall(SYS_clock_gettime, CLOCK_REALTIME, &s);
    long long d = ns_of(s) - ns_of(v);
    CHECK("realtime-vdso-matches-syscall", r == 0 && d >= 0 && d < 1000000000LL, "returned %d, syscall - vdso = %lld ns", r, d);

    r = cgt(CLOCK_BOOTTIME, &v);
    CHECK("boottime-vdso", r == 0 && ns_of(v) > 0, "returned %d", r);

    r = cgt(CLOCK_PROCESS_CPUTIME_ID, &v);
    CHECK("cputime-through-vdso", r == 0 && ns_of(v) > 0, "returned %d", r);

    r = cgt((clockid_t)12345, &v);
    CHECK("invalid-clock-vdso-einval", r == -EINVAL, "returned %d; expected -EINVAL", r);
}

static void check_time_of_day(gettimeofday_fn gtod, time_fn tm)
{
    struct timeval v, s;
    struct { int minuteswest, dsttime; } tz = { -1, -1 };
    int r = gtod(&v, &tz);
    syscall(SYS_gettimeofday, &s, 0);
    long long d = (s.tv_sec - v.tv_sec) * 1000000LL + (s.tv_usec - v.tv_usec);
    CHECK("gettimeofday-vdso-matches-syscall", r == 0 && v.tv_usec >= 0 && v.tv_usec < 1000000 && d >= 0 && d < 1000000,
          "returned %d, syscall - vdso = %lld us", r, d);
    CHECK("gettimeofday-vdso-fills-tz", tz.minuteswest != -1 && tz.dsttime != -1, "timezone left as it was");
    CHECK("gettimeofday-vdso-null-tv", gtod(0, 0) == 0, "failed");

    long out = 0, t1 = tm(&out), t2 = (long)syscall(SYS_time, 0);
    CHECK("time-vdso-matches-syscall", t1 == out && t2 - t1 >= 0 && t2 - t1 <= 1, "vdso %s, syscall - vdso = %ld s",
          t1 == out ? "stored its result" : "stored another value", t2 - t1);
}

static void check_getcpu(getcpu_fn gc)
{
    cpu_set_t all;
    if (sched_getaffinity(0, sizeof all, &all) != 0) {
        CHECK("getcpu-matches-pinned-cpu", 0, "sched_getaffinity failed");
        return;
    }
    int tried = 0, wrong = 0;
    for (int cpu = 0; cpu < 8 && cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &all)) continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        if (sched_setaffinity(0, sizeof one, &one) != 0) continue;
        unsigned v = 99, node = 99, s = 77;
        long r = gc(&v, &node, 0);
        syscall(SYS_getcpu, &s, 0, 0);
        if (r != 0 || v != (unsigned)cpu || s != (unsigned)cpu || node != 0) wrong++;
        tried++;
    }
    sched_setaffinity(0, sizeof all, &all);
    CHECK("getcpu-matches-pinned-cpu", tried > 0 && wrong == 0, "%d of %d CPUs answered wrong", wrong, tried);
    CHECK("getcpu-null-arguments", gc(0, 0, 0) == 0, "failed");
}

int main(void)
{
    s_ehdr = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
    CHECK("auxv-sysinfo-ehdr", s_ehdr != 0, "AT_SYSINFO_EHDR missing");
    if (!s_ehdr) return check_exit();
    int elf = memcmp(s_ehdr->e_ident, ELFMAG, SELFMAG) == 0 && s_ehdr->e_ident[EI_CLASS] == ELFCLASS64 && s_ehdr->e_type == ET_DYN;
    CHECK("vdso-is-elf64-shared-object", elf, "not an ELF64 ET_DYN image");
    if (!elf) return check_exit();
    CHECK("vdso-dynamic-tables", load_tables(), "no PT_LOAD, PT_DYNAMIC, DT_HASH, DT_SYMTAB or DT_STRTAB");
    if (!s_syms) return check_exit();

    clock_gettime_fn cgt = (clock_gettime_fn)lookup("__vdso_clock_gettime");
    gettimeofday_fn gtod = (gettimeofday_fn)lookup("__vdso_gettimeofday");
    time_fn tm = (time_fn)lookup("__vdso_time");
    getcpu_fn gc = (getcpu_fn)lookup("__vdso_getcpu");
    CHECK("exports-__vdso_clock_gettime@LINUX_2.6", cgt != 0, "not found");
    CHECK("exports-__vdso_gettimeofday@LINUX_2.6", gtod != 0, "not found");
    CHECK("exports-__vdso_time@LINUX_2.6", tm != 0, "not found");
    CHECK("exports-__vdso_getcpu@LINUX_2.6", gc != 0, "not found");
    check_maps();
    if (cgt) check_clocks(cgt);
    if (gtod && tm) check_time_of_day(gtod, tm);
    if (gc) check_getcpu(gc);

    if (cgt) {
        pid_t child = fork();
        if (child == 0) {
            struct timespec t;
            _exit(cgt(CLOCK_MONOTONIC, &t) == 0 && ns_of(t) > 0 ? 0 : 1);
        }
        int status = -1;
        waitpid(child, &status, 0);
        CHECK("vdso-works-in-forked-child", WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    }
    return check_exit();
}
