// The kernel's garbage-collected heap: one contiguous region cut into 64 KiB
// blocks. A small block holds cells of one size class; an object larger than
// the biggest class gets a run of whole blocks. Each CPU allocates from its own
// current block per class without locks; taking a new block takes the heap
// lock. Marking is precise through each object's GCDesc, conservative for
// stacks and saved registers (see GcHeap.Marking.cs). It runs mostly
// concurrently (GcHeap.Concurrent.cs): two short pauses at scheduler
// safepoints bracket a mark that runs in slices on one CPU while the others run
// handlers, with a write barrier (GcHeap.Barrier.cs); a heap running short, or
// a collection asked for outside that cycle, marks in one stop-the-world pause
// (GcHeap.Collection.cs). Sweeping is lazy: a block is swept when an allocator
// next needs it, outside the pause (GcHeap.Sweeping.cs).
//
// Invariants:
//  1. A cell of a block swept since the last collection holds an object exactly
//     while its alloc bit is set; the object starts 8 bytes into its cell (the
//     header precedes it). A block not yet swept may still have alloc bits of
//     objects the last collection found dead: they hold intact objects, only
//     unreachable ones.
//  2. A block with Owner >= 0 is allocated from only by that CPU, and has been
//     swept since the last collection.
//  3. A block's mark bits mean something only when its MarkEpoch is the
//     collection they belong to: marking clears a block's bits the first time it
//     marks in it, and a sweep after collection k reads them only if the block's
//     MarkEpoch is k (else nothing in it survived). A large object is marked
//     when its head's MarkEpoch is the collection's number.
//  4. A block formatted while collection k marks concurrently has BlackEpoch k:
//     everything allocated in it is live for k (allocated black), marking never
//     enters it, and the sweep after k keeps all its cells.
using System.Threading;
using Internal.Runtime;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Metal.Exports;
using LockClass = Kevlar.Runtime.Threading.LockClass;
using SpinLock = Kevlar.Runtime.Metal.Threading.SpinLock;

namespace Kevlar.Runtime.Metal.Memory;

public static unsafe partial class GcHeap
{
    public const int BlockShift = 16;
    public const ulong BlockSize = 1UL << BlockShift;
    private const int BitmapWords = 64;       // 4096 cells per block at most
    private const int MaxCpus = 64;

    private const byte KindFree = 0, KindSmall = 1, KindLargeHead = 2, KindLargeTail = 3;

    private const int ClassCount = 21;
    // A heap with less than 1/LowFraction of its bytes free asks for a collection at once (NoteAllocation).
    private const int LowFraction = 4;

    /// <summary>Cell size of each size class (a switch: array initializers need runtime type tokens).</summary>
    private static int CellSizeOf(int cls) => cls switch
    {
        0 => 24, 1 => 32, 2 => 48, 3 => 64, 4 => 80, 5 => 96, 6 => 128, 7 => 160, 8 => 192, 9 => 256, 10 => 320,
        11 => 384, 12 => 512, 13 => 768, 14 => 1024, 15 => 1536, 16 => 2048, 17 => 3072, 18 => 4096, 19 => 6144, _ => 8192,
    };
    public const ulong LargeThreshold = 8192;

    private struct BlockInfo
    {
        public byte Kind;
        public byte SizeClass;
        public int CellSize;
        /// <summary>ceil(2^32 / CellSize): CellOf divides by CellSize with a multiply (a 64-bit
        /// division is a helper call under TCG, on the allocation and marking paths).</summary>
        public ulong CellReciprocal;
        public int CellCount;
        public int FreeCount;
        public int Owner;
        /// <summary>Large head: block count; large tail: index of the head.</summary>
        public int Large;
        public int NextAvailable;
        public byte* FreeList;
        /// <summary>The first cell never handed out since the block was formatted: a fresh block
        /// hands out cells by bumping this, with no free list built (CellCount once swept).</summary>
        public int BumpIndex;
        /// <summary>The collection whose marks the block's mark bits hold (a large object: marked in it).</summary>
        public int MarkEpoch;
        /// <summary>The collection after which the block was last swept, or formatted (-1 never).</summary>
        public int SweptEpoch;
        /// <summary>The collection whose concurrent mark the block was formatted during (invariant 4), else -1.</summary>
        public int BlackEpoch;
        /// <summary>Cells marked in the block by the collection MarkEpoch names.</summary>
        public int MarkedCells;
    }

