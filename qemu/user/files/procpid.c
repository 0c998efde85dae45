/* procpid: /proc/<pid>/maps, fdinfo/ and task/ — the maps of this process and
 * of a child (its own thread answers), a zombie's empty maps, fdinfo's pos,
 * flags and ino, and a thread's task/<tid>/ files. Run natively and on the
 * kernel; the lines must match. */
#include "../check.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char text[65536];

static int slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = 0, r;
    while (n < (int)sizeof text - 1 && (r = (int)read(fd, text + n, sizeof text - 1 - (size_t)n)) > 0) n += r;
    close(fd);
    text[n] = 0;
    return n;
}

/* The maps line that starts at start, copied into line (without its newline). */
static int find_line(unsigned long start, char *line, size_t size)
{
    char want[32];
    snprintf(want, sizeof want, "%08lx-", start);
    for (char *p = text; *p; ) {
        char *end = strchr(p, '\n');
        if (!end) end = p + strlen(p);
        if (strncmp(p, want, strlen(want)) == 0) {
            size_t n = (size_t)(end - p) < size - 1 ? (size_t)(end - p) : size - 1;
            memcpy(line, p, n);
            line[n] = 0;
            return 1;
        }
        p = *end ? end + 1 : end;
    }
    return 0;
}

static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static volatile int thread_tid;
static volatile int thread_done;

static void *thread_main(void *arg)
{
    (void)arg;
    thread_tid = (int)syscall(SYS_gettid);
    while (!thread_done) usleep(1000);
    return NULL;
}

