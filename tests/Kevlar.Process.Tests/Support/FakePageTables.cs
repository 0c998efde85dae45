// FakePageTables: the host twin of drivers/x86_64/Memory/UserPageTables — a
// dictionary from page address to a frame (4096 bytes with a reference count
// shared by every space that maps it) and the page's rights. It follows the
// metal rules: fork shares every frame and makes writable pages copy-on-write
// in both spaces; a write breaks the share by copying, or just makes the page
// writable when no other space holds the frame any more; unmapping releases
// the frame. A FramePool counts live frames across spaces and can run out.
using Kevlar.Runtime.UserMode;
using Xunit;

namespace Kevlar.Process.Tests.Support;

/// <summary>Physical frames for fake spaces: counts them and can refuse more (out of memory).</summary>
public sealed class FramePool
{
    /// <summary>Frames allocated and not yet freed.</summary>
    public int LiveFrames { get; private set; }

    /// <summary>How many more frames may be allocated; null for no limit.</summary>
    public int? FramesLeft { get; set; }

    internal Frame? Allocate()
    {
        if (FramesLeft is int left)
        {
            if (left == 0) return null;
            FramesLeft = left - 1;
        }
        LiveFrames++;
        return new Frame(this);
    }

    internal void Free() => LiveFrames--;
}

/// <summary>One physical page and how many spaces map it.</summary>
public sealed class Frame
{
    private readonly FramePool _pool;

    internal Frame(FramePool pool)
    {
        _pool = pool;
        References = 1;
    }

    public byte[] Data { get; } = new byte[4096];

    public int References { get; private set; }

    internal void AddReference() => References++;

    internal void Release()
    {
        Assert.True(References > 0, "a frame is released more often than it was shared");
        if (--References == 0) _pool.Free();
    }
}

public sealed class FakePageTables : IPageTables
{
    public const ulong Lowest = 0x20_0000, End = 0x0000_8000_0000_0000;
    private const ulong PageSize = 4096;

    private sealed class Entry
    {
        public Frame Frame = null!;
        public PageProtection Protection;
        public bool CopyOnWrite;
        public bool Shared;
    }

    private readonly Dictionary<ulong, Entry> _pages = new();

    public FakePageTables(FramePool pool)
    {
        Pool = pool;
    }

    public FramePool Pool { get; }

    /// <summary>True once Destroy ran.</summary>
    public bool Destroyed { get; private set; }

    /// <summary>Makes the next CloneCopyOnWrite fail (out of memory).</summary>
    public bool FailNextClone { get; set; }

    /// <summary>Pages mapped now.</summary>
    public int MappedCount => _pages.Count;

    public ulong ResidentPages => (ulong)_pages.Count;

    public ulong LowestUserAddress => Lowest;

    public ulong UserEnd => End;

    /// <summary>The frame behind <paramref name="va"/>'s page, or null (to check sharing).</summary>
    public Frame? FrameOf(ulong va) => _pages.TryGetValue(va & ~(PageSize - 1), out Entry? e) ? e.Frame : null;

    /// <summary>The rights the page at <paramref name="va"/> was given, or null when not mapped.</summary>
    public PageProtection? ProtectionOf(ulong va) => _pages.TryGetValue(va & ~(PageSize - 1), out Entry? e) ? e.Protection : null;

    public bool MapZeroed(ulong va, PageProtection protection)
    {
        CheckAlive();
        if (!IsUserPage(va) || _pages.ContainsKey(va)) return false;
        Frame? frame = Pool.Allocate();
        if (frame == null) return false;
        _pages[va] = new Entry { Frame = frame, Protection = protection };
        return true;
    }

    public PageState Query(ulong va)
    {
        if (!_pages.TryGetValue(va, out Entry? e)) return PageState.NotMapped;
        if (e.CopyOnWrite) return PageState.CopyOnWrite;
        return (e.Protection & PageProtection.Write) != 0 ? PageState.Writable : PageState.ReadOnly;
    }

    public void Protect(ulong va, PageProtection protection)
    {
        CheckAlive();
        if (_pages.TryGetValue(va, out Entry? e)) e.Protection = protection; // a shared frame stays copy-on-write
    }

    public void Unmap(ulong va)
    {
        CheckAlive();
        if (!_pages.Remove(va, out Entry? e)) return;
        e.Frame.Release();
    }

    public int Read(ulong va, Span<byte> dest)
    {
        int done = 0;
        while (done < dest.Length)
        {
            ulong at = va + (ulong)done;
            if (!Translate(at, out Entry? e)) break;
            int offset = (int)(at & (PageSize - 1));
            int n = Math.Min(dest.Length - done, (int)PageSize - offset);
            e.Frame.Data.AsSpan(offset, n).CopyTo(dest.Slice(done));
            done += n;
        }
        return done;
    }

    public int Write(ulong va, ReadOnlySpan<byte> src)
    {
        int done = 0;
        while (done < src.Length)
        {
            ulong at = va + (ulong)done;
            if (!Translate(at, out Entry? e)) break;
            int offset = (int)(at & (PageSize - 1));
            int n = Math.Min(src.Length - done, (int)PageSize - offset);
            src.Slice(done, n).CopyTo(e.Frame.Data.AsSpan(offset));
            done += n;
        }
        return done;
    }

    public void MarkShared(ulong va)
    {
        if (_pages.TryGetValue(va, out Entry? e)) e.Shared = true;
    }

    public bool BreakCopyOnWrite(ulong va)
    {
        CheckAlive();
        if (!_pages.TryGetValue(va, out Entry? e) || !e.CopyOnWrite) return false;
        if (e.Frame.References > 1)
        {
            Frame? copy = Pool.Allocate();
            if (copy == null) return false;
            e.Frame.Data.CopyTo(copy.Data, 0);
            e.Frame.Release();
            e.Frame = copy;
        }
        e.CopyOnWrite = false;
        e.Protection |= PageProtection.Write;
        return true;
    }

    public IPageTables? CloneCopyOnWrite()
    {
        CheckAlive();
        if (FailNextClone)
        {
            FailNextClone = false;
            return null;
        }
        var child = new FakePageTables(Pool);
        foreach (KeyValuePair<ulong, Entry> p in _pages)
        {
            child._pages[p.Key] = Share(p.Value);
        }
        return child;
    }

    // The entry for another space mapping e's frame: every private page copy-on-write in both,
    // writable or not (as UserPageTables.CloneLevel).
    private static Entry Share(Entry e)
    {
        if (!e.Shared) e.CopyOnWrite = true;
        e.Frame.AddReference();
        return new Entry { Frame = e.Frame, Protection = e.Protection, CopyOnWrite = e.CopyOnWrite, Shared = e.Shared };
    }

    public bool ShareFrom(IPageTables source, ulong start, ulong end)
    {
        CheckAlive();
        var from = (FakePageTables)source;
        for (ulong va = start; va < end; va += PageSize)
        {
            if (from._pages.TryGetValue(va, out Entry? e) && !_pages.ContainsKey(va)) _pages[va] = Share(e);
        }
        return true;
    }

    public void Destroy()
    {
        if (Destroyed) return;
        Destroyed = true;
        foreach (Entry e in _pages.Values) e.Frame.Release();
        _pages.Clear();
    }

    private static bool IsUserPage(ulong va) => (va & (PageSize - 1)) == 0 && va >= Lowest && va < End;

    private bool Translate(ulong va, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Entry? e)
    {
        e = null;
        return va >= Lowest && va < End && _pages.TryGetValue(va & ~(PageSize - 1), out e);
    }

    private void CheckAlive() => Assert.False(Destroyed, "a destroyed address space is used");
}