    // Owned by the heap lock (or by the collector while the world is stopped).
    private static byte* s_base;
    private static int s_blockCount;
    private static BlockInfo* s_info;
    private static ulong* s_allocBits;
    private static ulong* s_markBits;
    private static int* s_available;          // per class: head of the list of blocks with free cells
    private static SpinLock s_lock;
    private static int s_blocksInUse;

    // Size class by size in 8-byte granules (0..LargeThreshold/8), filled once at Initialize:
    // the allocation path looks the class up instead of searching the classes.
    private static byte* s_classBySize;
    private const int ClassTableBytes = (int)(LargeThreshold / 8 + 1 + 7) & ~7;

    // Each CPU's current block per class (-1 none); written only by that CPU, reset by the collector.
    private static int* s_current;

    // Collection policy.
    private static long s_allocatedSinceCollection;
    private static long s_trigger;
    private static int s_requested;
    // An allocation is waiting for this round (AllocateAfterCollecting): it must free what it can.
    private static bool s_wholeWanted;
    // The room a whole round asked for by an allocation left (MeasureRoomAfterRound); -1: the last round measured none.
    private static int s_freeRunAfterRound = -1;
    private static int s_classesWithRoomAfterRound;
    public static ulong LiveBytesAfterLastCollection;
    public static long LiveObjectsAfterLastCollection;
    public static long Collections;
    /// <summary>True when the last Collect round was a whole collection with the world stopped, so
    /// LiveBytesAfterLastCollection is exactly what was reachable then (no floating garbage).</summary>
    public static bool LastRoundCollectedEverything;

    /// <summary>The calling CPU's index (installed by the platform).</summary>
    public static delegate*<int> CurrentCpu;
    /// <summary>Asks the scheduler for a collection at the next safepoint (installed by the platform).</summary>
    public static delegate*<void> RequestCollection;
    /// <summary>Prints the heap's state before an out-of-memory panic (installed by the platform; must not allocate).</summary>
    public static delegate*<void> ReportOutOfMemory;
    /// <summary>Takes part in a safepoint round from inside the allocation that found the heap full, after
    /// it asked for one, and returns once a collection has run (installed by the platform). False, at
    /// once, when the caller may not wait for one where it is: it holds a kernel lock, which a CPU on
    /// its way to the safepoint could be spinning on; it runs on a stack the collector does not scan;
    /// or no CPU runs the scheduler yet.</summary>
    public static delegate*<bool> CollectFromAllocation;

    public static int BlockCount => s_blockCount;
    public static int BlocksInUse => s_blocksInUse;
    public static long AllocatedSinceCollection => s_allocatedSinceCollection;
    public static long Trigger => s_trigger;
    public static bool CollectionRequested => s_requested != 0;

    public static bool IsInitialized => s_base != null;
    public static ulong RegionStart => (ulong)s_base;
    public static ulong RegionEnd => (ulong)s_base + (ulong)s_blockCount * BlockSize;
    /// <summary>Bytes of blocks that held reachable objects at the last collection plus blocks handed out
    /// since: the heap's footprint as the last collection left it (dead blocks the lazy sweep has not
    /// reached yet do not count).</summary>
    public static ulong UsedBytes => (ulong)Volatile.Read(ref s_blocksInUse) * BlockSize;

