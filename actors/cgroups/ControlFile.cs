// ControlFile: the files of a cgroup directory, as Linux's cgroup2 makes them
// (kernel/cgroup/cgroup.c cgroup_base_files, kernel/cgroup/pids.c): name,
// mode, and whether the root cgroup has it or the pids controller brings it.
namespace Kevlar.Cgroups;

public enum ControlKind
{
    Procs, Threads, Controllers, SubtreeControl, Type, Events, Stat, MaxDescendants, MaxDepth, Freeze, Kill,
    PidsMax, PidsCurrent, PidsPeak, PidsEvents,
}

public sealed class ControlFile
{
    public readonly string Name;
    public readonly ControlKind Kind;
    /// <summary>Permission bits (0644, 0444, 0200).</summary>
    public readonly uint Mode;
    /// <summary>The root cgroup has it too (Linux's CFTYPE_NOT_ON_ROOT unset).</summary>
    public readonly bool OnRoot;
    /// <summary>Present only where the pids controller is enabled (the parent's subtree_control).</summary>
    public readonly bool Pids;

    private ControlFile(string name, ControlKind kind, uint mode, bool onRoot, bool pids)
    {
        Name = name;
        Kind = kind;
        Mode = mode;
        OnRoot = onRoot;
        Pids = pids;
    }

    public bool Readable => (Mode & 0x124) != 0;
    public bool Writable => (Mode & 0x92) != 0;

    /// <summary>Every control file, in the order a listing shows them.</summary>
    public static readonly ControlFile[] All =
    {
        new ControlFile("cgroup.controllers", ControlKind.Controllers, 0x124, true, false),
        new ControlFile("cgroup.events", ControlKind.Events, 0x124, false, false),
        new ControlFile("cgroup.freeze", ControlKind.Freeze, 0x1A4, false, false),
        new ControlFile("cgroup.kill", ControlKind.Kill, 0x80, false, false),
        new ControlFile("cgroup.max.depth", ControlKind.MaxDepth, 0x1A4, true, false),
        new ControlFile("cgroup.max.descendants", ControlKind.MaxDescendants, 0x1A4, true, false),
        new ControlFile("cgroup.procs", ControlKind.Procs, 0x1A4, true, false),
        new ControlFile("cgroup.stat", ControlKind.Stat, 0x124, true, false),
        new ControlFile("cgroup.subtree_control", ControlKind.SubtreeControl, 0x1A4, true, false),
        new ControlFile("cgroup.threads", ControlKind.Threads, 0x1A4, true, false),
        new ControlFile("cgroup.type", ControlKind.Type, 0x1A4, false, false),
        new ControlFile("pids.current", ControlKind.PidsCurrent, 0x124, false, true),
        new ControlFile("pids.events", ControlKind.PidsEvents, 0x124, false, true),
        new ControlFile("pids.max", ControlKind.PidsMax, 0x1A4, false, true),
        new ControlFile("pids.peak", ControlKind.PidsPeak, 0x124, false, true),
    };

    /// <summary>The control file named <paramref name="name"/>, or null.</summary>
    public static ControlFile? Named(string name)
    {
        for (int i = 0; i < All.Length; i++) if (All[i].Name == name) return All[i];
        return null;
    }

    /// <summary>Whether <paramref name="g"/> has this file now.</summary>
    public bool ExistsIn(Cgroup g) => (OnRoot || !g.IsRoot) && (!Pids || g.HasPids);
}
