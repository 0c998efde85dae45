// CgroupFile: an open control file of cgroup2 (cgroup.procs, pids.max, ...).
// Reads show the text made at the read from offset 0 and continue in it (as
// Linux's seq_file); a file without a read or write gives -EINVAL for it (the
// open succeeds for root, as kernfs's does); every write(2) is one value applied by the tree in one
// step (cgroup.procs moves a process, pids.max sets the limit), count or
// -errno; lseek takes SEEK_SET and SEEK_CUR. poll is kernfs's: always
// readable and writable, plus POLLPRI|POLLERR once the cgroup's events
// changed since the description was opened or last read from offset 0 — a
// poller waiting for POLLPRI registers with the tree and is woken by the
// change (CgroupTree.EventsChanged).
//
// State: the offset, the text and the events seen are the VfsActor's (every
// operation runs there as a closure); the user copy happens on the caller's CPU.
using System;
using Kevlar.Cgroups;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Cgroups;

public sealed class CgroupFile : OpenFile
{
    /// <summary>The largest write taken (a page, as kernfs); longer ones are -E2BIG.</summary>
    private const int MaxWrite = 4096;
    private const int Readable = PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLOUT | PollEvents.POLLWRNORM;

    private readonly VfsActor _vfs;
    private readonly CgroupFs _cgroups;
    private readonly CgroupControl _control;
    private long _offset;
    private byte[]? _text;
    private int _seen;

    /// <summary>Made on the VfsActor (open's lookup), where the events version is read.</summary>
    public CgroupFile(VfsActor vfs, CgroupFs cgroups, CgroupControl control, int flags, int seenEvents)
    {
        _vfs = vfs;
        _cgroups = cgroups;
        _control = control;
        StatusFlags = flags;
        _seen = seenEvents;
    }

    private Cgroup Group => _control.Group;

    /// <summary>On the VfsActor after open(2) found <paramref name="inode"/>: the description of a
    /// control file, or null for any other file.</summary>
    public static CgroupFile? Open(VfsActor vfs, Kevlar.Vfs.Inodes.Inode inode, int flags)
    {
        var control = inode.Generator as CgroupControl;
        CgroupFs? fs = vfs.Types.Cgroups;
        if (control == null || fs == null) return null;
        int keep = flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY | OpenFlags.O_TRUNC);
        return new CgroupFile(vfs, fs, control, keep, control.Group.EventsVersion);
    }

    public override async KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
    {
        if (!_control.File.Readable) return -Errno.EINVAL; // kernfs: the file has no read
        int want = (int)Math.Min(count, 65536UL);
        var data = new byte[want];
        Namespaces.PidNamespace pids = t.Process.PidNs;
        long n = await _vfs.Run(t, () => Take(data, pids));
        if (n <= 0) return n;
        if (t.Process.UserMemory.Write(buffer, new ReadOnlySpan<byte>(data, 0, (int)n)) != 0) return -Errno.EFAULT;
        return n;
    }

    // On the VfsActor: the next bytes of the text, made anew at offset 0 (pids as the reader's
    // namespace numbers them).
    private long Take(byte[] into, Namespaces.PidNamespace pids)
    {
        if (Group.Removed) return -Errno.ENODEV;
        int e = CgroupTree.MayRead(Group, _control.File.Kind);
        if (e != 0) return e;
        if (_offset == 0 || _text == null)
        {
            _text = Kevlar.Runtime.Text.Latin1.Encode(_cgroups.Tree.Read(Group, _control.File.Kind, pids.Level == 0 ? null : pids.NumberOfGlobal)) ?? new byte[0];
            _seen = Group.EventsVersion;
        }
        if (_offset >= _text.Length) return 0;
        int n = (int)Math.Min(into.Length, _text.Length - _offset);
        Array.Copy(_text, (int)_offset, into, 0, n);
        _offset += n;
        return n;
    }

    public override async KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count == 0) return 0;
        if (!_control.File.Writable) return -Errno.EINVAL; // kernfs: the file has no write
        if (count > MaxWrite) return -Errno.E2BIG;
        var data = new byte[(int)count];
        if (t.Process.UserMemory.Read(buffer, data) != 0) return -Errno.EFAULT;
        string text = Kevlar.Runtime.Text.Latin1.Decode(data);
        CgroupMember writer = CgroupCall.MemberOf(t.Process);
        ProcessHost host = t.Process.Host;
        Namespaces.PidNamespace pids = t.Process.PidNs; // a pid written is one in the writer's namespace
        int writerTid = t.Tid;
        long r = await _vfs.Run(t, () =>
        {
            int e = _cgroups.Tree.Write(Group, _control.File.Kind, text, writer, pid => CgroupCall.Find(host, pids.GlobalOf(pid)),
                writerTid, tid => CgroupCall.FindThread(host, pids.GlobalOf(tid)));
            if (e == 0 && _control.File.Kind == ControlKind.SubtreeControl) _cgroups.Changed(Group);
            return e;
        });
        return r < 0 ? r : (long)count;
    }

    /// <summary>lseek on the VfsActor: SEEK_SET or SEEK_CUR; -EINVAL otherwise or for a negative result.</summary>
    public KernelTask<long> SeekAsync(UserThread t, long offset, int whence) => _vfs.Run(t, () =>
    {
        long to = whence == 0 ? offset : whence == 1 ? _offset + offset : -1;
        if (to < 0) return -Errno.EINVAL;
        _offset = to;
        return to;
    });

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter) => _vfs.Run(t, () =>
    {
        bool changed = _cgroups.Tree.PollEvents(Group, _seen, null);
        int mask = Readable | (changed ? PollEvents.POLLPRI | PollEvents.POLLERR : 0);
        if ((mask & events) == 0 && waiter != null) _cgroups.Tree.PollEvents(Group, _seen, new CgroupPollWaiter(waiter));
        return mask;
    });

    public override bool Pollable => true;

    public override ulong EdgeCount(int events) => (ulong)Group.EventsVersion;

    public override void Stat(ref FileStatus status)
    {
        status.Mode = Kevlar.Vfs.FileType.S_IFREG | _control.File.Mode;
    }
}
