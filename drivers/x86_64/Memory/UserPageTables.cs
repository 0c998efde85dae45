// One user address space's 4-level page tables. The upper half (PML4 slots
// 256–511) points at the kernel's own PDPTs, so kernel mappings are the same
// in every space; slot 0's first page directory entries below
// PageTables.KernelLowEnd point at the kernel's tables for the image, which
// stay kernel-only. Everything else in the low half is this space's own:
// intermediate tables carry the user bit, leaves decide the rights. Tables
// and frames are reached through the direct map, never through user
// addresses, so the kernel needs neither SMAP windows nor fault fixups.
//
// State: owned by the process that holds it. Version is unique across all
// spaces and changes whenever a mapping is removed or narrowed, so a CPU that
// still holds this space (or a recycled PML4 at the same address) in CR3
// reloads it, flushing stale TLB entries, before running user code again.
//
// A CPU keeps the last user CR3 loaded while it runs kernel code, and the
// kernel image itself is reached through slot 0's own PDPT and first page
// directory. A CPU may cache those entries (the paging-structure caches)
// until it reloads CR3, which another CPU destroying the space cannot make it
// do. So a PML4 is never returned to the page allocator, and neither are its
// slot-0 PDPT and first PD: Destroy clears and frees only what lies below
// them for user addresses, and the three pages go to a pool together (linked
// through slot 1, never present), so a CPU still pointing at them keeps every
// kernel mapping, cached or not. (Repointing slot 0 at the kernel's own low
// tables and freeing the space's PDPT and PD was not enough: a CPU running a
// handler with the dead space loaded faulted fetching kernel code once the
// freed PD was reused.) The CPU that destroys a space it has loaded switches
// to the kernel's tables first.
using System;
using System.Threading;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Threading;
using LockClass = Kevlar.Runtime.Threading.LockClass;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Drivers.X86_64.Memory;

// Safety: every pointer is a direct-map address of a table or frame this space
// allocated (or the kernel's shared tables, which it never writes or frees).
public sealed unsafe class UserPageTables : IPageTables
{
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
    private const ulong TableFlags = PageTables.Present | PageTables.Writable | PageTables.User;
    /// <summary>Software bit 9: the frame is shared copy-on-write; the entry is read-only until a write breaks the share.</summary>
    private const ulong CopyOnWrite = 1UL << 9;
    /// <summary>What the user asked for: writable once the share is broken (software bit 10).</summary>
    private const ulong WantsWrite = 1UL << 10;
    /// <summary>Software bit 11 on a not-present entry: a PROT_NONE page that keeps its frame (x86 has
    /// no present-but-inaccessible leaf, so the hardware sees no page and every access faults).</summary>
    private const ulong ProtNone = 1UL << 11;
    /// <summary>Software bit 52: MAP_SHARED memory, shared as it is by fork (never copy-on-write).</summary>
    private const ulong SharedPage = 1UL << 52;

    // A leaf that holds a frame: present, or kept while PROT_NONE.
    private static bool HoldsFrame(ulong e) => (e & (PageTables.Present | ProtNone)) != 0;
    public const ulong UserLimit = 0x0000_8000_0000_0000;

    private readonly ulong* _pml4;
    /// <summary>Page directory entries of slot 0 shared with the kernel (the image).</summary>
    private readonly int _sharedPdEntries;
    private bool _destroyed;

    /// <summary>Changes (to a value no space had before) whenever a mapping is removed or loses rights.</summary>
    public ulong Version;
    private static long s_versions;

    // Retired PML4 pages, kernel half intact, linked through their slot 0.
    private static ulong* s_pml4Pool;
    private static SpinLock s_poolLock;

    private UserPageTables(ulong* pml4, int sharedPdEntries)
    {
        _pml4 = pml4;
        _sharedPdEntries = sharedPdEntries;
        NewVersion();
    }

    private void NewVersion() => Volatile.Write(ref Version, (ulong)Interlocked.Increment(ref s_versions));

    // A mapping was removed or narrowed: a new version (so CPUs in the kernel flush on their next
    // entry), then the CPUs running user code here are brought back, before any frame is freed.
    private void Narrowed()
    {
        NewVersion();
        Shootdown();
    }

