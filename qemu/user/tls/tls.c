/* tls: thread-local storage of the main thread (the x86_64 TLS ABI, variant
 * II: the thread pointer in FS, %fs:0 holding the pointer itself, the TLS
 * block below it) and arch_prctl(2)'s FS/GS base codes. Between setting a
 * foreign FS base and restoring it nothing touches TLS (errno included), so
 * those calls are raw syscall instructions. */
#include "../check.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>

/* <asm/prctl.h> (musl-gcc has no kernel headers) */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

static __thread int initialised = 42;
static __thread long zeroed[16];
static __thread char big[64 * 1024];
static __thread _Alignas(64) char aligned64[8] = "abc";
static __thread const char *text = "tls-string";

static long raw_arch_prctl(long code, unsigned long addr)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_arch_prctl), "D"(code), "S"(addr) : "rcx", "r11", "memory");
    return r;
}

static uintptr_t fs_word0(void)
{
    uintptr_t v;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) if (b[i]) return 0;
    return 1;
}

static void variables(void)
{
    CHECK("tdata-initialised", initialised == 42, "a __thread int initialised to 42 reads otherwise");
    CHECK("tbss-zero", all_zero(zeroed, sizeof zeroed) && all_zero(big, sizeof big), "__thread arrays are not zero");
    CHECK("tdata-string", text && strcmp(text, "tls-string") == 0, "a __thread pointer lost its initialiser");
    CHECK("tdata-aligned-64", ((uintptr_t)aligned64 & 63) == 0 && strcmp(aligned64, "abc") == 0, "a 64-aligned __thread array is misplaced");
    initialised++;
    zeroed[15] = -1;
    big[sizeof big - 1] = 'z';
    CHECK("tls-writable", initialised == 43 && zeroed[15] == -1 && big[sizeof big - 1] == 'z', "writes to __thread variables were lost");
    errno = EDOM;
    CHECK("errno-thread-local", errno == EDOM, "errno lost a value");
}

static void thread_pointer(void)
{
    unsigned long fs = 0;
    CHECK_OK("arch-prctl-get-fs", syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
    CHECK("fs-nonzero", fs != 0, "the FS base is zero");
    CHECK("fs-word0-self", fs_word0() == fs, "%%fs:0 does not hold the FS base");
    CHECK("fs-is-pthread-self", fs == (unsigned long)pthread_self(), "the FS base is not pthread_self()");
    CHECK("tls-below-fs", (uintptr_t)&initialised < fs && (uintptr_t)&big[sizeof big] <= fs,
          "__thread variables are not below the thread pointer");
    CHECK("tls-near-fs", fs - (uintptr_t)&initialised < 1 << 20, "__thread variables are over 1 MiB below the thread pointer");
    unsigned long gs = 1;
    CHECK_OK("arch-prctl-get-gs", syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
    CHECK("gs-zero", gs == 0, "the GS base of a new process is not zero");
}

static void set_fs(void)
{
    static uintptr_t block[8] __attribute__((aligned(64)));
    unsigned long old = 0, now = 0;
    syscall(SYS_arch_prctl, ARCH_GET_FS, &old);
    block[0] = (uintptr_t)block;
    long set = raw_arch_prctl(ARCH_SET_FS, (uintptr_t)block);
    uintptr_t seen = fs_word0();
    long get = raw_arch_prctl(ARCH_GET_FS, (uintptr_t)&now);
    long back = raw_arch_prctl(ARCH_SET_FS, old);
    CHECK("arch-prctl-set-fs", set == 0, "ARCH_SET_FS returned %ld", set);
    CHECK("set-fs-visible", seen == (uintptr_t)block, "%%fs:0 after ARCH_SET_FS is not the new block");
    CHECK("set-fs-get-fs", get == 0 && now == (uintptr_t)block, "ARCH_GET_FS after ARCH_SET_FS gave another base");
    CHECK("set-fs-restore", back == 0 && fs_word0() == old && initialised == 43, "restoring the FS base did not bring TLS back");

    unsigned long gs = 0;
    CHECK_OK("arch-prctl-set-gs", syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)block));
    syscall(SYS_arch_prctl, ARCH_GET_GS, &gs);
    CHECK("set-gs-get-gs", gs == (uintptr_t)block, "ARCH_GET_GS after ARCH_SET_GS gave another base");
    uintptr_t gs0;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(gs0));
    CHECK("set-gs-visible", gs0 == (uintptr_t)block, "%%gs:0 after ARCH_SET_GS is not the block");
    syscall(SYS_arch_prctl, ARCH_SET_GS, 0UL);
}

static void errors(void)
{
    CHECK_ERR("arch-prctl-bad-code-einval", syscall(SYS_arch_prctl, 0x9999, 0UL), EINVAL);
    CHECK_ERR("arch-prctl-get-fs-null-efault", syscall(SYS_arch_prctl, ARCH_GET_FS, 0UL), EFAULT);
    CHECK_ERR("arch-prctl-get-fs-kernel-efault", syscall(SYS_arch_prctl, ARCH_GET_FS, 0xffff800000000000UL), EFAULT);
    CHECK_ERR("arch-prctl-set-fs-kernel-eperm", syscall(SYS_arch_prctl, ARCH_SET_FS, 0xffff800000000000UL), EPERM);
    CHECK_ERR("arch-prctl-set-gs-kernel-eperm", syscall(SYS_arch_prctl, ARCH_SET_GS, 0xffff800000000000UL), EPERM);
    CHECK("fs-survives-errors", fs_word0() == (uintptr_t)pthread_self(), "failed calls changed the FS base");
}

int main(void)
{
    variables();
    thread_pointer();
    set_fs();
    errors();
    return check_exit();
}
