// Vdso: the vDSO and its [vvar] page as every exec maps them (Linux's
// layout: [vvar] read-only, then [vdso] read+execute right above it;
// AT_SYSINFO_EHDR points at the vDSO's ELF header). The bytes come from the
// platform (drivers/x86_64/Vdso); each process gets its own copy of the pages,
// shared copy-on-write across fork like any private mapping — the [vvar] data
// never changes after boot, so a copy is as good as a shared frame. Where the
// platform has none (host tests), exec maps nothing and AT_SYSINFO_EHDR is 0,
// which C libraries read as "no vDSO".
using System;
using System.Buffers.Binary;
using Kevlar.Process.Memory;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Exec;

public sealed class Vdso
{
    /// <summary>Where [vvar] is mapped: between the mmap area (below) and the stack; fixed, as
    /// PieBase is, so runs are reproducible.</summary>
    public const ulong VvarAddress = MemoryMap.MmapTop;
    /// <summary>The vDSO's ELF header, one page above.</summary>
    public const ulong ImageAddress = VvarAddress + MemoryMap.PageSize;
    /// <summary>Largest image accepted (Linux's is two pages).</summary>
    public const int MaxImageBytes = 4 * (int)MemoryMap.PageSize;

    private const uint PT_LOAD = 1;
    private const ushort ET_DYN = 3;

    private readonly byte[] _image;
    private readonly byte[] _vvar;

    private Vdso(byte[] image, byte[] vvar)
    {
        _image = image;
        _vvar = vvar;
    }

    /// <summary>A vDSO for <paramref name="image"/> (an ELF shared object whose loadable segments
    /// sit at their file offsets, mapped as it is) and <paramref name="vvar"/> (one page); null
    /// when either is not that.</summary>
    public static Vdso? TryCreate(byte[] image, byte[] vvar)
    {
        if (vvar.Length != (int)MemoryMap.PageSize || image.Length < 64 || image.Length > MaxImageBytes) return null;
        ReadOnlySpan<byte> e = image;
        if (e[0] != 0x7F || e[1] != (byte)'E' || e[2] != (byte)'L' || e[3] != (byte)'F' || e[4] != 2 || e[5] != 1) return null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(16)) != ET_DYN) return null;
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(32));
        int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(54)), phnum = BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(56));
        if (phentsize != 56 || phoff > (ulong)image.Length || (ulong)image.Length - phoff < (ulong)(phnum * phentsize)) return null;
        for (int i = 0; i < phnum; i++)
        {
            ReadOnlySpan<byte> ph = e.Slice((int)phoff + i * phentsize, phentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != PT_LOAD) continue;
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(ph.Slice(8)), vaddr = BinaryPrimitives.ReadUInt64LittleEndian(ph.Slice(16));
            ulong fileSize = BinaryPrimitives.ReadUInt64LittleEndian(ph.Slice(32)), memSize = BinaryPrimitives.ReadUInt64LittleEndian(ph.Slice(40));
            if (offset != vaddr || fileSize != memSize || offset > (ulong)image.Length || (ulong)image.Length - offset < fileSize) return null;
        }
        return new Vdso(image, vvar);
    }

    /// <summary>Bytes of the [vdso] mapping.</summary>
    public ulong ImageBytes => MemoryMap.PageUp((ulong)_image.Length);

    /// <summary>Maps [vvar] and [vdso] into <paramref name="p"/>'s fresh image (exec): 0, or
    /// -ENOMEM when no frame was free or the range is taken.</summary>
    internal int Map(UserProcess p)
    {
        ulong end = ImageAddress + ImageBytes;
        if (!p.Memory.IsFree(VvarAddress, end)) return -Errno.ENOMEM;
        p.Memory.Add(new MemoryRegion(VvarAddress, ImageAddress, PageProtection.Read, RegionKind.Anonymous, "[vvar]"));
        p.Memory.Add(new MemoryRegion(ImageAddress, end, PageProtection.Read | PageProtection.Execute, RegionKind.Anonymous, "[vdso]"));
        if (!p.Pages.MapZeroed(VvarAddress, PageProtection.Read) || p.Pages.Write(VvarAddress, _vvar) != _vvar.Length) return -Errno.ENOMEM;
        for (ulong page = ImageAddress; page < end; page += MemoryMap.PageSize)
            if (!p.Pages.MapZeroed(page, PageProtection.Read | PageProtection.Execute)) return -Errno.ENOMEM;
        return p.Pages.Write(ImageAddress, _image) == _image.Length ? 0 : -Errno.ENOMEM;
    }
}
