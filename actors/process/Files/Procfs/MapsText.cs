// MapsText: /proc/<pid>/maps (proc(5), fs/proc/task_mmu.c show_map_vma): one
// line per region in address order — "start-end perms offset major:minor
// inode", padded to column 73 before a name ([heap], [stack], the
// executable's path), or ending in a space when there is none, as Linux
// prints it. perms are r/w/x and p (private) or s (MAP_SHARED). Made on the
// process's own thread (ProcessQuery), where its memory map is whole.
// Neighbouring regions that Linux would have merged into one VMA (same
// rights, sharing, backing and name; a file's offsets continuing) show as
// one line: this map keeps each mmap and brk step as its own region.
using System.Text;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Text;
using Kevlar.Runtime.UserMode;
using Kevlar.Vfs;

namespace Kevlar.Process.Files.Procfs;

public static class MapsText
{
    private const int NameColumn = 73; // seq_setwidth(25 + 6 * sizeof(void *) - 1), then one space

    /// <summary>The maps text of <paramref name="p"/> (empty once it has exited, as a zombie's).</summary>
    public static string Of(UserProcess p)
    {
        if (p.Exited) return string.Empty;
        var sb = new StringBuilder();
        MemoryMap map = p.Memory;
        for (int i = 0; i < map.Count;)
        {
            MemoryRegion first = map[i];
            ulong end = first.End;
            for (i++; i < map.Count && Continues(map[i - 1], map[i]); i++) end = map[i].End;
            AppendLine(sb, first, end);
        }
        return sb.ToString();
    }

    private static bool Continues(MemoryRegion a, MemoryRegion b)
        => a.End == b.Start && !a.Shared && !b.Shared && a.Protection == b.Protection && a.Shared == b.Shared && a.Kind == b.Kind
           && a.Name == b.Name && a.FileInode == b.FileInode && a.FileDevice == b.FileDevice
           && (a.Kind != RegionKind.Image || a.FileOffset + (a.End - a.Start) == b.FileOffset);

    private static void AppendLine(StringBuilder sb, MemoryRegion r, ulong end)
    {
        int lineStart = sb.Length;
        sb.Append(NumberText.Digits(r.Start, 16, 8));
        sb.Append('-');
        sb.Append(NumberText.Digits(end, 16, 8));
        sb.Append(' ');
        sb.Append((r.Protection & PageProtection.Read) != 0 ? 'r' : '-');
        sb.Append((r.Protection & PageProtection.Write) != 0 ? 'w' : '-');
        sb.Append((r.Protection & PageProtection.Execute) != 0 ? 'x' : '-');
        sb.Append(r.Shared ? 's' : 'p');
        sb.Append(' ');
        sb.Append(NumberText.Digits(r.FileOffset, 16, 8));
        sb.Append(' ');
        sb.Append(NumberText.Digits(DeviceNumber.Major(r.FileDevice), 16, 2));
        sb.Append(':');
        sb.Append(NumberText.Digits(DeviceNumber.Minor(r.FileDevice), 16, 2));
        sb.Append(' ');
        sb.Append(NumberText.Decimal((long)r.FileInode));
        sb.Append(' ');
        if (r.Name != null)
        {
            while (sb.Length - lineStart < NameColumn) sb.Append(' ');
            sb.Append(r.Name);
        }
        sb.Append('\n');
    }

}
