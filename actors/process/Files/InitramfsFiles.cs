// InitramfsFiles: the files of the initramfs (a cpio newc archive) by path,
// for exec and read-only opens until the VFS mounts it as a tmpfs. Paths are
// absolute; ".", ".." and repeated slashes are resolved, symbolic links
// followed (at most 40, as Linux's MAXSYMLINKS) in every component.
using System.Collections.Generic;
using Kevlar.Vfs;
using Kevlar.Vfs.Initramfs;

namespace Kevlar.Process.Files;

public sealed class InitramfsFiles : IFileSource
{
    private const int MaxSymlinks = 40;
    private readonly byte[] _archive;
    private readonly List<CpioEntry> _entries = new List<CpioEntry>();

    private InitramfsFiles(byte[] archive)
    {
        _archive = archive;
    }

    /// <summary>Reads the archive's entries; a malformed archive keeps the entries before the damage.</summary>
    public static InitramfsFiles Load(byte[] archive, out CpioError error)
    {
        var files = new InitramfsFiles(archive);
        error = CpioNewcReader.ReadAll(archive, files._entries);
        return files;
    }

    public int Count => _entries.Count;

    public int TryReadFile(string path, out byte[] contents, out uint mode)
    {
        contents = new byte[0];
        mode = 0;
        int r = Resolve(path, true, out CpioEntry? e);
        if (r != 0 || e == null) return r != 0 ? r : -Errno.ENOENT;
        uint type = FileType.Of(e.Mode);
        if (type == FileType.S_IFDIR) return -Errno.EISDIR;
        if (type != FileType.S_IFREG) return -Errno.EACCES;
        contents = new byte[e.DataLength];
        System.Array.Copy(_archive, e.DataOffset, contents, 0, e.DataLength);
        mode = e.Mode;
        return 0;
    }

    public int TryReadLink(string path, out string target)
    {
        target = string.Empty;
        int r = Resolve(path, false, out CpioEntry? e);
        if (r != 0 || e == null) return r != 0 ? r : -Errno.ENOENT;
        if (FileType.Of(e.Mode) != FileType.S_IFLNK) return -Errno.EINVAL;
        target = LinkText(e);
        return 0;
    }

    // Walks path component by component from the root; follows links in the
    // middle always and at the end when asked.
    private int Resolve(string path, bool followLast, out CpioEntry? entry)
    {
        entry = null;
        if (path.Length == 0) return -Errno.ENOENT;
        if (path[0] != '/') path = string.Concat("/", path);
        var parts = new List<string>();
        int links = 0;
        var pending = new List<string>();
        Split(path, pending);
        while (pending.Count > 0)
        {
            string part = pending[0];
            pending.RemoveAt(0);
            if (part == "." ) continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
            CpioEntry? e = Find(Join(parts));
            if (e == null) return -Errno.ENOENT;
            uint type = FileType.Of(e.Mode);
            bool last = pending.Count == 0;
            if (type == FileType.S_IFLNK && (!last || followLast))
            {
                if (++links > MaxSymlinks) return -Errno.ELOOP;
                string target = LinkText(e);
                parts.RemoveAt(parts.Count - 1);
                if (target.Length > 0 && target[0] == '/') parts.Clear();
                var expanded = new List<string>();
                Split(target, expanded);
                for (int i = 0; i < pending.Count; i++) expanded.Add(pending[i]);
                pending = expanded;
                continue;
            }
            if (!last && type != FileType.S_IFDIR) return -Errno.ENOTDIR;
            if (last) entry = e;
        }
        if (entry == null) entry = parts.Count == 0 ? Find(".") ?? Find("") : Find(Join(parts));
        return entry == null ? -Errno.ENOENT : 0;
    }

    private CpioEntry? Find(string name)
    {
        for (int i = 0; i < _entries.Count; i++)
            if (_entries[i].Name == name) return _entries[i];
        return null;
    }

    private string LinkText(CpioEntry e)
    {
        var chars = new char[e.DataLength];
        for (int i = 0; i < chars.Length; i++) chars[i] = (char)_archive[e.DataOffset + i];
        return new string(chars);
    }

    private static void Split(string path, List<string> into)
    {
        int i = 0;
        while (i < path.Length)
        {
            while (i < path.Length && path[i] == '/') i++;
            int start = i;
            while (i < path.Length && path[i] != '/') i++;
            if (i > start) into.Add(Substring(path, start, i - start));
        }
    }

    private static string Join(List<string> parts)
    {
        string s = parts.Count > 0 ? parts[0] : string.Empty;
        for (int i = 1; i < parts.Count; i++) s = string.Concat(s, "/", parts[i]);
        return s;
    }

    private static string Substring(string s, int start, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = s[start + i];
        return new string(chars);
    }
}
