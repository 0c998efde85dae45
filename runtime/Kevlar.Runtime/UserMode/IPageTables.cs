// IPageTables: one user address space's hardware mappings, page by page. The
// process's memory map (which ranges exist, and with what rights) is portable
// bookkeeping above this; this is only what the MMU sees. Metal implements it
// with 4-level page tables reached through the direct map; the host has a
// dictionary twin. Addresses are page-aligned user addresses; none of these
// calls faults, whatever the address.
using System;

namespace Kevlar.Runtime.UserMode;

public interface IPageTables
{
    /// <summary>Lowest address user pages may be mapped at (the kernel image sits below on metal).</summary>
    ulong LowestUserAddress { get; }

    /// <summary>One past the highest user address (the canonical low half).</summary>
    ulong UserEnd { get; }

    /// <summary>Maps a fresh zero-filled page at <paramref name="va"/>. False when out of
    /// memory, when <paramref name="va"/> is not a user address, or when it is mapped already.</summary>
    bool MapZeroed(ulong va, PageProtection protection);

    /// <summary>Whether <paramref name="va"/> is mapped, and writable by user code.</summary>
    PageState Query(ulong va);

    /// <summary>Changes the rights of the page at <paramref name="va"/>, if mapped.</summary>
    void Protect(ulong va, PageProtection protection);

    /// <summary>Unmaps the page at <paramref name="va"/> and frees its frame, if mapped.</summary>
    void Unmap(ulong va);

    /// <summary>Copies from user memory at <paramref name="va"/> into <paramref name="dest"/>,
    /// ignoring rights; stops at the first page that is not mapped. Returns the bytes copied.</summary>
    int Read(ulong va, Span<byte> dest);

    /// <summary>Copies <paramref name="src"/> to user memory at <paramref name="va"/>, ignoring
    /// rights; stops at the first page that is not mapped. Returns the bytes copied.</summary>
    int Write(ulong va, ReadOnlySpan<byte> src);

    /// <summary>Gives the page at <paramref name="va"/> (CopyOnWrite) its own writable frame — or,
    /// when no other space shares the frame any more, just makes it writable. False when
    /// out of memory or the page is not copy-on-write.</summary>
    bool BreakCopyOnWrite(ulong va);

    /// <summary>Marks the mapped page at <paramref name="va"/> as MAP_SHARED memory: fork shares
    /// its frame as it is (writes stay visible to both), never copy-on-write.</summary>
    void MarkShared(ulong va);

    /// <summary>fork: a new space with the same mappings, every frame shared; private pages
    /// become copy-on-write in both, MAP_SHARED ones stay shared. Null when out of memory.</summary>
    IPageTables? CloneCopyOnWrite();

    /// <summary>exec from a cached image: maps each page of [<paramref name="start"/>,
    /// <paramref name="end"/>) that <paramref name="source"/> maps, to the same frame, copy-on-write
    /// in both as fork shares a private page (a write gives the writer its own copy). Pages mapped
    /// here already are left as they are. Only the first share from a source changes the
    /// source's entries; later ones (perhaps from several CPUs at once) only read them. False
    /// when out of memory.</summary>
    bool ShareFrom(IPageTables source, ulong start, ulong end);

    /// <summary>User pages mapped now, shared ones counted in each space that maps them (the
    /// resident set the OOM killer compares); a hint when read from another CPU.</summary>
    ulong ResidentPages { get; }

    /// <summary>Frees every user page and table. The tables must not be in use on any CPU.</summary>
    void Destroy();
}
