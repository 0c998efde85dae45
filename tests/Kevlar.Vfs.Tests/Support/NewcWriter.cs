// NewcWriter: writes synthetic newc/crc archives member by member, with raw
// control of every field, for the malformed-archive tests.
using System.Text;

namespace Kevlar.Vfs.Tests.Support;

public sealed class NewcWriter
{
    private readonly MemoryStream _bytes = new();

    /// <summary>Appends one member; <paramref name="nameSize"/> overrides c_namesize (the NUL is written only when <paramref name="nul"/>).</summary>
    public NewcWriter Add(string name, uint mode, byte[]? data = null, string magic = "070701", uint? nameSize = null,
        bool nul = true, uint check = 0, uint ino = 1, uint rdevMajor = 0, uint rdevMinor = 0, uint? fileSize = null)
    {
        data ??= Array.Empty<byte>();
        byte[] nameBytes = Encoding.Latin1.GetBytes(nul ? name + "\0" : name);
        uint[] fields = { ino, mode, 0, 0, 1, 1_700_000_000, fileSize ?? (uint)data.Length, 8, 1, rdevMajor, rdevMinor,
            nameSize ?? (uint)nameBytes.Length, check };
        var header = new StringBuilder(magic);
        foreach (uint f in fields)
            header.Append(f.ToString("X8"));
        Write(Encoding.ASCII.GetBytes(header.ToString()));
        Write(nameBytes);
        Pad();
        Write(data);
        Pad();
        return this;
    }

    public NewcWriter Trailer() => Add("TRAILER!!!", 0);

    /// <summary>Appends raw bytes (zero padding, garbage).</summary>
    public NewcWriter Raw(byte[] bytes)
    {
        Write(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    private void Write(byte[] b) => _bytes.Write(b);

    private void Pad()
    {
        while (_bytes.Length % 4 != 0)
            _bytes.WriteByte(0);
    }
}
