// The virtio network device (virtio 1.2, §5.1) as an actor: one per device,
// homed on the CPU its MSI-X interrupt goes to. Queue 0 receives, queue 1
// transmits (no control queue, one queue pair). Features taken: VERSION_1
// (bit 32), MAC (5: the address in the device configuration's first 6 bytes),
// STATUS (16: le16 status at offset 6, bit 0 link up), MTU (3: le16 at offset
// 10). Checksums are computed by the stack (no CSUM/GUEST_CSUM), and without
// MRG_RXBUF or any GSO a received frame fits one 2 KiB buffer. Every buffer
// starts with the 12-byte virtio_net_hdr (§5.1.6: flags, gso_type, hdr_len,
// gso_size, csum_start, csum_offset, num_buffers), all zero when sending.
//
// Receiving: the device writes frames into the receive queue's buffers and
// raises MSI-X entry 0 (or, without MSI-X, its INTx line through the I/O
// APIC, level-triggered: the interrupt reads the ISR status first, which
// lowers the line, and goes on only for a queue event); the interrupt
// (InterruptDispatcher → Interrupted)
// sends this actor its one interrupt message unless it is already on the way;
// the handler takes every used buffer, hands its frame to the receiver and
// gives the buffer back. Transmitting: any CPU copies its frame into a free
// transmit buffer under _transmitLock (kernel code runs with interrupts off,
// so the holder is never interrupted) — buffers the device is done with are
// reclaimed there too; the transmit queue raises no interrupt.
//
// State: the receive queue and _receiver are this actor's; the transmit
// queue, _free and _freeCount are _transmitLock's; _interruptPending is
// [Shared] between the interrupt and the handler; the counters Interlocked.
using System;
using System.Threading;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Pci;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;

namespace Kevlar.Drivers.X86_64.Virtio;

// Safety: the rings and buffers are this driver's physical pages (direct map); spans over them live only for one call.
public sealed unsafe class VirtioNet : Actor, INetworkDevice, IDeviceInterrupt
{
    /// <summary>Modern and transitional PCI device IDs of a network card (§4.1.2.1).</summary>
    private const ushort ModernId = 0x1041, TransitionalId = 0x1000;
    private const int FeatureChecksum = 0, FeatureMtu = 3, FeatureMac = 5, FeatureStatus = 16;
    private const byte NeedsChecksum = 1;
    private const int HeaderLength = 12;
    private const int ReceiveQueue = 0, TransmitQueue = 1;
    private const int QueueSize = 256;
    private const int MaxFrame = Virtqueue.BufferSize - HeaderLength;

    /// <summary>Probe's reason when the bus has no virtio network function at all.</summary>
    public const string NoDevice = "no virtio network device";

    private sealed class InterruptMessage : Message { }

    private readonly VirtioPciTransport _transport;
    private readonly Virtqueue _receive, _transmit;
    private readonly byte[] _mac;
    private readonly int _mtu;
    private readonly bool _reportsLink, _offload;
    private readonly bool _lineInterrupt; // INTx through the I/O APIC rather than MSI-X
    private readonly InterruptMessage _interrupt = new InterruptMessage();
    [Shared] private int _interruptPending;
    [Shared] private int _transmitLock;
    private readonly ushort[] _free;
    private int _freeCount;
    private INetworkReceiver? _receiver;
    private long _transmitDrops, _receiveDrops, _interrupts;

    private VirtioNet(VirtioPciTransport transport, Virtqueue receive, Virtqueue transmit, byte[] mac, int mtu, bool reportsLink, bool offload, bool lineInterrupt)
    {
        _offload = offload;
        _lineInterrupt = lineInterrupt;
        _transport = transport;
        _receive = receive;
        _transmit = transmit;
        _mac = mac;
        _mtu = mtu;
        _reportsLink = reportsLink;
        _free = new ushort[transmit.Size];
        for (int i = 0; i < transmit.Size; i++) _free[i] = (ushort)i;
        _freeCount = transmit.Size;
    }

    public override string DiagnosticName => "virtio-net";

    /// <summary>"MSI-X" or "INTx": how the device interrupts.</summary>
    public string InterruptKind => _lineInterrupt ? "INTx" : "MSI-X";

    /// <summary>The PCI function, "bb:dd.f".</summary>
    public string Location => _transport.Function.Name;

    public byte[] HardwareAddress => _mac;
    public int Mtu => _mtu;
    public bool ChecksumOffload => _offload;
    public bool LinkUp => !_reportsLink || (_transport.DeviceUInt16(6) & 1) != 0;
    public long TransmitDrops => Volatile.Read(ref _transmitDrops);
    public long ReceiveDrops => Volatile.Read(ref _receiveDrops);
    public long Interrupts => Volatile.Read(ref _interrupts);