    /// <summary>Takes over [region, region+bytes) (block aligned) plus raw metadata memory.</summary>
    public static void Initialize(byte* region, ulong bytes, byte* metadata, ulong metadataBytes, long trigger)
    {
        s_base = region;
        s_blockCount = (int)(bytes >> BlockShift);
        byte* m = metadata;
        s_info = (BlockInfo*)m; m += (ulong)s_blockCount * (ulong)sizeof(BlockInfo);
        s_allocBits = (ulong*)m; m += (ulong)s_blockCount * BitmapWords * 8;
        s_markBits = (ulong*)m; m += (ulong)s_blockCount * BitmapWords * 8;
        s_available = (int*)m; m += ClassCount * 4;
        s_current = (int*)m; m += MaxCpus * ClassCount * 4;
        s_classBySize = m; m += ClassTableBytes;
        s_pauses = (GcPause*)m; m += PauseRingSize * sizeof(GcPause);
        s_markedList = (int*)m; m += ((ulong)s_blockCount * 4 + 7) & ~7UL;
        s_blackList = (int*)m; m += ((ulong)s_blockCount * 4 + 7) & ~7UL;
        s_barrierBuffers = (nint*)m; m += MaxCpus * BarrierEntries * 8;
        s_barrierCounts = (int*)m; m += MaxCpus * 4;
        s_markStack = (nint*)m;
        s_markStackCapacity = (int)((metadata + metadataBytes - m) / 8);
        if (s_markStackCapacity < 1024) FailFastExports.Fail("gc: heap metadata too small");
        for (int b = 0; b < s_blockCount; b++)
        {
            s_info[b] = default;
            s_info[b].Owner = -1;
            s_info[b].NextAvailable = -1;
            s_info[b].MarkEpoch = -1;
            s_info[b].SweptEpoch = -1;
            s_info[b].BlackEpoch = -1;
        }
        for (int i = 0; i < MaxCpus; i++) s_barrierCounts[i] = 0;
        for (int c = 0; c < ClassCount; c++) s_available[c] = -1;
        for (int i = 0; i < MaxCpus * ClassCount; i++) s_current[i] = -1;
        for (int granules = 0, c = 0; granules <= (int)(LargeThreshold / 8); granules++)
        {
            while (CellSizeOf(c) < granules * 8) c++;
            s_classBySize[granules] = (byte)c;
        }
        s_trigger = trigger;
        s_minimumTrigger = trigger;
        // Every other piece of collector state starts over too (the host builds many heaps in one process).
        s_lock = default;
        s_markLock = default;
        s_markStackTop = 0;
        s_markStackOverflowed = false;
        s_blackSmall = 0;
        s_blackLargeBlocks = 0;
        s_finishForced = false;
        s_finishAttempts = 0;
        s_keptBytes = 0;
        s_blocksInUse = 0;
        s_allocatedSinceCollection = 0;
        s_requested = 0;
        s_wholeWanted = false;
        s_freeRunAfterRound = -1;
        Collections = 0;
        LiveBytesAfterLastCollection = 0;
        LiveObjectsAfterLastCollection = 0;
        s_requestedAtNs = 0;
        s_sweepCursor = s_blockCount;
        s_markEpoch = 0;
        s_phase = PhaseIdle;
        s_markerCpu = -1;
        s_finishRequested = 0;
    }

    /// <summary>Metadata bytes <see cref="Initialize"/> needs for a region, with room for the mark stack.</summary>
    public static ulong MetadataBytes(ulong regionBytes, ulong markStackBytes)
    {
        ulong blocks = regionBytes >> BlockShift;
        return blocks * (ulong)sizeof(BlockInfo) + blocks * BitmapWords * 16 + ClassCount * 4 + MaxCpus * ClassCount * 4 + ClassTableBytes
            + PauseRingSize * (ulong)sizeof(GcPause) + 2 * ((blocks * 4 + 7) & ~7UL) + MaxCpus * BarrierEntries * 8 + MaxCpus * 4
            + markStackBytes;
    }

    private static long s_minimumTrigger;

