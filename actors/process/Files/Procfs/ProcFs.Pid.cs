// ProcFs: the per-process files of /proc/<pid> (proc(5)): stat, status,
// cmdline, environ, comm, limits, mounts, the links exe, cwd, root and
// fd/<n>, and fdinfo/<n>, generated from the process when looked up; maps,
// whose text its own thread makes when the file is opened (ProcText); and
// task/ (ProcFs.Task.cs).
using System.Text;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Text;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Process.Files.Procfs;

public sealed partial class ProcFs
{
    // Built on first use: a static initializer would make a class constructor, and on metal a
    // cctor that reaches its own statics spins (see docs/portable-csharp.md).
    private static string[]? s_pidNames;
    private static System.Func<UserProcess, string>? s_maps;

    private static string[] PidNames => s_pidNames ??= new string[] { "stat", "status", "cmdline", "environ", "comm", "limits", "mounts", "mountinfo", "exe", "cwd", "root", "fd", "fdinfo", "maps", "task", "cgroup", "ns" };

    // readerPid: whose lookup or listing this answers (0: the kernel's), for what depends on who reads.
    private void PidEntry(UserProcess p, string at, string name, int readerPid)
    {
        switch (name)
        {
            case "stat": SetFile(at + "/stat", StatLine(p, null), ReadOnly, p.Euid, p.Egid); break;
            case "status": SetFile(at + "/status", Status(p, null), ReadOnly, p.Euid, p.Egid); break;
            case "cmdline": SetFile(at + "/cmdline", p.CommandLine, ReadOnly, p.Euid, p.Egid); break;
            case "environ": SetFile(at + "/environ", p.Environment, 0x100, p.Euid, p.Egid); break;
            case "comm": SetFile(at + "/comm", Comm(p) + "\n", 0x1A4, p.Euid, p.Egid); break;
            case "limits": SetFile(at + "/limits", Limits(p), ReadOnly, p.Euid, p.Egid); break;
            case "mounts": SetFile(at + "/mounts", Mounts(p), ReadOnly, p.Euid, p.Egid); break;
            case "mountinfo": SetFile(at + "/mountinfo", MountInfo(p), ReadOnly, p.Euid, p.Egid); break;
            case "exe": SetLink(at + "/exe", p.ExecutablePath); break;
            case "cwd": SetLink(at + "/cwd", PathOf(p, p.Cwd)); break;
            case "root": SetLink(at + "/root", PathOf(p, p.Root)); break;
            case "fd": EnsureDirectory(at + "/fd", 0x140, p.Euid, p.Egid); break; // dr-x------
            case "fdinfo": EnsureDirectory(at + "/fdinfo", 0x16D, p.Euid, p.Egid); break; // dr-xr-xr-x
            case "maps": SetGenerated(at + "/maps", p, s_maps ??= MapsText.Of, ReadOnly, p.Euid, p.Egid); break;
            case "task": EnsureDirectory(at + "/task", Directory, p.Euid, p.Egid); break;
            case "cgroup": SetReaderFile(at + "/cgroup", CgroupLine(p, readerPid), p.Euid, p.Egid); break;
            case "ns": EnsureDirectory(at + "/ns", 0x149, p.Euid, p.Egid); break; // dr-x--x--x
        }
    }

