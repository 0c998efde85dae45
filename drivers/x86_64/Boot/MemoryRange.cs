// MemoryRange: a half-open range of physical addresses [Start, End).
namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>A half-open physical range [Start, End).</summary>
public readonly struct MemoryRange
{
    /// <summary>First byte of the range.</summary>
    public readonly ulong Start;
    /// <summary>One past the last byte of the range.</summary>
    public readonly ulong End;

    /// <summary>Creates [start, end); callers keep start &lt;= end.</summary>
    public MemoryRange(ulong start, ulong end)
    {
        Start = start;
        End = end;
    }

    /// <summary>Length in bytes.</summary>
    public ulong Length => End - Start;
}