    /// <summary>Allocates a zeroed object of <paramref name="size"/> bytes (header included) and returns its address.</summary>
    public static byte* Allocate(MethodTable* mt, ulong size)
    {
        size = (size + 7) & ~7UL;
        if (size < 24) size = 24;
        byte* cell = size > LargeThreshold ? AllocateLarge(size) : AllocateSmall(ClassOf(size));
        if (cell == null) cell = AllocateAfterCollecting(size);
        for (ulong i = 0; i < size; i += 8) *(ulong*)(cell + i) = 0;
        *(MethodTable**)(cell + 8) = mt;
        return cell + 8;
    }

    /// <summary>The cell of small block <paramref name="b"/> that <paramref name="p"/> points into:
    /// floor(offset / CellSize), exact for every offset in a block (below 2^16) and cell size
    /// (below 2^16), since offset * (ceil(2^32 / size) - 2^32 / size) stays below 2^16.</summary>
    private static int CellOf(BlockInfo* info, int b, byte* p) => (int)(((ulong)(p - BlockBase(b)) * info->CellReciprocal) >> 32);

    /// <summary>The smallest class holding <paramref name="size"/> (a multiple of 8, at most LargeThreshold): one table load.</summary>
    private static int ClassOf(ulong size) => s_classBySize[size >> 3];

    // Null when the heap has no block left for it (AllocateAfterCollecting).
    private static byte* AllocateSmall(int cls)
    {
        int cpu = CurrentCpu();
        int* current = &s_current[cpu * ClassCount + cls];
        int b = *current;
        if (b < 0 || s_info[b].FreeCount == 0)
        {
            b = TakeBlock(cls, cpu, b);
            *current = b;
            if (b < 0) return null;
        }
        BlockInfo* info = &s_info[b];
        byte* cell = info->FreeList;
        int index;
        if (cell != null)
        {
            info->FreeList = *(byte**)cell;
            index = CellOf(info, b, cell);
        }
        else
        {
            index = info->BumpIndex++;
            cell = BlockBase(b) + (ulong)index * (ulong)info->CellSize;
        }
        info->FreeCount--;
        s_allocBits[b * BitmapWords + (index >> 6)] |= 1UL << (index & 63);
        return cell;
    }

    /// <summary>Gives the CPU a block of the class with free cells, releasing its exhausted one: a swept
    /// block from the class's list, else the next one the lazy sweep finds, else a new block (only
    /// once the sweep has freed every dead block); -1 when no block is free.</summary>
    private static int TakeBlock(int cls, int cpu, int exhausted)
    {
        s_lock.Enter(LockClass.HeapBlocks);
        if (exhausted >= 0) s_info[exhausted].Owner = -1;
        // While a mark runs concurrently, allocate only in fresh blocks, which are black as a
        // whole (invariant 4): a cell taken from a block of older objects would need its own mark.
        bool marking = s_phase == PhaseMarking;
        int b = marking ? -1 : PopAvailable(cls);
        if (b < 0 && !marking && SweepUntilAvailable(cls)) b = PopAvailable(cls);
        if (b < 0)
        {
            b = FindFreeBlocks(1);
            if (b < 0) { s_lock.Exit(); return -1; }
            FormatSmall(b, cls);
            if (marking)
            {
                s_info[b].BlackEpoch = s_markEpoch;
                s_blackList[s_blackSmall++] = b;
            }
        }
        s_info[b].Owner = cpu;
        bool collect = NoteAllocation((long)s_info[b].FreeCount * s_info[b].CellSize, cpu);
        s_lock.Exit();
        if (collect) RequestCollection();
        if (marking) AssistMark(s_assistPerBlock);
        return b;
    }

    /// <summary>Takes the first block of the class's list of swept blocks with free cells (-1 none); caller holds the lock.</summary>
    private static int PopAvailable(int cls)
    {
        int b = s_available[cls];
        if (b < 0) return -1;
        s_available[cls] = s_info[b].NextAvailable;
        s_info[b].NextAvailable = -1;
        return b;
    }