    /// <summary>Torn down (Destroy): a CPU on its way into user mode here turns back.</summary>
    public bool IsDestroyed => Volatile.Read(ref _destroyed);

    /// <summary>Brings every other CPU that runs user code in this space back to the kernel (the
    /// wakeup IPI) and returns once each has left it: any TLB entry of this space they held is
    /// gone with the CR3 reload their next entry does (MetalUserMode.Run).</summary>
    // Safety: CpuLocal.All holds CpuLocal.Count per-CPU structs that live for the whole run.
    public void Shootdown()
    {
        Interlocked.MemoryBarrier(); // the version (or _destroyed) before the RunningSpace reads
        ulong root = Root;
        CpuLocal* self = CpuLocal.Current;
        int count = CpuLocal.Count;
        // Most calls (every page of a munmap or an exit) find no other CPU in the space and pay
        // only this scan.
        int first = 0;
        while (first < count && !RunsIn(CpuLocal.All[first], self, root)) first++;
        if (first == count) return;
        ulong* exits = stackalloc ulong[CpuLocal.MaxCpus];
        for (int i = first; i < count; i++)
        {
            CpuLocal* cpu = CpuLocal.All[i];
            exits[i] = ulong.MaxValue;
            if (!RunsIn(cpu, self, root)) continue;
            exits[i] = Volatile.Read(ref cpu->UserExits);
            LocalApic.SendFixed(cpu->ApicId, Idt.WakeupVector);
        }
        for (int i = first; i < count; i++)
        {
            if (exits[i] == ulong.MaxValue) continue;
            CpuLocal* cpu = CpuLocal.All[i];
            while (Volatile.Read(ref cpu->RunningSpace) == root && Volatile.Read(ref cpu->UserExits) == exits[i]) Native.Pause();
        }
    }

    // Another CPU that announced root as the space it runs user code in.
    private static bool RunsIn(CpuLocal* cpu, CpuLocal* self, ulong root)
        => cpu != null && cpu != self && Volatile.Read(ref cpu->RunningSpace) == root;

    /// <summary>A new space sharing the kernel's half; null when out of memory.</summary>
    public static UserPageTables? Create()
    {
        ulong* pml4 = TakePml4();
        return pml4 == null ? null : new UserPageTables(pml4, SharedPdEntries);
    }

    // Entries of slot 0's first page directory that map the kernel image (the kernel's own).
    private static int SharedPdEntries => (int)(PageTables.KernelLowEnd >> 21);

    /// <summary>Physical address of the PML4, for CR3.</summary>
    public ulong Root => DirectMap.ToPhysical(_pml4);

    public ulong LowestUserAddress => PageTables.KernelLowEnd;

    public ulong UserEnd => UserLimit;

    // Leaves mapped in this space (ResidentPages); changed only by its owner's CPU.
    private ulong _resident;

    public ulong ResidentPages => System.Threading.Volatile.Read(ref _resident);

    public bool MapZeroed(ulong va, PageProtection protection)
    {
        if (!IsUserPage(va)) return false;
        ulong* pt = Walk(va, true);
        if (pt == null) return false;
        ulong index = (va >> 12) & 511;
        if (HoldsFrame(pt[index])) return false;
        ulong frame = PhysicalMemory.AllocatePages(1);
        if (frame == 0) return false;
        ulong* p = (ulong*)DirectMap.ToVirtual(frame);
        for (int i = 0; i < 512; i++) p[i] = 0;
        FrameReferences.SetOne(frame);
        pt[index] = frame | LeafFlags(protection);
        System.Threading.Volatile.Write(ref _resident, _resident + 1);
        return true;
    }

    public PageState Query(ulong va)
    {
        ulong* pte = Leaf(va);
        if (pte == null || !HoldsFrame(*pte)) return PageState.NotMapped;
        if ((*pte & CopyOnWrite) != 0) return PageState.CopyOnWrite;
        return (*pte & PageTables.Writable) != 0 ? PageState.Writable : PageState.ReadOnly;
    }

