// RecordingSink: an IOutputSink that keeps every byte written to it, for
// asserting exact echo and output bytes.
using Kevlar.Vfs.Tty;

namespace Kevlar.Vfs.Tests.Support;

public sealed class RecordingSink : IOutputSink
{
    private readonly List<byte> _bytes = new();

    public void Write(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) _bytes.Add(b);
    }

    /// <summary>What was written since the last Take, as Latin-1 text; clears it.</summary>
    public string Take()
    {
        string s = new string(_bytes.Select(b => (char)b).ToArray());
        _bytes.Clear();
        return s;
    }
}