    private static void FormatSmall(int b, int cls)
    {
        BlockInfo* info = &s_info[b];
        info->Kind = KindSmall;
        info->SizeClass = (byte)cls;
        info->CellSize = CellSizeOf(cls);
        info->CellReciprocal = ((1UL << 32) + (ulong)info->CellSize - 1) / (ulong)info->CellSize;
        info->CellCount = (int)(BlockSize / (ulong)info->CellSize);
        if (info->CellCount > BitmapWords * 64) info->CellCount = BitmapWords * 64;
        info->MarkEpoch = -1;
        info->SweptEpoch = (int)Collections;
        info->BlackEpoch = -1;
        for (int w = 0; w < BitmapWords; w++) s_allocBits[b * BitmapWords + w] = 0;
        // Every cell is free: handed out in address order by bumping, no list to thread first.
        info->FreeList = null;
        info->FreeCount = info->CellCount;
        info->BumpIndex = 0;
        s_blocksInUse++;
    }

    /// <summary>Threads every cell whose alloc bit is clear onto the block's free list, lowest address first.</summary>
    private static void BuildFreeList(int b)
    {
        BlockInfo* info = &s_info[b];
        byte* head = null;
        int free = 0;
        for (int i = info->CellCount - 1; i >= 0; i--)
        {
            if ((s_allocBits[b * BitmapWords + (i >> 6)] & (1UL << (i & 63))) != 0) continue;
            byte* cell = BlockBase(b) + (ulong)i * (ulong)info->CellSize;
            *(byte**)cell = head;
            head = cell;
            free++;
        }
        info->FreeList = head;
        info->FreeCount = free;
        info->BumpIndex = info->CellCount;
    }

    // Null when no run of free blocks is long enough (AllocateAfterCollecting).
    private static byte* AllocateLarge(ulong size)
    {
        int count = (int)((size + BlockSize - 1) >> BlockShift);
        s_lock.Enter(LockClass.HeapBlocks);
        int b = FindFreeBlocks(count);
        if (b < 0)
        {
            // Dead runs and blocks may wait for the lazy sweep: finish it before giving up.
            SweepAll();
            b = FindFreeBlocks(count);
        }
        if (b < 0) { s_lock.Exit(); return null; }
        s_info[b].Kind = KindLargeHead;
        s_info[b].Large = count;
        s_info[b].MarkEpoch = -1;
        s_info[b].SweptEpoch = (int)Collections;
        s_info[b].BlackEpoch = -1;
        bool marking = s_phase == PhaseMarking;
        if (marking)
        {
            // Allocated black: marked for the collection under way, never scanned by it.
            s_info[b].MarkEpoch = s_markEpoch;
            s_blackLargeBlocks += count;
        }
        for (int i = 1; i < count; i++) { s_info[b + i].Kind = KindLargeTail; s_info[b + i].Large = b; }
        s_blocksInUse += count;
        bool collect = NoteAllocation(count * (long)BlockSize, CurrentCpu == null ? -1 : CurrentCpu());
        s_lock.Exit();
        if (collect) RequestCollection();
        if (marking) AssistMark(count * s_assistPerBlock);
        return BlockBase(b);
    }

    /// <summary>The heap had no room for <paramref name="size"/> bytes although a collection may free most of it:
    /// a handler that allocates faster than its CPU comes back to the loop's safepoint (one message building
    /// megabytes) would otherwise outrun the collection its own allocations asked for. It asks for a round and
    /// takes part in it from here, then tries again; the heap is exhausted only when that fails after a round
    /// that collected everything, or when the caller may not wait (CollectFromAllocation).</summary>
    private static byte* AllocateAfterCollecting(ulong size)
    {
        bool large = size > LargeThreshold;
        int cls = large ? -1 : ClassOf(size);
        int blocks = (int)((size + BlockSize - 1) >> BlockShift);
        while (!SeededBugs.HeapFullWithoutCollecting && CollectFromAllocation != null)
        {
            s_lock.Enter(LockClass.HeapBlocks);
            s_wholeWanted = true;
            s_requested = 1;
            s_lock.Exit();
            AskForRound();
            if (!CollectFromAllocation()) break;
            byte* cell = large ? AllocateLarge(size) : AllocateSmall(cls);
            if (cell != null) return cell;
            if (SeededBugs.HeapFullAfterOneRound) break;
            // The round may only have finished a concurrent mark (what was allocated during it stays), or
            // another CPU may have taken what it freed before this one tried: only a whole collection that
            // left no room for the request, measured before any CPU ran on, makes the heap exhausted.
            int run = s_freeRunAfterRound;
            if (run >= 0 && (large ? run < blocks : run == 0 && (s_classesWithRoomAfterRound & (1 << cls)) == 0)) break;
        }
        OutOfMemory(large ? "gc: out of memory (no free run of heap blocks)" : "gc: out of memory (no free heap block)");
        return null;
    }

