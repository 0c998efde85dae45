/* execve of bad executables gets an errno and the caller goes on: a file with
 * ELF magic and broken headers and a file of plain bytes (both ENOEXEC), an
 * ELF for another machine (ENOEXEC), a missing file (ENOENT), a directory
 * (EACCES), a bad path pointer (EFAULT). The files are made by
 * qemu/user/build.sh next to this program. */
#include "../check.h"
#include <libgen.h>
#include <stdlib.h>
#include <sys/syscall.h>

static char dir[4096];

static int exec_errno(const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *argv[] = {path, NULL}, *envp[] = {NULL};
    execve(path, argv, envp);
    return errno;
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[4096];
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(dir, sizeof dir, "%s", dirname(self));
    int e = exec_errno("malformed.elf");
    CHECK("broken-elf-enoexec", e == ENOEXEC, "got %s", strerror(e));
    e = exec_errno("not-an-executable");
    CHECK("plain-bytes-enoexec", e == ENOEXEC, "got %s", strerror(e));
    e = exec_errno("arm64.elf");
    CHECK("other-machine-enoexec", e == ENOEXEC, "got %s", strerror(e));
    e = exec_errno("no-such-program");
    CHECK("missing-enoent", e == ENOENT, "got %s", strerror(e));
    char root[] = "/";
    char *av[] = {root, NULL}, *ev[] = {NULL};
    execve(root, av, ev);
    CHECK("directory-eacces", errno == EACCES, "got %s", strerror(errno));
    long r = syscall(SYS_execve, (char *)1, av, ev);
    CHECK("bad-path-pointer-efault", r == -1 && errno == EFAULT, "got %s", strerror(errno));
    return check_exit();
}
