// ProcFs: /proc/kevlar, this kernel's own diagnostics (Linux has no such
// directory; nothing here imitates a Linux file).
//   gc     the kernel heap's recent collections (GcPauseTable's format).
//   heap   the live objects of the last collection that took a census, by
//          type (MethodTable address, objects, bytes; most bytes first).
//          Opening it asks the next collection for a census, so open, let a
//          collection run, and open again; qemu/heap-census.sh names the types.
//   locks  per lock class (runtime/Kevlar.Runtime/Threading/LockClass.cs):
//          acquisitions, contended ones, holds above 1 ms, the longest and the
//          mean hold and the longest wait in nanoseconds, summed over CPUs.
using System.Text;
using Kevlar.Vfs.Inodes;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Text;
using Kevlar.Runtime.Threading;

namespace Kevlar.Process.Files.Procfs;

public sealed partial class ProcFs
{
    private static readonly string[] KevlarNames = { "gc", "locks", "heap" };

    // /proc/kevlar itself, and its files for a listing: empty until looked up (as Linux's proc
    // files show size 0), so a walk through /proc/kevlar makes only the text of the file it opens.
    private void KevlarEntry()
    {
        EnsureDirectory("/kevlar", Directory);
        for (int i = 0; i < KevlarNames.Length; i++)
        {
            string path = "/kevlar/" + KevlarNames[i];
            if (_ns.Lookup(_ctx, path, false, out _) != 0) SetFile(path, string.Empty);
        }
    }

    /// <summary>True for /proc/kevlar, whose files are made when looked up.</summary>
    private bool IsKevlarDirectory(DirectoryInode dir) => dir.Parent == _fs.Root && dir.NameInParent == "kevlar";

    private void KevlarFile(string name)
    {
        if (name == "gc") SetFile("/kevlar/gc", GcText());
        else if (name == "locks") SetFile("/kevlar/locks", KernelLocksText());
        else if (name == "heap") SetFile("/kevlar/heap", HeapCensusText());
    }

    // /proc/kevlar/gc: the kernel heap's recent collections (GcPauseTable's format; no lines on
    // the host, which has no kernel heap).
    private string GcText()
    {
        ICollectorStatistics? stats = _host.Collector;
        if (stats == null) return GcPauseTable.Text(new GcPause[0], 0, 0);
        var pauses = new GcPause[GcPauseCapacity];
        int n = stats.CopyRecent(pauses);
        return GcPauseTable.Text(pauses, n, stats.Collections);
    }

    // Recent collections /proc/kevlar/gc shows: a screenful of lines, and enough for a p99.
    private const int GcPauseCapacity = 100;

    private string HeapCensusText()
    {
        var sb = new StringBuilder();
        ICollectorStatistics? stats = _host.Collector;
        if (stats == null) return "# kevlar heap census: none (no kernel heap)\n";
        stats.RequestCensus();
        var entries = new HeapCensusEntry[HeapCensusCapacity];
        int n = stats.CopyCensus(entries);
        if (stats.CensusCollection == 0) sb.Append("# kevlar heap census: none taken yet; the next collection takes one\n");
        else sb.Append("# kevlar heap census: collection ").Append(NumberText.Decimal(stats.CensusCollection))
            .Append("; the next collection takes another\n");
        if (stats.CensusReferrersOf != 0)
            sb.Append("# referrers of ").Append(NumberText.Hex(stats.CensusReferrersOf))
              .Append(" (kevlar.referrers): references to it held by live objects of each type\n")
              .Append("type references references\n");
        else sb.Append("type objects bytes\n");
        // Most bytes first: an insertion sort (a few hundred types).
        for (int i = 1; i < n; i++)
        {
            HeapCensusEntry e = entries[i];
            int j = i - 1;
            while (j >= 0 && entries[j].Bytes < e.Bytes) { entries[j + 1] = entries[j]; j--; }
            entries[j + 1] = e;
        }
        for (int i = 0; i < n; i++)
            sb.Append(NumberText.Hex(entries[i].MethodTable)).Append(' ').Append(NumberText.Decimal(entries[i].Objects))
              .Append(' ').Append(NumberText.Decimal((long)entries[i].Bytes)).Append('\n');
        return sb.ToString();
    }

    // Types a census can list (GcHeap.CensusCapacity).
    private const int HeapCensusCapacity = 1024;

    private static string KernelLocksText()
    {
        var sb = new StringBuilder();
        sb.Append("class acquired contended long_holds max_hold_ns mean_hold_ns max_wait_ns\n");
        for (int k = 1; k < LockClasses.Count; k++)
        {
            LockClass c = (LockClass)k;
            LockFigures f = LockWatch.Read(c);
            ulong mean = f.Acquisitions == 0 ? 0 : f.TotalHoldNanoseconds / (ulong)f.Acquisitions;
            sb.Append(LockClasses.Name(c)).Append(' ').Append(NumberText.Decimal(f.Acquisitions))
                .Append(' ').Append(NumberText.Decimal(f.Contended)).Append(' ').Append(NumberText.Decimal(f.LongHolds))
                .Append(' ').Append(NumberText.Decimal((long)f.MaxHoldNanoseconds)).Append(' ').Append(NumberText.Decimal((long)mean))
                .Append(' ').Append(NumberText.Decimal((long)f.MaxWaitNanoseconds)).Append('\n');
        }
        return sb.ToString();
    }
}
