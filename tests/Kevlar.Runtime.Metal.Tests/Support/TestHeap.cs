// A GcHeap over native memory for one test: region and metadata allocated
// here, static-slot roots and conservative ranges the test fills in, and the
// object helpers the tests share. GcHeap is static, so each test makes a new
// one: Initialize starts its state over, and the switches a test may turn on
// are turned off here, so one test never leaks into the next.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kevlar.Runtime.Metal.Memory;

namespace Kevlar.Runtime.Metal.Tests.Support;

public sealed unsafe class TestHeap : IDisposable
{
    public const int SlotCount = 64;

    private readonly byte* _region, _metadata;
    private readonly nint* _slots;
    private readonly nint** _slotAddresses;
    private readonly List<(ulong Start, ulong End)> _ranges = new();

    [ThreadStatic] private static int t_cpu;
    private static int s_requests;

    /// <summary>The CPU index GcHeap.CurrentCpu reports on this thread.</summary>
    public static int Cpu { get => t_cpu; set => t_cpu = value; }
    /// <summary>How many times the heap asked for a collection.</summary>
    public static int Requests => s_requests;

    public ulong RegionBytes { get; }

    public TestHeap(ulong regionBytes = 16 << 20, ulong markStackBytes = 256 << 10, long trigger = long.MaxValue, bool fillWithGarbage = true)
    {
        RegionBytes = regionBytes;
        ulong metadataBytes = GcHeap.MetadataBytes(regionBytes, markStackBytes);
        _region = (byte*)NativeMemory.AlignedAlloc((nuint)regionBytes, (nuint)GcHeap.BlockSize);
        // Garbage in the region: allocation must zero what it hands out.
        new Span<byte>(_region, (int)regionBytes).Fill(fillWithGarbage ? (byte)0xA5 : (byte)0);
        _metadata = (byte*)NativeMemory.AllocZeroed((nuint)metadataBytes);
        _slots = (nint*)NativeMemory.AllocZeroed(SlotCount * 8);
        _slotAddresses = (nint**)NativeMemory.AllocZeroed(SlotCount * 8);
        for (int i = 0; i < SlotCount; i++) _slotAddresses[i] = &_slots[i];

        // Initialize starts every piece of collector state over; the switches a test may turn on go back off.
        GcHeap.Concurrent = false;
        GcHeap.VerifyMarking = false;
        GcHeap.PoisonFreedCells = false;
        t_cpu = 0;
        s_requests = 0;
        GcHeap.CurrentCpu = &CurrentCpu;
        GcHeap.RequestCollection = &RecordRequest;
        GcHeap.Initialize(_region, regionBytes, _metadata, metadataBytes, trigger);
    }

    private static int CurrentCpu() => t_cpu;
    private static void RecordRequest() => System.Threading.Interlocked.Increment(ref s_requests);

    public byte* RegionStart => _region;

    /// <summary>Static reference slot <paramref name="i"/> (a root at every collection).</summary>
    public ref nint Slot(int i) => ref _slots[i];

    /// <summary>Adds [start, end) as a conservatively scanned range for later collections.</summary>
    public void AddConservativeRange(void* start, void* end) => _ranges.Add(((ulong)start, (ulong)end));

    /// <summary>Collects with the static slots, the early arena (when given) and the conservative ranges as roots.</summary>
    public void Collect(byte* permanentStart = null, byte* permanentEnd = null)
    {
        ulong* ranges = stackalloc ulong[2 * Math.Max(1, _ranges.Count)];
        for (int i = 0; i < _ranges.Count; i++) { ranges[2 * i] = _ranges[i].Start; ranges[2 * i + 1] = _ranges[i].End; }
        var roots = new GcHeap.Roots
        {
            StaticSlots = _slotAddresses,
            StaticSlotCount = SlotCount,
            PermanentStart = permanentStart,
            PermanentEnd = permanentEnd,
            ConservativeRanges = ranges,
            ConservativeRangeCount = _ranges.Count,
        };
        GcHeap.Collect(&roots);
    }

    /// <summary>Allocates an instance of a non-array type.</summary>
    public static byte* New(MethodTable* mt) => GcHeap.Allocate(mt, mt->BaseSize);

    /// <summary>Allocates an array (or string-like object) of <paramref name="length"/> components.</summary>
    public static byte* NewArray(MethodTable* mt, int length)
    {
        byte* obj = GcHeap.Allocate(mt, mt->BaseSize + (ulong)length * mt->ComponentSize);
        *(int*)(obj + 8) = length;
        return obj;
    }

    /// <summary>The 8-byte field <paramref name="index"/> of a class instance (fields start at obj+8).</summary>
    public static ref nint Field(byte* obj, int index) => ref *(nint*)(obj + 8 + 8 * index);

    /// <summary>Element <paramref name="index"/> of a reference array (data starts at obj+16).</summary>
    public static ref nint Element(byte* array, int index) => ref *(nint*)(array + 16 + 8 * index);

    public void Dispose()
    {
        GcHeap.CurrentCpu = null;
        GcHeap.RequestCollection = null;
        NativeMemory.AlignedFree(_region);
        NativeMemory.Free(_metadata);
        NativeMemory.Free(_slots);
        NativeMemory.Free(_slotAddresses);
    }
}
