// Args: minimal `--name value` / `--flag` / positional parsing.
namespace Kevlar.Explorer;

public sealed class Args
{
    private readonly Dictionary<string, string?> _options = new();

    public List<string> Positional { get; } = new();

    public static Args Parse(string[] argv)
    {
        var a = new Args();
        for (int i = 0; i < argv.Length; i++)
        {
            string s = argv[i];
            if (!s.StartsWith("--", StringComparison.Ordinal))
            {
                a.Positional.Add(s);
                continue;
            }
            string name = s[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < argv.Length && !argv[i + 1].StartsWith("--", StringComparison.Ordinal) && !IsFlag(name))
            {
                value = argv[++i];
            }
            a._options[name] = value;
        }
        return a;
    }

    private static bool IsFlag(string name) => name is "list" or "measure" or "coverage" or "mutate" or "dense";

    /// <summary>Rejects any option not in <paramref name="known"/>.</summary>
    public void Only(params string[] known)
    {
        foreach (string name in _options.Keys)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                throw new ArgumentException("unknown option --" + name);
            }
        }
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.TryGetValue(name, out string? v) ? v : null;

    public uint? GetUInt(string name)
    {
        string? v = Get(name);
        if (v == null)
        {
            return null;
        }
        return uint.TryParse(v, out uint n) ? n : throw new ArgumentException("--" + name + " needs a number");
    }
}
