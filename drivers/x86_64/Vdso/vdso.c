/* The vDSO: clock_gettime, gettimeofday, time and getcpu served in user mode,
 * mapped into every process at exec and advertised by AT_SYSINFO_EHDR (musl
 * and glibc look the symbols up by name and the LINUX_2.6 version, as on
 * Linux). Time comes off the TSC with the kernel's own conversion, published
 * in the [vvar] page one page below this image (layout: VvarPage.cs); when the
 * page says the TSC is not usable, or for a clock kept only in the kernel
 * (the CPU-time clocks, an invalid id), each call makes the system call.
 * getcpu reads the CPU index from the limit of a per-CPU GDT descriptor with
 * lsl, as Linux's vDSO does without RDPID.
 *
 * Built with the image (qemu/build-image.sh): position-independent, no libc,
 * no relocations (the kernel copies it as it is). */
#include <stdint.h>

struct vvar {
    uint32_t magic;              /* VVAR_MAGIC once the kernel filled it in */
    uint32_t tsc_usable;         /* 0: every call makes the system call */
    uint64_t ns_per_tsc32;       /* nanoseconds per TSC tick, 32.32 fixed point */
    uint64_t boot_ns;            /* the conversion's value at boot (CLOCK_MONOTONIC 0) */
    uint64_t realtime_at_boot;   /* CLOCK_REALTIME at CLOCK_MONOTONIC 0, ns since the epoch */
};

#define VVAR_MAGIC 0x72617676u /* "vvar" */
#define CPU_SELECTOR 0x43      /* GDT entry 8, RPL 3: limit = CPU index */

struct kernel_timespec { int64_t tv_sec, tv_nsec; };
struct kernel_timeval { int64_t tv_sec, tv_usec; };
struct kernel_timezone { int32_t tz_minuteswest, tz_dsttime; };

enum { SYS_gettimeofday = 96, SYS_time = 201, SYS_clock_gettime = 228, SYS_clock_getres = 229, SYS_getcpu = 309 };
enum { CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
       CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7 };

/* The page below the image's ELF header (__ehdr_start, defined by the linker):
 * an rip-relative lea, so no relocation and no out-of-bounds pointer in C. */
static inline const volatile struct vvar *vvar(void)
{
    const volatile struct vvar *v;
    __asm__("lea __ehdr_start-4096(%%rip), %0" : "=r"(v));
    return v;
}

static inline long syscall2(long n, long a, long b)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}

static inline long syscall3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Nanoseconds since boot: the kernel's Clock.NowNanoseconds minus its boot value,
 * the same 32.32 multiply, so the two never disagree about the order of events. */
static inline uint64_t monotonic_ns(const volatile struct vvar *v)
{
    uint64_t tsc = rdtsc(), m = v->ns_per_tsc32;
    return (tsc >> 32) * m + (((tsc & 0xFFFFFFFFu) * m) >> 32) - v->boot_ns;
}

static inline int usable(const volatile struct vvar *v)
{
    return v->magic == VVAR_MAGIC && v->tsc_usable;
}

int __vdso_clock_gettime(int clock, struct kernel_timespec *ts)
{
    const volatile struct vvar *v = vvar();
    uint64_t ns;
    if (!usable(v)) return (int)syscall2(SYS_clock_gettime, clock, (long)ts);
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        ns = v->realtime_at_boot + monotonic_ns(v);
        break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        ns = monotonic_ns(v);
        break;
    default:
        return (int)syscall2(SYS_clock_gettime, clock, (long)ts);
    }
    ts->tv_sec = (int64_t)(ns / 1000000000u);
    ts->tv_nsec = (int64_t)(ns % 1000000000u);
    return 0;
}

int __vdso_gettimeofday(struct kernel_timeval *tv, struct kernel_timezone *tz)
{
    const volatile struct vvar *v = vvar();
    if (!usable(v)) return (int)syscall2(SYS_gettimeofday, (long)tv, (long)tz);
    if (tv) {
        uint64_t ns = v->realtime_at_boot + monotonic_ns(v);
        tv->tv_sec = (int64_t)(ns / 1000000000u);
        tv->tv_usec = (int64_t)(ns % 1000000000u / 1000u);
    }
    if (tz) {
        tz->tz_minuteswest = 0; /* the kernel keeps UTC, as its gettimeofday says */
        tz->tz_dsttime = 0;
    }
    return 0;
}

long __vdso_time(long *t)
{
    const volatile struct vvar *v = vvar();
    if (!usable(v)) return syscall2(SYS_time, (long)t, 0);
    long seconds = (long)((v->realtime_at_boot + monotonic_ns(v)) / 1000000000u);
    if (t) *t = seconds;
    return seconds;
}

int __vdso_clock_getres(int clock, struct kernel_timespec *res)
{
    return (int)syscall2(SYS_clock_getres, clock, (long)res);
}

long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
    unsigned limit;
    (void)unused;
    if (vvar()->magic != VVAR_MAGIC) return syscall3(SYS_getcpu, (long)cpu, (long)node, 0);
    __asm__("lsl %1, %0" : "=r"(limit) : "r"(CPU_SELECTOR));
    if (cpu) *cpu = limit & 0xFFF;
    if (node) *node = 0;
    return 0;
}

/* The unprefixed names Linux's vDSO also exports. */
int clock_gettime(int, struct kernel_timespec *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct kernel_timeval *, struct kernel_timezone *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
int clock_getres(int, struct kernel_timespec *) __attribute__((weak, alias("__vdso_clock_getres")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
