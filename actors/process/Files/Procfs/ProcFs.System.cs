// ProcFs: the system-wide files of /proc (proc(5)), generated when looked up.
// Times in clock ticks are USER_HZ = 100, as Linux reports them.
using System.Text;
using Kevlar.Net;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Text;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Process.Files.Procfs;

public sealed partial class ProcFs
{
    private const ulong NanosecondsPerTick = 10_000_000;

    // Built on first use: a static initializer would make a class constructor, and on metal a
    // cctor that reaches its own statics spins (see docs/portable-csharp.md).
    private static string[]? s_systemNames;

    private static string[] SystemNames => s_systemNames ??= new string[] { "meminfo", "cpuinfo", "stat", "uptime", "loadavg", "version", "mounts", "filesystems", "cmdline", "sys", "locks", "net", "cgroups", "kevlar" };

    private void SystemEntry(string name)
    {
        switch (name)
        {
            case "meminfo": SetFile("/meminfo", MemInfo()); break;
            case "cpuinfo": SetFile("/cpuinfo", CpuInfo()); break;
            case "stat": SetFile("/stat", Stat()); break;
            case "uptime": SetFile("/uptime", Uptime()); break;
            case "loadavg": SetFile("/loadavg", LoadAvg()); break;
            case "version":
                SetFile("/version", string.Concat("Linux version ", Syscalls.Uname.Release, " (kevlar@actors) (ilc, C#) ", Syscalls.Uname.Version, "\n"));
                break;
            case "mounts": SetLink("/mounts", "self/mounts"); break;
            case "filesystems": SetFile("/filesystems", "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tdevpts\nnodev\tpipefs\nnodev\tcgroup2\n"); break;
            case "cmdline": SetFile("/cmdline", "quiet\n"); break;
            case "locks": SetFile("/locks", LocksText()); break;
            case "net":
                EnsureDirectory("/net", Directory);
                SetFile("/net/unix", _host.Vfs.UnixNames.ProcText());
                NetEntries();
                break;
            case "cgroups": SetFile("/cgroups", CgroupsText()); break;
            case "kevlar": KevlarEntry(); break;
            case "sys":
                EnsureDirectory("/sys", Directory);
                EnsureDirectory("/sys/kernel", Directory);
                SetFile("/sys/kernel/hostname", Syscalls.Uname.NodeName + "\n", 0x1A4);
                SetFile("/sys/kernel/ostype", Syscalls.Uname.SysName + "\n");
                SetFile("/sys/kernel/osrelease", Syscalls.Uname.Release + "\n");
                SetFile("/sys/kernel/version", Syscalls.Uname.Version + "\n");
                SetFile("/sys/kernel/pid_max", "4194304\n", 0x1A4);
                EnsureDirectory("/sys/net", Directory);
                EnsureDirectory("/sys/net/ipv4", Directory);
                SetFile("/sys/net/ipv4/ip_local_port_range", PortTable<Sockets.Inet.InetSocket>.EphemeralLow.ToString() + "\t" + PortTable<Sockets.Inet.InetSocket>.EphemeralHigh.ToString() + "\n");
                break;
        }
    }

    private string MemInfo()
    {
        ulong total = _host.Memory.TotalBytes / 1024, free = _host.Memory.FreeBytes / 1024;
        ulong shmem = 0;
        MountTree mounts = _host.Vfs.Namespace.Mounts;
        for (int i = 0; i < mounts.Count; i++)
        {
            var fs = mounts[i].Filesystem as Tmpfs;
            if (fs != null && fs != _fs && !MountedBefore(mounts, i, fs)) shmem += (ulong)fs.PagesInUse * 4;
        }
        var sb = new StringBuilder();
        Line(sb, "MemTotal", total);
        Line(sb, "MemFree", free);
        Line(sb, "MemAvailable", free);
        Line(sb, "Buffers", 0);
        Line(sb, "Cached", shmem);
        Line(sb, "SwapCached", 0);
        Line(sb, "SwapTotal", 0);
        Line(sb, "SwapFree", 0);
        Line(sb, "Shmem", shmem);
        return sb.ToString();
    }

