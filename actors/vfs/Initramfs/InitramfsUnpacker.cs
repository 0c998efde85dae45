// InitramfsUnpacker: fills a filesystem from a cpio newc/crc archive as
// Linux's init/initramfs.c do_name/do_copy/do_symlink do, running the same
// operations as root through a Namespace over the filesystem alone:
//   - an existing name of another type is removed first (clean_path);
//   - directories: mkdir (an existing one is kept), chown, chmod; their
//     mtimes are set after the last member, since adding entries changes them;
//   - regular files: created (or truncated), chown, chmod, bytes, mtime;
//   - symlinks: whatever is there is removed, symlink, lchown, mtime;
//   - device nodes, FIFOs, sockets: mknod, chown, chmod, mtime;
//   - hard links: a member whose (device, ino, type) was seen before with
//     nlink >= 2 becomes a link to the first name; a regular one then gets
//     its bytes written without truncation (GNU cpio puts them on the last).
// Unlike Linux, missing parent directories are created (root, 0755). A
// member that cannot be made is skipped and counted; a corrupt archive stops
// the unpacking, keeping every member before the damage.
using System;
using System.Collections.Generic;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Initramfs;

/// <summary>Unpacks a cpio archive into a filesystem.</summary>
public sealed class InitramfsUnpacker
{
    private const uint ImpliedDirectoryMode = 0x1ED; // 0755

    private readonly Namespace _ns;
    private readonly PathContext _ctx;
    private readonly Dictionary<string, string> _firstNameOfInode = new Dictionary<string, string>();
    private readonly List<string> _dirNames = new List<string>();
    private readonly List<uint> _dirMtimes = new List<uint>();

    private InitramfsUnpacker(Filesystem fs)
    {
        var tree = new MountTree(fs, "rootfs");
        _ns = new Namespace(tree);
        _ctx = new PathContext(Credentials.Root, tree.Root, tree.Root);
    }

    /// <summary>Members that could not be made (no space, a name under a non-directory).</summary>
    public int Skipped { get; private set; }

    /// <summary>
    /// Unpacks <paramref name="archive"/> into <paramref name="fs"/>. Returns
    /// CpioError.None, or the reader's error after unpacking every member
    /// before it; <paramref name="skipped"/> counts members that failed.
    /// </summary>
    public static CpioError Unpack(Filesystem fs, ReadOnlySpan<byte> archive, out int skipped)
    {
        var unpacker = new InitramfsUnpacker(fs);
        var reader = new CpioNewcReader(archive);
        CpioError error;
        while (true)
        {
            error = reader.ReadNext(out CpioEntry? entry);
            if (error != CpioError.None || entry == null)
                break;
            if (unpacker.UnpackEntry(entry, archive) < 0)
                unpacker.Skipped++;
        }
        unpacker.SetDirectoryTimes();
        skipped = unpacker.Skipped;
        return error;
    }

    private int UnpackEntry(CpioEntry e, ReadOnlySpan<byte> archive)
    {
        uint type = FileType.Of(e.Mode);
        if (e.Name != ".")
            MakeParents(e.Name);
        if (type == FileType.S_IFDIR)
            return UnpackDirectory(e);
        if (type == FileType.S_IFLNK)
            return UnpackSymlink(e, archive);
        if (type == FileType.S_IFREG)
            return UnpackRegular(e, archive);
        if (type == FileType.S_IFCHR || type == FileType.S_IFBLK || type == FileType.S_IFIFO || type == FileType.S_IFSOCK)
            return UnpackSpecial(e);
        return -Errno.EINVAL;
    }

    private int UnpackDirectory(CpioEntry e)
    {
        RemoveIfOtherType(e.Name, FileType.S_IFDIR);
        int r = _ns.Mkdir(_ctx, e.Name, e.Mode & FileMode.S_IALLUGO);
        if (r < 0 && r != -Errno.EEXIST)
            return r;
        r = SetOwnerAndMode(e, true);
        if (r == 0)
        {
            _dirNames.Add(e.Name);
            _dirMtimes.Add(e.Mtime);
        }
        return r;
    }

