// CpioNewcReader: walks a cpio "newc" (070701) or "crc" (070702) archive the
// way Linux init/initramfs.c unpacks an initramfs: each member is the
// 110-byte header, the name (namesize bytes with its NUL) padded so the data
// starts 4-byte aligned, then the data padded to 4. "TRAILER!!!" ends an
// archive; archives may follow back to back, separated by zero bytes, each
// starting 4-byte aligned. Offsets and alignment count from the start of the
// span. Errors are values and stick: after one, every call returns it.
using System;
using System.Collections.Generic;
using Kevlar.Runtime.Text;

namespace Kevlar.Vfs.Initramfs;

/// <summary>A forward-only reader of the members of one or more concatenated newc/crc archives.</summary>
public ref struct CpioNewcReader
{
    private const string TrailerName = "TRAILER!!!";

    private readonly ReadOnlySpan<byte> _archive;
    private int _offset;
    private CpioError _error;
    private bool _atArchiveStart;

    public CpioNewcReader(ReadOnlySpan<byte> archive)
    {
        _archive = archive;
        _offset = 0;
        _error = CpioError.None;
        _atArchiveStart = true;
    }

    /// <summary>Where the next header is expected, from the start of the span.</summary>
    public int Offset => _offset;

    /// <summary>
    /// Reads the next member (trailers are consumed, not returned). Returns
    /// None with an entry; None with null at the end of the data; or an error
    /// with null: BadMagic, BadHex, Truncated (header, name or data past the
    /// end), EmptyName (namesize 0), MissingNul, BadPadding, BadChecksum.
    /// </summary>
    public CpioError ReadNext(out CpioEntry? entry)
    {
        entry = null;
        while (_error == CpioError.None)
        {
            if (_atArchiveStart && !SkipPadding())
                break;
            if (_offset == _archive.Length)
                return CpioError.None;
            _atArchiveStart = false;
            _error = ReadMember(out entry, out bool trailer);
            if (_error == CpioError.None && !trailer)
                return CpioError.None;
            _atArchiveStart = trailer;
        }
        entry = null;
        return _error;
    }

    /// <summary>Reads every member of <paramref name="archive"/> into <paramref name="entries"/>; stops at the first error.</summary>
    public static CpioError ReadAll(ReadOnlySpan<byte> archive, List<CpioEntry> entries)
    {
        var reader = new CpioNewcReader(archive);
        while (true)
        {
            CpioError error = reader.ReadNext(out CpioEntry? entry);
            if (error != CpioError.None || entry == null)
                return error;
            entries.Add(entry);
        }
    }

    /// <summary>Skips the zero bytes between archives; false (BadPadding set) when the next one is not 4-byte aligned.</summary>
    private bool SkipPadding()
    {
        while (_offset < _archive.Length && _archive[_offset] == 0)
            _offset++;
        if (_offset < _archive.Length && (_offset & 3) != 0)
        {
            _error = CpioError.BadPadding;
            return false;
        }
        return true;
    }

    /// <summary>Reads the member at _offset and moves past it.</summary>
    private CpioError ReadMember(out CpioEntry? entry, out bool trailer)
    {
        entry = null;
        trailer = false;
        if (_archive.Length - _offset < CpioHeader.Size)
            return CpioError.Truncated;
        var header = new CpioHeader();
        CpioError error = header.Read(_archive.Slice(_offset));
        if (error != CpioError.None)
            return error;
        error = ReadName(header, out ReadOnlySpan<byte> rawName);
        if (error != CpioError.None)
            return error;
        int dataOffset = AlignUp(_offset + CpioHeader.Size + (int)header.NameSize);
        error = CheckData(header, dataOffset);
        if (error != CpioError.None)
            return error;
        trailer = IsTrailer(rawName);
        if (!trailer)
            entry = MakeEntry(header, rawName, Math.Min(dataOffset, _archive.Length));
        _offset = Math.Min(AlignUp(dataOffset + (int)header.FileSize), _archive.Length);
        return CpioError.None;
    }

    /// <summary>The name up to its first NUL; EmptyName, Truncated or MissingNul when the name field is bad.</summary>
    private CpioError ReadName(CpioHeader header, out ReadOnlySpan<byte> name)
    {
        name = default;
        int start = _offset + CpioHeader.Size;
        if (header.NameSize == 0)
            return CpioError.EmptyName;
        if (header.NameSize > (uint)(_archive.Length - start))
            return CpioError.Truncated;
        ReadOnlySpan<byte> field = _archive.Slice(start, (int)header.NameSize);
        if (field[field.Length - 1] != 0)
            return CpioError.MissingNul;
        int length = 0;
        while (field[length] != 0)
            length++;
        name = field.Slice(0, length);
        return CpioError.None;
    }

    /// <summary>Truncated when the data runs past the end; BadChecksum when a crc regular file's sum is wrong.</summary>
    private CpioError CheckData(CpioHeader header, int dataOffset)
    {
        if (header.FileSize > 0 && (dataOffset > _archive.Length || header.FileSize > (uint)(_archive.Length - dataOffset)))
            return CpioError.Truncated;
        if (!header.HasChecksum || FileType.Of(header.Mode) != FileType.S_IFREG)
            return CpioError.None;
        uint sum = 0;
        for (int i = 0; i < (int)header.FileSize; i++)
            sum += _archive[dataOffset + i];
        return sum == header.Check ? CpioError.None : CpioError.BadChecksum;
    }

    private static CpioEntry MakeEntry(CpioHeader h, ReadOnlySpan<byte> rawName, int dataOffset)
    {
        uint[] f = h.Fields;
        ReadOnlySpan<byte> name = StripLeading(rawName);
        return new CpioEntry(name.IsEmpty ? "." : Latin1.Decode(name), f[0], f[1], f[2], f[3], f[4], f[5],
            f[7], f[8], f[9], f[10], f[12], dataOffset, (int)h.FileSize);
    }

    /// <summary>Drops leading "/" and "./", repeatedly.</summary>
    private static ReadOnlySpan<byte> StripLeading(ReadOnlySpan<byte> name)
    {
        while (true)
        {
            if (name.Length >= 1 && name[0] == (byte)'/')
                name = name.Slice(1);
            else if (name.Length >= 2 && name[0] == (byte)'.' && name[1] == (byte)'/')
                name = name.Slice(2);
            else
                break;
        }
        return name;
    }

    private static bool IsTrailer(ReadOnlySpan<byte> name)
    {
        if (name.Length != TrailerName.Length)
            return false;
        for (int i = 0; i < name.Length; i++)
            if (name[i] != TrailerName[i])
                return false;
        return true;
    }

    private static int AlignUp(int offset) => (offset + 3) & ~3;
}
