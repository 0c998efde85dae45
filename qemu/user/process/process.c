/* process: identity, uname, argv/envp/auxv and errno conventions of a
 * single-threaded process (getpid(2), uname(2), getauxval(3), execve(2)'s
 * initial stack, syscall(2)). The harness runs it as
 *   process alpha "beta gamma" ""
 * and it checks those arguments. It may run as PID 1 (on the kernel) or as
 * any other process (natively), so it checks what holds in both. */
#include "../check.h"
#include <elf.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

extern char **environ;
extern const Elf64_Ehdr __ehdr_start; /* the linker's symbol for the ELF header */
extern char _start[];

static void ids(void)
{
    pid_t pid = getpid(), ppid = getppid();
    CHECK("getpid-positive", pid > 0, "getpid returned %s", pid == 0 ? "0" : "a negative value");
    /* init (PID 1) has no parent: getppid() is 0; every other process has one. */
    CHECK("getppid-consistent", pid == 1 ? ppid == 0 : ppid > 0,
          "getppid %s for %s", ppid == 0 ? "0" : ppid > 0 ? "positive" : "negative", pid == 1 ? "PID 1" : "a PID other than 1");
    CHECK("getppid-not-self", ppid != pid, "getppid equals getpid");
    CHECK("gettid-equals-getpid", syscall(SYS_gettid) == pid, "gettid differs from getpid in a single-threaded process");
    CHECK("getuid-matches-auxv", getuid() == getauxval(AT_UID), "getuid differs from AT_UID");
    CHECK("geteuid-matches-auxv", geteuid() == getauxval(AT_EUID), "geteuid differs from AT_EUID");
    CHECK("getgid-matches-auxv", getgid() == getauxval(AT_GID), "getgid differs from AT_GID");
    CHECK("getegid-matches-auxv", getegid() == getauxval(AT_EGID), "getegid differs from AT_EGID");
    CHECK("getpid-stable", getpid() == pid, "a second getpid differs");
}

static int nul_within(const char *s, size_t n) { return memchr(s, 0, n) != NULL; }

static void names(void)
{
    struct utsname u;
    memset(&u, 0x55, sizeof u);
    CHECK_OK("uname-succeeds", uname(&u));
    CHECK("uname-fields-terminated", nul_within(u.sysname, sizeof u.sysname) && nul_within(u.nodename, sizeof u.nodename)
          && nul_within(u.release, sizeof u.release) && nul_within(u.version, sizeof u.version)
          && nul_within(u.machine, sizeof u.machine) && nul_within(u.domainname, sizeof u.domainname),
          "a field has no NUL within its 65 bytes");
    CHECK("uname-sysname-linux", strcmp(u.sysname, "Linux") == 0, "sysname is not \"Linux\"");
    CHECK("uname-release-digit", u.release[0] >= '0' && u.release[0] <= '9', "release does not start with a digit");
    CHECK("uname-release-dotted", strchr(u.release, '.') != NULL, "release has no '.'");
    CHECK("uname-machine-x86_64", strcmp(u.machine, "x86_64") == 0, "machine is not \"x86_64\"");
    CHECK("uname-nodename-nonempty", u.nodename[0] != 0, "nodename is empty");
    CHECK("uname-version-nonempty", u.version[0] != 0, "version is empty");
}

static void arguments(int argc, char **argv, char **envp)
{
    CHECK("argc-is-4", argc == 4, "argc is %d (run as: process alpha \"beta gamma\" \"\")", argc);
    CHECK("argv-terminated", argv[argc] == NULL, "argv[argc] is not NULL");
    const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
    base = base ? base + 1 : argv[0];
    CHECK("argv0-names-program", base && strcmp(base, "process") == 0, "argv[0] does not end in \"process\"");
    if (argc == 4) {
        CHECK("argv1", strcmp(argv[1], "alpha") == 0, "argv[1] is not \"alpha\"");
        CHECK("argv2-with-space", strcmp(argv[2], "beta gamma") == 0, "argv[2] is not \"beta gamma\"");
        CHECK("argv3-empty", argv[3][0] == 0, "argv[3] is not empty");
    }
    CHECK("envp-follows-argv", envp == argv + argc + 1, "envp is not &argv[argc + 1]");
    CHECK("environ-is-envp", environ == envp, "environ differs from main's envp");
    int bad = 0, n = 0;
    for (char **e = envp; *e; e++, n++) if (!strchr(*e, '=')) bad++;
    CHECK("envp-entries-have-equals", bad == 0, "%d environment entries have no '='", bad);
    CHECK("argv-strings-above-pointers", (char *)argv[0] > (char *)(envp + n), "argv[0] lies below the envp array");
}