    /// <summary>The first virtio network function on the PCI bus with the modern interface, set up
    /// to interrupt the local APIC <paramref name="apicId"/> with <paramref name="vector"/>: MSI-X
    /// entry 0, or its INTx line routed through the I/O APIC (<paramref name="madt"/>'s
    /// overrides) when it has no MSI-X; null (with <paramref name="why"/>) when there is none or it
    /// cannot be driven. Boot CPU, before the actor is registered.</summary>
    public static VirtioNet? Probe(int vector, uint apicId, Acpi.Madt? madt, out string why)
    {
        why = NoDevice;
        var all = PciBus.Enumerate();
        for (int i = 0; i < all.Count; i++)
        {
            PciFunction f = all[i];
            if (f.VendorId != VirtioPciTransport.VendorId) continue;
            if (f.DeviceId != ModernId && !(f.DeviceId == TransitionalId && f.SubsystemId == 1)) continue;
            VirtioNet? net = Open(f, vector, apicId, madt, out why);
            if (net != null) return net;
        }
        return null;
    }

    // Device initialization, §3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK (read
    // back), queues, DRIVER_OK; FAILED on the way out of any step that does not work.
    private static VirtioNet? Open(PciFunction f, int vector, uint apicId, Acpi.Madt? madt, out string why)
    {
        VirtioPciTransport? t = VirtioPciTransport.Open(f);
        if (t == null) { why = "a virtio network device without the modern interface"; return null; }
        MsiX? msix = MsiX.Find(f);
        byte line = f.Read8(0x3C);
        if (msix == null && (madt == null || line == 0 || line == 0xFF)) { why = "a virtio network device with neither MSI-X nor an interrupt line"; return null; }
        f.Enable(msix != null);
        t.Reset();
        t.Status = VirtioPciTransport.Acknowledge;
        t.Status = VirtioPciTransport.Acknowledge | VirtioPciTransport.Driver;
        ulong offered = t.DeviceFeatures();
        ulong wanted = 1UL << VirtioPciTransport.FeatureVersion1 | 1UL << FeatureMac | 1UL << FeatureStatus | 1UL << FeatureMtu | 1UL << FeatureChecksum;
        ulong taken = offered & wanted;
        if ((taken & 1UL << VirtioPciTransport.FeatureVersion1) == 0) return Fail(t, "a virtio network device without VERSION_1", out why);
        t.SetDriverFeatures(taken);
        t.Status = VirtioPciTransport.Acknowledge | VirtioPciTransport.Driver | VirtioPciTransport.FeaturesOk;
        if ((t.Status & VirtioPciTransport.FeaturesOk) == 0) return Fail(t, "the virtio network device refused its features", out why);
        if (t.QueueMaxSize(ReceiveQueue) == 0 || t.QueueMaxSize(TransmitQueue) == 0) return Fail(t, "virtio-net queues missing", out why);
        int rxSize = Math.Min(QueueSize, t.QueueMaxSize(ReceiveQueue)), txSize = Math.Min(QueueSize, t.QueueMaxSize(TransmitQueue));
        var receive = new Virtqueue(t, ReceiveQueue, rxSize, true);
        var transmit = new Virtqueue(t, TransmitQueue, txSize, false);
        transmit.SuppressInterrupts();
        ushort entry = 0;
        if (msix != null)
        {
            msix.Route(0, vector, apicId);
            msix.Enable();
        }
        else
        {
            // A PCI line is level-triggered and active low unless the MADT says otherwise for its IRQ.
            bool activeLow = true, level = true;
            madt!.IrqMode(line, ref activeLow, ref level);
            if (!Apic.IoApic.Route(madt.IsaIrqToGsi(line), vector, apicId, activeLow, level))
                return Fail(t, "no I/O APIC serves the virtio network device's interrupt line", out why);
            entry = VirtioPciTransport.NoVector;
        }
        if (!t.SetConfigVector(VirtioPciTransport.NoVector)
            || !t.EnableQueue(ReceiveQueue, rxSize, receive.DescriptorsPhysical, receive.DriverPhysical, receive.DevicePhysical, entry)
            || !t.EnableQueue(TransmitQueue, txSize, transmit.DescriptorsPhysical, transmit.DriverPhysical, transmit.DevicePhysical, VirtioPciTransport.NoVector))
            return Fail(t, "the virtio network device refused its MSI-X vectors", out why);
        var mac = new byte[6];
        if ((taken & 1UL << FeatureMac) != 0) for (int i = 0; i < 6; i++) mac[i] = t.DeviceByte(i);
        else
        {
            // A locally administered address (bit 1 of the first byte), as Linux's eth_random_addr.
            ulong tsc = Native.ReadTsc();
            mac[0] = 0x02;
            for (int i = 1; i < 6; i++) mac[i] = (byte)(tsc >> (8 * i));
        }
        int mtu = (taken & 1UL << FeatureMtu) != 0 ? t.DeviceUInt16(10) : 1500;
        if (mtu > MaxFrame - 14 || mtu < 68) mtu = 1500;
        var net = new VirtioNet(t, receive, transmit, mac, mtu, (taken & 1UL << FeatureStatus) != 0, (taken & 1UL << FeatureChecksum) != 0, msix == null);
        DeviceInterrupts.Attach(vector, net);
        for (int i = 0; i < rxSize; i++) receive.Offer(i, Virtqueue.BufferSize);
        t.Status = VirtioPciTransport.Acknowledge | VirtioPciTransport.Driver | VirtioPciTransport.FeaturesOk | VirtioPciTransport.DriverOk;
        receive.Publish();
        why = "";
        return net;
    }

