// UserMemory: the only way kernel code reads or writes a process's memory.
// Every access is checked against the memory map (rights as user code has
// them, so read(2) into a read-only buffer fails as on Linux) and faults the
// pages in first; anything outside the map is -EFAULT, never a kernel fault.
// Copies go through the page tables' kernel view, so they work from any CPU
// whatever address space it has loaded.
using System;
using System.Buffers.Binary;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Memory;

public sealed class UserMemory
{
    /// <summary>Longest path Linux accepts (PATH_MAX, NUL included).</summary>
    public const int PathMax = 4096;

    /// <summary>TASK_SIZE_MAX: where x86_64 user space ends (a page short of 2^47), which is
    /// also where the main thread's stack starts.</summary>
    public const ulong UserEnd = MemoryMap.StackTop;

    /// <summary>Linux's access_ok: [address, address + length) lies in user space, mapped or
    /// not. System calls check it before anything else touches the buffer.</summary>
    public static bool InUserSpace(ulong address, ulong length)
    {
        ulong end = address + length;
        return end >= address && end <= UserEnd;
    }

    private readonly MemoryMap _map;

    public UserMemory(MemoryMap map)
    {
        _map = map;
    }

    /// <summary>Copies [address, address + dest.Length) into dest; 0 or -EFAULT.</summary>
    public int Read(ulong address, Span<byte> dest)
    {
        if (!Prepare(address, (ulong)dest.Length, false)) return -Errno.EFAULT;
        return _map.Pages.Read(address, dest) == dest.Length ? 0 : -Errno.EFAULT;
    }

    /// <summary>Copies src to [address, address + src.Length); 0 or -EFAULT.</summary>
    public int Write(ulong address, ReadOnlySpan<byte> src)
    {
        if (!Prepare(address, (ulong)src.Length, true)) return -Errno.EFAULT;
        return _map.Pages.Write(address, src) == src.Length ? 0 : -Errno.EFAULT;
    }

    /// <summary>Writes as much of <paramref name="src"/> as lands in writable pages before the
    /// first that is not (copy_to_user's partial copy): the number of bytes written.</summary>
    public int WritePrefix(ulong address, ReadOnlySpan<byte> src)
    {
        int done = 0;
        while (done < src.Length)
        {
            ulong at = address + (ulong)done;
            int piece = (int)Math.Min((ulong)(src.Length - done), MemoryMap.PageDown(at) + MemoryMap.PageSize - at);
            if (Write(at, src.Slice(done, piece)) != 0) break;
            done += piece;
        }
        return done;
    }

    public int ReadUInt64(ulong address, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        int r = Read(address, b);
        value = r == 0 ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        return r;
    }

    public int WriteUInt64(ulong address, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return Write(address, b);
    }

    public int WriteInt32(ulong address, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return Write(address, b);
    }

    /// <summary>Reads a struct timespec as nanoseconds: 0, -EFAULT, or -EINVAL for negative seconds or
    /// tv_nsec outside [0, 1e9) (Linux's timespec64_valid). Huge values saturate.</summary>
    public int ReadTimespec(ulong address, out ulong nanoseconds)
    {
        nanoseconds = 0;
        int r = ReadUInt64(address, out ulong seconds);
        ulong nanos = 0;
        if (r == 0) r = ReadUInt64(address + 8, out nanos);
        if (r != 0) return r;
        if ((long)seconds < 0 || nanos >= 1_000_000_000) return -Errno.EINVAL;
        nanoseconds = seconds > ulong.MaxValue / 2_000_000_000 ? ulong.MaxValue / 2 : seconds * 1_000_000_000 + nanos;
        return 0;
    }

    /// <summary>Writes nanoseconds as a struct timespec: 0 or -EFAULT.</summary>
    public int WriteTimespec(ulong address, ulong nanoseconds)
    {
        Span<byte> ts = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(ts, nanoseconds / 1_000_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(ts.Slice(8), nanoseconds % 1_000_000_000);
        return Write(address, ts);
    }

    /// <summary>Reads a NUL-terminated byte string of at most <paramref name="max"/> bytes
    /// (NUL included). 0, -EFAULT, or -ENAMETOOLONG when no NUL comes within max.</summary>
    public int ReadCString(ulong address, int max, out byte[] value)
    {
        // A chunk at a time, never past the end of the page it starts in: the bytes after the
        // NUL may be unmapped, as one byte at a time would never have touched them.
        value = new byte[0];
        Span<byte> chunk = stackalloc byte[256];
        byte[] text = value;
        int length = 0;
        while (length < max)
        {
            ulong at = address + (ulong)length;
            ulong toPageEnd = MemoryMap.PageSize - (at & (MemoryMap.PageSize - 1));
            int want = max - length < chunk.Length ? max - length : chunk.Length;
            if ((ulong)want > toPageEnd) want = (int)toPageEnd;
            if (Read(at, chunk.Slice(0, want)) != 0) return -Errno.EFAULT;
            int take = 0;
            while (take < want && chunk[take] != 0) take++;
            if (length + take > text.Length)
            {
                var grown = new byte[length + take < 64 ? 64 : 2 * (length + take)];
                for (int i = 0; i < length; i++) grown[i] = text[i];
                text = grown;
            }
            for (int i = 0; i < take; i++) text[length + i] = chunk[i];
            length += take;
            if (take < want)
            {
                value = new byte[length];
                for (int i = 0; i < length; i++) value[i] = text[i];
                return 0;
            }
        }
        return -Errno.ENAMETOOLONG;
    }

    // Checks rights over the whole range and faults every page in.
    private bool Prepare(ulong address, ulong length, bool write)
    {
        if (length == 0) return true;
        ulong end = address + length;
        if (end < address || end > _map.Pages.UserEnd) return false;
        for (ulong page = MemoryMap.PageDown(address); page < end; page += MemoryMap.PageSize)
            if (!_map.Touch(page < address ? address : page, write, false)) return false;
        return true;
    }
}
