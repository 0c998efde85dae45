// ReadElfListing: what `readelf -lhW` says about an executable, parsed from
// its text: the reference the parser is checked against.
using System.Globalization;

namespace Kevlar.Process.Tests.Support;

public sealed class ReadElfListing
{
    public sealed record Header(string Type, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize, string Flags, ulong Alignment);

    public string FileType { get; private set; } = "";
    public ulong Entry { get; private set; }
    public int ProgramHeaderCount { get; private set; }
    public ulong ProgramHeaderOffset { get; private set; }
    public string? Interpreter { get; private set; }
    public List<Header> Headers { get; } = new();

    public IEnumerable<Header> OfType(string type) => Headers.Where(h => h.Type == type);

    public static ReadElfListing Of(string path)
    {
        string text = HostTools.Run("readelf", Path.GetDirectoryName(path)!, "-lhW", path);
        var listing = new ReadElfListing();
        bool inHeaders = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("Type:"))
                listing.FileType = line.Substring(5).Trim().Split(' ')[0];
            else if (line.StartsWith("Entry point address:"))
                listing.Entry = Hex(line.Split(':')[1].Trim());
            else if (line.StartsWith("Number of program headers:"))
                listing.ProgramHeaderCount = int.Parse(line.Split(':')[1].Trim());
            else if (line.StartsWith("Start of program headers:"))
                listing.ProgramHeaderOffset = ulong.Parse(line.Split(':')[1].Trim().Split(' ')[0]);
            else if (line.StartsWith("[Requesting program interpreter:"))
                listing.Interpreter = line.Substring(33).TrimEnd(']').Trim();
            else if (line.StartsWith("Type ") && line.Contains("VirtAddr"))
                inHeaders = true;
            else if (inHeaders && line.Length == 0)
                inHeaders = false;
            else if (inHeaders && !line.StartsWith("["))
                listing.Headers.Add(ParseHeader(line));
        }
        return listing;
    }

    /// <summary>Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align, where Flg may hold spaces ("R E").</summary>
    private static Header ParseHeader(string line)
    {
        string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string flags = string.Concat(t.Skip(6).Take(t.Length - 7));
        return new Header(t[0], Hex(t[1]), Hex(t[2]), Hex(t[4]), Hex(t[5]), flags, Hex(t[^1]));
    }

    private static ulong Hex(string s) => ulong.Parse(s.StartsWith("0x") ? s.Substring(2) : s, NumberStyles.HexNumber);
}