    // A filesystem mounted twice (devtmpfs, a bind) is counted once.
    private static bool MountedBefore(MountTree mounts, int index, Filesystem fs)
    {
        for (int i = 0; i < index; i++)
            if (ReferenceEquals(mounts[i].Filesystem, fs)) return true;
        return false;
    }

    // "Name:   %8lu kB" as Linux's meminfo prints it.
    private static void Line(StringBuilder sb, string name, ulong kilobytes)
    {
        sb.Append(name).Append(':');
        string n = NumberText.Decimal((long)kilobytes);
        sb.Append(' ', 16 - name.Length - 1 + 8 - n.Length > 0 ? 16 - name.Length - 1 + 8 - n.Length : 1);
        sb.Append(n).Append(" kB\n");
    }

    private string CpuInfo()
    {
        var sb = new StringBuilder();
        int n = _host.Scheduler.CpuCount;
        for (int cpu = 0; cpu < n; cpu++)
        {
            sb.Append("processor\t: ").Append(cpu).Append('\n');
            sb.Append("physical id\t: 0\n");
            sb.Append("siblings\t: ").Append(n).Append('\n');
            sb.Append("core id\t\t: ").Append(cpu).Append('\n');
            sb.Append("cpu cores\t: ").Append(n).Append('\n');
            sb.Append("apicid\t\t: ").Append(cpu).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private string Stat()
    {
        ulong now = _host.Clock.MonotonicNanoseconds;
        ulong user = 0, system = 0;
        int running = 0, blocked = 0, total = 0;
        UserProcess[] live = _host.Table.Snapshot;
        for (int i = 0; i < live.Length; i++)
        {
            UserProcess p = live[i];
            if (p == null) continue;
            total++;
            Times(p, out ulong u, out ulong s, out bool isRunning);
            user += u;
            system += s;
            if (isRunning) running++;
            else if (!p.Exited) blocked++;
        }
        ulong cpus = (ulong)_host.Scheduler.CpuCount;
        ulong all = now / NanosecondsPerTick * cpus, busy = (user + system) / NanosecondsPerTick;
        var sb = new StringBuilder();
        sb.Append("cpu  ").Append(user / NanosecondsPerTick).Append(" 0 ").Append(system / NanosecondsPerTick).Append(' ')
          .Append(all > busy ? all - busy : 0).Append(" 0 0 0 0 0 0\n");
        sb.Append("btime ").Append((_host.Clock.RealtimeAtBoot) / 1_000_000_000).Append('\n');
        sb.Append("processes ").Append(_host.ProcessesCreated).Append('\n');
        sb.Append("procs_running ").Append(running).Append('\n');
        sb.Append("procs_blocked 0\n");
        return sb.ToString();
    }

    // proc(5): the three averages, runnable/all threads, the last pid handed out.
    private string LoadAvg()
    {
        LoadAverage load = _host.Load;
        load.Count(out int running, out int total);
        return string.Concat(string.Concat(LoadAverage.Text(load.One), " ", LoadAverage.Text(load.Five), " ", LoadAverage.Text(load.Fifteen)),
            string.Concat(" ", NumberText.Decimal(running), "/", NumberText.Decimal(total)), string.Concat(" ", NumberText.Decimal(_host.ProcessesCreated), "\n"));
    }

    private string Uptime()
    {
        ulong now = _host.Clock.MonotonicNanoseconds;
        ulong busy = 0;
        UserProcess[] live = _host.Table.Snapshot;
        for (int i = 0; i < live.Length; i++)
        {
            if (live[i] == null) continue;
            Times(live[i], out ulong u, out ulong s, out _);
            busy += u + s;
        }
        ulong all = now * (ulong)_host.Scheduler.CpuCount;
        ulong idle = all > busy ? all - busy : 0;
        return string.Concat(Centiseconds(now), " ", Centiseconds(idle), "\n");
    }

    private static string Centiseconds(ulong ns)
    {
        ulong cs = ns / 10_000_000;
        ulong frac = cs % 100;
        return string.Concat(NumberText.Decimal((long)(cs / 100)), frac < 10 ? ".0" : ".", NumberText.Decimal((long)frac));
    }

    // /proc/locks as Linux's locks_show: each held lock numbered, then the requests it blocks as
    // "-> " lines with its number. Runs on the VfsActor, which owns every lock table.
    private string LocksText()
    {
        var sb = new StringBuilder();
        int id = 0;
        var tables = _host.Vfs.Locks.Tables;
        for (int i = 0; i < tables.Count; i++)
        {
            Kevlar.Locks.FileLocks table = tables[i];
            LockLines(sb, table, table.Posix, ref id);
            LockLines(sb, table, table.Flocks, ref id);
        }
        return sb.ToString();
    }

    // A lock whose owner has no number in this procfs's PID namespace is not shown (locks_show).
    private void LockLines(StringBuilder sb, Kevlar.Locks.FileLocks table, System.Collections.Generic.List<Kevlar.Locks.FileLock> held, ref int id)
    {
        for (int i = 0; i < held.Count; i++)
        {
            if (held[i].Pid > 0 && _pids.NumberOfGlobal(held[i].Pid) == 0) continue;
            id++;
            LockLine(sb, table, held[i], id, false);
            var waiting = table.Waiting;
            for (int j = 0; j < waiting.Count; j++)
            {
                Kevlar.Locks.BlockedLock b = waiting[j];
                if (b.Waiter.IsDone || (b.Request.Kind == Kevlar.Locks.LockKind.Flock) != (held[i].Kind == Kevlar.Locks.LockKind.Flock)) continue;
                if (FirstBlocker(held, b.Request) == held[i]) LockLine(sb, table, b.Request, id, true);
            }
        }
    }

    private static Kevlar.Locks.FileLock? FirstBlocker(System.Collections.Generic.List<Kevlar.Locks.FileLock> held, Kevlar.Locks.FileLock request)
    {
        for (int i = 0; i < held.Count; i++)
            if (held[i].Blocks(request)) return held[i];
        return null;
    }

    private void LockLine(StringBuilder sb, Kevlar.Locks.FileLocks table, Kevlar.Locks.FileLock l, int id, bool blocked)
    {
        sb.Append(id).Append(": ");
        if (blocked) sb.Append("-> ");
        switch (l.Kind)
        {
            case Kevlar.Locks.LockKind.Posix: sb.Append("POSIX  ADVISORY  "); break;
            case Kevlar.Locks.LockKind.Ofd: sb.Append("OFDLCK ADVISORY  "); break;
            default: sb.Append("FLOCK  ADVISORY  "); break;
        }
        sb.Append(l.Type == Kevlar.Locks.FileLock.F_WRLCK ? "WRITE " : l.Type == Kevlar.Locks.FileLock.F_RDLCK ? "READ  " : "UNLCK ");
        sb.Append(l.Pid > 0 ? _pids.NumberOfGlobal(l.Pid) : l.Pid).Append(' ');
        sb.Append(Kevlar.Vfs.DeviceNumber.Major(table.Device).ToString("x2")).Append(':').Append(Kevlar.Vfs.DeviceNumber.Minor(table.Device).ToString("x2"));
        sb.Append(':').Append(table.Inode).Append(' ');
        if (l.Kind == Kevlar.Locks.LockKind.Flock) sb.Append("0 EOF");
        else if (l.End == Kevlar.Locks.FileLock.Eof) sb.Append(l.Start).Append(" EOF");
        else sb.Append(l.Start).Append(' ').Append(l.End);
        sb.Append('\n');
    }

    // /proc/cgroups: the one controller, on the v2 hierarchy (0), with the tree's size.
    private string CgroupsText()
    {
        Cgroups.CgroupFs? fs = _host.Vfs.Types.Cgroups;
        int n = fs == null ? 1 : fs.Tree.Count;
        return string.Concat("#subsys_name\thierarchy\tnum_cgroups\tenabled\npids\t0\t", NumberText.Decimal(n), "\t1\n");
    }
}
