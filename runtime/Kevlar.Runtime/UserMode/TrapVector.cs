// TrapVector: x86 exception vectors a user thread can stop on (Intel SDM vol. 3, 6.3.1).
namespace Kevlar.Runtime.UserMode;

public static class TrapVector
{
    public const int DivideError = 0, Debug = 1, Breakpoint = 3, Overflow = 4, BoundRange = 5, InvalidOpcode = 6,
        DeviceNotAvailable = 7, GeneralProtection = 13, PageFault = 14, X87Fpu = 16, AlignmentCheck = 17, Simd = 19;

    /// <summary>Page-fault error code bits.</summary>
    public const ulong PfPresent = 1, PfWrite = 2, PfUser = 4, PfInstruction = 16;

    /// <summary>The first vector that is an interrupt rather than an exception.</summary>
    public const int FirstInterrupt = 32;
}
