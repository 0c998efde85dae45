// IoVector: a list of user buffers (struct iovec { void *iov_base; size_t
// iov_len; }, 16 bytes each) read once from user memory, and the gather and
// scatter of bytes at an offset across them. A bad iovec array is -EFAULT; a
// buffer that faults is -EFAULT when reached. A kernel vector (Kernel) holds
// bytes already in the kernel — sendfile's to a socket — and gathers from
// them; it takes no scatter.
using System;
using Kevlar.Process.Memory;

namespace Kevlar.Process.Files.Sockets;

public sealed class IoVector
{
    /// <summary>UIO_MAXIOV: the most iovecs one call takes.</summary>
    public const int MaxCount = 1024;

    private readonly ulong[] _base;
    private readonly ulong[] _length;
    /// <summary>The sum of the lengths.</summary>
    public readonly long Total;
    private readonly byte[]? _kernel;

    private IoVector(ulong[] bases, ulong[] lengths, long total)
    {
        _base = bases;
        _length = lengths;
        Total = total;
    }

    private IoVector(byte[] kernel, int count)
    {
        _base = new ulong[0];
        _length = new ulong[0];
        _kernel = kernel;
        Total = count;
    }

    /// <summary>The first <paramref name="count"/> bytes of <paramref name="data"/>, in the kernel already.</summary>
    public static IoVector Kernel(byte[] data, int count) => new IoVector(data, count);

    /// <summary>One buffer (read, write, send, recv).</summary>
    public static IoVector Single(ulong buffer, ulong length) => new IoVector(new[] { buffer }, new[] { length }, (long)length);

    /// <summary>Reads <paramref name="count"/> iovecs at <paramref name="address"/>: 0, -EFAULT,
    /// -EMSGSIZE for more than UIO_MAXIOV, -EINVAL for lengths that overflow ssize_t.</summary>
    public static int Read(UserMemory memory, ulong address, ulong count, out IoVector? vector)
    {
        vector = null;
        if (count > MaxCount) return -Errno.EMSGSIZE;
        var bases = new ulong[(int)count];
        var lengths = new ulong[(int)count];
        ulong total = 0;
        for (int i = 0; i < (int)count; i++)
        {
            if (memory.ReadUInt64(address + (ulong)i * 16, out bases[i]) != 0) return -Errno.EFAULT;
            if (memory.ReadUInt64(address + (ulong)i * 16 + 8, out lengths[i]) != 0) return -Errno.EFAULT;
            if (lengths[i] > (ulong)long.MaxValue || total + lengths[i] > (ulong)long.MaxValue) return -Errno.EINVAL;
            total += lengths[i];
        }
        vector = new IoVector(bases, lengths, (long)total);
        return 0;
    }

    /// <summary>Copies dest.Length bytes from the buffers, starting <paramref name="offset"/> bytes in: 0 or -EFAULT.</summary>
    public int Gather(UserMemory memory, long offset, Span<byte> dest)
    {
        if (_kernel == null) return Move(memory, offset, dest, true);
        if (offset + dest.Length > Total) return -Errno.EFAULT;
        new ReadOnlySpan<byte>(_kernel, (int)offset, dest.Length).CopyTo(dest);
        return 0;
    }

    /// <summary>Copies the first <paramref name="count"/> bytes of <paramref name="src"/> into the
    /// buffers, starting <paramref name="offset"/> bytes in: 0 or -EFAULT.</summary>
    public int Scatter(UserMemory memory, long offset, byte[] src, int count)
        => _kernel != null ? -Errno.EFAULT : Move(memory, offset, new Span<byte>(src, 0, count), false);

    private int Move(UserMemory memory, long offset, Span<byte> bytes, bool gather)
    {
        int done = 0;
        for (int i = 0; i < _base.Length && done < bytes.Length; i++)
        {
            ulong len = _length[i];
            if ((ulong)offset >= len)
            {
                offset -= (long)len;
                continue;
            }
            int n = (int)Math.Min(len - (ulong)offset, (ulong)(bytes.Length - done));
            ulong at = _base[i] + (ulong)offset;
            int r = gather ? memory.Read(at, bytes.Slice(done, n)) : memory.Write(at, bytes.Slice(done, n));
            if (r != 0) return -Errno.EFAULT;
            done += n;
            offset = 0;
        }
        return 0;
    }
}
