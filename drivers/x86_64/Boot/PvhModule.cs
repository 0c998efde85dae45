// PvhModule: one hvm_modlist_entry (Xen public/arch-x86/hvm/start_info.h),
// e.g. the initrd QEMU loads with -initrd.
using System;
using System.Buffers.Binary;

namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>
/// One module, 32 bytes: u64 paddr, u64 size, u64 cmdline_paddr, u64 reserved.
/// </summary>
public readonly struct PvhModule
{
    /// <summary>Size of one entry in the module list.</summary>
    public const int Size = 32;

    /// <summary>Physical address of the module's bytes.</summary>
    public readonly ulong Address;
    /// <summary>Length in bytes.</summary>
    public readonly ulong Length;
    /// <summary>Physical address of its NUL-terminated command line, or 0.</summary>
    public readonly ulong CommandLineAddress;

    /// <summary>Creates a module descriptor.</summary>
    public PvhModule(ulong address, ulong length, ulong commandLineAddress)
    {
        Address = address;
        Length = length;
        CommandLineAddress = commandLineAddress;
    }

    /// <summary>Decodes a module entry from its little-endian bytes.</summary>
    public static PvhModule Parse(ReadOnlySpan<byte> raw)
    {
        return new PvhModule(
            BinaryPrimitives.ReadUInt64LittleEndian(raw),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(16)));
    }
}
