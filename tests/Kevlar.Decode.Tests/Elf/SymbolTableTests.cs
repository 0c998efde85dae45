// SymbolTableTests: address -> symbol+offset lookup over the test kernel.
using Kevlar.Elf;
using Xunit;

namespace Kevlar.Decode.Tests.Elf;

public class SymbolTableTests
{
    [Fact]
    public void TryLookup_InsideFunction_ReturnsFunctionAndOffset()
    {
        SymbolTable functions = TestKernel.Load().Functions;

        Assert.True(functions.TryLookup(TestKernel.FaultSite, out ElfSymbol? symbol, out ulong offset));

        Assert.Equal(TestKernel.TriggerName, symbol!.Name);
        Assert.Equal(0x19UL, offset);
    }

    [Fact]
    public void Format_FunctionStartAndInside_NameOrNamePlusHex()
    {
        SymbolTable functions = TestKernel.Load().Functions;

        Assert.Equal(TestKernel.RunName, functions.Format(TestKernel.Run));
        Assert.Equal(TestKernel.RunName + "+0x10", functions.Format(TestKernel.ReturnAfterTrigger));
    }

    [Fact]
    public void TryLookup_LabelInsideSizedFunction_ReportsTheFunction()
    {
        // trigger_fault_site is a global label inside Panic__Trigger.
        Assert.Equal(TestKernel.TriggerName + "+0x19", TestKernel.Load().Functions.Format(TestKernel.FaultSite));
    }

    [Fact]
    public void FindByName_LabelHiddenFromLookup_StillFound()
    {
        ElfSymbol? label = TestKernel.Load().Functions.FindByName("trigger_fault_site");

        Assert.Equal(TestKernel.FaultSite, label!.Value);
    }

    [Fact]
    public void TryLookup_PastLastFunctionOrBeforeFirst_ReturnsFalse()
    {
        SymbolTable functions = TestKernel.Load().Functions;

        Assert.False(functions.TryLookup(TestKernel.Concat + 6, out _, out _));
        Assert.False(functions.TryLookup(TestKernel.Start - 1, out _, out _));
    }

    [Fact]
    public void DataObjects_InsideObject_ReturnsObject()
    {
        Assert.Equal("s_handler+0x4", TestKernel.Load().DataObjects.Format(TestKernel.Handler + 4));
    }

    [Fact]
    public void TryLookup_UnsizedSymbols_CoverUpToNextSymbol()
    {
        var text = new ElfSection(1, ".text", ElfSection.TypeProgBits, ElfSection.FlagAlloc | ElfSection.FlagExecute,
            0x1000, 0x1000, 0x100, 0, 0, 16, 0);
        var sections = new[] { new ElfSection(0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0), text };
        var table = new SymbolTable(new[]
        {
            new ElfSymbol("a", 0x1000, 0, ElfSymbol.TypeNone, ElfSymbol.BindingGlobal, 1),
            new ElfSymbol("b", 0x1040, 0, ElfSymbol.TypeNone, ElfSymbol.BindingGlobal, 1),
        }, sections);

        Assert.Equal("a+0x3f", table.Format(0x103F));
        Assert.Equal("b+0xbf", table.Format(0x10FF));
        Assert.Null(table.Format(0x1100)); // past the end of .text
    }

    [Fact]
    public void Constructor_TwoSymbolsOneAddress_PrefersSizedGlobalFunction()
    {
        var table = new SymbolTable(new[]
        {
            new ElfSymbol("local_label", 0x2000, 0, ElfSymbol.TypeNone, ElfSymbol.BindingLocal, 1),
            new ElfSymbol("Real__Method", 0x2000, 0x20, ElfSymbol.TypeFunction, ElfSymbol.BindingGlobal, 1),
        }, System.Array.Empty<ElfSection>());

        Assert.Equal(1, table.Count);
        Assert.Equal("Real__Method+0x8", table.Format(0x2008));
    }

    [Fact]
    public void TryLookup_EndMarkerAtSectionEnd_CoversNothing()
    {
        var text = new ElfSection(1, ".text", ElfSection.TypeProgBits, ElfSection.FlagAlloc | ElfSection.FlagExecute,
            0x1000, 0x1000, 0x100, 0, 0, 16, 0);
        var sections = new[] { new ElfSection(0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0), text };
        var table = new SymbolTable(new[]
        {
            new ElfSymbol("f", 0x1000, 0x100, ElfSymbol.TypeFunction, ElfSymbol.BindingGlobal, 1),
            new ElfSymbol("__text_end", 0x1100, 0, ElfSymbol.TypeNone, ElfSymbol.BindingGlobal, 1),
        }, sections);

        Assert.Null(table.Format(0x1100));
        Assert.Null(table.Format(0x1122334455667788));
    }

    [Fact]
    public void Constructor_ExportAliasOfIlcMethod_PrefersMangledName()
    {
        var table = new SymbolTable(new[]
        {
            new ElfSymbol("RhpNewFast", 0x2000, 8, ElfSymbol.TypeFunction, ElfSymbol.BindingGlobal, 1),
            new ElfSymbol("Kevlar_Kernel_Kevlar_Runtime_AllocationExports__RhpNewFast", 0x2000, 8, ElfSymbol.TypeFunction, ElfSymbol.BindingGlobal, 1),
        }, System.Array.Empty<ElfSection>());

        Assert.Equal("Kevlar_Kernel_Kevlar_Runtime_AllocationExports__RhpNewFast+0x4", table.Format(0x2004));
        Assert.Equal(0x2000UL, table.FindByName("RhpNewFast")!.Value);
    }
}
