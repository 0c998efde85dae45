// The I/O APICs (Intel 82093AA I/O APIC datasheet, order 290566-001), found
// through the MADT: each routes its global system interrupts (GSIs) to local
// APICs. Registers are reached indirectly (§3.0): write the register index to
// IOREGSEL (offset 0x00), then read or write IOWIN (offset 0x10). Index 0x01 is
// IOAPICVER, whose bits 23:16 hold the highest redirection entry; entry n is
// the 64-bit register pair at indices 0x10 + 2n (low) and 0x11 + 2n (high).
// Redirection entry bits (§3.2.4): 7:0 vector, 10:8 delivery mode (000 fixed),
// 11 destination mode (0 physical), 13 polarity (1 active low), 15 trigger
// mode (1 level), 16 mask, 63:56 destination APIC ID.
//
// State: written on the boot CPU before other CPUs or interrupts use it.
using Kevlar.Drivers.X86_64.Acpi;
using Kevlar.Drivers.X86_64.Memory;

namespace Kevlar.Drivers.X86_64.Apic;

public static class IoApic
{
    private const uint RegisterSelect = 0x00, Window = 0x10;
    private const uint VersionIndex = 0x01, RedirectionBase = 0x10;
    private const ulong ActiveLow = 1UL << 13, LevelTriggered = 1UL << 15, Masked = 1UL << 16;

    // Per I/O APIC, in MADT order: register window (direct map), first GSI, entry count.
    private static ulong[] s_base = null!;  // no initializers: a static constructor would run before the heap exists
    private static uint[] s_gsiBase = null!;
    private static int[] s_entries = null!;
    private static int s_count;

    /// <summary>Maps every I/O APIC of <paramref name="madt"/> and masks all its entries.</summary>
    public static void Initialize(Madt madt)
    {
        MadtIoApic[] all = madt.IoApics;
        s_count = all.Length;
        s_base = new ulong[s_count];
        s_gsiBase = new uint[s_count];
        s_entries = new int[s_count];
        for (int i = 0; i < s_count; i++)
        {
            s_base[i] = PageTables.MapMmio(all[i].Address, 0x1000);
            s_gsiBase[i] = all[i].GsiBase;
            s_entries[i] = (int)(Read(i, VersionIndex) >> 16 & 0xFF) + 1;
            for (int n = 0; n < s_entries[i]; n++) WriteEntry(i, n, Masked);
        }
    }

    /// <summary>Number of I/O APICs found.</summary>
    public static int Count => s_count;

    /// <summary>Delivers <paramref name="gsi"/> as a fixed interrupt with <paramref name="vector"/> to
    /// the local APIC <paramref name="apicId"/> (physical mode), unmasked; false when no I/O APIC
    /// serves that GSI.</summary>
    public static bool Route(uint gsi, int vector, uint apicId, bool activeLow, bool levelTriggered)
    {
        for (int i = 0; i < s_count; i++)
        {
            if (gsi < s_gsiBase[i] || gsi >= s_gsiBase[i] + (uint)s_entries[i]) continue;
            ulong entry = (ulong)(byte)vector | (ulong)apicId << 56;
            if (activeLow) entry |= ActiveLow;
            if (levelTriggered) entry |= LevelTriggered;
            WriteEntry(i, (int)(gsi - s_gsiBase[i]), entry);
            return true;
        }
        return false;
    }

    // The high half (destination) first, so the entry is never unmasked with a stale destination.
    private static void WriteEntry(int ioApic, int n, ulong entry)
    {
        uint index = RedirectionBase + 2 * (uint)n;
        Write(ioApic, index, (uint)Masked);
        Write(ioApic, index + 1, (uint)(entry >> 32));
        Write(ioApic, index, (uint)entry);
    }

    // Safety: s_base[ioApic] is the I/O APIC's register page, mapped uncached by Initialize.
    private static unsafe uint Read(int ioApic, uint index)
    {
        *(uint*)(s_base[ioApic] + RegisterSelect) = index;
        return *(uint*)(s_base[ioApic] + Window);
    }

    // Safety: as Read.
    private static unsafe void Write(int ioApic, uint index, uint value)
    {
        *(uint*)(s_base[ioApic] + RegisterSelect) = index;
        *(uint*)(s_base[ioApic] + Window) = value;
    }
}
