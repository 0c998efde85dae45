// DevptsOptions: devpts's mount options (Documentation/filesystems/devpts.rst,
// fs/devpts/inode.c): uid= and gid= for new slave nodes (else the opener's),
// mode= for them (default 0600), ptmxmode= for the instance's own ptmx node
// (default 0000), max= ptys, newinstance (accepted; there is one instance),
// and the generic words. Anything else is -EINVAL.
namespace Kevlar.Vfs.Filesystems;

public sealed class DevptsOptions
{
    /// <summary>Linux's NR_UNIX98_PTY_MAX.</summary>
    public const int PtyMax = 1 << 20;

    public bool HasUid, HasGid;
    public uint Uid, Gid;
    public uint Mode = 0x180;
    public uint PtmxMode;
    public int Max = PtyMax;

    /// <summary>devpts_show_options: uid and gid when given, mode and ptmxmode always, max when set.</summary>
    public string Text()
    {
        var sb = new System.Text.StringBuilder();
        if (HasUid) sb.Append(",uid=").Append(Uid);
        if (HasGid) sb.Append(",gid=").Append(Gid);
        sb.Append(",mode=").Append(Kevlar.Runtime.Text.NumberText.Digits(Mode, 8, 3)).Append(",ptmxmode=").Append(Kevlar.Runtime.Text.NumberText.Digits(PtmxMode, 8, 3));
        if (Max < PtyMax) sb.Append(",max=").Append(Max);
        return sb.ToString();
    }

    /// <summary>Parses a mount(2) data string into a new set of options: 0 or -EINVAL.</summary>
    public static int Parse(string data, out DevptsOptions options, out bool readOnly)
    {
        options = new DevptsOptions();
        readOnly = false;
        string[] parts = data.Split(',', System.StringSplitOptions.None);
        for (int i = 0; i < parts.Length; i++)
        {
            string option = parts[i];
            if (option.Length == 0 || option == "newinstance" || TmpfsOptionParser.IsGenericWord(option, ref readOnly))
                continue;
            int eq = option.IndexOf('=');
            if (eq < 0 || !options.Set(option.Substring(0, eq), option.Substring(eq + 1)))
                return -Errno.EINVAL;
        }
        return 0;
    }

    private bool Set(string key, string value)
    {
        uint number;
        switch (key)
        {
            case "uid":
                if (!uint.TryParse(value, out Uid) || Uid == uint.MaxValue) return false;
                HasUid = true;
                return true;
            case "gid":
                if (!uint.TryParse(value, out Gid) || Gid == uint.MaxValue) return false;
                HasGid = true;
                return true;
            case "mode":
                if (!TmpfsOptionParser.ParseOctal(value, out number)) return false;
                Mode = number & FileMode.S_IALLUGO;
                return true;
            case "ptmxmode":
                if (!TmpfsOptionParser.ParseOctal(value, out number)) return false;
                PtmxMode = number & FileMode.S_IALLUGO;
                return true;
            case "max":
                if (!int.TryParse(value, out int max) || max < 0) return false;
                Max = max < PtyMax ? max : PtyMax;
                return true;
        }
        return false;
    }
}