    /// <summary>What an allocation waiting for this round can count on: the sweep finished, the longest run of
    /// free blocks and the classes with free cells, measured in the pause (nothing is taken meanwhile).</summary>
    private static void MeasureRoomAfterRound()
    {
        s_lock.Enter(LockClass.HeapBlocks);
        SweepAll();
        int longest = 0;
        for (int b = 0, run = 0; b < s_blockCount; b++)
        {
            run = s_info[b].Kind == KindFree ? run + 1 : 0;
            if (run > longest) longest = run;
        }
        int classes = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            if (s_available[c] >= 0) classes |= 1 << c;
        }
        s_lock.Exit();
        s_freeRunAfterRound = longest;
        s_classesWithRoomAfterRound = classes;
    }

    /// <summary>First fit over free blocks; caller holds the lock. Returns -1 when none.</summary>
    private static int FindFreeBlocks(int count)
    {
        int run = 0;
        for (int b = 0; b < s_blockCount; b++)
        {
            run = s_info[b].Kind == KindFree ? run + 1 : 0;
            if (run == count) return b + 1 - count;
        }
        return -1;
    }

    /// <summary>Counts bytes handed to <paramref name="cpu"/>'s allocator; true when a safepoint round must be
    /// asked for now. Past the trigger a concurrent cycle starts on that CPU (its sweep first, then the
    /// start pause); a heap running short asks for a round at once. Caller holds the lock and makes the
    /// request after releasing it (no callbacks under the lock).</summary>
    private static bool NoteAllocation(long bytes, int cpu)
    {
        s_allocatedSinceCollection += bytes;
        // Whatever the trigger says, a heap running short asks for a collection: allocation collects
        // by itself only as a last resort (AllocateAfterCollecting, a pause wherever it stands), so
        // the next safepoint should come before it runs out. Short is three
        // quarters of the heap's bytes kept by the last collection or handed out since (free cells
        // of partly live blocks count as free: a heap of scattered small objects uses them), or
        // seven eighths of its blocks in use. While marking, only fresh blocks are handed out:
        // the assists are paced to end the mark before they run short, and a heap short of blocks
        // then asks for a finish that traces to the end in its pause.
        long heapBytes = (long)s_blockCount * (long)BlockSize;
        bool shortOfBlocks = s_blockCount - s_blocksInUse < s_blockCount / 8;
        bool low = shortOfBlocks || s_keptBytes + s_allocatedSinceCollection > heapBytes - heapBytes / LowFraction;
        if (s_phase == PhaseMarking)
        {
            low = shortOfBlocks;
            if (low) s_finishForced = true;
        }
        if (s_requested != 0 || RequestCollection == null) return false;
        if (!low)
        {
            if (s_phase != PhaseIdle || s_allocatedSinceCollection <= s_trigger) return false;
            if (Concurrent && cpu >= 0)
            {
                s_phase = PhaseSweeping;
                s_markerCpu = cpu;
                return false;
            }
        }
        s_requested = 1;
        return true;
    }

    private static void OutOfMemory(string reason)
    {
        if (ReportOutOfMemory != null) ReportOutOfMemory();
        FailFastExports.Fail(reason);
    }

    private static byte* BlockBase(int b) => s_base + ((ulong)b << BlockShift);
}
