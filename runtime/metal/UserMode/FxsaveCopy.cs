// FxsaveCopy on metal: the FXSAVE image as bytes (host twin:
// runtime/Kevlar.Runtime/UserMode/FxsaveCopy.Host.cs).
using System;

namespace Kevlar.Runtime.UserMode;

// Safety: FxsaveArea is an explicit-layout struct of exactly 512 bytes; the
// copies stay within it and within the 512 bytes the callers pass.
public static unsafe class FxsaveCopy
{
    public static void ToBytes(in FxsaveArea area, Span<byte> dest)
    {
        fixed (FxsaveArea* p = &area)
            for (int i = 0; i < 512; i++) dest[i] = ((byte*)p)[i];
    }

    public static void FromBytes(ReadOnlySpan<byte> src, ref FxsaveArea area)
    {
        fixed (FxsaveArea* p = &area)
            for (int i = 0; i < 512; i++) ((byte*)p)[i] = src[i];
    }
}
