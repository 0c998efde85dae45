// VfsFile: an open file description on a VfsActor-owned filesystem (tmpfs
// and friends): a regular file, a directory, or a symlink opened with O_PATH.
// Its offset and the inode belong to the VfsActor: every operation is a
// closure run there (FileOwner.Run), and the user copy happens here, on the caller's CPU.
//
// Semantics: reads return what the file holds from the offset (0 at the
// end); writes with O_APPEND go to the end, each atomically with respect to
// other writes; lseek takes SEEK_SET/CUR/END and SEEK_DATA/SEEK_HOLE
// (-ENXIO past the end), -EINVAL for a negative result; a directory's offset
// is a getdents cookie (0 = from the start).
using System;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;


namespace Kevlar.Process.Files.Vfs;

public sealed class VfsFile : OpenFile
{
    private const int Chunk = 65536;
    public readonly VfsActor Vfs;
    public readonly Location Location;
    /// <summary>The VfsActor's: the byte offset, or for a directory the next getdents cookie.</summary>
    private long _offset;

    /// <summary>The offset (SEEK_CUR of a record lock). Read on the VfsActor.</summary>
    public long OffsetOnOwner => _offset;
    private readonly Credentials _opener;
    private readonly int _openerPid;

    /// <summary>The path it was opened by, made absolute (what /proc/<pid>/fd shows).</summary>
    public string DisplayPath = string.Empty;

    public VfsFile(VfsActor vfs, Location location, int flags, Credentials opener, int openerPid = 0)
    {
        _openerPid = openerPid;
        NodeVfs = vfs;
        NodeLocation = location;
        Vfs = vfs;
        Location = location;
        StatusFlags = flags;
        _opener = opener;
    }

    public override bool IsDirectory => Location.Inode.IsDirectory;

    // The file's contents as they were at open, for a /proc file made for its reader
    // (Procfs/ReaderText): reads come from here, not from the shared inode. The VfsActor's.
    private byte[]? _contents;

    /// <summary>Reads of this description see the inode's contents now (on the VfsActor, in the
    /// step that opened it).</summary>
    public static byte[] ContentsOf(RegularInode file)
    {
        var data = new byte[file.Size < int.MaxValue ? (int)file.Size : 0];
        int n = file.Read(0, data);
        return n == data.Length ? data : new byte[0];
    }

    /// <summary>Serve reads from <paramref name="contents"/> (ContentsOf at open).</summary>
    public void KeepContents(byte[] contents) => _contents = contents;

    // A mount namespace this description of its nsfs file keeps (Linux's reference from the
    // file): it is taken down only when its processes and such files are all gone.
    private ProcessHost? _host;
    private Kevlar.Vfs.Mounts.MountTree? _heldMounts;

    /// <summary>The file is a mount namespace's nsfs file: the namespace stays while it is open.</summary>
    public void HoldMounts(ProcessHost host, Kevlar.Vfs.Mounts.MountTree mounts)
    {
        mounts.Join();
        _host = host;
        _heldMounts = mounts;
    }

    protected override void OnLastClose()
    {
        if (_heldMounts != null && _heldMounts.Leave()) Namespaces.MountNamespace.TakeDown(_host!, _heldMounts);
    }

    /// <summary>The offset (/proc/pid/fdinfo's pos); read on the VfsActor, which owns it.</summary>
    public long OffsetOnVfsActor => _offset;

    /// <summary>Opened with credentials like <paramref name="cred"/> (linkat's AT_EMPTY_PATH rule).</summary>
    public bool OpenedAs(Credentials cred) => _opener.SameAs(cred);

    /// <summary>O_PATH: the fd names a file but neither reads nor writes it.</summary>
    public bool IsPathOnly => (StatusFlags & OpenFlags.O_PATH) != 0;

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
    {
        if (IsPathOnly) return KernelTask<long>.FromResult(-Errno.EBADF);
        if (Location.Inode.IsDirectory) return KernelTask<long>.FromResult(-Errno.EISDIR);
        return ReadLoop(t, buffer, count, -1);
    }

