// Machines of other sizes: a small one (64 MiB: a small heap, many
// collections) and one whose RAM QEMU splits around the PCI hole (4 GiB: RAM
// above 4 GiB, device registers inside the hole that must stay unmapped by
// the RAM mapping). The kernel boots, reports its RAM, and keeps live data
// intact across collections on every CPU, collects in time when 40% of the
// heap is live and every CPU churns through three heaps' worth of garbage, and
// collects from inside one handler that allocates twice the heap.
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class MemorySizeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(64)]
    [InlineData(4096)]
    public void Boot_MemorySize_ReportsRamAndKeepsLiveData(int memMiB)
    {
        var run = QemuBoot.Cached(4, "kevlar.test=cpus-online,heap-survival,heap-pressure,heap-outrun", 300, memMiB);
        output.WriteLine(run.Describe());
        Assert.True(run.ExitCode == QemuRun.Pass, $"exit status {run.ExitCode}, expected 0 (pass)");
        var ram = run.Find(@"^kevlar: ram (\d+) MiB");
        Assert.True(ram != null, "no 'kevlar: ram N MiB' line");
        long reported = long.Parse(ram!.Groups[1].Value);
        Assert.InRange(reported, memMiB - memMiB / 8 - 2, memMiB);
        var survival = run.Find(@"^selftest heap-survival: PASS .* 0 damaged");
        Assert.True(survival != null, "heap-survival did not pass with 0 damaged nodes");
        var pressure = run.Find(@"^selftest heap-pressure: PASS");
        Assert.True(pressure != null, "heap-pressure did not pass (churning past a 40%-full heap)");
        var outrun = run.Find(@"^selftest heap-outrun: PASS .* [1-9]\d* collections");
        Assert.True(outrun != null, "heap-outrun did not pass (one handler allocating twice the heap, collections from inside it)");
    }
}