static void auxv(void)
{
    CHECK("auxv-pagesz", getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ is %lu", getauxval(AT_PAGESZ));
    CHECK("sysconf-pagesize", sysconf(_SC_PAGESIZE) == 4096, "sysconf(_SC_PAGESIZE) is %ld", sysconf(_SC_PAGESIZE));
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK("auxv-random-present", rnd != NULL, "AT_RANDOM is missing");
    if (rnd) {
        int zero = 1, same = 1;
        for (int i = 0; i < 16; i++) { zero &= rnd[i] == 0; same &= rnd[i] == rnd[0]; }
        CHECK("auxv-random-16-bytes-vary", !zero && !same, "the 16 AT_RANDOM bytes are all %s", zero ? "zero" : "equal");
    }
    const Elf64_Ehdr *eh = &__ehdr_start;
    CHECK("auxv-phdr", getauxval(AT_PHDR) == (unsigned long)eh + eh->e_phoff, "AT_PHDR is not the ELF header + e_phoff");
    CHECK("auxv-phent", getauxval(AT_PHENT) == sizeof(Elf64_Phdr), "AT_PHENT is %lu", getauxval(AT_PHENT));
    CHECK("auxv-phnum", getauxval(AT_PHNUM) == eh->e_phnum, "AT_PHNUM is %lu, e_phnum %u", getauxval(AT_PHNUM), eh->e_phnum);
    CHECK("auxv-entry", getauxval(AT_ENTRY) == (unsigned long)_start, "AT_ENTRY is not _start");
    CHECK("auxv-entry-from-header", eh->e_type != ET_EXEC || getauxval(AT_ENTRY) == eh->e_entry, "AT_ENTRY differs from e_entry");
    CHECK("auxv-secure-zero", getauxval(AT_SECURE) == 0, "AT_SECURE is %lu", getauxval(AT_SECURE));
    CHECK("auxv-clktck", getauxval(AT_CLKTCK) == 100, "AT_CLKTCK is %lu", getauxval(AT_CLKTCK));
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    CHECK("auxv-execfn", execfn != NULL && strrchr(execfn, '/') && strcmp(strrchr(execfn, '/') + 1, "process") == 0,
          "AT_EXECFN is %s", execfn ? "not a path ending in /process" : "missing");
    errno = 0;
    getauxval(0x7fff);
    CHECK("getauxval-absent-enoent", errno == ENOENT, "getauxval of an absent type set errno %s", errname(errno));
}

static void errno_conventions(void)
{
    CHECK("errno-constants", EPERM == 1 && ENOENT == 2 && EBADF == 9 && EFAULT == 14 && EEXIST == 17
          && EINVAL == 22 && ENOTTY == 25 && ENOSYS == 38, "errno constants differ from Linux x86_64's");
    CHECK_ERR("unknown-syscall-enosys", syscall(1000), ENOSYS);
    CHECK_ERR("negative-syscall-enosys", syscall(-1L), ENOSYS);
    CHECK_ERR("huge-syscall-enosys", syscall(0x40000000L + 1000), ENOSYS);
    errno = 1234;
    (void)getpid();
    CHECK("success-keeps-errno", errno == 1234, "a successful call changed errno");
    long raw = syscall(SYS_close, -1);
    CHECK("syscall-wrapper-returns-minus-one", raw == -1 && errno == EBADF, "syscall(SYS_close, -1) returned %ld, errno %s", raw, errname(errno));
}

int main(int argc, char **argv, char **envp)
{
    ids();
    names();
    arguments(argc, argv, envp);
    auxv();
    errno_conventions();
    return check_exit();
}
