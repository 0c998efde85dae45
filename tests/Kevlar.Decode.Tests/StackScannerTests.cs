// StackScannerTests: which stack qwords the backtrace accepts as return addresses.
using System.Linq;
using Kevlar.Decode;
using Xunit;

namespace Kevlar.Decode.Tests;

public class StackScannerTests
{
    [Fact]
    public void Scan_TestStack_FindsReturnAddressesInStackOrder()
    {
        PanicReport report = PanicLogParser.Parse(new PanicLogBuilder().Build())[0];

        var frames = new StackScanner(new Symbolizer(TestKernel.Load())).Scan(report);

        Assert.Equal(
            new[] { TestKernel.FaultSite, TestKernel.ReturnAfterTrigger, TestKernel.ReturnIntoStart, TestKernel.ReturnAfterHandler },
            frames.Select(f => f.Address).ToArray());
        Assert.Null(frames[0].StackSlot);
        Assert.Equal(0x7018UL, frames[1].StackSlot);
        Assert.Equal("call " + TestKernel.TriggerName, frames[1].CallText);
    }

    [Fact]
    public void TryFindCallBefore_FunctionStartNotAfterCall_ReturnsFalse()
    {
        var scanner = new StackScanner(new Symbolizer(TestKernel.Load()));

        Assert.False(scanner.TryFindCallBefore(TestKernel.Concat, out _));
    }

    [Fact]
    public void TryFindCallBefore_IndirectCall_ReturnsItsText()
    {
        var scanner = new StackScanner(new Symbolizer(TestKernel.Load()));

        Assert.True(scanner.TryFindCallBefore(TestKernel.ReturnAfterHandler, out string call));

        Assert.Equal("call qword ptr [s_handler]", call);
    }

    [Fact]
    public void Scan_NoElf_OnlyRip()
    {
        PanicReport report = PanicLogParser.Parse(new PanicLogBuilder().Build())[0];

        Assert.Single(new StackScanner(new Symbolizer(null)).Scan(report));
    }
}
