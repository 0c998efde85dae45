// CHeader: the numeric #defines of a C header on the host (Linux UAPI and
// glibc headers), the reference for the constants the kernel re-declares.
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public static class CHeader
{
    private static readonly Regex Define = new(@"^\s*#\s*define\s+(\w+)\s+(\w+|\(1\s*<<\s*\d+\))", RegexOptions.Compiled);
    private static readonly Regex Shift = new(@"^\(1\s*<<\s*(\d+)\)$", RegexOptions.Compiled);

    /// <summary>Name to value for every "#define NAME number-or-earlier-NAME" in the files, in order.</summary>
    public static Dictionary<string, ulong> Defines(params string[] paths)
    {
        var values = new Dictionary<string, ulong>();
        foreach (string path in paths)
        {
            Assert.True(File.Exists(path), path + " is missing (Debian package linux-libc-dev / libc6-dev)");
            foreach (string line in File.ReadLines(path))
            {
                Match m = Define.Match(line);
                if (!m.Success)
                    continue;
                string text = m.Groups[2].Value;
                if (values.TryGetValue(text, out ulong alias))
                    values[m.Groups[1].Value] = alias;
                else if (TryNumber(text, out ulong number))
                    values[m.Groups[1].Value] = number;
            }
        }
        return values;
    }

    private static bool TryNumber(string text, out ulong value)
    {
        Match shift = Shift.Match(text);
        if (shift.Success)
        {
            value = 1UL << int.Parse(shift.Groups[1].Value);
            return true;
        }
        text = text.TrimEnd('U', 'u', 'L', 'l');
        if (text.StartsWith("0x") || text.StartsWith("0X"))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, null, out value);
        return ulong.TryParse(text, out value);
    }

    /// <summary>The public constants of <paramref name="type"/> as name to value.</summary>
    public static Dictionary<string, ulong> ConstantsOf(Type type) =>
        type.GetFields().Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => Convert.ToUInt64(f.GetRawConstantValue()));
}