    public void Protect(ulong va, PageProtection protection)
    {
        ulong* pte = Leaf(va);
        if (pte == null || !HoldsFrame(*pte)) return;
        ulong cow = *pte & CopyOnWrite;
        ulong flags = LeafFlags(protection);
        // A shared frame stays read-only; remember whether a write may break the share.
        if (cow != 0 && protection != PageProtection.None)
            flags = AsCopyOnWrite(flags);
        else if (cow != 0)
            flags |= CopyOnWrite;
        *pte = (*pte & AddressMask) | flags | (*pte & SharedPage);
        Narrowed();
    }

    public void MarkShared(ulong va)
    {
        ulong* pte = Leaf(va);
        if (pte != null && HoldsFrame(*pte)) *pte |= SharedPage;
    }

    public bool BreakCopyOnWrite(ulong va)
    {
        ulong* pte = Leaf(va);
        if (pte == null || (*pte & (PageTables.Present | CopyOnWrite)) != (PageTables.Present | CopyOnWrite)) return false;
        ulong frame = *pte & AddressMask;
        ulong rights = (*pte & ~(AddressMask | CopyOnWrite | WantsWrite)) | PageTables.Writable;
        if (FrameReferences.Count(frame) == 1)
        {
            *pte = frame | rights;
            return true;
        }
        ulong copy = PhysicalMemory.AllocatePages(1);
        if (copy == 0) return false;
        ulong* from = (ulong*)DirectMap.ToVirtual(frame), to = (ulong*)DirectMap.ToVirtual(copy);
        for (int i = 0; i < 512; i++) to[i] = from[i];
        FrameReferences.SetOne(copy);
        *pte = copy | rights;
        Narrowed();
        if (FrameReferences.Release(frame)) PhysicalMemory.FreePages(frame, 1);
        return true;
    }

    public IPageTables? CloneCopyOnWrite()
    {
        UserPageTables? child = Create();
        if (child == null) return null;
        for (int i = 0; i < 256; i++)
        {
            if ((_pml4[i] & PageTables.Present) == 0) continue;
            if (!CloneLevel((ulong*)DirectMap.ToVirtual(_pml4[i] & AddressMask), 3, (ulong)i << 39, i == 0, child))
            {
                child.Destroy();
                return null;
            }
        }
        Narrowed(); // this space's writable entries became read-only
        return child;
    }

    // Shares every present leaf under table with child, marking writable ones copy-on-write in both.
    private bool CloneLevel(ulong* table, int level, ulong baseVa, bool first, UserPageTables child)
    {
        for (int i = 0; i < 512; i++)
        {
            ulong e = table[i];
            if (level == 1 ? !HoldsFrame(e) : (e & PageTables.Present) == 0) continue;
            if (level == 2 && first && i < _sharedPdEntries) continue;
            ulong va = baseVa | ((ulong)i << (12 + 9 * (level - 1)));
            if (level > 1)
            {
                if (!CloneLevel((ulong*)DirectMap.ToVirtual(e & AddressMask), level - 1, va, first && i == 0, child)) return false;
                continue;
            }
            // Every private page is shared copy-on-write, writable or not: a later mprotect(PROT_WRITE)
            // must still give each process its own copy.
            if ((e & (CopyOnWrite | SharedPage)) == 0) e = AsCopyOnWrite(e);
            table[i] = e;
            ulong* pt = child.Walk(va, true);
            if (pt == null) return false;
            pt[(va >> 12) & 511] = e;
            child._resident++;
            FrameReferences.Add(e & AddressMask);
        }
        return true;
    }

    public bool ShareFrom(IPageTables source, ulong start, ulong end)
    {
        var from = (UserPageTables)source;
        for (ulong va = start; va < end; va += 4096)
        {
            if (!IsUserPage(va)) return false;
            ulong* leaf = from.Leaf(va);
            if (leaf == null || !HoldsFrame(*leaf)) continue;
            ulong e = *leaf;
            // As CloneLevel: every private page becomes copy-on-write, in the source too (it never runs).
            if ((e & (CopyOnWrite | SharedPage)) == 0)
            {
                e = AsCopyOnWrite(e);
                *leaf = e;
            }
            ulong* pt = Walk(va, true);
            if (pt == null) return false;
            ulong index = (va >> 12) & 511;
            if (HoldsFrame(pt[index])) continue;
            FrameReferences.Add(e & AddressMask);
            pt[index] = e;
            System.Threading.Volatile.Write(ref _resident, _resident + 1);
        }
        return true;
    }

