// TmpfsOptionParser: the data string of mount(2) for tmpfs, as mm/shmem.c's
// shmem_parse_one reads it — comma-separated size=N[kmgtpe%], nr_inodes=N[kmgtpe],
// mode=octal, uid=, gid= — plus the generic superblock words the VFS takes
// from any data string (ro, rw, sync, ...). Anything else is -EINVAL, as
// Linux's "tmpfs: Unknown parameter".
namespace Kevlar.Vfs.Filesystems;

/// <summary>What a tmpfs data string asked for; the Has* flags say which options were given (remount changes only those).</summary>
public sealed class TmpfsMountRequest
{
    public TmpfsOptions Options { get; } = new TmpfsOptions();
    public bool HasSize { get; set; }
    public bool HasInodes { get; set; }
    /// <summary>"ro" was given (the superblock is read-only); "rw" clears it.</summary>
    public bool ReadOnly { get; set; }
}

public static class TmpfsOptionParser
{
    /// <summary>
    /// Parses <paramref name="data"/> into <paramref name="request"/>, whose
    /// limits start at <paramref name="defaultPages"/> pages and as many inodes
    /// (tmpfs's default: half of RAM). 0, or -EINVAL for an unknown option or a
    /// bad number. <paramref name="ramPages"/> is what size=N% is a share of.
    /// </summary>
    public static int Parse(string data, long ramPages, long defaultPages, TmpfsMountRequest request)
    {
        request.Options.MaxPages = defaultPages;
        request.Options.MaxInodes = defaultPages;
        string[] parts = data.Split(',', System.StringSplitOptions.None);
        for (int i = 0; i < parts.Length; i++)
        {
            int r = ParseOne(parts[i], ramPages, request);
            if (r != 0)
                return r;
        }
        return 0;
    }

    /// <summary>True for the superblock words fs_context takes from any data string.</summary>
    public static bool IsGenericWord(string option, ref bool readOnly)
    {
        if (option == "ro" || option == "rw")
        {
            readOnly = option == "ro";
            return true;
        }
        return option == "sync" || option == "async" || option == "dirsync" || option == "lazytime"
            || option == "nolazytime" || option == "mand" || option == "nomand" || option == "silent";
    }

    private static int ParseOne(string option, long ramPages, TmpfsMountRequest request)
    {
        if (option.Length == 0)
            return 0;
        bool ro = request.ReadOnly;
        if (IsGenericWord(option, ref ro))
        {
            request.ReadOnly = ro;
            return 0;
        }
        int eq = option.IndexOf('=');
        if (eq < 0)
            return -Errno.EINVAL;
        string key = option.Substring(0, eq), value = option.Substring(eq + 1);
        TmpfsOptions o = request.Options;
        switch (key)
        {
            case "size":
                if (!ParseSize(value, ramPages, true, out long bytesOrPages, out bool percent))
                    return -Errno.EINVAL;
                o.MaxPages = percent ? bytesOrPages : (bytesOrPages + 4095) / 4096;
                request.HasSize = true;
                return 0;
            case "nr_inodes":
                if (!ParseSize(value, ramPages, false, out long inodes, out _))
                    return -Errno.EINVAL;
                o.MaxInodes = inodes;
                request.HasInodes = true;
                return 0;
            case "mode":
                if (!ParseOctal(value, out uint mode))
                    return -Errno.EINVAL;
                o.RootMode = mode & 0xFFF;
                return 0;
            case "uid":
                if (!uint.TryParse(value, out uint uid) || uid == uint.MaxValue)
                    return -Errno.EINVAL;
                o.RootUid = uid;
                return 0;
            case "gid":
                if (!uint.TryParse(value, out uint gid) || gid == uint.MaxValue)
                    return -Errno.EINVAL;
                o.RootGid = gid;
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>memparse: digits and an optional k/m/g/t/p/e suffix (×1024 each); with
    /// <paramref name="allowPercent"/>, "N%" is N percent of <paramref name="ramPages"/>, in pages.</summary>
    private static bool ParseSize(string text, long ramPages, bool allowPercent, out long value, out bool percent)
    {
        value = 0;
        percent = false;
        int i = 0;
        while (i < text.Length && text[i] >= '0' && text[i] <= '9')
        {
            if (value > long.MaxValue / 10 - 10)
                return false;
            value = value * 10 + (text[i] - '0');
            i++;
        }
        if (i == 0)
            return false;
        if (i == text.Length)
            return true;
        if (i != text.Length - 1)
            return false;
        char suffix = text[i];
        if (suffix == '%' && allowPercent)
        {
            percent = true;
            value = ramPages / 100 * value + ramPages % 100 * value / 100;
            return true;
        }
        int shift = suffix switch { 'k' or 'K' => 10, 'm' or 'M' => 20, 'g' or 'G' => 30, 't' or 'T' => 40, 'p' or 'P' => 50, 'e' or 'E' => 60, _ => -1 };
        if (shift < 0 || value > (long.MaxValue >> shift))
            return false;
        value <<= shift;
        return true;
    }

    internal static bool ParseOctal(string text, out uint value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 11)
            return false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] < '0' || text[i] > '7')
                return false;
            value = value * 8 + (uint)(text[i] - '0');
        }
        return true;
    }
}
