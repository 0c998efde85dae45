// ProcFs: /proc/kevlar, this kernel's own diagnostics (Linux has no such
// directory; nothing here imitates a Linux file).
//   gc     the kernel heap's recent collections (GcPauseTable's format).
//   locks  per lock class (runtime/Kevlar.Runtime/Threading/LockClass.cs):
//          acquisitions, contended ones, holds above 1 ms, the longest and the
//          mean hold and the longest wait in nanoseconds, summed over CPUs.
using System.Text;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Text;
using Kevlar.Runtime.Threading;

namespace Kevlar.Process.Files.Procfs;

public sealed partial class ProcFs
{
    private void KevlarEntry()
    {
        EnsureDirectory("/kevlar", Directory);
        SetFile("/kevlar/gc", GcText());
        SetFile("/kevlar/locks", KernelLocksText());
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
