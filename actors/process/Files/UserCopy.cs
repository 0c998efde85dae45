// UserCopy: read and write for descriptions served inline — the user buffer
// moves through a bounded on-stack chunk, so a huge length costs no kernel
// allocation; a bad buffer is -EFAULT (or the count done so far), as on Linux.
using System;

namespace Kevlar.Process.Files;

public static class UserCopy
{
    public const int Chunk = 4096;

    /// <summary>Reads from <paramref name="f"/> into user memory: count, 0 at end, or -errno.</summary>
    public static long ReadInto(UserThread t, OpenFile f, ulong buffer, ulong count)
    {
        // Sized to the call (the stack buffer is cleared first: a 1-byte read clears 1 byte, not 4 KiB).
        Span<byte> chunk = stackalloc byte[count < Chunk ? (int)count : Chunk];
        long done = 0;
        while ((ulong)done < count)
        {
            int want = (int)Math.Min((ulong)Chunk, count - (ulong)done);
            long n = f.Read(chunk.Slice(0, want));
            if (n < 0) return done > 0 ? done : n;
            if (n == 0) break;
            if (t.Process.UserMemory.Write(buffer + (ulong)done, chunk.Slice(0, (int)n)) != 0)
                return done > 0 ? done : -Errno.EFAULT;
            done += n;
            if (n < want) break;
        }
        return done;
    }

    /// <summary>Writes user memory to <paramref name="f"/>: count or -errno.</summary>
    public static long WriteFrom(UserThread t, OpenFile f, ulong buffer, ulong count)
    {
        Span<byte> chunk = stackalloc byte[count < Chunk ? (int)count : Chunk];
        long done = 0;
        while ((ulong)done < count)
        {
            int want = (int)Math.Min((ulong)Chunk, count - (ulong)done);
            if (t.Process.UserMemory.Read(buffer + (ulong)done, chunk.Slice(0, want)) != 0)
                return done > 0 ? done : -Errno.EFAULT;
            long n = f.Write(chunk.Slice(0, want));
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if (n < want) break;
        }
        return done;
    }
}
