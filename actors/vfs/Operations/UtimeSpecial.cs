// UtimeSpecial: the tv_nsec values utimensat(2) gives meaning to.
namespace Kevlar.Vfs.Operations;

/// <summary>UTIME_NOW and UTIME_OMIT.</summary>
public static class UtimeSpecial
{
    /// <summary>Set this time to the current time.</summary>
    public const long UTIME_NOW = (1L << 30) - 1;
    /// <summary>Leave this time as it is.</summary>
    public const long UTIME_OMIT = (1L << 30) - 2;
}
