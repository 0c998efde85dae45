// ProcFs: /proc as Linux lays it out, kept in an in-memory filesystem that
// names itself "proc" (PROC_SUPER_MAGIC) and is brought up to date by the
// path walk's lookup hook: a name looked up (or a directory listed) in /proc
// is generated from live state just then — /proc/self for the caller, a
// /proc/<pid> directory per live process (gone with it), and each file's text
// at the moment it is opened. Runs on the VfsActor, like every path walk.
// Each PID namespace has its own (a mount of proc shows the mounter's): its
// directories and every pid in its files are numbers in that namespace, and a
// process outside it is not there.
//
// State: the filesystem and its private namespace (root, never chrooted) are
// the VfsActor's. What it reads of processes (ids, names, times, fds) it
// reads without a message: scalar fields and references each replaced whole
// (CommandLine, the process table snapshot); see docs/decisions.md.
using System;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Text;
using Kevlar.Vfs;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Procfs;

public sealed partial class ProcFs : ILookupHook
{
    public const long PROC_SUPER_MAGIC = 0x9fa0;
    private const uint ReadOnly = 0x124, Directory = 0x16D; // r--r--r--, r-xr-xr-x

    private readonly ProcessHost _host;
    private readonly ISystemClock _clock;
    private readonly MemoryBudget? _budget;
    // Whose processes it shows, and in whose numbers.
    private readonly Namespaces.PidNamespace _pids;
    private readonly Tmpfs _fs;
    private readonly Namespace _ns;
    private readonly PathContext _ctx;
    // Where the magic links /proc/<pid>/ns/* lead.
    private readonly Nsfs _nsfs;
    // True while this class edits its own tree: its private walks pass the hook untouched.
    private bool _editing;

    public ProcFs(ProcessHost host, ISystemClock clock, ulong device, MemoryBudget? budget = null, Namespaces.PidNamespace? pids = null)
    {
        _host = host;
        _clock = clock;
        _budget = budget;
        _pids = pids ?? host.InitialPids;
        _fs = new Tmpfs(clock, device, "proc", PROC_SUPER_MAGIC, new TmpfsOptions { RootMode = Directory, Budget = budget });
        _fs.LookupHook = this;
        _fs.GeneratedContents = true;
        _fs.KernelMadeNames = true;
        var tree = new MountTree(_fs, "proc");
        _ns = new Namespace(tree, editsKernelNames: true);
        _ctx = new PathContext(Credentials.Root, tree.Root, tree.Root);
        _nsfs = new Nsfs(clock, NsfsDevice);
    }

    // nsfs's st_dev (Linux's is anonymous too); the other kernel filesystems have 1, 4-8 and 16 up.
    private const ulong NsfsDevice = 3;

    public Filesystem Filesystem => _fs;

    /// <summary>The procfs of <paramref name="pids"/> (a nested namespace), on anonymous device
    /// <paramref name="device"/>.</summary>
    public ProcFs ForNamespace(Namespaces.PidNamespace pids, ulong device) => new ProcFs(_host, _clock, device, _budget, pids);

    // The process this procfs names <paramref name="number"/> (alive or a zombie), or null.
    private UserProcess? Named(int number)
    {
        int global = _pids.GlobalOf(number);
        UserProcess? p = global == 0 ? null : _host.Table.Find(global);
        return p == null || p.Reaped ? null : p;
    }

    public void BeforeLookup(DirectoryInode dir, string name, in PathContext ctx)
    {
        if (_editing) return;
        _editing = true;
        Update(dir, name, ctx.CallerPid);
        _editing = false;
    }

    public void BeforeList(DirectoryInode dir, in PathContext ctx)
    {
        if (_editing) return;
        _editing = true;
        UpdateAll(dir, ctx.CallerPid);
        _editing = false;
    }

    /// <summary>A reaped process's /proc/<pid> goes at once, with what it holds (maps' ProcText
    /// names the process): unlisted, it would stay until someone looked. On the VfsActor.</summary>
    public void Forget(int pid)
    {
        _editing = true;
        RemoveTree("/" + NumberText.Decimal(pid));
        _editing = false;
    }