    /// <summary>pread64 (<paramref name="at"/> ≥ 0, the offset untouched) or read (-1).</summary>
    public async KernelTask<long> ReadLoop(UserThread t, ulong buffer, ulong count, long at)
    {
        var file = Location.Inode as RegularInode;
        if (file == null) return -Errno.EINVAL;
        long done = 0;
        while ((ulong)done < count)
        {
            var data = new byte[(int)Math.Min((ulong)Chunk, count - (ulong)done)];
            long from = at < 0 ? -1 : at + done;
            long n = await Vfs.Run(t, () =>
            {
                long offset = from < 0 ? _offset : from;
                int got = _contents != null ? ReadKept(offset, data) : file.Read(offset, data);
                if (got > 0 && from < 0) _offset = offset + got;
                return got;
            });
            if (n < 0) return done > 0 ? done : n;
            if (n == 0) break;
            if (t.Process.UserMemory.Write(buffer + (ulong)done, new ReadOnlySpan<byte>(data, 0, (int)n)) != 0)
                return await PartialCopy(t, buffer, done, data, n, from < 0);
            done += n;
            if (n < data.Length) break;
        }
        return done;
    }

    private int ReadKept(long offset, byte[] into)
    {
        byte[] kept = _contents!;
        if (offset < 0) return -Errno.EINVAL;
        if (offset >= kept.Length) return 0;
        int n = (int)Math.Min(into.Length, kept.Length - offset);
        Array.Copy(kept, (int)offset, into, 0, n);
        return n;
    }

    // The buffer ends in unmapped memory partway through a chunk: as Linux's copy_to_user, keep
    // the bytes that fit, give the offset back for the rest, and count them (-EFAULT if none).
    private async KernelTask<long> PartialCopy(UserThread t, ulong buffer, long done, byte[] data, long n, bool moveOffset)
    {
        int written = t.Process.UserMemory.WritePrefix(buffer + (ulong)done, new ReadOnlySpan<byte>(data, 0, (int)n));
        long unread = n - written;
        if (moveOffset && unread > 0) await Vfs.Run(t, () => _offset -= unread);
        done += written;
        return done > 0 ? done : -Errno.EFAULT;
    }

    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
    {
        if (IsPathOnly) return KernelTask<long>.FromResult(-Errno.EBADF);
        return WriteLoop(t, buffer, count, -1);
    }

    /// <summary>pwrite64 (<paramref name="at"/> ≥ 0) or write (-1).</summary>
    public async KernelTask<long> WriteLoop(UserThread t, ulong buffer, ulong count, long at)
    {
        var file = Location.Inode as RegularInode;
        if (file == null) return -Errno.EINVAL;
        bool append = (StatusFlags & OpenFlags.O_APPEND) != 0;
        long done = 0;
        while ((ulong)done < count)
        {
            var data = new byte[(int)Math.Min((ulong)Chunk, count - (ulong)done)];
            if (t.Process.UserMemory.Read(buffer + (ulong)done, data) != 0) return done > 0 ? done : -Errno.EFAULT;
            long from = at < 0 ? -1 : at + done;
            long n = await Vfs.Run(t, () =>
            {
                long offset = from >= 0 ? from : append ? file.Size : _offset;
                int put = Namespace.Write(_opener, file, offset, data);
                if (put > 0 && from < 0) _offset = offset + put;
                return put;
            });
            if (n == -Errno.EFBIG && done == 0) SignalDelivery.Raise(t, Signals.Signal.SIGXFSZ, 0, t.Process.OwnPid, t.Process.Uid);
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if (n < data.Length) break;
        }
        return done;
    }

    public override KernelTask<long> WriteBytesAsync(UserThread t, byte[] data, int count) => PutBytes(t, data, count, -1);

    /// <summary>Kernel bytes written at <paramref name="at"/> (≥ 0) or at the offset (-1, or the
    /// end with O_APPEND): count or -errno.</summary>
    public KernelTask<long> PutBytes(UserThread t, byte[] data, int count, long at)
    {
        var file = Location.Inode as RegularInode;
        if (file == null || IsPathOnly) return KernelTask<long>.FromResult(IsPathOnly ? -Errno.EBADF : -Errno.EINVAL);
        bool append = (StatusFlags & OpenFlags.O_APPEND) != 0;
        return Vfs.Run(t, () =>
        {
            long offset = at >= 0 ? at : append ? file.Size : _offset;
            int put = Namespace.Write(_opener, file, offset, new ReadOnlySpan<byte>(data, 0, count));
            if (put > 0 && at < 0) _offset = offset + put;
            return put;
        });
    }

