// Heap census: the live objects of one collection counted by type, for
// /proc/kevlar/heap — what a heap that grows is made of. Taken only when asked
// (RequestCensus), by the next collection, inside its pause after marking: it
// visits every marked cell, about as long as the mark itself, so it is never
// taken by default. The table is static memory: the collector allocates nothing.
// With a referrer type set (ReferrersOf, from the boot option kevlar.referrers=
// MT-ADDRESS), the census counts instead, per type, the references that live
// objects of that type hold to objects of the referrer type: what keeps a
// leaked kind of object alive, one level up at a time.
using System.Threading;

namespace Kevlar.Runtime.Metal.Memory;

// Safety: the census reads cells the collection just marked (each starts with its MethodTable) and
// writes its own static table, while every other CPU is parked; CopyCensus runs between safepoints.
public static unsafe partial class GcHeap
{
    public const int CensusCapacity = 1024;

    private struct CensusTable
    {
        public fixed ulong Types[CensusCapacity];
        public fixed long Objects[CensusCapacity];
        public fixed ulong Bytes[CensusCapacity];
    }

    private static CensusTable s_census;
    private static int s_censusWanted;
    private static int s_censusTypes;

    /// <summary>The collection whose census the table holds (0: none taken yet).</summary>
    public static long CensusCollection;

    /// <summary>The MethodTable whose referrers a census counts instead of live objects (0: none).</summary>
    public static ulong ReferrersOf;

    /// <summary>The next collection counts its live objects by type.</summary>
    public static void RequestCensus() => Volatile.Write(ref s_censusWanted, 1);

    /// <summary>Copies the last census's entries (in table order) into <paramref name="into"/>; returns how many.</summary>
    public static int CopyCensus(Kevlar.Runtime.Diagnostics.HeapCensusEntry[] into)
    {
        int n = 0;
        fixed (CensusTable* t = &s_census)
            for (int i = 0; i < CensusCapacity && n < into.Length; i++)
            {
                if (t->Objects[i] == 0) continue;
                into[n].MethodTable = t->Types[i];
                into[n].Objects = t->Objects[i];
                into[n].Bytes = t->Bytes[i];
                n++;
            }
        return n;
    }

    // In the pause, after marking and before EndCollection: the marked small cells of the listed
    // blocks, and the large objects whose heads this collection marked.
    private static void TakeCensusIfWanted()
    {
        if (Interlocked.Exchange(ref s_censusWanted, 0) == 0) return;
        fixed (CensusTable* t = &s_census)
        {
            for (int i = 0; i < CensusCapacity; i++) { t->Types[i] = 0; t->Objects[i] = 0; t->Bytes[i] = 0; }
            s_censusTypes = 0;
            s_censusTable = t;
            VisitLiveObjects(&CountObject);
            s_censusTable = null;
        }
        CensusCollection = s_markEpoch;
    }

    private static CensusTable* s_censusTable; // the table while a census is taken

    private static void CountObject(byte* obj, ulong bytes)
    {
        if (ReferrersOf == 0) Count(s_censusTable, *(ulong*)obj, bytes);
        else VisitReferences(obj, VisitCountReferrer);
    }

    // A reference field of obj holding reference: counted under obj's type when it points at an
    // object of the type asked about (the census table's bytes column then counts references).
    private static void CountReferrer(byte* obj, nint reference)
    {
        byte* p = (byte*)reference;
        if (p < s_base || p >= s_base + ((ulong)s_blockCount << BlockShift)) return;
        if (*(ulong*)p == ReferrersOf) Count(s_censusTable, *(ulong*)obj, 1);
    }

    // Open addressing on the MethodTable's address, at most three quarters full; types past that
    // are counted together under type 0 (in the one slot of the table that type 0 hashes to).
    private static void Count(CensusTable* t, ulong type, ulong bytes)
    {
        int at = Slot(t, type);
        if (t->Objects[at] == 0)
        {
            if (s_censusTypes >= CensusCapacity * 3 / 4)
            {
                type = 0;
                at = Slot(t, 0);
            }
            if (t->Objects[at] == 0) s_censusTypes++;
        }
        t->Types[at] = type;
        t->Objects[at]++;
        t->Bytes[at] += bytes;
    }

    private static int Slot(CensusTable* t, ulong type)
    {
        int at = (int)((type >> 3) * 0x9E3779B1UL % CensusCapacity);
        while (t->Objects[at] != 0 && t->Types[at] != type) at = (at + 1) % CensusCapacity;
        return at;
    }
}
