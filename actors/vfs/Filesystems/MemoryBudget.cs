// MemoryBudget: the pages that the file data of every in-memory filesystem
// (the initramfs root, devtmpfs, each tmpfs mount) may take together. Their
// pages are kernel-heap objects, so without a shared bound the sum of their
// own size= limits (half of RAM each, as on Linux) can exceed the heap itself,
// and a user who fills /tmp runs the kernel out of memory. Each filesystem's
// own limit still applies within the budget; past the budget a write gets
// -ENOSPC, as past its own limit. Linux has no such bound (its page cache is
// RAM, reclaimed or OOM-killed for); here the heap is the RAM of file data.
//
// State: the VfsActor's, which owns every in-memory filesystem.
namespace Kevlar.Vfs.Filesystems;

public sealed class MemoryBudget
{
    public MemoryBudget(long maxPages) { MaxPages = maxPages; }

    public long MaxPages { get; }

    public long PagesInUse { get; private set; }

    public long FreePages => MaxPages - PagesInUse;

    /// <summary>Takes one page: false when the budget is spent.</summary>
    public bool TryCharge()
    {
        if (PagesInUse >= MaxPages) return false;
        PagesInUse++;
        return true;
    }

    public void Uncharge(int count) => PagesInUse -= count;
}