    private void Update(DirectoryInode dir, string name, int callerPid)
    {
        if (dir == _fs.Root)
        {
            RootEntry(name, callerPid);
            return;
        }
        if (PidOf(dir, out UserProcess? p, out string at))
        {
            PidEntry(p!, at, name, callerPid);
            return;
        }
        if (IsKevlarDirectory(dir))
        {
            KevlarFile(name);
            return;
        }
        Subdirectory(dir, callerPid);
    }

    // The directories below /proc/<pid>: fd, fdinfo, task, task/<tid> and ns.
    private void Subdirectory(DirectoryInode dir, int callerPid)
    {
        DirectoryInode? parent = dir.Parent;
        if (parent == null) return;
        if (PidOf(parent, out UserProcess? p, out string at))
        {
            if (dir.NameInParent == "fd") FdEntries(p!, at + "/fd");
            else if (dir.NameInParent == "fdinfo") FdEntries(p!, at + "/fdinfo", info: true);
            else if (dir.NameInParent == "task") TaskEntries(p!, at + "/task");
            else if (dir.NameInParent == "ns") NsEntries(p!, at + "/ns");
            return;
        }
        if (parent.NameInParent == "task" && parent.Parent != null && PidOf(parent.Parent, out p, out at)
            && IsPid(dir.NameInParent, out int tid))
            ThreadFiles(p!, tid, at + "/task/" + dir.NameInParent, callerPid);
    }

    private void UpdateAll(DirectoryInode dir, int callerPid)
    {
        if (dir == _fs.Root)
        {
            SyncProcesses();
            for (int i = 0; i < SystemNames.Length; i++) RootEntry(SystemNames[i], callerPid);
            RootEntry("self", callerPid);
            return;
        }
        if (PidOf(dir, out UserProcess? p, out string at))
        {
            for (int i = 0; i < PidNames.Length; i++) PidEntry(p!, at, PidNames[i], callerPid);
            return;
        }
        Subdirectory(dir, callerPid);
    }

    private void RootEntry(string name, int callerPid)
    {
        if (name == "self")
        {
            // The reader's number here; a reader from outside this namespace has none, nor a self.
            int self = callerPid > 0 ? _pids.NumberOfGlobal(callerPid) : 0;
            if (self > 0) SetLink("/self", NumberText.Decimal(self));
            else if (callerPid > 0) RemoveTree("/self");
            return;
        }
        if (IsPid(name, out int pid))
        {
            UserProcess? p = Named(pid);
            if (p == null) RemoveTree("/" + name);
            else EnsureDirectory("/" + name, Directory, p.Euid, p.Egid);
            return;
        }
        SystemEntry(name);
    }

    /// <summary>A /proc/<pid> directory and the process it stands for (null when it has gone).</summary>
    private bool PidOf(DirectoryInode dir, out UserProcess? p, out string path)
    {
        p = null;
        path = string.Empty;
        if (dir.Parent != _fs.Root || dir == _fs.Root || !IsPid(dir.NameInParent, out int pid)) return false;
        path = "/" + dir.NameInParent;
        p = Named(pid);
        if (p != null) return true;
        RemoveTree(path);
        return false;
    }

    private void SyncProcesses()
    {
        UserProcess[] live = _host.Table.Snapshot;
        for (int i = 0; i < live.Length; i++)
        {
            int number = live[i] != null && !live[i].Reaped ? _pids.NumberOf(live[i]) : 0;
            if (number > 0) EnsureDirectory("/" + NumberText.Decimal(number), Directory, live[i].Euid, live[i].Egid);
        }
        var stale = new System.Collections.Generic.List<string>();
        long cookie = DirectoryInode.FirstCookie;
        while (_fs.Root.ReadAt(cookie, out DirectoryEntry? e) && e != null)
        {
            cookie = e.Cookie + 1;
            if (IsPid(e.Name, out int pid) && Named(pid) == null) stale.Add(e.Name);
        }
        for (int i = 0; i < stale.Count; i++) RemoveTree("/" + stale[i]);
    }

    private static bool IsPid(string name, out int pid) => IsNumber(name, out pid) && pid > 0 && name[0] != '0';

