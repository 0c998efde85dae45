/* fpu: a process's FPU and SSE state is its own and survives the kernel — the
 * XMM registers and MXCSR across a raw syscall instruction (which clobbers
 * only rcx and r11), the x87 registers and control word across syscalls and
 * across other processes doing x87 and SSE work on the same CPU, both across
 * a signal handler that changes them (sigreturn puts them back), and a
 * child of fork starts with its parent's rounding modes. Run natively and on
 * the kernel; the lines must match. */
#define _GNU_SOURCE
#include "../check.h"
#include <fenv.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* Loads xmm0-15 with distinct patterns from seed, makes a raw getpid syscall, stores them back;
 * the number of 64-bit lanes that differ from what was loaded. */
static int xmm_across_syscall(uint64_t seed)
{
    uint64_t in[32], out[32];
    for (int i = 0; i < 32; i++) in[i] = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i * 0x0101010101010101ULL;
    long nr = SYS_getpid;
    __asm__ volatile(
        "movdqu 0(%[in]), %%xmm0\n movdqu 16(%[in]), %%xmm1\n movdqu 32(%[in]), %%xmm2\n movdqu 48(%[in]), %%xmm3\n"
        "movdqu 64(%[in]), %%xmm4\n movdqu 80(%[in]), %%xmm5\n movdqu 96(%[in]), %%xmm6\n movdqu 112(%[in]), %%xmm7\n"
        "movdqu 128(%[in]), %%xmm8\n movdqu 144(%[in]), %%xmm9\n movdqu 160(%[in]), %%xmm10\n movdqu 176(%[in]), %%xmm11\n"
        "movdqu 192(%[in]), %%xmm12\n movdqu 208(%[in]), %%xmm13\n movdqu 224(%[in]), %%xmm14\n movdqu 240(%[in]), %%xmm15\n"
        "syscall\n"
        "movdqu %%xmm0, 0(%[out])\n movdqu %%xmm1, 16(%[out])\n movdqu %%xmm2, 32(%[out])\n movdqu %%xmm3, 48(%[out])\n"
        "movdqu %%xmm4, 64(%[out])\n movdqu %%xmm5, 80(%[out])\n movdqu %%xmm6, 96(%[out])\n movdqu %%xmm7, 112(%[out])\n"
        "movdqu %%xmm8, 128(%[out])\n movdqu %%xmm9, 144(%[out])\n movdqu %%xmm10, 160(%[out])\n movdqu %%xmm11, 176(%[out])\n"
        "movdqu %%xmm12, 192(%[out])\n movdqu %%xmm13, 208(%[out])\n movdqu %%xmm14, 224(%[out])\n movdqu %%xmm15, 240(%[out])\n"
        : "+a"(nr)
        : [in] "r"(in), [out] "r"(out)
        : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
          "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    int differ = 0;
    for (int i = 0; i < 32; i++) differ += in[i] != out[i];
    return differ;
}

/* Pushes three long doubles on the x87 stack, yields (other processes run x87 and SSE code on
 * this CPU meanwhile), pops them: whether they came back exactly. */
static int x87_across_yield(long double a, long double b, long double c)
{
    long double x, y, z;
    __asm__ volatile(
        "fldt %3\n fldt %4\n fldt %5\n"
        "mov %6, %%eax\n syscall\n"       /* sched_yield */
        "mov %7, %%eax\n syscall\n"       /* getppid */
        "fstpt %0\n fstpt %1\n fstpt %2\n"
        : "=m"(z), "=m"(y), "=m"(x)
        : "m"(a), "m"(b), "m"(c), "i"(SYS_sched_yield), "i"(SYS_getppid)
        : "rax", "rcx", "r11", "memory");
    return x == a && y == b && z == c;
}

static unsigned short x87_control(void)
{
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}

static void set_x87_control(unsigned short cw) { __asm__ volatile("fldcw %0" : : "m"(cw)); }

/* A process that keeps the CPU's FPU busy with other values until killed. */
static void noise(int seed)
{
    volatile double d = seed;
    fesetround(seed & 1 ? FE_UPWARD : FE_DOWNWARD);
    set_x87_control((unsigned short)(0x37F & ~0x300)); /* 24-bit precision */
    for (;;) {
        long double l = (long double)d * 3.0L;
        d = (double)(l / 7.0L) + seed;
        xmm_across_syscall((uint64_t)seed * 77);
        sched_yield();
    }
}

static volatile sig_atomic_t handled;
static void on_usr1(int s)
{
    (void)s;
    fesetround(FE_TOWARDZERO);
    set_x87_control(0x07F); /* single precision, another rounding */
    volatile double z = 1.0 / 3.0;
    (void)z;
    xmm_across_syscall(99);
    handled = 1;
}

int main(void)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    CHECK_OK("pin to cpu 0", sched_setaffinity(0, sizeof one, &one));

    int bad = 0;
    for (int i = 0; i < 200; i++) bad += xmm_across_syscall((uint64_t)i + 1);
    CHECK("xmm-survive-syscalls", bad == 0, "%d lanes changed", bad);

    pid_t others[2];
    for (int i = 0; i < 2; i++) {
        others[i] = fork();
        if (others[i] == 0) noise(i + 5);
    }
    fesetround(FE_TOWARDZERO);
    set_x87_control(0x37F | 0x0C00); /* round toward zero in x87 too, extended precision */
    int kept = 1, lanes = 0;
    for (int i = 0; i < 300; i++) {
        long double a = 1.0L / (3 + i), b = 2.0L / (7 + i), c = (long double)i * 1.25L + 0.1L;
        kept &= x87_across_yield(a, b, c);
        lanes += xmm_across_syscall((uint64_t)i + 1000);
        sched_yield();
    }
    CHECK("x87-stack-survives-other-processes", kept, "an x87 register changed");
    CHECK("xmm-survive-other-processes", lanes == 0, "%d lanes changed", lanes);
    CHECK("mxcsr-rounding-kept", fegetround() == FE_TOWARDZERO, "rounding %d", fegetround());
    CHECK("x87-control-word-kept", x87_control() == (0x37F | 0x0C00), "cw %#x", x87_control());

    signal(SIGUSR1, on_usr1);
    volatile double before = 2.0 / 3.0;
    raise(SIGUSR1);
    volatile double after = 2.0 / 3.0;
    CHECK("handler-ran", handled == 1, "no");
    CHECK("sigreturn-restores-rounding", fegetround() == FE_TOWARDZERO && x87_control() == (0x37F | 0x0C00), "rounding %d cw %#x",
          fegetround(), x87_control());
    CHECK("sigreturn-restores-results", before == after, "a division rounds differently");

    pid_t child = fork();
    if (child == 0) _exit(fegetround() == FE_TOWARDZERO && x87_control() == (0x37F | 0x0C00) ? 0 : 1);
    int status = -1;
    CHECK("fork-child-inherits-modes", exited_zero(child, &status), "status %#x", status);

    for (int i = 0; i < 2; i++) {
        kill(others[i], SIGKILL);
        waitpid(others[i], NULL, 0);
    }
    return check_exit();
}