    // /proc/<pid>/ns: a magic link per namespace kind, to the process's ("mnt:[N]" to readlink,
    // N its nsfs inode; the main thread's cgroup and UTS namespaces; the one ipc, net, pid, time
    // and user namespace there is): opening one opens the namespace's nsfs file, which setns(2)
    // takes. In Linux's order (cgroup ... uts).
    private void NsEntries(UserProcess p, string at)
    {
        Namespaces.CgroupNamespace cgroups = p.MainThread.Cgroups;
        SetNamespaceLink(at + "/cgroup", "cgroup", cgroups.Inode, cgroups);
        SetInitialNamespaceLink(at + "/ipc", Namespaces.InitialNamespace.Ipc);
        SetNamespaceLink(at + "/mnt", "mnt", p.Mounts.NamespaceInode, p.Mounts);
        SetInitialNamespaceLink(at + "/net", Namespaces.InitialNamespace.Net);
        SetNamespaceLink(at + "/pid", "pid", p.PidNs.Inode, p.PidNs);
        // A namespace made by unshare whose init is not made yet has no link (pidns_for_children_get).
        Namespaces.PidNamespace forChildren = p.MainThread.PidsForChildren;
        if (forChildren == p.PidNs || forChildren.Init != null) SetNamespaceLink(at + "/pid_for_children", "pid", forChildren.Inode, forChildren);
        else RemoveTree(at + "/pid_for_children");
        SetInitialNamespaceLink(at + "/time", Namespaces.InitialNamespace.Time);
        SetInitialNamespaceLink(at + "/time_for_children", Namespaces.InitialNamespace.Time);
        SetInitialNamespaceLink(at + "/user", Namespaces.InitialNamespace.User);
        Namespaces.UtsNamespace uts = p.MainThread.Uts;
        SetNamespaceLink(at + "/uts", "uts", uts.Inode, uts);
    }

    private void SetInitialNamespaceLink(string path, Namespaces.InitialNamespace ns) => SetNamespaceLink(path, ns.Kind, ns.Inode, ns);

    // /proc/<pid>/fd/<n> (links) or, with info, fdinfo/<n> (proc(5): pos, flags in octal with
    // O_CLOEXEC from the fd, mnt_id, ino), one per open fd; entries of closed fds go.
    private void FdEntries(UserProcess p, string at, bool info = false)
    {
        FileDescriptorTable table = p.Files;
        int count = table.Count;
        var keep = new bool[count];
        for (int fd = 0; fd < count; fd++)
        {
            OpenFile? f = table.Get(fd);
            if (f == null) continue;
            keep[fd] = true;
            string path = at + "/" + NumberText.Decimal(fd);
            if (info) SetFile(path, Fdinfo(f, table.GetCloseOnExec(fd)), 0x124, p.Euid, p.Egid);
            else SetLink(path, Describe(f));
        }
        RemoveEntriesWhere(at, name => !IsNumber(name, out int fd) || fd >= keep.Length || !keep[fd]);
    }

    // Removes the entries of directory at whose names stale picks.
    private void RemoveEntriesWhere(string at, System.Func<string, bool> stale)
    {
        if (_ns.Lookup(_ctx, at, false, out Location dir) != 0) return;
        var names = new System.Collections.Generic.List<string>();
        long cookie = Kevlar.Vfs.Inodes.DirectoryInode.FirstCookie;
        var d = (Kevlar.Vfs.Inodes.DirectoryInode)dir.Inode;
        while (d.ReadAt(cookie, out Kevlar.Vfs.Inodes.DirectoryEntry? e) && e != null)
        {
            cookie = e.Cookie + 1;
            if (stale(e.Name)) names.Add(e.Name);
        }
        for (int i = 0; i < names.Count; i++) RemoveTree(at + "/" + names[i]);
    }

    private static string Fdinfo(OpenFile f, bool closeOnExec)
    {
        var status = new FileStatus();
        f.Stat(ref status);
        var v = f as VfsFile;
        int flags = f.StatusFlags | (closeOnExec ? OpenFlags.O_CLOEXEC : 0);
        var sb = new StringBuilder();
        sb.Append("pos:\t").Append(v != null ? v.OffsetOnVfsActor : 0).Append('\n');
        sb.Append("flags:\t0").Append(NumberText.Digits((uint)flags, 8, 1)).Append('\n');
        sb.Append("mnt_id:\t").Append(f.NodeVfs != null ? f.NodeLocation.Mount.Id : 0).Append('\n');
        sb.Append("ino:\t").Append(f.NodeVfs != null ? f.NodeLocation.Inode.Number : status.Inode).Append('\n');
        return sb.ToString();
    }

