/* uts: UTS namespaces (uts_namespaces(7)). A child that unshares
 * CLONE_NEWUTS sets its own host and domain names; uname shows them there,
 * its forked children share them, and the parent's names do not change. A
 * clone(CLONE_NEWUTS) child gets its own copy the same way. sethostname's
 * errors (EINVAL for a length over 64 or below 0, EFAULT, EPERM without
 * privilege) and unshare's (EINVAL for an unknown flag, EPERM without
 * privilege), and /proc/<pid>/ns/uts: "uts:[N]", the same across fork, a
 * new N after unshare. Names are only ever changed inside new namespaces,
 * so running it natively leaves the host as it was. Needs root. */
#define _GNU_SOURCE
#include "../check.h"
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

/* Results a child reports through shared memory. */
struct shared {
    int unshare_result, sethost_result, setdomain_result;
    char child_node[65], child_domain[65], grandchild_node[65];
    char ns_before[64], ns_after[64], ns_grandchild[64];
    int einval_long, einval_negative, efault, eperm_sethost, eperm_unshare;
    int clone_node_ok;
};

static struct shared *s_shared;

static void ns_link(const char *path, char *out, size_t size)
{
    ssize_t n = readlink(path, out, size - 1);
    out[n > 0 ? n : 0] = 0;
}

static int looks_like_uts_link(const char *s)
{
    unsigned long n;
    char end;
    return sscanf(s, "uts:[%lu%c", &n, &end) == 2 && end == ']';
}

static int run_child(void (*body)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(0);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void in_new_namespace(void)
{
    struct shared *r = s_shared;
    ns_link("/proc/self/ns/uts", r->ns_before, sizeof r->ns_before);
    r->unshare_result = unshare(CLONE_NEWUTS) == 0 ? 0 : errno;
    if (r->unshare_result) return;
    ns_link("/proc/self/ns/uts", r->ns_after, sizeof r->ns_after);
    r->sethost_result = sethostname("kevlar-uts-test", 15) == 0 ? 0 : errno;
    r->setdomain_result = setdomainname("uts.example", 11) == 0 ? 0 : errno;
    struct utsname u;
    uname(&u);
    strcpy(r->child_node, u.nodename);
    strcpy(r->child_domain, u.domainname);
    errno = 0;
    char long_name[80];
    memset(long_name, 'x', sizeof long_name);
    r->einval_long = sethostname(long_name, 65) == -1 ? errno : 0;
    r->einval_negative = syscall(SYS_sethostname, "x", -1L) == -1 ? errno : 0;
    r->efault = sethostname((const char *)8, 5) == -1 ? errno : 0;
    /* A grandchild shares the new namespace: its change is seen here. */
    pid_t g = fork();
    if (g == 0) {
        sethostname("grandchild", 10);
        ns_link("/proc/self/ns/uts", r->ns_grandchild, sizeof r->ns_grandchild);
        _exit(0);
    }
    waitpid(g, 0, 0);
    uname(&u);
    strcpy(r->grandchild_node, u.nodename);
    /* Without privilege: EPERM. */
    if (setuid(65534) == 0) {
        r->eperm_sethost = sethostname("nobody", 6) == -1 ? errno : 0;
        r->eperm_unshare = unshare(CLONE_NEWUTS) == -1 ? errno : 0;
    }
}

static char s_clone_stack[16384] __attribute__((aligned(16)));

static int clone_body(void *arg)
{
    (void)arg;
    if (sethostname("cloned", 6) != 0) return 1;
    struct utsname u;
    uname(&u);
    s_shared->clone_node_ok = strcmp(u.nodename, "cloned") == 0;
    return 0;
}

int main(void)
{
    s_shared = mmap(0, sizeof *s_shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s_shared == MAP_FAILED) return 1;
    struct utsname before, after;
    uname(&before);
    char host[65] = "";
    gethostname(host, sizeof host);
    CHECK("gethostname-is-uname-nodename", strcmp(host, before.nodename) == 0, "differ");
    char own[64];
    ns_link("/proc/self/ns/uts", own, sizeof own);
    CHECK("proc-ns-uts-link", looks_like_uts_link(own), "readlink gave \"%s\"", own);

    CHECK("unshare-child-exits", run_child(in_new_namespace), "child failed");
    struct shared *r = s_shared;
    CHECK("unshare-newuts", r->unshare_result == 0, "%s", errname(r->unshare_result));
    CHECK("sethostname-in-new-ns", r->sethost_result == 0 && strcmp(r->child_node, "kevlar-uts-test") == 0,
          "%s, nodename \"%s\"", errname(r->sethost_result), r->child_node);
    CHECK("setdomainname-in-new-ns", r->setdomain_result == 0 && strcmp(r->child_domain, "uts.example") == 0,
          "%s, domainname \"%s\"", errname(r->setdomain_result), r->child_domain);
    CHECK("sethostname-65-bytes-einval", r->einval_long == EINVAL, "%s", errname(r->einval_long));
    CHECK("sethostname-negative-length-einval", r->einval_negative == EINVAL, "%s", errname(r->einval_negative));
    CHECK("sethostname-bad-pointer-efault", r->efault == EFAULT, "%s", errname(r->efault));
    CHECK("forked-grandchild-shares-the-new-ns", strcmp(r->grandchild_node, "grandchild") == 0, "nodename \"%s\"", r->grandchild_node);
    CHECK("grandchild-ns-link-is-the-childs", strcmp(r->ns_grandchild, r->ns_after) == 0, "differ");
    CHECK("ns-link-changes-with-unshare", looks_like_uts_link(r->ns_after) && strcmp(r->ns_before, r->ns_after) != 0, "before %s",
          strcmp(r->ns_before, r->ns_after) == 0 ? "equals after" : "malformed");
    CHECK("child-ns-link-before-unshare-is-parents", strcmp(r->ns_before, own) == 0, "differ");
    CHECK("sethostname-unprivileged-eperm", r->eperm_sethost == EPERM, "%s", errname(r->eperm_sethost));
    CHECK("unshare-unprivileged-eperm", r->eperm_unshare == EPERM, "%s", errname(r->eperm_unshare));

    uname(&after);
    CHECK("parent-names-unchanged", strcmp(before.nodename, after.nodename) == 0 && strcmp(before.domainname, after.domainname) == 0,
          "changed");

    pid_t c = clone(clone_body, s_clone_stack + sizeof s_clone_stack, CLONE_NEWUTS | SIGCHLD, 0);
    int status = -1;
    if (c > 0) waitpid(c, &status, 0);
    CHECK("clone-newuts-child-has-its-own", c > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && s_shared->clone_node_ok,
          "clone %s", c > 0 ? "child failed" : errname(errno));
    uname(&after);
    CHECK("parent-names-unchanged-after-clone", strcmp(before.nodename, after.nodename) == 0, "changed");

    CHECK_ERR("unshare-unknown-flag-einval", unshare(0x1), EINVAL);
    return check_exit();
}
