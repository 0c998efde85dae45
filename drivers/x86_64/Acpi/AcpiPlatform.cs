// AcpiPlatform: the one call the kernel makes at boot — find the RSDP, walk
// the root table, parse the MADT and, if present, the HPET and MCFG tables.
using System;
using Kevlar.Drivers.X86_64.Boot;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>Everything the kernel takes from ACPI at boot.</summary>
public sealed class AcpiPlatform
{
    private AcpiPlatform(Rsdp rsdp, AcpiRootTable root, Madt madt, bool hasHpet, HpetTable hpet, bool hasMcfg, McfgTable mcfg)
    {
        HasMcfg = hasMcfg;
        Mcfg = mcfg;
        Rsdp = rsdp;
        RootTable = root;
        Madt = madt;
        HasHpet = hasHpet;
        Hpet = hpet;
    }

    /// <summary>The RSDP that was used.</summary>
    public Rsdp Rsdp { get; }

    /// <summary>The RSDT or XSDT.</summary>
    public AcpiRootTable RootTable { get; }

    /// <summary>The parsed MADT (required: without it there is no SMP or I/O APIC).</summary>
    public Madt Madt { get; }

    /// <summary>True when a valid HPET table was found.</summary>
    public bool HasHpet { get; }

    /// <summary>The HPET table; meaningful only when <see cref="HasHpet"/>.</summary>
    public HpetTable Hpet { get; }

    /// <summary>True when an MCFG table gives segment 0's enhanced configuration window.</summary>
    public bool HasMcfg { get; }

    /// <summary>That window; meaningful only when <see cref="HasMcfg"/>.</summary>
    public McfgTable Mcfg { get; }

    /// <summary>
    /// Discovers the platform. <paramref name="rsdpHint"/> is the PVH
    /// rsdp_paddr, or 0 to scan the BIOS areas. Errors: any from
    /// <see cref="Rsdp.TryFind"/>, <see cref="AcpiRootTable.TryLoad"/>, the
    /// MADT lookup (TableNotFound), <see cref="AcpiTable.TryLoad"/> and
    /// <see cref="MadtParser.TryParse"/>. A missing or invalid HPET table is
    /// not an error: <see cref="HasHpet"/> is false.
    /// </summary>
    public static AcpiError TryDiscover(IPhysicalMemoryReader memory, ulong rsdpHint, out AcpiPlatform? platform)
    {
        platform = null;
        AcpiError error = Rsdp.TryFind(memory, rsdpHint, out Rsdp rsdp);
        if (error != AcpiError.None)
            return error;
        error = AcpiRootTable.TryLoad(memory, rsdp, out AcpiRootTable? root);
        if (error != AcpiError.None || root == null)
            return error;
        error = root.TryFind(memory, AcpiSignature.Madt, out ulong madtAddress);
        if (error != AcpiError.None)
            return error;
        error = AcpiTable.TryLoad(memory, madtAddress, AcpiSignature.Madt, MadtParser.EntriesOffset, out byte[] madtBytes);
        if (error != AcpiError.None)
            return error;
        error = MadtParser.TryParse(new ReadOnlySpan<byte>(madtBytes), out Madt? madt);
        if (error != AcpiError.None || madt == null)
            return error;
        bool hasHpet = TryLoadHpet(memory, root, out HpetTable hpet);
        bool hasMcfg = TryLoadMcfg(memory, root, out McfgTable mcfg);
        platform = new AcpiPlatform(rsdp, root, madt, hasHpet, hpet, hasMcfg, mcfg);
        return AcpiError.None;
    }

    private static bool TryLoadMcfg(IPhysicalMemoryReader memory, AcpiRootTable root, out McfgTable mcfg)
    {
        mcfg = default;
        if (root.TryFind(memory, AcpiSignature.Mcfg, out ulong address) != AcpiError.None)
            return false;
        if (AcpiTable.TryLoad(memory, address, AcpiSignature.Mcfg, McfgTable.EntriesOffset, out byte[] bytes) != AcpiError.None)
            return false;
        return McfgTable.TryParse(new ReadOnlySpan<byte>(bytes), out mcfg) == AcpiError.None;
    }

    private static bool TryLoadHpet(IPhysicalMemoryReader memory, AcpiRootTable root, out HpetTable hpet)
    {
        hpet = default;
        if (root.TryFind(memory, AcpiSignature.Hpet, out ulong address) != AcpiError.None)
            return false;
        if (AcpiTable.TryLoad(memory, address, AcpiSignature.Hpet, HpetTable.Size, out byte[] bytes) != AcpiError.None)
            return false;
        return HpetTable.TryParse(new ReadOnlySpan<byte>(bytes), out hpet) == AcpiError.None;
    }
}