    /// <summary>What readlink of /proc/<pid>/fd/<n> shows (proc(5)).</summary>
    private string Describe(OpenFile f)
    {
        var v = f as VfsFile;
        // d_path marks a file whose last name is gone (or an O_TMPFILE never named).
        if (v != null) return v.Location.Inode.LinkCount == 0 && !v.Location.Inode.IsDirectory ? string.Concat(v.DisplayPath, " (deleted)") : v.DisplayPath;
        var pipe = f as PipeEnd;
        if (pipe != null) return string.Concat("pipe:[", NumberText.Decimal((long)pipe.Pipe.Inode), "]");
        var status = new FileStatus();
        f.Stat(ref status);
        if ((status.Mode & FileStatus.S_IFMT) == FileStatus.S_IFCHR)
        {
            if (status.RawDevice == ((5UL << 8) | 1)) return "/dev/console";
            if ((status.RawDevice >> 8) == 1)
            {
                switch ((int)(status.RawDevice & 0xFF))
                {
                    case DeviceFile.Null: return "/dev/null";
                    case DeviceFile.Zero: return "/dev/zero";
                    case DeviceFile.Full: return "/dev/full";
                    case DeviceFile.Random: return "/dev/random";
                    case DeviceFile.Urandom: return "/dev/urandom";
                }
            }
        }
        return string.Concat("anon_inode:[", NumberText.Decimal((long)status.Inode), "]");
    }

    private string PathOf(UserProcess p, Location at)
    {
        MountTree mounts = p.Mounts;
        mounts.PathOf(at, mounts.Root, out string path);
        return path;
    }

    private static string Comm(UserProcess p) => NameOf(p.MainThread);

    private static string NameOf(UserThread t) => t.NameText;

    private static char State(UserProcess p, UserThread? thread)
    {
        if (p.Exited) return 'Z';
        if (p.Stopped) return 'T';
        if (thread != null) return !thread.HasExited && !thread.IsBlocked ? 'R' : 'S';
        Times(p, out _, out _, out bool running);
        return running ? 'R' : 'S';
    }

    /// <summary>User and system time of the process's threads (ns), and whether one is runnable.</summary>
    private static void Times(UserProcess p, out ulong user, out ulong system, out bool running)
    {
        user = p.UserNanoseconds;
        system = p.SystemNanoseconds;
        running = false;
        UserThread[] threads = p.ThreadSnapshot;
        for (int i = 0; i < threads.Length; i++)
        {
            UserThread t = threads[i];
            if (t == null) continue;
            user += t.UserNanoseconds;
            system += t.SystemNanoseconds;
            if (!t.HasExited && !t.IsBlocked) running = true;
        }
    }

    // proc(5) /proc/[pid]/stat: 52 fields, the comm in parentheses; a thread's (task/<tid>/stat)
    // has its tid, name, state and times.
    private string StatLine(UserProcess p, UserThread? thread)
    {
        ulong user, system;
        if (thread == null) Times(p, out user, out system, out _);
        else
        {
            user = thread.UserNanoseconds;
            system = thread.SystemNanoseconds;
        }
        var sb = new StringBuilder();
        sb.Append(thread != null ? _pids.NumberOf(thread) : _pids.NumberOf(p)).Append(" (").Append(thread != null ? NameOf(thread) : Comm(p)).Append(") ")
          .Append(State(p, thread)).Append(' ')
          .Append(ParentNumber(p)).Append(' ').Append(_pids.NumberOfGlobal(p.ProcessGroup)).Append(' ').Append(_pids.NumberOfGlobal(p.Session)).Append(' ')
          .Append("0 -1 4194304 0 0 0 0 ")                                           // tty_nr tpgid flags minflt cminflt majflt cmajflt
          .Append(user / NanosecondsPerTick).Append(' ').Append(system / NanosecondsPerTick).Append(' ')
          .Append(p.ChildrenUserNanoseconds / NanosecondsPerTick).Append(' ').Append(p.ChildrenSystemNanoseconds / NanosecondsPerTick).Append(' ')
          .Append("20 0 ").Append(p.ThreadSnapshot.Length).Append(" 0 ")             // priority nice num_threads itrealvalue
          .Append(p.StartNanoseconds / NanosecondsPerTick).Append(' ')
          .Append(p.Memory.MappedBytes).Append(" 0 ").Append(p.Limits.Soft(ResourceLimits.RLIMIT_RSS)).Append(' ') // vsize rss rsslim
          .Append("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");   // startcode .. exit_code (26-52)
        return sb.ToString();
    }

