// Madt: what the Multiple APIC Description Table ("APIC", ACPI 6.5 §5.2.12)
// says about interrupt controllers: the local APIC address, the CPUs, the
// I/O APICs, ISA interrupt overrides and NMI wiring.
namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>A parsed MADT; built by <see cref="MadtParser"/>, immutable after.</summary>
public sealed class Madt
{
    /// <summary>MADT flag bit 0: the machine also has dual 8259 PICs to mask.</summary>
    public const uint FlagPcatCompat = 1;

    internal Madt(ulong localApicAddress, uint flags, MadtProcessor[] processors, MadtIoApic[] ioApics,
        MadtInterruptOverride[] overrides, MadtLocalApicNmi[] nmis)
    {
        LocalApicAddress = localApicAddress;
        Flags = flags;
        Processors = processors;
        IoApics = ioApics;
        InterruptOverrides = overrides;
        LocalApicNmis = nmis;
    }

    /// <summary>Local APIC physical address: the type 5 override if present, else the header's 32-bit field.</summary>
    public ulong LocalApicAddress { get; }

    /// <summary>MADT flags (<see cref="FlagPcatCompat"/>).</summary>
    public uint Flags { get; }

    /// <summary>CPUs flagged enabled or online-capable, in table order (the BSP first on QEMU).</summary>
    public MadtProcessor[] Processors { get; }

    /// <summary>I/O APICs, in table order.</summary>
    public MadtIoApic[] IoApics { get; }

    /// <summary>Interrupt source overrides, in table order.</summary>
    public MadtInterruptOverride[] InterruptOverrides { get; }

    /// <summary>Local APIC NMI entries, in table order.</summary>
    public MadtLocalApicNmi[] LocalApicNmis { get; }

    /// <summary>Number of CPUs flagged enabled (startable now).</summary>
    public int EnabledProcessorCount
    {
        get
        {
            int n = 0;
            for (int i = 0; i < Processors.Length; i++)
            {
                if (Processors[i].IsEnabled)
                    n++;
            }
            return n;
        }
    }

    /// <summary>
    /// The GSI ISA <paramref name="irq"/> arrives on: its override's GSI, or
    /// the IRQ number itself (identity mapping) when there is none.
    /// </summary>
    /// <summary>The polarity and trigger mode of ISA <paramref name="irq"/>: an interrupt source
    /// override's when there is one, else <paramref name="activeLow"/> and <paramref name="level"/>
    /// as given (ISA's edge/high, or a PCI line's level/low).</summary>
    public void IrqMode(byte irq, ref bool activeLow, ref bool level)
    {
        for (int i = 0; i < InterruptOverrides.Length; i++)
        {
            MadtInterruptOverride o = InterruptOverrides[i];
            if (o.Bus != 0 || o.SourceIrq != irq) continue;
            if ((o.Flags & 0x3) != 0) activeLow = o.IsActiveLow;
            if ((o.Flags & 0xC) != 0) level = o.IsLevelTriggered;
        }
    }

    public uint IsaIrqToGsi(byte irq)
    {
        for (int i = 0; i < InterruptOverrides.Length; i++)
        {
            if (InterruptOverrides[i].Bus == 0 && InterruptOverrides[i].SourceIrq == irq)
                return InterruptOverrides[i].Gsi;
        }
        return irq;
    }
}
