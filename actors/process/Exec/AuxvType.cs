// AuxvType: the a_type values of the ELF auxiliary vector on x86_64, with
// Linux's names and values (include/uapi/linux/auxvec.h and
// arch/x86/include/uapi/asm/auxvec.h; System V x86-64 psABI §3.4.3).
namespace Kevlar.Process.Exec;

/// <summary>Auxiliary vector entry types (AT_*).</summary>
public static class AuxvType
{
    /// <summary>End of the vector.</summary>
    public const ulong AT_NULL = 0;
    /// <summary>Entry to be ignored.</summary>
    public const ulong AT_IGNORE = 1;
    /// <summary>File descriptor of the program.</summary>
    public const ulong AT_EXECFD = 2;
    /// <summary>Address of the program headers in memory.</summary>
    public const ulong AT_PHDR = 3;
    /// <summary>Size of one program header.</summary>
    public const ulong AT_PHENT = 4;
    /// <summary>Number of program headers.</summary>
    public const ulong AT_PHNUM = 5;
    /// <summary>System page size.</summary>
    public const ulong AT_PAGESZ = 6;
    /// <summary>Load address of the interpreter (0 without one).</summary>
    public const ulong AT_BASE = 7;
    /// <summary>Flags (0 on Linux).</summary>
    public const ulong AT_FLAGS = 8;
    /// <summary>Entry point of the program.</summary>
    public const ulong AT_ENTRY = 9;
    /// <summary>Program is not ELF.</summary>
    public const ulong AT_NOTELF = 10;
    /// <summary>Real user id.</summary>
    public const ulong AT_UID = 11;
    /// <summary>Effective user id.</summary>
    public const ulong AT_EUID = 12;
    /// <summary>Real group id.</summary>
    public const ulong AT_GID = 13;
    /// <summary>Effective group id.</summary>
    public const ulong AT_EGID = 14;
    /// <summary>Address of a string naming the CPU ("x86_64").</summary>
    public const ulong AT_PLATFORM = 15;
    /// <summary>CPU capability hints (CPUID 1 EDX on x86).</summary>
    public const ulong AT_HWCAP = 16;
    /// <summary>Frequency at which times() increments.</summary>
    public const ulong AT_CLKTCK = 17;
    /// <summary>Secure mode (setuid/setgid exec) boolean.</summary>
    public const ulong AT_SECURE = 23;
    /// <summary>Address of a string naming the real platform.</summary>
    public const ulong AT_BASE_PLATFORM = 24;
    /// <summary>Address of 16 random bytes.</summary>
    public const ulong AT_RANDOM = 25;
    /// <summary>More CPU capability hints.</summary>
    public const ulong AT_HWCAP2 = 26;
    /// <summary>rseq feature size supported by the kernel.</summary>
    public const ulong AT_RSEQ_FEATURE_SIZE = 27;
    /// <summary>rseq allocation alignment.</summary>
    public const ulong AT_RSEQ_ALIGN = 28;
    /// <summary>Third CPU capability word.</summary>
    public const ulong AT_HWCAP3 = 29;
    /// <summary>Fourth CPU capability word.</summary>
    public const ulong AT_HWCAP4 = 30;
    /// <summary>Address of the filename the program was executed by.</summary>
    public const ulong AT_EXECFN = 31;
    /// <summary>Address of the vDSO's ELF header (x86).</summary>
    public const ulong AT_SYSINFO_EHDR = 33;
    /// <summary>Minimal stack size for signal delivery.</summary>
    public const ulong AT_MINSIGSTKSZ = 51;
}