    /// <summary>Reads up to into.Length bytes into a kernel buffer at <paramref name="at"/> (≥ 0) or
    /// at the offset (-1, which it advances): count, 0 at the end, or -errno.</summary>
    public KernelTask<long> TakeBytes(UserThread t, byte[] into, long at)
    {
        var file = Location.Inode as RegularInode;
        if (file == null || IsPathOnly) return KernelTask<long>.FromResult(Location.Inode.IsDirectory ? -Errno.EISDIR : -Errno.EINVAL);
        return Vfs.Run(t, () =>
        {
            long offset = at >= 0 ? at : _offset;
            int got = file.Read(offset, into);
            if (got > 0 && at < 0) _offset = offset + got;
            return got;
        });
    }

    /// <summary>lseek(2) on the VfsActor: the new offset or -errno.</summary>
    public KernelTask<long> SeekAsync(UserThread t, long offset, int whence)
    {
        Inode inode = Location.Inode;
        return Vfs.Run(t, () =>
        {
            long size = inode.Size, at;
            switch (whence)
            {
                case 0: at = offset; break;
                case 1: at = _offset + offset; break;
                case 2: at = size + offset; break;
                case 3: // SEEK_DATA: tmpfs treats the whole file as data
                case 4: // SEEK_HOLE: the end is the first hole
                    if (inode.IsDirectory) return -Errno.EINVAL;
                    if (offset < 0 || offset >= size) return -Errno.ENXIO;
                    at = whence == 3 ? offset : size;
                    break;
                default: return -Errno.EINVAL;
            }
            if (at < 0) return -Errno.EINVAL;
            _offset = at;
            return at;
        });
    }

    /// <summary>getdents64 into a kernel buffer on the VfsActor: bytes, 0 at the end, -EINVAL
    /// when one record does not fit. <paramref name="start"/>[0] gets the offset it began at, for
    /// putting it back when the records cannot be delivered.</summary>
    public KernelTask<long> ReadDirectoryAsync(UserThread t, byte[] into, long[] start)
    {
        var dir = Location.Inode as DirectoryInode;
        if (dir == null) return KernelTask<long>.FromResult(-Errno.ENOTDIR);
        Location location = Location;
        return Vfs.Run(t, () =>
        {
            start[0] = _offset;
            if (dir.IsDead) return 0;
            if (_offset == 0)
                dir.Filesystem.LookupHook?.BeforeList(dir, new Kevlar.Vfs.Paths.PathContext(_opener, location, location, _openerPid));
            int written = 0;
            while (true)
            {
                string name;
                Inode inode;
                long next;
                if (_offset == 0 || _offset == 1)
                {
                    // ".." is the parent in this filesystem; a filesystem's root is its own (dir_emit_dots).
                    name = _offset == 0 ? "." : "..";
                    inode = _offset == 0 ? dir : dir.Parent;
                    next = _offset + 1;
                }
                else
                {
                    if (!dir.ReadAt(Math.Max(_offset, DirectoryInode.FirstCookie), out DirectoryEntry? e) || e == null) break;
                    name = e.Name;
                    inode = e.Inode;
                    next = e.Cookie + 1;
                }
                int len = Dirent64.Write(new Span<byte>(into, written, into.Length - written), inode.Number, next, Dirent64.TypeOf(inode.Mode), name);
                if (len == 0)
                {
                    if (written == 0) return -Errno.EINVAL;
                    break;
                }
                written += len;
                _offset = next;
            }
            dir.TouchAccess();
            return written;
        });
    }

    public override void Stat(ref FileStatus status)
    {
        // fstat asks the VfsActor (Stat.OfFile, through NodeVfs); the attributes are its own, so
        // only the type, fixed at creation, is read here.
        status.Mode = Location.Inode.Type;
    }
}

/// <summary>Where an asynchronous stat leaves its answer.</summary>
public sealed class StatBox
{
    public FileStatus Status;
}
