// MethodTables built in native memory the way ILCompiler 10.0.12 lays them
// out (shared/TOOLCHAIN.md, "Facts for a collector"): flags, base size, then
// the GCDesc growing downward from the MethodTable. The memory is never freed:
// a handful of types live for the whole test run.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Internal.Runtime;

namespace Kevlar.Runtime.Metal.Tests.Support;

public static unsafe class FakeTypes
{
    private const uint ClassFlags = 0x14u << 26, ArrayFlags = 0x18u << 26;

    /// <summary>A class whose instance has <paramref name="fieldWords"/> 8-byte fields after the MethodTable
    /// pointer; fields listed in <paramref name="refFields"/> (0-based) hold references.</summary>
    public static MethodTable* Class(int fieldWords, params int[] refFields)
    {
        uint baseSize = (uint)(16 + 8 * fieldWords);
        if (baseSize < 24) baseSize = 24;
        // One series per run of adjacent reference fields: offset from the object, size = bytes - BaseSize.
        var series = new List<(long Size, long Offset)>();
        var sorted = new SortedSet<int>(refFields);
        int? start = null, prev = null;
        foreach (int f in sorted)
        {
            if (start != null && f != prev + 1) { series.Add(Series(start.Value, prev!.Value, baseSize)); start = null; }
            start ??= f;
            prev = f;
        }
        if (start != null) series.Add(Series(start.Value, prev!.Value, baseSize));

        long[] desc = new long[1 + 2 * series.Count];
        desc[^1] = series.Count;
        for (int i = 1; i <= series.Count; i++)
        {
            desc[^(1 + 2 * i)] = series[i - 1].Size;   // ((long*)MT)[-1-2i]
            desc[^(2 * i)] = series[i - 1].Offset;     // ((long*)MT)[-2i]
        }
        uint flags = ClassFlags | (series.Count > 0 ? MethodTable.HasPointersFlag : 0);
        return Make(series.Count > 0 ? desc : [], flags, baseSize);
    }

    private static (long, long) Series(int first, int last, uint baseSize)
        => (8L * (last - first + 1) - baseSize, 8 + 8L * first);

    /// <summary>An array of references (object[]): one series at offset 16 covering length × 8 bytes.</summary>
    public static MethodTable* PointerArray()
        => Make([-24, 16, 1], MethodTable.HasComponentSizeFlag | ArrayFlags | MethodTable.HasPointersFlag | 8, 24);

    /// <summary>An array of structs of <paramref name="elementSize"/> bytes mixing references and data: a negative
    /// series count, the start offset at MT−16 and {pointer count, skip bytes} items from MT−24 downward.</summary>
    public static MethodTable* StructArray(int elementSize, params (uint Pointers, uint Skip)[] items)
    {
        long[] desc = new long[2 + items.Length];
        desc[^1] = -items.Length;
        desc[^2] = 16;
        for (int j = 0; j < items.Length; j++) desc[^(3 + j)] = (long)(items[j].Pointers | (ulong)items[j].Skip << 32);
        return Make(desc, MethodTable.HasComponentSizeFlag | ArrayFlags | MethodTable.HasPointersFlag | (uint)elementSize, 24);
    }

    /// <summary>A string-like type: no references, 2-byte components, BaseSize 22 (flags 0xD0000002 like string).</summary>
    public static MethodTable* StringLike() => Make([], MethodTable.HasComponentSizeFlag | ClassFlags | 2, 22);

    /// <summary>Places the GCDesc words (lowest address first) right below a zeroed 24-byte MethodTable.</summary>
    private static MethodTable* Make(long[] descBelow, uint flags, uint baseSize)
    {
        int below = 8 * descBelow.Length;
        byte* memory = (byte*)NativeMemory.AllocZeroed((nuint)(below + 64));
        MethodTable* mt = (MethodTable*)(memory + below);
        for (int i = 0; i < descBelow.Length; i++) ((long*)memory)[i] = descBelow[i];
        mt->Flags = flags;
        mt->BaseSize = baseSize;
        return mt;
    }
}
