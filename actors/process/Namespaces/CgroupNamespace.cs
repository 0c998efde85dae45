// CgroupNamespace: a cgroup namespace (cgroup_namespaces(7)): the cgroup its
// members see as the root — in /proc/[pid]/cgroup, whose path is shown from
// the reader's namespace root ("/.." first for a cgroup outside it, as
// cgroup_path_ns does), and as the root of a cgroup2 mount made inside it.
// Each thread holds one, as the UTS namespace; fork and clone pass it on,
// CLONE_NEWCGROUP (clone or unshare) makes one rooted at the caller's cgroup
// at that moment, setns(2) enters one. Processes are not confined to it:
// without nsdelegate, Linux lets root move them anywhere it can see.
//
// State: immutable. Root is a node of the VfsActor's cgroup tree, which never
// changes a node's place (PathOf runs there).
using System.Text;
using Kevlar.Cgroups;

namespace Kevlar.Process.Namespaces;

public sealed class CgroupNamespace
{
    /// <summary>PROC_CGROUP_INIT_INO: the initial namespace's inode, as /proc/[pid]/ns/cgroup shows it.</summary>
    public const ulong InitialInode = 0xEFFFFFFB;

    public CgroupNamespace(ulong inode, Cgroup root)
    {
        Inode = inode;
        Root = root;
    }

    /// <summary>The namespace's inode number in nsfs ("cgroup:[Inode]").</summary>
    public ulong Inode { get; }
    /// <summary>The cgroup seen as "/".</summary>
    public Cgroup Root { get; }

    /// <summary>The path of <paramref name="group"/> as seen from this namespace: "/" for the root,
    /// "/a/b" below it, "/../x" for a sibling, "/.." for its parent.</summary>
    public string PathOf(Cgroup group)
    {
        Cgroup down = group, up = Root;
        var names = new System.Collections.Generic.List<string>();
        int ups = 0;
        while (down.Level > up.Level)
        {
            names.Add(down.Name);
            down = down.Parent!;
        }
        while (up.Level > down.Level)
        {
            ups++;
            up = up.Parent!;
        }
        while (!ReferenceEquals(down, up))
        {
            names.Add(down.Name);
            down = down.Parent!;
            ups++;
            up = up.Parent!;
        }
        if (ups == 0 && names.Count == 0) return "/";
        var sb = new StringBuilder();
        for (int i = 0; i < ups; i++) sb.Append("/..");
        for (int i = names.Count - 1; i >= 0; i--) sb.Append('/').Append(names[i]);
        return sb.ToString();
    }
}
