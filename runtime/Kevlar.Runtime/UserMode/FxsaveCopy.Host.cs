// FxsaveCopy on the host: the FXSAVE image as bytes through MemoryMarshal
// (the metal twin, runtime/metal/UserMode/FxsaveCopy.cs, uses a pointer).
using System;
using System.Runtime.InteropServices;

namespace Kevlar.Runtime.UserMode;

public static class FxsaveCopy
{
    public static void ToBytes(in FxsaveArea area, Span<byte> dest)
    {
        FxsaveArea copy = area;
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref copy, 1)).CopyTo(dest);
    }

    public static void FromBytes(ReadOnlySpan<byte> src, ref FxsaveArea area)
    {
        src.Slice(0, 512).CopyTo(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref area, 1)));
    }
}