    // A leaf shared copy-on-write: read-only to the MMU, remembering whether a write may break the share.
    private static ulong AsCopyOnWrite(ulong e)
        => (e & ~(PageTables.Writable | WantsWrite)) | CopyOnWrite | ((e & PageTables.Writable) != 0 ? WantsWrite : 0);

    public void Unmap(ulong va)
    {
        ulong* pte = Leaf(va);
        if (pte == null || !HoldsFrame(*pte)) return;
        ulong frame = *pte & AddressMask;
        *pte = 0;
        System.Threading.Volatile.Write(ref _resident, _resident - 1);
        Narrowed();
        if (FrameReferences.Release(frame)) PhysicalMemory.FreePages(frame, 1);
    }

    public int Read(ulong va, Span<byte> dest)
    {
        int done = 0;
        while (done < dest.Length)
        {
            byte* at = Translate(va + (ulong)done);
            if (at == null) break;
            int n = Chunk(va + (ulong)done, dest.Length - done);
            // Safety: Translate mapped the page at `at` and Chunk keeps n within it.
            new ReadOnlySpan<byte>(at, n).CopyTo(dest.Slice(done, n));
            done += n;
        }
        return done;
    }

    public int Write(ulong va, ReadOnlySpan<byte> src)
    {
        int done = 0;
        while (done < src.Length)
        {
            byte* at = Translate(va + (ulong)done);
            if (at == null) break;
            int n = Chunk(va + (ulong)done, src.Length - done);
            // Safety: Translate mapped the page at `at` and Chunk keeps n within it.
            src.Slice(done, n).CopyTo(new Span<byte>(at, n));
            done += n;
        }
        return done;
    }

    public void Destroy()
    {
        if (_destroyed) return;
        Volatile.Write(ref _destroyed, true);
        Shootdown();
        System.Threading.Volatile.Write(ref _resident, 0);
        if (Native.ReadCr3() == Root) Native.WriteCr3(PageTables.Root);
        // Slot 0: its PDPT and first PD stay (see the header); what they hold for user addresses goes.
        ulong* pdpt = (ulong*)DirectMap.ToVirtual(_pml4[0] & AddressMask);
        ulong* pd = (ulong*)DirectMap.ToVirtual(pdpt[0] & AddressMask);
        for (int i = _sharedPdEntries; i < 512; i++)
            if ((pd[i] & PageTables.Present) != 0)
            {
                ulong e = pd[i];
                pd[i] = 0;
                FreeLevel((ulong*)DirectMap.ToVirtual(e & AddressMask), 1);
            }
        for (int i = 1; i < 512; i++)
            if ((pdpt[i] & PageTables.Present) != 0)
            {
                ulong e = pdpt[i];
                pdpt[i] = 0;
                FreeLevel((ulong*)DirectMap.ToVirtual(e & AddressMask), 2);
            }
        for (int i = 1; i < 256; i++)
        {
            ulong e = _pml4[i];
            if ((e & PageTables.Present) == 0) continue;
            _pml4[i] = 0;
            FreeLevel((ulong*)DirectMap.ToVirtual(e & AddressMask), 3);
        }
        ReturnPml4(_pml4);
    }

    // A PML4 with the kernel's mappings (its own slot-0 PDPT and first PD holding the image's
    // entries), from the pool or fresh; null when out of memory.
    private static ulong* TakePml4()
    {
        s_poolLock.Enter(LockClass.PageTablePool);
        ulong* pml4 = s_pml4Pool;
        if (pml4 != null) s_pml4Pool = (ulong*)pml4[PoolLink];
        s_poolLock.Exit();
        if (pml4 != null)
        {
            pml4[PoolLink] = 0;
            return pml4;
        }
        pml4 = AllocateTable();
        ulong* pdpt = AllocateTable();
        ulong* pd = AllocateTable();
        if (pml4 == null || pdpt == null || pd == null)
        {
            FreeTable(pml4);
            FreeTable(pdpt);
            FreeTable(pd);
            return null;
        }
        ulong* kernel = PageTables.KernelPml4;
        for (int i = 256; i < 512; i++) pml4[i] = kernel[i];
        pml4[0] = DirectMap.ToPhysical(pdpt) | TableFlags;
        pdpt[0] = DirectMap.ToPhysical(pd) | TableFlags;
        ulong* kernelPd = KernelLowPd();
        for (int i = 0; i < SharedPdEntries; i++) pd[i] = kernelPd[i];
        return pml4;
    }

