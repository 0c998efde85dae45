// CpioEntry: one member of a cpio "newc"/"crc" archive, its header fields
// decoded (the SVR4 portable format, as in Linux
// Documentation/driver-api/early-userspace/buffer-format.rst). The file's
// bytes stay in the archive: [DataOffset, +DataLength).
using System;

namespace Kevlar.Vfs.Initramfs;

/// <summary>A decoded cpio header. A symlink's data is its target; a hard link repeats Ino with nlink > 1.</summary>
public sealed class CpioEntry
{
    public CpioEntry(string name, uint ino, uint mode, uint uid, uint gid, uint nlink, uint mtime,
        uint devMajor, uint devMinor, uint rdevMajor, uint rdevMinor, uint check, int dataOffset, int dataLength)
    {
        Name = name;
        Ino = ino;
        Mode = mode;
        Uid = uid;
        Gid = gid;
        Nlink = nlink;
        Mtime = mtime;
        DevMajor = devMajor;
        DevMinor = devMinor;
        RdevMajor = rdevMajor;
        RdevMinor = rdevMinor;
        Check = check;
        DataOffset = dataOffset;
        DataLength = dataLength;
    }

    /// <summary>Path inside the archive with any leading "/" and "./" removed; the root itself is ".". One byte per char (Kevlar.Runtime.Text.Latin1).</summary>
    public string Name { get; }
    /// <summary>c_ino: inode number, shared by hard links.</summary>
    public uint Ino { get; }
    /// <summary>c_mode: file type (FileType.S_IF*) and permission bits.</summary>
    public uint Mode { get; }
    /// <summary>c_uid.</summary>
    public uint Uid { get; }
    /// <summary>c_gid.</summary>
    public uint Gid { get; }
    /// <summary>c_nlink.</summary>
    public uint Nlink { get; }
    /// <summary>c_mtime: seconds since the epoch.</summary>
    public uint Mtime { get; }
    /// <summary>c_devmajor: device the file was archived from.</summary>
    public uint DevMajor { get; }
    /// <summary>c_devminor.</summary>
    public uint DevMinor { get; }
    /// <summary>c_rdevmajor: for a device node, the device it names.</summary>
    public uint RdevMajor { get; }
    /// <summary>c_rdevminor.</summary>
    public uint RdevMinor { get; }
    /// <summary>c_check: 0 in newc; in crc, the byte sum of a regular file's data (already verified).</summary>
    public uint Check { get; }
    /// <summary>Where the file's bytes start in the archive.</summary>
    public int DataOffset { get; }
    /// <summary>c_filesize: how many bytes the file has.</summary>
    public int DataLength { get; }

    /// <summary>The file's bytes within <paramref name="archive"/>, the span this entry was read from.</summary>
    public ReadOnlySpan<byte> DataIn(ReadOnlySpan<byte> archive) => archive.Slice(DataOffset, DataLength);
}
