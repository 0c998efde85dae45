// Physical page frames: one bit per 4 KiB frame (1 = in use), first-fit for
// contiguous runs, a next-fit hint for the common single-page case. Used by
// every CPU, so calls take a spinlock; none of them allocate managed memory.
// The bitmap lives in raw memory the caller provides (metal: just past the
// image; host tests: native memory).
using Kevlar.Runtime.Metal.Threading;
using LockClass = Kevlar.Runtime.Threading.LockClass;

namespace Kevlar.Runtime.Metal.Memory;

public unsafe struct PageFrameAllocator
{
    public const ulong PageSize = 4096;

    private ulong* _bits;
    private ulong _frames;
    private ulong _hint;
    private ulong _free;
    private SpinLock _lock;

    /// <summary>Starts with every frame in use; <see cref="Release"/> the usable RAM.</summary>
    public void Initialize(ulong* bitmap, ulong frames)
    {
        _bits = bitmap;
        _frames = frames;
        for (ulong i = 0; i < (frames + 63) / 64; i++) bitmap[i] = ~0UL;
        _free = 0;
        _hint = 0;
    }

    public readonly ulong FreeFrames => _free;
    public readonly ulong TotalFrames => _frames;

    /// <summary>Marks [address, address+bytes) free (whole frames inside the range only).</summary>
    public void Release(ulong address, ulong bytes)
    {
        ulong first = (address + PageSize - 1) / PageSize, end = (address + bytes) / PageSize;
        if (first == 0) first = 1; // frame 0 is never handed out: 0 means "no memory"
        _lock.Enter(LockClass.PageFrames);
        for (ulong f = first; f < end && f < _frames; f++)
            if (IsUsed(f)) { Clear(f); _free++; }
        _lock.Exit();
    }

    /// <summary>Marks [address, address+bytes) in use (every frame the range touches).</summary>
    public void Reserve(ulong address, ulong bytes)
    {
        ulong first = address / PageSize, end = (address + bytes + PageSize - 1) / PageSize;
        _lock.Enter(LockClass.PageFrames);
        for (ulong f = first; f < end && f < _frames; f++)
            if (!IsUsed(f)) { Set(f); _free--; }
        _lock.Exit();
    }

    /// <summary>Allocates <paramref name="count"/> contiguous frames below <paramref name="limit"/>; returns the physical address or 0.</summary>
    public ulong Allocate(ulong count, ulong limit = ulong.MaxValue)
    {
        if (count == 0) return 0;
        ulong maxFrame = limit / PageSize < _frames ? limit / PageSize : _frames;
        _lock.Enter(LockClass.PageFrames);
        ulong found = Find(count, count == 1 ? _hint : 0, maxFrame);
        if (found == ulong.MaxValue && count == 1) found = Find(1, 0, maxFrame);
        if (found != ulong.MaxValue)
        {
            for (ulong f = found; f < found + count; f++) Set(f);
            _free -= count;
            if (count == 1) _hint = found + 1;
        }
        _lock.Exit();
        return found == ulong.MaxValue ? 0 : found * PageSize;
    }

    public void Free(ulong address, ulong count)
    {
        ulong first = address / PageSize;
        if (first == 0 || first + count > _frames || first + count < first)
            Kevlar.Runtime.Metal.Exports.FailFastExports.Fail("page frames freed outside RAM");
        _lock.Enter(LockClass.PageFrames);
        for (ulong f = first; f < first + count; f++)
        {
            if (!IsUsed(f)) Kevlar.Runtime.Metal.Exports.FailFastExports.Fail("page frame freed twice");
            Clear(f);
        }
        _free += count;
        if (first < _hint) _hint = first;
        _lock.Exit();
    }

    private ulong Find(ulong count, ulong from, ulong maxFrame)
    {
        ulong run = 0;
        for (ulong f = from == 0 ? 1 : from; f < maxFrame; f++)
        {
            if ((f & 63) == 0 && _bits[f / 64] == ~0UL && run == 0) { f += 63; continue; }
            run = IsUsed(f) ? 0 : run + 1;
            if (run == count) return f + 1 - count;
        }
        return ulong.MaxValue;
    }

    private readonly bool IsUsed(ulong f) => (_bits[f / 64] & (1UL << (int)(f % 64))) != 0;
    private void Set(ulong f) => _bits[f / 64] |= 1UL << (int)(f % 64);
    private void Clear(ulong f) => _bits[f / 64] &= ~(1UL << (int)(f % 64));
}