    // The link is a page-aligned kernel address: bit 0 clear, so never a present entry.
    private const int PoolLink = 1;

    private static void ReturnPml4(ulong* pml4)
    {
        s_poolLock.Enter(LockClass.PageTablePool);
        pml4[PoolLink] = (ulong)s_pml4Pool;
        s_pml4Pool = pml4;
        s_poolLock.Exit();
    }

    // Frees a table of user mappings and everything under it (level 1: a page table of leaves).
    private void FreeLevel(ulong* table, int level)
    {
        for (int i = 0; i < 512; i++)
        {
            ulong e = table[i];
            if (level == 1 ? !HoldsFrame(e) : (e & PageTables.Present) == 0) continue;
            if (level == 1)
            {
                if (FrameReferences.Release(e & AddressMask)) PhysicalMemory.FreePages(e & AddressMask, 1);
            }
            else FreeLevel((ulong*)DirectMap.ToVirtual(e & AddressMask), level - 1);
        }
        FreeTable(table);
    }

    private bool IsUserPage(ulong va) => (va & 0xFFF) == 0 && va >= PageTables.KernelLowEnd && va < UserLimit;

    private static int Chunk(ulong va, int remaining)
    {
        int inPage = (int)(0x1000 - (va & 0xFFF));
        return remaining < inPage ? remaining : inPage;
    }

    // The kernel address of user byte va, or null when its page is not mapped.
    private byte* Translate(ulong va)
    {
        if (va < PageTables.KernelLowEnd || va >= UserLimit) return null;
        ulong* pte = Leaf(va);
        if (pte == null || (*pte & PageTables.Present) == 0) return null;
        return DirectMap.ToVirtual((*pte & AddressMask) + (va & 0xFFF));
    }

    private ulong* Leaf(ulong va)
    {
        if (va < PageTables.KernelLowEnd || va >= UserLimit) return null;
        ulong* pt = Walk(va, false);
        return pt == null ? null : pt + ((va >> 12) & 511);
    }

    // The page table (level 1) covering va, created on demand when asked.
    private ulong* Walk(ulong va, bool create)
    {
        ulong* table = _pml4;
        for (int level = 4; level > 1; level--)
        {
            ulong index = (va >> (12 + 9 * (level - 1))) & 511;
            ulong e = table[index];
            if ((e & PageTables.Present) == 0)
            {
                if (!create) return null;
                ulong* next = AllocateTable();
                if (next == null) return null;
                e = DirectMap.ToPhysical(next) | TableFlags;
                table[index] = e;
            }
            table = (ulong*)DirectMap.ToVirtual(e & AddressMask);
        }
        return table;
    }

    private static ulong LeafFlags(PageProtection p)
    {
        if (p == PageProtection.None) return ProtNone;
        ulong flags = PageTables.Present | PageTables.User;
        if ((p & PageProtection.Write) != 0) flags |= PageTables.Writable;
        if ((p & PageProtection.Execute) == 0) flags |= PageTables.NoExecute;
        return flags;
    }

    // A zeroed table through the direct map, or null when out of memory.
    private static ulong* AllocateTable()
    {
        ulong frame = PhysicalMemory.AllocatePages(1);
        if (frame == 0) return null;
        ulong* t = (ulong*)DirectMap.ToVirtual(frame);
        for (int i = 0; i < 512; i++) t[i] = 0;
        return t;
    }

    private static void FreeTable(ulong* table)
    {
        if (table != null) PhysicalMemory.FreePages(DirectMap.ToPhysical(table), 1);
    }

    private static ulong* KernelLowPd()
    {
        ulong* kernel = PageTables.KernelPml4;
        ulong* pdpt = (ulong*)DirectMap.ToVirtual(kernel[0] & AddressMask);
        return (ulong*)DirectMap.ToVirtual(pdpt[0] & AddressMask);
    }
}
