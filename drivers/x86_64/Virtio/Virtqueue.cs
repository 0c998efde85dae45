// A split virtqueue (virtio 1.2, §2.7) in physically contiguous memory the
// driver owns: the descriptor table (16 bytes each: le64 addr, le32 len,
// le16 flags — 1 NEXT, 2 WRITE — le16 next), the driver ("available") ring
// (le16 flags, le16 idx, le16 ring[size], le16 used_event) and the device
// ("used") ring (le16 flags, le16 idx, {le32 id, le32 len}[size],
// le16 avail_event); each on its own page, which more than meets their
// alignments (16, 2, 4). Here each descriptor owns one buffer of BufferSize
// bytes for life: a buffer is given to the device by putting its descriptor's
// index in the available ring, and comes back in the used ring.
//
// State: the rings are shared with the device; the driver-side counters are
// its owner's (the receive queue's: the driver actor; the transmit queue's:
// whoever holds the device's transmit lock). Index publication follows §2.7.13:
// ring entry first, then idx (x86 keeps stores in order; Volatile keeps the
// compiler from reordering them).
using System.Threading;
using Kevlar.Drivers.X86_64.Memory;

namespace Kevlar.Drivers.X86_64.Virtio;

// Safety: the rings and buffers are pages this queue allocated (direct map); ids index them below Size.
public sealed unsafe class Virtqueue
{
    public const int BufferSize = 2048;
    public const ushort DescriptorWrite = 2;
    /// <summary>VIRTQ_USED_F_NO_NOTIFY: the device needs no doorbell (§2.7.10).</summary>
    private const ushort UsedNoNotify = 1;

    public readonly int Index, Size;
    private readonly byte* _descriptors, _driver, _device, _buffers;
    private readonly ulong _descriptorsPhysical, _buffersPhysical;
    private readonly ulong _doorbell;
    private ushort _nextAvailable;   // the driver ring's idx as this driver last wrote it
    private ushort _nextUsed;        // the first device-ring entry not yet taken

    public Virtqueue(VirtioPciTransport transport, int index, int size, bool deviceWrites)
    {
        Index = index;
        Size = size;
        _descriptors = (byte*)PhysicalMemory.AllocateZeroed(1, "a virtqueue's descriptors");
        _driver = (byte*)PhysicalMemory.AllocateZeroed(1, "a virtqueue's driver ring");
        _device = (byte*)PhysicalMemory.AllocateZeroed(1, "a virtqueue's device ring");
        ulong bufferPages = (ulong)size * BufferSize / 4096;
        _buffers = (byte*)PhysicalMemory.AllocateZeroed(bufferPages, "virtqueue buffers");
        _descriptorsPhysical = DirectMap.ToPhysical(_descriptors);
        _buffersPhysical = DirectMap.ToPhysical(_buffers);
        for (int i = 0; i < size; i++)
        {
            byte* d = _descriptors + 16 * i;
            *(ulong*)d = _buffersPhysical + (ulong)i * BufferSize;
            *(uint*)(d + 8) = BufferSize;
            *(ushort*)(d + 12) = deviceWrites ? DescriptorWrite : (ushort)0;
        }
        _doorbell = transport.NotifyAddress(index);
    }

    public ulong DescriptorsPhysical => _descriptorsPhysical;
    public ulong DriverPhysical => DirectMap.ToPhysical(_driver);
    public ulong DevicePhysical => DirectMap.ToPhysical(_device);

    /// <summary>Buffer <paramref name="id"/> (BufferSize bytes).</summary>
    public byte* Buffer(int id) => _buffers + (long)id * BufferSize;

    /// <summary>Gives buffer <paramref name="id"/> to the device with <paramref name="length"/>
    /// bytes (for a device-written buffer: room for that many). Call Publish after a batch.</summary>
    public void Offer(int id, int length)
    {
        *(uint*)(_descriptors + 16 * id + 8) = (uint)length;
        ((ushort*)(_driver + 4))[_nextAvailable % Size] = (ushort)id;
        _nextAvailable++;
    }

    /// <summary>Makes the offered buffers visible to the device and rings its doorbell unless it
    /// said it needs none.</summary>
    public void Publish()
    {
        Volatile.Write(ref *(ushort*)(_driver + 2), _nextAvailable);
        Interlocked.MemoryBarrier(); // the idx store before the flags load (§2.7.13.4: notification suppression)
        if ((Volatile.Read(ref *(ushort*)_device) & UsedNoNotify) == 0) *(ushort*)_doorbell = (ushort)Index;
    }

    /// <summary>Takes the next buffer the device returned: its id and the bytes it wrote; false when none.</summary>
    public bool TakeUsed(out int id, out int length)
    {
        ushort deviceIndex = Volatile.Read(ref *(ushort*)(_device + 2));
        if (deviceIndex == _nextUsed)
        {
            id = 0;
            length = 0;
            return false;
        }
        byte* entry = _device + 4 + 8 * (_nextUsed % Size);
        id = (int)*(uint*)entry;
        length = (int)*(uint*)(entry + 4);
        _nextUsed++;
        return true;
    }

    /// <summary>Tells the device not to interrupt for this queue (VIRTQ_AVAIL_F_NO_INTERRUPT, a hint).</summary>
    public void SuppressInterrupts() => Volatile.Write(ref *(ushort*)_driver, (ushort)1);

    /// <summary>Asks for interrupts again; true when used buffers are already waiting (the device may
    /// have used them while interrupts were off, without interrupting), which the caller must take.</summary>
    public bool AllowInterrupts()
    {
        Volatile.Write(ref *(ushort*)_driver, (ushort)0);
        Interlocked.MemoryBarrier(); // the flag's store before the index's load
        return Volatile.Read(ref *(ushort*)(_device + 2)) != _nextUsed;
    }
}
