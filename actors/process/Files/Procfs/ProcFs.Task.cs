// ProcFs: /proc/<pid>/task/ (proc(5)): a directory per live thread, named by
// its tid, holding the thread's stat, status, comm, cmdline and cgroup — what
// `ps -T` and `top -H` read. A thread's files are the process's with the
// thread's tid, name and state. The thread list is the process's published
// snapshot (replaced whole on every change).
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Files.Procfs;

public sealed partial class ProcFs
{
    private void TaskEntries(UserProcess p, string at)
    {
        UserThread[] threads = p.ThreadSnapshot;
        for (int i = 0; i < threads.Length; i++)
            if (threads[i] != null && !threads[i].HasExited) EnsureDirectory(at + "/" + NumberText.Decimal(_pids.NumberOf(threads[i])), Directory, p.Euid, p.Egid);
        RemoveEntriesWhere(at, name => !IsPid(name, out int tid) || ThreadOf(p, tid) == null);
    }

    private void ThreadFiles(UserProcess p, int tid, string at, int readerPid)
    {
        UserThread? t = ThreadOf(p, tid);
        if (t == null)
        {
            RemoveTree(at);
            return;
        }
        SetFile(at + "/stat", StatLine(p, t), ReadOnly, p.Euid, p.Egid);
        SetFile(at + "/status", Status(p, t), ReadOnly, p.Euid, p.Egid);
        SetFile(at + "/comm", NameOf(t) + "\n", 0x1A4, p.Euid, p.Egid);
        SetFile(at + "/cmdline", p.CommandLine, ReadOnly, p.Euid, p.Egid);
        SetReaderFile(at + "/cgroup", CgroupLine(p, readerPid, t), p.Euid, p.Egid);
    }

    // The live thread of p this procfs numbers tid.
    private UserThread? ThreadOf(UserProcess p, int tid)
    {
        UserThread[] threads = p.ThreadSnapshot;
        for (int i = 0; i < threads.Length; i++)
            if (threads[i] != null && !threads[i].HasExited && _pids.NumberOf(threads[i]) == tid) return threads[i];
        return null;
    }
}
