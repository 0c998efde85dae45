// MountTree paths: the absolute path of a directory as seen from a root
// (getcwd, /proc/self/cwd, /proc/mounts), crossing from mount roots to their
// mountpoints. Names are walked upward through DirectoryInode.Parent, which
// is well defined because directories have exactly one name.
using System.Collections.Generic;
using System.Text;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Mounts;

public sealed partial class MountTree
{
    /// <summary>
    /// The absolute path of directory <paramref name="at"/> seen from
    /// <paramref name="root"/>. 0; -ENOENT when the directory was removed;
    /// -ENOTDIR when it is not a directory. A place outside
    /// <paramref name="root"/> gets getcwd(2)'s "(unreachable)" prefix.
    /// </summary>
    public int PathOf(Location at, Location root, out string path)
    {
        path = "";
        if (at.Inode is not DirectoryInode)
            return -Errno.ENOTDIR;
        if (((DirectoryInode)at.Inode).IsDead)
            return -Errno.ENOENT;
        var names = new List<string>();
        bool reachable = CollectNames(at, root, names);
        var sb = new StringBuilder();
        if (!reachable)
            sb.Append("(unreachable)");
        for (int i = names.Count - 1; i >= 0; i--)
            sb.Append('/').Append(names[i]);
        if (names.Count == 0)
            sb.Append('/');
        path = sb.ToString();
        return 0;
    }

    /// <summary>
    /// /proc/mounts: one line per mount reachable from <paramref name="root"/>,
    /// in mount order: "source mountpoint type options 0 0", with space, tab,
    /// newline and backslash written as octal escapes (\040) as Linux does.
    /// </summary>
    public void WriteProcMounts(Location root, StringBuilder sb)
    {
        for (int i = 0; i < _inOrder.Count; i++)
        {
            Mount m = _inOrder[i];
            var names = new List<string>();
            if (!CollectNames(new Location(m, m.Root), root, names))
                continue;
            AppendEscaped(sb, m.Source);
            sb.Append(' ');
            AppendPath(sb, names);
            sb.Append(' ');
            AppendEscaped(sb, m.Filesystem.TypeName);
            sb.Append(' ');
            m.AppendOptions(sb);
            sb.Append(" 0 0\n");
        }
    }

    /// <summary>
    /// /proc/[pid]/mountinfo (proc(5)): one line per mount reachable from
    /// <paramref name="root"/>, in mount order: mount id, parent's id (its own
    /// for the tree's root mount), st_dev as major:minor, the mount's root
    /// within its filesystem, the mountpoint, the mount's options, no optional
    /// fields (every mount is private), "-", type, source, superblock options;
    /// names escaped as in /proc/mounts.
    /// </summary>
    public void WriteMountInfo(Location root, StringBuilder sb)
    {
        var names = new List<string>();
        for (int i = 0; i < _inOrder.Count; i++)
        {
            Mount m = _inOrder[i];
            names.Clear();
            if (!CollectNames(new Location(m, m.Root), root, names))
                continue;
            sb.Append(m.Id).Append(' ').Append(m.Parent != null ? m.Parent.Id : m.Id).Append(' ');
            sb.Append(DeviceNumber.Major(m.Filesystem.Device)).Append(':').Append(DeviceNumber.Minor(m.Filesystem.Device)).Append(' ');
            AppendPath(sb, NamesInFilesystem(m.Root));
            sb.Append(' ');
            AppendPath(sb, names);
            sb.Append(' ');
            m.AppendMountOptions(sb);
            sb.Append(" - ");
            AppendEscaped(sb, m.Filesystem.TypeName);
            sb.Append(' ');
            AppendEscaped(sb, m.Source);
            sb.Append(' ');
            m.AppendSuperOptions(sb);
            sb.Append('\n');
        }
    }

    // The directory's names up to its filesystem's root (innermost first).
    private static List<string> NamesInFilesystem(DirectoryInode dir)
    {
        var names = new List<string>();
        while (!ReferenceEquals(dir, dir.Filesystem.Root) && !ReferenceEquals(dir.Parent, dir))
        {
            names.Add(dir.NameInParent);
            dir = dir.Parent;
        }
        return names;
    }

    // "/" and the names outermost first, escaped.
    private static void AppendPath(StringBuilder sb, List<string> innermostFirst)
    {
        if (innermostFirst.Count == 0)
            sb.Append('/');
        for (int j = innermostFirst.Count - 1; j >= 0; j--)
        {
            sb.Append('/');
            AppendEscaped(sb, innermostFirst[j]);
        }
    }

    /// <summary>Names from <paramref name="at"/> up to <paramref name="root"/> (innermost first); false when the top of the tree was reached without meeting root.</summary>
    private static bool CollectNames(Location at, Location root, List<string> names)
    {
        while (at != root)
        {
            if (at.IsMountRoot)
            {
                Mount m = at.Mount;
                if (m.Parent == null)
                    return false;
                at = new Location(m.Parent, m.Mountpoint!);
                continue;
            }
            var dir = (DirectoryInode)at.Inode;
            names.Add(dir.NameInParent);
            at = new Location(at.Mount, dir.Parent);
        }
        return true;
    }

    private static void AppendEscaped(StringBuilder sb, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\\')
            {
                sb.Append('\\');
                sb.Append((char)('0' + ((c >> 6) & 7)));
                sb.Append((char)('0' + ((c >> 3) & 7)));
                sb.Append((char)('0' + (c & 7)));
            }
            else
            {
                sb.Append(c);
            }
        }
    }
}