    private static VirtioNet? Fail(VirtioPciTransport t, string reason, out string why)
    {
        t.Status = (byte)(t.Status | VirtioPciTransport.Failed);
        why = reason;
        return null;
    }

    public void Start(INetworkReceiver receiver)
    {
        _receiver = receiver;
        Interrupted(); // frames that came before the receiver did
    }

    /// <summary>The device's interrupt, in interrupt context before the EOI: the handler is asked
    /// to run unless it already is.</summary>
    public void Interrupted()
    {
        // A shared, level-triggered line: reading the ISR lowers it; a zero ISR was another device's.
        if (_lineInterrupt && (_transport.ReadIsr() & 1) == 0) return;
        Interlocked.Increment(ref _interrupts);
        if (Atomic.CompareExchange(ref _interruptPending, 1, 0) != 0) return;
        Scheduler? s = Scheduler;
        if (s != null) s.Send(this, _interrupt);
        else Atomic.Store(ref _interruptPending, 0);
    }

    protected internal override void Receive(Message m)
    {
        // While this drains, the device need not interrupt (a hint it may ignore); afterwards
        // interrupts are asked for again and whatever came meanwhile is taken before leaving.
        _receive.SuppressInterrupts();
        // Cleared before the ring is read: a frame written after this raises an interrupt that sends again.
        Atomic.Store(ref _interruptPending, 0);
        INetworkReceiver? receiver = _receiver;
        do
        {
            int taken = 0;
            while (_receive.TakeUsed(out int id, out int length))
            {
                if (id < 0 || id >= _receive.Size) { Interlocked.Increment(ref _receiveDrops); continue; }
                if (length <= HeaderLength + 14 || length > Virtqueue.BufferSize) Interlocked.Increment(ref _receiveDrops);
                else receiver?.Receive(new ReadOnlySpan<byte>(_receive.Buffer(id) + HeaderLength, length - HeaderLength));
                _receive.Offer(id, Virtqueue.BufferSize);
                taken++;
            }
            if (taken > 0) _receive.Publish();
        }
        while (_receive.AllowInterrupts());
    }

    public bool Transmit(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, int checksumStart = -1, int checksumOffset = 0)
    {
        int length = header.Length + payload.Length;
        if (length > MaxFrame)
        {
            Interlocked.Increment(ref _transmitDrops);
            return false;
        }
        while (Atomic.CompareExchange(ref _transmitLock, 1, 0) != 0) Native.Pause();
        while (_transmit.TakeUsed(out int done, out _))
            if (done >= 0 && done < _transmit.Size) _free[_freeCount++] = (ushort)done;
        if (_freeCount == 0)
        {
            Atomic.Store(ref _transmitLock, 0);
            Interlocked.Increment(ref _transmitDrops);
            return false;
        }
        int id = _free[--_freeCount];
        byte* buffer = _transmit.Buffer(id);
        new Span<byte>(buffer, HeaderLength).Clear();
        if (_offload && checksumStart >= 0 && checksumStart + checksumOffset + 2 <= length)
        {
            buffer[0] = NeedsChecksum;
            *(ushort*)(buffer + 6) = (ushort)checksumStart;
            *(ushort*)(buffer + 8) = (ushort)checksumOffset;
        }
        header.CopyTo(new Span<byte>(buffer + HeaderLength, header.Length));
        payload.CopyTo(new Span<byte>(buffer + HeaderLength + header.Length, payload.Length));
        _transmit.Offer(id, HeaderLength + length);
        _transmit.Publish();
        Atomic.Store(ref _transmitLock, 0);
        return true;
    }
}
