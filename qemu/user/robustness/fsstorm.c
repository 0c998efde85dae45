/* fsstorm: creates, writes and deletes many files in /tmp and opens and
 * closes many pipes (each carrying a few bytes), checking every result. With
 * --figures FILES PIPES it also prints the machine's free memory (sysinfo)
 * after a warm-up and after the storm — figures a kernel test compares for
 * leaks (tmpfs inodes and pages, the VfsActor's maps, pipe buffers); they
 * differ between machines, so only the default run is compared with Linux. */
#include "../check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

static int files(int n)
{
    char name[64];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/tmp/fsstorm-%d", i % 64);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) return 0;
        int ok = write(fd, name, 16) == 16;
        close(fd);
        if (!ok || unlink(name) != 0) return 0;
    }
    return 1;
}

static int pipes(int n)
{
    for (int i = 0; i < n; i++) {
        int p[2];
        char b[8];
        if (pipe(p) != 0) return 0;
        int ok = write(p[1], "storm", 5) == 5 && read(p[0], b, sizeof b) == 5;
        close(p[0]);
        close(p[1]);
        if (!ok) return 0;
    }
    return 1;
}

static unsigned long free_kib(void)
{
    struct sysinfo si;
    if (sysinfo(&si) != 0) return 0;
    return (unsigned long)(si.freeram / 1024 * si.mem_unit);
}

int main(int argc, char **argv)
{
    int figures = argc > 1 && strcmp(argv[1], "--figures") == 0;
    int nfiles = argc > 2 ? atoi(argv[2]) : 2000, npipes = argc > 3 ? atoi(argv[3]) : 500;
    CHECK("warm-up", files(200) && pipes(50), "a warm-up cycle failed");
    unsigned long before = free_kib();
    CHECK("file-create-delete-storm", files(nfiles), "a create/write/unlink cycle failed: errno %s", errname(errno));
    CHECK("pipe-open-close-storm", pipes(npipes), "a pipe cycle failed: errno %s", errname(errno));
    unsigned long after = free_kib();
    if (figures) {
        check_out("figure files %d pipes %d", nfiles, npipes);
        check_out("figure free-kib-before %lu", before);
        check_out("figure free-kib-after %lu", after);
    }
    return check_exit();
}