int main(void)
{
    long page = 4096;
    char *area = mmap(NULL, (size_t)(5 * page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area, (size_t)page);
    munmap(area + 4 * page, (size_t)page);
    char *a = area + page;
    mprotect(a + page, (size_t)page, PROT_READ);
    char *shared = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    CHECK("maps-read", slurp("/proc/self/maps") > 0, "errno %s", errname(errno));
    char line[256], want[256];
    snprintf(want, sizeof want, "%08lx-%08lx rw-p 00000000 00:00 0 ", (unsigned long)a, (unsigned long)(a + page));
    CHECK("maps-anonymous-line", find_line((unsigned long)a, line, sizeof line) && strcmp(line, want) == 0, "line '%.120s'", line);
    snprintf(want, sizeof want, "%08lx-%08lx r--p 00000000 00:00 0 ", (unsigned long)(a + page), (unsigned long)(a + 2 * page));
    CHECK("maps-mprotect-split", find_line((unsigned long)(a + page), line, sizeof line) && strcmp(line, want) == 0, "line '%.120s'", line);
    snprintf(want, sizeof want, "%08lx-%08lx rw-p 00000000 00:00 0 ", (unsigned long)(a + 2 * page), (unsigned long)(a + 3 * page));
    CHECK("maps-after-split", find_line((unsigned long)(a + 2 * page), line, sizeof line) && strcmp(line, want) == 0, "line '%.120s'", line);
    CHECK("maps-shared", find_line((unsigned long)shared, line, sizeof line) && strncmp(line + strcspn(line, " ") + 1, "rw-s", 4) == 0, "line '%.120s'", line);
    CHECK("maps-stack", strstr(text, "rw-p 00000000 00:00 0") && strstr(text, "[stack]\n") != NULL, "no [stack]");

    char exe[256] = {0};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) exe[n] = 0;
    int found_exe = 0;
    for (char *p = strstr(text, exe); p; p = strstr(p + 1, exe)) {
        char *start = p;
        while (start > text && start[-1] != '\n') start--;
        if (strstr(start, "r-xp") && strstr(start, "r-xp") < p && p[strlen(exe)] == '\n') found_exe = 1;
    }
    CHECK("maps-executable-text", n > 0 && found_exe, "exe %s", exe);
    unsigned long s, e, off;
    char perms[8];
    unsigned int major, minor;
    unsigned long ino;
    int fields = sscanf(text, "%lx-%lx %4s %lx %x:%x %lu", &s, &e, perms, &off, &major, &minor, &ino);
    CHECK("maps-first-line-fields", fields == 7 && s < e && ino != 0, "fields %d", fields);

    /* Another process's maps: asked of that process. */
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        char *mine = mmap((void *)0x200000000UL, (size_t)(3 * page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        write(ready[1], mine == MAP_FAILED ? "n" : "y", 1);
        pause();
        _exit(0);
    }
    char c = 0;
    read(ready[0], &c, 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", child);
    CHECK("child-maps-read", slurp(path) > 0, "errno %s", errname(errno));
    CHECK("child-maps-line", c == 'y' && find_line(0x200000000UL, line, sizeof line)
          && strcmp(line, "200000000-200003000 r--p 00000000 00:00 0 ") == 0, "line '%.120s'", line);
    kill(child, SIGKILL);
    siginfo_t info;
    waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT);
    CHECK("zombie-maps-empty", slurp(path) == 0, "%d bytes", (int)strlen(text));
    waitpid(child, NULL, 0);

    /* fdinfo: the offset, the flags with O_CLOEXEC from the fd, the inode. */
    int fd = open("/tmp/kevlar-procpid", O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    write(fd, "hello", 5);
    lseek(fd, 3, SEEK_SET);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    CHECK("fdinfo-read", slurp(path) > 0, "errno %s", errname(errno));
    long pos = -1;
    unsigned int flags = 0;
    unsigned long fino = 0;
    char *at = strstr(text, "pos:");
    if (at) sscanf(at, "pos:\t%ld", &pos);
    at = strstr(text, "flags:");
    if (at) sscanf(at, "flags:\t%o", &flags);
    at = strstr(text, "ino:");
    if (at) sscanf(at, "ino:\t%lu", &fino);
    struct stat st;
    fstat(fd, &st);
    CHECK("fdinfo-pos", pos == 3, "pos %ld", pos);
    CHECK("fdinfo-flags", (flags & O_ACCMODE) == O_RDWR && (flags & O_APPEND) && (flags & O_CLOEXEC), "flags %o", flags);
    CHECK("fdinfo-mnt-id", strstr(text, "\nmnt_id:\t") != NULL, "no mnt_id");
    CHECK("fdinfo-ino", fino == (unsigned long)st.st_ino, "ino %lu", fino);
    CHECK("fdinfo-lists-fd", access(path, R_OK) == 0, "errno %s", errname(errno));
    close(fd);
    CHECK("fdinfo-gone-after-close", access(path, F_OK) == -1 && errno == ENOENT, "errno %s", errname(errno));
    unlink("/tmp/kevlar-procpid");

    /* task/: one directory per thread. */
    CHECK("task-one-thread", count_entries("/proc/self/task") == 1, "%d entries", count_entries("/proc/self/task"));
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    while (!thread_tid) usleep(1000);
    CHECK("task-two-threads", count_entries("/proc/self/task") == 2, "%d entries", count_entries("/proc/self/task"));
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", thread_tid);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%d (", thread_tid);
    CHECK("task-stat", slurp(path) > 0 && strncmp(text, prefix, strlen(prefix)) == 0, "stat '%.20s'", text);
    snprintf(path, sizeof path, "/proc/self/task/%d/status", thread_tid);
    char pidline[32], tgidline[32];
    snprintf(pidline, sizeof pidline, "\nPid:\t%d\n", thread_tid);
    snprintf(tgidline, sizeof tgidline, "\nTgid:\t%d\n", getpid());
    CHECK("task-status", slurp(path) > 0 && strstr(text, pidline) && strstr(text, tgidline), "status lacks ids");
    thread_done = 1;
    pthread_join(th, NULL);
    CHECK("task-after-join", count_entries("/proc/self/task") == 1, "%d entries", count_entries("/proc/self/task"));
    /* /proc's text files have no write: root opens one for writing, and the write is EIO. */
    int meminfo = open("/proc/meminfo", O_WRONLY);
    CHECK("proc-file-opens-for-writing", meminfo >= 0, "errno %s", errname(errno));
    CHECK_ERR("proc-file-write-eio", write(meminfo, "x", 1), EIO);
    close(meminfo);
    return check_exit();
}
