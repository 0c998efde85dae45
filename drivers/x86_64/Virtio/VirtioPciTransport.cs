// The virtio 1.x PCI transport, modern interface (Virtual I/O Device
// (VIRTIO) Version 1.2, §4.1). The device describes its register blocks with
// vendor-specific capabilities (ID 0x09, §4.1.4), 16 bytes each: cap_vndr,
// cap_next, cap_len, cfg_type (1 common, 2 notify, 3 ISR, 4 device-specific),
// bar, id, 2 bytes padding, le32 offset, le32 length; the notify capability
// adds le32 notify_off_multiplier at +16. The common configuration
// (§4.1.4.3, 56 bytes) is:
//   0x00 le32 device_feature_select   0x04 le32 device_feature
//   0x08 le32 driver_feature_select   0x0C le32 driver_feature
//   0x10 le16 config_msix_vector      0x12 le16 num_queues
//   0x14 u8 device_status             0x15 u8 config_generation
//   0x16 le16 queue_select            0x18 le16 queue_size
//   0x1A le16 queue_msix_vector       0x1C le16 queue_enable
//   0x1E le16 queue_notify_off        0x20 le64 queue_desc
//   0x28 le64 queue_driver            0x30 le64 queue_device
// A queue's doorbell is at the notify block + queue_notify_off ×
// notify_off_multiplier (§4.1.4.4); the driver writes the queue's index there.
// Without MSI-X the device raises its INTx line, and reading the one-byte ISR
// status (§4.1.4.5; bit 0 a queue, bit 1 the configuration) lowers it.
//
// State: set up on the boot CPU at probe; afterwards only Notify is used,
// from any CPU (a device register write, no shared memory).
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Drivers.X86_64.Pci;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Virtio;

// Safety: the register blocks are the device's BAR ranges its capabilities name, mapped uncached by Open.
public sealed unsafe class VirtioPciTransport
{
    public const ushort VendorId = 0x1AF4;
    /// <summary>Device status bits (§2.1).</summary>
    public const byte Acknowledge = 1, Driver = 2, DriverOk = 4, FeaturesOk = 8, Failed = 0x80;
    /// <summary>"No vector" for an MSI-X vector field (§4.1.5.1.2).</summary>
    public const ushort NoVector = 0xFFFF;
    /// <summary>VIRTIO_F_VERSION_1 (bit 32): the modern interface (§6).</summary>
    public const int FeatureVersion1 = 32;

    private const int CapabilityVendor = 0x09;
    private const byte CommonCfg = 1, NotifyCfg = 2, IsrCfg = 3, DeviceCfg = 4;

    public readonly PciFunction Function;
    private readonly ulong _common, _notify, _isr, _device;
    private readonly uint _notifyMultiplier;

    private VirtioPciTransport(PciFunction function, ulong common, ulong notify, uint multiplier, ulong isr, ulong device)
    {
        Function = function;
        _isr = isr;
        _common = common;
        _notify = notify;
        _notifyMultiplier = multiplier;
        _device = device;
    }

    /// <summary>The transport of a virtio function with the modern capabilities, its blocks
    /// mapped; null when one is missing (a legacy-only device) or sits in an unassigned BAR.</summary>
    public static VirtioPciTransport? Open(PciFunction f)
    {
        ulong common = 0, notify = 0, isr = 0, device = 0;
        uint multiplier = 0;
        for (int at = f.FindCapability(CapabilityVendor); at != 0; at = f.FindCapability(CapabilityVendor, at))
        {
            byte type = f.Read8(at + 3);
            ulong bar = f.BarAddress(f.Read8(at + 4));
            uint offset = f.Read32(at + 8), length = f.Read32(at + 12);
            if (bar == 0 || length == 0) continue;
            ulong mapped = PageTables.MapMmio(bar + offset, length);
            if (type == CommonCfg && common == 0) common = mapped;
            else if (type == NotifyCfg && notify == 0)
            {
                notify = mapped;
                multiplier = f.Read32(at + 16);
            }
            else if (type == IsrCfg && isr == 0) isr = mapped;
            else if (type == DeviceCfg && device == 0) device = mapped;
        }
        if (common == 0 || notify == 0 || isr == 0 || device == 0) return null;
        return new VirtioPciTransport(f, common, notify, multiplier, isr, device);
    }

    public byte Status
    {
        get => *(byte*)(_common + 0x14);
        set => *(byte*)(_common + 0x14) = value;
    }

    /// <summary>Resets the device (status 0) and waits until it reads back 0 (§4.1.4.3.2).</summary>
    public void Reset()
    {
        Status = 0;
        for (int spins = 0; Status != 0 && spins < 1_000_000; spins++) Native.Pause();
    }

    /// <summary>The device's feature bits (both 32-bit halves).</summary>
    public ulong DeviceFeatures()
    {
        *(uint*)(_common + 0x00) = 0;
        ulong low = *(uint*)(_common + 0x04);
        *(uint*)(_common + 0x00) = 1;
        return low | (ulong)*(uint*)(_common + 0x04) << 32;
    }

    public void SetDriverFeatures(ulong features)
    {
        *(uint*)(_common + 0x08) = 0;
        *(uint*)(_common + 0x0C) = (uint)features;
        *(uint*)(_common + 0x08) = 1;
        *(uint*)(_common + 0x0C) = (uint)(features >> 32);
    }

    /// <summary>Points config-change interrupts at MSI-X entry <paramref name="entry"/> (NoVector: none);
    /// false when the device did not take it.</summary>
    public bool SetConfigVector(ushort entry)
    {
        *(ushort*)(_common + 0x10) = entry;
        return *(ushort*)(_common + 0x10) == entry;
    }

    /// <summary>The largest size queue <paramref name="index"/> allows (0: no such queue).</summary>
    public int QueueMaxSize(int index)
    {
        *(ushort*)(_common + 0x16) = (ushort)index;
        return *(ushort*)(_common + 0x18);
    }

    /// <summary>Gives queue <paramref name="index"/> its size, ring addresses and MSI-X entry, and
    /// enables it; false when the device refused the vector.</summary>
    public bool EnableQueue(int index, int size, ulong descriptors, ulong driverArea, ulong deviceArea, ushort msixEntry)
    {
        *(ushort*)(_common + 0x16) = (ushort)index;
        *(ushort*)(_common + 0x18) = (ushort)size;
        *(ulong*)(_common + 0x20) = descriptors;
        *(ulong*)(_common + 0x28) = driverArea;
        *(ulong*)(_common + 0x30) = deviceArea;
        *(ushort*)(_common + 0x1A) = msixEntry;
        if (*(ushort*)(_common + 0x1A) != msixEntry) return false;
        *(ushort*)(_common + 0x1C) = 1;
        return true;
    }

    /// <summary>The doorbell address of queue <paramref name="index"/>.</summary>
    public ulong NotifyAddress(int index)
    {
        *(ushort*)(_common + 0x16) = (ushort)index;
        return _notify + (ulong)*(ushort*)(_common + 0x1E) * _notifyMultiplier;
    }

    /// <summary>Reads (and so clears) the ISR status, lowering the INTx line (any CPU, in an interrupt).</summary>
    public byte ReadIsr() => *(byte*)_isr;

    public byte DeviceByte(int offset) => *(byte*)(_device + (ulong)offset);
    public ushort DeviceUInt16(int offset) => *(ushort*)(_device + (ulong)offset);
}
