// CgroupTree.Files: what reading and writing a control file does — the text
// of each file and the parsing of writes, with Linux's errno for bad values
// (kstrtoint/kstrtoll after strstrip: base prefixes, one leading sign).
// Writes that change the tree (cgroup.procs, subtree_control, the limits,
// freeze, kill) are one step of the tree's owner, like every other change;
// the freeze protocol itself is CgroupTree.Freeze.cs.
using System.Collections.Generic;
using System.Text;
using Kevlar.Runtime.Text;

namespace Kevlar.Cgroups;

public sealed partial class CgroupTree
{
    /// <summary>The text of <paramref name="file"/> in <paramref name="g"/> now; cgroup.procs and
    /// cgroup.threads give each pid as <paramref name="seenAs"/> numbers it (the reader's PID
    /// namespace: 0 for one outside it), the kernel's numbers when null.</summary>
    public string Read(Cgroup g, ControlKind file, System.Func<int, int>? seenAs = null)
    {
        switch (file)
        {
            case ControlKind.Procs: return PidLines(ProcsOf(g), seenAs);
            case ControlKind.Threads: return PidLines(ThreadsOf(g), seenAs);
            case ControlKind.Controllers: return g.IsRoot || g.Parent!.SubtreePids ? "pids\n" : "\n";
            case ControlKind.SubtreeControl: return g.SubtreePids ? "pids\n" : "\n";
            case ControlKind.Type:
                return g.Threaded ? "threaded\n" : !g.IsValidDomain ? "domain invalid\n" : g.IsThreadRoot ? "domain threaded\n" : "domain\n";
            case ControlKind.Events: return string.Concat(g.Populated ? "populated 1\n" : "populated 0\n", g.Frozen ? "frozen 1\n" : "frozen 0\n");
            case ControlKind.Stat: return string.Concat("nr_descendants ", NumberText.Decimal(g.Descendants), "\nnr_dying_descendants 0\n");
            case ControlKind.MaxDescendants: return LimitLine(g.MaxDescendants == int.MaxValue ? Cgroup.NoLimit : g.MaxDescendants);
            case ControlKind.MaxDepth: return LimitLine(g.MaxDepth == int.MaxValue ? Cgroup.NoLimit : g.MaxDepth);
            case ControlKind.Freeze: return g.FreezeSet ? "1\n" : "0\n";
            case ControlKind.PidsMax: return LimitLine(g.PidsMax);
            case ControlKind.PidsCurrent: return string.Concat(NumberText.Decimal(g.PidsCurrent), "\n");
            case ControlKind.PidsPeak: return string.Concat(NumberText.Decimal(g.PidsPeak), "\n");
            case ControlKind.PidsEvents: return string.Concat("max ", NumberText.Decimal(g.PidsEventsMax), "\n");
        }
        return string.Empty;
    }

    /// <summary>Whether <paramref name="file"/> of <paramref name="g"/> can be read: 0, or
    /// -EOPNOTSUPP for cgroup.procs of a threaded cgroup (its processes are its domain's).</summary>
    public static int MayRead(Cgroup g, ControlKind file) => file == ControlKind.Procs && g.Threaded ? -Errno.EOPNOTSUPP : 0;

    /// <summary>A write of <paramref name="text"/> to <paramref name="file"/> of <paramref name="g"/>
    /// by thread <paramref name="writerTid"/> of <paramref name="writer"/> (<paramref name="find"/>
    /// finds a process's member by pid, <paramref name="findThread"/> a thread's process's by tid):
    /// 0 or -errno. cgroup.procs moves a process, cgroup.threads one thread.</summary>
    public int Write(Cgroup g, ControlKind file, string text, CgroupMember writer, System.Func<int, CgroupMember?> find,
        int writerTid = 0, System.Func<int, CgroupMember?>? findThread = null)
    {
        if (g.Removed) return -Errno.ENODEV;
        string s = text.Trim();
        long value;
        int e;
        switch (file)
        {
            case ControlKind.Procs:
                // cgroup_procs_write_start: any parse failure or a negative pid is -EINVAL.
                if (ParseInt(s, false, out value) != 0 || value < 0) return -Errno.EINVAL;
                CgroupMember? m = value == 0 ? writer : find((int)value);
                if (m == null) return -Errno.ESRCH;
                return Migrate(m, g);
            case ControlKind.Threads:
                if (ParseInt(s, false, out value) != 0 || value < 0) return -Errno.EINVAL;
                int tid = value == 0 ? writerTid : (int)value;
                CgroupMember? owner = value == 0 ? writer : findThread?.Invoke(tid);
                if (owner == null) return -Errno.ESRCH;
                return MoveThread(owner, tid, g);
            case ControlKind.SubtreeControl: return SubtreeControl(g, s);
            case ControlKind.Type: return s == "threaded" ? MakeThreaded(g) : -Errno.EINVAL;
            case ControlKind.MaxDescendants:
            case ControlKind.MaxDepth:
                if (s == "max") value = int.MaxValue;
                else if ((e = ParseInt(s, false, out value)) != 0) return e;
                else if (value < 0) return -Errno.ERANGE;
                if (file == ControlKind.MaxDepth) g.MaxDepth = (int)value;
                else g.MaxDescendants = (int)value;
                return 0;
            case ControlKind.PidsMax:
                if (s == "max") value = Cgroup.NoLimit;
                else if ((e = ParseInt(s, true, out value)) != 0) return e;
                else if (value < 0 || value >= PidsMaxLimit + 1) return -Errno.EINVAL;
                g.PidsMax = value;
                return 0;
            case ControlKind.Freeze:
                if ((e = ParseInt(s, false, out value)) != 0) return e;
                if (value < 0 || value > 1) return -Errno.ERANGE;
                Freeze(g, value == 1);
                return 0;
            case ControlKind.Kill:
                if ((e = ParseInt(s, false, out value)) != 0) return e;
                if (value != 1) return -Errno.ERANGE;
                Kill(g);
                return 0;
        }
        return -Errno.EINVAL;
    }

