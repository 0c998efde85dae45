// IKernelLog: the kernel's message log as syslog(2) (dmesg) reads it. Metal:
// the console's ring (drivers/x86_64/Console/KernelMessages.cs); host tests:
// EmptyKernelLog or a fake.
using System;

namespace Kevlar.Runtime.Devices;

public interface IKernelLog
{
    /// <summary>The ring's size in bytes (SYSLOG_ACTION_SIZE_BUFFER).</summary>
    int Capacity { get; }

    /// <summary>Bytes held since the last Clear (SYSLOG_ACTION_SIZE_UNREAD).</summary>
    int Unread { get; }

    /// <summary>Copies the oldest bytes held (only those since the last Clear when
    /// <paramref name="sinceClear"/>) into <paramref name="into"/>: how many.</summary>
    int Read(Span<byte> into, bool sinceClear);

    /// <summary>Forgets what is held (SYSLOG_ACTION_CLEAR).</summary>
    void Clear();
}

/// <summary>A log that never held anything (hosts without a console ring).</summary>
public sealed class EmptyKernelLog : IKernelLog
{
    public int Capacity => 65536;

    public int Unread => 0;

    public int Read(Span<byte> into, bool sinceClear) => 0;

    public void Clear()
    {
    }
}
