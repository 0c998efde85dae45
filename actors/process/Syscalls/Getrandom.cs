// getrandom(2): bytes from the kernel's generator (xoshiro256** seeded from
// the TSC-based clock at first use and stirred on every call); flags other
// than GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE are -EINVAL. It never blocks:
// the pool counts as initialised from boot.
using System;

namespace Kevlar.Process.Syscalls;

public static class Getrandom
{
    private const int Known = 1 | 2 | 4;
    private const int MaxBytes = 33554431; // Linux caps one call at 32 MiB - 1
    private static ulong s0, s1, s2, s3;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        int flags = a.Int(2);
        if ((flags & ~Known) != 0 || (flags & 6) == 6) return -Errno.EINVAL; // GRND_INSECURE with GRND_RANDOM is meaningless
        ulong want = a.Size(1);
        int total = want > MaxBytes ? MaxBytes : (int)want;
        Stir(t.Process.Host.Clock.MonotonicNanoseconds);
        Span<byte> chunk = stackalloc byte[256];
        int done = 0;
        while (done < total)
        {
            int n = Math.Min(chunk.Length, total - done);
            Fill(chunk.Slice(0, n));
            int r = t.Process.UserMemory.Write(a.Pointer(0) + (ulong)done, chunk.Slice(0, n));
            if (r != 0) return done > 0 ? done : r;
            done += n;
        }
        return done;
    }

    /// <summary>Fills dest with generator output (also used for AT_RANDOM).</summary>
    public static void Fill(Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i += 8)
        {
            ulong v = Next();
            for (int j = 0; j < 8 && i + j < dest.Length; j++) dest[i + j] = (byte)(v >> (8 * j));
        }
    }

    public static void Stir(ulong entropy)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            s0 = 0x9E3779B97F4A7C15; s1 = 0xBF58476D1CE4E5B9; s2 = 0x94D049BB133111EB; s3 = 0x2545F4914F6CDD1D;
        }
        s0 ^= entropy;
        s3 ^= entropy * 0x9E3779B97F4A7C15;
        Next();
    }

    private static ulong Next()
    {
        ulong result = Rotl(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = Rotl(s3, 45);
        return result;
    }

    private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));
}
