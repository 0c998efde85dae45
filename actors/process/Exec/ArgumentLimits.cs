// ArgumentLimits: how much argv and envp may take, as Linux fs/exec.c
// decides it (valid_arg_len, bprm_stack_limits): each string at most
// MAX_ARG_STRLEN bytes with its NUL, and all strings plus one pointer each at
// most a quarter of RLIMIT_STACK (but no more than 3/4 of _STK_LIM and never
// less than ARG_MAX).
namespace Kevlar.Process.Exec;

/// <summary>Limits on the strings exec copies onto the new stack.</summary>
public static class ArgumentLimits
{
    /// <summary>Longest single argument or environment string, NUL included (32 pages).</summary>
    public const ulong MaxArgStrlen = 32 * ElfConstants.ElfExecPageSize;
    /// <summary>The floor of the total limit (Linux ARG_MAX: 32 pages).</summary>
    public const ulong ArgMax = 32 * ElfConstants.ElfExecPageSize;
    /// <summary>Default RLIMIT_STACK soft limit (Linux _STK_LIM: 8 MiB).</summary>
    public const ulong StkLim = 8 * 1024 * 1024;

    /// <summary>
    /// Bytes that strings and their pointers may take for a stack soft
    /// limit of <paramref name="stackRlimit"/> (RLIM_INFINITY is ulong.MaxValue).
    /// </summary>
    public static ulong ForStackLimit(ulong stackRlimit)
    {
        ulong limit = StkLim / 4 * 3;
        limit = System.Math.Min(limit, stackRlimit / 4);
        return System.Math.Max(limit, ArgMax);
    }
}
