// FakeConsole: the host twin of the console device; keeps every byte written.
using System.Text;
using Kevlar.Runtime.Devices;

namespace Kevlar.Process.Tests.Support;

public sealed class FakeConsole : IConsoleDevice
{
    private readonly List<byte> _bytes = new();

    public byte[] Bytes => _bytes.ToArray();

    /// <summary>The output as Latin-1 text (the kernel's byte strings are one byte per char).</summary>
    public string Text => Encoding.Latin1.GetString(_bytes.ToArray());

    public void Write(ReadOnlySpan<byte> bytes) => _bytes.AddRange(bytes.ToArray());
}