    private int UnpackRegular(CpioEntry e, ReadOnlySpan<byte> archive)
    {
        RemoveIfOtherType(e.Name, FileType.S_IFREG);
        int linked = MaybeLink(e);
        if (linked < 0)
            return linked;
        int flags = VfsOpenFlags.O_WRONLY | VfsOpenFlags.O_CREAT | (linked == 1 ? 0 : VfsOpenFlags.O_TRUNC);
        int r = _ns.Open(_ctx, e.Name, flags, e.Mode & FileMode.S_IALLUGO, out Location at);
        if (r < 0)
            return r;
        r = SetOwnerAndMode(e, true);
        ReadOnlySpan<byte> data = e.DataIn(archive);
        if (r == 0 && at.Inode is RegularInode file && !data.IsEmpty)
        {
            int written = file.Write(0, data);
            r = written < 0 ? written : written < data.Length ? -Errno.ENOSPC : 0;
        }
        at.Inode.Release();
        return r < 0 ? r : SetMtime(e.Name, e.Mtime, true);
    }

    private int UnpackSymlink(CpioEntry e, ReadOnlySpan<byte> archive)
    {
        RemoveIfOtherType(e.Name, 0);
        string target = Kevlar.Runtime.Text.Latin1.Decode(e.DataIn(archive));
        int r = _ns.Symlink(_ctx, target, e.Name);
        if (r == 0)
            r = SetOwnerAndMode(e, false);
        return r < 0 ? r : SetMtime(e.Name, e.Mtime, false);
    }

    private int UnpackSpecial(CpioEntry e)
    {
        RemoveIfOtherType(e.Name, FileType.Of(e.Mode));
        int linked = MaybeLink(e);
        if (linked != 0)
            return linked < 0 ? linked : 0;
        int r = _ns.Mknod(_ctx, e.Name, e.Mode, DeviceNumber.Make(e.RdevMajor, e.RdevMinor));
        if (r == 0)
            r = SetOwnerAndMode(e, true);
        return r < 0 ? r : SetMtime(e.Name, e.Mtime, true);
    }

    /// <summary>maybe_link: 1 when <paramref name="e"/> was made a hard link to an earlier member, 0 when it is the first of its inode, or an error.</summary>
    private int MaybeLink(CpioEntry e)
    {
        if (e.Nlink < 2)
            return 0;
        string key = e.DevMajor.ToString() + ":" + e.DevMinor.ToString() + ":" + e.Ino.ToString() + ":" + FileType.Of(e.Mode).ToString();
        if (!_firstNameOfInode.TryGetValue(key, out string? first))
        {
            _firstNameOfInode.Add(key, e.Name);
            return 0;
        }
        RemoveIfOtherType(e.Name, 0);
        int r = _ns.Link(_ctx, first, _ctx, e.Name, false);
        return r < 0 ? r : 1;
    }

    /// <summary>clean_path: removes what <paramref name="name"/> holds when its type is not <paramref name="type"/> (0: any type).</summary>
    private void RemoveIfOtherType(string name, uint type)
    {
        if (name == "." || _ns.Lookup(_ctx, name, false, out Location at) < 0 || at.Inode.Type == type)
            return;
        if (at.Inode.IsDirectory)
            _ns.Rmdir(_ctx, name);
        else
            _ns.Unlink(_ctx, name);
    }

    /// <summary>Creates each missing directory above <paramref name="name"/>.</summary>
    private void MakeParents(string name)
    {
        for (int slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            string parent = name.Substring(0, slash);
            if (_ns.Lookup(_ctx, parent, true, out _) == -Errno.ENOENT)
                _ns.Mkdir(_ctx, parent, ImpliedDirectoryMode);
        }
    }

    private int SetOwnerAndMode(CpioEntry e, bool follow)
    {
        int r = _ns.Lookup(_ctx, e.Name, follow, out Location at);
        if (r == 0)
            r = Namespace.Chown(Credentials.Root, at, e.Uid, e.Gid);
        if (r == 0 && at.Inode.Type != FileType.S_IFLNK)
            r = Namespace.Chmod(Credentials.Root, at, e.Mode);
        return r;
    }

    private int SetMtime(string name, uint mtime, bool follow)
    {
        int r = _ns.Lookup(_ctx, name, follow, out Location at);
        var t = new Timestamp(mtime, 0);
        return r < 0 ? r : Namespace.Utimens(Credentials.Root, at, t, t);
    }

    private void SetDirectoryTimes()
    {
        for (int i = 0; i < _dirNames.Count; i++)
            SetMtime(_dirNames[i], _dirMtimes[i], true);
    }
}
