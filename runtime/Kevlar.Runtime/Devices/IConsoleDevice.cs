// IConsoleDevice: the system console (the serial line on metal, a buffer on the host).
using System;

namespace Kevlar.Runtime.Devices;

public interface IConsoleDevice
{
    /// <summary>Writes every byte of <paramref name="bytes"/>; the console never refuses output.</summary>
    void Write(ReadOnlySpan<byte> bytes);
}
