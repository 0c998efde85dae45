// FakePageTables: the smallest host twin of IPageTables the process scenarios
// need — a dictionary of page frames with their state. A fork clone copies
// every frame (no sharing), so copy-on-write never happens; Destroy empties it
// and remembers that it did, for the ExitFreesPages check.
using Kevlar.Runtime.UserMode;

namespace Kevlar.Coyote.Mocks.Processes;

public sealed class FakePageTables : IPageTables
{
    private const ulong PageSize = 4096;

    private readonly Dictionary<ulong, Frame> _frames = new();

    /// <summary>Runs with each clone as it is made (fork), before the child can run.</summary>
    public Action<FakePageTables, FakePageTables>? Cloned { get; set; }

    /// <summary>True once Destroy ran (the process exited).</summary>
    public bool Destroyed { get; private set; }

    /// <summary>Pages mapped now.</summary>
    public int MappedPages => _frames.Count;

    public ulong LowestUserAddress => 0x1000;

    public ulong UserEnd => 0x0000_8000_0000_0000;

    public bool MapZeroed(ulong va, PageProtection protection)
    {
        if (va < LowestUserAddress || va >= UserEnd || _frames.ContainsKey(va))
        {
            return false;
        }
        _frames[va] = new Frame(new byte[PageSize], protection);
        return true;
    }

    public PageState Query(ulong va)
    {
        if (!_frames.TryGetValue(va, out Frame? f))
        {
            return PageState.NotMapped;
        }
        return (f.Protection & PageProtection.Write) != 0 ? PageState.Writable : PageState.ReadOnly;
    }

    public void Protect(ulong va, PageProtection protection)
    {
        if (_frames.TryGetValue(va, out Frame? f))
        {
            f.Protection = protection;
        }
    }

    public void Unmap(ulong va) => _frames.Remove(va);

    public ulong ResidentPages => (ulong)_frames.Count;

    public int Read(ulong va, Span<byte> dest)
    {
        int done = 0;
        while (done < dest.Length && Locate(va + (ulong)done, out byte[] frame, out int offset))
        {
            int n = Math.Min(dest.Length - done, frame.Length - offset);
            frame.AsSpan(offset, n).CopyTo(dest.Slice(done, n));
            done += n;
        }
        return done;
    }

    public int Write(ulong va, ReadOnlySpan<byte> src)
    {
        int done = 0;
        while (done < src.Length && Locate(va + (ulong)done, out byte[] frame, out int offset))
        {
            int n = Math.Min(src.Length - done, frame.Length - offset);
            src.Slice(done, n).CopyTo(frame.AsSpan(offset, n));
            done += n;
        }
        return done;
    }

    public bool BreakCopyOnWrite(ulong va) => false;

    /// <summary>Shared memory is not modelled here: clones copy every page.</summary>
    public void MarkShared(ulong va)
    {
    }

    public IPageTables? CloneCopyOnWrite()
    {
        var copy = new FakePageTables { Cloned = Cloned };
        foreach (var (va, f) in _frames)
        {
            copy._frames[va] = new Frame((byte[])f.Data.Clone(), f.Protection);
        }
        Cloned?.Invoke(this, copy);
        return copy;
    }

    public bool ShareFrom(IPageTables source, ulong start, ulong end)
    {
        var from = (FakePageTables)source;
        for (ulong va = start; va < end; va += PageSize)
        {
            if (from._frames.TryGetValue(va, out Frame? f) && !_frames.ContainsKey(va)) _frames[va] = new Frame((byte[])f.Data.Clone(), f.Protection);
        }
        return true;
    }

    public void Destroy()
    {
        _frames.Clear();
        Destroyed = true;
    }

    // The frame holding va and va's offset in it; false when va's page is not mapped.
    private bool Locate(ulong va, out byte[] frame, out int offset)
    {
        ulong page = va & ~(PageSize - 1);
        offset = (int)(va - page);
        frame = _frames.TryGetValue(page, out Frame? f) ? f.Data : Array.Empty<byte>();
        return f != null;
    }

    private sealed class Frame
    {
        public Frame(byte[] data, PageProtection protection)
        {
            Data = data;
            Protection = protection;
        }

        public byte[] Data { get; }

        public PageProtection Protection { get; set; }
    }
}
