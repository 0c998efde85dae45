// InitialStack.Checks: what exec refuses before laying anything out: kernel
// strings that are not byte strings, NULs inside strings, a random block that
// is not 16 bytes, builder-owned auxv types (EINVAL), and arguments over
// Linux's limits (fs/exec.c valid_arg_len and bprm_stack_limits: E2BIG).
using System;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Exec;

public sealed partial class InitialStack
{
    /// <summary>Each string as bytes, or null when one holds a char above U+00FF.</summary>
    private static byte[][]? EncodeAll(string[] strings)
    {
        var result = new byte[strings.Length][];
        for (int i = 0; i < strings.Length; i++)
        {
            byte[]? bytes = Latin1.Encode(strings[i]);
            if (bytes == null)
                return null;
            result[i] = bytes;
        }
        return result;
    }

    /// <summary>-EINVAL for a random block that is not 16 bytes, a NUL inside a string, or a builder-owned auxv type.</summary>
    private static int CheckInputs(byte[][] argv, byte[][] envp, byte[] execFileName, ReadOnlySpan<byte> random,
        byte[] platform, ReadOnlySpan<AuxvEntry> auxv)
    {
        if (random.Length != StackLayout.RandomBytes)
            return -Errno.EINVAL;
        if (HasNul(argv) || HasNul(envp) || HasNul(execFileName) || HasNul(platform))
            return -Errno.EINVAL;
        for (int i = 0; i < auxv.Length; i++)
        {
            ulong type = auxv[i].Type;
            if (type == AuxvType.AT_NULL || type == AuxvType.AT_RANDOM || type == AuxvType.AT_EXECFN || type == AuxvType.AT_PLATFORM)
                return -Errno.EINVAL;
        }
        return 0;
    }

    private static bool HasNul(byte[][] strings)
    {
        for (int i = 0; i < strings.Length; i++)
            if (HasNul(strings[i]))
                return true;
        return false;
    }

    private static bool HasNul(byte[] s)
    {
        for (int i = 0; i < s.Length; i++)
            if (s[i] == 0)
                return true;
        return false;
    }

    /// <summary>
    /// Linux's E2BIG rules: every string (the filename too) at most
    /// MAX_ARG_STRLEN with its NUL; one pointer per argv/envp entry plus all
    /// the strings within <paramref name="limit"/>.
    /// </summary>
    private static int CheckSizes(byte[][] argv, byte[][] envp, byte[] execFileName, ulong limit)
    {
        ulong pointers = (ulong)(argv.Length + envp.Length) * 8;
        if (limit <= pointers)
            return -Errno.E2BIG;
        ulong strings = 0;
        if (!AddString(ref strings, execFileName))
            return -Errno.E2BIG;
        for (int i = 0; i < argv.Length; i++)
            if (!AddString(ref strings, argv[i]))
                return -Errno.E2BIG;
        for (int i = 0; i < envp.Length; i++)
            if (!AddString(ref strings, envp[i]))
                return -Errno.E2BIG;
        return strings > limit - pointers ? -Errno.E2BIG : 0;
    }

    private static bool AddString(ref ulong total, byte[] s)
    {
        ulong size = (ulong)s.Length + 1;
        total += size;
        return size <= ArgumentLimits.MaxArgStrlen;
    }
}