    private string Status(UserProcess p, UserThread? thread)
    {
        var sb = new StringBuilder();
        char state = State(p, thread);
        sb.Append("Name:\t").Append(thread != null ? NameOf(thread) : Comm(p)).Append('\n');
        sb.Append("Umask:\t0").Append(NumberText.Digits(p.Umask, 8, 3)).Append('\n');
        sb.Append("State:\t").Append(state).Append(StateName(state)).Append('\n');
        sb.Append("Tgid:\t").Append(_pids.NumberOf(p)).Append("\nNgid:\t0\nPid:\t").Append(thread != null ? _pids.NumberOf(thread) : _pids.NumberOf(p)).Append('\n');
        sb.Append("PPid:\t").Append(ParentNumber(p)).Append("\nTracerPid:\t0\n");
        sb.Append("Uid:\t").Append(p.Uid).Append('\t').Append(p.Euid).Append('\t').Append(p.Suid).Append('\t').Append(p.Euid).Append('\n');
        sb.Append("Gid:\t").Append(p.Gid).Append('\t').Append(p.Egid).Append('\t').Append(p.Sgid).Append('\t').Append(p.Egid).Append('\n');
        sb.Append("FDSize:\t").Append(p.Files.Count < 64 ? 64 : p.Files.Count).Append('\n');
        sb.Append("Groups:\t");
        uint[] groups = p.Groups;
        for (int i = 0; i < groups.Length; i++) sb.Append(groups[i]).Append(' ');
        sb.Append('\n');
        NamespaceNumbers(sb, "NStgid:", p.PidNs, ns => ns.NumberOf(p));
        NamespaceNumbers(sb, "NSpid:", p.PidNs, ns => thread != null ? ns.NumberOf(thread) : ns.NumberOf(p));
        NamespaceNumbers(sb, "NSpgid:", p.PidNs, ns => ns.NumberOfGlobal(p.ProcessGroup));
        NamespaceNumbers(sb, "NSsid:", p.PidNs, ns => ns.NumberOfGlobal(p.Session));
        string vm = NumberText.Decimal((long)(p.Memory.MappedBytes / 1024));
        sb.Append("VmSize:\t").Append(' ', vm.Length < 8 ? 8 - vm.Length : 0).Append(vm).Append(" kB\n");
        sb.Append("Threads:\t").Append(p.ThreadSnapshot.Length).Append('\n');
        UserThread main = thread ?? p.MainThread;
        sb.Append("SigPnd:\t").Append(NumberText.Digits(main.PendingSignals, 16, 16)).Append('\n');
        sb.Append("SigBlk:\t").Append(NumberText.Digits(main.SignalMask, 16, 16)).Append('\n');
        return sb.ToString();
    }

    // The parent's number here (0 for none, or one outside this namespace).
    private int ParentNumber(UserProcess p)
    {
        UserProcess? parent = p.Parent;
        return parent == null ? 0 : _pids.NumberOf(parent);
    }