    // "+pids -pids" (space separated): -EINVAL for a word without its sign or an unknown
    // controller, -ENOENT to enable one the cgroup itself lacks, -EOPNOTSUPP to enable it below
    // a thread root, -EBUSY to enable it in a non-root cgroup holding processes (it is not yet
    // a thread root) or to disable it while a child enables it below.
    private int SubtreeControl(Cgroup g, string s)
    {
        bool enable = g.SubtreePids;
        string[] words = s.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < words.Length; i++)
        {
            string w = words[i];
            if (w.Length < 2 || (w[0] != '+' && w[0] != '-')) return -Errno.EINVAL;
            if (w.Substring(1) != "pids") return -Errno.EINVAL;
            enable = w[0] == '+';
        }
        if (enable == g.SubtreePids) return 0;
        if (enable)
        {
            // cgroup_vet_subtree_control_enable, for pids, a threaded controller.
            if (!g.IsRoot && !g.Parent!.SubtreePids) return -Errno.ENOENT;
            if (!g.Domain.IsValidDomain) return -Errno.EOPNOTSUPP;
            if (!g.IsRoot && !g.CanBeThreadRoot && !g.Threaded && (g.Members.Count > 0 || g.Placed.Count > 0)) return -Errno.EBUSY;
        }
        else
        {
            for (int i = 0; i < g.Children.Count; i++) if (g.Children[i].SubtreePids) return -Errno.EBUSY;
            for (int i = 0; i < g.Children.Count; i++)
            {
                g.Children[i].PidsMax = Cgroup.NoLimit; // the controller's state goes with it
                g.Children[i].PidsEventsMax = 0;
            }
        }
        g.SubtreePids = enable;
        return 0;
    }

    // cgroup.type "threaded" (cgroup_enable_threaded): 0 when it is already; -EOPNOTSUPP when it
    // is populated, or its parent's domain is not a valid one that may become a thread root.
    private static int MakeThreaded(Cgroup g)
    {
        if (g.Threaded) return 0;
        if (g.IsRoot || g.Populated) return -Errno.EOPNOTSUPP;
        Cgroup domain = g.Parent!.Domain;
        if (!domain.IsValidDomain || !domain.CanBeThreadRoot) return -Errno.EOPNOTSUPP;
        g.Threaded = true;
        return 0;
    }

    /// <summary>cgroup.kill: SIGKILL to every process in the subtree (and each with a thread placed there).</summary>
    public void Kill(Cgroup g)
    {
        for (int i = 0; i < g.Members.Count; i++) Host.Kill(g.Members[i]);
        for (int i = 0; i < g.Placed.Count; i++) Host.Kill(g.Placed[i].Process);
        for (int i = 0; i < g.Children.Count; i++) Kill(g.Children[i]);
    }

    // cgroup.procs: the processes of g's resource domain — g's own and those of its threaded
    // descendants (a thread root lists its whole threaded subtree; Linux's CSS_TASK_ITER_THREADED).
    private int[] ProcsOf(Cgroup g)
    {
        var pids = new List<int>();
        if (g.IsRoot)
        {
            int[] root = Host.RootPids();
            for (int i = 0; i < root.Length; i++) pids.Add(root[i]);
        }
        AddDomainMembers(g, pids);
        return pids.ToArray();
    }

    private static void AddDomainMembers(Cgroup g, List<int> pids)
    {
        for (int i = 0; i < g.Members.Count; i++) pids.Add(g.Members[i].Pid);
        for (int i = 0; i < g.Children.Count; i++) if (g.Children[i].Threaded) AddDomainMembers(g.Children[i], pids);
    }

    // cgroup.threads: the threads in g itself — its processes' threads not placed apart, and
    // the threads placed here.
    private int[] ThreadsOf(Cgroup g)
    {
        var all = new List<int>();
        if (g.IsRoot)
        {
            int[] root = Host.RootPids();
            for (int i = 0; i < root.Length; i++) AddHomeThreads(Host.ThreadIds(root[i]), Host.MemberOf(root[i]), all);
        }
        for (int i = 0; i < g.Members.Count; i++) AddHomeThreads(Host.ThreadIds(g.Members[i].Pid), g.Members[i], all);
        for (int i = 0; i < g.Placed.Count; i++) if (g.Placed[i].Live) all.Add(g.Placed[i].Tid);
        return all.ToArray();
    }

    private static void AddHomeThreads(int[] tids, CgroupMember? m, List<int> into)
    {
        for (int j = 0; j < tids.Length; j++)
            if (m == null || m.PlacementOf(tids[j]) == null) into.Add(tids[j]);
    }

    // One pid a line, ascending.
    private static string PidLines(int[] pids, System.Func<int, int>? seenAs)
    {
        if (seenAs != null) for (int i = 0; i < pids.Length; i++) pids[i] = seenAs(pids[i]);
        for (int i = 1; i < pids.Length; i++)
            for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--)
            {
                int swap = pids[j];
                pids[j] = pids[j - 1];
                pids[j - 1] = swap;
            }
        var b = new StringBuilder();
        for (int i = 0; i < pids.Length; i++)
        {
            b.Append(pids[i]);
            b.Append('\n');
        }
        return b.ToString();
    }

    private static string LimitLine(long v) => v == Cgroup.NoLimit ? "max\n" : string.Concat(NumberText.Decimal(v), "\n");

    /// <summary>kstrtoint(s, 0) (or kstrtoll with <paramref name="wide"/>): an optional '+' or
    /// '-', then decimal, 0x hex or 0 octal digits, nothing else. 0; -EINVAL for anything else;
    /// -ERANGE when the value does not fit the type.</summary>
    public static int ParseInt(string s, bool wide, out long value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        int radix = 10;
        if (i + 2 < s.Length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) { radix = 16; i += 2; }
        else if (i + 1 < s.Length && s[i] == '0') { radix = 8; i++; }
        if (i >= s.Length) return -Errno.EINVAL;
        ulong v = 0;
        bool overflow = false;
        for (; i < s.Length; i++)
        {
            int d = DigitOf(s[i]);
            if (d < 0 || d >= radix) return -Errno.EINVAL;
            if (v > (ulong.MaxValue - (ulong)d) / (ulong)radix) overflow = true;
            else v = v * (ulong)radix + (ulong)d;
        }
        ulong limit = wide ? (negative ? 0x8000000000000000UL : (ulong)long.MaxValue) : (negative ? 0x80000000UL : (ulong)int.MaxValue);
        if (overflow || v > limit) return -Errno.ERANGE;
        value = negative ? (long)(0 - v) : (long)v;
        return 0;
    }

    private static int DigitOf(char c)
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /// <summary>The invariants of Cgroup.cs over the whole tree: null when they hold, else the
    /// broken invariant's text.</summary>
    public string? Check() => Check(Root);

    private static string? Check(Cgroup g)
    {
        long tasks = g.ExitedTasks;
        int population = 0;
        for (int i = 0; i < g.Members.Count; i++)
        {
            CgroupMember m = g.Members[i];
            if (m.Left) return "MemberSetLive: an exiting process's pid left in its cgroup's member set";
            if (m.Group != g) return "MemberSetLive: a member listed in a cgroup it is not in";
            tasks += m.HomeTasks;
            if (m.HomeCounted) population++;
        }
        for (int i = 0; i < g.Placed.Count; i++)
        {
            tasks++;
            if (g.Placed[i].Live) population++;
        }
        string? frozen = CheckFreeze(g);
        if (frozen != null) return frozen;
        for (int i = 0; i < g.Children.Count; i++)
        {
            string? e = Check(g.Children[i]);
            if (e != null) return e;
            tasks += g.Children[i].PidsCurrent;
            population += g.Children[i].Population;
        }
        if (!g.IsRoot && (tasks != g.PidsCurrent || population != g.Population))
            return "PidsCounted: pids.current differs from the tasks of the subtree's members";
        return null;
    }
}
