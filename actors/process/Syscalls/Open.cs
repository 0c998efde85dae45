// open(2), openat(2), creat(2): the VfsActor resolves (and with O_CREAT
// creates, the mode cut by the umask) and checks permissions as Linux's
// path_openat does; the description is then made here by what the inode is —
// a VfsFile for regular files, directories and O_PATH, a device for a
// character-device node (by major:minor), a pipe end for a FIFO. Flags that
// only matter at open (O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC) are not kept.
// O_TMPFILE makes an unnamed file in the directory the path names (tmpfs
// only, -EOPNOTSUPP elsewhere), freed at its last close unless linkat with
// AT_EMPTY_PATH names it first.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Text;
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Open
{
    private const int O_TMPFILE_BIT = 0x400000; // __O_TMPFILE
    private const int O_TMPFILE = O_TMPFILE_BIT | OpenFlags.O_DIRECTORY;
    private const int O_LARGEFILE = 0x8000;

    public static KernelTask<long> InvokeOpen(UserThread t, SyscallArgs a) => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), a.Int(1), a.UInt(2));

    public static KernelTask<long> InvokeOpenat(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Int(2), a.UInt(3));

    public static KernelTask<long> InvokeCreat(UserThread t, SyscallArgs a)
        => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_TRUNC, a.UInt(1));

    public static KernelTask<long> Do(UserThread t, int dirfd, ulong pathAddress, int flags, uint mode)
    {
        UserProcess p = t.Process;
        bool tmpfile = (flags & O_TMPFILE_BIT) != 0;
        // build_open_flags checks these before the path is read.
        if (tmpfile && ((flags & (O_TMPFILE | OpenFlags.O_CREAT)) != O_TMPFILE || (flags & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY))
            return KernelTask<long>.FromResult(-Errno.EINVAL);
        int r = PathLookup.Prepare(p, dirfd, pathAddress, out string path, out PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (path.Length == 0) return KernelTask<long>.FromResult(-Errno.ENOENT);
        bool pathOnly = (flags & OpenFlags.O_PATH) != 0;
        // O_PATH keeps only O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC (open(2)).
        if (pathOnly) flags &= OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;
        uint createMode = (mode & 0xFFF) & ~p.Umask;
        var ns = p.Host.Vfs.Namespace;
        var found = new Location[1];
        var shown = new string[1];
        var generated = new Files.Procfs.ProcText?[1];
        var control = new Files.Cgroups.CgroupFile?[1];
        var kept = new byte[]?[1];
        KernelTask<long> lookup = p.Host.Vfs.Run(t, () =>
        {
            shown[0] = path;
            if (path[0] != '/' && ns.Mounts.PathOf(ctx.Start, ctx.Root, out string dir) == 0)
                shown[0] = dir == "/" ? string.Concat("/", path) : string.Concat(dir, "/", path);
            if (tmpfile)
            {
                int made = ns.OpenTmpfile(ctx, path, createMode, (flags & OpenFlags.O_EXCL) == 0, out found[0]);
                if (made == 0) shown[0] = string.Concat(shown[0] == "/" ? "" : shown[0], "/#", NumberText.Decimal((long)found[0].Inode.Number));
                return made;
            }
            if (!pathOnly)
            {
                int opened = ns.Open(ctx, path, flags, createMode, out found[0]);
                if (opened == 0) generated[0] = found[0].Inode.Generator as Files.Procfs.ProcText;
                if (opened == 0 && found[0].Inode.Generator is Files.Procfs.ReaderText && found[0].Inode is RegularInode readerFile)
                    kept[0] = VfsFile.ContentsOf(readerFile); // made for this reader in this step
                if (opened == 0) control[0] = Files.Cgroups.CgroupFile.Open(p.Host.Vfs, found[0].Inode, flags);
                return opened;
            }
            int e = ns.Lookup(ctx, path, (flags & OpenFlags.O_NOFOLLOW) == 0, out found[0]);
            if (e != 0) return e;
            if ((flags & OpenFlags.O_DIRECTORY) != 0 && !found[0].Inode.IsDirectory) return -Errno.ENOTDIR;
            found[0].Inode.Acquire();
            return 0;
        });
        return Finish(t, lookup, found, shown, generated, control, kept, flags, ctx.Credentials);
    }

    private static async KernelTask<long> Finish(UserThread t, KernelTask<long> lookup, Location[] found, string[] shown,
        Files.Procfs.ProcText?[] generated, Files.Cgroups.CgroupFile?[] control, byte[]?[] kept, int flags, Kevlar.Vfs.Credentials cred)
    {
        long r = await lookup;
        if (r != 0) return r;
        UserProcess p = t.Process;
        // /proc/<pid>/maps and the like: the text comes from the process's own thread now.
        if (generated[0] != null) await generated[0]!.RefreshAsync(t, found[0].Inode);
        int keep = flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY | OpenFlags.O_TRUNC | O_LARGEFILE);
        Inode inode = found[0].Inode;
        var vfsFile = new VfsFile(p.Host.Vfs, found[0], keep, cred, p.Pid) { DisplayPath = shown[0] };
        if (inode is NsfsInode { Namespace: Kevlar.Vfs.Mounts.MountTree held }) vfsFile.HoldMounts(p.Host, held);
        if (kept[0] != null) vfsFile.KeepContents(kept[0]!);
        OpenFile file = vfsFile;
        if (control[0] != null)
        {
            file = control[0]!; // a cgroup control file
            file.NodeVfs = p.Host.Vfs;
            file.NodeLocation = found[0];
        }
        if ((flags & OpenFlags.O_PATH) == 0 && inode.Type == FileType.S_IFIFO)
        {
            var end = new PipeEnd?[1];
            r = await OpenFifo(t, inode, keep, end);
            if (r < 0)
            {
                vfsFile.Acquire();
                vfsFile.Release();
                return r;
            }
            file = end[0]!;
            file.NodeVfs = p.Host.Vfs;
            file.NodeLocation = found[0];
        }
        if ((flags & OpenFlags.O_PATH) == 0 && inode.Type == FileType.S_IFCHR)
        {
            OpenFile? device;
            if (inode.RawDevice == Kevlar.Vfs.DeviceNumber.Make(5, 2))
            {
                var master = new Files.Tty.PtyMasterFile?[1];
                long made = await Files.Tty.PtyMasterFile.OpenAsync(t, keep, master);
                device = made == 0 ? master[0] : null;
            }
            else device = Devices.Open(p, inode.RawDevice, keep);
            if (device == null)
            {
                // The node's reference goes with the VfsFile that is not kept.
                vfsFile.Acquire();
                vfsFile.Release();
                return -Errno.ENXIO;
            }
            device.NodeVfs = p.Host.Vfs;
            device.NodeLocation = found[0];
            var tty = device as Files.Tty.TtyFile;
            long attached = tty == null ? 0 : await tty.AttachAsync(t, flags);
            if (attached < 0)
            {
                device.Acquire();
                device.Release();
                return attached;
            }
            file = device;
        }
        return p.Files.Allocate(file, (flags & OpenFlags.O_CLOEXEC) != 0, 0, FdLimit(p));
    }

    // fifo(7): the FIFO's pipe takes the open on the VfsActor's CPU (its home); a read-only open
    // then waits for a writer and a write-only one for a reader, unless O_NONBLOCK (a lone
    // O_WRONLY|O_NONBLOCK is -ENXIO) or O_RDWR. A signal ends the wait and undoes the open.
    private static async KernelTask<long> OpenFifo(UserThread t, Inode inode, int flags, PipeEnd?[] end)
    {
        VfsActor vfs = t.Process.Host.Vfs;
        int access = flags & OpenFlags.O_ACCMODE;
        bool reads = access != OpenFlags.O_WRONLY, writes = access != OpenFlags.O_RDONLY;
        bool nonblock = (flags & OpenFlags.O_NONBLOCK) != 0;
        var opened = new Pipe?[1];
        var seen = new int[1];
        long r = await vfs.Run(t, () =>
        {
            Pipe pipe = vfs.FifoOf(inode);
            if (writes && !reads && nonblock && pipe.LiveReaders == 0)
            {
                vfs.ForgetFifo(inode, pipe);
                return -Errno.ENXIO;
            }
            // Linux's fifo_open: a partner open now means no wait; else wait for the partner's
            // open count to move. Judged here, in the step that counts this open, since the
            // partner may open, write and close before a later step looks.
            seen[0] = (reads ? pipe.LiveWriters : pipe.LiveReaders) > 0 ? -1 : reads ? pipe.WriterOpens : pipe.ReaderOpens;
            pipe.Opened(reads, writes);
            opened[0] = pipe;
            return 0;
        });
        if (r < 0) return r;
        Pipe fifo = opened[0]!;
        var description = new PipeEnd(fifo, reads, writes, flags);
        while (!nonblock && reads != writes && seen[0] >= 0)
        {
            var peer = new PipePeerRequest(fifo, reads, seen[0]);
            long ready = await FileCall.Run(t, fifo, peer);
            if (ready != FileRequest.WouldBlock) break;
            long woken = await FileCall.Wait(t, peer.Waiter!, 0);
            if (woken < 0)
            {
                description.Acquire();
                description.Release(); // no fd ever held it: this closes the end it opened
                return woken;
            }
        }
        end[0] = description;
        return 0;
    }

    /// <summary>The fd numbers a process may use: RLIMIT_NOFILE's soft limit.</summary>
    public static int FdLimit(UserProcess p)
    {
        ulong n = p.Limits.Soft(ResourceLimits.RLIMIT_NOFILE);
        return n > ResourceLimits.NrOpen ? (int)ResourceLimits.NrOpen : (int)n;
    }
}
