// InitramfsFiles: the initramfs (a cpio newc archive) as a read-only tree of
// nodes, for exec, open, stat and getdents until the VFS mounts it as a
// tmpfs. Paths are resolved from the root or a working directory; ".", ".."
// and repeated slashes are handled and symbolic links followed (at most 40,
// Linux's MAXSYMLINKS) in every component, and in the last one when asked.
// Directories the archive only implies (a/b/c with no a/b entry) exist too.
//
// State: immutable once Load returns; any CPU may read it.
using System.Collections.Generic;
using Kevlar.Vfs;
using Kevlar.Vfs.Initramfs;

namespace Kevlar.Process.Files;

public sealed class InitramfsFiles
{
    private const int MaxSymlinks = 40;
    private readonly byte[] _archive;
    private readonly InitramfsNode _root;

    private InitramfsFiles(byte[] archive)
    {
        _archive = archive;
        _root = new InitramfsNode(string.Empty, FileType.S_IFDIR | 0x1ED, 1, null);
        _root.Parent = _root;
    }

    /// <summary>Builds the tree; a malformed archive keeps the entries before the damage.</summary>
    public static InitramfsFiles Load(byte[] archive, out CpioError error)
    {
        var files = new InitramfsFiles(archive);
        var entries = new List<CpioEntry>();
        error = CpioNewcReader.ReadAll(archive, entries);
        for (int i = 0; i < entries.Count; i++) files.Add(entries[i]);
        return files;
    }

    public InitramfsNode Root => _root;

    public byte[] Archive => _archive;

    /// <summary>The contents of the regular file at absolute <paramref name="path"/>: 0,
    /// -ENOENT, -ENOTDIR, -EISDIR, -EACCES (not a regular file) or -ELOOP.</summary>
    public int TryReadFile(string path, out byte[] contents, out uint mode)
    {
        contents = new byte[0];
        mode = 0;
        int r = Resolve(_root, path, true, out InitramfsNode? node);
        if (r != 0 || node == null) return r != 0 ? r : -Errno.ENOENT;
        if (node.IsDirectory) return -Errno.EISDIR;
        if (FileType.Of(node.Mode) != FileType.S_IFREG) return -Errno.EACCES;
        contents = new byte[node.DataLength];
        System.Array.Copy(_archive, node.DataOffset, contents, 0, node.DataLength);
        mode = node.Mode;
        return 0;
    }

    /// <summary>The target of the symbolic link at <paramref name="path"/>: 0, -ENOENT or -EINVAL (not a link).</summary>
    public int TryReadLink(string path, out string target)
    {
        target = string.Empty;
        int r = Resolve(_root, path, false, out InitramfsNode? node);
        if (r != 0 || node == null) return r != 0 ? r : -Errno.ENOENT;
        if (FileType.Of(node.Mode) != FileType.S_IFLNK) return -Errno.EINVAL;
        target = LinkText(node);
        return 0;
    }

    /// <summary>Resolves <paramref name="path"/> (relative paths from <paramref name="start"/>):
    /// 0, -ENOENT, -ENOTDIR, -ELOOP or -ENAMETOOLONG.</summary>
    public int Resolve(InitramfsNode start, string path, bool followLast, out InitramfsNode? node)
    {
        node = null;
        if (path.Length == 0) return -Errno.ENOENT;
        if (path.Length >= 4096) return -Errno.ENAMETOOLONG;
        InitramfsNode at = path[0] == '/' ? _root : start;
        var pending = new List<string>();
        Split(path, pending);
        int links = 0;
        bool trailingSlash = path[path.Length - 1] == '/';
        while (pending.Count > 0)
        {
            string part = pending[0];
            pending.RemoveAt(0);
            if (!at.IsDirectory) return -Errno.ENOTDIR;
            if (part == ".") continue;
            if (part == "..")
            {
                at = at.Parent!;
                continue;
            }
            InitramfsNode? next = at.Child(part);
            if (next == null) return -Errno.ENOENT;
            bool last = pending.Count == 0;
            if (FileType.Of(next.Mode) == FileType.S_IFLNK && (!last || followLast || trailingSlash))
            {
                if (++links > MaxSymlinks) return -Errno.ELOOP;
                string target = LinkText(next);
                if (target.Length == 0) return -Errno.ENOENT;
                if (target[0] == '/') at = _root;
                var expanded = new List<string>();
                Split(target, expanded);
                for (int i = 0; i < pending.Count; i++) expanded.Add(pending[i]);
                pending = expanded;
                continue;
            }
            at = next;
        }
        if (trailingSlash && !at.IsDirectory) return -Errno.ENOTDIR;
        node = at;
        return 0;
    }

    /// <summary>The bytes of a regular file's contents.</summary>
    public System.ReadOnlySpan<byte> Data(InitramfsNode node) => new System.ReadOnlySpan<byte>(_archive, node.DataOffset, node.DataLength);

    public string LinkText(InitramfsNode node)
    {
        var chars = new char[node.DataLength];
        for (int i = 0; i < chars.Length; i++) chars[i] = (char)_archive[node.DataOffset + i];
        return new string(chars);
    }

    private void Add(CpioEntry e)
    {
        var parts = new List<string>();
        Split(e.Name, parts);
        if (parts.Count == 0 || (parts.Count == 1 && parts[0] == "."))
        {
            _root.SetAttributes(e);
            return;
        }
        InitramfsNode dir = _root;
        for (int i = 0; i < parts.Count - 1; i++)
        {
            InitramfsNode? next = dir.Child(parts[i]);
            if (next == null)
            {
                next = new InitramfsNode(parts[i], FileType.S_IFDIR | 0x1ED, 0, dir);
                dir.AddChild(next);
            }
            if (!next.IsDirectory) return; // a file where a directory should be: the entry is dropped
            dir = next;
        }
        string name = parts[parts.Count - 1];
        InitramfsNode? existing = dir.Child(name);
        if (existing != null)
        {
            existing.SetAttributes(e);
            return;
        }
        var node = new InitramfsNode(name, e.Mode, e.Ino, dir);
        node.SetAttributes(e);
        dir.AddChild(node);
    }

    private static void Split(string path, List<string> into)
    {
        int i = 0;
        while (i < path.Length)
        {
            while (i < path.Length && path[i] == '/') i++;
            int start = i;
            while (i < path.Length && path[i] != '/') i++;
            if (i > start) into.Add(path.Substring(start, i - start));
        }
    }
}