    // status's NS* lines: the number in this procfs's namespace and in each one below it down to
    // the process's own, tab-separated.
    private void NamespaceNumbers(StringBuilder sb, string label, Namespaces.PidNamespace own, System.Func<Namespaces.PidNamespace, int> number)
    {
        sb.Append(label);
        var line = new Namespaces.PidNamespace[own.Level - _pids.Level + 1];
        Namespaces.PidNamespace n = own;
        for (int i = line.Length - 1; i >= 0; i--, n = n.Parent!) line[i] = n;
        for (int i = 0; i < line.Length; i++) sb.Append('\t').Append(number(line[i]));
        sb.Append('\n');
    }

    private static string StateName(char state) => state switch
    {
        'R' => " (running)",
        'S' => " (sleeping)",
        'T' => " (stopped)",
        _ => " (zombie)",
    };

    // proc(5) /proc/[pid]/limits: name, soft, hard, units.
    private static string Limits(UserProcess p)
    {
        var sb = new StringBuilder();
        sb.Append("Limit                     Soft Limit           Hard Limit           Units     \n");
        Limit(sb, p, "Max cpu time", ResourceLimits.RLIMIT_CPU, "seconds");
        Limit(sb, p, "Max file size", ResourceLimits.RLIMIT_FSIZE, "bytes");
        Limit(sb, p, "Max data size", ResourceLimits.RLIMIT_DATA, "bytes");
        Limit(sb, p, "Max stack size", ResourceLimits.RLIMIT_STACK, "bytes");
        Limit(sb, p, "Max core file size", ResourceLimits.RLIMIT_CORE, "bytes");
        Limit(sb, p, "Max resident set", ResourceLimits.RLIMIT_RSS, "bytes");
        Limit(sb, p, "Max processes", ResourceLimits.RLIMIT_NPROC, "processes");
        Limit(sb, p, "Max open files", ResourceLimits.RLIMIT_NOFILE, "files");
        Limit(sb, p, "Max locked memory", ResourceLimits.RLIMIT_MEMLOCK, "bytes");
        Limit(sb, p, "Max address space", ResourceLimits.RLIMIT_AS, "bytes");
        return sb.ToString();
    }

    private static void Limit(StringBuilder sb, UserProcess p, string name, int resource, string units)
    {
        sb.Append(Pad(name, 26)).Append(Pad(LimitText(p.Limits.Soft(resource)), 21)).Append(Pad(LimitText(p.Limits.Hard(resource)), 21))
          .Append(Pad(units, 10)).Append('\n');
    }

    private static string LimitText(ulong v) => v == ulong.MaxValue ? "unlimited" : NumberText.Decimal((long)v);

    private static string Pad(string s, int width) => s.Length >= width ? s : string.Concat(s, new string(' ', width - s.Length));

    private string Mounts(UserProcess p)
    {
        var sb = new StringBuilder();
        p.Mounts.WriteProcMounts(p.Root, sb);
        return sb.ToString();
    }

    private static string MountInfo(UserProcess p)
    {
        var sb = new StringBuilder();
        p.Mounts.WriteMountInfo(p.Root, sb);
        return sb.ToString();
    }

    // /proc/<pid>/cgroup: "0::/path" (cgroup v2 only), the path seen from the reader's cgroup
    // namespace (the kernel's, the initial one, for a read of its own). The tree is the VfsActor's,
    // like this file.
    // (A thread's, task/<tid>/cgroup, gives that thread's cgroup: thread mode may place it apart.)
    private string CgroupLine(UserProcess p, int readerPid, UserThread? thread = null)
    {
        UserProcess? reader = readerPid > 0 ? _host.Table.Find(readerPid) : null;
        Namespaces.CgroupNamespace ns = reader != null ? reader.MainThread.Cgroups : _host.InitialCgroups;
        return string.Concat("0::", ns.PathOf(thread != null ? _host.CgroupOf(thread) : _host.CgroupOf(p)), "\n");
    }
}