    private static bool IsNumber(string name, out int n)
    {
        n = 0;
        if (name.Length == 0 || name.Length > 9) return false;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] < '0' || name[i] > '9') return false;
            n = n * 10 + (name[i] - '0');
        }
        return true;
    }

    // --- the private namespace's edits -------------------------------------------------

    private void SetFile(string path, string text, uint mode = ReadOnly, uint uid = 0, uint gid = 0)
        => SetFile(path, Latin1.Encode(text) ?? new byte[0], mode, uid, gid);

    private void SetFile(string path, byte[] data, uint mode, uint uid, uint gid)
    {
        if (_ns.Lookup(_ctx, path, false, out Location old) == 0 && old.Inode.Type != FileType.S_IFREG) RemoveTree(path);
        if (_ns.Open(_ctx, path, VfsOpenFlags.O_WRONLY | VfsOpenFlags.O_CREAT | VfsOpenFlags.O_TRUNC, mode, out Location at) != 0) return;
        var file = (RegularInode)at.Inode;
        if (data.Length > 0) file.Write(0, data);
        if (file.Uid != uid || file.Gid != gid) Namespace.Chown(Credentials.Root, at, uid, gid);
        at.Inode.Release();
    }

    // A file whose text is made for its reader at the lookup: open keeps a copy (ReaderText).
    private void SetReaderFile(string path, string text, uint uid, uint gid)
    {
        SetFile(path, text, ReadOnly, uid, gid);
        if (_ns.Lookup(_ctx, path, false, out Location at) == 0) at.Inode.Generator = ReaderText.Marker;
    }

    // A file whose text is made when it is opened (Syscalls/Open.cs asks ProcText).
    private void SetGenerated(string path, UserProcess p, System.Func<UserProcess, string> make, uint mode, uint uid, uint gid)
    {
        if (_ns.Lookup(_ctx, path, false, out Location old) == 0 && old.Inode.Generator is ProcText known && known.Process == p) return;
        SetFile(path, string.Empty, mode, uid, gid);
        if (_ns.Lookup(_ctx, path, false, out Location at) == 0) at.Inode.Generator = new ProcText(p, make);
    }

    // The link at path with target; true when it was made now (an existing one already said so).
    private bool SetLink(string path, string target)
    {
        if (_ns.Lookup(_ctx, path, false, out Location old) == 0)
        {
            if (old.Inode is SymlinkInode link && link.Target == target) return false;
            RemoveTree(path);
        }
        _ns.Symlink(_ctx, target, path);
        return true;
    }

    // A magic link to namespace ns, "kind:[number]" to readlink (the same text names the same
    // namespace, so a link that has it keeps its destination).
    private void SetNamespaceLink(string path, string kind, ulong number, object ns)
    {
        if (SetLink(path, string.Concat(kind, ":[", NumberText.Decimal((long)number), "]"))
            && _ns.Lookup(_ctx, path, false, out Location at) == 0 && at.Inode is SymlinkInode link)
            link.Jump = _nsfs.FileOf(number, ns);
    }

    private void EnsureDirectory(string path, uint mode, uint uid = 0, uint gid = 0)
    {
        if (_ns.Lookup(_ctx, path, false, out Location old) == 0)
        {
            if (old.Inode.IsDirectory) return;
            RemoveTree(path);
        }
        _ns.Mkdir(_ctx, path, mode);
        if ((uid != 0 || gid != 0) && _ns.Lookup(_ctx, path, false, out Location at) == 0) Namespace.Chown(Credentials.Root, at, uid, gid);
    }

    private void RemoveTree(string path)
    {
        if (_ns.Lookup(_ctx, path, false, out Location at) != 0) return;
        var dir = at.Inode as DirectoryInode;
        if (dir == null)
        {
            _ns.Unlink(_ctx, path);
            return;
        }
        var names = new System.Collections.Generic.List<string>();
        long cookie = DirectoryInode.FirstCookie;
        while (dir.ReadAt(cookie, out DirectoryEntry? e) && e != null)
        {
            cookie = e.Cookie + 1;
            names.Add(e.Name);
        }
        for (int i = 0; i < names.Count; i++) RemoveTree(path + "/" + names[i]);
        _ns.Rmdir(_ctx, path);
    }
}
