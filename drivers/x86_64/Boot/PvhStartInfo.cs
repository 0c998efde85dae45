// PvhStartInfo: the hvm_start_info structure a PVH loader (QEMU -kernel with
// an XEN_ELFNOTE_PHYS32_ENTRY note) passes in EBX, and accessors for the
// memory map, module list and command line it points to.
// Layout: Xen public/arch-x86/hvm/start_info.h, version 1 (56 bytes).
using System;
using System.Buffers.Binary;

namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>
/// The fixed part of <c>hvm_start_info</c>. A zero address field means "not
/// present". Reading it allocates nothing; the tables it points to are read
/// one entry at a time.
/// </summary>
public readonly struct PvhStartInfo
{
    /// <summary>XEN_HVM_START_MAGIC_VALUE ("xEn3" with the 0x80 bit of 'E').</summary>
    public const uint Magic = 0x336ec578;
    /// <summary>Bytes of a version 0 structure (up to rsdp_paddr).</summary>
    public const int SizeV0 = 40;
    /// <summary>Bytes of a version 1 structure (adds the memory map).</summary>
    public const int SizeV1 = 56;

    /// <summary>Physical address the structure was read from.</summary>
    public readonly ulong Address;
    /// <summary>Structure version; QEMU 7.2 fills in 1.</summary>
    public readonly uint Version;
    /// <summary>SIF_* flags.</summary>
    public readonly uint Flags;
    /// <summary>Number of entries in the module list.</summary>
    public readonly uint ModuleCount;
    /// <summary>Physical address of the module list, or 0.</summary>
    public readonly ulong ModuleListAddress;
    /// <summary>Physical address of the NUL-terminated command line, or 0.</summary>
    public readonly ulong CommandLineAddress;
    /// <summary>Physical address of the ACPI RSDP, or 0.</summary>
    public readonly ulong RsdpAddress;
    /// <summary>Physical address of the memory map (version 1 and later), or 0.</summary>
    public readonly ulong MemoryMapAddress;
    /// <summary>Entries in the memory map (0 before version 1).</summary>
    public readonly uint MemoryMapEntryCount;

    private PvhStartInfo(ulong address, ReadOnlySpan<byte> raw)
    {
        Address = address;
        Version = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(4));
        Flags = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(8));
        ModuleCount = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(12));
        ModuleListAddress = BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(16));
        CommandLineAddress = BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(24));
        RsdpAddress = BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(32));
        if (Version >= 1)
        {
            MemoryMapAddress = BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(40));
            MemoryMapEntryCount = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(48));
        }
        else
        {
            MemoryMapAddress = 0;
            MemoryMapEntryCount = 0;
        }
    }

    /// <summary>Bytes the structure occupies, for reserving it in the memory map.</summary>
    public int ByteSize => Version >= 1 ? SizeV1 : SizeV0;

    /// <summary>
    /// Reads and checks the structure at <paramref name="physAddr"/> (the EBX
    /// value at the PVH entry). Errors: ReadFailed, BadMagic.
    /// </summary>
    public static PvhError TryRead(IPhysicalMemoryReader memory, ulong physAddr, out PvhStartInfo info)
    {
        info = default;
        Span<byte> raw = stackalloc byte[SizeV1];
        if (!memory.TryRead(physAddr, raw.Slice(0, SizeV0)))
            return PvhError.ReadFailed;
        if (BinaryPrimitives.ReadUInt32LittleEndian(raw) != Magic)
            return PvhError.BadMagic;
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(4));
        if (version >= 1 && !memory.TryRead(physAddr + SizeV0, raw.Slice(SizeV0)))
            return PvhError.ReadFailed;
        info = new PvhStartInfo(physAddr, raw);
        return PvhError.None;
    }

    /// <summary>
    /// Reads memory map entry <paramref name="index"/>. Errors: NotPresent
    /// (no map, or index out of range), ReadFailed.
    /// </summary>
    public PvhError TryReadMemoryMapEntry(IPhysicalMemoryReader memory, int index, out PvhMemoryMapEntry entry)
    {
        entry = default;
        if (MemoryMapAddress == 0 || index < 0 || (uint)index >= MemoryMapEntryCount)
            return PvhError.NotPresent;
        Span<byte> raw = stackalloc byte[PvhMemoryMapEntry.Size];
        if (!memory.TryRead(MemoryMapAddress + (ulong)index * PvhMemoryMapEntry.Size, raw))
            return PvhError.ReadFailed;
        entry = PvhMemoryMapEntry.Parse(raw);
        return PvhError.None;
    }

    /// <summary>
    /// Reads module <paramref name="index"/> (QEMU passes -initrd as module 0).
    /// Errors: NotPresent, ReadFailed.
    /// </summary>
    public PvhError TryReadModule(IPhysicalMemoryReader memory, int index, out PvhModule module)
    {
        module = default;
        if (ModuleListAddress == 0 || index < 0 || (uint)index >= ModuleCount)
            return PvhError.NotPresent;
        Span<byte> raw = stackalloc byte[PvhModule.Size];
        if (!memory.TryRead(ModuleListAddress + (ulong)index * PvhModule.Size, raw))
            return PvhError.ReadFailed;
        module = PvhModule.Parse(raw);
        return PvhError.None;
    }

    /// <summary>
    /// Copies the command line (without its NUL) into <paramref name="dest"/>
    /// and sets <paramref name="length"/>. No command line gives length 0 and
    /// None. Errors: ReadFailed, CommandLineTooLong (no NUL within dest.Length
    /// bytes; dest then holds the first dest.Length bytes).
    /// </summary>
    public PvhError TryReadCommandLine(IPhysicalMemoryReader memory, Span<byte> dest, out int length)
    {
        return ReadCString(memory, CommandLineAddress, dest, out length);
    }

    /// <summary>Reads a NUL-terminated string one byte at a time (it may end at an unmapped page).</summary>
    internal static PvhError ReadCString(IPhysicalMemoryReader memory, ulong address, Span<byte> dest, out int length)
    {
        length = 0;
        if (address == 0)
            return PvhError.None;
        Span<byte> one = stackalloc byte[1];
        for (int i = 0; i < dest.Length; i++)
        {
            if (!memory.TryRead(address + (ulong)i, one))
                return PvhError.ReadFailed;
            if (one[0] == 0)
            {
                length = i;
                return PvhError.None;
            }
            dest[i] = one[0];
        }
        length = dest.Length;
        return PvhError.CommandLineTooLong;
    }
}
