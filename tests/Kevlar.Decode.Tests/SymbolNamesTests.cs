// SymbolNamesTests: the readable form of ilc-mangled method names.
using Kevlar.Decode;
using Xunit;

namespace Kevlar.Decode.Tests;

public class SymbolNamesTests
{
    [Theory]
    [InlineData("Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger", "Kevlar.Drivers.X86_64.Panic.Trigger")]
    [InlineData("S_P_CoreLib_System_String__Concat", "System.String.Concat")]
    [InlineData("S_P_CoreLib_System_Collections_Generic_List_1__get_Count", "System.Collections.Generic.List_1.get_Count")]
    [InlineData("Kevlar_Runtime_Kevlar_Runtime_Scheduler__RunLoop", "Kevlar.Runtime.Scheduler.RunLoop")]
    public void Readable_IlcMethodSymbol_DottedForm(string mangled, string readable)
    {
        Assert.Equal(readable, SymbolNames.Readable(mangled));
    }

    [Theory]
    [InlineData("_start")]
    [InlineData("RhpNewFast")]
    [InlineData("memcpy")]
    [InlineData("S_P_CoreLib_System_Collections_Generic_List_1<Int32>__Add")]
    public void Readable_NotAnIlcMethod_ReturnsNull(string name)
    {
        Assert.Null(SymbolNames.Readable(name));
    }
}
